import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { Body, errors, Password, UiLanguage } from '../../platform/schemas.js';
import { loadPrincipalParts, requirePrincipal, type Principal } from '../../platform/auth/principal.js';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { checkTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, otpauthUrl, qrDataUrl } from '../../platform/auth/totp.js';
import { Me } from '../auth/schemas.js';
import { meView } from '../auth/service.js';
import { revokeAllTokens } from '../tokens/revoke.js';

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
  const audit = (pr: Principal, ip: string) => ({ actorId: pr.person.id, actorOrgId: pr.organisation.id, organisationId: pr.organisation.id, ip });

  async function checkPassword(pr: Principal, password: string) {
    const row = await p.db.selectFrom('people').select('password_hash').where('id', '=', pr.person.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(row.password_hash, password))) throw new AppError('WRONG_PASSWORD', 'The password is wrong');
  }

  async function storeRecoveryCodes(trx: Parameters<Parameters<typeof change>[1]>[0]['trx'], personId: string) {
    const codes = newRecoveryCodes();
    await trx.deleteFrom('recovery_codes').where('person_id', '=', personId).execute();
    await trx
      .insertInto('recovery_codes')
      .values(codes.map((c) => ({ person_id: personId, code_hash: sha256(normaliseRecoveryCode(c)) })))
      .execute();
    return codes;
  }

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
      await p.db
        .updateTable('people')
        .set({
          ...(b.name !== undefined && { name: b.name.trim() }),
          ...(b.languages && { languages: [...new Set(b.languages)] }),
          ...(b.uiLanguage && { ui_language: b.uiLanguage }),
          ...(b.timeZone && { time_zone: b.timeZone }),
          updated_at: new Date(),
        })
        .where('id', '=', pr.person.id)
        .execute();
      const parts = await loadPrincipalParts(p.db, pr.person.id);
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
      const pr = requirePrincipal(req);
      await checkPassword(pr, req.body.currentPassword);
      const hash = await hashPassword(req.body.newPassword);
      await change(p, async (c) => {
        await c.trx.updateTable('people').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', pr.person.id).execute();
        let q = c.trx.deleteFrom('sessions').where('person_id', '=', pr.person.id);
        if (pr.session) q = q.where('id_hash', '!=', pr.session.idHash);
        await q.execute();
        await c.audit({ action: 'auth.password_changed', ...audit(pr, req.ip) });
        if (req.body.revokeTokens) await revokeAllTokens(c, { personId: pr.person.id, ...audit(pr, req.ip) }, 'password_changed');
      });
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
      const rows = await p.db
        .selectFrom('sessions')
        .selectAll()
        .where('person_id', '=', pr.person.id)
        .where('mfa_pending', '=', false)
        .where('expires_at', '>', new Date())
        .orderBy('last_seen_at', 'desc')
        .execute();
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
      const pr = requirePrincipal(req);
      const r = await p.db
        .deleteFrom('sessions')
        .where('person_id', '=', pr.person.id)
        .where('id_hash', 'like', `${req.params.id}%`)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw notFound('Session');
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
    async (req) => {
      const pr = requirePrincipal(req);
      if (pr.person.mfaEnabled) throw new AppError('INVALID_STATE', 'Two-step sign-in is already on; turn it off first to change the device');
      const secret = newTotpSecret();
      await p.db.updateTable('people').set({ mfa_secret: p.box.seal(secret) }).where('id', '=', pr.person.id).execute();
      const url = otpauthUrl(secret, pr.person.email);
      return { secret, otpauthUrl: url, qrDataUrl: await qrDataUrl(url) };
    },
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
    async (req) => {
      const pr = requirePrincipal(req);
      const row = await p.db.selectFrom('people').select(['mfa_secret', 'mfa_enabled']).where('id', '=', pr.person.id).executeTakeFirstOrThrow();
      if (row.mfa_enabled) throw new AppError('INVALID_STATE', 'Two-step sign-in is already on');
      if (!row.mfa_secret) throw new AppError('INVALID_STATE', 'Start with /api/v1/me/mfa/setup');
      const step = checkTotp(p.box.open(row.mfa_secret), req.body.code);
      if (step === null) throw new AppError('WRONG_MFA_CODE', 'That code is not valid; check the clock of your device');
      return change(p, async (c) => {
        await c.trx
          .updateTable('people')
          .set({ mfa_enabled: true, mfa_enabled_at: new Date(), mfa_last_step: step })
          .where('id', '=', pr.person.id)
          .execute();
        const recoveryCodes = await storeRecoveryCodes(c.trx, pr.person.id);
        await c.audit({ action: 'mfa.enabled', ...audit(pr, req.ip) });
        // Tokens made before were obtained with the password alone.
        await revokeAllTokens(c, { personId: pr.person.id, ...audit(pr, req.ip) }, 'mfa_enabled');
        return { recoveryCodes };
      });
    },
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
      const pr = requirePrincipal(req);
      if (pr.organisation.mfaRequired) throw new AppError('INVALID_STATE', 'Your organisation requires two-step sign-in');
      await checkPassword(pr, req.body.password);
      await change(p, async (c) => {
        await c.trx
          .updateTable('people')
          .set({ mfa_enabled: false, mfa_secret: null, mfa_enabled_at: null, mfa_last_step: null })
          .where('id', '=', pr.person.id)
          .execute();
        await c.trx.deleteFrom('recovery_codes').where('person_id', '=', pr.person.id).execute();
        await c.audit({ action: 'mfa.disabled', ...audit(pr, req.ip) });
      });
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
    async (req) => {
      const pr = requirePrincipal(req);
      if (!pr.person.mfaEnabled) throw new AppError('INVALID_STATE', 'Two-step sign-in is off');
      await checkPassword(pr, req.body.password);
      return change(p, async (c) => {
        const recoveryCodes = await storeRecoveryCodes(c.trx, pr.person.id);
        await c.audit({ action: 'mfa.recovery_codes_regenerated', ...audit(pr, req.ip) });
        return { recoveryCodes };
      });
    },
  );
};
