import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { createSession } from '../../platform/auth/sessions.js';
import { ANONYMOUS, markingOf } from '../../platform/access/policy.js';
import { publishEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { matchableOffers } from './matchable.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

interface OfferSpec {
  author: number;
  mark: Mark;
  status: 'draft' | 'published' | 'closed';
  type: 'webinar' | 'study-visit';
  format: 'online' | 'hybrid';
  /** Given in Spanish (else in English only). */
  spanish: boolean;
  /** Open to Chile (else only to Peru). */
  chile: boolean;
  /** Its session is in June 2027 (else in March). */
  june: boolean;
}

describe('the catalogue of offers (property)', () => {
  it('every reader gets exactly what the oracle and the workflow allow: list and each filter, counts, the offer, the IATI export, the portal, the concept page, matching and the event stream', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    let seen = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        offers: fc.array(
          fc.record({
            author: fc.nat(),
            mark: markArb,
            status: fc.constantFrom('draft' as const, 'published' as const, 'closed' as const),
            type: fc.constantFrom('webinar' as const, 'study-visit' as const),
            format: fc.constantFrom('online' as const, 'hybrid' as const),
            spanish: fc.boolean(),
            chile: fc.boolean(),
            june: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return { society: fit.society, offers: w.offers.map((o): OfferSpec => ({ ...o, author: fit.person(o.author), mark: fit.mark(o.mark) })) };
      });
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, offers }) => {
        run++;
        const word = `quartzite${run}x`;
        // A concept of its own per run keeps each world's offers apart from the last one's.
        const concept = run % 2 ? 'gfce-themes/d' : 'gfce-themes/c';
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `of${run}`, passwordHash: hash });
        const lastEvent = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        const made: { id: string; slug: string; spec: OfferSpec }[] = [];
        for (const [n, o] of offers.entries()) {
          const id = newId();
          const tlp = o.mark.tlp;
          const slug = `of${run}-${n}-${id.slice(-8)}`;
          const row = {
            id,
            slug,
            type: o.type,
            title: `Offer ${run}-${n} ${word}`,
            summary: `The ${word} offer alpha${n}beta.`,
            language: 'en',
            translations: JSON.stringify({ es: { fields: { title: `Oferta ${run}-${n}`, summary: `La oferta ${word}s` }, basedOn: 1, machine: false, at: new Date().toISOString(), by: null } }),
            concepts: [concept],
            audiences: ['officials'],
            languages: o.spanish ? ['es-419', 'en'] : ['en'],
            format: o.format,
            countries: o.chile ? ['CL', 'PE'] : ['PE'],
            status: o.status,
            tlp,
            pap: 'GREEN',
            author_id: ids.personIds[o.author]!,
            author_org_id: ids.orgIds[w.people[o.author]!.org]!,
            audience_organisations: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? o.mark.orgs.map((x) => ids.orgIds[x]!) : [],
            audience_communities: tlp === 'AMBER' ? o.mark.comms.map((k) => ids.commIds[k]!) : [],
            audience_people: tlp === 'RED' ? o.mark.people.map((x) => ids.personIds[x]!) : [],
          };
          await t.db.insertInto('offers').values(row).execute();
          const day = o.june ? '2027-06-10' : '2027-03-10';
          await t.db
            .insertInto('offer_sessions')
            .values({ id: newId(), offer_id: id, starts_at: new Date(`${day}T09:00:00Z`), ends_at: new Date(`${day}T17:00:00Z`), time_zone: 'UTC', seats: 10 })
            .execute();
          // What the service announces for an offer that is not a draft, with its marking.
          if (o.status !== 'draft') await publishEvent(t.db, { type: 'offer.published', subjectType: 'offer', subjectId: id, payload: { title: row.title }, marking: markingOf(row) });
          const stored: Mark = { tlp, orgs: tlp === 'AMBER' || tlp === 'AMBER+STRICT' ? o.mark.orgs : [], comms: tlp === 'AMBER' ? o.mark.comms : [], people: tlp === 'RED' ? o.mark.people : [] };
          made.push({ id, slug, spec: { ...o, mark: stored } });
        }
        // Independent of the code under test: the TLP table, then the workflow in words (a draft is its provider organisation's).
        const oracle = (v: number | null, m: (typeof made)[number]) =>
          tlpOracle(w, v, m.spec.author, m.spec.mark) && (m.spec.status !== 'draft' || (v !== null && w.people[v]!.org === w.people[m.spec.author]!.org));
        const mine = (xs: string[]) => xs.filter((x) => made.some((m) => m.id === x)).sort();
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; body: string; json: () => unknown }>;
          if (v === null) get = anonymous;
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const may = made.filter((m) => oracle(v, m));
          const want = (status: OfferSpec['status'][], pick: (s: OfferSpec) => boolean = () => true) =>
            may.filter((m) => status.includes(m.spec.status) && pick(m.spec)).map((m) => m.id).sort();
          seen += may.length;
          const listed = async (query: string) => {
            const res = (await get(`/api/v1/offers?${query}&limit=100`)).json() as { items: { id: string }[]; counts: { byType: Record<string, number> } };
            return { ids: mine(res.items.map((i) => i.id)), counted: Object.values(res.counts.byType).reduce((a, b) => a + b, 0) };
          };
          for (const [query, expected] of [
            [`q=${word}&status=open`, want(['published', 'closed'])],
            [`q=${word}s&lang=es`, want(['published'])],
            [`q=${word}&status=draft`, want(['draft'])],
            [`q=${word}&status=closed`, want(['closed'])],
            [`concept=${concept}&q=${word}&type=webinar`, want(['published'], (s) => s.type === 'webinar')],
            [`q=${word}&language=es`, want(['published'], (s) => s.spanish)],
            [`q=${word}&format=hybrid`, want(['published'], (s) => s.format === 'hybrid')],
            [`q=${word}&country=CL`, want(['published'], (s) => s.chile)],
            [`q=${word}&from=2027-06-01&to=2027-06-30`, want(['published'], (s) => s.june)],
          ] as const) {
            const got = await listed(query);
            expect({ v, query, ids: got.ids }).toEqual({ v, query, ids: expected });
            // Counts are over the visible offers only: never a number that hints at a hidden one.
            expect({ v, query, counted: got.counted }).toEqual({ v, query, counted: expected.length });
          }
          for (const m of made) {
            const status = (await get(`/api/v1/offers/${m.id}`)).statusCode;
            expect({ v, id: m.id, status }).toEqual({ v, id: m.id, status: oracle(v, m) ? 200 : 404 });
          }
          // The IATI export: published and closed offers the reader may see, never a draft.
          const iati = (await get(`/api/v1/offers/export.iati.xml?q=${word}`)).body;
          expect({ v, iati: made.filter((m) => iati.includes(m.id)).map((m) => m.id).sort() }).toEqual({ v, iati: want(['published', 'closed']) });
          const tagged = (await get(`/api/v1/vocabularies/${concept.split('/')[0]}/concepts/${concept.split('/')[1]}/tagged?limit=200`)).json() as { items: { id: string }[] };
          expect({ v, tagged: mine(tagged.items.map((i) => i.id)) }).toEqual({ v, tagged: want(['published', 'closed']) });
          // Matching reads published offers only, through the same policy.
          const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
          const viewer = parts?.viewer ?? ANONYMOUS;
          const matched = await matchableOffers(t.db, viewer, { concepts: [concept], languages: [], limit: 1000 });
          expect({ v, matched: mine(matched.map((o) => o.id)) }).toEqual({ v, matched: want(['published']) });
          // The event stream's replay: announcements of offers the reader may see, and of no other.
          const events = await t.deps.hub.since(viewer, lastEvent, 1000);
          expect({ v, events: mine(events.filter((e) => e.subjectType === 'offer').map((e) => e.subjectId!)) }).toEqual({ v, events: want(['published', 'closed']) });
          if (v === null) {
            const map = (await anonymous('/sitemap.xml')).body;
            expect({ map: made.filter((m) => map.includes(`/offers/${m.slug}<`)).map((m) => m.id).sort() }).toEqual({ map: want(['published', 'closed']) });
            for (const m of made) {
              const page = await anonymous(`/offers/${m.slug}`);
              const isPage = page.statusCode === 200 && (page.headers['content-type']?.toString().startsWith('text/html') ?? false) && page.body.includes('application/ld+json');
              expect({ id: m.id, isPage }).toEqual({ id: m.id, isPage: oracle(null, m) });
            }
          }
        }
      }),
      { numRuns: 15 },
    );
    expect(seen).toBeGreaterThan(10);
  }, 400_000);
});
