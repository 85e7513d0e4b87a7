import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureJsonFiles, readFixture } from '../../test/fixtures.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { ATTACK_ICS_FILE } from './exchange.js';
import { TLP2_IDS, TLP1_IDS } from './stix/tlp.js';
import { bundle, indicator } from './stix.test-helpers.js';


let t: TestApp;
let author: Client, colleague: Client, member: Client, outsider: Client, anon: Client;
let orgA: string, community: string;

const uuid = () => crypto.randomUUID();

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'CL' });
  const orgB = await makeOrganisation(t.db, { country: 'PT' });
  const orgC = await makeOrganisation(t.db, { country: 'PE' });
  const a1 = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const a2 = await makePerson(t.db, orgA);
  const b1 = await makePerson(t.db, orgB);
  const c1 = await makePerson(t.db, orgC);
  community = await makeCommunity(t.db, { organisations: [orgA, orgB] });
  [author, colleague, member, outsider] = await Promise.all([a1, a2, b1, c1].map((p) => login(t.app, p.email)));
  anon = { get: (url: string) => t.app.inject({ method: 'GET', url }) } as unknown as Client;
});
afterAll(async () => t?.close());

function upload(c: Client, url: string, payload: string, type = 'application/json') {
  return t.app.inject({ method: 'POST', url, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, payload });
}
async function post(c: Client, body: object) {
  return c.post('/api/v1/intel/bundles', body);
}
async function sees(c: Client, id: string) {
  const one = await c.get(`/api/v1/intel/objects/${id}`);
  const list = await c.get(`/api/v1/intel/objects?limit=500`);
  const inList = list.json().items.some((o: { id: string }) => o.id === id);
  expect(one.statusCode === 200).toBe(inList);
  return inList;
}

