import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Viewer } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, login, makeCommunity, makeOrganisation, makePerson, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { matchableExperts } from './matchable.js';

let t: TestApp;
let orgA: string;
let orgB: string;
let orgC: string;
let adminA: Client;
let memberA: Client;
let memberB: Client;
let adminC: Client;
let outsider: Client;
let secretariat: Client;
let ids: Record<'adminA' | 'memberA' | 'colleagueA' | 'memberB' | 'adminC' | 'outsider' | 'secretariat', string>;
beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'CL' });
  orgB = await makeOrganisation(t.db, { country: 'DO', type: 'mfa' });
  orgC = await makeOrganisation(t.db, { country: 'EE' });
  const orgO = await makeOrganisation(t.db, { country: 'FR' });
  const orgS = await makeOrganisation(t.db, { country: 'BE' });
  const people = {
    adminA: await makePerson(t.db, orgA, { roles: ['member', 'org_admin'], name: 'Alba Admin' }),
    memberA: await makePerson(t.db, orgA, { name: 'Mateo Responder' }),
    colleagueA: await makePerson(t.db, orgA, { name: 'Carla Colleague' }),
    memberB: await makePerson(t.db, orgB, { name: 'Bea Host' }),
    adminC: await makePerson(t.db, orgC, { roles: ['member', 'org_admin'], name: 'Kaur Trainer' }),
    outsider: await makePerson(t.db, orgO),
    secretariat: await makePerson(t.db, orgS, { roles: ['member', 'secretariat'] }),
  };
  ids = Object.fromEntries(Object.entries(people).map(([k, v]) => [k, v.id])) as typeof ids;
  [adminA, memberA, memberB, adminC, outsider, secretariat] = await Promise.all(
    [people.adminA, people.memberA, people.memberB, people.adminC, people.outsider, people.secretariat].map((x) => login(t.app, x.email)),
  );
});
afterAll(async () => t?.close());

