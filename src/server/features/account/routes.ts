import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { Body, errors, Password, UiLanguage } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { Me } from '../auth/schemas.js';
import { meView } from '../auth/service.js';
import { changePassword, disableMfa, enableMfa, endSession, listSessions, replaceRecoveryCodes, setupMfa, updateMe } from './service.js';

const LANG = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' });
const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });

function isTimeZone(tz: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const accountRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['account'],
        summary: 'Change my profile and language settings',
        body: Body({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          languages: Type.Optional(Type.Array(LANG, { minItems: 1, maxItems: 20 })),
          uiLanguage: Type.Optional(UiLanguage),
          timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        }),
        response: { 200: Me, ...errors(400, 401) },
      },
    },
    async (req) => {
      const pr = requirePrincipal(req);
      const b = req.body;
      if (b.timeZone && !isTimeZone(b.timeZone)) throw new AppError('VALIDATION_FAILED', `Unknown time zone ${b.timeZone}`, { field: 'timeZone' });
      const parts = await updateMe(p, pr, b);
      return meView(parts!, pr.session?.csrfToken ?? '');
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['account'],
        summary: 'Change my password (signs out my other sessions; revokes my API tokens when asked)',
        body: Body({
          currentPassword: Type.String({ maxLength: 1024 }),
          newPassword: Password,
          revokeTokens: Type.Optional(Type.Boolean({ default: false, description: 'Also revoke all my API tokens (each revocation is audited). Default false.' })),
        }),
        response: { 204: Type.Null(), ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      await changePassword(p, actorOf(req), req.body);
      return reply.status(204).send(null);
    },
  );

  const SessionView = Type.Object({
    id: Type.String(),
    current: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    lastSeenAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time' }),
    ip: Type.Union([Type.String(), Type.Null()]),
    userAgent: Type.Union([Type.String(), Type.Null()]),
  });

  app.get(
    '/api/v1/me/sessions',
    { schema: { tags: ['account'], summary: 'My active sessions', response: { 200: Type.Array(SessionView), ...errors(401) } } },
    async (req) => {
      const pr = requirePrincipal(req);
      const rows = await listSessions(p, pr);
      return rows.map((s) => ({
        id: s.id_hash.slice(0, 32),
        current: s.id_hash === pr.session?.idHash,
        createdAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        expiresAt: s.expires_at.toISOString(),
        ip: s.ip,
        userAgent: s.user_agent,
      }));
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    {
      schema: {
        tags: ['account'],
        summary: 'Sign out one of my sessions',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      await endSession(p, requirePrincipal(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/mfa/setup',
    {
      schema: {
        tags: ['account'],
        summary: 'Start two-step sign-in: a new TOTP secret to scan',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }), ...errors(401, 409) },
      },
    },
    async (req) => setupMfa(p, requirePrincipal(req)),
  );

  app.post(
    '/api/v1/me/mfa/enable',
    {
      schema: {
        tags: ['account'],
        summary: 'Confirm the first code: two-step sign-in is on (my existing API tokens are revoked); returns recovery codes once',
        body: Body({ code: Type.String({ maxLength: 16 }) }),
        response: { 200: RecoveryCodes, ...errors(400, 401, 409) },
      },
    },
    async (req) => enableMfa(p, actorOf(req), req.body.code),
  );

  app.post(
    '/api/v1/me/mfa/disable',
    {
      schema: {
        tags: ['account'],
        summary: 'Turn two-step sign-in off (not allowed where the organisation requires it)',
        body: Body({ password: Type.String({ maxLength: 1024 }) }),
        response: { 204: Type.Null(), ...errors(400, 401, 409) },
      },
    },
    async (req, reply) => {
      await disableMfa(p, actorOf(req), req.body.password);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/mfa/recovery-codes',
    {
      schema: {
        tags: ['account'],
        summary: 'Replace my recovery codes',
        body: Body({ password: Type.String({ maxLength: 1024 }) }),
        response: { 200: RecoveryCodes, ...errors(400, 401, 409) },
      },
    },
    async (req) => replaceRecoveryCodes(p, actorOf(req), req.body.password),
  );
};
