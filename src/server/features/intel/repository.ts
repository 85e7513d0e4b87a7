import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

/**
 * Reads of the STIX store. Every query here starts from `visibleSql`: the
 * policy decides row by row, and "latest version" means the latest version
 * this viewer may see, so a narrower newer version never hides behind an
 * older one and never shows through it either.
 */

export type VersionChoice = 'last' | 'first' | 'all' | { at: string[] };

/**
 * Keep one row per (id, version choice) among the rows the viewer may see.
 * Copies of the same version held by two organisations count once (the older copy).
 */
export function versionFilter(viewer: Viewer, choice: VersionChoice, alias = 'o', scope?: Expression<SqlBool> | null): Expression<SqlBool> {
  const o = (c: string) => sql.ref(`${alias}.${c}`);
  // With a scope (a TAXII collection, over rows aliased `n`), versions are compared among the scope's rows only.
  const seen = scope ? sql<SqlBool>`(${visibleSql(viewer, 'n')} AND ${scope})` : visibleSql(viewer, 'n');
  const sameVersionEarlierCopy = sql<SqlBool>`NOT EXISTS (SELECT 1 FROM intel_objects n WHERE n.stix_id = ${o('stix_id')} AND n.version = ${o('version')} AND n.seq < ${o('seq')} AND ${seen})`;
  if (choice === 'all') return sameVersionEarlierCopy;
  if (choice === 'last')
    return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM intel_objects n WHERE n.stix_id = ${o('stix_id')}
      AND (n.version_at > ${o('version_at')} OR (n.version_at = ${o('version_at')} AND n.seq < ${o('seq')})) AND ${seen})`;
  if (choice === 'first')
    return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM intel_objects n WHERE n.stix_id = ${o('stix_id')}
      AND (n.version_at < ${o('version_at')} OR (n.version_at = ${o('version_at')} AND n.seq < ${o('seq')})) AND ${seen})`;
  return sql<SqlBool>`(${o('version')} = ANY(${choice.at}::text[]) AND ${sameVersionEarlierCopy})`;
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
    .where(visibleSql(viewer, 'o'));
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
        AND ${visibleSql(viewer, 'o')} AND ${versionFilter(viewer, 'last', 'o')}
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
