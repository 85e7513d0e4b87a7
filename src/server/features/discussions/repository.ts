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

/** An attachment's bytes, only through a topic the viewer may see. */
export function visibleAttachment(db: Db, viewer: Viewer, id: string) {
  return db
    .selectFrom('discussion_attachments as f')
    .innerJoin('discussion_topics as t', 't.id', 'f.topic_id')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .select(['f.file_name', 'f.content_type', 'f.content', 'f.size_bytes'])
    .where('f.id', '=', id)
    .where('c.status', '=', 'approved')
    .where(communityReadableSql(viewer, 'c'))
    .where(visibleSql(viewer, 't'))
    .executeTakeFirst();
}

/** Topics `t` in communities `c` this viewer may read: the base of the daily digest of one recipient. */
function digestBase(db: Db, viewer: Viewer) {
  return db
    .selectFrom('discussion_topics as t')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .where('c.status', '=', 'approved')
    .where(communityReadableSql(viewer, 'c'))
    .where(visibleSql(viewer, 't'));
}

/** `covered(column)`: is a post at that time in a window of the recipient's daily subscriptions? */
export type DigestWindows = (at: 't.created_at' | 'r.created_at') => Expression<SqlBool>;

/** New topics for one recipient's digest, up to `until`, among what they may see. */
export function digestTopics(db: Db, viewer: Viewer, covered: DigestWindows, until: Date) {
  return digestBase(db, viewer)
    .select(['t.id', 't.title', 't.tlp', 't.community_id', 'c.name as community'])
    .where(covered('t.created_at'))
    .where('t.created_at', '<=', until)
    .orderBy('t.created_at')
    .execute();
}

/** Topics with new replies for one recipient's digest (how many), up to `until`, among what they may see. */
export function digestReplies(db: Db, viewer: Viewer, covered: DigestWindows, until: Date) {
  return digestBase(db, viewer)
    .innerJoin('discussion_replies as r', 'r.topic_id', 't.id')
    .select(['t.id', 't.title', 't.tlp', 't.community_id', 'c.name as community', (eb) => eb.fn.countAll<string>().as('n')])
    .where(covered('r.created_at'))
    .where('r.created_at', '<=', until)
    .groupBy(['t.id', 't.title', 't.tlp', 't.community_id', 'c.name'])
    .orderBy('t.title')
    .execute();
}
