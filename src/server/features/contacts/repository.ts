import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';
import { likeContains } from '../../platform/sql.js';

/** An entry not confirmed for this long is stale. */
export const STALE_INTERVAL = '12 months';

/**
 * Every query that reads contacts starts here, and here the access policy's SQL
 * filter on the entry's marking is applied. The per-field markings are applied
 * in memory (service.contactView) on every row this returns.
 */
export function visibleContacts(db: Kysely<DB>, viewer: Viewer) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .innerJoin('countries as k', 'k.code', 'c.country_code')
    .selectAll('c')
    .select([
      'o.name as org_name',
      'o.acronym as org_acronym',
      'o.type as org_type',
      'o.sectors as org_sectors',
      'k.name as country_name',
      sql<string | null>`c.valid_until::text`.as('valid_until_text'),
      sql<boolean>`c.last_confirmed_at < now() - ${sql.lit(STALE_INTERVAL)}::interval`.as('stale'),
      sql<number>`floor(extract(epoch FROM now() - c.last_confirmed_at) / 86400)::int`.as('age_days'),
    ])
    .where(visibleSql(viewer, 'c'));
}

export type ContactRow = Awaited<ReturnType<ReturnType<typeof visibleContacts>['executeTakeFirstOrThrow']>>;

export interface ContactFilters {
  q?: string;
  organisation?: string;
  country?: string;
  kind?: string;
  sector?: string;
  language?: string;
  stale?: boolean;
  status?: string;
}

const like = likeContains;

/**
 * The ways a search term matches an entry, each a condition on the contact `alias`
 * that one index answers: the stored folded name by trigram word similarity (`%>`,
 * pg_trgm.word_similarity_threshold) or substring, the folded position by substring,
 * the organisation's folded name or acronym, the country's name. They read only
 * fields under the entry's marking.
 */
function termMatchers(q: string, alias: string): RawBuilder<SqlBool>[] {
  const pattern = like(q);
  const c = (col: string) => sql.ref(`${alias}.${col}`);
  return [
    // LIKE first: PostgreSQL evaluates OR left to right, and when the index is rechecked a
    // name that contains the term skips the costlier word similarity.
    sql<SqlBool>`(${c('search_name')} LIKE puente_fold(${pattern}) OR ${c('search_name')} %> puente_fold(${q}))`,
    sql<SqlBool>`${c('search_position')} LIKE puente_fold(${pattern})`,
    sql<SqlBool>`${c('organisation_id')} IN (
      SELECT og.id FROM organisations og WHERE puente_fold(og.name) LIKE puente_fold(${pattern})
      UNION
      SELECT og.id FROM organisations og WHERE puente_fold(coalesce(og.acronym, '')) LIKE puente_fold(${pattern}))`,
    sql<SqlBool>`${c('country_code')} IN (SELECT k2.code FROM countries k2 WHERE puente_fold(k2.name) LIKE puente_fold(${pattern}))`,
  ];
}

/** Every filter but the search term, on contacts `c` joined to organisations `o`. */
function fieldConditions(f: ContactFilters): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  if (f.organisation) out.push(sql<SqlBool>`c.organisation_id = ${f.organisation}::uuid`);
  if (f.country) out.push(sql<SqlBool>`c.country_code = ${f.country}`);
  if (f.kind) out.push(sql<SqlBool>`c.kinds @> ARRAY[${f.kind}]::text[]`);
  if (f.sector) out.push(sql<SqlBool>`o.sectors @> ARRAY[${f.sector}]::text[]`);
  if (f.language) out.push(sql<SqlBool>`c.languages @> ARRAY[${f.language}]::text[]`);
  if (f.stale !== undefined) out.push(f.stale ? sql<SqlBool>`c.last_confirmed_at < now() - ${sql.lit(STALE_INTERVAL)}::interval` : sql<SqlBool>`c.last_confirmed_at >= now() - ${sql.lit(STALE_INTERVAL)}::interval`);
  out.push(sql<SqlBool>`c.status = ${f.status ?? 'active'}`);
  return out;
}

