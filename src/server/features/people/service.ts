import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { hasRole, loadPrincipalParts, requireOrgAdminOf, type Role } from '../../platform/auth/principal.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { createSession } from '../../platform/auth/sessions.js';
import { renderMail } from '../../platform/mail.js';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n.js';
import { INVITATION_DAYS } from '../organisations/service.js';
import { likeLiteral } from '../../platform/sql.js';

function normaliseRoles(roles: Role[] | undefined): Role[] {
  const set = new Set<Role>(roles ?? []);
  set.add('member');
  return [...set].sort() as Role[];
}

const selectPeople = (p: Platform) =>
  p.db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'p.email', 'p.roles', 'p.status', 'p.mfa_enabled', 'o.id as org_id', 'o.name as org_name', 'o.country_code']);

type PersonRow = Awaited<ReturnType<ReturnType<typeof selectPeople>['executeTakeFirstOrThrow']>>;

const personView = (r: PersonRow) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  roles: r.roles,
  status: r.status,
  mfaEnabled: r.mfa_enabled,
  organisation: { id: r.org_id, name: r.org_name, country: r.country_code },
});

export async function getPersonView(p: Platform, id: string) {
  const r = await selectPeople(p).where('p.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('Person');
  return personView(r);
}

/** The secretariat's search: by organisation, and by name (accents and case aside) or address. */
export async function findPeople(p: Platform, f: { q?: string; organisation?: string }) {
  let q = selectPeople(p);
  if (f.organisation) q = q.where('p.organisation_id', '=', f.organisation);
  if (f.q?.trim()) {
    const term = f.q.trim();
    q = q.where((eb) =>
      eb.or([sql<boolean>`unaccent(lower(p.name)) LIKE '%' || unaccent(lower(${likeLiteral(term)})) || '%'`, sql<boolean>`lower(p.email) LIKE '%' || lower(${likeLiteral(term)}) || '%'`]),
    );
  }
  const rows = await q.orderBy('p.name').limit(500).execute();
  return rows.map(personView);
}

/**
 * Change roles or disable/enable a person: organisation admins for their own
 * organisation; only the secretariat grants or removes "secretariat". Disabling ends the
 * person's sessions.
 */
export async function changePerson(p: Platform, actor: Actor, id: string, b: { roles?: Role[]; status?: 'active' | 'disabled' }) {
  const target = await p.db.selectFrom('people').select(['id', 'organisation_id', 'roles', 'status']).where('id', '=', id).executeTakeFirst();
  if (!target) throw notFound('Person');
  const pr = requireOrgAdminOf(actor, target.organisation_id);
  const secretariat = hasRole(pr, 'secretariat');
  const roles = b.roles ? normaliseRoles(b.roles) : undefined;
  const touchesSecretariat = roles && roles.includes('secretariat') !== target.roles.includes('secretariat');
  if (touchesSecretariat && !secretariat) throw forbidden('Only the secretariat grants or removes the secretariat role');
  if (target.id === pr.person.id && (b.status === 'disabled' || (roles && !roles.includes('org_admin') && target.roles.includes('org_admin') && !secretariat)))
    throw new AppError('INVALID_STATE', 'You cannot disable yourself or drop your own admin role');
  await change(p, async (c) => {
    await c.trx
      .updateTable('people')
      .set({ ...(roles && { roles }), ...(b.status && { status: b.status }), updated_at: new Date() })
      .where('id', '=', target.id)
      .execute();
    if (roles && roles.join() !== [...target.roles].sort().join())
      await c.audit({ action: 'person.roles_changed', ...auditActor(actor), organisationId: target.organisation_id, targetType: 'person', targetId: target.id, details: { from: target.roles, to: roles } });
    if (b.status && b.status !== target.status) {
      if (b.status === 'disabled') await c.trx.deleteFrom('sessions').where('person_id', '=', target.id).execute();
      await c.audit({ action: b.status === 'disabled' ? 'person.disabled' : 'person.enabled', ...auditActor(actor), organisationId: target.organisation_id, targetType: 'person', targetId: target.id });
    }
  });
  return getPersonView(p, target.id);
}

/** Invite someone to an approved organisation: one live invitation per address and organisation, mailed with its link. */
export async function invite(p: Platform, actor: Actor, organisationId: string, b: { email: string; name?: string; roles?: Role[] }) {
  const pr = requireOrgAdminOf(actor, organisationId);
  const org = await p.db.selectFrom('organisations').select(['id', 'name', 'status']).where('id', '=', organisationId).executeTakeFirst();
  if (!org) throw notFound('Organisation');
  if (org.status !== 'approved') throw new AppError('INVALID_STATE', 'Only approved organisations invite people');
  const roles = normaliseRoles(b.roles);
  if (roles.includes('secretariat') && !hasRole(pr, 'secretariat')) throw forbidden('Only the secretariat grants the secretariat role');
  const email = b.email.trim();
  const existing = await p.db.selectFrom('people').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  if (existing) throw new AppError('ALREADY_EXISTS', 'This e-mail address already has a Puente account', { field: 'email' });
  const token = randomToken(32);
  const row = {
    id: newId(),
    organisation_id: org.id,
    email,
    name: b.name?.trim() || null,
    roles,
    token_hash: sha256(token),
    invited_by: pr.person.id,
    created_at: new Date(),
    expires_at: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
  };
  await change(p, async (c) => {
    // One live invitation per address and organisation: a new one replaces the old.
    await c.trx
      .updateTable('invitations')
      .set({ revoked_at: new Date() })
      .where('organisation_id', '=', org.id)
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    await c.trx.insertInto('invitations').values(row).execute();
    const lang = isUiLanguage(pr.person.uiLanguage) ? pr.person.uiLanguage : 'en';
    const m = renderMail(lang, 'invitation', { name: row.name ? ` ${row.name}` : '', inviter: pr.person.name, organisation: org.name, link: `${p.config.baseUrl}/invitation?token=${token}` });
    await c.mail({ to: email, ...m, purpose: 'invitation', content: { marking: null, credentialUntil: row.expires_at } });
    await c.audit({ action: 'person.invited', ...auditActor(actor), organisationId: org.id, targetType: 'invitation', targetId: row.id, details: { email, roles } });
  });
  return row;
}

export function listInvitations(p: Platform, organisationId: string) {
  return p.db.selectFrom('invitations').selectAll().where('organisation_id', '=', organisationId).orderBy('created_at', 'desc').limit(500).execute();
}

export async function withdrawInvitation(p: Platform, actor: Actor, id: string) {
  const inv = await p.db.selectFrom('invitations').select(['id', 'organisation_id', 'email']).where('id', '=', id).executeTakeFirst();
  if (!inv) throw notFound('Invitation');
  requireOrgAdminOf(actor, inv.organisation_id);
  await change(p, async (c) => {
    await c.trx.updateTable('invitations').set({ revoked_at: new Date() }).where('id', '=', inv.id).where('accepted_at', 'is', null).execute();
    await c.audit({ action: 'person.invitation_revoked', ...auditActor(actor), organisationId: inv.organisation_id, targetType: 'invitation', targetId: inv.id, details: { email: inv.email } });
  });
}

/** The invitation of a link, while it can still be accepted (else GONE, whatever the reason). */
export async function liveInvitation(p: Platform, token: string) {
  const inv = await p.db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select(['i.id', 'i.email', 'i.name', 'i.roles', 'i.expires_at', 'i.accepted_at', 'i.revoked_at', 'o.id as org_id', 'o.name as org_name', 'o.country_code', 'o.status as org_status'])
    .where('i.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!inv || inv.accepted_at || inv.revoked_at || inv.expires_at.getTime() <= Date.now() || inv.org_status !== 'approved')
    throw new AppError('GONE', 'This invitation is no longer valid; ask your organisation for a new one');
  return inv;
}

/** Accept an invitation: the account is created and signed in; answers its new session and who it is. */
export async function acceptInvitation(p: Platform, actor: Actor, token: string, b: { name: string; password: string; uiLanguage?: UiLanguage }) {
  const inv = await liveInvitation(p, token);
  const hash = await hashPassword(b.password);
  const personId = newId();
  const session = await change(p, async (c) => {
    const taken = await c.trx.selectFrom('people').select('id').where(sql`lower(email)`, '=', inv.email.toLowerCase()).executeTakeFirst();
    if (taken) throw new AppError('ALREADY_EXISTS', 'This e-mail address already has a Puente account');
    const used = await c.trx.updateTable('invitations').set({ accepted_at: new Date() }).where('id', '=', inv.id).where('accepted_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw new AppError('GONE', 'This invitation was just used');
    await c.trx
      .insertInto('people')
      .values({
        id: personId,
        organisation_id: inv.org_id,
        email: inv.email,
        name: b.name.trim(),
        password_hash: hash,
        roles: inv.roles,
        ui_language: b.uiLanguage ?? 'en',
        languages: [b.uiLanguage ?? 'en'],
        status: 'active',
        last_login_at: new Date(),
      })
      .execute();
    await c.audit({ action: 'person.invitation_accepted', actorId: personId, actorOrgId: inv.org_id, organisationId: inv.org_id, targetType: 'person', targetId: personId, ip: actor.ip, details: { roles: inv.roles } });
    return createSession(c.trx, personId, p.config.session, { ip: actor.ip, userAgent: actor.userAgent });
  });
  return { session, parts: await loadPrincipalParts(p.db, personId) };
}
