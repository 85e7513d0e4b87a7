import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

/**
 * Reads of the STIX store. Every query here starts from `visibleIntelSql` (the
 * policy decides row by row, and "latest version" means the latest version
 * this viewer may see, so a narrower newer version never hides behind an
 * older one and never shows through it either.
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
  if (choice === 'last')
    return sql<SqlBool>`(${firstLine} AND NOT EXISTS (SELECT 1 FROM intel_objects n WHERE ${sameLine}
      AND (n.version_at > ${o('version_at')} OR (n.version_at = ${o('version_at')} AND n.seq < ${o('seq')})) AND ${seen('n')}))`;
  if (choice === 'first')
    return sql<SqlBool>`(${firstLine} AND NOT EXISTS (SELECT 1 FROM intel_objects n WHERE ${sameLine}
      AND (n.version_at < ${o('version_at')} OR (n.version_at = ${o('version_at')} AND n.seq < ${o('seq')})) AND ${seen('n')}))`;
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
