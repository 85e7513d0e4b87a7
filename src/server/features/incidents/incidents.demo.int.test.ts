// The demo's incident reports tell the start of the done-when story: the Colombian energy CSIRT's
// ransomware report, AMBER to the national CSIRT and the CSIRTs of the Americas, its clocks running;
// an outsider never sees it; and a month of past reports the STIX export writes validly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentListItem, IncidentReport } from '#shared/incidents';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, TEST_PASSWORD, type TestApp } from '../../test/harness.js';
import { validateObject } from '../intel/stix/validate.js';
import { extensionProblems } from './stix.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.db, TEST_PASSWORD);
});
afterAll(async () => t?.close());

const as = (email: string) => login(t.app, `${email}@demo.puente.test`);
const STORY = 'Ransomware en el centro de control de una transmisora eléctrica';

describe('the demo’s incident reports', () => {
  it('show the ransomware report to its CSIRT, the community and the national CSIRT, with its clocks, and not to an outsider', async () => {
    const co = await as('analyst.co');
    const mine = (await co.get('/api/v1/incidents?country=CO&sector=energy&lang=es&limit=200')).json() as { items: IncidentListItem[] };
    const story = mine.items.find((i) => i.title === STORY)!;
    expect(story).toMatchObject({ tlp: 'AMBER', status: 'investigating', impactSeverity: 'red', rsitClass: 'malicious-code/infected-system', nextDue: { kind: 'notification', overdue: false } });
    const full = (await co.get(`/api/v1/incidents/${story.id}`)).json() as IncidentReport;
    expect(full.clocks.find((c) => c.kind === 'early-warning')).toMatchObject({ late: false });
    expect(full.clocks.find((c) => c.kind === 'early-warning')!.submittedAt).not.toBeNull();
    expect(full.timeline.map((e) => e.action)).toEqual(['created', 'status', 'update', 'update']);
    expect(full.can.edit).toBe(true);
    // A member of the CSIRTs of the Americas reads it, in English when asked.
    const br = await as('analyst.br');
    expect(((await br.get(`/api/v1/incidents/${story.id}?lang=en`)).json() as IncidentReport).title).toBe('Ransomware at the control centre of an electricity transmission operator');
    // Outside its audience: a ministry, a provider, the secretariat and the public.
    for (const who of ['diplomat.es', 'provider.eu', 'admin']) expect({ who, status: (await (await as(who)).get(`/api/v1/incidents/${story.id}`)).statusCode }).toEqual({ who, status: 404 });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${story.id}` })).statusCode).toBe(404);
  });

  it('hold a month of reports across countries, sectors, classes, statuses and markings, some clocks overdue, every one a valid STIX export', async () => {
    const rows = await t.db.selectFrom('incident_reports').select(['id', 'countries', 'sectors', 'rsit_class', 'status', 'tlp', 'language', 'aware_at']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.flatMap((r) => r.countries)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(rows.flatMap((r) => r.sectors)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((r) => r.rsit_class.split('/')[0])).size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['new', 'triage', 'investigating', 'contained', 'recovered', 'closed']));
    expect(new Set(rows.map((r) => r.tlp))).toEqual(new Set(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']));
    expect(new Set(rows.map((r) => r.language))).toEqual(new Set(['es', 'pt', 'en']));
    const clocks = await t.db.selectFrom('incident_nis2_reports').select(['due_at', 'submitted_at']).execute();
    expect(clocks.some((c) => c.submitted_at && c.submitted_at <= c.due_at)).toBe(true);
    expect(clocks.some((c) => !c.submitted_at && c.due_at < new Date())).toBe(true);
    // Each is in the STIX store as well, for TAXII, with its report's marking.
    const stored = await t.db.selectFrom('intel_objects').select(['stix_id', 'tlp']).where('stix_type', '=', 'incident').execute();
    expect(stored.length).toBeGreaterThanOrEqual(rows.length);
    const cl = await as('analyst.cl');
    const list = (await cl.get('/api/v1/incidents?limit=200')).json() as { items: IncidentListItem[] };
    for (const i of list.items.slice(0, 10)) {
      const bundle = (await cl.get(`/api/v1/incidents/${i.id}/stix`)).json() as { objects: Record<string, unknown>[] };
      for (const o of bundle.objects) expect({ id: o.id, problems: validateObject(o) }).toEqual({ id: o.id, problems: [] });
      expect(extensionProblems(bundle.objects.find((o) => o.type === 'incident')!)).toEqual([]);
    }
  });
});
