import { describe, expect, it } from 'vitest';
import type { IncidentListItem } from './api';
import { openFirst } from './order';

const item = (id: string, nextDue: IncidentListItem['nextDue']): IncidentListItem => ({
  id,
  stixId: `incident--${id}`,
  title: id,
  lang: 'en',
  rsitClass: 'malicious-code/infected-system',
  impactSeverity: null,
  status: 'new',
  outcome: null,
  countries: [],
  sectors: [],
  awareAt: '2026-12-01T00:00:00Z',
  ownerOrg: { id: 'o', name: 'O', country: 'CO' },
  exercise: false,
  tlp: 'AMBER',
  nextDue,
  updatedAt: '2026-12-01T00:00:00Z',
});

describe('the open incidents on the analyst’s home', () => {
  it('puts those with an overdue report first, the longest overdue first, and keeps the list’s order for the rest', () => {
    const rows = [
      item('a', { kind: 'notification', dueAt: '2026-12-09T00:00:00Z', overdue: false }),
      item('b', { kind: 'early-warning', dueAt: '2026-12-05T00:00:00Z', overdue: true }),
      item('c', null),
      item('d', { kind: 'notification', dueAt: '2026-12-03T00:00:00Z', overdue: true }),
    ];
    expect(openFirst(rows).map((r) => r.id)).toEqual(['d', 'b', 'a', 'c']);
  });
});
