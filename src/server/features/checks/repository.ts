import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { visibleContacts, type ContactRow } from '../contacts/repository.js';
import './tables.js';
import '../contacts/tables.js';

/**
 * The reads of communication checks that touch contacts (a marked table). Those for a
 * viewer start from the access policy (visibleContacts, visibleSql); the others are
 * named as system reads, with the reason they have no viewer.
 */

/** What a check reaches: active entries of these kinds, countries, region, organisations or community. */
export interface TargetFilters {
  kinds?: string[];
  countries?: string[];
  region?: 'EU' | 'LAC';
  organisations?: string[];
  communityId?: string;
}

/** The active entries matching the filters that this viewer may see. */
export function visibleTargets(db: Kysely<DB>, viewer: Viewer, f: TargetFilters): Promise<ContactRow[]> {
  let matching = db
    .selectFrom('contacts as c')
    .innerJoin('countries as k', 'k.code', 'c.country_code')
    .where('c.status', '=', 'active');
  if (f.kinds?.length) matching = matching.where(sql<boolean>`c.kinds && ${sql.val(f.kinds)}::text[]`);
  if (f.countries?.length) matching = matching.where('c.country_code', 'in', f.countries);
  if (f.region) matching = matching.where('k.region', '=', f.region);
  if (f.organisations?.length) matching = matching.where('c.organisation_id', 'in', f.organisations);
  if (f.communityId) matching = matching.where('c.organisation_id', 'in', db.selectFrom('community_organisations').select('organisation_id').where('community_id', '=', f.communityId));
  return visibleContacts(db, viewer).where('c.id', 'in', matching.select('c.id')).execute();
}

/**
 * System read (no viewer: whoever holds the link): the target of an acknowledgement
 * link, with the check and the name of the contact it was mailed to.
 */
export function targetByTokenHash(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('communication_check_targets as t')
    .innerJoin('communication_checks as ch', 'ch.id', 't.check_id')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select(['t.check_id', 't.contact_id', 't.language', 't.acknowledged_at', 't.channel', 'ch.title', 'ch.message', 'ch.deadline', 'ch.status', 'c.full_name', 'c.organisation_id'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * One target of a check, with the person its contact names: the caller answers it only
 * to that person (the contact acknowledging in the app), not by the policy.
 */
export function targetOfCheck(db: Kysely<DB>, checkId: string, contactId: string) {
  return db
    .selectFrom('communication_check_targets as t')
    .innerJoin('communication_checks as ch', 'ch.id', 't.check_id')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select(['t.check_id', 't.contact_id', 't.acknowledged_at', 'ch.status', 'ch.deadline', 'c.organisation_id', 'c.person_id'])
    .where('t.check_id', '=', checkId)
    .where('t.contact_id', '=', contactId)
    .executeTakeFirst();
}

/** Open checks waiting for an answer from the entries that name this person (they are the contact). */
export function pendingChecksOfPerson(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('communication_check_targets as t')
    .innerJoin('communication_checks as ch', 'ch.id', 't.check_id')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select(['ch.id', 'ch.title', 'ch.deadline', 't.contact_id', 'c.full_name'])
    .where('c.person_id', '=', personId)
    .where('ch.status', '=', 'open')
    .where('t.acknowledged_at', 'is', null)
    .orderBy('ch.deadline')
    .execute();
}

/** Checks with their targets and acknowledgements counted among the contacts this viewer may see. */
export function checksWithVisibleCounts(db: Kysely<DB>, viewer: Viewer) {
  return db
    .selectFrom('communication_checks as ch')
    .select(['ch.id', 'ch.title', 'ch.deadline', 'ch.status', 'ch.created_at'])
    .select((eb) => [
      eb.selectFrom('communication_check_targets as t').innerJoin('contacts as c', 'c.id', 't.contact_id').select(eb.fn.countAll<string>().as('n')).whereRef('t.check_id', '=', 'ch.id').where(visibleSql(viewer, 'c')).as('targets'),
      eb
        .selectFrom('communication_check_targets as t')
        .innerJoin('contacts as c', 'c.id', 't.contact_id')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('t.check_id', '=', 'ch.id')
        .where('t.acknowledged_at', 'is not', null)
        .where(visibleSql(viewer, 'c'))
        .as('acknowledged'),
    ]);
}

/**
 * System read (the reminder job, no viewer): the unacknowledged targets of a check, with
 * what their reminder needs; the mail carries the marking of the contact's address.
 */
export function unacknowledgedTargets(db: Kysely<DB>, checkId: string) {
  return db
    .selectFrom('communication_check_targets as t')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .select(['t.contact_id', 't.email', 't.language', 't.token_sealed', 't.encrypted', 'c.full_name', 'c.pgp_key', 'c.field_markings', 'c.tlp', 'c.author_id', 'c.author_org_id', 'c.audience_organisations', 'c.audience_communities', 'c.audience_people'])
    .where('t.check_id', '=', checkId)
    .where('t.acknowledged_at', 'is', null)
    .execute();
}

/**
 * System read (the closing job, no viewer): the contacts that did not answer a check; an
 * owner is told of one only as far as the policy lets that owner see it.
 */
export function unansweredContacts(db: Kysely<DB>, checkId: string) {
  return db
    .selectFrom('communication_check_targets as t')
    .innerJoin('contacts as c', 'c.id', 't.contact_id')
    .selectAll('c')
    .where('t.check_id', '=', checkId)
    .where('t.acknowledged_at', 'is', null)
    .execute();
}
