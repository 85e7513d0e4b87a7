import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { Body, errors, Uuid } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { createToken, listTokens, revokeToken } from './service.js';

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
      const { row, token } = await createToken(p, actorOf(req), req.body);
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
      const rows = await listTokens(p, pr);
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
      await revokeToken(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
};
