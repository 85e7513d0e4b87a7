/**
 * The access policy, checked on random worlds: random organisations (some not
 * approved), people (some disabled), communities (of organisations and of
 * people) and marked records with arbitrary audiences — including audiences the
 * API would refuse, so that the rule is shown safe even on data it never writes.
 *
 * For every viewer and record, three answers must agree:
 *   (a) the in-memory predicate canSee,
 *   (b) the SQL filter visibleSql, run by the database,
 *   (c) the oracle of test/worlds.ts, written straight from the TLP 2.0 table of DESIGN.md §3.
 * A second property drives the same worlds through the HTTP API (list, get, count).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { newId } from '../ids.js';
import { ANONYMOUS, canSee, TLP_LEVELS, visibleSql, type Marking, type Tlp, type Viewer } from './policy.js';
import { loadPrincipalParts } from '../auth/principal.js';
import { createSession } from '../auth/sessions.js';
import { clientFor, createTestApp, type TestApp } from '../../test/harness.js';
import { tlpOracle, type Society } from '../../test/worlds.js';

interface World {
  orgs: { status: 'approved' | 'requested' | 'suspended' | 'rejected' }[];
  people: { org: number; status: 'active' | 'disabled' }[];
  communities: { orgs: number[]; people: number[] }[];
  records: { tlp: Tlp; author: number; audOrgs: number[]; audComms: number[]; audPeople: number[] }[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    orgs: fc.array(fc.record({ status: fc.constantFrom('approved', 'approved', 'approved', 'suspended', 'requested', 'rejected') }), { minLength: 1, maxLength: 4 }),
    people: fc.array(fc.record({ org: fc.nat(), status: fc.constantFrom('active', 'active', 'active', 'disabled') }), { minLength: 1, maxLength: 7 }),
    communities: fc.array(fc.record({ orgs: fc.array(fc.nat(), { maxLength: 3 }), people: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 3 }),
    records: fc.array(
      fc.record({
        tlp: fc.constantFrom(...TLP_LEVELS),
        author: fc.nat(),
        audOrgs: fc.array(fc.nat(), { maxLength: 3 }),
        audComms: fc.array(fc.nat(), { maxLength: 2 }),
        audPeople: fc.array(fc.nat(), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map((w) => {
    const uniq = (xs: number[], n: number) => (n === 0 ? [] : [...new Set(xs.map((x) => x % n))]);
    const people = w.people.map((p) => ({ ...p, org: p.org % w.orgs.length })) as World['people'];
    return {
      orgs: w.orgs as World['orgs'],
      people,
      communities: w.communities.map((c) => ({ orgs: uniq(c.orgs, w.orgs.length), people: uniq(c.people, people.length) })),
      records: w.records.map((r) => ({
        tlp: r.tlp,
        author: r.author % people.length,
        audOrgs: uniq(r.audOrgs, w.orgs.length),
        audComms: uniq(r.audComms, w.communities.length),
        audPeople: uniq(r.audPeople, people.length),
      })),
    };
  });

/** The TLP table of DESIGN.md §3: the one oracle of test/worlds.ts. `v` is a person index, or null for the public. */
function oracle(w: World, v: number | null, r: World['records'][number]): boolean {
  const society: Society = {
    orgs: w.orgs.map((o) => ({ approved: o.status === 'approved' })),
    people: w.people.map((p) => ({ org: p.org, active: p.status === 'active' })),
    communities: w.communities,
  };
  return tlpOracle(society, v, r.author, { tlp: r.tlp, orgs: r.audOrgs, comms: r.audComms, people: r.audPeople });
}

interface Ids {
  orgs: string[];
  people: string[];
  communities: string[];
  records: string[];
}

async function insertWorld(db: Kysely<DB>, w: World): Promise<Ids> {
  const ids: Ids = { orgs: w.orgs.map(() => newId()), people: w.people.map(() => newId()), communities: w.communities.map(() => newId()), records: w.records.map(() => newId()) };
  await db
    .insertInto('organisations')
    .values(w.orgs.map((o, i) => ({ id: ids.orgs[i], name: `Org ${ids.orgs[i]}`, country_code: 'CL', type: 'national_csirt', status: o.status })))
    .execute();
  await db
    .insertInto('people')
    .values(w.people.map((p, i) => ({ id: ids.people[i], organisation_id: ids.orgs[p.org], email: `${ids.people[i]}@example.test`, name: `P${i}`, status: p.status })))
    .execute();
  for (const [i, c] of w.communities.entries()) {
    await db.insertInto('communities').values({ id: ids.communities[i], slug: `c-${ids.communities[i].slice(-12)}`, name: `C${i}` }).execute();
    if (c.orgs.length) await db.insertInto('community_organisations').values(c.orgs.map((o) => ({ community_id: ids.communities[i], organisation_id: ids.orgs[o] }))).execute();
    if (c.people.length) await db.insertInto('community_people').values(c.people.map((p) => ({ community_id: ids.communities[i], person_id: ids.people[p] }))).execute();
  }
  await db
    .insertInto('notes')
    .values(
      w.records.map((r, i) => ({
        id: ids.records[i],
        title: `R${i}`,
        body: 'x',
        language: 'en',
        tlp: r.tlp,
        pap: 'GREEN',
        author_id: ids.people[r.author],
        author_org_id: ids.orgs[w.people[r.author].org],
        audience_organisations: r.audOrgs.map((o) => ids.orgs[o]),
        audience_communities: r.audComms.map((c) => ids.communities[c]),
        audience_people: r.audPeople.map((p) => ids.people[p]),
      })),
    )
    .execute();
  return ids;
}

