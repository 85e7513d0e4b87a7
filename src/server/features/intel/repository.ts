import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Reads of the STIX store. Every query here for a viewer starts from `visibleIntelSql`
 * (the policy decides row by row), and "latest version" means the latest version this
 * viewer may see, so a narrower newer version never hides behind an older one and
 * never shows through it either. Sightings start from `visibleSql`. The few reads
 * with no viewer say so ("System read") and why.
 */

export type VersionChoice = 'last' | 'first' | 'all' | { at: string[] };

/**
 * May this viewer see the intel_objects row `alias`? The access policy, and for a
 * sighting also its subject: a sighting names the object it sights and tells its
 * count, dates, country and sector, so it is never shown to someone who may not see
 * that object (a sighting of an object the store does not hold is judged on its own
 * marking). Every read of intel_objects starts from this, never from visibleSql alone.
 */
export function visibleIntelSql(viewer: Viewer, alias: string): Expression<SqlBool> {
  const a = (c: string) => sql.ref(`${alias}.${c}`);
  const s = `${alias}_subject`;
  return sql<SqlBool>`(${visibleSql(viewer, alias)} AND (${a('subject_ref')} IS NULL
    OR NOT EXISTS (SELECT 1 FROM intel_objects ${sql.raw(s)} WHERE ${sql.ref(`${s}.stix_id`)} = ${a('subject_ref')})
    OR EXISTS (SELECT 1 FROM intel_objects ${sql.raw(s)} WHERE ${sql.ref(`${s}.stix_id`)} = ${a('subject_ref')} AND ${visibleSql(viewer, s)})))`;
}

/**
 * Keep one row per (id, version choice) among the rows the viewer may see.
 *
 * Versions of an id belong to the organisation that holds it first: each
 * organisation's copies form their own line, and the object a viewer sees is the
 * line of the earliest copy they may see. So another organisation posting a newer
 * version of someone's id (revoked, or re-marked wider) never replaces theirs for
 * anyone who sees theirs; it stays that organisation's own copy.
 *
 * `scope` (a TAXII collection) restricts the rows compared to those of the collection.
 */
export function versionFilter(viewer: Viewer, choice: VersionChoice, alias = 'o', scope?: ((alias: string) => Expression<SqlBool>) | null): Expression<SqlBool> {
  const o = (c: string) => sql.ref(`${alias}.${c}`);
  const seen = (n: string) => (scope ? sql<SqlBool>`(${visibleIntelSql(viewer, n)} AND ${scope(n)})` : visibleIntelSql(viewer, n));
  const firstLine = sql<SqlBool>`(SELECT m.author_org_id FROM intel_objects m WHERE m.stix_id = ${o('stix_id')} AND ${seen('m')} ORDER BY m.seq LIMIT 1) IS NOT DISTINCT FROM ${o('author_org_id')}`;
  const sameLine = sql<SqlBool>`n.stix_id = ${o('stix_id')} AND n.author_org_id IS NOT DISTINCT FROM ${o('author_org_id')}`;
  if (choice === 'all') return firstLine;
  // "The latest (earliest) version of the line the viewer may see is this row": the row is among
  // those compared (every caller reads only rows the viewer sees, in the scope), so it is the
  // first of them in (version_at, then seq) order. Written as a scalar subquery, not NOT EXISTS:
  // PostgreSQL may turn NOT EXISTS into an anti-join, and with the statistics of a smaller table
  // (before autovacuum analyses it after a bulk ingest) it picked a scan of the whole table per
  // page (seconds); a scalar subquery stays one index probe on (stix_id, …) per row.
  if (choice === 'last')
    return sql<SqlBool>`(${firstLine} AND ${o('seq')} = (SELECT n.seq FROM intel_objects n WHERE ${sameLine} AND ${seen('n')} ORDER BY n.version_at DESC, n.seq LIMIT 1))`;
  if (choice === 'first')
    return sql<SqlBool>`(${firstLine} AND ${o('seq')} = (SELECT n.seq FROM intel_objects n WHERE ${sameLine} AND ${seen('n')} ORDER BY n.version_at, n.seq LIMIT 1))`;
  return sql<SqlBool>`(${o('version')} = ANY(${choice.at}::text[]) AND ${firstLine})`;
}