/**
 * The search conditions. They read only fields under the entry's marking (name,
 * position, organisation, country, kinds, sectors, languages, status, dates),
 * never a field that may carry a narrower marking (e-mails, phones, channels,
 * availability, key): a search must not tell anyone what a withheld field holds.
 */
export function filterConditions(f: ContactFilters): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  const q = f.q?.trim();
  if (q) {
    // Each way of matching is its own index lookup, joined as one set of candidate
    // ids: an OR across joined tables would scan every entry.
    out.push(sql<SqlBool>`c.id IN (${sql.join(
      termMatchers(q, 'x').map((m) => sql`SELECT x.id FROM contacts x WHERE ${m}`),
      sql` UNION `,
    )})`);
  }
  out.push(...fieldConditions(f));
  return out;
}

export const allOf = (conds: RawBuilder<SqlBool>[]) => (conds.length ? sql<SqlBool>`(${sql.join(conds, sql` AND `)})` : sql<SqlBool>`TRUE`);

/** Organisations are joined only when a filter reads them (contacts.organisation_id is a NOT NULL foreign key: the join drops no entry). */
const orgJoin = (f: ContactFilters) => (f.sector ? sql`JOIN organisations o ON o.id = c.organisation_id` : sql``);

/**
 * One page of the directory and the number of entries matching it, in two steps:
 *
 * 1. the ids of the page, with the total counted in the same pass (`count(*) OVER ()`:
 *    the match set is computed once, not once more for a separate COUNT). With a search
 *    term, each way of matching (termMatchers) is its own branch of a UNION that applies
 *    the access policy (visibleSql) and every other filter to its own candidates and
 *    carries the rank, so no branch reads more than its index lookup found. The
 *    planner prices a sequential scan that computes trigram similarity for all entries
 *    as cheap (stored text, cost 1 operator) when it is the slowest plan, so this step
 *    runs in a transaction with `SET LOCAL enable_seqscan = off`;
 * 2. the page's full rows, read through visibleContacts (the policy again).
 */
export async function searchContacts(db: Kysely<DB>, viewer: Viewer, f: ContactFilters, page: number, pageSize: number) {
  const q = f.q?.trim();
  const visible = visibleSql(viewer, 'c');
  const fields = allOf(fieldConditions(f));
  const offset = (page - 1) * pageSize;
  let hits: { id: string; total: string }[];
  if (q) {
    const branches = termMatchers(q, 'c').map(
      (m) => sql`SELECT c.id, c.full_name, word_similarity(puente_fold(${q}), c.search_name) AS rank
        FROM contacts c ${orgJoin(f)} WHERE ${m} AND ${visible} AND ${fields}`,
    );
    const query = sql<{ id: string; total: string }>`
      SELECT m.id, count(*) OVER () AS total FROM (${sql.join(branches, sql` UNION `)}) m
      ORDER BY m.rank DESC, m.full_name, m.id LIMIT ${pageSize} OFFSET ${offset}`;
    hits = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return (await query.execute(trx)).rows;
    });
  } else {
    hits = (
      await sql<{ id: string; total: string }>`
        SELECT c.id, count(*) OVER () AS total FROM contacts c ${orgJoin(f)} WHERE ${visible} AND ${fields}
        ORDER BY c.country_code, c.full_name, c.id LIMIT ${pageSize} OFFSET ${offset}`.execute(db)
    ).rows;
  }
  if (!hits.length) {
    // Past the last page (or nothing matches): the window count had no row to ride on.
    if (page === 1) return { rows: [] as ContactRow[], total: 0 };
    const count = await db
      .selectFrom('contacts as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(visible)
      .where(allOf(filterConditions(f)))
      .executeTakeFirstOrThrow();
    return { rows: [] as ContactRow[], total: Number(count.n) };
  }
  const order = new Map(hits.map((h, i) => [h.id, i]));
  const rows = await visibleContacts(db, viewer)
    .where(sql<SqlBool>`c.id = ANY(${hits.map((h) => h.id)}::uuid[])`)
    .execute();
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { rows, total: Number(hits[0].total) };
}

