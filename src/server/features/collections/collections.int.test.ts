import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, login, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';

let t: TestApp;
let author: Client;
let colleague: Client;
let admin: Client;
let outsider: Client;
let orgA: string;
beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'CL' });
  const orgB = await makeOrganisation(t.db, { country: 'ES' });
  [author, colleague, admin, outsider] = await Promise.all(
    [await makePerson(t.db, orgA), await makePerson(t.db, orgA), await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] }), await makePerson(t.db, orgB)].map((x) => login(t.app, x.email)),
  );
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
type List = { id: string; itemCount: number; items: { id: string }[]; can: { edit: boolean } };

/** A library item of orgA, published or not, marked so. */
async function item(tlp: string, status = 'published', audience: string[] = []) {
  const id = newId();
  const [p] = await t.db.selectFrom('people').select('id').where('organisation_id', '=', orgA).limit(1).execute();
  await t.db
    .insertInto('knowledge_items')
    .values({ id, slug: `rl-${id.slice(-12)}`, type: 'guide', title: `Item ${tlp} ${status}`, language: 'en', translations: '{}', status, tlp, pap: 'GREEN', author_id: p!.id, author_org_id: orgA, audience_organisations: audience })
    .execute();
  return id;
}

describe('reading lists', () => {
  it('hold items their writer may see, show each reader only the items they may see, and are changed by their organisation only', async () => {
    const open = await item('CLEAR');
    const green = await item('GREEN');
    const amber = await item('AMBER');
    const draft = await item('CLEAR', 'draft');
    const res = await author.post('/api/v1/reading-lists', { title: 'Starting a CSIRT', language: 'en', tlp: 'CLEAR', items: [amber, open, green, draft] });
    expect(res.statusCode, res.body).toBe(201);
    const list = res.json() as List;
    expect(list.items.map((i) => i.id)).toEqual([amber, open, green, draft]);
    // The public: the CLEAR published item only, and a count of that only.
    const pub = (await anonymous(`/api/v1/reading-lists/${list.id}`)).json() as List;
    expect({ items: pub.items.map((i) => i.id), count: pub.itemCount }).toEqual({ items: [open], count: 1 });
    const out = (await outsider.get(`/api/v1/reading-lists/${list.id}`)).json() as List;
    expect(out.items.map((i) => i.id)).toEqual([open, green]);
    expect(JSON.stringify(out)).not.toContain(amber);
    // Only items the writer may see go on a list.
    expect((await outsider.post('/api/v1/reading-lists', { title: 'Mine', language: 'es', tlp: 'GREEN', items: [amber] })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { unknown: [amber] } } });
    // Its author and the organisation's admins change it; a colleague or an outsider does not.
    expect((await colleague.patch(`/api/v1/reading-lists/${list.id}`, { title: 'x' })).statusCode).toBe(403);
    expect((await outsider.patch(`/api/v1/reading-lists/${list.id}`, { title: 'x' })).statusCode).toBe(403);
    expect((await admin.patch(`/api/v1/reading-lists/${list.id}`, { items: [green, open] })).json()).toMatchObject({ items: [{ id: green }, { id: open }] });
    // Filtered by item: the lists holding it.
    expect(((await anonymous(`/api/v1/reading-lists?item=${open}`)).json() as { items: { id: string }[] }).items.map((l) => l.id)).toContain(list.id);
    // An AMBER list for the author's organisation: nobody else sees it.
    const hidden = (await author.post('/api/v1/reading-lists', { title: 'Internal', language: 'en', tlp: 'AMBER', audience: { organisations: [orgA] } })).json() as List;
    expect((await outsider.get(`/api/v1/reading-lists/${hidden.id}`)).statusCode).toBe(404);
    expect((await anonymous('/api/v1/reading-lists')).body).not.toContain(hidden.id);
    expect((await author.del(`/api/v1/reading-lists/${hidden.id}`)).statusCode).toBe(204);
    expect((await author.post('/api/v1/reading-lists', { title: '', language: 'en', tlp: 'CLEAR' })).statusCode).toBe(400);
    expect((await author.post('/api/v1/reading-lists', { title: 'x', language: 'not a tag', tlp: 'CLEAR' })).statusCode).toBe(400);
  });
});

describe('reading lists (property)', () => {
  it('every reader sees exactly the lists and, in them, exactly the items the oracle allows', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const arb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        items: fc.array(fc.record({ author: fc.nat(), mark: markArb, published: fc.boolean() }), { minLength: 1, maxLength: 5 }),
        lists: fc.array(fc.record({ author: fc.nat(), mark: markArb }), { minLength: 1, maxLength: 3 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return { society: fit.society, items: w.items.map((i) => ({ ...i, author: fit.person(i.author), mark: fit.mark(i.mark) })), lists: w.lists.map((l) => ({ author: fit.person(l.author), mark: fit.mark(l.mark) })) };
      });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(arb, async ({ society: w, items, lists }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `rl${run}`, passwordHash: hash });
        const cols = (m: Mark) => ({
          tlp: m.tlp,
          audience_organisations: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs.map((o) => ids.orgIds[o]!) : [],
          audience_communities: m.tlp === 'AMBER' ? m.comms.map((k) => ids.commIds[k]!) : [],
          audience_people: m.tlp === 'RED' ? m.people.map((x) => ids.personIds[x]!) : [],
        });
        const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });
        const made: { id: string; author: number; mark: Mark; published: boolean }[] = [];
        for (const [n, i] of items.entries()) {
          const id = newId();
          await t.db
            .insertInto('knowledge_items')
            .values({ id, slug: `rl${run}-${n}-${id.slice(-8)}`, type: 'guide', title: `rl${run}-${n}`, language: 'en', translations: '{}', status: i.published ? 'published' : 'draft', pap: 'GREEN', author_id: ids.personIds[i.author]!, author_org_id: ids.orgIds[w.people[i.author]!.org]!, ...cols(i.mark) })
            .execute();
          made.push({ id, author: i.author, mark: stored(i.mark), published: i.published });
        }
        const madeLists: { id: string; author: number; mark: Mark }[] = [];
        for (const l of lists) {
          const id = newId();
          await t.db
            .insertInto('reading_lists')
            .values({ id, title: `list-${run}`, language: 'en', items: made.map((m) => m.id), pap: 'GREEN', author_id: ids.personIds[l.author]!, author_org_id: ids.orgIds[w.people[l.author]!.org]!, ...cols(l.mark) })
            .execute();
          madeLists.push({ id, author: l.author, mark: stored(l.mark) });
        }
        // The item oracle: the TLP table, then the library's workflow (drafts: their organisation only).
        const seesItem = (v: number | null, m: (typeof made)[number]) => tlpOracle(w, v, m.author, m.mark) && (m.published || (v !== null && w.people[v]!.org === w.people[m.author]!.org));
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; json: () => unknown }>;
          if (v === null) get = anonymous;
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const allowedItems = made.filter((m) => seesItem(v, m)).map((m) => m.id);
          for (const l of madeLists) {
            const res = await get(`/api/v1/reading-lists/${l.id}`);
            const want = tlpOracle(w, v, l.author, l.mark);
            expect({ v, list: l.id, status: res.statusCode }).toEqual({ v, list: l.id, status: want ? 200 : 404 });
            if (!want) continue;
            const body = res.json() as List;
            expect({ v, items: body.items.map((i) => i.id), count: body.itemCount }).toEqual({ v, items: allowedItems, count: allowedItems.length });
            seen += allowedItems.length;
          }
        }
      }),
      { numRuns: 20 },
    );
    expect(seen).toBeGreaterThan(5);
  }, 300_000);
});
