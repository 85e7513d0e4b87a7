import { sql, type Expression, type SqlBool, type RawBuilder } from 'kysely';
import { AppError } from '../errors.js';

/**
 * The access policy: TLP 2.0 + audience, as in docs/security-model.md.
 *
 * The rule is written once, as a small condition tree (visibilityRule). Two
 * interpreters read that tree: `canSee` decides for one record in memory (SSE,
 * mail, single reads after load) and `visibleSql` compiles it to a WHERE clause
 * for lists, search, counts and exports. Because both interpret the same tree,
 * they cannot drift apart; policy.property.test.ts holds them equal, and equal to
 * the TLP table, on random worlds.
 */

// The levels are part of the contract with the web app (src/shared); policy users keep importing them from here.
import type { Tlp } from '#shared/tlp';
export { isTlp, TLP_LEVELS, type Pap, type Tlp } from '#shared/tlp';

export interface Audience {
  organisations: string[];
  communities: string[];
  people: string[];
}

/** What the policy needs to know about a record. */
export interface Marking {
  tlp: Tlp;
  authorId: string | null;
  authorOrgId: string | null;
  audience: Audience;
}

/** What the policy needs to know about who is looking. */
export interface Viewer {
  personId: string | null;
  organisationId: string | null;
  /** An active person in an approved organisation. Anyone else sees CLEAR only. */
  vetted: boolean;
  /** Communities the person belongs to, directly or through their organisation. */
  communityIds: string[];
}

export const ANONYMOUS: Viewer = Object.freeze({ personId: null, organisationId: null, vetted: false, communityIds: [] });

export type Condition =
  | { k: 'const'; value: boolean }
  | { k: 'tlpIn'; levels: Tlp[] }
  | { k: 'authorIs'; id: string }
  | { k: 'authorOrgIs'; id: string }
  | { k: 'audienceOrgHas'; id: string }
  | { k: 'audiencePersonHas'; id: string }
  | { k: 'audienceCommunityAny'; ids: string[] }
  | { k: 'and'; of: Condition[] }
  | { k: 'or'; of: Condition[] };

const or = (...of: Condition[]): Condition => ({ k: 'or', of });
const and = (...of: Condition[]): Condition => ({ k: 'and', of });
const tlpIn = (...levels: Tlp[]): Condition => ({ k: 'tlpIn', levels });

/** The one definition of who may see what. */
export function visibilityRule(v: Viewer): Condition {
  if (!v.vetted || !v.personId || !v.organisationId) return tlpIn('CLEAR');
  const person = v.personId;
  const org = v.organisationId;
  const isAuthor: Condition = { k: 'authorIs', id: person };
  const inAuthorOrg: Condition = { k: 'authorOrgIs', id: org };
  const orgNamed: Condition = { k: 'audienceOrgHas', id: org };
  const communityNamed: Condition = { k: 'audienceCommunityAny', ids: [...v.communityIds] };
  return or(
    tlpIn('CLEAR', 'GREEN'),
    and(tlpIn('AMBER'), or(isAuthor, inAuthorOrg, orgNamed, communityNamed)),
    // AMBER+STRICT never widens to whole communities.
    and(tlpIn('AMBER+STRICT'), or(isAuthor, inAuthorOrg, orgNamed)),
    and(tlpIn('RED'), or(isAuthor, { k: 'audiencePersonHas', id: person })),
  );
}

function evaluate(c: Condition, m: Marking): boolean {
  switch (c.k) {
    case 'const':
      return c.value;
    case 'tlpIn':
      return c.levels.includes(m.tlp);
    case 'authorIs':
      return m.authorId === c.id;
    case 'authorOrgIs':
      return m.authorOrgId === c.id;
    case 'audienceOrgHas':
      return m.audience.organisations.includes(c.id);
    case 'audiencePersonHas':
      return m.audience.people.includes(c.id);
    case 'audienceCommunityAny':
      return c.ids.some((id) => m.audience.communities.includes(id));
    case 'and':
      return c.of.every((x) => evaluate(x, m));
    case 'or':
      return c.of.some((x) => evaluate(x, m));
  }
}

/** May this viewer see this record? */
export function canSee(viewer: Viewer, marking: Marking): boolean {
  return evaluate(visibilityRule(viewer), marking);
}

