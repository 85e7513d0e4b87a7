/**
 * Requests follow the access policy and their workflow for random markings, audiences, answers
 * and stages, for every person of a small fixed world and the public: single reads and their
 * timelines, lists, matches, "requests that fit you", the expressions of interest shown, the event
 * stream's replay and the mails all agree with the TLP table (the oracle of test/worlds.ts, not
 * the code's own canSee), plus the workflow: before it is open, a request is the requesting
 * organisation's and the secretariat's only.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { newId } from '../../platform/ids.js';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { tlpOracle, type Mark, type Society } from '../../test/worlds.js';

/**
 * Organisations: 0 the secretariat's, 1 the requester's (DO), 2 and 5 providers in the providers'
 * community (community 0), 3 a provider outside it, 4 an organisation that provides nothing.
 * People: 0 the secretariat, 1 the DO focal point (the requests' author), 2 a DO admin, 3 a DO
 * member, 4/5/6 the admins of 2/3/5, 7 a member of 2, 8 the admin of 4.
 */
const SOCIETY: Society = {
  orgs: [{ approved: true }, { approved: true }, { approved: true }, { approved: true }, { approved: true }, { approved: true }],
  people: [{ org: 0 }, { org: 1 }, { org: 1 }, { org: 1 }, { org: 2 }, { org: 3 }, { org: 5 }, { org: 2 }, { org: 4 }],
  communities: [{ orgs: [0, 2, 5], people: [] }],
};
const SECRETARIAT = 0;
const AUTHOR = 1;
/** The admin who answers for each provider organisation. */
const ADMIN_OF: Record<number, number> = { 2: 4, 3: 5, 5: 6 };
const PROVIDERS = [2, 3, 5];
const STAGES = ['submitted', 'triaged', 'open', 'matched', 'in-delivery'] as const;

let t: TestApp;
let orgs: string[] = [];
let people: { id: string; email: string; client: Client }[] = [];
let community: string;

beforeAll(async () => {
  t = await createTestApp();
  orgs = [
    await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation' }),
    await makeOrganisation(t.db, { country: 'DO', type: 'mfa' }),
    await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency' }),
    await makeOrganisation(t.db, { country: 'CL' }),
    await makeOrganisation(t.db, { country: 'ES' }),
    await makeOrganisation(t.db, { country: 'EE' }),
  ];
  const roles: ('member' | 'org_admin' | 'secretariat')[][] = [['member', 'secretariat'], ['member'], ['member', 'org_admin'], ['member'], ['member', 'org_admin'], ['member', 'org_admin'], ['member', 'org_admin'], ['member'], ['member', 'org_admin']];
  const made = [];
  for (const [i, p] of SOCIETY.people.entries()) made.push(await makePerson(t.db, orgs[p.org]!, { roles: roles[i] }));
  await t.db.insertInto('country_focal_points').values({ country_code: 'DO', person_id: made[AUTHOR]!.id, added_by: made[SECRETARIAT]!.id }).execute();
  community = newId();
  await t.db.insertInto('communities').values({ id: community, slug: 'capacity-building', name: 'Providers' }).execute();
  await t.db.insertInto('community_organisations').values(SOCIETY.communities[0]!.orgs.map((o) => ({ community_id: community, organisation_id: orgs[o]! }))).execute();
  people = await Promise.all(made.map(async (m) => ({ ...m, client: await login(t.app, m.email) })));
  // Every provider offers something the requests ask for: "requests that fit you" has a reason to list them.
  for (const o of PROVIDERS) {
    const c = people[ADMIN_OF[o]!]!.client;
    const res = await c.post('/api/v1/offers', { type: 'assistance-csirt-soc', language: 'en', title: `Offer of ${o}`, concepts: ['takeaways/7c'], languages: ['es'], format: 'online', tlp: 'GREEN' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await c.post(`/api/v1/offers/${res.json().id}/publish`)).statusCode).toBe(200);
  }
});
afterAll(async () => t?.close());

