import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { errors, Uuid } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { auditPage } from './service.js';

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  action: Type.String(),
  actor: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  organisationId: Type.Union([Uuid, Type.Null()]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Any()),
});

/** The audit log: everything for the secretariat, their own organisation's entries for organisation admins. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log entries, newest first',
        querystring: Type.Object(
          // Bounded: a number beyond the safe range would reach the database as an invalid bigint.
          {
            before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            action: Type.Optional(Type.String({ maxLength: 64, description: 'One action code (organisation.approved), or a family ending in a dot (organisation.)' })),
            actor: Type.Optional(Type.String({ format: 'uuid', description: 'Entries by this person' })),
            organisation: Type.Optional(Type.String({ format: 'uuid', description: 'Entries about this organisation or by one of its people' })),
            since: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this moment' })),
            until: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or before this moment' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Entry), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const pr = requirePrincipal(req);
      const limit = req.query.limit ?? 50;
      const { before, action, actor, organisation, since, until } = req.query;
      const rows = await auditPage(p, pr, { before, limit, action, actor, organisation, since, until });
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          seq: Number(r.seq),
          at: r.at.toISOString(),
          action: r.action,
          actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
          organisationId: r.organisation_id,
          targetType: r.target_type,
          targetId: r.target_id,
          ip: r.ip,
          details: r.details,
        })),
        nextBefore: rows.length > limit ? Number(page[page.length - 1].seq) : null,
      };
    },
  );
};
