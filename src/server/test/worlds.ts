/**
 * Random "societies" for property tests of the access policy: organisations
 * (approved or not), people in them (active or not), communities of organisations
 * and of people — and the TLP 2.0 table of DESIGN.md §3 written out independently
 * of platform/access/policy.ts, as THE oracle every property test compares against
 * (notes, contacts, coverage, checks, discussions, intel, TAXII, side channels).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import fc from 'fast-check';
import { TLP_LEVELS, type Tlp } from '../platform/access/policy.js';
import { newId } from '../platform/ids.js';

export interface Mark {
  tlp: Tlp;
  orgs: number[];
  comms: number[];
  people: number[];
}

export interface Society {
  orgs: { approved: boolean }[];
  /** `active: false`: a disabled account (active when absent). */
  people: { org: number; active?: boolean }[];
  communities: { orgs: number[]; people: number[] }[];
}

/**
 * May person `viewer` (null: the public) see a record by person `author` marked `m`?
 * Only an active person of an approved organisation sees more than CLEAR. A record
 * written for an organisation by nobody in particular has an author who is in that
 * organisation and is no viewer: add such a person to the society.
 */
export function tlpOracle(s: Society, viewer: number | null, author: number, m: Mark): boolean {
  if (viewer === null || s.people[viewer].active === false || !s.orgs[s.people[viewer].org].approved) return m.tlp === 'CLEAR';
  const org = s.people[viewer].org;
  const comms = s.communities.flatMap((c, i) => (c.orgs.includes(org) || c.people.includes(viewer) ? [i] : []));
  const own = viewer === author || org === s.people[author].org;
  switch (m.tlp) {
    case 'CLEAR':
    case 'GREEN':
      return true;
    case 'AMBER':
      return own || m.orgs.includes(org) || m.comms.some((c) => comms.includes(c));
    case 'AMBER+STRICT':
      return own || m.orgs.includes(org);
    case 'RED':
      return viewer === author || m.people.includes(viewer);
  }
}

/** Write a society's organisations, people and communities; returns their ids by index. */
export async function insertSociety(db: Kysely<DB>, s: Society, o: { country: string; label: string; passwordHash: string }) {
  const orgIds = s.orgs.map(() => newId());
  const personIds = s.people.map(() => newId());
  const commIds = s.communities.map(() => newId());
  for (const [i, org] of s.orgs.entries())
    await db
      .insertInto('organisations')
      .values({ id: orgIds[i], name: `Org ${o.label}-${i} ${orgIds[i].slice(-6)}`, country_code: o.country, type: 'national_csirt', status: org.approved ? 'approved' : 'suspended' })
      .execute();
  for (const [i, p] of s.people.entries())
    await db
      .insertInto('people')
      .values({ id: personIds[i], organisation_id: orgIds[p.org], email: `p-${personIds[i]}@example.test`, name: `P${i}`, password_hash: o.passwordHash })
      .execute();
  for (const [i, c] of s.communities.entries()) {
    await db.insertInto('communities').values({ id: commIds[i], slug: `c-${commIds[i].slice(-12)}`, name: `C${i}` }).execute();
    if (c.orgs.length) await db.insertInto('community_organisations').values(c.orgs.map((x) => ({ community_id: commIds[i], organisation_id: orgIds[x] }))).execute();
    if (c.people.length) await db.insertInto('community_people').values(c.people.map((x) => ({ community_id: commIds[i], person_id: personIds[x] }))).execute();
  }
  return { orgIds, personIds, commIds };
}

/** A random marking whose indices (organisations, communities, people) are fitted to a society later by `fitTo`. */
export const markArb: fc.Arbitrary<Mark> = fc.record({
  tlp: fc.constantFrom(...TLP_LEVELS),
  orgs: fc.array(fc.nat(), { maxLength: 2 }),
  comms: fc.array(fc.nat(), { maxLength: 2 }),
  people: fc.array(fc.nat(), { maxLength: 2 }),
});

/** A random society: organisations (one in four not approved), people in them, communities of organisations and of people. */
export function societyArb(o: { maxOrgs?: number; minPeople?: number; maxPeople?: number; maxCommunities?: number } = {}) {
  return fc.record({
    orgs: fc.array(fc.record({ approved: fc.constantFrom(true, true, true, false) }), { minLength: 1, maxLength: o.maxOrgs ?? 4 }),
    people: fc.array(fc.record({ org: fc.nat() }), { minLength: o.minPeople ?? 1, maxLength: o.maxPeople ?? 5 }),
    communities: fc.array(fc.record({ orgs: fc.array(fc.nat(), { maxLength: 2 }), people: fc.array(fc.nat(), { maxLength: 2 }) }), { maxLength: o.maxCommunities ?? 3 }),
  });
}

/** Bring freely drawn indices into range of a society: the society itself, a marking, a person. */
export function fitTo(s: Society) {
  const u = (xs: number[], n: number) => (n === 0 ? [] : [...new Set(xs.map((x) => x % n))]);
  const society: Society = {
    orgs: s.orgs,
    people: s.people.map((p) => ({ org: p.org % s.orgs.length })),
    communities: s.communities.map((c) => ({ orgs: u(c.orgs, s.orgs.length), people: u(c.people, s.people.length) })),
  };
  return {
    society,
    mark: (m: Mark): Mark => ({ tlp: m.tlp, orgs: u(m.orgs, s.orgs.length), comms: u(m.comms, s.communities.length), people: u(m.people, s.people.length) }),
    person: (n: number) => n % s.people.length,
  };
}
