import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Viewer } from '../../platform/access/policy.js';
import { visibleExperts } from '../experts/repository.js';
import '../experts/tables.js';
import { visibleOffers } from '../offers/repository.js';
import '../offers/tables.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The staff of sessions of offers already read through `visibleOffers`: only the experts the
 * viewer may see through the experts' policy (marking and workflow). A hidden expert is not
 * listed, and nothing counts them.
 */
export async function staffOf(db: Db, viewer: Viewer, offerIds: readonly string[]) {
  if (!offerIds.length) return [];
  return db
    .selectFrom('offer_session_staff as st')
    .innerJoin(visibleExperts(db, viewer).as('ve'), 've.id', 'st.expert_id')
    .select(['st.id', 'st.session_id', 'st.offer_id', 'st.expert_id', 'st.role', 'st.status', 'st.proposed_at', 've.person_name', 've.person_id', 've.headline', 've.language', 've.source_rev', 've.translations'])
    .where('st.offer_id', 'in', [...offerIds])
    .orderBy('st.proposed_at')
    .orderBy('st.id')
    .execute();
}
export type StaffRow = Awaited<ReturnType<typeof staffOf>>[number];

/**
 * The sessions of an expert already read through `visibleExperts` whose offer the viewer may see
 * (the offers' policy and workflow), not yet over, soonest first; `statuses` narrows them.
 */
export async function sessionsOfExpert(db: Db, viewer: Viewer, expertId: string, statuses: readonly string[], now = new Date()) {
  if (!statuses.length) return [];
  return db
    .selectFrom('offer_session_staff as st')
    .innerJoin('offer_sessions as s', 's.id', 'st.session_id')
    .innerJoin(visibleOffers(db, viewer).as('vo'), 'vo.id', 'st.offer_id')
    .select([
      'st.id',
      'st.session_id',
      'st.offer_id',
      'st.role',
      'st.status',
      's.starts_at',
      's.ends_at',
      's.time_zone',
      's.place',
      's.country',
      's.online',
      'vo.slug',
      'vo.title',
      'vo.language',
      'vo.source_rev',
      'vo.translations',
      'vo.author_org_id',
      'vo.org_name',
    ])
    .where('st.expert_id', '=', expertId)
    .where('st.status', 'in', [...statuses])
    .where('s.ends_at', '>', now)
    .orderBy('s.starts_at')
    .orderBy('st.id')
    .execute();
}
export type ExpertSessionRow = Awaited<ReturnType<typeof sessionsOfExpert>>[number];

/** A session of an offer already read through `visibleOffers`. */
export async function sessionOf(db: Db, offerId: string, sessionId: string) {
  return db
    .selectFrom('offer_sessions')
    .select(['id', 'offer_id', 'starts_at', 'ends_at', 'time_zone', 'place', 'country', 'online', 'cancelled_at'])
    .where('id', '=', sessionId)
    .where('offer_id', '=', offerId)
    .executeTakeFirst();
}

/** The staffing of an expert on a session, locked for the change that reads it. */
export async function lockedStaffing(trx: Transaction<DB>, sessionId: string, expertId: string) {
  return trx.selectFrom('offer_session_staff').selectAll().where('session_id', '=', sessionId).where('expert_id', '=', expertId).forUpdate().executeTakeFirst();
}

/**
 * Whether the expert is confirmed on another session overlapping [startsAt, endsAt). Whatever
 * offer it belongs to, seen or not: the answer is yes or no, never which.
 */
export async function doubleBooked(db: Db, expertId: string, sessionId: string, startsAt: Date, endsAt: Date) {
  const r = await db
    .selectFrom('offer_session_staff as st')
    .innerJoin('offer_sessions as s', 's.id', 'st.session_id')
    .select('st.id')
    .where('st.expert_id', '=', expertId)
    .where('st.status', '=', 'confirmed')
    .where('st.session_id', '<>', sessionId)
    .where(sql<SqlBool>`s.cancelled_at IS NULL`)
    .where('s.starts_at', '<', endsAt)
    .where('s.ends_at', '>', startsAt)
    .limit(1)
    .executeTakeFirst();
  return !!r;
}

/** Takes the expert's row lock: two confirmations of one expert at once are answered one after the other. */
export async function lockExpert(trx: Transaction<DB>, expertId: string) {
  await trx.selectFrom('experts').select('id').where('id', '=', expertId).forUpdate().execute();
}

export async function insertStaffing(trx: Transaction<DB>, v: { id: string; sessionId: string; offerId: string; expertId: string; role: string; proposedBy: string }) {
  await trx
    .insertInto('offer_session_staff')
    .values({ id: v.id, session_id: v.sessionId, offer_id: v.offerId, expert_id: v.expertId, role: v.role, status: 'proposed', proposed_by: v.proposedBy })
    .execute();
}

export async function answerStaffing(trx: Transaction<DB>, id: string, v: { status: 'confirmed' | 'declined'; by: string; missionId: string | null }) {
  const r = await trx
    .updateTable('offer_session_staff')
    .set({ status: v.status, answered_by: v.by, answered_at: new Date(), mission_id: v.missionId })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteStaffing(trx: Transaction<DB>, id: string) {
  await trx.deleteFrom('offer_session_staff').where('id', '=', id).execute();
}

/** The mission written on confirmation: removed with the staffing unless it was evaluated (an evaluation stays on the record). */
export async function removeUnevaluatedMission(trx: Transaction<DB>, missionId: string) {
  await trx.deleteFrom('expert_missions').where('id', '=', missionId).where('evaluation', 'is', null).execute();
}

/** A session going away takes its staffing with it (ON DELETE CASCADE); the missions confirmed on it go too, unless evaluated. */
export async function sessionStaffRemoving(trx: Transaction<DB>, sessionId: string) {
  await trx
    .deleteFrom('expert_missions')
    .where('evaluation', 'is', null)
    .where('id', 'in', (eb) => eb.selectFrom('offer_session_staff').select('mission_id').where('session_id', '=', sessionId).where('mission_id', 'is not', null).$narrowType<{ mission_id: string }>())
    .execute();
}

/** For the demo (a system read, no viewer): the first session of an offer by its title, with its provider. */
export async function demoFirstSession(trx: Transaction<DB>, title: string) {
  return trx
    .selectFrom('offers as o')
    .innerJoin('offer_sessions as s', 's.offer_id', 'o.id')
    .select(['o.id as offer_id', 'o.title', 'o.author_id', 'o.author_org_id', 's.id as session_id', 's.starts_at', 's.ends_at', 's.time_zone', 's.country'])
    .where('o.title', '=', title)
    .orderBy('s.starts_at')
    .limit(1)
    .executeTakeFirst();
}

/** For the demo (a system read, no viewer): a person's vetted profile in the pool. */
export async function demoVettedExpert(trx: Transaction<DB>, personId: string) {
  return trx.selectFrom('experts').select(['id', 'author_org_id']).where('person_id', '=', personId).where('status', '=', 'vetted').executeTakeFirst();
}
