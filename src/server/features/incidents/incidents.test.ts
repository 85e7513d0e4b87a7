import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS, NIS2_ROOT_CAUSES, NIS2_SECTORS, NIS2_SUBSECTORS, NIS2_THREAT_SEVERITIES, RSIT } from '#shared/incidents';
import { addMonths, checkClocks, dueTimes } from './service.js';

const data = (name: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'data', name), 'utf8')) as {
  predicates: { value: string }[];
  values: { predicate: string; entry: { value: string }[] }[];
};
const valuesOf = (t: ReturnType<typeof data>, predicate: string) => t.values.find((v) => v.predicate === predicate)?.entry.map((e) => e.value) ?? [];

describe('the incident vocabularies (src/shared/incidents.ts) and the vendored MISP taxonomies', () => {
  it('lists every RSIT category with its types, in the taxonomy’s order', () => {
    const rsit = data('rsit.json');
    expect(Object.keys(RSIT)).toEqual(rsit.predicates.map((p) => p.value));
    for (const [category, types] of Object.entries(RSIT)) expect({ category, types: [...types] }).toEqual({ category, types: valuesOf(rsit, category) });
  });

  it('lists the NIS2 sectors, subsectors, impact severities, outlooks, root causes and threat severities', () => {
    const nis2 = data('nis2.json');
    expect([...NIS2_SECTORS]).toEqual(valuesOf(nis2, 'impact-sectors-impacted'));
    expect([...NIS2_SUBSECTORS]).toEqual(valuesOf(nis2, 'impact-subsectors-impacted'));
    expect([...NIS2_IMPACT_SEVERITIES]).toEqual(valuesOf(nis2, 'impact-severity'));
    expect([...NIS2_OUTLOOKS]).toEqual(valuesOf(nis2, 'impact-outlook'));
    expect([...NIS2_ROOT_CAUSES]).toEqual(valuesOf(nis2, 'nature-root-cause'));
    expect([...NIS2_THREAT_SEVERITIES]).toEqual(valuesOf(nis2, 'nature-severity'));
  });
});

describe('NIS2 clocks', () => {
  it('are due 24 h and 72 h after awareness, the final report a calendar month after the notification', () => {
    const aware = new Date('2026-01-29T10:00:00Z');
    const due = dueTimes(aware);
    expect(due['early-warning'].toISOString()).toBe('2026-01-30T10:00:00.000Z');
    expect(due.notification.toISOString()).toBe('2026-02-01T10:00:00.000Z');
    expect(due.final.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    // From the notification's submission once it is given; the day clamped to the month's end.
    expect(dueTimes(aware, new Date('2026-01-31T08:00:00Z')).final.toISOString()).toBe('2026-02-28T08:00:00.000Z');
    expect(addMonths(new Date('2024-01-31T00:00:00Z'), 1).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(addMonths(new Date('2026-12-15T00:00:00Z'), 1).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });

  it('refuse impossible times, naming the field', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const at = (s: string) => new Date(s);
    const field = (t: Parameters<typeof checkClocks>[0]) => {
      try {
        checkClocks(t, now);
        return null;
      } catch (e) {
        return (e as { code: string; details: { field: string } }).code + ':' + (e as { details: { field: string } }).details.field;
      }
    };
    expect(field({ awareAt: at('2026-06-01T11:00:00Z'), startedAt: at('2026-06-01T09:00:00Z'), endedAt: at('2026-06-01T10:00:00Z') })).toBeNull();
    expect(field({ awareAt: at('2026-06-02T00:00:00Z'), startedAt: null, endedAt: null })).toBe('INVALID_INCIDENT_CLOCK:awareAt');
    expect(field({ awareAt: at('2026-06-01T11:00:00Z'), startedAt: at('2026-06-01T10:00:00Z'), endedAt: at('2026-06-01T09:00:00Z') })).toBe('INVALID_INCIDENT_CLOCK:endedAt');
    expect(field({ awareAt: at('2026-06-01T11:00:00Z'), startedAt: at('2026-06-01T11:30:00Z'), endedAt: null })).toBe('INVALID_INCIDENT_CLOCK:startedAt');
    expect(field({ awareAt: at('2026-06-01T11:00:00Z'), startedAt: null, endedAt: at('2026-06-03T00:00:00Z') })).toBe('INVALID_INCIDENT_CLOCK:endedAt');
  });
});
