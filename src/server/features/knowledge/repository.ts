import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Every read of the library starts here. Two rules, both must hold: the access policy (the
 * item's TLP and audience), and the workflow — an item not yet published is seen by its own
 * organisation, and while in review by the reviewers named on it, never by anyone else (the
 * secretariat included: it reads only what it is an audience of). The workflow only narrows
 * what the marking allows.
 */
export function visibleItems(db: Db, viewer: Viewer) {
  return db
    .selectFrom('knowledge_items as k')
    .innerJoin('organisations as o', 'o.id', 'k.author_org_id')
    .select([
      'k.id',
      'k.slug',
      'k.type',
      'k.title',
      'k.summary',
      'k.body',
      'k.evidence',
      'k.outcome',
      'k.language',
      'k.source_rev',
      'k.translations',
      'k.countries',
      'k.co_authors',
      'k.concepts',
      'k.audiences',
      sql<string | null>`to_char(k.date, 'YYYY-MM-DD')`.as('date'),
      'k.source_url',
      'k.licence',
      'k.attribution',
      'k.related',
      'k.status',
      'k.reviewers',
      'k.tlp',
      'k.pap',
      'k.author_id',
      'k.author_org_id',
      'k.audience_organisations',
      'k.audience_communities',
      'k.audience_people',
      'k.created_at',
      'k.updated_at',
      'k.published_at',
      'o.name as org_name',
      'o.country_code as org_country',
    ])
    .where(visibleSql(viewer, 'k'))
    .where(workflowSql(viewer));
}

function workflowSql(viewer: Viewer): Expression<SqlBool> {
  const own = viewer.organisationId ? sql<SqlBool>` OR k.author_org_id = ${viewer.organisationId}::uuid` : sql``;
  const reviewing = viewer.personId ? sql<SqlBool>` OR (k.status = 'in_review' AND k.reviewers @> ARRAY[${viewer.personId}::uuid])` : sql``;
  return sql<SqlBool>`(k.status = 'published'${own}${reviewing})`;
}

export type ItemRow = Awaited<ReturnType<ReturnType<typeof visibleItems>['executeTakeFirstOrThrow']>>;

export interface ItemFilters {
  q?: string;
  type?: string;
  concept?: string;
  country?: string;
  tlp?: string;
  status?: string;
  organisation?: string;
}

/** The words of `q` in any language version, each stemmed its way (migration 0017). */
const matches = (q: string) => sql<SqlBool>`k.search @@ puente_text_tsquery(${q})`;
/** Has a version in this language (its source or a translation)? (`languages`: migration 0021.) */
const hasLanguage = (lang: string) => sql<SqlBool>`(k.languages @> ARRAY[${lang}]::text[])`;

/**
 * Run a search with the planner kept off whole-table scans. The vectors of a long, multilingual
 * text live out of line (TOAST); the planner does not count reading them, so for a common word
 * it may pick a scan that opens every vector of the table (300 ms over 100,000 items) over the
 * GIN index that opens only the matching ones (20 ms). `SET LOCAL` ends with the transaction.
 */
async function searching<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  const run = async (trx: Db) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return fn(trx);
  };
  return db.isTransaction ? run(db) : (db as Kysely<DB>).transaction().execute(run);
}

