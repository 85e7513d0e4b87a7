import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf, change } from '../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { Body, Email, errors, Items, Password, UiLanguage, Uuid } from '../../platform/schemas.js';
import { hasRole, requireOrgAdminOf, requireRole, type Role } from '../../platform/auth/principal.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { renderMail } from '../../platform/mail.js';
import { isUiLanguage } from '../../platform/i18n.js';
import { LoginResponse } from '../auth/schemas.js';
import { setSessionCookie, meView } from '../auth/service.js';
import { createSession } from '../../platform/auth/sessions.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { INVITATION_DAYS } from '../organisations/service.js';

const RoleSchema = Type.Union([Type.Literal('member'), Type.Literal('org_admin'), Type.Literal('secretariat')]);
const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const PersonView = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(Type.String()),
  status: Type.String(),
  mfaEnabled: Type.Boolean(),
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
});
const TokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });

function normaliseRoles(roles: Role[] | undefined): Role[] {
  const set = new Set<Role>(roles ?? []);
  set.add('member');
  return [...set].sort() as Role[];
}

export const peopleRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  async function personView(id: string) {
    const r = await p.db
      .selectFrom('people as p')
      .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
      .select(['p.id', 'p.name', 'p.email', 'p.roles', 'p.status', 'p.mfa_enabled', 'o.id as org_id', 'o.name as org_name', 'o.country_code'])
      .where('p.id', '=', id)
      .executeTakeFirst();
    if (!r) throw notFound('Person');
    return { id: r.id, name: r.name, email: r.email, roles: r.roles, status: r.status, mfaEnabled: r.mfa_enabled, organisation: { id: r.org_id, name: r.org_name, country: r.country_code } };
  }

  app.get(
    '/api/v1/people',
    {
      schema: {
        tags: ['people'],
        summary: 'Secretariat: find people',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), organisation: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Items(PersonView), ...errors(401, 403) },
      },
    },
    async (req) => {
      requireRole(req, 'secretariat');
      let q = p.db
        .selectFrom('people as p')
        .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
        .select(['p.id', 'p.name', 'p.email', 'p.roles', 'p.status', 'p.mfa_enabled', 'o.id as org_id', 'o.name as org_name', 'o.country_code']);
      if (req.query.organisation) q = q.where('p.organisation_id', '=', req.query.organisation);
      if (req.query.q?.trim()) {
        const term = req.query.q.trim();
        q = q.where((eb) =>
          eb.or([sql<boolean>`unaccent(lower(p.name)) LIKE '%' || unaccent(lower(${term})) || '%'`, sql<boolean>`lower(p.email) LIKE '%' || lower(${term}) || '%'`]),
        );
      }
      const rows = await q.orderBy('p.name').limit(500).execute();
      return {
        items: rows.map((r) => ({ id: r.id, name: r.name, email: r.email, roles: r.roles, status: r.status, mfaEnabled: r.mfa_enabled, organisation: { id: r.org_id, name: r.org_name, country: r.country_code } })),
      };
    },
  );

  app.patch(
    '/api/v1/people/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Change roles or disable/enable a person (organisation admins for their own organisation; only the secretariat grants "secretariat")',
        params: Type.Object({ id: Uuid }),
        body: Body({ roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 3 })), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])) }),
        response: { 200: PersonView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const target = await p.db.selectFrom('people').select(['id', 'organisation_id', 'roles', 'status']).where('id', '=', req.params.id).executeTakeFirst();
      if (!target) throw notFound('Person');
      const pr = requireOrgAdminOf(req, target.organisation_id);
      const secretariat = hasRole(pr, 'secretariat');
      const roles = req.body.roles ? normaliseRoles(req.body.roles as Role[]) : undefined;
      const touchesSecretariat = roles && roles.includes('secretariat') !== target.roles.includes('secretariat');
      if (touchesSecretariat && !secretariat) throw forbidden('Only the secretariat grants or removes the secretariat role');
      if (target.id === pr.person.id && (req.body.status === 'disabled' || (roles && !roles.includes('org_admin') && target.roles.includes('org_admin') && !secretariat)))
        throw new AppError('INVALID_STATE', 'You cannot disable yourself or drop your own admin role');
      await change(p, async (c) => {
        await c.trx
          .updateTable('people')
          .set({ ...(roles && { roles }), ...(req.body.status && { status: req.body.status }), updated_at: new Date() })
          .where('id', '=', target.id)
          .execute();
        if (roles && roles.join() !== [...target.roles].sort().join())
          await c.audit({ action: 'person.roles_changed', ...actorOf(req), organisationId: target.organisation_id, targetType: 'person', targetId: target.id, details: { from: target.roles, to: roles } });
        if (req.body.status && req.body.status !== target.status) {
          if (req.body.status === 'disabled') await c.trx.deleteFrom('sessions').where('person_id', '=', target.id).execute();
          await c.audit({ action: req.body.status === 'disabled' ? 'person.disabled' : 'person.enabled', ...actorOf(req), organisationId: target.organisation_id, targetType: 'person', targetId: target.id });
        }
      });
      return personView(target.id);
    },
  );

  app.post(
    '/api/v1/organisations/:id/invitations',
    {
      schema: {
        tags: ['people'],
        summary: 'Invite someone to join the organisation; they receive a link by e-mail',
        params: Type.Object({ id: Uuid }),
        body: Body({ email: Email, name: Type.Optional(Type.String({ maxLength: 200 })), roles: Type.Optional(Type.Array(RoleSchema, { maxItems: 3 })) }),
        response: { 201: Invitation, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const pr = requireOrgAdminOf(req, req.params.id);
      const org = await p.db.selectFrom('organisations').select(['id', 'name', 'status']).where('id', '=', req.params.id).executeTakeFirst();
      if (!org) throw notFound('Organisation');
      if (org.status !== 'approved') throw new AppError('INVALID_STATE', 'Only approved organisations invite people');
      const roles = normaliseRoles(req.body.roles as Role[] | undefined);
      if (roles.includes('secretariat') && !hasRole(pr, 'secretariat')) throw forbidden('Only the secretariat grants the secretariat role');
      const email = req.body.email.trim();
      const existing = await p.db.selectFrom('people').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
      if (existing) throw new AppError('ALREADY_EXISTS', 'This e-mail address already has a Puente account', { field: 'email' });
      const token = randomToken(32);
      const row = {
        id: newId(),
        organisation_id: org.id,
        email,
        name: req.body.name?.trim() || null,
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
        await c.audit({ action: 'person.invited', ...actorOf(req), organisationId: org.id, targetType: 'invitation', targetId: row.id, details: { email, roles } });
      });
      return reply.status(201).send({ id: row.id, email, name: row.name, roles, createdAt: row.created_at.toISOString(), expiresAt: row.expires_at.toISOString(), acceptedAt: null, revokedAt: null });
    },
  );

  app.get(
    '/api/v1/organisations/:id/invitations',
    { schema: { tags: ['people'], summary: 'Invitations of an organisation', params: Type.Object({ id: Uuid }), response: { 200: Items(Invitation), ...errors(401, 403) } } },
    async (req) => {
      requireOrgAdminOf(req, req.params.id);
      const rows = await p.db.selectFrom('invitations').selectAll().where('organisation_id', '=', req.params.id).orderBy('created_at', 'desc').limit(500).execute();
      return {
        items: rows.map((i) => ({
          id: i.id,
          email: i.email,
          name: i.name,
          roles: i.roles,
          createdAt: i.created_at.toISOString(),
          expiresAt: i.expires_at.toISOString(),
          acceptedAt: i.accepted_at?.toISOString() ?? null,
          revokedAt: i.revoked_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.delete(
    '/api/v1/invitations/:id',
    { schema: { tags: ['people'], summary: 'Withdraw an invitation', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      const inv = await p.db.selectFrom('invitations').select(['id', 'organisation_id', 'email']).where('id', '=', req.params.id).executeTakeFirst();
      if (!inv) throw notFound('Invitation');
      requireOrgAdminOf(req, inv.organisation_id);
      await change(p, async (c) => {
        await c.trx.updateTable('invitations').set({ revoked_at: new Date() }).where('id', '=', inv.id).where('accepted_at', 'is', null).execute();
        await c.audit({ action: 'person.invitation_revoked', ...actorOf(req), organisationId: inv.organisation_id, targetType: 'invitation', targetId: inv.id, details: { email: inv.email } });
      });
      return reply.status(204).send(null);
    },
  );

  async function liveInvitation(token: string) {
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

  app.get(
    '/api/v1/invitations/by-token/:token',
    {
      schema: {
        tags: ['people'],
        summary: 'What an invitation link is for (public)',
        params: TokenParams,
        response: { 200: Type.Object({ email: Type.String(), name: Type.Union([Type.String(), Type.Null()]), organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }) }), ...errors(410) },
      },
    },
    async (req) => {
      const inv = await liveInvitation(req.params.token);
      return { email: inv.email, name: inv.name, organisation: { id: inv.org_id, name: inv.org_name, country: inv.country_code } };
    },
  );

  app.post(
    '/api/v1/invitations/by-token/:token/accept',
    {
      config: { rateLimit: { max: p.config.rateLimit.loginPerMinute, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `login:${req.ip}` } },
      schema: {
        tags: ['people'],
        summary: 'Accept an invitation: create the account and sign in',
        params: TokenParams,
        body: Body({ name: Type.String({ minLength: 1, maxLength: 200 }), password: Password, uiLanguage: Type.Optional(UiLanguage) }),
        response: { 200: LoginResponse, ...errors(400, 409, 410, 429) },
      },
    },
    async (req, reply) => {
      const inv = await liveInvitation(req.params.token);
      const hash = await hashPassword(req.body.password);
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
            name: req.body.name.trim(),
            password_hash: hash,
            roles: inv.roles,
            ui_language: req.body.uiLanguage ?? 'en',
            languages: [req.body.uiLanguage ?? 'en'],
            status: 'active',
            last_login_at: new Date(),
          })
          .execute();
        await c.audit({ action: 'person.invitation_accepted', actorId: personId, actorOrgId: inv.org_id, organisationId: inv.org_id, targetType: 'person', targetId: personId, ip: req.ip, details: { roles: inv.roles } });
        return createSession(c.trx, personId, p.config.session, { ip: req.ip, userAgent: req.headers['user-agent'] });
      });
      setSessionCookie(p, reply, session.id, session.expiresAt);
      const parts = await loadPrincipalParts(p.db, personId);
      return { status: 'ok' as const, csrfToken: session.csrfToken, me: meView(parts!, session.csrfToken) };
    },
  );
};
