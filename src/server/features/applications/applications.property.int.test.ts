import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { publishEvent } from '../../platform/events.js';
import { newId, randomToken } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { platformOf } from '../../platform/deps.js';
import { eventMarking, mailApplicant } from './service.js';

/**
 * Every read path of applications against an independent oracle, on random worlds: who may read
 * an application (the applicant; their organisation's admins; national focal points of their
 * country when the offer asks for an endorsement; the provider organisation — each only while the
 * offer is visible to them under its marking and workflow), written here from the rule's words,
 * not from repository.ts. Checked: my applications, the provider's list and its counts, single
 * reads, the endorsement list, outcomes (who gets them, and that their figures are the whole
 * offer's), public certificate checks (JSON and page), mails about an application, and the
 * event stream.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const STATUSES = ['submitted', 'endorsement-pending', 'endorsed', 'endorsement-refused', 'selected', 'waitlisted', 'not-selected', 'withdrawn'] as const;

interface OfferSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'published';
  partner: number | null;
}
interface AppSpec {
  person: number;
  offer: number;
  status: (typeof STATUSES)[number];
  needsEndorsement: boolean;
  certified: boolean;
}

describe('applications (property)', () => {
  it('every reader gets exactly the applications, counts, endorsements, outcomes and events the oracle allows', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const platform = platformOf(t.deps);
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, minPeople: 3, maxPeople: 6, maxCommunities: 2 }),
        // Most people are neither admins nor focal points, so that the rule's narrow branches are tried.
        admins: fc.array(fc.constantFrom(false, false, true), { minLength: 8, maxLength: 8 }),
        focals: fc.array(fc.constantFrom(false, false, false, true), { minLength: 8, maxLength: 8 }),
        secretariat: fc.option(fc.nat(), { nil: null }),
        offers: fc.array(fc.record({ author: fc.integer({ min: 0, max: 60 }), mark: markArb, status: fc.constantFrom('draft' as const, 'published' as const, 'published' as const), partner: fc.option(fc.nat(), { nil: null }) }), { minLength: 1, maxLength: 2 }),
        apps: fc.array(fc.record({ person: fc.integer({ min: 0, max: 60 }), offer: fc.nat(), status: fc.constantFrom(...STATUSES), needsEndorsement: fc.boolean(), certified: fc.boolean() }), { maxLength: 8 }),
      })
      .map((w) => {
        // Spread people over the organisations (drawn indices lean to 0): applicants, their colleagues and providers apart.
        const orgs = [...w.society.orgs, { approved: true }, { approved: true }].slice(0, Math.max(3, w.society.orgs.length));
        const spread = { ...w.society, orgs, people: w.society.people.map((p, i) => ({ ...p, org: p.org + i })) };
        const fit = fitTo(spread);
        const offers = w.offers.map((o): OfferSpec => ({ ...o, author: fit.person(o.author), mark: fit.mark(o.mark), partner: o.partner === null ? null : o.partner % orgs.length }));
        const seen = new Set<string>();
        const apps: AppSpec[] = [];
        for (const a of w.apps) {
          const x = { ...a, person: fit.person(a.person), offer: a.offer % offers.length };
          if (seen.has(`${x.person}/${x.offer}`)) continue;
          seen.add(`${x.person}/${x.offer}`);
          // A pending endorsement exists only where the offer asks for one; a certificate only for a completed seat.
          apps.push({ ...x, needsEndorsement: x.needsEndorsement || x.status === 'endorsement-pending', certified: x.certified && x.status === 'selected' });
        }
        return { society: fit.society, admins: w.admins, focals: w.focals, secretariat: w.secretariat === null ? null : fit.person(w.secretariat), offers, apps };
      });
    let readable = 0;
    // Readers the organisation-admin branch turns away: colleagues of the applicant who are not its admins.
    let colleagues = 0;
    let events = 0;
    let mailed = 0;
    // Random worlds now and then exercise too little of every branch to say anything (the checks
    // below): another round of worlds then, three at most, rather than a flaky failure.
    for (let round = 0; round < 3 && !(readable > 10 && events > 5 && mailed > 5 && colleagues > 2); round++)
      await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, admins, focals, secretariat, offers, apps }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `app${run}`, passwordHash: hash });
        const admin = (i: number) => admins[i % admins.length]!;
        const focal = (i: number) => focals[i % focals.length]!;
        for (const [i, id] of ids.personIds.entries()) {
          const roles = ['member', ...(admin(i) ? ['org_admin'] : []), ...(secretariat === i ? ['secretariat'] : [])];
          await t.db.updateTable('people').set({ roles }).where('id', '=', id).execute();
          if (focal(i)) await t.db.insertInto('country_focal_points').values({ country_code: 'PA', person_id: id }).execute();
        }
        const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });
        const made: { id: string; session: string; spec: OfferSpec }[] = [];
        for (const [n, o] of offers.entries()) {
          const id = newId();
          const session = newId();
          const m = stored(o.mark);
          await t.db
            .insertInto('offers')
            .values({
              id,
              slug: `ap${run}-${n}-${id.slice(-8)}`,
              type: 'webinar',
              title: `Offer ${run}-${n}`,
              language: 'en',
              format: 'online',
              status: o.status,
              tlp: m.tlp,
              pap: 'GREEN',
              author_id: ids.personIds[o.author]!,
              author_org_id: ids.orgIds[w.people[o.author]!.org]!,
              audience_organisations: m.orgs.map((x) => ids.orgIds[x]!),
              audience_communities: m.comms.map((x) => ids.commIds[x]!),
              audience_people: m.people.map((x) => ids.personIds[x]!),
            })
            .execute();
          if (o.partner !== null) await t.db.insertInto('offer_partners').values({ id: newId(), offer_id: id, organisation_id: ids.orgIds[o.partner]!, role: 'implementing' }).execute();
          await t.db.insertInto('offer_sessions').values({ id: session, offer_id: id, starts_at: new Date(Date.now() + 86_400_000 * 30), ends_at: new Date(Date.now() + 86_400_000 * 31), time_zone: 'UTC', seats: 50 }).execute();
          made.push({ id, session, spec: { ...o, mark: m } });
        }
        const rows: { id: string; code: string | null; spec: AppSpec }[] = [];
        for (const [k, a] of apps.entries()) {
          const id = newId();
          const o = made[a.offer]!;
          const code = a.certified ? randomToken(16) : null;
          await t.db
            .insertInto('applications')
            .values({
              id,
              offer_id: o.id,
              session_id: o.session,
              person_id: ids.personIds[a.person]!,
              organisation_id: ids.orgIds[w.people[a.person]!.org]!,
              country: 'PA',
              status: a.status,
              needs_endorsement: a.needsEndorsement,
              ticket: k + 1,
              waitlist_ticket: a.status === 'waitlisted' ? k + 1 : null,
              motivation: `m${run}x${k}z`,
              ...(code ? { attended: true, completed: true, certificate_code: code, certificate_issued_at: new Date() } : {}),
            })
            .execute();
          // The stream's news of it, marked as the service marks it.
          await publishEvent(t.db, { type: 'application.changed', subjectType: 'application', subjectId: id, payload: { status: a.status }, marking: eventMarking(ids.personIds[a.person]!, ids.orgIds[w.people[made[a.offer]!.spec.author]!.org]!) });
          rows.push({ id, code, spec: a });
        }

        // The oracle, from the rule's words.
        const vetted = (v: number | null): v is number => v !== null && w.orgs[w.people[v]!.org]!.approved;
        const orgOf = (p: number) => w.people[p]!.org;
        const seesOffer = (v: number | null, o: (typeof made)[number]) => tlpOracle(w, v, o.spec.author, o.spec.mark) && (o.spec.status === 'published' || (v !== null && orgOf(v) === orgOf(o.spec.author)));
        const reads = (v: number | null, r: (typeof rows)[number]) => {
          if (!vetted(v)) return false;
          const o = made[r.spec.offer]!;
          if (!seesOffer(v, o)) return false;
          return v === r.spec.person || orgOf(v) === orgOf(o.spec.author) || (admin(v) && orgOf(v) === orgOf(r.spec.person)) || (r.spec.needsEndorsement && focal(v));
        };
        const endorses = (v: number | null, r: (typeof rows)[number]) =>
          vetted(v) && reads(v, r) && r.spec.status === 'endorsement-pending' && v !== r.spec.person && ((admin(v) && orgOf(v) === orgOf(r.spec.person)) || focal(v));
        const outcomesFor = (v: number | null, o: (typeof made)[number]) => vetted(v) && seesOffer(v, o) && (orgOf(v) === orgOf(o.spec.author) || o.spec.partner === orgOf(v) || secretariat === v);
        const hears = (v: number | null, r: (typeof rows)[number]) => vetted(v) && (v === r.spec.person || orgOf(v) === orgOf(made[r.spec.offer]!.spec.author));

        const mine = new Set(rows.map((r) => r.id));
        // Mail about an application goes to its applicant only while they may read it, marked for them alone.
        for (const r of rows) {
          await t.db.transaction().execute((trx) => mailApplicant(platform, trx, (m) => t.deps.mailer.queue(trx, m), r.id, 'application_received'));
          const email = `p-${ids.personIds[r.spec.person]}@example.test`;
          const sent = await t.db.selectFrom('mail_outbox').select(['to_address', 'audience_people', 'tlp']).where('purpose', '=', 'application_received').where('subject', 'like', `%Offer ${run}-${r.spec.offer}%`).where('to_address', '=', email).execute();
          expect({ r: r.id, mailed: sent.length }).toEqual({ r: r.id, mailed: reads(r.spec.person, r) ? 1 : 0 });
          mailed += sent.length;
          for (const m of sent) expect(m).toMatchObject({ tlp: 'RED', audience_people: [ids.personIds[r.spec.person]] });
          await t.db.deleteFrom('mail_outbox').where('to_address', '=', email).execute();
        }
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; json: () => unknown }>;
          if (v === null) get = (url) => t.app.inject({ method: 'GET', url });
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const sorted = (xs: string[]) => [...xs].sort();
          // My applications.
          const my = await get('/api/v1/applications');
          if (vetted(v)) {
            const listed = (my.json() as { items: { id: string }[] }).items.map((i) => i.id).filter((id) => mine.has(id));
            expect({ v, my: sorted(listed) }).toEqual({ v, my: sorted(rows.filter((r) => r.spec.person === v && reads(v, r)).map((r) => r.id)) });
          } else expect({ v, status: my.statusCode }).toEqual({ v, status: v === null ? 401 : 403 });
          // Single reads.
          for (const r of rows) {
            const one = await get(`/api/v1/applications/${r.id}`);
            const want = reads(v, r) ? 200 : v === null ? 401 : vetted(v) ? 404 : 403;
            expect({ v, id: r.id, status: one.statusCode }).toEqual({ v, id: r.id, status: want });
            if (vetted(v) && v !== r.spec.person && !admin(v) && orgOf(v) === orgOf(r.spec.person) && orgOf(v) !== orgOf(made[r.spec.offer]!.spec.author) && seesOffer(v, made[r.spec.offer]!)) colleagues++;
            if (want === 200) readable++;
            else expect({ v, id: r.id, leak: one.body.includes(`m${run}x`) }).toEqual({ v, id: r.id, leak: false });
          }
          // The provider's list and its counts, per offer.
          for (const [n, o] of made.entries()) {
            const res = await get(`/api/v1/offers/${o.id}/applications`);
            if (!vetted(v)) continue;
            if (!seesOffer(v, o)) {
              expect({ v, offer: n, status: res.statusCode }).toEqual({ v, offer: n, status: 404 });
              continue;
            }
            const body = res.json() as { items: { id: string }[]; sessions: { counts: Record<string, number> }[] };
            const want = rows.filter((r) => r.spec.offer === n && reads(v, r));
            expect({ v, offer: n, items: sorted(body.items.map((i) => i.id)) }).toEqual({ v, offer: n, items: sorted(want.map((r) => r.id)) });
            const counted = Object.values(body.sessions[0]!.counts).reduce((a, b) => a + b, 0);
            expect({ v, offer: n, counted }).toEqual({ v, offer: n, counted: want.length });
            // Outcomes: the provider, its partners and the secretariat — and then the whole offer's figures.
            const out = await get(`/api/v1/offers/${o.id}/outcomes`);
            expect({ v, offer: n, outcomes: out.statusCode }).toEqual({ v, offer: n, outcomes: outcomesFor(v, o) ? 200 : 403 });
            if (out.statusCode === 200) {
              const all = rows.filter((r) => r.spec.offer === n);
              expect(out.json()).toMatchObject({ applications: all.length, participants: all.filter((r) => r.spec.status === 'selected').length });
              expect(out.body).not.toContain(`m${run}x`);
            }
          }
          // The endorsement list.
          const en = await get('/api/v1/applications/endorsements');
          if (vetted(v)) {
            const listed = (en.json() as { items: { id: string }[] }).items.map((i) => i.id).filter((id) => mine.has(id));
            expect({ v, endorse: sorted(listed) }).toEqual({ v, endorse: sorted(rows.filter((r) => endorses(v, r)).map((r) => r.id)) });
          }
          // Certificates: the same few public fields, whoever asks.
          for (const r of rows.filter((x) => x.code)) {
            const c = await get(`/api/v1/certificates/${r.code}`);
            expect(c.statusCode).toBe(200);
            expect(Object.keys(c.json() as object).sort()).toEqual(['code', 'endsAt', 'issuedAt', 'name', 'offer', 'provider', 'startsAt', 'status', 'timeZone', 'url']);
            expect(c.body).not.toContain(`m${run}x`);
            const page = await get(`/certificates/${r.code}`);
            expect({ page: page.statusCode, leak: page.body.includes(`m${run}x`) }).toEqual({ page: 200, leak: false });
          }
          // The event stream (replay): news of an application only to its applicant and its provider.
          const viewer = v === null ? ANONYMOUS : (await loadPrincipalParts(t.db, ids.personIds[v]!))!.viewer;
          const heard = new Set((await t.deps.hub.since(viewer, 0, 100_000)).map((e) => e.subjectId));
          const got = rows.filter((r) => heard.has(r.id)).map((r) => r.id);
          events += got.length;
          expect({ v, events: sorted(got) }).toEqual({ v, events: sorted(rows.filter((r) => hears(v, r)).map((r) => r.id)) });
        }
      }),
      { numRuns: 40 },
    );
    // Not vacuous: readers did read applications and hear of them.
    expect(readable).toBeGreaterThan(10);
    expect(events).toBeGreaterThan(5);
    expect(mailed).toBeGreaterThan(5);
    expect(colleagues).toBeGreaterThan(2);
  }, 300_000);
});
