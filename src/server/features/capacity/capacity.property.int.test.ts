import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { parseCsv } from '../../platform/csv.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';

/**
 * Random worlds of offers, requests (with their steps and chosen answers) and applications,
 * marked at every level, seen by every person and the public: every figure of the dashboard —
 * counts, medians, the map — its CSV, its PDF (read back by poppler) and the IATI file's
 * completed assistance must be exactly what an oracle computes from the world, written here from
 * the rules in words (the TLP table of worlds.ts, the requests' workflow, the applications' read
 * and outcomes rules), never from the code under test.
 */

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();
const xmllint = spawnSync('sh', ['-c', 'command -v xmllint']).stdout.toString().trim();
const XSD = path.join(path.dirname(new URL(import.meta.url).pathname), '../../test/fixtures/iati/iati-activities-schema.xsd');

const CONCEPTS = ['gfce-themes/c', 'gfce-themes/d'] as const;
const COUNTRIES = ['DO', 'CL', 'ES'] as const;
const STATUSES = ['submitted', 'triaged', 'open', 'matched', 'in-delivery', 'completed', 'evaluated'] as const;
const TYPES = ['training-course', 'summer-school', 'exercise-tabletop', 'exercise-technical', 'study-visit', 'assistance-strategy', 'assistance-legislation', 'assistance-national-agency', 'assistance-csirt-soc', 'assistance-technology-transfer', 'expert-mission', 'fellowship', 'webinar'] as const;
/** The requesting organisations' country (insertSociety): a request not asked for a country is about it. */
const HOME = 'PA';
const STATUS_WORDS: Record<(typeof STATUSES)[number], string> = {
  submitted: 'Submitted',
  triaged: 'Triaged',
  open: 'Open to providers',
  matched: 'Matched',
  'in-delivery': 'In delivery',
  completed: 'Completed',
  evaluated: 'Evaluated',
};

interface OfferSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'published' | 'closed';
  type: 'webinar' | 'study-visit';
  concepts: string[];
  countries: string[];
  june: boolean;
  /** Without sessions, it counts by the month it was published in. */
  sessions: boolean;
  partners: number[];
}
interface RequestSpec {
  author: number;
  mark: Mark;
  status: (typeof STATUSES)[number];
  country: string | null;
  concepts: string[];
  june: boolean;
  /** Hours between each step and the one before. */
  gaps: number[];
  interest: { author: number; mark: Mark };
}
interface ApplicationSpec {
  person: number;
  offer: number;
  status: 'selected' | 'waitlisted' | 'submitted';
  completed: boolean;
  country: string;
  endorse: boolean;
}

let t: TestApp;
let states: { code: string; region: 'EU' | 'LAC'; subregion: string }[];
beforeAll(async () => {
  t = await createTestApp();
  const rows = await t.db.selectFrom('countries').select(['code', 'region', 'subregion']).where('kind', '=', 'state').execute();
  states = rows.filter((r) => r.region === 'EU' || r.region === 'LAC').map((r) => ({ code: r.code, region: r.region as 'EU' | 'LAC', subregion: r.subregion }));
});
afterAll(async () => t?.close());

/** percentile_cont: the value at rank q·(n−1), between the two closest ranks. */
function cont(xs: number[], q: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const r = q * (s.length - 1);
  const below = s[Math.floor(r)]!;
  const above = s[Math.ceil(r)]!;
  return Math.round(below * (1 - (r - Math.floor(r))) + above * (r - Math.floor(r)));
}

const HOUR = 3_600_000;
const monthStart = (june: boolean) => new Date(june ? '2027-06-03T10:00:00Z' : '2027-03-03T10:00:00Z');

