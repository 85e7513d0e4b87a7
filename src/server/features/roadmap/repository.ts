import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Viewer } from '../../platform/access/policy.js';
import { visibleItems } from '../knowledge/repository.js';
import { visibleRecords } from '../records/repository.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A concept tag and the dashboard row it counts under (a sub-takeaway under its takeaway, a takeaway under its action area, all of them under `all`). */
export interface TagKey {
  tag: string;
  key: string;
}

/** Days of the window (YYYY-MM-DD): from `start`, before `end`. */
export interface Span {
  start: string;
  end: string;
}

export interface MonthCount {
  key: string;
  month: string;
  n: number;
}

const tagsOf = (map: readonly TagKey[]) => [...new Set(map.map((m) => m.tag))];
const mapping = (map: readonly TagKey[]) => sql`jsonb_to_recordset(${JSON.stringify(map)}::jsonb) AS m(tag text, key text)`;

/**
 * The records the dashboard counts: those the viewer may see (`visibleRecords`: the policy and
 * the workflow), published, dated in the window, tagged with one of the tags.
 */
function countedRecords(db: Db, viewer: Viewer, isSecretariat: boolean, map: readonly TagKey[], w: Span) {
  return visibleRecords(db, viewer, isSecretariat)
    .where('r.status', '=', 'published')
    .where('r.date', '>=', w.start)
    .where('r.date', '<', w.end)
    .where(sql<SqlBool>`r.concepts && ${sql.val(tagsOf(map))}::text[]`);
}

/** Published records per row and month (by the record's date); a record counts once per row, whatever number of its tags fall under it. */
export async function recordsByMonth(db: Db, viewer: Viewer, isSecretariat: boolean, map: readonly TagKey[], w: Span): Promise<MonthCount[]> {
  if (!map.length) return [];
  const r = await sql<MonthCount>`
    SELECT m.key, substr(r.date, 1, 7) AS month, count(DISTINCT r.id)::int AS n
    FROM (${countedRecords(db, viewer, isSecretariat, map, w)}) AS r
    CROSS JOIN LATERAL unnest(r.concepts) AS c(tag)
    JOIN ${mapping(map)} ON m.tag = c.tag
    GROUP BY m.key, substr(r.date, 1, 7)`.execute(db);
  return r.rows;
}

/**
 * Published library items per row and month (by `published_at`, in UTC), read through
 * `visibleItems` (the policy and the workflow); an item counts once per row.
 */
export async function practicesByMonth(db: Db, viewer: Viewer, map: readonly TagKey[], w: Span): Promise<MonthCount[]> {
  if (!map.length) return [];
  const items = visibleItems(db, viewer)
    .where('k.status', '=', 'published')
    .where(sql<SqlBool>`k.published_at >= ${`${w.start}T00:00:00Z`}::timestamptz AND k.published_at < ${`${w.end}T00:00:00Z`}::timestamptz`)
    .where(sql<SqlBool>`k.concepts && ${sql.val(tagsOf(map))}::text[]`);
  const r = await sql<MonthCount>`
    SELECT m.key, to_char(k.published_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(DISTINCT k.id)::int AS n
    FROM (${items}) AS k
    CROSS JOIN LATERAL unnest(k.concepts) AS c(tag)
    JOIN ${mapping(map)} ON m.tag = c.tag
    GROUP BY m.key, to_char(k.published_at AT TIME ZONE 'UTC', 'YYYY-MM')`.execute(db);
  return r.rows;
}

/** The commitments of the counted records, with their record's date and tags. */
export async function countedCommitments(db: Db, viewer: Viewer, isSecretariat: boolean, map: readonly TagKey[], w: Span) {
  if (!map.length) return [];
  const records = countedRecords(db, viewer, isSecretariat, map, w).as('r');
  return db
    .selectFrom('record_commitments as c')
    .innerJoin(records, 'r.id', 'c.record_id')
    .select(['c.id', 'c.status', 'c.progress', sql<string | null>`to_char(c.due, 'YYYY-MM-DD')`.as('due'), 'r.date as record_date', 'r.concepts'])
    .orderBy('c.id')
    .execute();
}

/** The history of those commitments only (joined to the counted records), oldest first. */
export async function countedUpdates(db: Db, viewer: Viewer, isSecretariat: boolean, map: readonly TagKey[], w: Span) {
  if (!map.length) return [];
  const records = countedRecords(db, viewer, isSecretariat, map, w).as('r');
  return db
    .selectFrom('commitment_updates as u')
    .innerJoin('record_commitments as c', 'c.id', 'u.commitment_id')
    .innerJoin(records, 'r.id', 'c.record_id')
    .select(['u.commitment_id', 'u.at', 'u.status', 'u.progress'])
    .orderBy('u.commitment_id')
    .orderBy('u.at')
    .orderBy('u.id')
    .execute();
}
