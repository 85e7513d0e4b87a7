import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { errors, Items, Uuid } from '../../platform/schemas.js';
import { requireRole } from '../../platform/auth/principal.js';

const Mail = Type.Object({
  id: Uuid,
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  purpose: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

/** The mail outbox: where mail waits (or, without SMTP, stays) — readable by the secretariat. */
export const outboxRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['secretariat'],
        summary: 'Mail sent or waiting, newest first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: { 200: Items(Mail), ...errors(401, 403) },
      },
    },
    async (req) => {
      requireRole(req, 'secretariat');
      const rows = await p.db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(req.query.limit ?? 200).execute();
      return {
        items: rows.map((m) => ({
          id: m.id,
          to: m.to_address,
          subject: m.subject,
          text: m.text_body,
          purpose: m.purpose,
          createdAt: m.created_at.toISOString(),
          sentAt: m.sent_at?.toISOString() ?? null,
          lastError: m.last_error,
        })),
      };
    },
  );
};
