import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface Marked {
  author: number;
  mark: Mark;
}
interface OfferSpec extends Marked {
  status: 'draft' | 'published' | 'closed';
}
interface ExpertSpec extends Marked {
  status: 'proposed' | 'vetted' | 'withdrawn';
}
interface StaffSpec {
  offer: number;
  expert: number;
  status: 'proposed' | 'confirmed' | 'declined';
}

/** What is stored of a marking: the audience that goes with its level only. */
const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });

function audienceColumns(m: Mark, ids: { orgIds: string[]; commIds: string[]; personIds: string[] }) {
  return { audience_organisations: m.orgs.map((x) => ids.orgIds[x]!), audience_communities: m.comms.map((k) => ids.commIds[k]!), audience_people: m.people.map((x) => ids.personIds[x]!) };
}

describe('staffing of offer sessions (property)', () => {
  it('the staff of each session and the expert’s sessions show exactly what the oracle allows: the expert visible and the offer visible', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    let seenStaff = 0;
    let seenSessions = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        offers: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('draft' as const, 'published' as const, 'closed' as const) }), { minLength: 1, maxLength: 3 }),
        experts: fc.array(fc.record({ author: fc.nat(), mark: markArb, status: fc.constantFrom('proposed' as const, 'vetted' as const, 'vetted' as const, 'withdrawn' as const) }), { minLength: 1, maxLength: 3 }),
        staff: fc.array(fc.record({ offer: fc.nat(), expert: fc.nat(), status: fc.constantFrom('proposed' as const, 'confirmed' as const, 'declined' as const) }), { maxLength: 6 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        const offers = w.offers.map((o): OfferSpec => ({ ...o, author: fit.person(o.author), mark: stored(fit.mark(o.mark)) }));
        // One profile in use per person (the schema's rule): a later one of the same person is a withdrawn one.
        const inUse = new Set<number>();
        const experts = w.experts.map((x): ExpertSpec => {
          const author = fit.person(x.author);
          // Experts are never CLEAR.
          const mark = stored(fit.mark({ ...x.mark, tlp: x.mark.tlp === 'CLEAR' ? 'GREEN' : x.mark.tlp }));
          const status = x.status !== 'withdrawn' && inUse.has(author) ? 'withdrawn' : x.status;
          if (status !== 'withdrawn') inUse.add(author);
          return { author, mark, status };
        });
        const pairs = new Map<string, StaffSpec>();
        for (const s of w.staff) {
          const x = { offer: s.offer % offers.length, expert: s.expert % experts.length, status: s.status };
          pairs.set(`${x.offer}/${x.expert}`, x);
        }
        return { society: fit.society, offers, experts, staff: [...pairs.values()] };
      });
    // Random worlds now and then exercise too little of staff and confirmed sessions to say anything (the checks
    // below): another round of worlds then, three at most, rather than a flaky failure.
    for (let round = 0; round < 3 && !(seenStaff > 5 && seenSessions > 2); round++)
      await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, offers, experts, staff }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `st${run}`, passwordHash: hash });
        const org = (person: number) => ids.orgIds[w.people[person]!.org]!;
        const offerIds: string[] = [];
        const sessionIds: string[] = [];
        for (const [n, o] of offers.entries()) {
          const id = newId();
          await t.db
            .insertInto('offers')
            .values({
              id,
              slug: `st${run}-${n}-${id.slice(-8)}`,
              type: 'webinar',
              title: `Staffed offer ${run}-${n}`,
              language: 'en',
              format: 'online',
              status: o.status,
              tlp: o.mark.tlp,
              pap: 'GREEN',
              author_id: ids.personIds[o.author]!,
              author_org_id: org(o.author),
              ...audienceColumns(o.mark, ids),
            })
            .execute();
          const sessionId = newId();
          await t.db
            .insertInto('offer_sessions')
            .values({ id: sessionId, offer_id: id, starts_at: new Date('2031-01-10T09:00:00Z'), ends_at: new Date('2031-01-10T17:00:00Z'), time_zone: 'UTC', seats: 10 })
            .execute();
          offerIds.push(id);
          sessionIds.push(sessionId);
        }
        const expertIds: string[] = [];
        for (const x of experts) {
          const id = newId();
          await t.db
            .insertInto('experts')
            .values({
              id,
              person_id: ids.personIds[x.author]!,
              headline: `Expert ${run}`,
              language: 'en',
              translations: '{}',
              pap: 'GREEN',
              status: x.status,
              tlp: x.mark.tlp,
              author_id: ids.personIds[x.author]!,
              author_org_id: org(x.author),
              ...audienceColumns(x.mark, ids),
            })
            .execute();
          expertIds.push(id);
        }
        for (const s of staff)
          await t.db
            .insertInto('offer_session_staff')
            .values({
              id: newId(),
              session_id: sessionIds[s.offer]!,
              offer_id: offerIds[s.offer]!,
              expert_id: expertIds[s.expert]!,
              role: 'trainer',
              status: s.status,
              proposed_by: ids.personIds[offers[s.offer]!.author]!,
              answered_at: s.status === 'proposed' ? null : new Date(),
              answered_by: s.status === 'proposed' ? null : ids.personIds[experts[s.expert]!.author]!,
            })
            .execute();

        // Independent of the code under test: the TLP table, then each workflow in words.
        const sameOrg = (v: number | null, author: number) => v !== null && w.people[v]!.org === w.people[author]!.org;
        const offerOracle = (v: number | null, i: number) => tlpOracle(w, v, offers[i]!.author, offers[i]!.mark) && (offers[i]!.status !== 'draft' || sameOrg(v, offers[i]!.author));
        const expertOracle = (v: number | null, i: number) => tlpOracle(w, v, experts[i]!.author, experts[i]!.mark) && (experts[i]!.status === 'vetted' || sameOrg(v, experts[i]!.author));
        // The expert answers for themself (nobody in these worlds is an organisation admin).
        const answers = (v: number | null, i: number) => v !== null && v === experts[i]!.author && approved(w, v);

        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; json: () => unknown }>;
          if (v === null) get = (url) => t.app.inject({ method: 'GET', url });
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          for (const [i, id] of offerIds.entries()) {
            const res = await get(`/api/v1/offers/${id}`);
            expect({ v, offer: i, status: res.statusCode }).toEqual({ v, offer: i, status: offerOracle(v, i) ? 200 : 404 });
            if (res.statusCode !== 200) continue;
            const got = (res.json() as { sessions: { staff: { expertId: string; status: string }[] }[] }).sessions[0]!.staff.map((x) => `${x.expertId}:${x.status}`).sort();
            const want = staff
              .filter((s) => s.offer === i && expertOracle(v, s.expert))
              .map((s) => `${expertIds[s.expert]}:${s.status}`)
              .sort();
            seenStaff += want.length;
            expect({ v, offer: i, staff: got }).toEqual({ v, offer: i, staff: want });
          }
          for (const [i, id] of expertIds.entries()) {
            const res = await get(`/api/v1/experts/${id}`);
            expect({ v, expert: i, status: res.statusCode }).toEqual({ v, expert: i, status: expertOracle(v, i) ? 200 : 404 });
            if (res.statusCode !== 200) continue;
            const body = res.json() as { upcomingSessions: { offerId: string; sessionId: string }[]; staffProposals: { offerId: string }[] };
            const want = (status: StaffSpec['status']) =>
              staff
                .filter((s) => s.expert === i && s.status === status && offerOracle(v, s.offer))
                .map((s) => offerIds[s.offer]!)
                .sort();
            seenSessions += want('confirmed').length;
            expect({ v, expert: i, upcoming: body.upcomingSessions.map((s) => s.offerId).sort() }).toEqual({ v, expert: i, upcoming: want('confirmed') });
            expect({ v, expert: i, proposals: body.staffProposals.map((s) => s.offerId).sort() }).toEqual({ v, expert: i, proposals: answers(v, i) ? want('proposed') : [] });
          }
        }
      }),
      { numRuns: 20 },
    );
    expect(seenStaff).toBeGreaterThan(5);
    expect(seenSessions).toBeGreaterThan(2);
  }, 400_000);
});

const approved = (w: Society, v: number) => w.orgs[w.people[v]!.org]!.approved;
