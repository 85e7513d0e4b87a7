import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentListItem, IncidentReport } from '#shared/incidents';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let analyst: Client;
let colleague: Client;
let national: Client;
let member: Client;
let outsider: Client;
let secretariat: Client;
let orgEnergy: string;
let orgNational: string;
let orgMember: string;
let community: string;
let nationalPerson: string;

beforeAll(async () => {
  t = await createTestApp();
  orgEnergy = await makeOrganisation(t.db, { country: 'CO', type: 'private_sector' });
  orgNational = await makeOrganisation(t.db, { country: 'CO' });
  orgMember = await makeOrganisation(t.db, { country: 'CL' });
  const orgOut = await makeOrganisation(t.db, { country: 'ES' });
  const orgSec = await makeOrganisation(t.db, { country: 'BE' });
  community = await makeCommunity(t.db, { organisations: [orgMember, orgNational] });
  const [a, c, n, m, o, s] = [
    await makePerson(t.db, orgEnergy),
    await makePerson(t.db, orgEnergy),
    await makePerson(t.db, orgNational),
    await makePerson(t.db, orgMember),
    await makePerson(t.db, orgOut),
    await makePerson(t.db, orgSec, { roles: ['member', 'secretariat'] }),
  ];
  nationalPerson = n.id;
  [analyst, colleague, national, member, outsider, secretariat] = await Promise.all([a, c, n, m, o, s].map((x) => login(t.app, x.email)));
});
afterAll(async () => t?.close());

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const ransomware = (over: Record<string, unknown> = {}) => ({
  title: 'Ransomware en operador de energía',
  description: 'Cifrado de servidores SCADA de la subestación norte.',
  language: 'es',
  rsitClass: 'malicious-code/infected-system',
  impactSeverity: 'red',
  rootCause: 'malicious-actions',
  threatSeverity: 'high',
  impactOutlook: 'worsening',
  sectors: ['energy'],
  subsectors: ['electricity'],
  countries: ['CO'],
  usersAffected: 120000,
  startedAt: hoursAgo(30),
  awareAt: hoursAgo(26),
  tlp: 'AMBER',
  audience: { organisations: [orgNational], communities: [community] },
  ...over,
});
const create = async (c: Client, body: Record<string, unknown>) => c.post('/api/v1/incidents', body);

