/**
 * Issue 9, holes 1, 8 and 9: marking and extension definitions follow the same
 * rules as every other object; a sighting is never shared wider than what it
 * sights; versions of an id belong to the organisation that holds it first.
 * Each path is read the way an outsider would try: REST object and list, export,
 * TAXII, and without signing in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { TLP2_IDS } from './stix/tlp.js';
import { bundle, indicator as baseIndicator } from './stix.test-helpers.js';
import { ensureReferenceMarkings } from './service.js';
import { platformOf } from '../../platform/deps.js';

let t: TestApp;
let analyst: Client, colleague: Client, partner: Client, outsider: Client, secretariat: Client;
let analystId: string, outsiderId: string;
let orgA: string, orgB: string, orgC: string, community: string;

const uuid = () => crypto.randomUUID();
/** Its own address, so that no other test's indicator correlates with it. */
const indicator = (over: Record<string, unknown> = {}) => baseIndicator({ pattern: "[ipv4-addr:value = '198.51.100.9']", ...over });
const statementMarking = (over: Record<string, unknown> = {}) => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id: `marking-definition--${uuid()}`,
  created: '2026-01-01T00:00:00.000Z',
  name: 'Operation CANARY-7781 handling',
  definition_type: 'statement',
  definition: { statement: 'Secret operation CANARY-7781: do not share beyond the task force' },
  ...over,
});
const extensionDefinition = (over: Record<string, unknown> = {}) => ({
  type: 'extension-definition',
  spec_version: '2.1',
  id: `extension-definition--${uuid()}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  created_by_ref: `identity--${uuid()}`,
  name: 'CANARY-7781 internal fields',
  schema: 'https://example.org/canary-7781.json',
  version: '1.0.0',
  extension_types: ['property-extension'],
  ...over,
});

const anonGet = (url: string) => t.app.inject({ method: 'GET', url });

/** Every REST and TAXII read a person (or the public) could use to find an object. */
async function findsAnywhere(c: Client | null, id: string): Promise<string[]> {
  const get = c ? (u: string) => c.get(u) : anonGet;
  const where: string[] = [];
  if ((await get(`/api/v1/intel/objects/${id}`)).statusCode === 200) where.push('object');
  const list = await get('/api/v1/intel/objects?limit=500');
  if (list.statusCode === 200 && list.body.includes(id)) where.push('list');
  if (c) {
    const exp = await c.get('/api/v1/intel/export?format=stix');
    if (exp.statusCode === 200 && exp.body.includes(id)) where.push('export');
  }
  return where;
}

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'BR' });
  orgB = await makeOrganisation(t.db, { country: 'ES' });
  orgC = await makeOrganisation(t.db, { country: 'MX' });
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  const a1 = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const a2 = await makePerson(t.db, orgA);
  const b1 = await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] });
  const c1 = await makePerson(t.db, orgC);
  const s1 = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  analystId = a1.id;
  outsiderId = c1.id;
  community = await makeCommunity(t.db, { organisations: [orgA, orgB] });
  [analyst, colleague, partner, outsider, secretariat] = await Promise.all([a1, a2, b1, c1, s1].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

describe('marking and extension definitions (hole 1)', () => {
  it('a definition submitted at RED is seen by its author only, through every path', async () => {
    const m = statementMarking({ object_marking_refs: [TLP2_IDS.RED] });
    const e = extensionDefinition({ object_marking_refs: [TLP2_IDS.RED] });
    const res = await analyst.post('/api/v1/intel/bundles', { bundle: bundle([m, e]), tlp: 'RED' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().results.map((r: { tlp: string }) => r.tlp)).toEqual(['RED', 'RED']);
    for (const id of [m.id, e.id]) {
      expect(await findsAnywhere(analyst, id)).toEqual(['object', 'list', 'export']);
      expect(await findsAnywhere(colleague, id)).toEqual([]);
      expect(await findsAnywhere(outsider, id)).toEqual([]);
      expect(await findsAnywhere(secretariat, id)).toEqual([]);
      expect(await findsAnywhere(null, id)).toEqual([]);
    }
  });

  it('a definition without a marking takes the request marking and audience, like any object', async () => {
    const m = statementMarking();
    const res = await analyst.post('/api/v1/intel/bundles', { bundle: bundle([m]), tlp: 'AMBER', audience: { communities: [community] } });
    expect(res.json().results[0].tlp).toBe('AMBER');
    expect(await findsAnywhere(partner, m.id)).toContain('object');
    expect(await findsAnywhere(outsider, m.id)).toEqual([]);
    expect(await findsAnywhere(null, m.id)).toEqual([]);
  });

  it('through TAXII too: no collection of an outsider carries it', async () => {
    const m = statementMarking({ object_marking_refs: [TLP2_IDS.AMBER] });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([m]), tlp: 'AMBER' })).statusCode).toBe(201);
    const token = (await outsider.post('/api/v1/tokens', { name: 'taxii', scope: 'read', expiresInDays: 1 })).json().token as string;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' };
    const cols = (await t.app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers })).json().collections as { id: string }[];
    expect(cols.length).toBeGreaterThan(0);
    for (const c of cols) {
      const objs = await t.app.inject({ method: 'GET', url: `/taxii2/api/collections/${c.id}/objects/`, headers });
      expect(objs.body).not.toContain(m.id);
      expect(objs.body).not.toContain('CANARY-7781');
    }
  });

  it('the shipped TLP definitions stay public, and a member cannot submit one of its own under their ids', async () => {
    await ensureReferenceMarkings(platformOf(t.deps));
    const tlpRed = (await anonGet(`/api/v1/intel/objects/${TLP2_IDS.RED}`)).json();
    expect(tlpRed.object.name).toBe('TLP:RED');
    const forged = { ...tlpRed.object, name: 'TLP:CLEAR (really)', definition: { tlp: 'clear' } };
    const res = await analyst.post('/api/v1/intel/bundles', { bundle: bundle([forged, indicator()]), tlp: 'GREEN' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().results[0].status).toBe('duplicate');
    expect((await anonGet(`/api/v1/intel/objects/${TLP2_IDS.RED}`)).json().object.name).toBe('TLP:RED');
    const count = await t.db.selectFrom('intel_objects').select((eb) => eb.fn.countAll<string>().as('n')).where('stix_id', '=', TLP2_IDS.RED).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});

describe('sightings (hole 8)', () => {
  it('a sighting of an AMBER indicator cannot reach someone who may not see the indicator', async () => {
    const ind = indicator({ object_marking_refs: [TLP2_IDS.AMBER] });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([ind]), tlp: 'AMBER', audience: { organisations: [orgB] } })).statusCode).toBe(201);
    const base = { sightingOf: ind.id, count: 3, firstSeen: '2026-03-01T00:00:00Z', lastSeen: '2026-03-02T00:00:00Z', country: 'ES' };
    // Narrower by level but naming an outsider: refused.
    const red = await partner.post('/api/v1/intel/sightings', { ...base, tlp: 'RED', audience: { people: [outsiderId] } });
    expect(red.statusCode, red.body).toBe(400);
    expect(red.json().error.code).toBe('INVALID_MARKING');
    const strict = await partner.post('/api/v1/intel/sightings', { ...base, tlp: 'AMBER+STRICT', audience: { organisations: [orgC] } });
    expect(strict.statusCode, strict.body).toBe(400);
    // Named people who see the indicator: fine.
    const ok = await partner.post('/api/v1/intel/sightings', { ...base, tlp: 'RED', audience: { people: [analystId] } });
    expect(ok.statusCode, ok.body).toBe(201);
    const sid = ok.json().stixId as string;
    expect(await findsAnywhere(analyst, sid)).toEqual(['object', 'list', 'export']);
    expect(await findsAnywhere(outsider, sid)).toEqual([]);
    // Asked wider: shared exactly like the indicator.
    const wide = await partner.post('/api/v1/intel/sightings', { ...base, tlp: 'CLEAR' });
    expect(wide.statusCode, wide.body).toBe(201);
    expect(await findsAnywhere(null, wide.json().stixId)).toEqual([]);
    expect(await findsAnywhere(outsider, wide.json().stixId)).toEqual([]);
  });

  it('a sighting of a GREEN indicator asked at CLEAR stays GREEN', async () => {
    const ind = indicator({ object_marking_refs: [TLP2_IDS.GREEN] });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([ind]) })).statusCode).toBe(201);
    const res = await partner.post('/api/v1/intel/sightings', { sightingOf: ind.id, count: 1, firstSeen: '2026-03-01T00:00:00Z', lastSeen: '2026-03-01T00:00:00Z', tlp: 'CLEAR' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await findsAnywhere(null, res.json().stixId)).toEqual([]);
    expect(await findsAnywhere(outsider, res.json().stixId)).toContain('object');
  });

  it('a STIX sighting submitted directly, wider than its subject, is not shown to those who may not see the subject', async () => {
    const ind = indicator({ object_marking_refs: [TLP2_IDS.RED] });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([ind]), tlp: 'RED' })).statusCode).toBe(201);
    const sighting = {
      type: 'sighting',
      spec_version: '2.1',
      id: `sighting--${uuid()}`,
      created: '2026-03-01T00:00:00.000Z',
      modified: '2026-03-01T00:00:00.000Z',
      sighting_of_ref: ind.id,
      count: 42,
      object_marking_refs: [TLP2_IDS.GREEN],
    };
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([sighting]), tlp: 'GREEN' })).statusCode).toBe(201);
    expect(await findsAnywhere(analyst, sighting.id)).toEqual(['object', 'list', 'export']);
    expect(await findsAnywhere(colleague, sighting.id)).toEqual([]);
    expect(await findsAnywhere(outsider, sighting.id)).toEqual([]);
  });
});

describe('versions belong to the organisation that holds the id first (hole 9)', () => {
  it('a newer version posted by another organisation replaces, revokes or widens nothing for those who see the original', async () => {
    const original = indicator({ object_marking_refs: [TLP2_IDS.GREEN], name: 'original by A' });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([original]) })).statusCode).toBe(201);
    const hijack = { ...original, modified: '2026-06-01T00:00:00.000Z', name: 'replaced by B', revoked: true };
    const res = await partner.post('/api/v1/intel/bundles', { bundle: bundle([hijack]), tlp: 'GREEN' });
    expect(res.statusCode, res.body).toBe(201);
    for (const c of [analyst, colleague, outsider, secretariat]) {
      const got = (await c.get(`/api/v1/intel/objects/${original.id}`)).json();
      expect(got.object.name).toBe('original by A');
      expect(got.revoked).toBe(false);
      expect(got.organisation.id).toBe(orgA);
      expect(got.versions.map((v: { version: string }) => v.version)).toEqual(['2026-01-01T00:00:00.000Z']);
      const listed = (await c.get('/api/v1/intel/objects?limit=500')).json().items.filter((o: { id: string }) => o.id === original.id);
      expect(listed.map((o: { name: string }) => o.name)).toEqual(['original by A']);
    }
  });

  it('re-posting AMBER content as CLEAR under the same id does not widen the original', async () => {
    const secret = indicator({ object_marking_refs: [TLP2_IDS.AMBER], name: 'amber original' });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([secret]), tlp: 'AMBER', audience: { organisations: [orgB] } })).statusCode).toBe(201);
    const widened = { ...secret, modified: '2026-07-01T00:00:00.000Z', object_marking_refs: [TLP2_IDS.CLEAR], name: 'clear copy by B' };
    expect((await partner.post('/api/v1/intel/bundles', { bundle: bundle([widened]) })).statusCode).toBe(201);
    // Those who may see A's object see A's, at AMBER.
    for (const c of [analyst, partner]) {
      const got = (await c.get(`/api/v1/intel/objects/${secret.id}`)).json();
      expect(got.object.name).toBe('amber original');
      expect(got.tlp).toBe('AMBER');
    }
    // The owner deletes: their object is gone for them; B's copy stays B's own, attributed to B.
    expect((await analyst.del(`/api/v1/intel/objects/${secret.id}`)).statusCode).toBe(204);
    const after = (await analyst.get(`/api/v1/intel/objects/${secret.id}`)).json();
    expect(after.organisation.id).toBe(orgB);
    expect(after.object.name).toBe('clear copy by B');
  });

  it('TAXII: the everything collection shows the first holder\'s line; each organisation\'s collection its own', async () => {
    const original = indicator({ object_marking_refs: [TLP2_IDS.GREEN], name: 'taxii original' });
    expect((await analyst.post('/api/v1/intel/bundles', { bundle: bundle([original]) })).statusCode).toBe(201);
    expect((await partner.post('/api/v1/intel/bundles', { bundle: bundle([{ ...original, modified: '2026-08-01T00:00:00.000Z', name: 'taxii replaced' }]) })).statusCode).toBe(201);
    const token = (await outsider.post('/api/v1/tokens', { name: 'taxii', scope: 'read', expiresInDays: 1 })).json().token as string;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/taxii+json;version=2.1' };
    const cols = (await t.app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers })).json().collections as { id: string }[];
    let found = 0;
    for (const c of cols) {
      const res = await t.app.inject({ method: 'GET', url: `/taxii2/api/collections/${c.id}/objects/${original.id}/`, headers });
      if (res.statusCode !== 200) continue;
      found++;
      const names = res.json().objects.map((o: { name: string }) => o.name);
      expect(names).toEqual(['taxii original']);
      const versions = await t.app.inject({ method: 'GET', url: `/taxii2/api/collections/${c.id}/objects/${original.id}/versions/`, headers });
      expect(versions.json().versions).toEqual(['2026-01-01T00:00:00.000Z']);
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe('abilities: what `can` reports is what the API allows', () => {
  it('for every viewer, deleting their organisation’s copy succeeds exactly when `can.delete` says so — also where their copy is not the line shown', async () => {
    const [colleague2P, partnerMemberP] = await Promise.all([makePerson(t.db, orgA), makePerson(t.db, orgB)]);
    // An organisation admin whose organisation is suspended after submitting its own CLEAR object.
    const orgU = await makeOrganisation(t.db, { country: 'AR' });
    const unvettedP = await makePerson(t.db, orgU, { roles: ['member', 'org_admin'] });
    const [colleague2, partnerMember, unvetted] = await Promise.all([colleague2P, partnerMemberP, unvettedP].map((p) => login(t.app, p.email)));
    const setU = (status: 'approved' | 'suspended') => t.db.updateTable('organisations').set({ status }).where('id', '=', orgU).execute();
    await setU('suspended');
    const anonymous = { get: anonGet, del: (u: string) => t.app.inject({ method: 'DELETE', url: u }) } as unknown as Client;
    const viewers: Record<string, Client> = { colleague, analyst, colleague2, partner, partnerMember, outsider, secretariat, unvetted, anonymous };
    const submit = async (c: Client, objects: unknown[], tlp = 'GREEN') => {
      const res = await c.post('/api/v1/intel/bundles', { bundle: bundle(objects), tlp });
      expect(res.statusCode, res.body).toBe(201);
    };
    const later = (o: { id: string }) => ({ ...o, modified: '2026-06-01T00:00:00.000Z' });
    const sources: Record<string, () => Promise<string>> = {
      // Submitted by a member of A.
      own: async () => {
        const o = indicator();
        await submit(colleague, [o]);
        return o.id;
      },
      // A's copy holds versions by two members of A.
      mixed: async () => {
        const o = indicator();
        await submit(colleague, [o]);
        await submit(colleague2, [later(o)]);
        return o.id;
      },
      // A holds the id first (its line is the object shown); a member of B holds B's own copy.
      secondLine: async () => {
        const o = indicator();
        await submit(analyst, [o]);
        await submit(partnerMember, [later(o)]);
        return o.id;
      },
      unvettedOwn: async () => {
        await setU('approved');
        const o = indicator({ object_marking_refs: [TLP2_IDS.CLEAR] });
        await submit(unvetted, [o], 'CLEAR');
        await setU('suspended');
        return o.id;
      },
    };
    const allowed: Record<string, string[]> = {};
    for (const [source, make] of Object.entries(sources))
      for (const [name, c] of Object.entries(viewers)) {
        const id = await make();
        const one = await c.get(`/api/v1/intel/objects/${id}`);
        const can = one.statusCode === 200 ? (one.json().can as { delete: boolean }) : { delete: false };
        if (one.statusCode === 200) expect(one.json().canDelete).toBe(can.delete);
        const res = await c.del(`/api/v1/intel/objects/${id}`);
        const ok = res.statusCode === 204;
        expect(ok, `delete of the ${source} object by ${name}: can says ${can.delete}, the API answered ${res.statusCode} ${res.body}`).toBe(can.delete);
        if (ok) (allowed[source] ??= []).push(name);
      }
    // Not vacuous: the rule as documented.
    expect(allowed).toEqual({ own: ['colleague', 'analyst'], mixed: ['analyst'], secondLine: ['analyst', 'partner', 'partnerMember'] });
  });
});
