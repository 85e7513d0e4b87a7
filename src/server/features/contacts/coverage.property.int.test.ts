/**
 * The coverage map counts through the access policy: on random worlds
 * (organisations, people, communities, entries with arbitrary markings, kinds,
 * statuses and confirmation dates), every viewer's count per kind equals the
 * number of active, recently confirmed entries of that kind that the TLP table
 * lets them see — never more (a hidden entry is not revealed by an aggregate).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newId } from '../../platform/ids.js';
import { createSession } from '../../platform/auth/sessions.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';
import './tables.js';

const KINDS = ['diplomatic', 'technical', 'operational_24_7'] as const;
type M = Mark;
interface World extends Society {
  entries: { author: number; m: M; kinds: (typeof KINDS)[number][]; active: boolean; stale: boolean }[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb(),
    entries: fc.array(
      fc.record({
        author: fc.nat(),
        m: markArb,
        kinds: fc.subarray([...KINDS], { minLength: 1 }),
        active: fc.constantFrom(true, true, true, false),
        stale: fc.constantFrom(false, false, false, true),
      }),
      { minLength: 1, maxLength: 10 },
    ),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    return { ...fit.society, entries: w.entries.map((e) => ({ ...e, author: fit.person(e.author), m: fit.mark(e.m) })) };
  });

const oracle = (w: World, viewer: number, author: number, m: M): boolean => tlpOracle(w, viewer, author, m);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('coverage map through the access policy', () => {
  it('counts per country and kind exactly the entries each viewer may see', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const { orgIds, personIds, commIds } = await insertSociety(t.db, w, { country: 'UY', label: String(run), passwordHash: hash });
        const entryIds = w.entries.map(() => newId());
        for (const [i, e] of w.entries.entries()) {
          await t.db
            .insertInto('contacts')
            .values({
              id: entryIds[i],
              organisation_id: orgIds[w.people[e.author].org],
              country_code: 'UY',
              kinds: e.kinds,
              full_name: `Contact ${run} ${i}`,
              status: e.active ? 'active' : 'nominated',
              last_confirmed_at: e.stale ? new Date(Date.now() - 400 * 86_400_000) : new Date(),
              phone: null,
              emergency_phone: null,
              availability: null,
              pgp_key: null,
              pgp_fingerprint: null,
              pgp_algorithm: null,
              tlp: e.m.tlp,
              pap: 'GREEN',
              author_id: personIds[e.author],
              author_org_id: orgIds[w.people[e.author].org],
              audience_organisations: e.m.orgs.map((o) => orgIds[o]),
              audience_communities: e.m.comms.map((c) => commIds[c]),
              audience_people: e.m.people.map((p) => personIds[p]),
            })
            .execute();
        }
        try {
          for (const [v, id] of personIds.entries()) {
            const s = await createSession(t.db, id, t.deps.config.session, {});
            const res = await clientFor(t.app, `puente_session=${s.id}`, s.csrfToken).get('/api/v1/contacts/coverage');
            expect(res.statusCode).toBe(200);
            const uy = res.json().items.find((x: { code: string }) => x.code === 'UY');
            for (const k of KINDS) {
              const expected = w.entries.filter((e) => e.active && !e.stale && e.kinds.includes(k) && oracle(w, v, e.author, e.m)).length;
              expect({ v, k, count: uy[k].count }).toEqual({ v, k, count: expected });
            }
          }
        } finally {
          await t.db.deleteFrom('contacts').where('id', 'in', entryIds).execute();
          await t.db.deleteFrom('sessions').where('person_id', 'in', personIds).execute();
        }
      }),
      { numRuns: 25 },
    );
  });
});