const worldArb = fc.record({
  tlp: fc.constantFrom('CLEAR', 'GREEN', 'AMBER', 'AMBER', 'AMBER+STRICT'),
  providers: fc.subarray(PROVIDERS),
  stage: fc.constantFrom(...STAGES),
  answers: fc.array(fc.record({ org: fc.constantFrom(...PROVIDERS), partners: fc.subarray(PROVIDERS) }), { maxLength: 3 }),
  narrow: fc.option(fc.subarray(PROVIDERS), { nil: undefined }),
});

let run = 0;

describe('requests under the access policy (property)', () => {
  it('reads, lists, matches, suggestions, answers, the stream and mails agree with the TLP table and the workflow', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (g) => {
        run++;
        const title = `Request run ${run} ${Math.random().toString(36).slice(2)}`;
        const startEvent = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        const providers = g.tlp === 'AMBER+STRICT' && !g.providers.length ? [3] : g.tlp === 'CLEAR' || g.tlp === 'GREEN' ? [] : g.providers;
        const author = people[AUTHOR]!.client;
        const res = await author.post('/api/v1/requests', {
          language: 'en',
          title,
          country: 'DO',
          concepts: ['takeaways/7c'],
          languages: ['es'],
          tlp: g.tlp,
          ...(providers.length ? { providers: providers.map((o) => orgs[o]!) } : {}),
        });
        expect(res.statusCode, res.body).toBe(201);
        const id = res.json().id as string;

        // The request's marking, worked out from the inputs alone.
        const amber = g.tlp === 'AMBER' || g.tlp === 'AMBER+STRICT';
        let mark: Mark = { tlp: g.tlp, orgs: amber ? [0, ...providers] : [], comms: g.tlp === 'AMBER' && !providers.length ? [0] : [], people: [] };
        const sees = (viewer: number | null, m: Mark, open: boolean) =>
          tlpOracle(SOCIETY, viewer, AUTHOR, m) && (open || (viewer !== null && (SOCIETY.people[viewer]!.org === SOCIETY.people[AUTHOR]!.org || viewer === SECRETARIAT)));

        const stage = STAGES.indexOf(g.stage);
        if (stage >= 1) expect((await people[SECRETARIAT]!.client.post(`/api/v1/requests/${id}/status`, { status: 'triaged' })).statusCode).toBe(200);
        if (stage >= 2) expect((await people[SECRETARIAT]!.client.post(`/api/v1/requests/${id}/status`, { status: 'open' })).statusCode).toBe(200);
        const open = stage >= 2;

        // Answers: an organisation that may see the open request answers once; others get 404 (or 409 when repeating).
        const answers: { org: number; partners: number[]; id?: string }[] = [];
        if (open)
          for (const a of g.answers) {
            const partners = a.partners.filter((x) => x !== a.org);
            const r = await people[ADMIN_OF[a.org]!]!.client.post(`/api/v1/requests/${id}/interests`, { message: `Answer of ${a.org} to ${title}`, partners: partners.map((o) => orgs[o]!) });
            const may = sees(ADMIN_OF[a.org]!, mark, true);
            const repeated = answers.some((x) => x.org === a.org);
            expect(r.statusCode, `${a.org} ${g.tlp}`).toBe(!may ? 404 : repeated ? 409 : 201);
            if (r.statusCode === 201) answers.push({ org: a.org, partners, id: r.json().interests.find((i: { organisation: { id: string } }) => i.organisation.id === orgs[a.org])?.id });
          }
        const interestMark = (a: { org: number; partners: number[] }): Mark => ({ tlp: 'AMBER+STRICT', orgs: [...new Set([1, 0, ...a.partners])].filter((o) => o !== a.org), comms: [], people: [] });
        const interestSees = (viewer: number | null, a: { org: number; partners: number[] }) => viewer !== null && (SOCIETY.people[viewer]!.org === a.org || tlpOracle(SOCIETY, viewer, ADMIN_OF[a.org]!, interestMark(a)));

        let status: string = STAGES[Math.min(stage, 2)]!;
        let keep: number[] = [];
        if (stage >= 3 && answers.length) {
          const chosen = answers[0]!;
          const r = await author.post(`/api/v1/requests/${id}/interests/${chosen.id}/choose`);
          expect(r.statusCode, r.body).toBe(200);
          keep = amber ? [chosen.org, ...chosen.partners] : [];
          mark = { ...mark, orgs: [...new Set([...mark.orgs, ...keep])] };
          status = 'matched';
          if (stage >= 4) {
            expect((await author.post(`/api/v1/requests/${id}/status`, { status: 'in-delivery' })).statusCode).toBe(200);
            status = 'in-delivery';
          }
        }
        if (g.narrow && amber && !(g.tlp === 'AMBER+STRICT' && !g.narrow.length)) {
          const r = await author.put(`/api/v1/requests/${id}/audience`, { providers: g.narrow.map((o) => orgs[o]!) });
          expect(r.statusCode, r.body).toBe(200);
          mark = { ...mark, orgs: [...new Set([0, ...g.narrow, ...keep])], comms: g.tlp === 'AMBER' && !g.narrow.length ? [0] : [] };
        }

        const mails = await t.db.selectFrom('mail_outbox').select(['to_address', 'purpose']).where('subject', 'like', `%${title}%`).execute();
        const viewers: (number | null)[] = [null, ...SOCIETY.people.map((_, i) => i)];
        for (const v of viewers) {
          const client = v === null ? null : people[v]!.client;
          const get = (url: string) => (client ? client.get(url) : t.app.inject({ method: 'GET', url }));
          const expected = sees(v, mark, open);
          const label = `viewer ${v} ${g.tlp} ${status} providers ${providers} narrow ${g.narrow}`;
          const one = await get(`/api/v1/requests/${id}`);
          expect(one.statusCode, label).toBe(expected ? 200 : 404);
          if (expected) {
            // The timeline is the request's; the answers shown are exactly those the reader may see.
            expect(one.json().steps.length).toBeGreaterThanOrEqual(1);
            // Who it is shared with (and so who was chosen) is told to the requesting organisation and the secretariat only.
            expect(one.json().audienceShown, label).toBe(v !== null && (SOCIETY.people[v]!.org === SOCIETY.people[AUTHOR]!.org || v === SECRETARIAT));
            if (!one.json().audienceShown) expect(one.json().audience, label).toEqual({ organisations: [], communities: [] });
            const shown = one.json().interests.map((i: { organisation: { id: string } }) => i.organisation.id).sort();
            expect(shown, label).toEqual(answers.filter((a) => interestSees(v, a)).map((a) => orgs[a.org]!).sort());
          }
          const listed = (await get(`/api/v1/requests?limit=100`)).json().items.some((x: { id: string }) => x.id === id);
          expect(listed, label).toBe(expected);
          expect((await get(`/api/v1/requests/${id}/matches`)).statusCode, label).toBe(expected ? 200 : 404);
          if (client) {
            const suggested = (await client.get('/api/v1/requests/suggested?limit=50')).json().items.some((x: { request: { id: string } }) => x.request.id === id);
            const org = SOCIETY.people[v!]!.org;
            expect(suggested, label).toBe(expected && status === 'open' && PROVIDERS.includes(org));
          }
          // The stream: nothing about the request reaches anyone who may not read it now, and an
          // answer's event reaches only who may read that answer.
          const parts = v === null ? null : await loadPrincipalParts(t.db, people[v]!.id);
          const events = (await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, startEvent, 10_000)).filter((e) => e.subjectId === id);
          if (!tlpOracle(SOCIETY, v, AUTHOR, mark)) expect(events, label).toEqual([]);
          for (const e of events.filter((e) => e.type === 'request.interest_received')) {
            const a = answers.find((x) => x.id === e.payload.interestId);
            expect(a && interestSees(v, a), label).toBeTruthy();
          }
          // Steps before opening reach the requester and the secretariat only.
          const early = events.filter((e) => e.payload.status === 'submitted' || e.payload.status === 'triaged');
          if (early.length) expect(v === AUTHOR || v === SECRETARIAT, label).toBe(true);
          // Mail goes only to who may read what it carries.
          if (v !== null) for (const m of mails.filter((x) => x.to_address === people[v]!.email)) expect(tlpOracle(SOCIETY, v, AUTHOR, mark), `${label} ${m.purpose}`).toBe(true);
        }
        // Nobody outside the people of the world got mail about it.
        for (const m of mails) expect(people.some((p) => p.email === m.to_address)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});
