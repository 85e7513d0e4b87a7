import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

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

const like = (term: string) => `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

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
    const pattern = like(q);
    // Each way of matching is its own index lookup (trigram indexes on the folded
    // name and position, organisations by folded name, countries by name), joined
    // as one set of candidate ids: an OR across joined tables would scan every entry.
    out.push(sql<SqlBool>`c.id IN (
      SELECT x.id FROM contacts x WHERE puente_fold(${q}) <% puente_fold(x.full_name) OR puente_fold(x.full_name) LIKE puente_fold(${pattern})
      UNION
      SELECT x.id FROM contacts x WHERE puente_fold(x.position) LIKE puente_fold(${pattern})
      UNION
      SELECT x.id FROM contacts x WHERE x.organisation_id IN (
        SELECT og.id FROM organisations og
        WHERE puente_fold(og.name) LIKE puente_fold(${pattern}) OR puente_fold(coalesce(og.acronym, '')) LIKE puente_fold(${pattern}))
      UNION
      SELECT x.id FROM contacts x WHERE x.country_code IN (SELECT k2.code FROM countries k2 WHERE puente_fold(k2.name) LIKE puente_fold(${pattern})))`);
  }
  if (f.organisation) out.push(sql<SqlBool>`c.organisation_id = ${f.organisation}::uuid`);
  if (f.country) out.push(sql<SqlBool>`c.country_code = ${f.country}`);
  if (f.kind) out.push(sql<SqlBool>`c.kinds @> ARRAY[${f.kind}]::text[]`);
  if (f.sector) out.push(sql<SqlBool>`o.sectors @> ARRAY[${f.sector}]::text[]`);
  if (f.language) out.push(sql<SqlBool>`c.languages @> ARRAY[${f.language}]::text[]`);
  if (f.stale !== undefined) out.push(f.stale ? sql<SqlBool>`c.last_confirmed_at < now() - ${sql.lit(STALE_INTERVAL)}::interval` : sql<SqlBool>`c.last_confirmed_at >= now() - ${sql.lit(STALE_INTERVAL)}::interval`);
  out.push(sql<SqlBool>`c.status = ${f.status ?? 'active'}`);
  return out;
}

export const allOf = (conds: RawBuilder<SqlBool>[]) => (conds.length ? sql<SqlBool>`(${sql.join(conds, sql` AND `)})` : sql<SqlBool>`TRUE`);

export async function searchContacts(db: Kysely<DB>, viewer: Viewer, f: ContactFilters, page: number, pageSize: number) {
  const where = allOf(filterConditions(f));
  const q = f.q?.trim();
  let query = visibleContacts(db, viewer).where(where);
  query = q
    ? query.orderBy(sql`word_similarity(puente_fold(${q}), puente_fold(c.full_name))`, 'desc').orderBy('c.full_name').orderBy('c.id')
    : query.orderBy('c.country_code').orderBy('c.full_name').orderBy('c.id');
  const [rows, count] = await Promise.all([
    query.limit(pageSize).offset((page - 1) * pageSize).execute(),
    db
      .selectFrom('contacts as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .innerJoin('countries as k', 'k.code', 'c.country_code')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(visibleSql(viewer, 'c'))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Countries where this person is a national focal point. */
export async function focalCountriesOf(db: Kysely<DB>, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('country_focal_points').select('country_code').where('person_id', '=', personId).execute();
  return rows.map((r) => r.country_code);
}