interface Expert {
  id: string;
  status: string;
  headline: string;
  skills: string[];
  translation: { shown: string; source: string; fallback: boolean };
  can: { edit: boolean; translate: boolean; vet: boolean; withdraw: boolean };
  available: { from: string; to: string }[];
  availability: { id: string; from: string; to: string; note: string }[];
  missions: { count: number; meanEvaluation: number | null };
  missionList: { id: string; title: string; host: { id: string } | null; evaluation: { score: number; comment: string } | null; can: { evaluate: boolean } }[];
  audience: { people: string[] };
}
const base = {
  language: 'es',
  headline: 'Respuesta a incidentes',
  skills: ['ecsf-roles/cyber-incident-responder'],
  concepts: ['gfce-themes/b'],
  languages: ['es', 'en'],
  countries: ['CL'],
  tlp: 'GREEN',
};
const propose = async (c: Client, body: Record<string, unknown> = {}) => {
  const res = await c.post('/api/v1/experts', { ...base, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Expert;
};
const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const count = async (table: 'experts' | 'expert_missions' | 'expert_availability') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const viewerOf = async (personId: string): Promise<Viewer> => (await loadPrincipalParts(t.db, personId))!.viewer;

describe('the expert pool', () => {
  it('goes proposed → vetted → withdrawn; until vetted and once withdrawn only the organisation sees it', async () => {
    const e = await propose(memberA, { headline: 'Sectoral CSIRT set-up', language: 'en' });
    expect(e).toMatchObject({ status: 'proposed', can: { edit: true, vet: false, withdraw: false } });
    // Proposed: its organisation only — not the secretariat, not another member, not the public.
    expect((await adminA.get(`/api/v1/experts/${e.id}`)).json()).toMatchObject({ can: { vet: true, withdraw: true } });
    for (const c of [memberB, outsider, secretariat]) expect((await c.get(`/api/v1/experts/${e.id}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/experts/${e.id}`)).statusCode).toBe(404);
    // Only an admin of the expert's organisation vets; others get 403 (or 404 when they cannot see it).
    expect((await memberA.post(`/api/v1/experts/${e.id}/vet`)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await adminC.post(`/api/v1/experts/${e.id}/vet`)).statusCode).toBe(404);
    expect((await adminA.post(`/api/v1/experts/${e.id}/vet`)).json()).toMatchObject({ status: 'vetted' });
    expect((await adminA.post(`/api/v1/experts/${e.id}/vet`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    // Vetted GREEN: every member; never the public (experts are never CLEAR).
    for (const c of [memberB, outsider, secretariat]) expect((await c.get(`/api/v1/experts/${e.id}`)).statusCode).toBe(200);
    expect((await anonymous(`/api/v1/experts/${e.id}`)).statusCode).toBe(404);
    expect((await adminC.post(`/api/v1/experts/${e.id}/withdraw`)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await memberA.post(`/api/v1/experts/${e.id}/withdraw`)).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await adminA.post(`/api/v1/experts/${e.id}/withdraw`)).json()).toMatchObject({ status: 'withdrawn', can: { edit: false } });
    for (const c of [memberB, outsider, secretariat]) expect((await c.get(`/api/v1/experts/${e.id}`)).statusCode).toBe(404);
    expect((await memberA.get(`/api/v1/experts/${e.id}`)).statusCode).toBe(200);
    // History stays as it was.
    expect((await memberA.patch(`/api/v1/experts/${e.id}`, { headline: 'Other' })).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    // A withdrawn profile may be followed by a new proposal.
    const again = await propose(memberA, { headline: 'Back in the pool' });
    expect(again.status).toBe('proposed');
    // The audit log carries identifiers, not the profile's words.
    const audit = await secretariat.get('/api/v1/audit?action=expert.');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('expert.vetted');
    expect(audit.body).not.toContain('Sectoral CSIRT');
  });

  it('is offered by the person or an admin of their organisation, once per person, never as CLEAR', async () => {
    const before = await count('experts');
    expect((await memberA.post('/api/v1/experts', { ...base, personId: ids.colleagueA })).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.memberB })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'personId' } } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, tlp: 'CLEAR' })).json()).toMatchObject({ error: { code: 'INVALID_MARKING' } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, skills: ['gfce-themes/b'] })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'skills' } } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, skills: ['ecsf-roles/astronaut'] })).json()).toMatchObject({ error: { code: 'UNKNOWN_CONCEPT' } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, concepts: ['gfce-themes/zz'] })).json()).toMatchObject({ error: { code: 'UNKNOWN_CONCEPT' } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, languages: ['not a tag'] })).statusCode).toBe(400);
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, countries: ['ZZ'] })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA, tlp: 'AMBER+STRICT', audience: { communities: [newId()] } })).json()).toMatchObject({ error: { code: 'INVALID_MARKING' } });
    expect(await count('experts')).toBe(before);
    // RED: the person is always among those it is shared with.
    const red = await propose(adminA, { personId: ids.colleagueA, tlp: 'RED' });
    expect(red.audience.people).toEqual([ids.colleagueA]);
    expect((await adminA.post('/api/v1/experts', { ...base, personId: ids.colleagueA })).json()).toMatchObject({ error: { code: 'ALREADY_EXISTS' } });
    expect(await count('experts')).toBe(before + 1);
  });

  it('keeps availability and missions; the receiving organisation or the secretariat evaluates a mission', async () => {
    const e = await propose(adminC, { headline: 'Exercise designer', language: 'en', languages: ['et', 'en', 'es'] });
    const url = `/api/v1/experts/${e.id}`;
    await adminC.post(`${url}/vet`);
    const [windows, missions] = [await count('expert_availability'), await count('expert_missions')];
    expect((await adminC.post(`${url}/availability`, { from: day(30), to: day(10) })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'to' } } });
    expect((await adminC.post(`${url}/availability`, { from: '2026-02-30', to: '2026-03-02' })).statusCode).toBe(400);
    expect((await adminC.post(`${url}/missions`, { title: 'x', startsOn: day(-5), endsOn: day(-9) })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'endsOn' } } });
    expect((await adminC.post(`${url}/missions`, { title: 'x', startsOn: day(-5), hostOrganisationId: orgC })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await memberB.post(`${url}/missions`, { title: 'x', startsOn: day(-5) })).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect([await count('expert_availability'), await count('expert_missions')]).toEqual([windows, missions]);

    let x = (await adminC.post(`${url}/availability`, { from: day(10), to: day(40), note: 'Remote first' })).json() as Expert;
    expect(x.available).toEqual([{ from: day(10), to: day(40) }]);
    x = (await adminC.post(`${url}/missions`, { title: 'Table-top for the ministry', country: 'DO', startsOn: day(-20), endsOn: day(-19), hostOrganisationId: orgB })).json() as Expert;
    const done = x.missionList[0]!;
    x = (await adminC.post(`${url}/missions`, { title: 'Next year’s drill', startsOn: day(200), hostOrganisationId: orgB })).json() as Expert;
    const future = x.missionList.find((m) => m.title === 'Next year’s drill')!;
    expect(x.missions).toEqual({ count: 2, meanEvaluation: null });

    // The host organisation evaluates; the expert's side, other members do not.
    expect((await memberB.get(url)).json()).toMatchObject({ missionList: expect.arrayContaining([expect.objectContaining({ id: done.id, can: { evaluate: true } })]) });
    for (const c of [adminC, outsider]) expect((await c.put(`${url}/missions/${done.id}/evaluation`, { score: 5 })).json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await memberB.put(`${url}/missions/${done.id}/evaluation`, { score: 6 })).statusCode).toBe(400);
    expect((await memberB.put(`${url}/missions/${future.id}/evaluation`, { score: 4 })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    x = (await memberB.put(`${url}/missions/${done.id}/evaluation`, { score: 4, comment: 'Well prepared' })).json() as Expert;
    expect(x.missions).toEqual({ count: 2, meanEvaluation: 4 });
    x = (await secretariat.put(`${url}/missions/${done.id}/evaluation`, { score: 5 })).json() as Expert;
    expect(x.missionList.find((m) => m.id === done.id)!.evaluation).toMatchObject({ score: 5 });
    // An evaluation is the host's word: the mission stays, with its host.
    expect((await adminC.del(`${url}/missions/${done.id}`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await adminC.put(`${url}/missions/${done.id}`, { title: 'Renamed', startsOn: day(-20), hostOrganisationId: null })).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await adminC.put(`${url}/missions/${done.id}`, { title: 'Table-top for the MFA crisis cell', startsOn: day(-20), endsOn: day(-19), hostOrganisationId: orgB })).statusCode).toBe(200);
    expect((await adminC.del(`${url}/missions/${future.id}`)).json()).toMatchObject({ missions: { count: 1, meanEvaluation: 5 } });
    const w = x.availability[0]!;
    expect((await adminC.put(`${url}/availability/${w.id}`, { from: day(12), to: day(42) })).json()).toMatchObject({ availability: [{ from: day(12), to: day(42), note: '' }] });
    expect((await adminC.del(`${url}/availability/${newId()}`)).statusCode).toBe(404);
    expect((await adminC.del(`${url}/availability/${w.id}`)).json()).toMatchObject({ availability: [] });
  });

  it('filters by skill, concept, working language, country, availability, words in any language version, organisation and status', async () => {
    const word = `quasar${Date.now()}`;
    const e = await propose(memberB, {
      headline: `Diplomacia ${word}`,
      language: 'es',
      skills: ['ecsf-roles/cyber-legal-policy-compliance-officer'],
      concepts: ['gfce-themes/a-diplomacy'],
      languages: ['es-419'],
      countries: ['DO', 'GT'],
    });
    const admin = await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] });
    await (await login(t.app, admin.email)).post(`/api/v1/experts/${e.id}/vet`);
    await memberB.put(`/api/v1/experts/${e.id}/translations/en`, { headline: `Cyber diplomacy ${word} negotiator`, biography: 'Norms and confidence building' });
    await memberB.post(`/api/v1/experts/${e.id}/availability`, { from: day(100), to: day(130) });
    const ids = async (query: string) => ((await outsider.get(`/api/v1/experts?${query}&limit=100`)).json() as { items: { id: string }[] }).items.map((i) => i.id);
    expect(await ids(`q=${word}`)).toEqual([e.id]);
    expect(await ids('q=negotiators')).toContain(e.id);
    expect(await ids('q=Bea%20Host')).toContain(e.id);
    expect(await ids('skill=ecsf-roles/cyber-legal-policy-compliance-officer')).toContain(e.id);
    expect(await ids('skill=ecsf-roles/penetration-tester')).not.toContain(e.id);
    expect(await ids('concept=gfce-themes/a-diplomacy')).toContain(e.id);
    expect(await ids('language=es')).toContain(e.id);
    expect(await ids('language=pt')).not.toContain(e.id);
    expect(await ids('country=GT')).toContain(e.id);
    expect(await ids(`from=${day(120)}&to=${day(150)}`)).toContain(e.id);
    expect(await ids(`from=${day(140)}`)).not.toContain(e.id);
    expect(await ids(`to=${day(90)}`)).not.toContain(e.id);
    expect((await outsider.get(`/api/v1/experts?from=${day(10)}&to=${day(5)}`)).statusCode).toBe(400);
    expect(await ids(`organisation=${orgB}`)).toContain(e.id);
    expect(await ids(`organisation=${orgA}`)).not.toContain(e.id);
    expect(await ids('status=proposed')).not.toContain(e.id);
    // The reader's language is shown when there is a translation.
    const en = (await outsider.get(`/api/v1/experts?q=${word}&lang=en`)).json() as { items: Expert[]; total: number };
    expect(en.items[0]!.headline).toBe(`Cyber diplomacy ${word} negotiator`);
    expect(en.total).toBe(1);
    // Paging by a cursor the server gave; others are refused.
    const first = (await outsider.get('/api/v1/experts?limit=1')).json() as { items: Expert[]; nextCursor: string };
    const second = (await outsider.get(`/api/v1/experts?limit=1&cursor=${first.nextCursor}`)).json() as { items: Expert[] };
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);
    expect((await outsider.get('/api/v1/experts?cursor=zzz')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'cursor' } } });
    // The translation queue lists the profile for its organisation, and XLIFF carries its fields.
    const queue = (await memberB.get('/api/v1/translations/queue')).json() as { items: { kind: string; id: string; missing: string[] }[] };
    expect(queue.items.find((i) => i.id === e.id)).toMatchObject({ kind: 'expert', missing: ['pt', 'fr'] });
    const xliff = await memberB.get(`/api/v1/translations/expert/${e.id}/xliff?target=fr`);
    expect(xliff.statusCode, xliff.body).toBe(200);
    expect(xliff.body).toContain('headline');
    expect((await outsider.get(`/api/v1/translations/expert/${e.id}/xliff?target=fr`)).statusCode).toBe(403);
  });

  it('tells of changes on the stream only to those who may see the profile', async () => {
    const community = await makeCommunity(t.db, { organisations: [orgB] });
    const e = await propose(adminA, { personId: ids.memberA, tlp: 'AMBER', audience: { communities: [community] } }).catch(async () => {
      // memberA may already have a profile from an earlier test: offer another colleague.
      const other = await makePerson(t.db, orgA);
      return propose(adminA, { personId: other.id, tlp: 'AMBER', audience: { communities: [community] } });
    });
    await adminA.post(`/api/v1/experts/${e.id}/vet`);
    const heard = async (personId: string) => (await t.deps.hub.since(await viewerOf(personId), 0, 100_000)).filter((x) => x.subjectId === e.id).map((x) => x.type);
    expect(await heard(ids.colleagueA)).toEqual(['expert.proposed', 'expert.vetted']);
    // The community's member hears of it once vetted, not of the proposal; others hear nothing.
    expect(await heard(ids.memberB)).toEqual(['expert.vetted']);
    expect(await heard(ids.outsider)).toEqual([]);
    expect(await heard(ids.secretariat)).toEqual([]);
    expect((await t.deps.hub.since(ANONYMOUS, 0, 100_000)).filter((x) => x.subjectId === e.id)).toEqual([]);
  });
});

