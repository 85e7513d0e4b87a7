/**
 * The outside review's crawl and fuzz, repeated in the suite (issue 9).
 *
 * Crawl: a world where one organisation shares content at AMBER, AMBER+STRICT and RED
 * — notes, topics with a reply, a mention and an attachment, a contact entry reached by
 * a communication check, STIX objects (an indicator, a report, a marking definition, a
 * sighting) — every piece carrying the word "zebracanary". Then every GET operation of
 * the OpenAPI document, with every path parameter taken from every record of the world
 * (and every TAXII collection), and with a search for the word where the operation has
 * one, is read by people who are no audience of any of it: the public, a member and an
 * admin of another organisation, and the secretariat. No answer may contain the word.
 * The same crawl as an insider finds it (so the crawl reaches the content), and the
 * outsiders do find the GREEN note beside it.
 *
 * Fuzz: every operation of the document, as a signed-in member, with malformed path
 * parameters, query values and bodies: never a 5xx, and every refusal in the error
 * envelope (TAXII's own error format under /taxii2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createSession } from './auth/sessions.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type TestApp } from '../test/harness.js';
import { communityCollectionId, EVERYTHING_COLLECTION_ID, organisationCollectionId } from '../features/intel/taxii/service.js';
import { TLP2_IDS } from '../features/intel/stix/tlp.js';
import { makeContact } from '../features/contacts/contacts.test-helpers.js';

const SECRET = 'zebracanary';
/** A word every restricted text also holds, searched for: answers may echo the search, never the marker. */
const WORD = 'quokka';
const PUBLIC = 'zebrapublic';
const TAXII = 'application/taxii+json;version=2.1';

