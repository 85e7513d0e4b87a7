import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { Body, errors, Uuid } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { TOKEN_PREFIX } from '../../platform/auth/sessions.js';

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write')]);
const TokenView = Type.Object({
  id: Uuid,
  name: Type.String(),
  scope: Scope,
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** API tokens for machines. Shown once; only a SHA-256 of each is stored. */
export const tokenRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (the token is in this answer only)',
        body: Body({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          scope: Scope,
          expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }),
        }),
        response: { 201: Type.Intersect([TokenView, Type.Object({ token: Type.String() })]), ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const pr = requirePrincipal(req);
      // A token cannot mint tokens: that needs a person at a browser.
      if (pr.via !== 'session') throw new AppError('FORBIDDEN', 'Create tokens from a signed-in session');
      const token = `${TOKEN_PREFIX}${randomToken(32)}`;
      const row = {
        id: newId(),
        person_id: pr.person.id,
        name: req.body.name.trim(),
        scope: req.body.scope,
        token_hash: sha256(token),
        prefix: token.slice(0, 12),
        expires_at: new Date(Date.now() + req.body.expiresInDays * 86_400_000),
        created_at: new Date(),
      };
      await change(p, async (c) => {
        await c.trx.insertInto('api_tokens').values(row).execute();
        await c.audit({
          action: 'token.created',
          actorId: pr.person.id,
          actorOrgId: pr.organisation.id,
          organisationId: pr.organisation.id,
          targetType: 'api_token',
          targetId: row.id,
          ip: req.ip,
          details: { name: row.name, scope: row.scope, expiresAt: row.expires_at.toISOString() },
        });
      });
      return reply.status(201).send({
        id: row.id,
        name: row.name,
        scope: row.scope,
        prefix: row.prefix,
        createdAt: row.created_at.toISOString(),
        expiresAt: row.expires_at.toISOString(),
        lastUsedAt: null,
        token,
      });
    },
  );

  app.get(
    '/api/v1/tokens',
    { schema: { tags: ['tokens'], summary: 'My API tokens that are still valid', response: { 200: Type.Array(TokenView), ...errors(401) } } },
    async (req) => {
      const pr = requirePrincipal(req);
      const rows = await p.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('person_id', '=', pr.person.id)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((t) => ({
        id: t.id,
        name: t.name,
        scope: t.scope as 'read' | 'write',
        prefix: t.prefix,
        createdAt: t.created_at.toISOString(),
        expiresAt: t.expires_at.toISOString(),
        lastUsedAt: t.last_used_at?.toISOString() ?? null,
      }));
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    { schema: { tags: ['tokens'], summary: 'Revoke an API token', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errors(401, 404) } } },
    async (req, reply) => {
      const pr = requirePrincipal(req);
      await change(p, async (c) => {
        const r = await c.trx
          .updateTable('api_tokens')
          .set({ revoked_at: new Date() })
          .where('id', '=', req.params.id)
          .where('person_id', '=', pr.person.id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw notFound('Token');
        await c.audit({ action: 'token.revoked', actorId: pr.person.id, actorOrgId: pr.organisation.id, organisationId: pr.organisation.id, targetType: 'api_token', targetId: req.params.id, ip: req.ip });
      });
      return reply.status(204).send(null);
    },
  );
};
