import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '#shared/roles';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { Body, Email, errors, Items, Password, UiLanguage, Uuid } from '../../platform/schemas.js';
import { requireOrgAdminOf, requireRole, type Role } from '../../platform/auth/principal.js';
import { LoginResponse } from '../auth/schemas.js';
import { meView } from '../auth/service.js';
import { setSessionCookie } from '../../platform/auth/session-cookie.js';
import { acceptInvitation, changePerson, findPeople, invite, listInvitations, liveInvitation, withdrawInvitation } from './service.js';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
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

export const peopleRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
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
      return { items: await findPeople(p, req.query) };
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
    async (req) => changePerson(p, actorOf(req), req.params.id, { roles: req.body.roles as Role[] | undefined, status: req.body.status }),
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
      const row = await invite(p, actorOf(req), req.params.id, { email: req.body.email, name: req.body.name, roles: req.body.roles as Role[] | undefined });
      return reply.status(201).send({ id: row.id, email: row.email, name: row.name, roles: row.roles, createdAt: row.created_at.toISOString(), expiresAt: row.expires_at.toISOString(), acceptedAt: null, revokedAt: null });
    },
  );

  app.get(
    '/api/v1/organisations/:id/invitations',
    { schema: { tags: ['people'], summary: 'Invitations of an organisation', params: Type.Object({ id: Uuid }), response: { 200: Items(Invitation), ...errors(401, 403) } } },
    async (req) => {
      requireOrgAdminOf(req, req.params.id);
      const rows = await listInvitations(p, req.params.id);
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
      await withdrawInvitation(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

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
      const inv = await liveInvitation(p, req.params.token);
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
      const { session, parts } = await acceptInvitation(p, actorOf(req), req.params.token, req.body);
      setSessionCookie(p, reply, session.id, session.expiresAt);
      return { status: 'ok' as const, csrfToken: session.csrfToken, me: meView(parts!, session.csrfToken) };
    },
  );
};