let t: TestApp;
let doc: { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
/** Values for each path parameter name (and the TAXII collections). */
const ids = { any: [] as string[], collections: [] as string[], files: [] as string[] };
interface Identity {
  name: string;
  headers: Record<string, string>;
}
let outsiders: Identity[] = [];
let insider: Identity;
/** An organisation admin of B: the widest writer who is no audience of A's content. */
let fuzzer = '';

beforeAll(async () => {
  t = await createTestApp();
  const orgA = await makeOrganisation(t.db, { country: 'CL' });
  const orgB = await makeOrganisation(t.db, { country: 'ES' });
  const orgS = await makeOrganisation(t.db, { country: 'BE' });
  const a1p = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const a2p = await makePerson(t.db, orgA);
  const b1p = await makePerson(t.db, orgB);
  const b2p = await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] });
  const sp = await makePerson(t.db, orgS, { roles: ['member', 'secretariat'] });
  const k = await makeCommunity(t.db, { organisations: [orgA], people: [{ id: a1p.id, isAdmin: true }] });
  const shared = await makeCommunity(t.db, { organisations: [orgA, orgB] });
  const a1 = await login(t.app, a1p.email);
  const a2 = await login(t.app, a2p.email);
  const ok = (r: LightMyRequestResponse, what: string) => {
    expect(r.statusCode, `${what}: ${r.body}`).toBeLessThan(300);
    return r.json();
  };

  // Notes at every restricted level, and one GREEN note for the sanity check.
  const notes = [
    ok(await a1.post('/api/v1/notes', { title: `${SECRET} red note`, body: `${SECRET} ${WORD} body`, language: 'en', tlp: 'RED', pap: 'RED', audience: { people: [a2p.id] } }), 'red note'),
    ok(await a1.post('/api/v1/notes', { title: `${SECRET} strict note`, body: `${SECRET} ${WORD} body`, language: 'en', tlp: 'AMBER+STRICT', pap: 'AMBER' }), 'strict note'),
    ok(await a1.post('/api/v1/notes', { title: `${SECRET} amber note`, body: `${SECRET} ${WORD} body`, language: 'en', tlp: 'AMBER', pap: 'AMBER', audience: { communities: [k] } }), 'amber note'),
    ok(await a1.post('/api/v1/notes', { title: `${PUBLIC} green note`, body: 'for every member', language: 'en', tlp: 'GREEN', pap: 'GREEN' }), 'green note'),
  ];
  // Topics in a community of organisation A only, and an AMBER+STRICT one in a community with B.
  await a2.put(`/api/v1/communities/${k}/subscription`, { mode: 'immediate' });
  const topics = [
    ok(await a1.post(`/api/v1/communities/${k}/topics`, { title: `${SECRET} amber topic`, body: `${SECRET} ${WORD} text`, tlp: 'AMBER', mentions: [a2p.id] }), 'amber topic'),
    ok(await a1.post(`/api/v1/communities/${k}/topics`, { title: `${SECRET} red topic`, body: `${SECRET} ${WORD} text`, tlp: 'RED', audience: { people: [a2p.id] }, mentions: [a2p.id] }), 'red topic'),
    ok(await a1.post(`/api/v1/communities/${shared}/topics`, { title: `${SECRET} strict topic`, body: `${SECRET} ${WORD} text`, tlp: 'AMBER+STRICT', audience: { organisations: [] } }), 'strict topic'),
  ];
  const reply = ok(await a2.post(`/api/v1/topics/${topics[0].id}/replies`, { body: `${SECRET} reply` }), 'reply');
  const up = await t.app.inject({
    method: 'POST',
    url: `/api/v1/topics/${topics[0].id}/attachments?name=${SECRET}-report.txt`,
    headers: { cookie: a1.cookie, 'x-csrf-token': a1.csrf, 'content-type': 'text/plain' },
    payload: Buffer.from(`${SECRET} attachment`),
  });
  const attachment = ok(up, 'attachment');
  // A contact entry shared with the community only, its phone RED; a check by the community's admin reaches it.
  // (A check's own title and message are no marked content: the secretariat oversees every check.)
  const contactId = await makeContact(t.db, {
    organisation: orgA,
    country: 'CL',
    name: `${SECRET} ${WORD} Contact`,
    position: `${SECRET} position`,
    email: `${SECRET}@example.test`,
    phone: '+56 2 2222 0000',
    tlp: 'AMBER',
    author: a1p.id,
    audience: { communities: [k] },
    fieldMarkings: { phone: { tlp: 'RED', audience: { organisations: [], communities: [], people: [a2p.id] } } },
  });
  const check = ok(await a1.post('/api/v1/communication-checks', { title: 'Community check', message: 'Please acknowledge.', deadline: new Date(Date.now() + 86_400_000).toISOString(), filters: { communityId: k } }), 'check');
  // STIX: a RED bundle (indicator, marking definition), an AMBER+STRICT report, a GREEN indicator with an AMBER sighting.
  const ind = (name: string, marking?: string) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${crypto.randomUUID()}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    name,
    pattern: `[domain-name:value = '${name.replace(/\W/g, '')}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...(marking && { object_marking_refs: [marking] }),
  });
  const redInd = ind(`${SECRET} ${WORD} red indicator`, TLP2_IDS.RED);
  const def = { type: 'marking-definition', spec_version: '2.1', id: `marking-definition--${crypto.randomUUID()}`, created: '2026-01-01T00:00:00.000Z', name: `${SECRET} handling`, definition_type: 'statement', definition: { statement: `${SECRET} statement` }, object_marking_refs: [TLP2_IDS.RED] };
  const red = ok(await a1.post('/api/v1/intel/bundles', { bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [redInd, def] }, tlp: 'RED' }), 'red bundle');
  const report = { type: 'report', spec_version: '2.1', id: `report--${crypto.randomUUID()}`, created: '2026-01-02T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z', name: `${SECRET} report`, published: '2026-01-02T00:00:00Z', object_refs: [redInd.id], object_marking_refs: [TLP2_IDS['AMBER+STRICT']] };
  const strict = ok(await a1.post('/api/v1/intel/bundles', { bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [report] } }), 'report');
  const greenInd = ind(`${PUBLIC} indicator`, TLP2_IDS.GREEN);
  ok(await a1.post('/api/v1/intel/bundles', { bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [greenInd] } }), 'green bundle');
  const amberInd = ind(`${SECRET} amber indicator`, TLP2_IDS.AMBER);
  ok(await a1.post('/api/v1/intel/bundles', { bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [amberInd] }, audience: { communities: [k] } }), 'amber bundle');
  const sighting = ok(
    await a2.post('/api/v1/intel/sightings', { sightingOf: amberInd.id, count: 3, firstSeen: '2026-03-01T00:00:00Z', lastSeen: '2026-03-02T00:00:00Z', country: 'CL', tlp: 'AMBER', audience: { communities: [k] } }),
    'sighting',
  );

  ids.any = [
    ...notes.map((n) => n.id),
    ...topics.map((x) => x.id),
    reply.id,
    attachment.id,
    contactId,
    check.id,
    redInd.id,
    def.id,
    report.id,
    amberInd.id,
    greenInd.id,
    sighting.stixId,
    red.submissionId,
    strict.submissionId,
    k,
    shared,
    orgA,
    a1p.id,
    a2p.id,
  ];
  ids.collections = [EVERYTHING_COLLECTION_ID, communityCollectionId(k), communityCollectionId(shared), organisationCollectionId(orgA), organisationCollectionId(orgB)];
  ids.files = [`${report.id.slice('report--'.length)}.json`];

  const identity = async (name: string, personId: string | null): Promise<Identity> => {
    if (!personId) return { name, headers: {} };
    const s = await createSession(t.db, personId, t.deps.config.session, {});
    const c = await login(t.app, (await t.db.selectFrom('people').select('email').where('id', '=', personId).executeTakeFirstOrThrow()).email);
    const token = (await c.post('/api/v1/tokens', { name: 'crawl', scope: 'read', expiresInDays: 1 })).json().token as string;
    void s;
    return { name, headers: { authorization: `Bearer ${token}` } };
  };
  outsiders = [await identity('public', null), await identity('member of B', b1p.id), await identity('admin of B', b2p.id), await identity('secretariat', sp.id)];
  insider = await identity('author', a1p.id);
  fuzzer = b2p.id;
  doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
}, 120_000);
afterAll(async () => t?.close());

/** Every URL a GET operation can be asked with, its path parameters filled from the world. */
function urlsOf(path: string, op: { parameters?: { in: string; name: string }[] }): string[] {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  let urls = [path];
  for (const n of names) {
    const values = n === 'collection' ? ids.collections : n === 'file' ? ids.files : n === 'code' ? ['CL'] : n === 'token' ? ['not-a-token'] : n === 'status' ? ids.any : ids.any;
    urls = urls.flatMap((u) => values.map((v) => u.replace(`{${n}}`, encodeURIComponent(v))));
  }
  const query = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
  const variants = [
    '',
    ...(query.has('q') ? [`q=${WORD}`] : []),
    ...(query.has('format') ? ['format=stix', 'format=csv', 'format=misp', 'format=vcard', 'format=json'] : []),
    ...(query.has('limit') ? ['limit=500'] : []),
  ];
  return urls.flatMap((u) => variants.map((v) => (v ? `${u}?${v}` : u)));
}

async function crawl(who: Identity) {
  const found: string[] = [];
  let requests = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.get;
    if (!op || path === '/api/v1/stream') continue;
    for (const url of urlsOf(path, op)) {
      const res = await t.app.inject({ method: 'GET', url, headers: { ...who.headers, ...(url.startsWith('/taxii2') && { accept: TAXII }) } });
      requests++;
      const body = res.rawPayload.toString('latin1');
      if (body.includes(SECRET)) found.push(`${url} (${res.statusCode})`);
      if (body.includes(PUBLIC)) found.push(`public: ${url}`);
    }
  }
  return { found, requests };
}

describe('crawl: every GET operation, every record of the world', () => {
  it('gives those who are no audience nothing of the restricted content, by any path', async () => {
    for (const who of outsiders) {
      const { found, requests } = await crawl(who);
      expect(requests).toBeGreaterThan(500);
      expect({ who: who.name, leaks: found.filter((f) => !f.startsWith('public:')) }).toEqual({ who: who.name, leaks: [] });
      // Not vacuous: members do find the GREEN content beside it.
      if (who.name !== 'public') expect(found.some((f) => f.startsWith('public:'))).toBe(true);
    }
  }, 600_000);

  it('finds the restricted content as its author (the crawl reaches it)', async () => {
    const { found } = await crawl(insider);
    const where = found.filter((f) => !f.startsWith('public:'));
    for (const route of ['/api/v1/notes', '/api/v1/topics/', '/api/v1/contacts', '/api/v1/intel/objects', '/taxii2/api/collections/', '/api/v1/intel/export']) expect({ route, found: where.some((f) => f.startsWith(route)) }).toEqual({ route, found: true });
  }, 600_000);
});

describe('fuzz: every operation, malformed input', () => {
  it('never answers 5xx, and refuses in the error envelope', async () => {
    const member = fuzzer;
    const badParams = ['x', '%FF', 'a'.repeat(300), '99999999999999999999', '-1', '00000000-0000-0000-0000-000000000000', '..%2F..%2Fetc%2Fpasswd'];
    const badQuery = ['', 'x', '1e309', '-1', '99999999999999999999', 'a'.repeat(5000), '%00'];
    const badBodies: (string | undefined)[] = [undefined, '{', '[]', 'null', '{"unexpected":1}', `${'['.repeat(200)}${']'.repeat(200)}`, JSON.stringify({ title: 'x'.repeat(300_000) })];
    const problems: string[] = [];
    let requests = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (path === '/api/v1/stream') continue;
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
        const queries = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const urls = [
          ...badParams.map((v) => names.reduce((u, n) => u.replace(`{${n}}`, v), path)),
          ...queries.flatMap((q) => badQuery.map((v) => `${names.reduce((u, n) => u.replace(`{${n}}`, ids.any[0]!), path)}?${q}=${encodeURIComponent(v)}`)),
        ];
        const bodies = ['post', 'put', 'patch'].includes(method) ? badBodies : [undefined];
        for (const url of names.length || queries.length ? urls : [path]) {
          for (const body of bodies) {
            // A fresh session each time: some operations end the one they are sent with.
            const s = await createSession(t.db, member, t.deps.config.session, {});
            const res = await t.app.inject({
              method: method.toUpperCase() as 'GET',
              url,
              headers: { cookie: `puente_session=${s.id}`, 'x-csrf-token': s.csrfToken, ...(body !== undefined && { 'content-type': url.startsWith('/taxii2') ? TAXII : 'application/json' }), ...(url.startsWith('/taxii2') && { accept: TAXII }) },
              ...(body !== undefined && { payload: body }),
            });
            requests++;
            const where = `${method.toUpperCase()} ${url.slice(0, 120)} body=${body?.slice(0, 30)}`;
            if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            else if (res.statusCode >= 400) {
              let parsed: Record<string, unknown> | null = null;
              try {
                parsed = res.json();
              } catch {
                /* not JSON */
              }
              const envelope = url.startsWith('/taxii2') ? typeof parsed?.title === 'string' : typeof (parsed?.error as { code?: unknown } | undefined)?.code === 'string';
              if (!envelope) problems.push(`${where}: ${res.statusCode} not in the error format: ${res.body.slice(0, 120)}`);
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(1000);
    expect(problems).toEqual([]);
  }, 900_000);
});