function compile(c: Condition, col: (name: string) => RawBuilder<unknown>): RawBuilder<SqlBool> {
  switch (c.k) {
    case 'const':
      return c.value ? sql<SqlBool>`TRUE` : sql<SqlBool>`FALSE`;
    case 'tlpIn':
      return sql<SqlBool>`${col('tlp')} = ANY(${sql.val(c.levels)}::text[])`;
    case 'authorIs':
      return sql<SqlBool>`${col('author_id')} IS NOT DISTINCT FROM ${c.id}::uuid`;
    case 'authorOrgIs':
      return sql<SqlBool>`${col('author_org_id')} IS NOT DISTINCT FROM ${c.id}::uuid`;
    case 'audienceOrgHas':
      return sql<SqlBool>`${col('audience_organisations')} @> ARRAY[${c.id}::uuid]`;
    case 'audiencePersonHas':
      return sql<SqlBool>`${col('audience_people')} @> ARRAY[${c.id}::uuid]`;
    case 'audienceCommunityAny':
      return c.ids.length === 0 ? sql<SqlBool>`FALSE` : sql<SqlBool>`${col('audience_communities')} && ${sql.val(c.ids)}::uuid[]`;
    case 'and':
      return sql<SqlBool>`(${sql.join(c.of.map((x) => compile(x, col)), sql` AND `)})`;
    case 'or':
      return sql<SqlBool>`(${sql.join(c.of.map((x) => compile(x, col)), sql` OR `)})`;
  }
}

/**
 * The same rule as a SQL condition over a table carrying the marking columns
 * (tlp, author_id, author_org_id, audience_organisations, audience_communities,
 * audience_people). `table` is the alias in the query, if any.
 */
export function visibleSql(viewer: Viewer, table?: string): Expression<SqlBool> {
  const col = (name: string) => sql.ref(table ? `${table}.${name}` : name);
  return compile(visibilityRule(viewer), col);
}

/**
 * Bring an audience in line with its TLP level, refusing what cannot mean
 * anything: communities under AMBER+STRICT, organisations or communities
 * under RED. CLEAR and GREEN reach everyone they can reach, so they carry none.
 */
export function normaliseAudience(tlp: Tlp, audience: Partial<Audience> | undefined): Audience {
  const a: Audience = {
    organisations: [...new Set(audience?.organisations ?? [])],
    communities: [...new Set(audience?.communities ?? [])],
    people: [...new Set(audience?.people ?? [])],
  };
  if (tlp === 'CLEAR' || tlp === 'GREEN') return { organisations: [], communities: [], people: [] };
  if (tlp === 'AMBER+STRICT' && a.communities.length > 0)
    throw new AppError('INVALID_MARKING', 'TLP:AMBER+STRICT may name organisations, never whole communities', { field: 'audience.communities' });
  if (tlp === 'RED' && (a.organisations.length > 0 || a.communities.length > 0))
    throw new AppError('INVALID_MARKING', 'TLP:RED is shared with named people only', { field: 'audience' });
  if (tlp !== 'RED' && a.people.length > 0)
    throw new AppError('INVALID_MARKING', `TLP:${tlp} is shared with organisations${tlp === 'AMBER' ? ' and communities' : ''}, not single people`, {
      field: 'audience.people',
    });
  return a;
}

/** The audience as the standard columns of a marked table. */
export function audienceColumns(a: Audience) {
  return { audience_organisations: a.organisations, audience_communities: a.communities, audience_people: a.people };
}

/** A marking as the standard columns of a marked table (markingOf reads them back). */
export function markingColumns(m: Marking) {
  return { tlp: m.tlp, author_id: m.authorId, author_org_id: m.authorOrgId, ...audienceColumns(m.audience) };
}

/** Read a marking from a row with the standard marking columns. */
export function markingOf(row: {
  tlp: string;
  author_id: string | null;
  author_org_id: string | null;
  audience_organisations: string[];
  audience_communities: string[];
  audience_people: string[];
}): Marking {
  return {
    tlp: row.tlp as Tlp,
    authorId: row.author_id,
    authorOrgId: row.author_org_id,
    audience: { organisations: row.audience_organisations, communities: row.audience_communities, people: row.audience_people },
  };
}