function markingOfRecord(w: World, ids: Ids, r: World['records'][number]): Marking {
  return {
    tlp: r.tlp,
    authorId: ids.people[r.author],
    authorOrgId: ids.orgs[w.people[r.author].org],
    audience: { organisations: r.audOrgs.map((o) => ids.orgs[o]), communities: r.audComms.map((c) => ids.communities[c]), people: r.audPeople.map((p) => ids.people[p]) },
  };
}

class Rollback extends Error {}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('access policy: predicate = SQL filter = TLP table', () => {
  it('holds on random worlds for every viewer, including the public', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        await t.db
          .transaction()
          .execute(async (trx) => {
            const ids = await insertWorld(trx, w);
            const viewers: { index: number | null; viewer: Viewer }[] = [{ index: null, viewer: ANONYMOUS }];
            for (const [i, id] of ids.people.entries()) {
              // Viewers are built the way a request builds them (loadPrincipalParts); a disabled person has none.
              const parts = await loadPrincipalParts(trx, id);
              viewers.push({ index: i, viewer: parts?.viewer ?? ANONYMOUS });
            }
            for (const { index, viewer } of viewers) {
              const rows = await trx.selectFrom('notes as n').select('n.id').where(visibleSql(viewer, 'n')).execute();
              const bySql = new Set(rows.map((r) => r.id));
              const { rows: countRows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notes n WHERE ${visibleSql(viewer, 'n')}`.execute(trx);
              expect(countRows[0].n).toBe(bySql.size);
              for (const [k, r] of w.records.entries()) {
                const expected = oracle(w, index, r);
                const predicate = canSee(viewer, markingOfRecord(w, ids, r));
                const context = { viewer: index, record: k, tlp: r.tlp, world: w };
                expect({ ...context, predicate }).toEqual({ ...context, predicate: expected });
                expect({ ...context, sql: bySql.has(ids.records[k]) }).toEqual({ ...context, sql: expected });
              }
            }
            throw new Rollback();
          })
          .catch((e) => {
            if (!(e instanceof Rollback)) throw e;
          });
      }),
      { numRuns: 120 },
    );
  });

  it('gives the public CLEAR only and gives unvetted people nothing more', () => {
    const m = (tlp: Tlp): Marking => ({ tlp, authorId: 'a', authorOrgId: 'o', audience: { organisations: ['o2'], communities: ['c'], people: ['p'] } });
    for (const tlp of TLP_LEVELS) expect(canSee(ANONYMOUS, m(tlp))).toBe(tlp === 'CLEAR');
    const unvetted: Viewer = { personId: 'p', organisationId: 'o2', vetted: false, communityIds: ['c'] };
    for (const tlp of TLP_LEVELS) expect(canSee(unvetted, m(tlp))).toBe(tlp === 'CLEAR');
  });
});

describe('access policy through the HTTP API', () => {
  it('lists, counts and fetches exactly what the TLP table allows', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const ids = await insertWorld(t.db, w);
        try {
          // The public first (no cookie), then every person; a disabled person's session yields no principal.
          const viewers: [number | null, ReturnType<typeof clientFor>][] = [[null, clientFor(t.app, '', '')]];
          for (const [i, personId] of ids.people.entries()) {
            const s = await createSession(t.db, personId, t.deps.config.session, {});
            viewers.push([w.people[i].status === 'active' ? i : null, clientFor(t.app, `puente_session=${s.id}`, s.csrfToken)]);
          }
          for (const [i, c] of viewers) {
            const mine = new Set(ids.records);
            const expected = new Set(w.records.flatMap((r, k) => (oracle(w, i, r) ? [ids.records[k]] : [])));
            const list = await c.get('/api/v1/notes?limit=500');
            expect(list.statusCode).toBe(200);
            const seen = new Set((list.json().items as { id: string }[]).map((n) => n.id).filter((id) => mine.has(id)));
            expect([...seen].sort()).toEqual([...expected].sort());
            for (const [k, id] of ids.records.entries()) {
              const one = await c.get(`/api/v1/notes/${id}`);
              expect({ record: k, status: one.statusCode }).toEqual({ record: k, status: expected.has(id) ? 200 : 404 });
            }
          }
        } finally {
          await t.db.deleteFrom('notes').where('id', 'in', ids.records).execute();
        }
      }),
      { numRuns: 25 },
    );
  });
});
