/**
 * The TAXII 2.1 server driven as a TAXII client would: API tokens (Bearer and
 * HTTP Basic with the e-mail), discovery, API root, collections, add objects and
 * status, get objects / object / versions / manifest with filters and paging,
 * delete, content negotiation and TAXII error messages.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { fixtureJsonFiles } from '../../../test/fixtures.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type TestApp } from '../../../test/harness.js';
import { ATTACK_ICS_FILE } from '../exchange.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { communityCollectionId, EVERYTHING_COLLECTION_ID, organisationCollectionId } from './service.js';

const TAXII = 'application/taxii+json;version=2.1';
const MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const MAX_PAGE = 50;
const MAX_BYTES = 8 * 1024 * 1024;

let t: TestApp;
let community: string, orgA: string, orgB: string, orgC: string;

interface Account {
  email: string;
  token: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}
let author: Account, colleague: Account, member: Account, outsider: Account, reader: Account;

const uuid = () => crypto.randomUUID();
const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

/** A person with an API token made through the API, as a TAXII client configured with it. */
async function account(email: string, scope: 'read' | 'write' = 'write', useBasic = true): Promise<Account> {
  const session = await login(t.app, email);
  const res = await session.post('/api/v1/tokens', { name: 'taxii client', scope, expiresInDays: 30 });
  expect(res.statusCode, res.body).toBe(201);
  const token: string = res.json().token;
  const authorization = useBasic ? basic(email, token) : `Bearer ${token}`;
  const req = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url,
      headers: { authorization, accept: TAXII, ...(body !== undefined && { 'content-type': TAXII }), ...headers },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return { email, token, get: (u, h) => req('GET', u, undefined, h), post: (u, b, h) => req('POST', u, b, h), del: (u) => req('DELETE', u) };
}

const root = '/taxii2/api';
const coll = (id: string) => `${root}/collections/${id}`;
const indicator = (over: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${uuid()}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'C2 address',
  pattern: `[ipv4-addr:value = '198.51.100.${Math.floor(Math.random() * 250) + 1}']`,
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  ...over,
});

function expectTaxiiError(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe(TAXII);
  const e = res.json();
  expect(typeof e.title).toBe('string');
  expect(e.http_status).toBe(String(status));
  expect(typeof e.error_code).toBe('string');
  expect(typeof e.error_id).toBe('string');
  expect(typeof e.description).toBe('string');
  return e;
}

/** Every page of a listing, following `next`. */
async function allPages(a: Account, url: string, key: 'objects' | 'versions' = 'objects') {
  const items: unknown[] = [];
  const pages: LightMyRequestResponse[] = [];
  let next: string | undefined;
  for (let i = 0; i < 500; i++) {
    const res = await a.get(`${url}${url.includes('?') ? '&' : '?'}${next ? `next=${encodeURIComponent(next)}` : ''}`);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const body = res.json();
    pages.push(res);
    items.push(...(body[key] ?? []));
    if (!body.more) {
      expect(body.next).toBeUndefined();
      return { items, pages };
    }
    expect(typeof body.next).toBe('string');
    next = body.next;
  }
  throw new Error('paging does not end');
}

beforeAll(async () => {
  t = await createTestApp({ env: { PUENTE_TAXII_MAX_PAGE: String(MAX_PAGE), PUENTE_INTEL_BUNDLE_MAX_BYTES: String(MAX_BYTES) } });
  orgA = await makeOrganisation(t.db, { country: 'CL' });
  orgB = await makeOrganisation(t.db, { country: 'PT' });
  orgC = await makeOrganisation(t.db, { country: 'PE' });
  const a1 = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const a2 = await makePerson(t.db, orgA);
  const b1 = await makePerson(t.db, orgB);
  const c1 = await makePerson(t.db, orgC);
  community = await makeCommunity(t.db, { organisations: [orgA, orgB] });
  author = await account(a1.email);
  colleague = await account(a2.email, 'write', false);
  member = await account(b1.email);
  outsider = await account(c1.email);
  reader = await account(a2.email, 'read');
});
afterAll(async () => t?.close());