/** The states (not the marker for international bodies), by region and name: the rows of the coverage map. */
export function stateCountries(db: Kysely<DB>) {
  return db.selectFrom('countries').select(['code', 'name', 'region', 'subregion']).where('kind', '=', 'state').orderBy('region').orderBy('name').execute();
}

/**
 * Per country, the active diplomatic, technical and 24/7 entries this viewer may see
 * that are confirmed within STALE_INTERVAL and not past their valid-until date: counts
 * and latest confirmation by kind. Taken only over rows that pass the policy, so a
 * count never reveals an entry the viewer could not open.
 */
export function visibleCoverage(db: Kysely<DB>, viewer: Viewer) {
  const agg = (kind: string) => sql<string>`count(*) FILTER (WHERE c.kinds @> ARRAY[${kind}]::text[])`;
  const last = (kind: string) => sql<Date | null>`max(c.last_confirmed_at) FILTER (WHERE c.kinds @> ARRAY[${kind}]::text[])`;
  return db
    .selectFrom('contacts as c')
    .select([
      'c.country_code',
      agg('diplomatic').as('n_diplomatic'),
      agg('technical').as('n_technical'),
      agg('operational_24_7').as('n_operational_24_7'),
      last('diplomatic').as('l_diplomatic'),
      last('technical').as('l_technical'),
      last('operational_24_7').as('l_operational_24_7'),
      sql<Date | null>`max(c.last_confirmed_at)`.as('l_any'),
    ])
    .where(visibleSql(viewer, 'c'))
    .where('c.status', '=', 'active')
    .where(sql<boolean>`c.last_confirmed_at >= now() - ${sql.lit(STALE_INTERVAL)}::interval`)
    .where(sql<boolean>`(c.valid_until IS NULL OR c.valid_until >= current_date)`)
    .where(sql<boolean>`c.kinds && ARRAY['diplomatic', 'technical', 'operational_24_7']::text[]`)
    .groupBy('c.country_code')
    .execute();
}

/** The nominations waiting for a decision that this viewer may see, oldest first, with who nominated them. */
export function visibleNominations(db: Kysely<DB>, viewer: Viewer) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .leftJoin('people as n', 'n.id', 'c.nominated_by')
    .select(['c.id', 'c.full_name', 'c.position', 'c.kinds', 'c.country_code', 'c.created_at', 'c.tlp', 'o.id as org_id', 'o.name as org_name', 'n.id as nominator_id', 'n.name as nominator_name'])
    .where('c.status', '=', 'nominated')
    .where(visibleSql(viewer, 'c'))
    .orderBy('c.created_at')
    .limit(500)
    .execute();
}

/** How many nominations wait for a decision among those this viewer may see (the secretariat's to-do count). */
export async function countVisibleNominations(db: Kysely<DB>, viewer: Viewer): Promise<number> {
  const row = await db
    .selectFrom('contacts as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.status', '=', 'nominated')
    .where(visibleSql(viewer, 'c'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The kinds of the active entries that name this person as their account, among those the viewer may see (the viewer is the person). */
export async function visibleKindsOfPerson(db: Kysely<DB>, viewer: Viewer, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('contacts as c')
    .select('c.kinds')
    .where('c.person_id', '=', personId)
    .where('c.status', '=', 'active')
    .where(visibleSql(viewer, 'c'))
    .execute();
  return [...new Set(rows.flatMap((r) => r.kinds))];
}

/** The status of one entry this viewer may see (for deciding a nomination). */
export function visibleEntryStatus(db: Kysely<DB>, viewer: Viewer, id: string) {
  return db.selectFrom('contacts as c').select(['c.id', 'c.status', 'c.organisation_id']).where('c.id', '=', id).where(visibleSql(viewer, 'c')).executeTakeFirst();
}

/** Countries where this person is a national focal point. */
export async function focalCountriesOf(db: Kysely<DB>, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('country_focal_points').select('country_code').where('person_id', '=', personId).execute();
  return rows.map((r) => r.country_code);
}
