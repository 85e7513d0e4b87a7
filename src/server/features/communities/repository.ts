import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';

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

/** The approved communities with their member counts, by name. */
export function approvedCommunities(db: Db) {
  return db
    .selectFrom('communities as c')
    .select([
      'c.id',
      'c.slug',
      'c.name',
      'c.description',
      sql<number>`(SELECT count(*) FROM community_organisations co WHERE co.community_id = c.id)::int`.as('organisationCount'),
      sql<number>`(SELECT count(*) FROM community_people cp WHERE cp.community_id = c.id)::int`.as('peopleCount'),
      'c.status',
      'c.visibility',
    ])
    .where('c.status', '=', 'approved')
    .orderBy('c.name')
    .execute();
}

/** The active members of the secretariat. */
export function activeSecretariat(db: Db) {
  return db.selectFrom('people').select('id').where(sql<boolean>`'secretariat' = ANY(roles)`).where('status', '=', 'active').execute();
}