describe('the capacity-building dashboard (property)', () => {
  it('every figure, the CSV, the PDF and the IATI file’s assistance are exactly what the oracle allows each reader', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    let counted = 0;
    const conceptsArb = fc.subarray([...CONCEPTS]);
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, minPeople: 2, maxPeople: 5, maxCommunities: 2 }),
        secretariat: fc.option(fc.nat(), { nil: null }),
        admins: fc.array(fc.nat(), { maxLength: 2 }),
        focal: fc.array(fc.nat(), { maxLength: 1 }),
        offers: fc.array(
          fc.record({
            author: fc.nat(),
            mark: markArb,
            status: fc.constantFrom('draft' as const, 'published' as const, 'closed' as const),
            type: fc.constantFrom('webinar' as const, 'study-visit' as const),
            concepts: conceptsArb,
            countries: fc.subarray([...COUNTRIES]),
            june: fc.boolean(),
            sessions: fc.constantFrom(true, true, false),
            partners: fc.array(fc.nat(), { maxLength: 1 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        requests: fc.array(
          fc.record({
            author: fc.nat(),
            mark: markArb,
            status: fc.constantFrom(...STATUSES),
            country: fc.constantFrom(null, 'DO', 'CL'),
            concepts: conceptsArb,
            june: fc.boolean(),
            gaps: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 7, maxLength: 7 }),
            interest: fc.record({ author: fc.nat(), mark: markArb }),
          }),
          { maxLength: 5 },
        ),
        applications: fc.array(
          fc.record({
            person: fc.nat(),
            offer: fc.nat(),
            status: fc.constantFrom('selected' as const, 'selected' as const, 'waitlisted' as const, 'submitted' as const),
            completed: fc.boolean(),
            country: fc.constantFrom(...COUNTRIES),
            endorse: fc.boolean(),
          }),
          { minLength: 2, maxLength: 6 },
        ),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        const s: Society = fit.society;
        const org = (n: number) => n % s.orgs.length;
        return {
          society: s,
          secretariat: w.secretariat === null ? null : fit.person(w.secretariat),
          admins: [...new Set(w.admins.map(fit.person))],
          focal: [...new Set(w.focal.map(fit.person))],
          offers: w.offers.map((o): OfferSpec => ({ ...o, author: fit.person(o.author), mark: fit.mark(o.mark), partners: [...new Set(o.partners.map(org))] })),
          requests: w.requests.map((r): RequestSpec => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark), interest: { author: fit.person(r.interest.author), mark: fit.mark(r.interest.mark) } })),
          applications: w.applications.map((a): ApplicationSpec => ({ ...a, person: fit.person(a.person), offer: a.offer % w.offers.length })),
        };
      });

    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        run++;
        const w = world.society;
        // Each world alone in the database: the dashboard counts everything the reader may see.
        await t.db.deleteFrom('applications').execute();
        await t.db.deleteFrom('assistance_requests').execute();
        await t.db.deleteFrom('offers').execute();
        const ids = await insertSociety(t.db, w, { country: HOME, label: `cap${run}`, passwordHash: hash });
        const orgOf = (person: number) => w.people[person]!.org;
        if (world.secretariat !== null) await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', '=', ids.personIds[world.secretariat]!).execute();
        for (const a of world.admins) if (a !== world.secretariat) await t.db.updateTable('people').set({ roles: ['member', 'org_admin'] }).where('id', '=', ids.personIds[a]!).execute();
        for (const f of world.focal) await t.db.insertInto('country_focal_points').values({ country_code: 'DO', person_id: ids.personIds[f]! }).execute();
        const stored = (m: Mark): Mark => ({ tlp: m.tlp, orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [], comms: m.tlp === 'AMBER' ? m.comms : [], people: m.tlp === 'RED' ? m.people : [] });
        const marking = (m: Mark) => ({
          tlp: m.tlp,
          audience_organisations: stored(m).orgs.map((x) => ids.orgIds[x]!),
          audience_communities: stored(m).comms.map((x) => ids.commIds[x]!),
          audience_people: stored(m).people.map((x) => ids.personIds[x]!),
        });

        // ---- the world in the database
        const offers: { id: string; spec: OfferSpec; session: string | null }[] = [];
        for (const [n, o] of world.offers.entries()) {
          const id = newId();
          const when = monthStart(o.june);
          await t.db
            .insertInto('offers')
            .values({
              id,
              slug: `cap${run}-${n}-${id.slice(-8)}`,
              type: o.type,
              title: `Offer ${run}-${n}`,
              language: 'en',
              concepts: o.concepts,
              languages: ['en'],
              format: 'online',
              countries: o.countries,
              status: o.status,
              published_at: o.status === 'draft' ? null : o.sessions ? new Date('2026-01-05T00:00:00Z') : when,
              pap: 'GREEN',
              author_id: ids.personIds[o.author]!,
              author_org_id: ids.orgIds[orgOf(o.author)]!,
              ...marking(o.mark),
            })
            .execute();
          let session: string | null = null;
          if (o.sessions) {
            session = newId();
            await t.db
              .insertInto('offer_sessions')
              .values({ id: session, offer_id: id, starts_at: when, ends_at: new Date(when.getTime() + 8 * HOUR), time_zone: 'UTC', seats: 50 })
              .execute();
          }
          for (const p of o.partners) await t.db.insertInto('offer_partners').values({ id: newId(), offer_id: id, organisation_id: ids.orgIds[p]!, role: 'implementing' }).execute();
          offers.push({ id, spec: o, session });
        }
        const requests: { id: string; spec: RequestSpec; at: Date[] }[] = [];
        for (const [n, r] of world.requests.entries()) {
          const id = newId();
          const reached = STATUSES.indexOf(r.status);
          const at: Date[] = [monthStart(r.june)];
          for (let i = 1; i <= reached; i++) at.push(new Date(at[i - 1]!.getTime() + r.gaps[i]! * HOUR));
          await t.db
            .insertInto('assistance_requests')
            .values({
              id,
              country_code: r.country,
              title: `Need ${run}-${n}`,
              wanted: 'Help to set up a sectoral CSIRT',
              language: 'en',
              concepts: r.concepts,
              languages: ['es'],
              status: r.status,
              pap: 'AMBER',
              author_id: ids.personIds[r.author]!,
              author_org_id: ids.orgIds[orgOf(r.author)]!,
              created_at: at[0]!,
              ...marking(r.mark),
            })
            .execute();
          for (let i = 0; i <= reached; i++) await t.db.insertInto('request_steps').values({ id: newId(), request_id: id, status: STATUSES[i]!, at: at[i]! }).execute();
          if (reached >= STATUSES.indexOf('matched')) {
            const interest = newId();
            await t.db
              .insertInto('request_interests')
              .values({
                id: interest,
                request_id: id,
                message: 'We can help, with a partner.',
                status: 'chosen',
                pap: 'AMBER',
                author_id: ids.personIds[r.interest.author]!,
                author_org_id: ids.orgIds[orgOf(r.interest.author)]!,
                ...marking(r.interest.mark),
              })
              .execute();
            await t.db.updateTable('assistance_requests').set({ chosen_interest_id: interest }).where('id', '=', id).execute();
          }
          requests.push({ id, spec: { ...r, mark: stored(r.mark), interest: { ...r.interest, mark: stored(r.interest.mark) } }, at });
        }
        const applications: ApplicationSpec[] = [];
        const taken = new Set<string>();
        for (const [n, a] of world.applications.entries()) {
          const o = offers[a.offer]!;
          if (!o.session || taken.has(`${o.id} ${a.person}`)) continue;
          taken.add(`${o.id} ${a.person}`);
          const done = a.status === 'selected' && a.completed;
          await t.db
            .insertInto('applications')
            .values({
              id: newId(),
              offer_id: o.id,
              session_id: o.session,
              person_id: ids.personIds[a.person]!,
              organisation_id: ids.orgIds[orgOf(a.person)]!,
              country: a.country,
              status: a.status,
              needs_endorsement: a.endorse,
              ticket: n + 1,
              waitlist_ticket: a.status === 'waitlisted' ? n + 1 : null,
              attended: done ? true : null,
              completed: done ? true : null,
            })
            .execute();
          applications.push({ ...a, completed: done });
        }

        // ---- the oracle, from the rules in words
        const vetted = (v: number | null) => v !== null && w.orgs[orgOf(v)]!.approved;
        const sameOrg = (v: number | null, p: number) => v !== null && orgOf(v) === orgOf(p);
        const secretariat = (v: number | null) => vetted(v) && v === world.secretariat;
        const offerSeen = (v: number | null, o: OfferSpec) => tlpOracle(w, v, o.author, stored(o.mark)) && (o.status !== 'draft' || sameOrg(v, o.author));
        /** Before the secretariat opens it, a request is its organisation's and the secretariat's. */
        const requestSeen = (v: number | null, r: RequestSpec) => tlpOracle(w, v, r.author, r.mark) && (STATUSES.indexOf(r.status) >= 2 || sameOrg(v, r.author) || secretariat(v));
        /** Its own read rule (applicant, their org's admin, the focal point who endorses, the provider), or the outcomes rule (provider, partners, secretariat). */
        const applicationCounted = (v: number | null, a: ApplicationSpec) => {
          const o = offers[a.offer]!.spec;
          if (v === null || !vetted(v) || !offerSeen(v, o)) return false;
          return (
            v === a.person ||
            sameOrg(v, o.author) ||
            (sameOrg(v, a.person) && world.admins.includes(v) && v !== world.secretariat) ||
            (a.endorse && a.country === 'DO' && world.focal.includes(v)) ||
            o.partners.includes(orgOf(v)) ||
            secretariat(v)
          );
        };

        const expected = (v: number | null, q: { concept?: string; scope?: string[]; june?: boolean }) => {
          const scope = q.scope ?? states.map((s) => s.code);
          const inScope = states.filter((s) => scope.includes(s.code));
          const openTo = (o: OfferSpec, codes: string[]) => o.countries.length === 0 || o.countries.some((c) => codes.includes(c));
          const os = offers
            .map((o) => o.spec)
            .filter((o) => o.status !== 'draft' && offerSeen(v, o))
            .filter((o) => !q.concept || o.concepts.includes(q.concept))
            .filter((o) => !q.scope || openTo(o, q.scope))
            .filter((o) => q.june === undefined || o.june === q.june);
          const rs = requests
            .filter((r) => requestSeen(v, r.spec))
            .filter((r) => !q.concept || r.spec.concepts.includes(q.concept))
            .filter((r) => scope.includes(r.spec.country ?? HOME))
            .filter((r) => q.june === undefined || r.spec.june === q.june);
          const as = applications
            .filter((a) => a.status === 'selected' && applicationCounted(v, a))
            .filter((a) => !q.concept || offers[a.offer]!.spec.concepts.includes(q.concept))
            .filter((a) => scope.includes(a.country))
            .filter((a) => q.june === undefined || offers[a.offer]!.spec.june === q.june);
          const ranked = <T extends { n: number; k: string }>(xs: T[]) => xs.filter((x) => x.n > 0).sort((a, b) => b.n - a.n || (a.k < b.k ? -1 : 1));
          const since = (r: (typeof rs)[number], status: string) => {
            const i = STATUSES.indexOf(status as never);
            return STATUSES.indexOf(r.spec.status) >= i ? [(r.at[i]!.getTime() - r.at[0]!.getTime()) / 1000] : [];
          };
          const regions: { region: string; subregion: string | null; offers: number }[] = [];
          for (const region of ['EU', 'LAC']) {
            const here = inScope.filter((s) => s.region === region);
            if (!here.length) continue;
            regions.push({ region, subregion: null, offers: os.filter((o) => openTo(o, here.map((s) => s.code))).length });
            for (const sub of [...new Set(here.map((s) => s.subregion))].sort())
              regions.push({ region, subregion: sub, offers: os.filter((o) => openTo(o, here.filter((s) => s.subregion === sub).map((s) => s.code))).length });
          }
          const matched = rs.flatMap((r) => since(r, 'matched'));
          const delivered = rs.flatMap((r) => since(r, 'in-delivery'));
          return {
            offers: {
              total: os.length,
              openToAll: os.filter((o) => o.countries.length === 0).length,
              byType: TYPES.map((type) => ({ type, offers: os.filter((o) => o.type === type).length })),
              byConcept: ranked(CONCEPTS.map((k) => ({ k, n: os.filter((o) => o.concepts.includes(k)).length }))).map((x) => ({ concept: x.k, offers: x.n })),
              byRegion: regions,
            },
            requests: {
              total: rs.length,
              byStatus: STATUSES.map((status) => ({ status, requests: rs.filter((r) => r.spec.status === status).length })),
              toMatched: { count: matched.length, median: cont(matched, 0.5), p75: cont(matched, 0.75) },
              toDelivery: { count: delivered.length, median: cont(delivered, 0.5), p75: cont(delivered, 0.75) },
            },
            participants: {
              selected: as.length,
              completed: as.filter((a) => a.completed).length,
              byCountry: ranked(COUNTRIES.map((k) => ({ k, n: as.filter((a) => a.country === k).length })))
                .map((x) => ({ country: x.k, selected: x.n, completed: as.filter((a) => a.country === x.k && a.completed).length })),
              byConcept: ranked(CONCEPTS.map((k) => ({ k, n: as.filter((a) => offers[a.offer]!.spec.concepts.includes(k)).length })))
                .map((x) => ({ concept: x.k, selected: x.n, completed: as.filter((a) => a.completed && offers[a.offer]!.spec.concepts.includes(x.k)).length })),
            },
            countries: inScope.map((s) => ({
              code: s.code,
              offers: os.filter((o) => openTo(o, [s.code])).length,
              requests: rs.filter((r) => (r.spec.country ?? HOME) === s.code).length,
              participants: as.filter((a) => a.country === s.code).length,
            })),
          };
        };
        type Shown = ReturnType<typeof expected>;
        /** The answer without the words (labels and languages): the figures only. */
        const figures = (d: Record<string, any>): Shown => ({
          offers: { ...d.offers, byConcept: d.offers.byConcept.map((x: any) => ({ concept: x.concept, offers: x.offers })) },
          requests: d.requests,
          participants: { ...d.participants, byConcept: d.participants.byConcept.map((x: any) => ({ concept: x.concept, selected: x.selected, completed: x.completed })) },
          countries: [...d.countries].map((x: any) => ({ code: x.code, offers: x.offers, requests: x.requests, participants: x.participants })).sort((a, b) => a.code.localeCompare(b.code)),
        });
        const sorted = (e: Shown): Shown => ({ ...e, countries: [...e.countries].sort((a, b) => a.code.localeCompare(b.code)) });

        const lac = states.filter((s) => s.region === 'LAC').map((s) => s.code);
        const southAmerica = states.filter((s) => s.subregion === 'South America').map((s) => s.code);
        const variants: [string, Parameters<typeof expected>[1]][] = [
          ['', {}],
          ['concept=gfce-themes%2Fc', { concept: 'gfce-themes/c' }],
          ['region=LAC', { scope: lac }],
          ['region=South%20America', { scope: southAmerica }],
          ['country=DO', { scope: ['DO'] }],
          ['from=2027-06-01&to=2027-06-30', { june: true }],
          ['from=2027-03-01&to=2027-03-31&region=LAC&concept=gfce-themes%2Fd', { june: false, scope: lac, concept: 'gfce-themes/d' }],
        ];

        let validated = false;
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; rawPayload: Buffer; json: () => unknown }>;
          if (v === null) get = (url) => t.app.inject({ method: 'GET', url });
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          for (const [query, q] of variants) {
            const res = await get(`/api/v1/capacity/dashboard?${query}`);
            expect(res.statusCode, res.body).toBe(200);
            const want = sorted(expected(v, q));
            expect({ v, query, got: figures(res.json() as Record<string, unknown>) }).toEqual({ v, query, got: want });
            counted += want.offers.total + want.requests.total + want.participants.selected;
          }
          const all = sorted(expected(v, {}));

          // The CSV: the same figures, line by line.
          const csv = await get('/api/v1/capacity/dashboard.csv');
          expect(csv.statusCode).toBe(200);
          const lines = parseCsv(csv.body.replace(/^\uFEFF/, '')).slice(1);
          const value = (section: string, key: string, measure: string) => lines.find((l) => l[0] === section && l[1] === key && l[3] === measure)?.[4];
          for (const c of all.countries)
            expect({ v, c: c.code, o: value('countries', c.code, 'offers'), r: value('countries', c.code, 'requests'), p: value('countries', c.code, 'participants') }).toEqual({
              v,
              c: c.code,
              o: String(c.offers),
              r: String(c.requests),
              p: String(c.participants),
            });
          for (const s of all.requests.byStatus) expect({ v, s: s.status, n: value('requests_by_status', s.status, 'requests') }).toEqual({ v, s: s.status, n: String(s.requests) });
          expect({ v, median: value('request_times', 'submitted-to-matched', 'median_seconds') ?? '' }).toEqual({ v, median: all.requests.toMatched.median === null ? '' : String(all.requests.toMatched.median) });
          expect({ v, offers: value('offers', 'total', 'offers'), selected: value('participants', 'total', 'selected') }).toEqual({ v, offers: String(all.offers.total), selected: String(all.participants.selected) });
          expect(lines.filter((l) => l[0] === 'participants_by_country').length).toBe(all.participants.byCountry.length * 2);

          // The PDF, read back by an independent reader (poppler): the requests by status and the per-country table.
          if (pdftotext) {
            const pdf = await get('/api/v1/capacity/dashboard.pdf?lang=en');
            expect(pdf.statusCode).toBe(200);
            const dir = mkdtempSync(path.join(os.tmpdir(), 'capacity-pdf-'));
            writeFileSync(path.join(dir, 'd.pdf'), pdf.rawPayload);
            const text = spawnSync(pdftotext, ['-layout', '-enc', 'UTF-8', path.join(dir, 'd.pdf'), '-']).stdout.toString('utf8');
            const section = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
            const rows = (s: string) => new Map(s.split('\n').map((l) => l.trim().split(/\s{2,}/)).filter((c) => c.length > 1).map((c) => [c[0]!, c.slice(1)]));
            const byStatus = rows(section('Requests by status', 'Time from request'));
            for (const s of all.requests.byStatus) expect({ v, s: s.status, n: byStatus.get(STATUS_WORDS[s.status])?.[0] }).toEqual({ v, s: s.status, n: String(s.requests) });
            const map = rows(text.slice(text.indexOf('By country')));
            const names = new Intl.DisplayNames(['en'], { type: 'region' });
            for (const c of all.countries) {
              const shown = map.get(names.of(c.code)!);
              expect({ v, c: c.code, shown }).toEqual({ v, c: c.code, shown: c.offers || c.requests || c.participants ? [String(c.offers), String(c.requests), String(c.participants)] : undefined });
            }
          }

          // The IATI file's completed assistance: requests completed or evaluated the reader may see, with the answer chosen they may see.
          const iati = await get('/api/v1/offers/export.iati.xml?status=open&include=assistance');
          expect(iati.statusCode).toBe(200);
          const inFile = requests.filter((r) => iati.body.includes(`-${r.id}</iati-identifier>`)).map((r) => r.id).sort();
          const allowed = requests
            .filter((r) => requestSeen(v, r.spec) && (r.spec.status === 'completed' || r.spec.status === 'evaluated') && tlpOracle(w, v, r.spec.interest.author, r.spec.interest.mark))
            .map((r) => r.id)
            .sort();
          expect({ v, inFile }).toEqual({ v, inFile: allowed });
          if (xmllint && !validated && allowed.length) {
            validated = true;
            const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'capacity-iati-')), 'a.xml');
            writeFileSync(file, iati.body);
            const r = spawnSync(xmllint, ['--noout', '--schema', XSD, file]);
            expect(r.stderr.toString()).toMatch(/validates/);
          }
        }
      }),
      { numRuns: 15 },
    );
    expect(counted).toBeGreaterThan(20);
  }, 600_000);
});