export interface ObjectRow {
  seq: string;
  stix_id: string;
  stix_type: string;
  spec_version: string | null;
  version: string;
  version_at: Date;
  revoked: boolean;
  name: string | null;
  confidence: number | null;
  body: string;
  added_at: Date;
  source: string;
  anonymous: boolean;
  tlp: string;
  pap: string;
  author_id: string | null;
  author_org_id: string | null;
  audience_organisations: string[];
  audience_communities: string[];
  audience_people: string[];
  org_name: string | null;
  org_country: string | null;
}

/** Visible rows with the author organisation's name and country. */
export function visibleObjects(db: Kysely<DB>, viewer: Viewer) {
  return db
    .selectFrom('intel_objects as o')
    .leftJoin('organisations as org', 'org.id', 'o.author_org_id')
    .select([
      'o.seq',
      'o.stix_id',
      'o.stix_type',
      'o.spec_version',
      'o.version',
      'o.version_at',
      'o.revoked',
      'o.name',
      'o.confidence',
      'o.body',
      'o.added_at',
      'o.source',
      'o.anonymous',
      'o.tlp',
      'o.pap',
      'o.author_id',
      'o.author_org_id',
      'o.audience_organisations',
      'o.audience_communities',
      'o.audience_people',
      'org.name as org_name',
      'org.country_code as org_country',
    ])
    .where(visibleIntelSql(viewer, 'o'));
}

/** The STIX types that gather other objects by `object_refs` and are listed as "contained in" on their members' pages. */
export const CONTAINER_TYPES = ['report', 'grouping'] as const;

/**
 * Of these ids (a container's object_refs), the objects this viewer may see, in their
 * latest visible version. Ids the viewer may not see are simply not there: nothing
 * tells how many were left out.
 */
export function visibleMembers(db: Kysely<DB>, viewer: Viewer, ids: string[], cap: number) {
  if (!ids.length) return Promise.resolve([] as ObjectRow[]);
  return visibleObjects(db, viewer)
    .where('o.stix_id', 'in', ids)
    .where(versionFilter(viewer, 'last', 'o'))
    .orderBy('o.stix_type')
    .orderBy('o.name')
    .orderBy('o.stix_id')
    .limit(cap)
    .execute() as Promise<ObjectRow[]>;
}

/**
 * The reports and groupings this viewer may see whose latest visible version lists
 * `stixId` in its object_refs (a newer version that dropped it no longer counts).
 */
export function visibleContainersOf(db: Kysely<DB>, viewer: Viewer, stixId: string, cap: number) {
  return visibleObjects(db, viewer)
    .where('o.stix_type', 'in', [...CONTAINER_TYPES])
    .where(versionFilter(viewer, 'last', 'o'))
    .where(sql<boolean>`jsonb_exists(o.body::jsonb->'object_refs', ${stixId})`)
    .orderBy('o.version_at', 'desc')
    .orderBy('o.stix_id')
    .limit(cap)
    .execute() as Promise<ObjectRow[]>;
}

