import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../../test/fixtures.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { TLP2_IDS } from './stix/tlp.js';
import { validateObject } from './stix/validate.js';
import { KEV_FILE, loadAttackReference, loadKevReference } from './exchange.js';
import { platformOf } from '../../platform/deps.js';
import { bundle, indicator as baseIndicator } from './stix.test-helpers.js';

const CIRCL = '57c4445b-c548-4654-af0b-4be3950d210f';

let t: TestApp;
let author: Client, member: Client, outsider: Client, secretariat: Client;
let community: string, orgA: string;

const uuid = () => crypto.randomUUID();
const indicator = (over: Record<string, unknown> = {}) => baseIndicator({ name: 'C2 domain', pattern: "[domain-name:value = 'bad.example']", ...over });

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'UY' });
  const orgB = await makeOrganisation(t.db, { country: 'FR' });
  const orgC = await makeOrganisation(t.db, { country: 'HN' });
  const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
  const a1 = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const b1 = await makePerson(t.db, orgB);
  const c1 = await makePerson(t.db, orgC);
  const s1 = await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] });
  community = await makeCommunity(t.db, { organisations: [orgA, orgB] });
  [author, member, outsider, secretariat] = await Promise.all([a1, b1, c1, s1].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

describe('MISP events in', () => {
  it('imports the CIRCL OSINT event: what was created, nothing unmapped, deterministic on retry', async () => {
    const ev = readFixture(`misp-events/${CIRCL}.json`);
    const res = await author.post('/api/v1/intel/misp/events', ev);
    expect(res.statusCode, res.body.slice(0, 400)).toBe(201);
    const r = res.json();
    expect(r.rejected).toBe(0);
    expect(r.unmapped).toEqual([]);
    expect(r.accepted).toBeGreaterThanOrEqual(9);
    expect(r.reportId).toMatch(/^report--/);
    const again = await author.post('/api/v1/intel/misp/events', ev);
    expect(again.statusCode).toBe(200);
    expect(again.json().duplicates).toBe(again.json().total);
    const report = await member.get(`/api/v1/intel/objects/${r.reportId}`);
    expect(report.statusCode).toBe(200);
    expect(report.json().canDelete).toBe(false);
    expect((await author.get(`/api/v1/intel/objects/${r.reportId}`)).json().canDelete).toBe(true);
    expect(report.json().object.type).toBe('report');
  });

  it('reports what it could not map, and a sharing group reaches only matching organisations', async () => {
    const ev = readFixture('misp-events/galaxy_1.json');
    const res = await author.post('/api/v1/intel/misp/events', ev);
    expect([200, 201]).toContain(res.statusCode);
    expect(res.json().unmapped.length).toBeGreaterThan(0);
    for (const u of res.json().unmapped) expect(u.reason).toBeTruthy();
  });

  it('refuses what is not a MISP event, changing nothing', async () => {
    const before = await tableCounts(t.db);
    const res = await author.post('/api/v1/intel/misp/events', { Event: { info: 42 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('vulnerabilities', () => {
  it('imports CSAF advisories and lists them with their facts', async () => {
    for (const f of ['bsi-2022-0001.json', 'rhsa-2021_5186.json', 'cisco-sa-20180328-smi2.json']) {
      const res = await author.post('/api/v1/intel/vulnerabilities/csaf', readFixture(`csaf/${f}`));
      expect(res.statusCode, `${f} ${res.body.slice(0, 300)}`).toBe(201);
      expect(res.json().rejected).toBe(0);
    }
    const list = (await member.get('/api/v1/intel/vulnerabilities?q=CVE-2018-0171')).json();
    expect(list.items.some((v: { cve: string; csaf: { publisher: string } | null }) => v.cve === 'CVE-2018-0171' && v.csaf)).toBe(true);
    const bad = await author.post('/api/v1/intel/vulnerabilities/csaf', { document: { category: 'csaf_base' } });
    expect(bad.statusCode).toBe(400);
  });

  it('loads KEV as CLEAR reference content, visible without signing in', async () => {
    const r = await loadKevReference(platformOf(t.deps));
    expect(r.rejected).toBe(0);
    expect(r.accepted).toBe(1405);
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/intel/vulnerabilities?kev=true&ransomware=true&limit=5' });
    expect(anon.statusCode).toBe(200);
    const items = anon.json().items;
    expect(items).toHaveLength(5);
    for (const v of items) expect(v.kev.knownRansomwareCampaignUse).toBe('Known');
    expect((await outsider.post('/api/v1/intel/vulnerabilities/kev', JSON.parse(fs.readFileSync(KEV_FILE, 'utf8')))).statusCode).toBe(403);
  });

  it('links the KEV entry and the CSAF advisory of the same CVE', async () => {
    const items = (await member.get('/api/v1/intel/vulnerabilities?q=CVE-2018-0171')).json().items as { id: string; kev: unknown; csaf: unknown }[];
    const kev = items.find((v) => v.kev)!;
    const page = (await member.get(`/api/v1/intel/vulnerabilities/${kev.id}`)).json();
    expect(page.sameCve.some((o: { csaf: { publisher: string } | null }) => o.csaf !== null)).toBe(true);
    expect(page.sightings.total.count).toBe(0);
  });

  it('"affects us" sightings are counted for those who may see them, anonymous reports hide the organisation', async () => {
    const v = (await member.get('/api/v1/intel/vulnerabilities?q=CVE-2021-44228')).json().items[0];
    expect(v).toBeTruthy();
    const now = new Date().toISOString();
    const res = await author.post('/api/v1/intel/sightings', { sightingOf: v.id, count: 3, firstSeen: now, lastSeen: now, country: 'UY', affectsUs: true, anonymous: true, tlp: 'GREEN' });
    expect(res.statusCode, res.body).toBe(201);
    const seen = (await member.get(`/api/v1/intel/vulnerabilities/${v.id}`)).json();
    expect(seen.affectsUs).toEqual({ organisations: 1, mine: false });
    const s = (await member.get(`/api/v1/intel/objects/${v.id}/sightings`)).json();
    expect(s.total.count).toBe(3);
    expect(s.items[0].organisation).toBeNull();
    expect((await secretariat.get(`/api/v1/intel/objects/${v.id}/sightings`)).json().items[0].organisation.id).toBe(orgA);
    expect((await author.get(`/api/v1/intel/objects/${v.id}/sightings`)).json().items[0].organisation.id).toBe(orgA);
    // The STIX sighting does not name the organisation either, and filtering by organisation does not find it.
    const obj = (await member.get(`/api/v1/intel/objects/${res.json().stixId}`)).json();
    expect(obj.organisation).toBeNull();
    expect(JSON.stringify(obj)).not.toContain(orgA);
    const byOrg = (await member.get(`/api/v1/intel/objects?organisation=${orgA}&type=sighting`)).json();
    expect(byOrg.items).toHaveLength(0);
    const agg = (await member.get('/api/v1/intel/sightings/aggregate')).json();
    expect(agg.byCountry.find((c: { country: string }) => c.country === 'UY').count).toBeGreaterThanOrEqual(3);
  });
});

describe('organisation identities', () => {
  it('each organisation has its STIX identity, stored with its first named sighting', async () => {
    const me = (await author.get('/api/v1/intel/identity')).json();
    expect(me.id).toMatch(/^identity--/);
    expect(validateObject(me.object)).toEqual([]);
    const ind = indicator({ object_marking_refs: [TLP2_IDS.GREEN] });
    await author.post('/api/v1/intel/bundles', { bundle: bundle([ind]) });
    const now = new Date().toISOString();
    const s = await author.post('/api/v1/intel/sightings', { sightingOf: ind.id, count: 1, firstSeen: now, lastSeen: now, tlp: 'GREEN' });
    expect(s.statusCode).toBe(201);
    const sighting = (await member.get(`/api/v1/intel/objects/${s.json().stixId}`)).json().object;
    expect(sighting.created_by_ref).toBe(me.id);
    expect((await member.get(`/api/v1/intel/objects/${me.id}`)).json().object.name).toBe(me.object.name);
  });
});

describe('sightings of shared indicators', () => {
  it('a sighting of an AMBER indicator is shared like it, so its reference reveals nothing', async () => {
    const ind = indicator({ object_marking_refs: [TLP2_IDS.AMBER] });
    await author.post('/api/v1/intel/bundles', { bundle: bundle([ind]), audience: { communities: [community] } });
    const now = new Date().toISOString();
    const res = await member.post('/api/v1/intel/sightings', { sightingOf: ind.id, count: 1, firstSeen: now, lastSeen: now, country: 'FR', tlp: 'GREEN' });
    expect(res.statusCode).toBe(201);
    expect(res.json().notes.join(' ')).toMatch(/shared like the object/);
    expect((await outsider.get(`/api/v1/intel/objects/${res.json().stixId}`)).statusCode).toBe(404);
    expect((await outsider.get(`/api/v1/intel/objects/${ind.id}/sightings`)).statusCode).toBe(404);
    const agg = (await outsider.get('/api/v1/intel/sightings/aggregate')).json();
    expect(agg.byCountry.find((c: { country: string }) => c.country === 'FR')).toBeUndefined();
    expect((await outsider.post('/api/v1/intel/sightings', { sightingOf: ind.id, count: 1, firstSeen: now, lastSeen: now, tlp: 'GREEN' })).statusCode).toBe(404);
  });
});

describe('exports', () => {
  it('STIX bundle, CSV and MISP event contain exactly what the viewer may see, and validate', async () => {
    const green = indicator({ object_marking_refs: [TLP2_IDS.GREEN], name: 'export green' });
    const amber = indicator({ object_marking_refs: [TLP2_IDS.AMBER], name: 'export amber' });
    await author.post('/api/v1/intel/bundles', { bundle: bundle([green, amber]) });
    const stix = await outsider.get(`/api/v1/intel/export?format=stix&type=indicator&limit=500`);
    expect(stix.statusCode).toBe(200);
    const b = JSON.parse(stix.body);
    const ids = b.objects.map((o: { id: string }) => o.id);
    expect(ids).toContain(green.id);
    expect(ids).not.toContain(amber.id);
    for (const o of b.objects) expect(validateObject(o)).toEqual([]);
    const mine = JSON.parse((await author.get(`/api/v1/intel/export?format=stix&id=${amber.id}&id=${green.id}`)).body);
    expect(mine.objects.map((o: { id: string }) => o.id).sort()).toEqual([amber.id, green.id].sort());
    const csv = (await outsider.get('/api/v1/intel/export?format=csv&type=indicator')).body;
    expect(csv).toContain(green.id);
    expect(csv).not.toContain(amber.id);
    const misp = JSON.parse((await author.get(`/api/v1/intel/export?format=misp&id=${amber.id}&id=${green.id}`)).body);
    expect(misp.Event.Attribute.map((a: { value: string }) => a.value)).toContain('bad.example');
    expect(misp.Event.Tag.map((x: { name: string }) => x.name)).toContain('tlp:amber');
  });

  it('the MISP feed lists visible reports only, and its files are consistent', async () => {
    const report = { type: 'report', spec_version: '2.1', id: `report--${uuid()}`, created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z', name: 'Feed report', published: '2026-02-01T00:00:00Z', report_types: ['threat-report'], object_refs: [] as string[] };
    const ind = indicator({ pattern: "[ipv4-addr:value = '192.0.2.44']" });
    report.object_refs = [ind.id];
    await author.post('/api/v1/intel/bundles', { bundle: bundle([report, ind]), tlp: 'AMBER', audience: { communities: [community] } });
    const uuidPart = report.id.slice('report--'.length);
    const m = (await member.get('/api/v1/intel/misp-feed/manifest.json')).json();
    const key = Object.keys(m).find((k) => m[k].info === 'Feed report');
    expect(key).toBeTruthy();
    expect(key).toBe(uuidPart);
    const hashes = (await member.get('/api/v1/intel/misp-feed/hashes.csv')).body;
    const md5 = (await import('node:crypto')).createHash('md5').update('192.0.2.44').digest('hex');
    expect(hashes).toContain(`${md5},${key}`);
    const ev = (await member.get(`/api/v1/intel/misp-feed/${key}.json`)).json();
    expect(ev.Event.uuid).toBe(key);
    const o = (await outsider.get('/api/v1/intel/misp-feed/manifest.json')).json();
    expect(Object.values(o).some((e) => (e as { info: string }).info === 'Feed report')).toBe(false);
    expect((await outsider.get(`/api/v1/intel/misp-feed/${key}.json`)).statusCode).toBe(404);
  });
});

describe('exports and the feed after changes', () => {
  it('an export refuses a cursor it did not give (400 VALIDATION_FAILED) and starts from one it gave', async () => {
    const objs = [1, 2, 3].map((i) => indicator({ object_marking_refs: [TLP2_IDS.GREEN], name: `cursor export ${i}`, pattern: `[domain-name:value = 'cursor${i}.example']` }));
    await author.post('/api/v1/intel/bundles', { bundle: bundle(objs) });
    const b64 = (x: string) => Buffer.from(x).toString('base64url');
    for (const cursor of ['nonsense', b64('x1'), b64('s-1'), b64('s99999999999999999999'), b64('s9999999999999999999')]) {
      const res = await member.get(`/api/v1/intel/export?format=stix&cursor=${cursor}`);
      expect(res.statusCode, `${cursor}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'cursor' } });
      expect((await member.get(`/api/v1/intel/export?format=csv&cursor=${cursor}`)).statusCode).toBe(400);
    }
    // A cursor from the list continues the export where the list page ended.
    const page = (await member.get('/api/v1/intel/objects?q=cursor%20export&limit=1')).json();
    expect(page.items).toHaveLength(1);
    const rest = JSON.parse((await member.get(`/api/v1/intel/export?format=stix&q=cursor%20export&cursor=${page.nextCursor}`)).body);
    const names = rest.objects.map((o: { name: string }) => o.name);
    expect(names).not.toContain(page.items[0].name);
    expect(names.sort()).toEqual(objs.map((o) => o.name).filter((n) => n !== page.items[0].name).sort());
  });

  it('the MISP feed drops a deleted report at once, not a minute later', async () => {
    const report = { type: 'report', spec_version: '2.1', id: `report--${uuid()}`, created: '2026-02-02T00:00:00.000Z', modified: '2026-02-02T00:00:00.000Z', name: 'Report to delete', published: '2026-02-02T00:00:00Z', report_types: ['threat-report'], object_refs: [] as string[] };
    const ind = indicator({ pattern: "[ipv4-addr:value = '198.51.100.77']" });
    report.object_refs = [ind.id];
    await author.post('/api/v1/intel/bundles', { bundle: bundle([report, ind]), tlp: 'AMBER', audience: { communities: [community] } });
    const key = report.id.slice('report--'.length);
    // Read by both, so the feed of each is cached.
    expect(Object.keys((await member.get('/api/v1/intel/misp-feed/manifest.json')).json())).toContain(key);
    expect(Object.keys((await author.get('/api/v1/intel/misp-feed/manifest.json')).json())).toContain(key);
    expect((await member.get(`/api/v1/intel/misp-feed/${key}.json`)).statusCode).toBe(200);
    expect((await author.del(`/api/v1/intel/objects/${report.id}`)).statusCode).toBe(204);
    expect(Object.keys((await member.get('/api/v1/intel/misp-feed/manifest.json')).json())).not.toContain(key);
    expect(Object.keys((await author.get('/api/v1/intel/misp-feed/manifest.json')).json())).not.toContain(key);
    expect((await member.get(`/api/v1/intel/misp-feed/${key}.json`)).statusCode).toBe(404);
    expect((await member.get('/api/v1/intel/misp-feed/hashes.csv')).body).not.toContain(createHash('md5').update('198.51.100.77').digest('hex'));
  });

  it('the MISP feed shows a new version of a report at once (a narrowed event)', async () => {
    const v1 = { type: 'report', spec_version: '2.1', id: `report--${uuid()}`, created: '2026-02-03T00:00:00.000Z', modified: '2026-02-03T00:00:00.000Z', name: 'Narrowed report', published: '2026-02-03T00:00:00Z', report_types: ['threat-report'], object_refs: [] as string[] };
    const a = indicator({ pattern: "[ipv4-addr:value = '198.51.100.81']" });
    const b = indicator({ pattern: "[ipv4-addr:value = '198.51.100.82']" });
    v1.object_refs = [a.id, b.id];
    await author.post('/api/v1/intel/bundles', { bundle: bundle([v1, a, b]), tlp: 'AMBER', audience: { communities: [community] } });
    const key = v1.id.slice('report--'.length);
    const md5 = (v: string) => createHash('md5').update(v).digest('hex');
    expect((await member.get('/api/v1/intel/misp-feed/hashes.csv')).body).toContain(md5('198.51.100.82'));
    const v2 = { ...v1, modified: '2026-02-04T00:00:00.000Z', object_refs: [a.id] };
    expect((await author.post('/api/v1/intel/bundles', { bundle: bundle([v2]), tlp: 'AMBER', audience: { communities: [community] } })).statusCode).toBe(201);
    const hashes = (await member.get('/api/v1/intel/misp-feed/hashes.csv')).body;
    expect(hashes).toContain(`${md5('198.51.100.81')},${key}`);
    expect(hashes).not.toContain(`${md5('198.51.100.82')},${key}`);
  });
});

describe('ATT&CK for ICS', () => {
  it('loads as CLEAR reference content and is browsable by tactic', async () => {
    const r = await loadAttackReference(platformOf(t.deps));
    expect(r.rejected).toBe(0);
    const m = (await t.app.inject({ method: 'GET', url: '/api/v1/intel/attack' })).json();
    expect(m.tactics.length).toBeGreaterThanOrEqual(12);
    expect(m.tactics.flatMap((x: { techniques: unknown[] }) => x.techniques).length).toBeGreaterThan(70);
    expect(m.assets.length).toBeGreaterThan(10);
    expect(m.mitigations.length).toBeGreaterThan(40);
    const again = await loadAttackReference(platformOf(t.deps));
    expect(again.accepted).toBe(0);
    const byTech = (await member.get('/api/v1/intel/objects?technique=T0801&limit=5')).json();
    expect(byTech.items.some((o: { type: string }) => o.type === 'attack-pattern')).toBe(true);
  });
});
