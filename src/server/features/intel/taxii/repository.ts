import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../../db/schema.js';
import type { Viewer } from '../../../platform/access/policy.js';
import { visibleIntelSql } from '../repository.js';
import '../tables.js';

/**
 * The TAXII reads of the STIX store. Each starts from `visibleIntelSql` for the viewer
 * asking; the service adds what it decides: the collection's scope and the version
 * choice (made among the rows the viewer may see in the collection).
 */

export const FMT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';
export const rfc3339 = (col: string) => sql<string>`to_char(${sql.ref(col)} AT TIME ZONE 'UTC', ${FMT})`;

export interface Row {
  seq: string;
  stix_id: string;
  version: string;
  body: string;
  added: string;
  version_ts: string;
}

/** The conditions the service adds over intel_objects `o`: the collection (null: everything the viewer sees) and the versions. */
export interface CollectionCut {
  scope: Expression<SqlBool> | null;
  versions: Expression<SqlBool>;
}

export interface PageFilters {
  objectId: string | null;
  ids: string[] | null;
  types: string[] | null;
  specVersions: string[] | null;
  addedAfter: string | null;
  next: { at: string; seq: string } | null;
  /** Rows read: one more than the page, to tell whether more follow. */
  limit: number;
}

/** Rows of a collection for a viewer, in date_added order. */
export async function collectionRows(db: Kysely<DB>, viewer: Viewer, cut: CollectionCut, f: PageFilters): Promise<Row[]> {
  let q = db
    .selectFrom('intel_objects as o')
    .select(['o.seq', 'o.stix_id', 'o.version', 'o.body', rfc3339('o.added_at').as('added'), rfc3339('o.version_at').as('version_ts')])
    .where(visibleIntelSql(viewer, 'o'));
  if (cut.scope) q = q.where(cut.scope);
  if (f.objectId) q = q.where('o.stix_id', '=', f.objectId);
  if (f.ids) q = q.where('o.stix_id', 'in', f.ids);
  if (f.types) q = q.where('o.stix_type', 'in', f.types);
  if (f.specVersions) q = q.where(sql<SqlBool>`coalesce(o.spec_version, '2.1') = ANY(${f.specVersions}::text[])`);
  if (f.addedAfter) q = q.where(sql<SqlBool>`o.added_at > ${f.addedAfter}::timestamptz`);
  if (f.next) q = q.where(sql<SqlBool>`(o.added_at, o.seq) > (${f.next.at}::timestamptz, ${f.next.seq}::bigint)`);
  q = q.where(cut.versions);
  return (await q.orderBy('o.added_at').orderBy('o.seq').limit(f.limit).execute()) as Row[];
}

/** Does the viewer see any version of this object in this collection (`scope`, null: everything)? */
export async function visibleInCollection(db: Kysely<DB>, viewer: Viewer, scope: Expression<SqlBool> | null, objectId: string): Promise<boolean> {
  let q = db.selectFrom('intel_objects as o').select('o.seq').where('o.stix_id', '=', objectId).where(visibleIntelSql(viewer, 'o'));
  if (scope) q = q.where(scope);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** The versions of an object the viewer sees in the collection, with the organisation holding each (what a DELETE may touch). */
export function collectionVersions(db: Kysely<DB>, viewer: Viewer, cut: CollectionCut, objectId: string, specVersions: string[] | null) {
  let q = db
    .selectFrom('intel_objects as o')
    .select(['o.version', 'o.author_org_id'])
    .where('o.stix_id', '=', objectId)
    .where(visibleIntelSql(viewer, 'o'))
    .where(cut.versions);
  if (cut.scope) q = q.where(cut.scope);
  if (specVersions) q = q.where(sql<SqlBool>`coalesce(o.spec_version, '2.1') = ANY(${specVersions}::text[])`);
  return q.execute();
}

/**
 * The version timestamps of content-versioned objects of a submission, among the copies
 * of the organisation that submitted it (the platform: null). Read for the status
 * resource, which only the submitter reads; the copies are theirs, not chosen by the policy.
 */
export async function submittedVersionTimestamps(db: Kysely<DB>, organisationId: string | null, ids: string[], versions: string[]) {
  const rows = await sql<{ stix_id: string; version: string; ts: string }>`
      SELECT stix_id, version, to_char(version_at AT TIME ZONE 'UTC', ${FMT}) AS ts FROM intel_objects
      WHERE coalesce(author_org_id, '00000000-0000-0000-0000-000000000000'::uuid) = coalesce(${organisationId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
        AND (stix_id, version) IN (SELECT * FROM unnest(${ids}::text[], ${versions}::text[]))`.execute(db);
  return rows.rows;
}