interface ExpertSpec {
  author: number;
  mark: Mark;
  status: 'proposed' | 'vetted' | 'withdrawn';
}

describe('the expert pool (property)', () => {
  it('every reader gets exactly what the oracle and the workflow allow: the list and its count, filters, the profile and its missions, the concept page, matching', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 5, maxCommunities: 2 }),
        experts: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('proposed' as const, 'vetted' as const, 'withdrawn' as const) }), { minLength: 1, maxLength: 6 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        const experts = w.experts.map((r): ExpertSpec => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark) }));
        // One profile per person (the person is its author here).
        return { society: fit.society, experts: experts.filter((x, i) => experts.findIndex((y) => y.author === x.author) === i) };
      });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, experts }) => {
        run++;
        const word = `pulsar${run}x${Date.now()}`;
        const ws = await insertSociety(t.db, w, { country: 'PA', label: `ex${run}`, passwordHash: hash });
        const made: { id: string; mission: string; spec: ExpertSpec }[] = [];
        for (const r of experts) {
          const id = newId();
          // Experts are never CLEAR: a drawn CLEAR is stored as GREEN, and the oracle is asked about what is stored.
          const tlp = r.mark.tlp === 'CLEAR' ? 'GREEN' : r.mark.tlp;
          const stored: Mark = { tlp, orgs: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? r.mark.orgs : [], comms: tlp === 'AMBER' ? r.mark.comms : [], people: tlp === 'RED' ? r.mark.people : [] };
          await t.db
            .insertInto('experts')
            .values({
              id,
              person_id: ws.personIds[r.author]!,
              headline: `Expert ${word} ${made.length}`,
              biography: 'Incident response',
              language: 'en',
              skills: ['ecsf-roles/cyber-incident-responder'],
              concepts: ['gfce-themes/b'],
              languages: ['es-419'],
              countries: ['PA'],
              status: r.status,
              tlp,
              pap: 'GREEN',
              author_id: ws.personIds[r.author]!,
              author_org_id: ws.orgIds[w.people[r.author]!.org]!,
              audience_organisations: stored.orgs.map((o) => ws.orgIds[o]!),
              audience_communities: stored.comms.map((k) => ws.commIds[k]!),
              audience_people: stored.people.map((p) => ws.personIds[p]!),
            })
            .execute();
          await t.db.insertInto('expert_availability').values({ id: newId(), expert_id: id, starts_on: day(5), ends_on: day(15) }).execute();
          const mission = newId();
          await t.db.insertInto('expert_missions').values({ id: mission, expert_id: id, title: `Mission ${word}`, starts_on: day(-30), evaluation: 4, evaluated_at: new Date() }).execute();
          made.push({ id, mission, spec: { ...r, mark: stored } });
        }
        // Independent of the code under test: the TLP table, then the workflow in words.
        const oracle = (v: number | null, m: (typeof made)[number]) =>
          tlpOracle(w, v, m.spec.author, m.spec.mark) && (m.spec.status === 'vetted' || (v !== null && w.people[v]!.org === w.people[m.spec.author]!.org));
        const ours = (xs: string[]) => xs.filter((x) => made.some((m) => m.id === x)).sort();
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; json: () => unknown }>;
          let viewer: Viewer = ANONYMOUS;
          if (v === null) get = anonymous;
          else {
            const s = await createSession(t.db, ws.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
            viewer = await viewerOf(ws.personIds[v]!);
          }
          const allowed = made.filter((m) => oracle(v, m)).map((m) => m.id).sort();
          seen += allowed.length;
          const list = (await get(`/api/v1/experts?q=${word}&limit=100`)).json() as { items: { id: string }[]; total: number };
          expect({ v, listed: list.items.map((i) => i.id).sort(), total: list.total }).toEqual({ v, listed: allowed, total: allowed.length });
          const filteredList = (await get(`/api/v1/experts?skill=ecsf-roles/cyber-incident-responder&language=es&country=PA&from=${day(10)}&to=${day(12)}&limit=100`)).json() as { items: { id: string }[] };
          expect({ v, filtered: ours(filteredList.items.map((i) => i.id)) }).toEqual({ v, filtered: allowed });
          const tagged = (await get('/api/v1/vocabularies/ecsf-roles/concepts/cyber-incident-responder/tagged?limit=200')).json() as { items: { id: string }[] };
          expect({ v, tagged: ours(tagged.items.map((i) => i.id)) }).toEqual({ v, tagged: allowed });
          // Matching reads vetted profiles only, within the same policy.
          const matched = await matchableExperts(t.db, viewer, { concepts: ['gfce-themes/b'], skills: [], languages: [], limit: 10_000 });
          const vettedAllowed = made.filter((m) => m.spec.status === 'vetted' && oracle(v, m)).map((m) => m.id).sort();
          expect({ v, matched: ours(matched.map((x) => x.id)) }).toEqual({ v, matched: vettedAllowed });
          for (const m of made) {
            const one = await get(`/api/v1/experts/${m.id}`);
            const want = oracle(v, m) ? 200 : 404;
            expect({ v, id: m.id, one: one.statusCode }).toEqual({ v, id: m.id, one: want });
            if (want === 200) expect({ v, missions: (one.json() as Expert).missionList.map((x) => x.id) }).toEqual({ v, missions: [m.mission] });
          }
        }
      }),
      { numRuns: 20 },
    );
    expect(seen).toBeGreaterThan(10);
  }, 400_000);
});
