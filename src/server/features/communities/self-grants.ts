import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { hasRole, type Principal } from '../../platform/auth/principal.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { newId } from '../../platform/ids.js';
import { isCommunityAdmin } from './repository.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The secretariat administers every community, but the policy makes nobody an audience
 * by role: only membership does. So when the secretariat adds its own account or its
 * own organisation to a community — acting by role, not as one of its admins — it
 * grants itself the community's AMBER records. That is allowed (it may be needed) but
 * never silent: the grant is recorded and shown in the community, its admins are told
 * by event and mail, and it is audited.
 */
export async function isSelfGrant(db: Db, pr: Principal, communityId: string, target: { personId?: string; organisationId?: string }) {
  const self = target.personId === pr.person.id || target.organisationId === pr.organisation.id;
  return self && hasRole(pr, 'secretariat') && !(await isCommunityAdmin(db, communityId, pr.person.id));
}

export async function recordSelfGrant(c: Change, actor: Actor, pr: Principal, communityId: string, target: { personId?: string; organisationId?: string; asAdmin?: boolean }, baseUrl: string) {
  const id = newId();
  await c.trx
    .insertInto('community_self_grants')
    .values({ id, community_id: communityId, actor_id: pr.person.id, person_id: target.personId ?? null, organisation_id: target.organisationId ?? null, as_admin: !!target.asAdmin })
    .execute();
  await c.audit({
    action: 'community.self_granted',
    ...auditActor(actor),
    organisationId: pr.organisation.id,
    targetType: 'community',
    targetId: communityId,
    details: { grant: id, person: target.personId ?? null, organisation: target.organisationId ?? null, asAdmin: !!target.asAdmin },
  });
  const community = await c.trx.selectFrom('communities').select(['name']).where('id', '=', communityId).executeTakeFirstOrThrow();
  const admins = await c.trx
    .selectFrom('community_people as cp')
    .innerJoin('people as pe', 'pe.id', 'cp.person_id')
    .select(['pe.id', 'pe.email', 'pe.name', 'pe.ui_language'])
    .where('cp.community_id', '=', communityId)
    .where('cp.is_admin', '=', true)
    .where('pe.status', '=', 'active')
    .where('pe.id', '!=', pr.person.id)
    .execute();
  if (!admins.length) return;
  await c.event({
    type: 'community.self_granted',
    subjectType: 'community',
    subjectId: communityId,
    payload: { communityId, grant: id, by: pr.person.name, what: target.personId ? 'person' : 'organisation' },
    marking: { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: admins.map((a) => a.id) } },
  });
  const what = (lang: UiLanguage) => t(lang, target.personId ? 'mail.community_self_grant.own_account' : 'mail.community_self_grant.own_organisation', { organisation: pr.organisation.name });
  for (const a of admins) {
    const lang: UiLanguage = isUiLanguage(a.ui_language) ? a.ui_language : 'en';
    const vars = { name: a.name, actor: pr.person.name, community: community.name, what: what(lang), link: `${baseUrl.replace(/\/$/, '')}/communities/${communityId}` };
    // About the community's membership, which its admins manage: no marked content.
    await c.mail({ to: a.email, subject: t(lang, 'mail.community_self_grant.subject', vars), text: t(lang, 'mail.community_self_grant.body', vars), purpose: 'community_self_grant', content: { marking: null } });
  }
}

/** The self-grants of a community, newest first, for its members, its admins and the secretariat. */
export async function selfGrantsOf(db: Db, communityId: string) {
  const rows = await db
    .selectFrom('community_self_grants as g')
    .innerJoin('people as a', 'a.id', 'g.actor_id')
    .leftJoin('people as p', 'p.id', 'g.person_id')
    .leftJoin('organisations as o', 'o.id', 'g.organisation_id')
    .select(['g.id', 'g.created_at', 'g.as_admin', 'a.id as actor_id', 'a.name as actor_name', 'g.person_id', 'p.name as person_name', 'g.organisation_id', 'o.name as org_name'])
    .where('g.community_id', '=', communityId)
    .orderBy('g.created_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at.toISOString(),
    by: { id: r.actor_id, name: r.actor_name },
    granted: r.person_id ? { kind: 'person' as const, id: r.person_id, name: r.person_name ?? '' } : { kind: 'organisation' as const, id: r.organisation_id!, name: r.org_name ?? '' },
    asAdmin: r.as_admin,
  }));
}
