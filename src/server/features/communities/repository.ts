import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { likeLiteral } from '../../platform/sql.js';

type Db = Kysely<DB> | Transaction<DB>;

export function findCommunity(db: Db, id: string) {
  return db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The organisations of a community, by name. */
export function communityOrganisations(db: Db, communityId: string) {
  return db
    .selectFrom('community_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .select(['o.id', 'o.name', 'o.country_code as country', 'o.type'])
    .where('co.community_id', '=', communityId)
    .orderBy('o.name')
    .execute();
}

/** The active people named in a community, by name, with whether they administer it. */
export function communityPeople(db: Db, communityId: string) {
  return db
    .selectFrom('community_people as cp')
    .innerJoin('people as pe', 'pe.id', 'cp.person_id')
    .select(['pe.id', 'pe.name', 'cp.is_admin as isAdmin'])
    .where('cp.community_id', '=', communityId)
    .where('pe.status', '=', 'active')
    .orderBy('pe.name')
    .execute();
}

/** Pending join requests to a community by this person, or for their organisation. */
export function pendingJoinRequestsOf(db: Db, communityId: string, personId: string, organisationId: string) {
  return db
    .selectFrom('community_join_requests')
    .select(['organisation_id', 'person_id'])
    .where('community_id', '=', communityId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('person_id', '=', personId), eb('organisation_id', '=', organisationId)]))
    .execute();
}

/** How this person follows the discussions of a community, if at all. */
export function discussionSubscription(db: Db, personId: string, communityId: string) {
  return db.selectFrom('discussion_subscriptions').select('mode').where('person_id', '=', personId).where('community_id', '=', communityId).executeTakeFirst();
}

/** The approved communities with their member counts, by name; with `organisationId`, those that organisation belongs to. */
export function approvedCommunities(db: Db, organisationId?: string) {
  return db
    .selectFrom('communities as c')
    .select([
      'c.id',
      'c.slug',
      'c.name',
      'c.description',
      'c.language',
      'c.source_rev',
      'c.translations',
      sql<number>`(SELECT count(*) FROM community_organisations co WHERE co.community_id = c.id)::int`.as('organisationCount'),
      sql<number>`(SELECT count(*) FROM community_people cp WHERE cp.community_id = c.id)::int`.as('peopleCount'),
      'c.status',
      'c.visibility',
    ])
    .where('c.status', '=', 'approved')
    .$if(organisationId !== undefined, (q) => q.where(sql<boolean>`EXISTS (SELECT 1 FROM community_organisations co WHERE co.community_id = c.id AND co.organisation_id = ${organisationId!}::uuid)`))
    .orderBy('c.name')
    .execute();
}

/** The active members of the secretariat. */
export function activeSecretariat(db: Db) {
  return db.selectFrom('people').select('id').where(sql<boolean>`'secretariat' = ANY(roles)`).where('status', '=', 'active').execute();
}

export type CommunityStatus = 'proposed' | 'approved' | 'rejected';

/** Proposed communities (those an organisation proposed), oldest first: of one organisation, or of all; of one status, or of any. */
export function communityProposals(db: Db, f: { organisationId?: string; status?: CommunityStatus }) {
  let q = db
    .selectFrom('communities as c')
    .leftJoin('people as pe', 'pe.id', 'c.proposed_by')
    .leftJoin('organisations as o', 'o.id', 'c.proposed_by_org')
    .select(['c.id', 'c.slug', 'c.name', 'c.description', 'c.visibility', 'c.status', 'c.proposal_reason', 'c.decision_reason', 'c.created_at', 'c.decided_at', 'pe.id as person_id', 'pe.name as person_name', 'o.id as org_id', 'o.name as org_name', 'o.country_code'])
    .where('c.proposed_by_org', 'is not', null);
  if (f.organisationId) q = q.where('c.proposed_by_org', '=', f.organisationId);
  if (f.status) q = q.where('c.status', '=', f.status);
  return q.orderBy('c.created_at').execute();
}

export type ProposalRow = Awaited<ReturnType<typeof communityProposals>>[number];

/** How many proposed communities wait for the secretariat's decision (the secretariat's to-do count). */
export async function countWaitingProposals(db: Db): Promise<number> {
  const row = await db
    .selectFrom('communities as c')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.proposed_by_org', 'is not', null)
    .where('c.status', '=', 'proposed')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** What maySeeCommunity and mayManage need of a community. */
export function communityAccess(db: Db, id: string) {
  return db.selectFrom('communities').select(['id', 'status', 'proposed_by_org']).where('id', '=', id).executeTakeFirst();
}

/** What a join request needs of its community. */
export function communityForJoining(db: Db, id: string) {
  return db.selectFrom('communities').select(['id', 'name', 'status', 'visibility']).where('id', '=', id).executeTakeFirst();
}

/** Join requests with who asked (and their organisation) and for whom. */
function joinRequestQuery(db: Db) {
  return db
    .selectFrom('community_join_requests as r')
    .innerJoin('people as rb', 'rb.id', 'r.requested_by')
    .innerJoin('organisations as rbo', 'rbo.id', 'rb.organisation_id')
    .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
    .leftJoin('people as pe', 'pe.id', 'r.person_id')
    .select([
      'r.id',
      'r.community_id',
      'r.organisation_id',
      'r.person_id',
      'r.message',
      'r.status',
      'r.decision_reason',
      'r.created_at',
      'rb.id as rb_id',
      'rb.name as rb_name',
      'rbo.name as rb_org',
      'o.name as org_name',
      'o.country_code as org_country',
      'pe.name as person_name',
    ]);
}

export type JoinRequestRow = Awaited<ReturnType<ReturnType<typeof joinRequestQuery>['executeTakeFirstOrThrow']>>;

export function joinRequestById(db: Db, id: string) {
  return joinRequestQuery(db).where('r.id', '=', id).executeTakeFirstOrThrow();
}

/** The join requests to a community, oldest first: the pending ones, or those one person made. */
export function joinRequestsOf(db: Db, communityId: string, which: { pending: true } | { requestedBy: string }) {
  const q = joinRequestQuery(db).where('r.community_id', '=', communityId);
  return ('pending' in which ? q.where('r.status', '=', 'pending') : q.where('r.requested_by', '=', which.requestedBy)).orderBy('r.created_at').execute();
}


/** For mentions: up to 20 active people of approved organisations in the community, directly or through their organisation. */
export function mentionablePeople(db: Db, communityId: string, term: string | undefined) {
  let q = db
    .selectFrom('people as pe')
    .innerJoin('organisations as o', 'o.id', 'pe.organisation_id')
    .select(['pe.id', 'pe.name', 'o.name as organisation'])
    .where('pe.status', '=', 'active')
    .where('o.status', '=', 'approved')
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('community_people as cp').select('cp.person_id').whereRef('cp.person_id', '=', 'pe.id').where('cp.community_id', '=', communityId)),
        eb.exists(eb.selectFrom('community_organisations as co').select('co.organisation_id').whereRef('co.organisation_id', '=', 'pe.organisation_id').where('co.community_id', '=', communityId)),
      ]),
    );
  if (term) q = q.where(sql<boolean>`unaccent(lower(pe.name)) LIKE '%' || unaccent(lower(${likeLiteral(term)})) || '%'`);
  return q.orderBy('pe.name').limit(20).execute();
}

/** Is this person an admin of the community (directly named, with is_admin)? */
export async function isCommunityAdmin(db: Kysely<DB> | Transaction<DB>, communityId: string, personId: string) {
  const row = await db.selectFrom('community_people').select('is_admin').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst();
  return !!row?.is_admin;
}