/** Objects of this viewer that share a normalised value with the given object version. */
export async function correlationsOf(db: Kysely<DB>, viewer: Viewer, seq: string, cap: number) {
  const values = await db.selectFrom('intel_values').select(['kind', 'value']).where('object_seq', '=', seq).execute();
  const out: { kind: string; value: string; tooWide: boolean; objects: { stixId: string; type: string; name: string | null; tlp: string }[] }[] = [];
  for (const v of values) {
    // Count only what the viewer may see, and never more than cap + 1: a value
    // is "too wide" by the viewer's own lights, so the mark reveals nothing else.
    const rows = await sql<{ stix_id: string; stix_type: string; name: string | null; tlp: string }>`
      SELECT DISTINCT ON (o.stix_id) o.stix_id, o.stix_type, o.name, o.tlp
      FROM intel_values v JOIN intel_objects o ON o.seq = v.object_seq
      WHERE v.kind = ${v.kind} AND v.value = ${v.value} AND o.seq <> ${seq}::bigint
        AND o.stix_id <> (SELECT stix_id FROM intel_objects WHERE seq = ${seq}::bigint)
        AND ${visibleIntelSql(viewer, 'o')} AND ${versionFilter(viewer, 'last', 'o')}
      ORDER BY o.stix_id
      LIMIT ${cap + 1}`.execute(db);
    const tooWide = rows.rows.length > cap;
    out.push({
      kind: v.kind,
      value: v.value,
      tooWide,
      objects: tooWide ? [] : rows.rows.map((r) => ({ stixId: r.stix_id, type: r.stix_type, name: r.name, tlp: r.tlp })),
    });
  }
  return out;
}

/**
 * Over intel_objects `o`: objects related to an ATT&CK technique (given as a text-search
 * term): the technique itself, or the source of a relationship to it. The relationship and the technique must
 * be visible too: a hidden relationship must not show through the filter.
 */
export function relatedToTechniqueSql(viewer: Viewer, tech: string) {
  // Parenthesised as a whole: a bare OR here would escape the AND of the access policy.
  return sql<boolean>`((o.stix_type = 'attack-pattern' AND o.search @@ to_tsquery('simple', ${tech}))
        OR o.stix_id IN (SELECT r.body::jsonb->>'source_ref' FROM intel_objects r JOIN intel_objects t ON t.stix_id = r.body::jsonb->>'target_ref'
              WHERE r.stix_type = 'relationship' AND t.stix_type = 'attack-pattern' AND t.search @@ to_tsquery('simple', ${tech})
                AND ${visibleIntelSql(viewer, 'r')} AND ${visibleIntelSql(viewer, 't')}))`;
}

/**
 * System read (start-up, no viewer): which of these ids the platform holds as its own
 * reference content (no author organisation).
 */
export function referenceObjectsHeld(db: Db, ids: string[]) {
  return db.selectFrom('intel_objects').select('stix_id').where('stix_id', 'in', ids).where('author_org_id', 'is', null).execute();
}

/**
 * System read (no viewer; the MISP feed's cache key, two numbers that name no record):
 * where the store stands, as its newest object and the newest event — every change to
 * the store (ingest, deletion) writes an event in its transaction. Read from the
 * database, so a change made through another instance counts too. Two index lookups;
 * other events also move it, which costs a rebuild, never a stale feed.
 */
export async function storeVersion(db: Db): Promise<string> {
  const r = await sql<{ seq: string | null; ev: string | null }>`SELECT (SELECT max(seq) FROM intel_objects)::text AS seq, (SELECT max(id) FROM events)::text AS ev`.execute(db);
  return `${r.rows[0]?.seq ?? ''}:${r.rows[0]?.ev ?? ''}`;
}

/**
 * Of these marking-definition ids, those stored outside this submission that the
 * submitter may see (all of them for the platform itself, which has no viewer).
 */
export async function markingDefinitionsSeen(db: Db, viewer: Viewer | null, ids: string[], exceptSubmission: string): Promise<Set<string>> {
  let q = db.selectFrom('intel_objects as o').select('o.stix_id').where('o.stix_id', 'in', ids).where('o.submission_id', '!=', exceptSubmission);
  if (viewer) q = q.where(visibleSql(viewer, 'o'));
  return new Set((await q.execute()).map((r) => r.stix_id));
}

/**
 * System read (inside the ingest that just wrote it): the row of a new object whose id
 * no one else holds (a fresh sighting), to link its details to.
 */