export function filtered(db: Db, viewer: Viewer, f: ItemFilters) {
  return visibleItems(db, viewer)
    .$if(!!f.q, (b) => b.where(matches(f.q!)))
    .$if(!!f.type, (b) => b.where('k.type', '=', f.type!))
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`k.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.country, (b) => b.where(sql<SqlBool>`k.countries @> ARRAY[${f.country!}]::text[]`))
    .$if(!!f.tlp, (b) => b.where('k.tlp', '=', f.tlp!))
    .$if(!!f.status, (b) => b.where('k.status', '=', f.status!))
    .$if(!!f.organisation, (b) => b.where((eb) => eb.or([eb('k.author_org_id', '=', f.organisation!), eb(sql`${f.organisation!}::uuid`, '=', sql`ANY(k.co_authors)`)])));
}

/** A page of the items the viewer may see, newest first; `before` (an id: ids begin with their time) continues a listing. */
export async function itemPage(db: Db, viewer: Viewer, f: ItemFilters, o: { limit: number; before?: string }) {
  // With a concept or a country, the GIN indexes find the few matching rows; ordering on the
  // primary key would have the planner walk the whole table newest first looking for them (all
  // of it when there are none). Ordering on the id's text (the same order) keeps it off that path.
  const selective = !!(f.concept || f.country || f.organisation);
  return filtered(db, viewer, f)
    .$if(!!o.before, (x) => x.where('k.id', '<', o.before!))
    .orderBy(selective ? sql`k.id::text` : sql`k.id`, 'desc')
    .limit(o.limit + 1)
    .execute();
}

/**
 * A search: the items the viewer may see that hold the words, those in the reader's language
 * first, then those with the words in a title (ts_rank over the titles' small vector), then
 * newest; `offset` pages it. One pass over the matches gives both the page's ids and the counts
 * per type (a CTE read twice); the page's rows are then read in full — sorting thousands of whole
 * rows to keep thirty would cost more than the search. Both steps go through the policy and the
 * workflow.
 */
export async function searchPage(db: Db, viewer: Viewer, f: ItemFilters & { q: string }, o: { lang: string; limit: number; offset: number }) {
  const matches = (d: Db) =>
    filtered(d, viewer, f)
      .clearSelect()
      .select(['k.id', 'k.type', sql<boolean>`${hasLanguage(o.lang)}`.as('l'), sql<number>`ts_rank(k.search_head, puente_text_tsquery(${f.q}))`.as('r')]);
  const found = await searching(db, async (d) => {
    const r = await sql<{ counts: Record<string, number> | string; ids: string[] | string }>`
      WITH m AS MATERIALIZED (${matches(d)})
      SELECT (SELECT coalesce(json_object_agg(type, n), '{}'::json) FROM (SELECT type, count(*)::int AS n FROM m GROUP BY type) c) AS counts,
             (SELECT coalesce(json_agg(id ORDER BY l DESC, r DESC, id DESC), '[]'::json)
                FROM (SELECT id, l, r FROM m ORDER BY l DESC, r DESC, id DESC OFFSET ${o.offset} LIMIT ${o.limit + 1}) p) AS ids`.execute(d);
    return r.rows[0]!;
  });
  const parse = <T,>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  const ids = parse(found.ids);
  const counts = parse(found.counts);
  if (!ids.length) return { rows: [], counts };
  const rows = await visibleItems(db, viewer).where('k.id', 'in', ids).execute();
  const at = new Map(ids.map((id, i) => [id, i]));
  return { rows: rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!), counts };
}

/** How many items of each type and language the viewer may see among those filtered (the facets). */
export async function facets(db: Db, viewer: Viewer, f: ItemFilters) {
  const types = await db.selectFrom(filtered(db, viewer, f).as('x')).select(['x.type', sql<number>`count(*)::int`.as('n')]).groupBy('x.type').execute();
  return Object.fromEntries(types.map((t) => [t.type, t.n]));
}

/**
 * Snippets of the versions shown, the words of `q` marked with U+E000/U+E001 (never in stored
 * text: the service strips them on write): ts_headline with accent-folding configurations
 * (migration 0021), over text the caller has already read through `visibleItems`.
 */
export async function headlines(db: Db, q: string, texts: { lang: string; text: string }[]): Promise<string[]> {
  if (!texts.length) return [];
  const rows = await sql<{ i: number; h: string }>`
    SELECT t.i::int AS i, ts_headline(puente_headline_config(t.lang), t.text, puente_text_tsquery(${q}),
      'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS h
    FROM jsonb_to_recordset(${JSON.stringify(texts.map((t, i) => ({ i, lang: t.lang, text: t.text })))}::jsonb) AS t(i int, lang text, text text)`.execute(db);
  const out = texts.map(() => '');
  for (const r of rows.rows) out[r.i] = r.h;
  return out;
}

export async function insertItem(trx: Transaction<DB>, values: Parameters<ReturnType<Transaction<DB>['insertInto']>['values']>[0] & object) {
  await trx.insertInto('knowledge_items').values(values as never).execute();
}

export async function insertVersion(trx: Transaction<DB>, v: { itemId: string; version: number; language: string; fields: Record<string, string>; authorId: string | null; note?: string }) {
  await trx
    .insertInto('knowledge_versions')
    .values({ item_id: v.itemId, version: v.version, language: v.language, fields: JSON.stringify(v.fields), author_id: v.authorId, note: v.note ?? '' })
    .execute();
}

/** The versions of an item already read through `visibleItems`. */
export async function versionsOf(db: Db, itemId: string) {
  return db
    .selectFrom('knowledge_versions as v')
    .leftJoin('people as p', 'p.id', 'v.author_id')
    .select(['v.version', 'v.language', 'v.fields', 'v.note', 'v.at', 'p.name as author_name'])
    .where('v.item_id', '=', itemId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function reviewsOf(db: Db, itemId: string) {
  return db
    .selectFrom('knowledge_reviews as r')
    .innerJoin('people as p', 'p.id', 'r.reviewer_id')
    .select(['r.id', 'r.reviewer_id', 'p.name as reviewer_name', 'r.version', 'r.decision', 'r.comment', 'r.at'])
    .where('r.item_id', '=', itemId)
    .orderBy('r.at')
    .execute();
}

export async function peopleNames(db: Db, ids: readonly string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function organisationNames(db: Db, ids: readonly string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Attachments of an item already read through `visibleItems` (without their bytes). */
export async function attachmentsOf(db: Db, itemId: string) {
  return db
    .selectFrom('knowledge_attachments')
    .select(['id', 'file_name', 'content_type', 'size_bytes', 'created_at'])
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .execute();
}

/** One attachment with its bytes, only through an item the viewer may see. */
export async function readAttachmentRow(db: Db, viewer: Viewer, id: string) {
  const item = visibleItems(db, viewer).as('k');
  return db
    .selectFrom('knowledge_attachments as a')
    .innerJoin(item, 'k.id', 'a.item_id')
    .select(['a.id', 'a.file_name', 'a.content_type', 'a.content', 'a.item_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

/** Related items the viewer may see, by ids. */
export async function visibleByIds(db: Db, viewer: Viewer, ids: readonly string[]) {
  if (!ids.length) return [];
  return visibleItems(db, viewer).where('k.id', 'in', [...ids]).execute();
}

/**
 * The items the viewer may see among these ids, as a link names them (another feature's page
 * listing the items it concerns): the title in its source language and in each translation, not
 * the bodies.
 */
export async function visibleTitlesByIds(db: Db, viewer: Viewer, ids: readonly string[]) {
  if (!ids.length) return [];
  return visibleItems(db, viewer)
    .clearSelect()
    .select([
      'k.id',
      'k.slug',
      'k.type',
      'k.title',
      'k.language',
      'k.source_rev',
      sql<unknown>`(SELECT coalesce(jsonb_object_agg(t.key, jsonb_build_object('fields', jsonb_build_object('title', t.value->'fields'->'title'), 'basedOn', t.value->'basedOn', 'machine', t.value->'machine')), '{}'::jsonb) FROM jsonb_each(k.translations) AS t)`.as(
        'translations',
      ),
    ])
    .where('k.id', 'in', [...ids])
    .execute();
}

/**
 * Items sharing concepts with one (published and visible), most shared first: "related" when
 * nobody linked any by hand.
 */
export async function sharingConcepts(db: Db, viewer: Viewer, itemId: string, concepts: readonly string[], limit: number) {
  if (!concepts.length) return [];
  return visibleItems(db, viewer)
    .where('k.id', '<>', itemId)
    .where('k.status', '=', 'published')
    .where(sql<SqlBool>`k.concepts && ${sql.val([...concepts])}::text[]`)
    .orderBy(sql`cardinality(ARRAY(SELECT unnest(k.concepts) INTERSECT SELECT unnest(${sql.val([...concepts])}::text[])))`, 'desc')
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Published items for a reader: those written for their kind of organisation, about their
 * country, or shared with or written by their communities, scored by how many of those hold.
 */
export async function recommended(db: Db, viewer: Viewer, r: { audience: string | null; country: string | null; communityIds: readonly string[] }, limit: number) {
  const score = sql<number>`(
      (CASE WHEN ${r.audience}::text IS NOT NULL AND k.audiences @> ARRAY[${r.audience}::text] THEN 2 ELSE 0 END)
    + (CASE WHEN ${r.country}::text IS NOT NULL AND k.countries @> ARRAY[${r.country}::text] THEN 2 ELSE 0 END)
    + (CASE WHEN k.audience_communities && ${sql.val([...r.communityIds])}::uuid[] THEN 1 ELSE 0 END)
    + (CASE WHEN EXISTS (SELECT 1 FROM community_organisations co WHERE co.organisation_id = k.author_org_id AND co.community_id = ANY(${sql.val([...r.communityIds])}::uuid[])) THEN 1 ELSE 0 END))`;
  return visibleItems(db, viewer)
    .select(score.as('score'))
    .where('k.status', '=', 'published')
    .where(sql<SqlBool>`${score} > 0`)
    .where((eb) => (viewer.organisationId ? eb('k.author_org_id', '<>', viewer.organisationId) : eb.val(true)))
    .orderBy(sql`${score}`, 'desc')
    .orderBy('k.id', 'desc')
    .limit(limit)
    .execute();
}

/** Concept tag → items the viewer may see carrying it (the concept's page). */
export async function taggedItems(db: Db, viewer: Viewer, tag: string, limit: number) {
  return visibleItems(db, viewer).where(sql<SqlBool>`k.concepts @> ARRAY[${tag}]::text[]`).orderBy('k.id', 'desc').limit(limit).execute();
}

/** Published CLEAR items for the portal, the sitemap and the feed (anonymous reader). */
export async function publicItems(db: Db, viewer: Viewer, limit: number) {
  return visibleItems(db, viewer).where('k.status', '=', 'published').orderBy('k.published_at', 'desc').orderBy('k.id', 'desc').limit(limit).execute();
}
