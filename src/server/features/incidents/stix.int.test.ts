import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CORE_EXTENSION_ID, type IncidentReport } from '#shared/incidents';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { EVERYTHING_COLLECTION_ID } from '../intel/taxii/service.js';
import { validateObject } from '../intel/stix/validate.js';
import { extensionProblems, PUENTE_INCIDENT_EXTENSION_ID } from './stix.js';

let t: TestApp;
let analyst: Client;
let national: Client;
let other: Client;
let orgNational: string;

beforeAll(async () => {
  t = await createTestApp();
  const orgEnergy = await makeOrganisation(t.db, { country: 'CO' });
  orgNational = await makeOrganisation(t.db, { country: 'CO' });
  const orgOther = await makeOrganisation(t.db, { country: 'BR' });
  [analyst, national, other] = await Promise.all([await makePerson(t.db, orgEnergy), await makePerson(t.db, orgNational), await makePerson(t.db, orgOther)].map((x) => login(t.app, x.email)));
});
afterAll(async () => t?.close());

type Bundle = { type: string; id: string; objects: Record<string, unknown>[] };
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const at = new Date().toISOString();

/** The fields a round trip keeps (ids, ownership and the timeline are the receiving side's). */
const fields = (r: IncidentReport) => ({
  title: r.title,
  description: r.description,
  lang: r.lang,
  translation: r.translation.versions.map((v) => v.language).sort(),
  rsitClass: r.rsitClass,
  impactSeverity: r.impactSeverity,
  rootCause: r.rootCause,
  threatSeverity: r.threatSeverity,
  impactOutlook: r.impactOutlook,
  sectors: r.sectors,
  subsectors: r.subsectors,
  countries: r.countries,
  crossBorder: r.crossBorder,
  usersAffected: r.usersAffected,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
  awareAt: r.awareAt,
  status: r.status,
  outcome: r.outcome,
  closedAt: r.closedAt,
  exercise: r.exercise,
  tlp: r.tlp,
  pap: r.marking.pap,
  clocks: r.clocks.filter((c) => c.kind !== 'final').map((c) => [c.kind, c.dueAt]),
});