describe('discovery, API root and collections', () => {
  it('answer in the TAXII media type, with the API root and its limits', async () => {
    const d = await member.get('/taxii2/');
    expect(d.statusCode).toBe(200);
    expect(d.headers['content-type']).toBe(TAXII);
    expect(d.json()).toMatchObject({ title: expect.any(String), default: 'http://puente.test/taxii2/api/', api_roots: ['http://puente.test/taxii2/api/'] });
    const r = await member.get(`${root}/`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ title: 'Puente', versions: [TAXII], max_content_length: MAX_BYTES });
  });

  it('gives each viewer everything, their communities and their organisation, and hides the rest as 404', async () => {
    const mine = (await author.get(`${root}/collections/`)).json().collections;
    expect(mine.map((c: { id: string }) => c.id)).toEqual([EVERYTHING_COLLECTION_ID, communityCollectionId(community), organisationCollectionId(orgA)]);
    expect(mine[0]).toEqual({
      id: EVERYTHING_COLLECTION_ID,
      title: 'Everything I may see',
      description: expect.any(String),
      can_read: true,
      can_write: false,
      media_types: ['application/stix+json;version=2.1'],
    });
    expect(mine[1]).toMatchObject({ can_read: true, can_write: true });
    expect(mine[2]).toMatchObject({ can_read: true, can_write: true });
    // The same community, the same id, for another member; a read token may not write.
    const theirs = (await member.get(`${root}/collections/`)).json().collections;
    expect(theirs.map((c: { id: string }) => c.id)).toEqual([EVERYTHING_COLLECTION_ID, communityCollectionId(community), organisationCollectionId(orgB)]);
    expect((await reader.get(`${root}/collections/`)).json().collections.map((c: { can_write: boolean }) => c.can_write)).toEqual([false, false, false]);
    const outside = (await outsider.get(`${root}/collections/`)).json().collections;
    expect(outside.map((c: { id: string }) => c.id)).toEqual([EVERYTHING_COLLECTION_ID, organisationCollectionId(orgC)]);
    for (const url of [coll(communityCollectionId(community)) + '/', coll(communityCollectionId(community)) + '/objects/', coll(organisationCollectionId(orgA)) + '/manifest/', coll(uuid()) + '/'])
      expectTaxiiError(await outsider.get(url), 404);
    expect((await member.get(coll(communityCollectionId(community)) + '/')).json().title).toMatch(/^Community /);
  });
});

