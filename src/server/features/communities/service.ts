import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import type { Principal } from '../../platform/auth/principal.js';
import { hasRole } from '../../platform/auth/principal.js';
import { asActor, communityAbilities, type CommunityPowers } from '../../platform/access/abilities.js';
import type { EventSubjectType } from '../../platform/event-subjects.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireRole, requireVetted } from '../../platform/auth/principal.js';
import { isSelfGrant, recordSelfGrant, selfGrantsOf } from './self-grants.js';
import { requireTag, sameLanguage, showFor, withoutTranslation, withTranslation } from '../../platform/translations.js';
import {
  activeSecretariat,
  approvedCommunities,
  communityAccess,
  communityForJoining,
  communityOrganisations,
  communityPeople,
  communityProposals,
  discussionSubscription,
  findCommunity,
  isCommunityAdmin,
  joinRequestById,
  joinRequestsOf,
  mentionablePeople,
  pendingJoinRequestsOf,
  type CommunityStatus,
} from './repository.js';

type Db = Kysely<DB> | Transaction<DB>;

export { isCommunityAdmin };

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

export async function requireCommunityAdmin(p: Platform, actor: Actor, communityId: string) {
  const pr = requireVetted(actor);
  if (!(await mayManage(p.db, pr, communityId))) throw forbidden('Only the secretariat and the community admins change membership');
  return pr;
}

/** One community as its viewer may see it: members, their own pending requests and subscription, self-grants. */
export async function communityDetail(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const c = await findCommunity(p.db, id);
  // A proposal not the viewer's answers like a missing community.
  if (!c || !maySeeCommunity(pr, c)) throw notFound('Community');
  const organisations = await communityOrganisations(p.db, id);
  const people = await communityPeople(p.db, id);
  const isMember = pr.viewer.communityIds.includes(c.id);
  const hidden = !maySeeCommunityDetails(pr, c);
  const pending = await pendingJoinRequestsOf(p.db, id, pr.person.id, pr.organisation.id);
  const sub = await discussionSubscription(p.db, pr.person.id, id);
  const can = communityAbilities(asActor(pr), await communityPowers(p.db, pr, c.id));
  const shown = showCommunity(c, actor.readerLanguages);
  return {
    id: c.id,
    slug: c.slug,
    name: shown.fields.name,
    description: hidden ? '' : shown.fields.description,
    language: shown.info.shown,
    translation: shown.info,
    isMember,
    isAdmin: people.some((x) => x.id === pr.person.id && x.isAdmin),
    status: c.status,
    visibility: c.visibility,
    descriptionHidden: hidden,
    canManage: can.manage,
    can,
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
/**
 * The approved communities; with `organisation`, those that organisation belongs to — leaving out
 * members-only communities whose members this viewer may not see (their membership is theirs to know).
 */
export async function listCommunities(p: Platform, pr: Principal, q: { organisation?: string } = {}, langs: readonly string[] = []) {
  const rows = (await approvedCommunities(p.db, q.organisation)).filter((r) => !q.organisation || maySeeCommunityDetails(pr, r));
  return rows.map(({ language: _language, source_rev: _rev, translations: _translations, ...r }) => {
    const isMember = pr.viewer.communityIds.includes(r.id);
    const hidden = !maySeeCommunityDetails(pr, r);
    const shown = showCommunity({ ...r, language: _language, source_rev: _rev, translations: _translations }, langs);
    return {
      ...r,
      name: shown.fields.name,
      description: hidden ? '' : shown.fields.description,
      language: shown.info.shown,
      translation: shown.info,
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
  actor: Actor,
  b: { slug: string; name: string; description?: string; language?: string; visibility?: 'public' | 'members'; reason?: string },
  status: 'approved' | 'proposed',
) {
  const pr = requireVetted(actor);
  // The language the name and description are written in: as given, else the writer's interface language.
  const language = b.language !== undefined ? requireTag(b.language) : pr.person.uiLanguage;
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
        language,
        visibility: b.visibility ?? 'public',
        status,
        created_by: pr.person.id,
        proposed_by: status === 'proposed' ? pr.person.id : null,
        proposed_by_org: status === 'proposed' ? pr.organisation.id : null,
        proposal_reason: b.reason?.trim() ?? '',
      })
      .execute();
    if (status === 'approved') {
      await c.audit({ action: 'community.created', ...auditActor(actor), targetType: 'community', targetId: id, details: { slug: b.slug } });
    } else {
      await c.audit({ action: 'community.proposed', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'community', targetId: id, details: { slug: b.slug, name: b.name.trim() } });
      const secretariat = await activeSecretariat(c.trx);
      await tellPeople(c, secretariat.map((x) => x.id), { type: 'community.proposed', subjectType: 'community', subjectId: id, payload: { name: b.name.trim() } });
    }
  });
  return id;
}

export async function addOrganisation(p: Platform, actor: Actor, communityId: string, organisationId: string) {
  const pr = await requireCommunityAdmin(p, actor, communityId);
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
      await recordSelfGrant(c, actor, pr, communityId, { organisationId }, p.config.baseUrl);
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0)
      await c.audit({ action: 'community.membership_changed', ...auditActor(actor), organisationId, targetType: 'community', targetId: communityId, details: { added: { organisation: organisationId } } });
  });
}

