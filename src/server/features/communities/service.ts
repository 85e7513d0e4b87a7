import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import type { Principal } from '../../platform/auth/principal.js';
import { hasRole } from '../../platform/auth/principal.js';
import { asActor, communityAbilities, type CommunityPowers } from '../../platform/access/abilities.js';
import type { EventSubjectType } from '../../platform/event-subjects.js';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/deps.js';
import { actorOf, change } from '../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { isSelfGrant, recordSelfGrant, selfGrantsOf } from './self-grants.js';
import { activeSecretariat, approvedCommunities, communityOrganisations, communityPeople, discussionSubscription, findCommunity, pendingJoinRequestsOf } from './repository.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Is this person an admin of the community (directly named, with is_admin)? */
export async function isCommunityAdmin(db: Db, communityId: string, personId: string) {
  const row = await db.selectFrom('community_people').select('is_admin').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst();
  return !!row?.is_admin;
}

/** The viewer's powers in one community, as the write rules read them. */
export async function communityPowers(db: Db, pr: Principal, communityId: string): Promise<CommunityPowers> {
  return { communityAdmin: await isCommunityAdmin(db, communityId, pr.person.id) };
}

/** The secretariat and the community's admins decide on membership and join requests (the rule: communityAbilities). */
export async function mayManage(db: Db, pr: Principal, communityId: string) {
  return communityAbilities(asActor(pr), await communityPowers(db, pr, communityId)).manage;
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

// ---------------------------------------------------------------- reading and changing communities and their membership

export async function requireCommunityAdmin(p: Platform, req: FastifyRequest, communityId: string) {
  const pr = requireVetted(req);
  if (!(await mayManage(p.db, pr, communityId))) throw forbidden('Only the secretariat and the community admins change membership');
  return pr;
}

/** One community as its viewer may see it: members, their own pending requests and subscription, self-grants. */
export async function communityDetail(p: Platform, req: FastifyRequest, id: string) {
  const pr = requireVetted(req);
  const c = await findCommunity(p.db, id);
  // A proposal not the viewer's answers like a missing community.
  if (!c || !maySeeCommunity(pr, c)) throw notFound('Community');
  const organisations = await communityOrganisations(p.db, id);
  const people = await communityPeople(p.db, id);
  const isMember = pr.viewer.communityIds.includes(c.id);
  const hidden = !maySeeCommunityDetails(pr, c);
  const pending = await pendingJoinRequestsOf(p.db, id, pr.person.id, pr.organisation.id);
  const sub = await discussionSubscription(p.db, pr.person.id, id);
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: hidden ? '' : c.description,
    isMember,
    isAdmin: people.some((x) => x.id === pr.person.id && x.isAdmin),
    status: c.status,
    visibility: c.visibility,
    descriptionHidden: hidden,
    canManage: await mayManage(p.db, pr, c.id),
    proposal: c.proposed_by_org || c.status !== 'approved'
      ? { organisationId: c.proposed_by_org, reason: c.proposal_reason, decisionReason: c.decision_reason, decidedAt: c.decided_at?.toISOString() ?? null }
      : null,
    pendingRequests: { person: pending.some((r) => r.person_id === pr.person.id), organisation: pending.some((r) => r.organisation_id === pr.organisation.id) },
    subscription: sub?.mode ?? null,
    organisations: hidden ? [] : organisations,
    people: hidden ? [] : people,
    selfGrants: isMember || hasRole(pr, 'secretariat') || people.some((x) => x.id === pr.person.id) ? await selfGrantsOf(p.db, c.id) : [],
  };
}

/** The approved communities; of a members-only one, outsiders get the name only. */
export async function listCommunities(p: Platform, pr: Principal) {
  const rows = await approvedCommunities(p.db);
  return rows.map((r) => {
    const isMember = pr.viewer.communityIds.includes(r.id);
    const hidden = !maySeeCommunityDetails(pr, r);
    return {
      ...r,
      description: hidden ? '' : r.description,
      organisationCount: hidden ? null : r.organisationCount,
      peopleCount: hidden ? null : r.peopleCount,
      descriptionHidden: hidden,
      isMember,
    };
  });
}