describe('STIX bundles through the REST API', () => {
  it('stores every object of the OASIS examples, and a retry changes nothing', async () => {
    const files = fixtureJsonFiles('stix2-examples');
    let bundles = 0;
    for (const f of files) {
      const b = JSON.parse(fs.readFileSync(f, 'utf8'));
      if (b.type !== 'bundle') continue;
      bundles++;
      const res = await post(author, { bundle: b, tlp: 'GREEN' });
      expect(res.statusCode, `${path.basename(f)}: ${res.body.slice(0, 500)}`).toBe(201);
      const r = res.json();
      expect(r.rejected, path.basename(f)).toBe(0);
      expect(r.accepted + r.duplicates).toBe(b.objects.length);
    }
    expect(bundles).toBeGreaterThanOrEqual(6);
    const before = await tableCounts(t.db);
    const again = await post(author, { bundle: readFixture('stix2-examples/indicator-for-c2-ip-address.json'), tlp: 'GREEN' });
    expect(again.statusCode).toBe(200);
    expect(again.json().duplicates).toBe(again.json().total);
    const after = await tableCounts(t.db);
    expect(after.intel_objects).toBe(before.intel_objects);
    expect(after.intel_values).toBe(before.intel_values);
  });

  it('gives back each object exactly as it was sent', async () => {
    const b = readFixture('stix2-examples/indicator-for-c2-ip-address.json');
    await post(author, { bundle: b, tlp: 'GREEN' });
    for (const o of b.objects) {
      const res = await member.get(`/api/v1/intel/objects/${o.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().object).toEqual(o);
    }
  });

  it('reports each bad object precisely and stores none of them', async () => {
    const good = indicator();
    const before = await tableCounts(t.db);
    const res = await post(author, {
      bundle: bundle([
        good,
        indicator({ pattern: "[ipv4-addr:value = '1.2.3.4'" }),
        indicator({ id: 'indicator--not-a-uuid' }),
        indicator({ modified: '2025-01-01T00:00:00.000Z' }),
        indicator({ object_marking_refs: ['marking-definition--11111111-2222-4333-8444-555555555555'] }),
        { type: 'indicator', id: `indicator--${uuid()}`, spec_version: '2.1', created: 12 },
        'not an object',
      ]),
      tlp: 'AMBER',
    });
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(201);
    const r = res.json();
    expect(r.accepted).toBe(1);
    expect(r.rejected).toBe(6);
    const rules = r.results.slice(1).map((x: { reasons: { rule: string }[] }) => x.reasons.map((y) => y.rule));
    expect(rules[0]).toContain('pattern');
    expect(rules[1]).toContain('identifier');
    expect(rules[2]).toContain('timestamp-order');
    expect(rules[3]).toContain('unknown-marking');
    const after = await tableCounts(t.db);
    expect(after.intel_objects - before.intel_objects).toBe(1);
  });

  it('refuses a bundle where nothing can be stored, with per-object reasons, and changes nothing', async () => {
    const before = await tableCounts(t.db);
    const res = await post(author, { bundle: bundle([indicator({ pattern_type: 'stix', pattern: '[broken' })]) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BUNDLE_REJECTED');
    expect(res.json().error.details.results[0].reasons[0].rule).toBe('pattern');
    expect(await tableCounts(t.db)).toEqual(before);
    const notBundle = await post(author, { bundle: { type: 'report', id: 'x' } });
    expect(notBundle.statusCode).toBe(400);
    expect(notBundle.json().error.code).toBe('VALIDATION_FAILED');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('rejects the same id and version with different content, in one bundle or later', async () => {
    const a = indicator();
    const changed = { ...a, name: 'changed without a new modified' };
    const both = await post(author, { bundle: bundle([a, changed]) });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details.results.map((x: { status: string }) => x.status)).toEqual(['rejected', 'rejected']);
    expect((await post(author, { bundle: bundle([a]) })).statusCode).toBe(201);
    const later = await post(author, { bundle: bundle([changed]) });
    expect(later.statusCode).toBe(400);
    expect(later.json().error.details.results[0].reasons[0].rule).toBe('conflicting-version');
    const next = await post(author, { bundle: bundle([{ ...changed, modified: '2026-02-01T00:00:00.000Z' }]) });
    expect(next.statusCode).toBe(201);
    const got = (await author.get(`/api/v1/intel/objects/${a.id}`)).json();
    expect(got.object.name).toBe('changed without a new modified');
    expect(got.versions.map((v: { version: string }) => v.version)).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  });
});

describe('paging', () => {
  it('the cursor visits every object exactly once, also objects added in the same millisecond', async () => {
    const since = new Date(Date.now() - 5).toISOString();
    const objs = Array.from({ length: 7 }, () => indicator({ object_marking_refs: [TLP2_IDS.GREEN] }));
    expect((await post(author, { bundle: bundle(objs) })).statusCode).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await member.get(`/api/v1/intel/objects?type=indicator&since=${encodeURIComponent(since)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((o: { id: string }) => o.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen.filter((x) => objs.some((o) => o.id === x)).sort()).toEqual(objs.map((o) => o.id).sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect((await member.get('/api/v1/intel/objects?cursor=bm9wZQ')).statusCode).toBe(400);
  });
});

describe('markings and audiences', () => {
  it('an AMBER object shared with a community reaches its members only', async () => {
    const o = indicator({ object_marking_refs: [TLP2_IDS.AMBER] });
    const res = await post(author, { bundle: bundle([o]), audience: { communities: [community] } });
    expect(res.statusCode).toBe(201);
    expect(res.json().results[0].tlp).toBe('AMBER');
    expect(await sees(author, o.id)).toBe(true);
    expect(await sees(colleague, o.id)).toBe(true);
    expect(await sees(member, o.id)).toBe(true);
    expect(await sees(outsider, o.id)).toBe(false);
    expect((await anon.get(`/api/v1/intel/objects/${o.id}`)).statusCode).toBe(404);
  });

  it('the request TLP is a floor: it never loosens an object, and objects without marking take it', async () => {
    const red = indicator({ object_marking_refs: [TLP2_IDS.RED] });
    const bare = indicator();
    const white = indicator({ object_marking_refs: [TLP1_IDS.white] });
    const res = await post(author, { bundle: bundle([red, bare, white]), tlp: 'GREEN' });
    expect(res.json().results.map((r: { tlp: string }) => r.tlp)).toEqual(['RED', 'GREEN', 'GREEN']);
    expect(await sees(colleague, red.id)).toBe(false);
    expect(await sees(author, red.id)).toBe(true);
    expect(await sees(outsider, bare.id)).toBe(true);
  });

  it('a granular marking stricter than the object marking makes the object that strict', async () => {
    const o = indicator({
      object_marking_refs: [TLP2_IDS.GREEN],
      granular_markings: [{ marking_ref: TLP2_IDS.RED, selectors: ['description'] }],
      description: 'secret detail',
    });
    const res = await post(author, { bundle: bundle([o]) });
    expect(res.json().results[0].tlp).toBe('RED');
    expect(await sees(member, o.id)).toBe(false);
  });

  it('sharing with a community one does not belong to is refused', async () => {
    const other = await makeCommunity(t.db, {});
    const res = await post(outsider, { bundle: bundle([indicator()]), tlp: 'AMBER', audience: { communities: [other] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_MARKING');
  });

  it('a newer version the viewer may not see leaves them the older one; the author gets the newer', async () => {
    const v1 = indicator({ object_marking_refs: [TLP2_IDS.GREEN] });
    const v2 = { ...v1, modified: '2026-03-01T00:00:00.000Z', object_marking_refs: [TLP2_IDS.RED], name: 'now red' };
    await post(author, { bundle: bundle([v1]) });
    await post(author, { bundle: bundle([v2]) });
    expect((await member.get(`/api/v1/intel/objects/${v1.id}`)).json().object.name).toBe('C2 address');
    expect((await member.get(`/api/v1/intel/objects/${v1.id}`)).json().versions).toHaveLength(1);
    expect((await author.get(`/api/v1/intel/objects/${v1.id}`)).json().object.name).toBe('now red');
  });
});

describe('filters reveal nothing either', () => {
  it('the ATT&CK technique filter follows only relationships the viewer may see', async () => {
    const technique = {
      type: 'attack-pattern',
      spec_version: '2.1',
      id: `attack-pattern--${uuid()}`,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'Test technique',
      external_references: [{ source_name: 'mitre-ics-attack', external_id: 'T0999' }],
      object_marking_refs: [TLP2_IDS.CLEAR],
    };
    const ind = indicator({ object_marking_refs: [TLP2_IDS.GREEN] });
    const rel = {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${uuid()}`,
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      relationship_type: 'indicates',
      source_ref: ind.id,
      target_ref: technique.id,
      object_marking_refs: [TLP2_IDS.RED],
    };
    expect((await post(author, { bundle: bundle([technique, ind, rel]) })).statusCode).toBe(201);
    const ids = async (c: Client) => (await c.get('/api/v1/intel/objects?technique=T0999&limit=50')).json().items.map((o: { id: string }) => o.id);
    expect(await ids(author)).toContain(ind.id);
    expect(await ids(member)).not.toContain(ind.id);
    expect(await ids(member)).toContain(technique.id);
  });
});

describe('correlation', () => {
  it('links objects with the same normalised value, only among objects the viewer may see', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const a = indicator({ pattern: `[ipv4-addr:value = '${ip}/32']`, object_marking_refs: [TLP2_IDS.GREEN] });
    const sco = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid()}`, value: ip };
    const hidden = indicator({ pattern: `[ipv4-addr:value = '${ip}']`, object_marking_refs: [TLP2_IDS.AMBER] });
    await post(member, { bundle: bundle([a, sco]), tlp: 'GREEN' });
    await post(author, { bundle: bundle([hidden]) });
    const forAuthor = (await author.get(`/api/v1/intel/objects/${a.id}`)).json().correlations;
    expect(forAuthor[0].objects.map((o: { stixId: string }) => o.stixId).sort()).toEqual([sco.id, hidden.id].sort());
    const forOutsider = (await outsider.get(`/api/v1/intel/objects/${a.id}`)).json().correlations;
    expect(forOutsider[0].objects.map((o: { stixId: string }) => o.stixId)).toEqual([sco.id]);
    expect(JSON.stringify(forOutsider)).not.toContain(hidden.id);
  });
});

describe('uploads', () => {
  it('streams a bundle file and reports per object', async () => {
    const b = JSON.parse(fs.readFileSync(ATTACK_ICS_FILE, 'utf8'));
    const res = await upload(author, '/api/v1/intel/uploads?tlp=CLEAR', JSON.stringify(b), 'application/stix+json');
    expect(res.statusCode, res.body.slice(0, 400)).toBe(201);
    const r = res.json();
    expect(r.total).toBe(b.objects.length);
    expect(r.rejected).toBe(0);
  });

  it('keeps every per-object result of a large submission, in order, for the submission resource', async () => {
    // More results than one stored chunk (2,000), with a rejection and a duplicate after the boundary.
    const objects: unknown[] = Array.from({ length: 2300 }, (_, k) => indicator({ name: `bulk ${k}` }));
    objects.push(indicator({ pattern: '[broken' }), objects[5]);
    const res = await upload(author, '/api/v1/intel/uploads?tlp=GREEN', JSON.stringify(bundle(objects)));
    expect(res.statusCode, res.body.slice(0, 400)).toBe(201);
    const r = res.json();
    expect([r.total, r.accepted, r.rejected, r.duplicates]).toEqual([2302, 2300, 1, 1]);
    const stored = await author.get(`/api/v1/intel/submissions/${r.submissionId}`);
    expect(stored.statusCode).toBe(200);
    expect(stored.json().results).toEqual(r.results);
    expect(stored.json().results[2300]).toMatchObject({ status: 'rejected' });
    expect(stored.json().results[2301]).toMatchObject({ status: 'duplicate', id: (objects[5] as { id: string }).id });
  });

  it('refuses broken JSON and a non-bundle, storing nothing', async () => {
    const before = await tableCounts(t.db);
    for (const payload of ['{"type":"bundle","id":"bundle--' + uuid() + '","objects":[{"type":', '[1,2]', '{"type":"report"}']) {
      const res = await upload(author, '/api/v1/intel/uploads', payload);
      expect(res.statusCode, payload).toBe(400);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