export async function removeOrganisation(p: Platform, actor: Actor, communityId: string, organisationId: string) {
  await requireCommunityAdmin(p, actor, communityId);
  await change(p, async (c) => {
    const r = await c.trx.deleteFrom('community_organisations').where('community_id', '=', communityId).where('organisation_id', '=', organisationId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Membership');
    await c.audit({ action: 'community.membership_changed', ...auditActor(actor), organisationId, targetType: 'community', targetId: communityId, details: { removed: { organisation: organisationId } } });
  });
}

/** Add a person to a community, or change whether they administer it. */
export async function addPerson(p: Platform, actor: Actor, communityId: string, personId: string, isAdmin: boolean) {
  const pr = await requireCommunityAdmin(p, actor, communityId);
  await change(p, async (c) => {
    const person = await c.trx.selectFrom('people').select(['id', 'organisation_id']).where('id', '=', personId).where('status', '=', 'active').executeTakeFirst();
    const community = await c.trx.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
    if (!person || !community) throw notFound(!person ? 'Person' : 'Community');
    // Checked before the row is written: afterwards the secretariat may be an admin by its own grant.
    if (await isSelfGrant(c.trx, pr, communityId, { personId: person.id }))
      await recordSelfGrant(c, actor, pr, communityId, { personId: person.id, asAdmin: isAdmin }, p.config.baseUrl);
    await c.trx
      .insertInto('community_people')
      .values({ community_id: communityId, person_id: person.id, is_admin: isAdmin })
      .onConflict((oc) => oc.columns(['community_id', 'person_id']).doUpdateSet({ is_admin: isAdmin }))
      .execute();
    await c.audit({ action: 'community.membership_changed', ...auditActor(actor), organisationId: person.organisation_id, targetType: 'community', targetId: communityId, details: { person: person.id, isAdmin } });
  });
}

export async function removePerson(p: Platform, actor: Actor, communityId: string, personId: string) {
  await requireCommunityAdmin(p, actor, communityId);
  await change(p, async (c) => {
    const r = await c.trx.deleteFrom('community_people').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Membership');
    await c.audit({ action: 'community.membership_changed', ...auditActor(actor), targetType: 'community', targetId: communityId, details: { removed: { person: personId } } });
  });
}

// ---------------------------------------------------------------- proposals, settings, join requests, mentions

/** Proposals: the secretariat sees all, an organisation admin those of their organisation. */
export async function listProposals(p: Platform, actor: Actor, status: CommunityStatus | undefined) {
  const pr = requireVetted(actor);
  const secretariat = hasRole(pr, 'secretariat');
  if (!secretariat && !hasRole(pr, 'org_admin')) throw forbidden('Only organisation admins and the secretariat see proposals');
  // Without a filter the secretariat gets its queue (waiting proposals), an organisation admin all of theirs.
  return communityProposals(p.db, { organisationId: secretariat ? undefined : pr.organisation.id, status: status ?? (secretariat ? 'proposed' : undefined) });
}

/** The secretariat approves or rejects a proposed community (a rejection needs a reason). */
export async function decideProposal(p: Platform, actor: Actor, id: string, decision: 'approve' | 'reject', reasonText: string | undefined) {
  const pr = requireRole(actor, 'secretariat');
  requireVetted(actor);
  const reason = reasonText?.trim() || null;
  if (decision === 'reject' && !reason) throw new AppError('VALIDATION_FAILED', 'Give a reason for the rejection', { field: 'reason' });
  await change(p, async (c) => {
    const com = await c.trx.selectFrom('communities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!com) throw notFound('Community');
    if (com.status !== 'proposed') throw invalidState('This community is not waiting for a decision', { status: com.status });
    const approved = decision === 'approve';
    await c.trx
      .updateTable('communities')
      .set({ status: approved ? 'approved' : 'rejected', decided_by: pr.person.id, decided_at: new Date(), decision_reason: reason })
      .where('id', '=', com.id)
      .execute();
    if (approved) {
      // The proposer's organisation joins, and the proposer administers the community.
      if (com.proposed_by_org)
        await c.trx.insertInto('community_organisations').values({ community_id: com.id, organisation_id: com.proposed_by_org }).onConflict((oc) => oc.doNothing()).execute();
      if (com.proposed_by)
        await c.trx.insertInto('community_people').values({ community_id: com.id, person_id: com.proposed_by, is_admin: true }).onConflict((oc) => oc.doNothing()).execute();
    }
    await c.audit({
      action: approved ? 'community.approved' : 'community.rejected',
      ...auditActor(actor),
      organisationId: com.proposed_by_org,
      targetType: 'community',
      targetId: com.id,
      details: { slug: com.slug, reason },
    });
    if (com.proposed_by)
      await tellPeople(c, [com.proposed_by], { type: approved ? 'community.approved' : 'community.rejected', subjectType: 'community', subjectId: com.id, payload: { name: com.name, reason } });
  });
}

/** Community admins and the secretariat change the name, description or visibility; returns the community's id. */
export async function changeCommunitySettings(p: Platform, actor: Actor, id: string, b: { name?: string; description?: string; visibility?: 'public' | 'members' }) {
  const pr = requireVetted(actor);
  const com = await communityAccess(p.db, id);
  if (!com || !maySeeCommunity(pr, com)) throw notFound('Community');
  if (!(await mayManage(p.db, pr, com.id))) throw forbidden('Only the community admins and the secretariat change a community');
  await change(p, async (c) => {
    const set: { name?: string; description?: string; visibility?: 'public' | 'members' } = {};
    if (b.name !== undefined) set.name = b.name.trim();
    if (b.description !== undefined) set.description = b.description.trim();
    if (b.visibility !== undefined) set.visibility = b.visibility;
    // A changed text is a new revision: its translations now show as outdated until redone.
    const textChanged = set.name !== undefined || set.description !== undefined;
    if (Object.keys(set).length)
      await c.trx
        .updateTable('communities')
        .set((eb) => ({ ...set, ...(textChanged && { source_rev: eb('source_rev', '+', 1) }) }))
        .where('id', '=', com.id)
        .execute();
    await c.audit({ action: 'community.membership_changed', ...auditActor(actor), targetType: 'community', targetId: com.id, details: { settings: set } });
  });
  return com.id;
}

async function approvedCommunity(db: Db, id: string) {
  const com = await communityForJoining(db, id);
  if (!com || com.status !== 'approved') throw notFound('Community');
  return com;
}

/** An organisation admin asks for their organisation, or a person for themself; the community's admins are told. */
export async function requestToJoin(p: Platform, actor: Actor, communityId: string, b: { for: 'organisation' | 'person'; message?: string }) {
  const pr = requireVetted(actor);
  const com = await approvedCommunity(p.db, communityId);
  const forOrg = b.for === 'organisation';
  if (forOrg && !hasRole(pr, 'org_admin')) throw forbidden('Only an organisation admin asks for their organisation');
  const id = newId();
  await change(p, async (c) => {
    if (forOrg) {
      const member = await c.trx.selectFrom('community_organisations').select('organisation_id').where('community_id', '=', com.id).where('organisation_id', '=', pr.organisation.id).executeTakeFirst();
      if (member) throw new AppError('ALREADY_EXISTS', 'Your organisation is already a member of this community');
    } else if (pr.viewer.communityIds.includes(com.id)) throw new AppError('ALREADY_EXISTS', 'You are already a member of this community');
    const pending = await c.trx
      .selectFrom('community_join_requests')
      .select('id')
      .where('community_id', '=', com.id)
      .where('status', '=', 'pending')
      .where(forOrg ? 'organisation_id' : 'person_id', '=', forOrg ? pr.organisation.id : pr.person.id)
      .executeTakeFirst();
    if (pending) throw new AppError('ALREADY_EXISTS', 'A request is already waiting for a decision', { requestId: pending.id });
    await c.trx
      .insertInto('community_join_requests')
      .values({ id, community_id: com.id, organisation_id: forOrg ? pr.organisation.id : null, person_id: forOrg ? null : pr.person.id, requested_by: pr.person.id, message: b.message?.trim() ?? '' })
      .execute();
    await c.audit({ action: 'community.join_requested', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'community', targetId: com.id, details: { requestId: id, for: b.for } });
    await tellPeople(c, await communityAdmins(c.trx, com.id), { type: 'community.join_requested', subjectType: 'community', subjectId: com.id, payload: { community: com.name, requestId: id, by: pr.person.name, for: b.for } });
  });
  return joinRequestById(p.db, id);
}

/** Community admins and the secretariat get the pending requests, anyone else their own. */
export async function listJoinRequests(p: Platform, actor: Actor, communityId: string) {
  const pr = requireVetted(actor);
  await approvedCommunity(p.db, communityId);
  return joinRequestsOf(p.db, communityId, (await mayManage(p.db, pr, communityId)) ? { pending: true } : { requestedBy: pr.person.id });
}

/** Community admins and the secretariat approve or decline a join request; the requester is told. */
export async function decideJoinRequest(p: Platform, actor: Actor, communityId: string, requestId: string, decision: 'approve' | 'decline', reasonText: string | undefined) {
  const pr = requireVetted(actor);
  const com = await approvedCommunity(p.db, communityId);
  if (!(await mayManage(p.db, pr, com.id))) throw forbidden('Only the community admins and the secretariat decide join requests');
  const approve = decision === 'approve';
  const reason = reasonText?.trim() || null;
  await change(p, async (c) => {
    const r = await c.trx.selectFrom('community_join_requests').selectAll().where('id', '=', requestId).where('community_id', '=', com.id).forUpdate().executeTakeFirst();
    if (!r) throw notFound('Join request');
    if (r.status !== 'pending') throw invalidState('This request has already been decided', { status: r.status });
    await c.trx
      .updateTable('community_join_requests')
      .set({ status: approve ? 'approved' : 'declined', decided_by: pr.person.id, decided_at: new Date(), decision_reason: reason })
      .where('id', '=', r.id)
      .execute();
    if (approve && r.organisation_id)
      await c.trx.insertInto('community_organisations').values({ community_id: com.id, organisation_id: r.organisation_id }).onConflict((oc) => oc.doNothing()).execute();
    if (approve && r.person_id)
      await c.trx.insertInto('community_people').values({ community_id: com.id, person_id: r.person_id, is_admin: false }).onConflict((oc) => oc.doNothing()).execute();
    await c.audit({
      action: approve ? 'community.join_approved' : 'community.join_declined',
      ...auditActor(actor),
      organisationId: r.organisation_id,
      targetType: 'community',
      targetId: com.id,
      details: { requestId: r.id, organisation: r.organisation_id, person: r.person_id, reason },
    });
    await tellPeople(c, [r.requested_by], { type: approve ? 'community.join_approved' : 'community.join_declined', subjectType: 'community', subjectId: com.id, payload: { community: com.name, reason } });
  });
  return joinRequestById(p.db, requestId);
}

/** People to mention in a community: listed only to those who may see its members. */
export async function mentionable(p: Platform, actor: Actor, communityId: string, q: string | undefined) {
  const pr = requireVetted(actor);
  const com = await approvedCommunity(p.db, communityId);
  if (!maySeeCommunityDetails(pr, com)) throw forbidden('The members of this community are listed for its members only');
  return mentionablePeople(p.db, communityId, q?.trim());
}

/** A community's name and description in the reader's language (platform/translations.ts). */
function showCommunity(c: { name: string; description: string; language: string; source_rev: number; translations: unknown }, langs: readonly string[]) {
  return showFor({ language: c.language, source_rev: c.source_rev, translations: c.translations, source: { name: c.name, description: c.description } }, langs);
}

/** The community's admins and the secretariat add, replace or remove its name and description in another language. */
export async function translateCommunity(p: Platform, actor: Actor, id: string, lang: string, b: { name: string; description: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const com = await findCommunity(p.db, id);
  if (!com || !maySeeCommunity(pr, com)) throw notFound('Community');
  if (!(await mayManage(p.db, pr, com.id))) throw forbidden('Only the community admins and the secretariat translate a community');
  const translations = withTranslation(com.translations, com, lang, { name: b.name.trim(), description: b.description.trim() }, { machine: b.machine, by: pr.person.id, basedOn: b.basedOn });
  const tag = Object.keys(translations).find((l) => sameLanguage(l, lang))!;
  await change(p, async (c) => {
    await c.trx.updateTable('communities').set({ translations: JSON.stringify(translations) }).where('id', '=', com.id).execute();
    await c.audit({ action: 'community.translated', ...auditActor(actor), targetType: 'community', targetId: com.id, details: { language: tag, machine: !!b.machine } });
  });
}

export async function removeCommunityTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const com = await findCommunity(p.db, id);
  if (!com || !maySeeCommunity(pr, com)) throw notFound('Community');
  if (!(await mayManage(p.db, pr, com.id))) throw forbidden('Only the community admins and the secretariat translate a community');
  const translations = withoutTranslation(com.translations, lang);
  await change(p, async (c) => {
    await c.trx.updateTable('communities').set({ translations: JSON.stringify(translations) }).where('id', '=', com.id).execute();
    await c.audit({ action: 'community.translation_removed', ...auditActor(actor), targetType: 'community', targetId: com.id, details: { language: lang } });
  });
}