describe('adding objects and reading them back', () => {
  it('a bundle posted to a community collection: 202 with a status, and only members can pull it', async () => {
    const c = communityCollectionId(community);
    const bare = indicator();
    const strict = indicator({ object_marking_refs: [TLP2_IDS['AMBER+STRICT']] });
    const broken = indicator({ pattern: "[ipv4-addr:value = '1.2.3.4'" });
    const res = await author.post(`${coll(c)}/objects/`, { objects: [bare, strict, broken] });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers['content-type']).toBe(TAXII);
    const status = res.json();
    expect(status).toMatchObject({ status: 'complete', total_count: 3, success_count: 2, failure_count: 1, pending_count: 0 });
    expect(status.successes.map((s: { id: string }) => s.id)).toEqual([bare.id, strict.id]);
    expect(status.successes[0].version).toBe(bare.modified);
    expect(status.failures[0]).toMatchObject({ id: broken.id, version: broken.modified, message: expect.stringContaining('pattern') });
    expect(typeof status.request_timestamp).toBe('string');
    const again = await author.get(`${root}/status/${status.id}/`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(status);
    expectTaxiiError(await member.get(`${root}/status/${status.id}/`), 404);
    expectTaxiiError(await author.get(`${root}/status/not-a-status/`), 404);

    // Another member of the community pulls it (HTTP Basic with e-mail and token).
    const pulled = await member.get(`${coll(c)}/objects/?match[id]=${bare.id},${strict.id}`);
    expect(pulled.statusCode).toBe(200);
    expect(pulled.json().objects).toEqual([bare]);
    const everything = await member.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/?match[id]=${bare.id}`);
    expect(everything.json().objects).toEqual([bare]);
    expect((await member.get(`${coll(c)}/objects/${bare.id}/`)).json().objects).toEqual([bare]);
    // AMBER+STRICT stays with the author's organisation (Bearer token this time).
    expect((await colleague.get(`${coll(c)}/objects/${strict.id}/`)).json().objects).toEqual([strict]);
    expectTaxiiError(await member.get(`${coll(c)}/objects/${strict.id}/`), 404);

    // Someone outside the community gets neither the collection nor the object.
    expectTaxiiError(await outsider.get(`${coll(c)}/objects/`), 404);
    const nothing = await outsider.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/?match[id]=${bare.id},${strict.id}`);
    expect(nothing.statusCode).toBe(200);
    expect(nothing.json()).toEqual({ more: false });
    expect(nothing.headers['x-taxii-date-added-first']).toBeUndefined();
    expectTaxiiError(await outsider.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${bare.id}/`), 404);
    expectTaxiiError(await outsider.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${bare.id}/versions/`), 404);
    expect((await outsider.get(`${coll(EVERYTHING_COLLECTION_ID)}/manifest/?match[id]=${bare.id}`)).json()).toEqual({ more: false });
    // Nor can they write into it.
    expectTaxiiError(await outsider.post(`${coll(c)}/objects/`, { objects: [indicator()] }), 404);
  });

  it('unmarked objects in the organisation collection stay within the organisation', async () => {
    const o = indicator();
    const res = await author.post(`${coll(organisationCollectionId(orgA))}/objects/`, { objects: [o] });
    expect(res.statusCode).toBe(202);
    expect(res.json().successes[0].message).toContain('AMBER+STRICT');
    expect((await colleague.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${o.id}/`)).json().objects).toEqual([o]);
    expectTaxiiError(await member.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${o.id}/`), 404);
    // A repeat is a success (already stored), and changes nothing.
    const again = await author.post(`${coll(organisationCollectionId(orgA))}/objects/`, { objects: [o] });
    expect(again.json()).toMatchObject({ success_count: 1, failure_count: 0 });
    expect(again.json().successes[0].message).toContain('already stored');
    expect((await colleague.get(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${o.id}/versions/`)).json().versions).toEqual([o.modified]);
  });

  it('resumes from X-TAXII-Date-Added-Last: nothing old again, everything new', async () => {
    const c = coll(organisationCollectionId(orgB));
    const first = Array.from({ length: 5 }, () => indicator());
    expect((await member.post(`${c}/objects/`, { objects: first })).statusCode).toBe(202);
    const { items, pages } = await allPages(member, `${c}/objects/?limit=3`);
    expect((items as { id: string }[]).map((o) => o.id)).toEqual(expect.arrayContaining(first.map((o) => o.id)));
    const last = pages[pages.length - 1]!.headers['x-taxii-date-added-last'] as string;
    expect(last).toMatch(MICROS);
    expect(pages[0]!.headers['x-taxii-date-added-first']).toMatch(MICROS);
    const second = Array.from({ length: 4 }, () => indicator());
    expect((await member.post(`${c}/objects/`, { objects: second })).statusCode).toBe(202);
    const resumed = await allPages(member, `${c}/objects/?added_after=${encodeURIComponent(last)}&limit=3`);
    expect((resumed.items as { id: string }[]).map((o) => o.id)).toEqual(second.map((o) => o.id));
    const manifest = await allPages(member, `${c}/manifest/?added_after=${encodeURIComponent(last)}`);
    for (const m of manifest.items as { date_added: string }[]) {
      expect(m.date_added).toMatch(MICROS);
      expect(m.date_added > last).toBe(true);
    }
    const after = resumed.pages[resumed.pages.length - 1]!.headers['x-taxii-date-added-last'] as string;
    expect((await member.get(`${c}/objects/?added_after=${encodeURIComponent(after)}`)).json()).toEqual({ more: false });
  });
});

describe('filters, paging, manifest and versions', () => {
  const m1 = '2026-01-01T00:00:00.000Z';
  const m2 = '2026-02-01T00:00:00.000Z';
  const m3 = '2026-03-01T00:00:00.000Z';
  const v1 = indicator({ modified: m1, name: 'v1' });
  const v2 = { ...v1, modified: m2, name: 'v2' };
  const v3 = { ...v1, modified: m3, name: 'v3' };
  const malware = { type: 'malware', spec_version: '2.1', id: `malware--${uuid()}`, created: m1, modified: m1, name: 'Industroyer-like', is_family: true };
  const ip = { type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid()}`, value: '203.0.113.77' };
  let c: string;
  beforeAll(async () => {
    c = coll(organisationCollectionId(orgA));
    const res = await author.post(`${c}/objects/`, { objects: [v2, v1, malware, v3, ip] });
    expect(res.json().success_count).toBe(5);
  });
  const names = (res: LightMyRequestResponse) => ((res.json().objects ?? []) as { name?: string }[]).map((o) => o.name);
  const q = (s: string) => `${c}/objects/?match[id]=${v1.id}&${s}`;

  it('match[version]: last by default, first, all, several, and timestamps in any precision', async () => {
    expect(names(await colleague.get(`${c}/objects/?match[id]=${v1.id}`))).toEqual(['v3']);
    expect(names(await colleague.get(q('match[version]=last')))).toEqual(['v3']);
    expect(names(await colleague.get(q('match[version]=first')))).toEqual(['v1']);
    expect(names(await colleague.get(q('match[version]=all')))).toEqual(['v2', 'v1', 'v3']);
    expect(names(await colleague.get(q('match[version]=first,last')))).toEqual(['v1', 'v3']);
    expect(names(await colleague.get(q(`match[version]=${m2}`)))).toEqual(['v2']);
    expect(names(await colleague.get(q(`match[version]=2026-02-01T00:00:00Z,2026-03-01T00:00:00.000000Z`)))).toEqual(['v2', 'v3']);
    expect(names(await colleague.get(q(`match[version]=2020-01-01T00:00:00Z`)))).toEqual([]);
    expect(names(await colleague.get(`${c}/objects/${v1.id}/?match[version]=first`))).toEqual(['v1']);
    expect(names(await colleague.get(`${c}/objects/${v1.id}/?match[version]=all&limit=2`))).toEqual(['v2', 'v1']);
    expectTaxiiError(await colleague.get(q('match[version]=yesterday')), 400);
  });

  it('match[id], match[type] and match[spec_version]', async () => {
    const ids = `${v1.id},${malware.id},${ip.id}`;
    const types = (res: LightMyRequestResponse) => ((res.json().objects ?? []) as { type: string }[]).map((o) => o.type).sort();
    expect(types(await colleague.get(`${c}/objects/?match[id]=${ids}`))).toEqual(['indicator', 'ipv4-addr', 'malware']);
    expect(types(await colleague.get(`${c}/objects/?match[id]=${ids}&match[type]=malware,ipv4-addr`))).toEqual(['ipv4-addr', 'malware']);
    expect(types(await colleague.get(`${c}/objects/?match[id]=${ids}&match[type]=malware&match[type]=indicator`))).toEqual(['indicator', 'malware']);
    expect(types(await colleague.get(`${c}/objects/?match[id]=${ids}&match[spec_version]=2.1`))).toEqual(['indicator', 'ipv4-addr', 'malware']);
    expect((await colleague.get(`${c}/objects/?match[id]=${ids}&match[spec_version]=2.0`)).json()).toEqual({ more: false });
    expectTaxiiError(await colleague.get(`${c}/objects/?match[id]=not-an-id`), 400);
    expectTaxiiError(await colleague.get(`${c}/objects/${v1.id}/versions/?match[type]=indicator`), 400);
  });

  it('versions and manifest agree with the objects; observables are versioned by date_added', async () => {
    const versions = await colleague.get(`${c}/objects/${v1.id}/versions/`);
    expect(versions.statusCode).toBe(200);
    expect(versions.json()).toEqual({ more: false, versions: [m2, m1, m3] });
    expect(versions.headers['x-taxii-date-added-first']).toMatch(MICROS);
    const manifest = (await colleague.get(`${c}/manifest/?match[id]=${v1.id},${ip.id}&match[version]=all`)).json();
    const objects = (await colleague.get(`${c}/objects/?match[id]=${v1.id},${ip.id}&match[version]=all`)).json().objects;
    expect(manifest.objects.map((m: { id: string }) => m.id)).toEqual(objects.map((o: { id: string }) => o.id));
    for (const [i, m] of manifest.objects.entries()) {
      expect(m.media_type).toBe('application/stix+json;version=2.1');
      expect(m.date_added).toMatch(MICROS);
      if (m.id === ip.id) expect(m.version).toBe(m.date_added);
      else expect(m.version).toBe(objects[i].modified);
    }
    const ipVersions = (await colleague.get(`${c}/objects/${ip.id}/versions/`)).json().versions;
    expect(ipVersions).toEqual([manifest.objects.find((m: { id: string }) => m.id === ip.id).version]);
    expect(names(await colleague.get(`${c}/objects/?match[id]=${ip.id}&match[version]=${ipVersions[0]}`))).toHaveLength(1);
  });

  it('limit and next visit every object exactly once, and the manifest walks the same way', async () => {
    const more = Array.from({ length: 23 }, () => indicator());
    expect((await author.post(`${c}/objects/`, { objects: more })).json().success_count).toBe(23);
    const walked = await allPages(colleague, `${c}/objects/?match[version]=all&limit=7`);
    const keys = (walked.items as { id: string; modified?: string }[]).map((o) => `${o.id}|${o.modified ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    const allAtOnce = await allPages(colleague, `${c}/objects/?match[version]=all&limit=1000`);
    expect(allAtOnce.items).toEqual(walked.items);
    // limit above the server maximum is cut to it.
    expect((allAtOnce.pages[0]!.json().objects as unknown[]).length).toBeLessThanOrEqual(MAX_PAGE);
    for (const o of [...more, v1, v2, v3, malware, ip]) expect(keys).toContain(`${o.id}|${(o as { modified?: string }).modified ?? ''}`);
    const manifest = await allPages(colleague, `${c}/manifest/?match[version]=all&limit=9`);
    expect((manifest.items as { id: string }[]).map((m) => m.id)).toEqual((walked.items as { id: string }[]).map((o) => o.id));
    // date_added grows along the walk, and each page's headers bound its records.
    const added = (manifest.items as { date_added: string }[]).map((m) => m.date_added);
    expect([...added].sort()).toEqual(added);
    for (const page of manifest.pages) {
      const recs = page.json().objects as { date_added: string }[];
      expect(page.headers['x-taxii-date-added-first']).toBe(recs[0]!.date_added);
      expect(page.headers['x-taxii-date-added-last']).toBe(recs[recs.length - 1]!.date_added);
    }
  });
});

describe('deleting', () => {
  it('only the owner deletes: other members get 403, outsiders 404, read-only collections 403', async () => {
    const c = communityCollectionId(community);
    const o = indicator();
    const o2 = { ...o, modified: '2026-04-01T00:00:00.000Z' };
    expect((await author.post(`${coll(c)}/objects/`, { objects: [o, o2] })).statusCode).toBe(202);
    expectTaxiiError(await member.del(`${coll(c)}/objects/${o.id}/`), 403);
    expectTaxiiError(await outsider.del(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${o.id}/`), 403);
    expectTaxiiError(await outsider.del(`${coll(organisationCollectionId(orgC))}/objects/${o.id}/`), 404);
    expectTaxiiError(await author.del(`${coll(EVERYTHING_COLLECTION_ID)}/objects/${o.id}/`), 403);
    // A colleague who did not submit it and is no organisation admin may not either (the REST rule).
    expectTaxiiError(await colleague.del(`${coll(c)}/objects/${o.id}/`), 403);
    expectTaxiiError(await reader.del(`${coll(c)}/objects/${o.id}/`), 403);
    // One version, then the rest.
    const one = await author.del(`${coll(c)}/objects/${o.id}/?match[version]=first`);
    expect(one.statusCode, one.body).toBe(200);
    expect((await member.get(`${coll(c)}/objects/${o.id}/versions/`)).json().versions).toEqual([o2.modified]);
    expect((await author.del(`${coll(c)}/objects/${o.id}/`)).statusCode).toBe(200);
    expectTaxiiError(await member.get(`${coll(c)}/objects/${o.id}/`), 404);
    expectTaxiiError(await author.del(`${coll(c)}/objects/${o.id}/`), 404);
  });
});

describe('content negotiation and errors', () => {
  it('406 for an Accept without the TAXII 2.1 media type; the versionless type is the latest', async () => {
    for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'application/vnd.oasis.taxii+json; version=2.0', 'text/html'])
      expectTaxiiError(await member.get(`${root}/`, { accept }), 406);
    for (const accept of ['application/taxii+json', 'application/taxii+json; version=2.1', 'application/json, application/taxii+json;version=2.1', '*/*'])
      expect((await member.get(`${root}/`, { accept })).statusCode, accept).toBe(200);
  });

  it('415 for a body that is not application/taxii+json;version=2.1', async () => {
    const url = `${coll(organisationCollectionId(orgB))}/objects/`;
    for (const ct of ['application/json', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0', 'text/plain'])
      expectTaxiiError(await member.post(url, { objects: [indicator()] }, { 'content-type': ct }), 415);
    expect((await member.post(url, { objects: [indicator()] }, { 'content-type': 'application/taxii+json' })).statusCode).toBe(202);
  });

  it('401 with a Basic challenge, 403, 400, 404 and 413 as TAXII error messages', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/taxii2/', headers: { accept: TAXII } });
    expectTaxiiError(anon, 401);
    expect(anon.headers['www-authenticate']).toBe('Basic realm="Puente TAXII"');
    const wrongUser = await t.app.inject({ method: 'GET', url: '/taxii2/', headers: { accept: TAXII, authorization: basic('someone@example.test', member.token) } });
    expectTaxiiError(wrongUser, 401);
    expectTaxiiError(await t.app.inject({ method: 'GET', url: `${root}/collections/`, headers: { authorization: 'Bearer pnt_nope' } }), 401);
    expectTaxiiError(await reader.post(`${coll(organisationCollectionId(orgA))}/objects/`, { objects: [] }), 403);
    expectTaxiiError(await author.post(`${coll(EVERYTHING_COLLECTION_ID)}/objects/`, { objects: [indicator()] }), 403);
    const c = `${coll(organisationCollectionId(orgA))}/objects/`;
    expectTaxiiError(await author.post(c, '{"objects": [', {}), 400);
    expectTaxiiError(await author.post(c, { type: 'not an envelope' }), 400);
    expectTaxiiError(await author.get(`${c}?limit=0`), 400);
    expectTaxiiError(await author.get(`${c}?added_after=last-week`), 400);
    expectTaxiiError(await author.get(`${c}?next=bogus`), 400);
    expectTaxiiError(await author.get('/taxii2/elsewhere/'), 404);
    expectTaxiiError(await author.get(`${root}/collections/${EVERYTHING_COLLECTION_ID}/nothing/`), 404);
    const big = JSON.stringify({ objects: [indicator({ description: 'x'.repeat(MAX_BYTES) })] });
    const e = expectTaxiiError(await author.post(c, big), 413);
    expect(e.details.max_content_length).toBe(MAX_BYTES);
  });
});