describe('reporting an incident', () => {
  it('creates the report with its three NIS2 clocks, a created entry, an audit entry and an event, AMBER to the reporter by default', async () => {
    const res = await create(analyst, ransomware());
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json() as IncidentReport;
    expect(r).toMatchObject({ status: 'new', outcome: null, rsitClass: 'malicious-code/infected-system', impactSeverity: 'red', exercise: false, tlp: 'AMBER', crossBorder: false, usersAffected: 120000 });
    expect(r.stixId).toMatch(/^incident--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.marking.audience.organisations.sort()).toEqual([orgNational, orgEnergy].sort());
    const aware = Date.parse(r.awareAt);
    const byKind = Object.fromEntries(r.clocks.map((c) => [c.kind, c]));
    expect(Date.parse(byKind['early-warning']!.dueAt) - aware).toBe(24 * 3_600_000);
    expect(Date.parse(byKind.notification!.dueAt) - aware).toBe(72 * 3_600_000);
    // Aware 26 hours ago: the early warning is overdue, and the list says so.
    expect(byKind['early-warning']!.overdue).toBe(true);
    expect(r.nextDue).toMatchObject({ kind: 'early-warning', overdue: true });
    const notification = new Date(byKind.notification!.dueAt);
    const final = new Date(byKind.final!.dueAt);
    expect(final.getUTCMonth()).toBe((notification.getUTCMonth() + 1) % 12);
    expect(r.timeline.map((e) => e.action)).toEqual(['created']);
    expect(r.can).toEqual({ edit: true, move: true, handover: true, report: true, link: true });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target_id']).where('target_id', '=', r.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['incident.created']);
    const events = await t.db.selectFrom('events').select(['type', 'tlp']).where('subject_id', '=', r.id).execute();
    expect(events).toEqual([{ type: 'incident.created', tlp: 'AMBER' }]);
    // The default marking: AMBER to the reporter's organisation.
    const plain = (await create(analyst, { title: 'x', language: 'en', rsitClass: 'other/undetermined', awareAt: hoursAgo(1) })).json() as IncidentReport;
    expect(plain.marking).toEqual({ tlp: 'AMBER', pap: 'AMBER', audience: { organisations: [orgEnergy], communities: [], people: [] } });
  });

  it('is read by the owner, the audience and the community, never by an outsider or the secretariat', async () => {
    const r = (await create(analyst, ransomware())).json() as IncidentReport;
    for (const c of [analyst, colleague, national, member]) expect((await c.get(`/api/v1/incidents/${r.id}`)).statusCode).toBe(200);
    for (const c of [outsider, secretariat]) expect((await c.get(`/api/v1/incidents/${r.id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${r.id}` })).statusCode).toBe(404);
    // The national CSIRT reads, but does not write: the owner does.
    const seen = (await national.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;
    expect(seen.can.edit).toBe(false);
    expect((await national.patch(`/api/v1/incidents/${r.id}`, { title: 'mine now' })).statusCode).toBe(403);
    expect((await outsider.patch(`/api/v1/incidents/${r.id}`, { title: 'mine now' })).statusCode).toBe(404);
  });

  it('refuses values outside the taxonomies and impossible clocks, naming the field, and writes nothing', async () => {
    const before = await tableCounts(t.db);
    for (const [over, code, field] of [
      [{ rsitClass: 'malicious-code/teapot' }, 'UNKNOWN_TAXONOMY_VALUE', 'rsitClass'],
      [{ rsitClass: 'malicious-code' }, 'UNKNOWN_TAXONOMY_VALUE', 'rsitClass'],
      [{ sectors: ['energy', 'tourism'] }, 'UNKNOWN_TAXONOMY_VALUE', 'sectors'],
      [{ subsectors: ['coal'] }, 'UNKNOWN_TAXONOMY_VALUE', 'subsectors'],
      [{ impactSeverity: 'purple' }, 'UNKNOWN_TAXONOMY_VALUE', 'impactSeverity'],
      [{ rootCause: 'gremlins' }, 'UNKNOWN_TAXONOMY_VALUE', 'rootCause'],
      [{ impactOutlook: 'sunny' }, 'UNKNOWN_TAXONOMY_VALUE', 'impactOutlook'],
      [{ threatSeverity: 'extreme' }, 'UNKNOWN_TAXONOMY_VALUE', 'threatSeverity'],
      [{ awareAt: new Date(Date.now() + 86_400_000).toISOString() }, 'INVALID_INCIDENT_CLOCK', 'awareAt'],
      [{ startedAt: hoursAgo(10), endedAt: hoursAgo(20), awareAt: hoursAgo(5) }, 'INVALID_INCIDENT_CLOCK', 'endedAt'],
      [{ startedAt: hoursAgo(2), awareAt: hoursAgo(5) }, 'INVALID_INCIDENT_CLOCK', 'startedAt'],
      [{ endedAt: new Date(Date.now() + 86_400_000).toISOString() }, 'INVALID_INCIDENT_CLOCK', 'endedAt'],
      [{ countries: ['ZZ'] }, 'VALIDATION_FAILED', 'countries'],
      [{ tlp: 'RED', audience: { organisations: [orgNational] } }, 'INVALID_MARKING', 'audience'],
    ] as const) {
      const res = await create(analyst, ransomware(over));
      expect({ over, status: res.statusCode }).toEqual({ over, status: 400 });
      expect(res.json().error).toMatchObject({ code, details: { field } });
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('changes fields, moves along the lifecycle (409 for a step not allowed, an outcome to close), and recomputes the clocks from awareness', async () => {
    const r = (await create(analyst, ransomware())).json() as IncidentReport;
    const u = await colleague.patch(`/api/v1/incidents/${r.id}`, { impactSeverity: 'yellow', countries: ['CO', 'PA'], awareAt: hoursAgo(2) });
    expect(u.statusCode, u.body).toBe(200);
    const after = u.json() as IncidentReport;
    expect(after).toMatchObject({ impactSeverity: 'yellow', countries: ['CO', 'PA'] });
    expect(after.clocks.find((c) => c.kind === 'early-warning')!.overdue).toBe(false);
    expect(after.timeline.at(-1)).toMatchObject({ action: 'updated', detail: { fields: ['impactSeverity', 'countries', 'awareAt'] } });
    expect((await colleague.patch(`/api/v1/incidents/${r.id}`, { awareAt: hoursAgo(-30) })).json().error.code).toBe('INVALID_INCIDENT_CLOCK');
    expect((await colleague.patch(`/api/v1/incidents/${r.id}`, { sectors: ['nope'] })).json().error).toMatchObject({ code: 'UNKNOWN_TAXONOMY_VALUE', details: { field: 'sectors' } });

    const move = (body: Record<string, unknown>) => analyst.post(`/api/v1/incidents/${r.id}/status`, body);
    expect((await move({ status: 'triage' })).json()).toMatchObject({ status: 'triage' });
    expect((await move({ status: 'new' })).json().error).toMatchObject({ code: 'INCIDENT_INVALID_TRANSITION', details: { from: 'triage', to: 'new' } });
    expect((await move({ status: 'closed' })).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'outcome' } });
    expect((await move({ status: 'contained', outcome: 'blocked' })).statusCode).toBe(400);
    const closed = (await move({ status: 'closed', outcome: 'successful-attempt', note: 'Restored from backups' })).json() as IncidentReport;
    expect(closed).toMatchObject({ status: 'closed', outcome: 'successful-attempt', nextDue: null });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.timeline.at(-1)).toMatchObject({ action: 'status', detail: { from: 'triage', to: 'closed', outcome: 'successful-attempt' }, text: 'Restored from backups' });
    const reopened = (await move({ status: 'investigating' })).json() as IncidentReport;
    expect(reopened).toMatchObject({ status: 'investigating', outcome: null, closedAt: null });
    const actions = await t.db.selectFrom('audit_log').select('action').where('target_id', '=', r.id).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['incident.created', 'incident.updated', 'incident.status_changed', 'incident.status_changed', 'incident.status_changed']);
  });

  it('submits NIS2 reports: the final one after the notification, due a month after its submission; an intermediate report on request', async () => {
    const r = (await create(analyst, ransomware())).json() as IncidentReport;
    const report = (kind: string, text = 'Reported to ColCERT') => analyst.post(`/api/v1/incidents/${r.id}/reports`, { kind, text });
    expect((await report('final')).json().error.code).toBe('INVALID_STATE');
    const ew = (await report('early-warning')).json() as IncidentReport;
    expect(ew.clocks.find((c) => c.kind === 'early-warning')).toMatchObject({ overdue: false, late: true, text: 'Reported to ColCERT' });
    expect((await report('early-warning')).json().error.code).toBe('INVALID_STATE');
    const n = (await report('notification')).json() as IncidentReport;
    const submitted = Date.parse(n.clocks.find((c) => c.kind === 'notification')!.submittedAt!);
    const final = new Date(n.clocks.find((c) => c.kind === 'final')!.dueAt);
    expect(final.getUTCDate()).toBe(new Date(submitted).getUTCDate());
    expect(final.getTime()).toBeGreaterThan(submitted + 27 * 86_400_000);
    // The national CSIRT asked (recorded by the owner); a request due in the past is refused.
    expect((await analyst.post(`/api/v1/incidents/${r.id}/reports/request`, { dueAt: hoursAgo(3) })).json().error).toMatchObject({ code: 'INVALID_INCIDENT_CLOCK', details: { field: 'dueAt' } });
    const due = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const asked = (await analyst.post(`/api/v1/incidents/${r.id}/reports/request`, { dueAt: due, organisationId: orgNational })).json() as IncidentReport;
    expect(asked.clocks.find((c) => c.kind === 'intermediate')).toMatchObject({ submittedAt: null, overdue: false });
    expect(asked.nextDue).toMatchObject({ kind: 'intermediate' });
    const given = (await report('intermediate', 'Containment progress')).json() as IncidentReport;
    expect(given.clocks.filter((c) => c.kind === 'intermediate').map((c) => !!c.submittedAt)).toEqual([true]);
    // Who reads the report sees that reports were given; what was said is the owner's and the reporter's.
    const seen = (await national.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;
    expect(seen.clocks.every((c) => c.text === '')).toBe(true);
    expect(seen.clocks.filter((c) => c.submittedAt).length).toBe(3);
    expect((await national.post(`/api/v1/incidents/${r.id}/reports`, { kind: 'final', text: 'x' })).statusCode).toBe(403);
  });

  it('hands a report over: the new owner joins the audience and writes, the reporter keeps reading', async () => {
    const r = (await create(analyst, ransomware({ audience: { organisations: [] } }))).json() as IncidentReport;
    expect((await national.get(`/api/v1/incidents/${r.id}`)).statusCode).toBe(404);
    const h = await analyst.post(`/api/v1/incidents/${r.id}/handover`, { organisationId: orgNational });
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json()).toMatchObject({ ownerOrg: { id: orgNational }, can: { edit: false } });
    const theirs = (await national.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;
    expect(theirs.can.edit).toBe(true);
    expect(theirs.marking.audience.organisations).toContain(orgNational);
    expect(theirs.author.org.id).toBe(orgEnergy);
    expect(theirs.timeline.map((e) => e.action)).toEqual(['created', 'handover']);
    expect((await analyst.get(`/api/v1/incidents/${r.id}`)).statusCode).toBe(200);
    expect((await analyst.patch(`/api/v1/incidents/${r.id}`, { title: 'x' })).statusCode).toBe(403);
    expect((await national.patch(`/api/v1/incidents/${r.id}`, { title: 'Ransomware at an energy operator' })).statusCode).toBe(200);
    expect((await national.post(`/api/v1/incidents/${r.id}/handover`, { organisationId: orgNational })).json().error.code).toBe('INVALID_STATE');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details', 'organisation_id']).where('target_id', '=', r.id).where('action', '=', 'incident.handed_over').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ organisation_id: orgEnergy, details: { from: orgEnergy, to: orgNational } });
    // A RED report names people only: it is not handed over.
    const red = (await create(analyst, ransomware({ tlp: 'RED', audience: { people: [nationalPerson] } }))).json() as IncidentReport;
    expect((await analyst.post(`/api/v1/incidents/${red.id}/handover`, { organisationId: orgNational })).json().error.code).toBe('INVALID_MARKING');
  });

  it('takes narrative updates marked no wider than the report, each shown only to who may read it', async () => {
    const r = (await create(analyst, ransomware())).json() as IncidentReport;
    const write = (body: Record<string, unknown>) => analyst.post(`/api/v1/incidents/${r.id}/updates`, { language: 'en', ...body });
    for (const marking of [{ tlp: 'GREEN' }, { tlp: 'CLEAR' }, { tlp: 'AMBER', audience: { organisations: [orgMember] } }, { tlp: 'AMBER+STRICT', audience: { organisations: [orgMember] } }]) {
      const res = await write({ text: 'too wide', marking });
      expect({ marking, code: res.json().error?.code }).toEqual({ marking, code: 'MARKING_WIDER_THAN_PARENT' });
    }
    const outsiderId = (await t.db.selectFrom('people').select('id').where('organisation_id', '<>', orgEnergy).where('organisation_id', 'not in', [orgNational, orgMember]).limit(1).executeTakeFirstOrThrow()).id;
    expect((await write({ text: 'red to an outsider', marking: { tlp: 'RED', audience: { people: [outsiderId] } } })).json().error.code).toBe('MARKING_WIDER_THAN_PARENT');
    expect((await write({ text: 'Shared with the report', language: 'en' })).statusCode).toBe(201);
    expect((await write({ text: 'Only the national CSIRT', marking: { tlp: 'AMBER+STRICT', audience: { organisations: [orgNational] } } })).statusCode).toBe(201);
    expect((await write({ text: 'Only one analyst there', marking: { tlp: 'RED', audience: { people: [nationalPerson] } } })).statusCode).toBe(201);
    const texts = async (c: Client) => ((await c.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport).timeline.filter((e) => e.action === 'update').map((e) => e.text);
    expect(await texts(analyst)).toEqual(['Shared with the report', 'Only the national CSIRT', 'Only one analyst there']);
    expect(await texts(national)).toEqual(['Shared with the report', 'Only the national CSIRT', 'Only one analyst there']);
    expect(await texts(member)).toEqual(['Shared with the report']);
    expect(await texts(colleague)).toEqual(['Shared with the report', 'Only the national CSIRT']);
  });

  it('links objects of the STIX store the linker may see (404 otherwise) and shows each link only to who may see its object', async () => {
    const r = (await create(analyst, ransomware())).json() as IncidentReport;
    const green = `indicator--${crypto.randomUUID()}`;
    const red = `malware--${crypto.randomUUID()}`;
    const at = new Date().toISOString();
    const bundle = (objects: Record<string, unknown>[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });
    expect(
      (
        await analyst.post('/api/v1/intel/bundles', {
          bundle: bundle([{ type: 'indicator', spec_version: '2.1', id: green, created: at, modified: at, name: 'C2 of LockBit', pattern: "[ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: at }]),
          tlp: 'GREEN',
        })
      ).statusCode,
    ).toBe(201);
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([{ type: 'malware', spec_version: '2.1', id: red, created: at, modified: at, name: 'LockBit 3', is_family: true }]), tlp: 'AMBER+STRICT' })).statusCode).toBe(201);
    const nationalOnly = `malware--${crypto.randomUUID()}`;
    expect((await national.post('/api/v1/intel/bundles', { bundle: bundle([{ type: 'malware', spec_version: '2.1', id: nationalOnly, created: at, modified: at, name: 'Hidden', is_family: true }]), tlp: 'AMBER+STRICT' })).statusCode).toBe(201);
    const link = (stixId: string, relationship = 'related-to') => analyst.post(`/api/v1/incidents/${r.id}/links`, { stixId, relationship });
    expect((await link(nationalOnly)).statusCode).toBe(404);
    expect((await link(`malware--${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await link(green, 'indicates')).statusCode).toBe(201);
    expect((await link(red, 'uses')).statusCode).toBe(201);
    expect((await link(red)).json().error.code).toBe('ALREADY_EXISTS');
    const mine = (await analyst.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;
    expect(mine.links.map((l) => [l.stixId, l.type, l.relationship]).sort()).toEqual([[green, 'indicator', 'indicates'], [red, 'malware', 'uses']].sort());
    const theirs = (await member.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;
    expect(theirs.links.map((l) => l.stixId)).toEqual([green]);
    // The timeline does not name the object it cannot show.
    expect(theirs.timeline.filter((e) => e.action === 'link').map((e) => e.detail.stixId)).toEqual([green]);
    expect((await analyst.del(`/api/v1/incidents/${r.id}/links/${red}`)).statusCode).toBe(204);
    expect((await analyst.del(`/api/v1/incidents/${r.id}/links/${red}`)).statusCode).toBe(404);
  });

  it('lists with the shared filters and cursor pagination, exercise reports only when asked', async () => {
    const tag = `filt${Date.now()}`;
    const made: IncidentReport[] = [];
    for (const [i, over] of [
      { countries: ['CL'], sectors: ['health'], rsitClass: 'availability/ddos', impactSeverity: 'green' },
      { countries: ['CO', 'PA'], sectors: ['energy'], rsitClass: 'malicious-code/infected-system', impactSeverity: 'red' },
      { countries: ['PA'], sectors: ['banking'], rsitClass: 'fraud/phishing', impactSeverity: 'yellow', audience: { organisations: [] } },
      { countries: ['CO'], sectors: ['energy'], rsitClass: 'availability/dos', exercise: true },
    ].entries())
      made.push((await create(analyst, ransomware({ title: `${tag} number ${i}`, awareAt: hoursAgo(50 - i), startedAt: null, ...over }))).json() as IncidentReport);
    const ids = async (c: Client, query: string) => ((await c.get(`/api/v1/incidents?q=${tag}&${query}`)).json() as { items: IncidentListItem[] }).items.map((x) => x.title.slice(-1));
    expect(await ids(analyst, '')).toEqual(['2', '1', '0']);
    expect(await ids(analyst, 'country=CO')).toEqual(['1']);
    expect(await ids(analyst, 'country=PA,CL')).toEqual(['2', '1', '0']);
    expect(await ids(analyst, 'sector=energy,health')).toEqual(['1', '0']);
    expect(await ids(analyst, 'rsit=availability')).toEqual(['0']);
    expect(await ids(analyst, 'rsit=fraud/phishing,malicious-code')).toEqual(['2', '1']);
    expect(await ids(analyst, 'impactSeverity=red,yellow')).toEqual(['2', '1']);
    expect(await ids(analyst, 'status=new')).toEqual(['2', '1', '0']);
    expect(await ids(analyst, `community=${community}`)).toEqual(['1', '0']);
    expect(await ids(analyst, 'exercise=true')).toEqual(['3']);
    expect(await ids(member, '')).toEqual(['1', '0']);
    const day = new Date(made[1]!.awareAt).toISOString().slice(0, 10);
    expect((await ids(analyst, `from=${day}&to=${day}`)).includes('1')).toBe(true);
    for (const bad of ['sector=tourism', 'rsit=nope', 'impactSeverity=purple', 'status=open', 'from=2026-13-01', 'cursor=abc'])
      expect({ bad, status: (await analyst.get(`/api/v1/incidents?${bad}`)).statusCode }).toEqual({ bad, status: 400 });
    // Pages of one follow each other without loss or repeat.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await analyst.get(`/api/v1/incidents?q=${tag}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: IncidentListItem[]; nextCursor: string | null };
      seen.push(...page.items.map((x) => x.title.slice(-1)));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['2', '1', '0']);
  });

  it('translates the title and description; readers get their language', async () => {
    const r = (await create(analyst, ransomware())).json() as IncidentReport;
    const tr = await analyst.put(`/api/v1/incidents/${r.id}/translations/en`, { title: 'Ransomware at an energy operator', description: 'SCADA servers encrypted.' });
    expect(tr.statusCode, tr.body).toBe(200);
    const en = (await analyst.get(`/api/v1/incidents/${r.id}?lang=en`)).json() as IncidentReport;
    expect(en).toMatchObject({ title: 'Ransomware at an energy operator', lang: 'en', description: 'SCADA servers encrypted.' });
    expect(((await analyst.get(`/api/v1/incidents/${r.id}?lang=es`)).json() as IncidentReport).title).toBe('Ransomware en operador de energía');
  });
});
