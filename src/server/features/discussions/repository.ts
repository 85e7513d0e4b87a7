import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The discussions of a members-only community are for its members (directly or
 * through their organisation) — the secretariat included only when a member; a
 * public community's are for every vetted member. The TLP marking applies on top.
 */
export function communityReadableSql(viewer: Viewer, alias = 'c'): Expression<SqlBool> {
  const visibility = sql.ref(`${alias}.visibility`);
  if (!viewer.communityIds.length) return sql<SqlBool>`${visibility} = 'public'`;
  return sql<SqlBool>`(${visibility} = 'public' OR ${sql.ref(`${alias}.id`)} = ANY(${sql.val(viewer.communityIds)}::uuid[]))`;
}

/**
 * Every read of topics starts here with the access policy's SQL filter; replies
 * and attachments are read only through a topic the viewer may see.
 */
export function visibleTopics(db: Db, viewer: Viewer) {
  return db
    .selectFrom('discussion_topics as t')
    .innerJoin('people as a', 'a.id', 't.author_id')
    .innerJoin('organisations as o', 'o.id', 't.author_org_id')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .select([
      't.id',
      't.community_id',
      't.title',
      't.body_md',
      't.body_html',
      't.language',
      't.mentions',
      't.tlp',
      't.pap',
      't.author_id',
      't.author_org_id',
      't.audience_organisations',
      't.audience_communities',
      't.audience_people',
      't.created_at',
      't.updated_at',
      't.last_activity_at',
      't.edited_at',
      'a.name as author_name',
      'o.name as org_name',
      'o.country_code as org_country',
      'c.name as community_name',
    ])
    .where('c.status', '=', 'approved')
    .where(communityReadableSql(viewer, 'c'))
    .where(visibleSql(viewer, 't'));
}

export type TopicRow = Awaited<ReturnType<ReturnType<typeof visibleTopics>['executeTakeFirstOrThrow']>>;