/** Create a community (approved, by the secretariat) or a proposal, which the secretariat is told of. */
export async function createCommunity(
  p: Platform,
  req: FastifyRequest,
  b: { slug: string; name: string; description?: string; visibility?: 'public' | 'members'; reason?: string },
  status: 'approved' | 'proposed',
) {
  const pr = requireVetted(req);
  const id = newId();
  await change(p, async (c) => {
    const taken = await c.trx.selectFrom('communities').select('id').where('slug', '=', b.slug).executeTakeFirst();
    if (taken) throw new AppError('ALREADY_EXISTS', 'A community with this short name exists', { field: 'slug' });
    await c.trx
      .insertInto('communities')
      .values({
        id,
        slug: b.slug,
        name: b.name.trim(),
        description: b.description?.trim() ?? '',
        visibility: b.visibility ?? 'public',
        status,
        created_by: pr.person.id,
        proposed_by: status === 'proposed' ? pr.person.id : null,
        proposed_by_org: status === 'proposed' ? pr.organisation.id : null,
        proposal_reason: b.reason?.trim() ?? '',
      })
      .execute();
    if (status === 'approved') {
      await c.audit({ action: 'community.created', ...actorOf(req), targetType: 'community', targetId: id, details: { slug: b.slug } });
    } else {
      await c.audit({ action: 'community.proposed', ...actorOf(req), organisationId: pr.organisation.id, targetType: 'community', targetId: id, details: { slug: b.slug, name: b.name.trim() } });
      const secretariat = await activeSecretariat(c.trx);
      await tellPeople(c, secretariat.map((x) => x.id), { type: 'community.proposed', subjectType: 'community', subjectId: id, payload: { name: b.name.trim() } });
    }
  });
  return id;
}

export async function addOrganisation(p: Platform, req: FastifyRequest, communityId: string, organisationId: string) {
  const pr = await requireCommunityAdmin(p, req, communityId);
  await change(p, async (c) => {
    const community = await c.trx.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
    const org = await c.trx.selectFrom('organisations').select('id').where('id', '=', organisationId).where('status', '=', 'approved').executeTakeFirst();
    if (!community || !org) throw notFound(!community ? 'Community' : 'Approved organisation');
    const r = await c.trx
      .insertInto('community_organisations')
      .values({ community_id: communityId, organisation_id: organisationId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0 && (await isSelfGrant(c.trx, pr, communityId, { organisationId })))
      await recordSelfGrant(c, req, pr, communityId, { organisationId }, p.config.baseUrl);
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0)
      await c.audit({ action: 'community.membership_changed', ...actorOf(req), organisationId, targetType: 'community', targetId: communityId, details: { added: { organisation: organisationId } } });
  });
}

export async function removeOrganisation(p: Platform, req: FastifyRequest, communityId: string, organisationId: string) {
  await requireCommunityAdmin(p, req, communityId);
  await change(p, async (c) => {
    const r = await c.trx.deleteFrom('community_organisations').where('community_id', '=', communityId).where('organisation_id', '=', organisationId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Membership');
    await c.audit({ action: 'community.membership_changed', ...actorOf(req), organisationId, targetType: 'community', targetId: communityId, details: { removed: { organisation: organisationId } } });
  });
}

/** Add a person to a community, or change whether they administer it. */
export async function addPerson(p: Platform, req: FastifyRequest, communityId: string, personId: string, isAdmin: boolean) {
  const pr = await requireCommunityAdmin(p, req, communityId);
  await change(p, async (c) => {
    const person = await c.trx.selectFrom('people').select(['id', 'organisation_id']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
    const community = await c.trx.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
    if (!person || !community) throw notFound(!person ? 'Person' : 'Community');
    // Checked before the row is written: afterwards the secretariat may be an admin by its own grant.
    if (await isSelfGrant(c.trx, pr, communityId, { personId: person.id }))
      await recordSelfGrant(c, req, pr, communityId, { personId: person.id, asAdmin: isAdmin }, p.config.baseUrl);
    await c.trx
      .insertInto('community_people')
      .values({ community_id: communityId, person_id: person.id, is_admin: isAdmin })
      .onConflict((oc) => oc.columns(['community_id', 'person_id']).doUpdateSet({ is_admin: isAdmin }))
      .execute();
    await c.audit({ action: 'community.membership_changed', ...actorOf(req), organisationId: person.organisation_id, targetType: 'community', targetId: communityId, details: { person: person.id, isAdmin } });
  });
}

export async function removePerson(p: Platform, req: FastifyRequest, communityId: string, personId: string) {
  await requireCommunityAdmin(p, req, communityId);
  await change(p, async (c) => {
    const r = await c.trx.deleteFrom('community_people').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Membership');
    await c.audit({ action: 'community.membership_changed', ...actorOf(req), targetType: 'community', targetId: communityId, details: { removed: { person: personId } } });
  });
}