describe('round trip', () => {
  it('the ATT&CK for ICS bundle and the OASIS examples come back unchanged', async () => {
    const c = communityCollectionId(community);
    const bundles = fixtureJsonFiles('stix2-examples').map((f) => JSON.parse(fs.readFileSync(f, 'utf8'))).filter((b) => b.type === 'bundle');
    expect(bundles.length).toBeGreaterThanOrEqual(6);
    bundles.push(JSON.parse(fs.readFileSync(ATTACK_ICS_FILE, 'utf8')));
    const sent = new Map<string, unknown>();
    for (const b of bundles) {
      const res = await author.post(`${coll(c)}/objects/`, { objects: b.objects });
      expect(res.statusCode).toBe(202);
      expect(res.json().failure_count, JSON.stringify(res.json().failures ?? []).slice(0, 1000)).toBe(0);
      for (const o of b.objects) sent.set(`${o.id}|${o.modified ?? o.created ?? ''}`, o);
    }
    // Every version as a member of the community pulls it, page by page...
    const { items } = await allPages(member, `${coll(c)}/objects/?match[version]=all`);
    const got = new Map((items as { id: string; modified?: string; created?: string }[]).map((o) => [`${o.id}|${o.modified ?? o.created ?? ''}`, o]));
    for (const [k, o] of sent) expect(got.get(k), k).toEqual(o);
    // ...and one by one, for the OASIS examples.
    for (const b of bundles.slice(0, -1))
      for (const o of b.objects) {
        const res = await member.get(`${coll(c)}/objects/${o.id}/?match[version]=${encodeURIComponent(o.modified ?? o.created ?? 'all')}`);
        expect(res.statusCode).toBe(200);
        expect(res.json().objects).toContainEqual(o);
      }
  });
});

describe('two-step sign-in required by the organisation', () => {
  it('refuses the token of a person who has not set it up yet, as a TAXII error', async () => {
    const strict = await makeOrganisation(t.db, { country: 'UY' });
    const p = await makePerson(t.db, strict);
    const client = await account(p.email, 'read');
    expect((await client.get('/taxii2/')).statusCode).toBe(200);
    await t.db.updateTable('organisations').set({ mfa_required: true }).where('id', '=', strict).execute();
    for (const url of ['/taxii2/', `${root}/collections/`, `${coll(EVERYTHING_COLLECTION_ID)}/objects/`]) {
      const e = expectTaxiiError(await client.get(url), 403);
      expect(e.error_code, url).toBe('MFA_ENROLMENT_REQUIRED');
    }
  });
});