export function seqOfNewObject(trx: Transaction<DB>, stixId: string) {
  return trx.selectFrom('intel_objects').select('seq').where('stix_id', '=', stixId).executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------- sightings

/** The sightings of one object this viewer may see, latest first. */
export function visibleSightingsOf(db: Db, viewer: Viewer, stixId: string) {
  return db
    .selectFrom('intel_sightings as s')
    .innerJoin('organisations as org', 'org.id', 's.reporter_org_id')
    .select(['s.id', 's.count', 's.first_seen', 's.last_seen', 's.country', 's.sector', 's.anonymous', 's.affects_us', 's.tlp', 's.reporter_org_id', 'org.name as org_name'])
    .where('s.sighting_of', '=', stixId)
    .where(visibleSql(viewer, 's'))
    .orderBy('s.last_seen', 'desc')
    .limit(1000)
    .execute();
}

/**
 * Sightings per country and per sector across what the viewer may see: each sighting
 * visible, and its sighted object too, or a count would hint at it.
 */
export async function visibleSightingAggregates(db: Db, viewer: Viewer, q: { since?: string; type?: string }) {
  const base = db
    .selectFrom('intel_sightings as s')
    .where(visibleSql(viewer, 's'))
    .where((eb) => (q.since ? eb('s.last_seen', '>=', new Date(q.since)) : eb.val(true)))
    .where(sql<boolean>`EXISTS (SELECT 1 FROM intel_objects o WHERE o.stix_id = s.sighting_of AND ${visibleIntelSql(viewer, 'o')} ${q.type ? sql`AND o.stix_type = ${q.type}` : sql``})`);
  const byCountry = await base
    .select(['s.country', sql<string>`sum(s.count)`.as('n'), sql<string>`count(DISTINCT s.sighting_of)`.as('objects')])
    .where('s.country', 'is not', null)
    .groupBy('s.country')
    .orderBy(sql`sum(s.count)`, 'desc')
    .execute();
  const bySector = await base
    .select(['s.sector', sql<string>`sum(s.count)`.as('n'), sql<string>`count(DISTINCT s.sighting_of)`.as('objects')])
    .where('s.sector', 'is not', null)
    .groupBy('s.sector')
    .orderBy(sql`sum(s.count)`, 'desc')
    .execute();
  return { byCountry, bySector };
}

/** Per object, how many organisations reported it as affecting them and whether the viewer's did, among the sightings the viewer may see. */
export function affectsUsCounts(db: Db, viewer: Viewer, ids: string[]) {
  return db
    .selectFrom('intel_sightings as s')
    .select(['s.sighting_of', sql<string>`count(DISTINCT s.reporter_org_id)`.as('orgs'), sql<boolean>`bool_or(s.reporter_org_id = ${viewer.organisationId}::uuid)`.as('mine')])
    .where('s.sighting_of', 'in', ids)
    .where('s.affects_us', '=', true)
    .where(visibleSql(viewer, 's'))
    .groupBy('s.sighting_of')
    .execute();
}

// ---------------------------------------------------------------- subscriptions

/*
 * intel_subscriptions carries a tlp, but it is the marking given to what a subscription
 * receives, not a marking of the row: a subscription is its organisation's own
 * configuration. Its reads start from the organisation (or are the poll job's).
 */

/** One subscription by id: the caller checks it is the asker's organisation's, or is the poll job. */
export function subscriptionRow(db: Db, id: string) {
  return db.selectFrom('intel_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The subscriptions of one organisation, oldest first. */
export function organisationSubscriptions(db: Db, organisationId: string) {
  return db.selectFrom('intel_subscriptions').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at').execute();
}

/** System read (the poll job): enabled subscriptions due for a poll, the most overdue first. */
export function dueSubscriptions(db: Db, now: Date) {
  return db.selectFrom('intel_subscriptions').select('id').where('enabled', '=', true).where('next_poll_at', '<=', now).orderBy('next_poll_at').limit(50).execute();
}