describe('incidents as STIX 2.1', () => {
  it('exports a bundle that validates against the OASIS schemas and the Incident Core Extension schema, with only the linked objects the reader may see', async () => {
    const r = (
      await analyst.post('/api/v1/incidents', {
        title: 'Ransomware en operador de energía',
        description: 'Cifrado de la subestación norte.',
        language: 'es',
        rsitClass: 'malicious-code/infected-system',
        impactSeverity: 'red',
        rootCause: 'malicious-actions',
        sectors: ['energy'],
        subsectors: ['electricity'],
        countries: ['CO', 'PA'],
        usersAffected: 120000,
        awareAt: hoursAgo(30),
        tlp: 'AMBER',
        audience: { organisations: [orgNational] },
      })
    ).json() as IncidentReport;
    const green = `indicator--${crypto.randomUUID()}`;
    const strict = `malware--${crypto.randomUUID()}`;
    await analyst.post('/api/v1/intel/bundles', { bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [{ type: 'indicator', spec_version: '2.1', id: green, created: at, modified: at, name: 'C2', pattern: "[ipv4-addr:value = '198.51.100.7']", pattern_type: 'stix', valid_from: at }] }, tlp: 'GREEN' });
    await analyst.post('/api/v1/intel/bundles', { bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [{ type: 'malware', spec_version: '2.1', id: strict, created: at, modified: at, name: 'LockBit', is_family: true }] }, tlp: 'AMBER+STRICT' });
    expect((await analyst.post(`/api/v1/incidents/${r.id}/links`, { stixId: green, relationship: 'indicates' })).statusCode).toBe(201);
    expect((await analyst.post(`/api/v1/incidents/${r.id}/links`, { stixId: strict, relationship: 'uses' })).statusCode).toBe(201);
    await analyst.put(`/api/v1/incidents/${r.id}/translations/en`, { title: 'Ransomware at an energy operator', description: 'North substation encrypted.' });

    const res = await analyst.get(`/api/v1/incidents/${r.id}/stix`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/stix+json');
    const bundle = res.json() as Bundle;
    for (const o of bundle.objects) expect({ id: o.id, problems: validateObject(o) }).toEqual({ id: o.id, problems: [] });
    const incident = bundle.objects.find((o) => o.type === 'incident')!;
    expect(extensionProblems(incident)).toEqual([]);
    expect(incident).toMatchObject({ id: r.stixId, name: 'Ransomware en operador de energía', lang: 'es', object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'] });
    expect(incident.labels).toEqual(expect.arrayContaining(['rsit:malicious-code="infected-system"', 'nis2:impact-severity="red"', 'nis2:impact-sectors-impacted="energy"', 'nis2:nature-root-cause="malicious-actions"']));
    const core = (incident.extensions as Record<string, Record<string, unknown>>)[INCIDENT_CORE_EXTENSION_ID]!;
    expect(core).toMatchObject({ extension_type: 'property-extension', determination: 'suspected', investigation_status: 'new', incident_types: ['malicious-code/infected-system'], criticality: 90, impacted_entity_counts: { individuals: 120000 } });
    expect(core.external_impacts).toEqual([{ impact_type: 'cross-border', labels: ['country:CO', 'country:PA'], description: 'Countries affected: CO, PA' }]);
    const types = bundle.objects.map((o) => o.type);
    expect(types).toEqual(expect.arrayContaining(['incident', 'language-content', 'relationship', 'indicator', 'malware', 'identity', 'extension-definition', 'marking-definition']));
    expect(bundle.objects.some((o) => o.id === INCIDENT_CORE_EXTENSION_ID)).toBe(true);
    expect(bundle.objects.some((o) => o.id === PUENTE_INCIDENT_EXTENSION_ID)).toBe(true);
    // An invalid core extension is caught by its schema.
    const broken = { ...incident, extensions: { [INCIDENT_CORE_EXTENSION_ID]: { ...core, determination: 'maybe', criticality: 400 } } };
    expect(extensionProblems(broken).map((p) => p.property).sort()).toEqual([`extensions.${INCIDENT_CORE_EXTENSION_ID}.criticality`, `extensions.${INCIDENT_CORE_EXTENSION_ID}.determination`]);

    // The national CSIRT reads the report but not the AMBER+STRICT malware: neither it nor its relationship is exported to it.
    const theirs = (await national.get(`/api/v1/incidents/${r.id}/stix`)).json() as Bundle;
    expect(theirs.objects.some((o) => o.id === green)).toBe(true);
    expect(theirs.objects.some((o) => o.id === strict || o.target_ref === strict)).toBe(false);
    expect((await other.get(`/api/v1/incidents/${r.id}/stix`)).statusCode).toBe(404);

    // The incident is in the STIX store too (it travels over TAXII like all intel), a version per change, under the report's marking.
    const versions = async () => Number((await t.db.selectFrom('intel_objects').select((eb) => eb.fn.countAll<string>().as('n')).where('stix_id', '=', r.stixId).executeTakeFirstOrThrow()).n);
    const stored = await versions();
    expect(stored).toBeGreaterThanOrEqual(1);
    expect((await analyst.post(`/api/v1/incidents/${r.id}/status`, { status: 'triage' })).statusCode).toBe(200);
    expect(await versions()).toBe(stored + 1);
    const inStore = await national.get(`/api/v1/intel/objects/${r.stixId}`);
    expect(inStore.statusCode, inStore.body).toBe(200);
    expect(JSON.stringify(inStore.json())).toContain('"investigation_status":"triage"');
    expect((await other.get(`/api/v1/intel/objects/${r.stixId}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/intel/objects/${r.stixId}` })).statusCode).toBe(404);
  });

  it('imports what it exports: back into the owner after changes (an update), and into another organisation (a new report), every field kept; bad bundles change nothing', async () => {
    const r = (
      await analyst.post('/api/v1/incidents', {
        title: 'Phishing contra el banco central',
        description: 'Campaña dirigida.',
        language: 'es',
        rsitClass: 'fraud/phishing',
        impactSeverity: 'yellow',
        impactOutlook: 'improving',
        threatSeverity: 'medium',
        rootCause: 'human-errors',
        sectors: ['banking', 'financial'],
        subsectors: ['banking-subsector'],
        countries: ['CO'],
        crossBorder: false,
        usersAffected: 42,
        startedAt: hoursAgo(60),
        endedAt: hoursAgo(40),
        awareAt: hoursAgo(50),
        tlp: 'GREEN',
        pap: 'GREEN',
      })
    ).json() as IncidentReport;
    await analyst.put(`/api/v1/incidents/${r.id}/translations/pt-BR`, { title: 'Phishing contra o banco central', description: 'Campanha direcionada.' });
    await analyst.post(`/api/v1/incidents/${r.id}/status`, { status: 'closed', outcome: 'blocked' });
    const before = (await analyst.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;
    const bundle = (await analyst.get(`/api/v1/incidents/${r.id}/stix`)).json() as Bundle;

    // Changed since, then the export imported again: the report is as it was exported.
    await analyst.post(`/api/v1/incidents/${r.id}/status`, { status: 'investigating' });
    await analyst.patch(`/api/v1/incidents/${r.id}`, { title: 'otro', impactSeverity: 'red', sectors: ['health'], countries: ['PA'], usersAffected: 1 });
    const back = await analyst.post('/api/v1/incidents/import', { bundle });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ created: [], updated: [r.id] });
    expect(fields((await analyst.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport)).toEqual(fields(before));

    // Into another organisation, under a new STIX id: a new report with every field.
    const fresh = `incident--${crypto.randomUUID()}`;
    const copy = JSON.parse(JSON.stringify(bundle).replaceAll(r.stixId, fresh)) as Bundle;
    const imported = await other.post('/api/v1/incidents/import', { bundle: copy });
    expect(imported.statusCode, imported.body).toBe(200);
    const [created] = (imported.json() as { created: string[] }).created;
    const theirs = (await other.get(`/api/v1/incidents/${created}`)).json() as IncidentReport;
    expect(theirs.stixId).toBe(fresh);
    expect(fields(theirs)).toEqual(fields(before));
    // The same id held by another organisation is not theirs to overwrite.
    expect((await other.post('/api/v1/incidents/import', { bundle })).json().error.code).toBe('FORBIDDEN');

    const counts = await tableCounts(t.db);
    const incident = bundle.objects.find((o) => o.type === 'incident')!;
    const ok = { ...incident, id: `incident--${crypto.randomUUID()}` };
    for (const bad of [
      { type: 'bundle', id: 'bundle--nope', objects: [ok] },
      { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [{ type: 'indicator' }] },
      { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [ok, { ...incident, id: `incident--${crypto.randomUUID()}`, extensions: {} }] },
      { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [ok, { ...incident, id: `incident--${crypto.randomUUID()}`, created: 'yesterday' }] },
    ]) {
      const res = await analyst.post('/api/v1/incidents/import', { bundle: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BUNDLE_REJECTED');
    }
    expect(await tableCounts(t.db)).toEqual(counts);
  });

  it('travels over TAXII and back: the object another organisation’s TAXII client gets imports there with every field it carries', async () => {
    const r = (
      await analyst.post('/api/v1/incidents', {
        title: 'Ransomware en un distribuidor eléctrico',
        description: 'Historiador SCADA cifrado.',
        language: 'es',
        rsitClass: 'malicious-code/infected-system',
        impactSeverity: 'red',
        impactOutlook: 'worsening',
        threatSeverity: 'high',
        rootCause: 'malicious-actions',
        sectors: ['energy'],
        subsectors: ['electricity'],
        countries: ['CO', 'PA'],
        crossBorder: true,
        usersAffected: 120000,
        startedAt: hoursAgo(30),
        awareAt: hoursAgo(20),
        tlp: 'GREEN',
        pap: 'AMBER',
      })
    ).json() as IncidentReport;
    expect(r.id).toBeTruthy();
    await analyst.post(`/api/v1/incidents/${r.id}/status`, { status: 'investigating' });
    const before = (await analyst.get(`/api/v1/incidents/${r.id}`)).json() as IncidentReport;

    // Another organisation's machine reads the collection with an API token, as a TAXII 2.1 client does.
    const token = (await other.post('/api/v1/tokens', { name: 'taxii client', scope: 'read', expiresInDays: 1 })).json().token as string;
    const taxii = await t.app.inject({
      method: 'GET',
      url: `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/objects/?match[id]=${r.stixId}`,
      headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` },
    });
    expect(taxii.statusCode, taxii.body).toBe(200);
    const objects = (taxii.json() as { objects: Record<string, unknown>[] }).objects;
    expect(objects.map((o) => o.id)).toEqual([r.stixId]);
    for (const o of objects) expect(validateObject(o)).toEqual([]);
    expect(extensionProblems(objects[0]!)).toEqual([]);

    // Under an id of its own (it is their report now), imported as a bundle of what TAXII gave.
    const fresh = `incident--${crypto.randomUUID()}`;
    const bundle = { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: JSON.parse(JSON.stringify(objects).replaceAll(r.stixId, fresh)) as Record<string, unknown>[] };
    const imported = await other.post('/api/v1/incidents/import', { bundle });
    expect(imported.statusCode, imported.body).toBe(200);
    const theirs = (await other.get(`/api/v1/incidents/${(imported.json() as { created: string[] }).created[0]}`)).json() as IncidentReport;
    // The store keeps the incident object alone: translations travel in the export bundle, not over TAXII.
    expect({ ...fields(theirs), translation: [] }).toEqual({ ...fields(before), translation: [] });
  });
});
