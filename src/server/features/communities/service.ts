import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import type { Principal } from '../../platform/auth/principal.js';
import { hasRole } from '../../platform/auth/principal.js';
import type { EventSubjectType } from '../../platform/event-subjects.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Is this person an admin of the community (directly named, with is_admin)? */
export async function isCommunityAdmin(db: Db, communityId: string, personId: string) {
  const row = await db.selectFrom('community_people').select('is_admin').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst();
  return !!row?.is_admin;
}

/** The secretariat and the community's admins decide on membership and join requests. */
export async function mayManage(db: Db, pr: Principal, communityId: string) {
  return hasRole(pr, 'secretariat') || (await isCommunityAdmin(db, communityId, pr.person.id));
}

/**
 * A community is seen by everyone vetted once approved; a proposal only by the
 * secretariat and the organisation that proposed it.
 */
export function maySeeCommunity(pr: Principal, c: { status: string; proposed_by_org: string | null }) {
  if (c.status === 'approved') return true;
  return hasRole(pr, 'secretariat') || c.proposed_by_org === pr.organisation.id;
}

/**
 * A members-only community shows outsiders its name only: its description and
 * member list are for its members and for the secretariat, which administers
 * every community. Its discussions are for members only (membersOnlySql).
 */
export function maySeeCommunityDetails(pr: Principal, c: { id: string; visibility: string }) {
  return c.visibility !== 'members' || pr.viewer.communityIds.includes(c.id) || hasRole(pr, 'secretariat');
}

/** An event only the people named receive (TLP:RED addressed to them, no author). */
export async function tellPeople(c: Change, personIds: string[], e: { type: string; subjectType: EventSubjectType; subjectId: string; payload: Record<string, unknown> }) {
  const people = [...new Set(personIds)];
  if (!people.length) return;
  await c.event({ ...e, marking: { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people } } });
}

export async function communityAdmins(db: Db, communityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('community_people as cp')
    .innerJoin('people as p', 'p.id', 'cp.person_id')
    .select('p.id')
    .where('cp.community_id', '=', communityId)
    .where('cp.is_admin', '=', true)
    .where('p.status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}
