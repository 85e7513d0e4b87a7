import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { errors, Items, Uuid } from '../../platform/schemas.js';
import { requireRole } from '../../platform/auth/principal.js';
import { listOutbox, outboxView } from './repository.js';

const Mail = Type.Object({
  id: Uuid,
  to: Type.String(),
  subject: Type.String(),
  text: Type.Union([Type.String(), Type.Null()], { description: 'Null once the body is purged (after delivery, or at its expiry), and always for a personal credential' }),
  withheld: Type.Union([Type.Literal('credential'), Type.Null()], { description: '"credential": the body holds a personal link only its recipient may read' }),
  purpose: Type.String(),
  tlp: Type.Union([Type.String(), Type.Null()], { description: 'The marking of what the mail carries; null for mail about the recipient\'s own account' }),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  bodyPurgedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

/**
 * The mail outbox, for the secretariat, which administers delivery: the mail it may
 * see (repository.visibleOutbox), never a credential's body, and bodies only until
 * they are delivered or expire.
 */
export const outboxRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/outbox',
    {
      schema: {
        tags: ['secretariat'],
        summary: 'Mail sent or waiting that this reader may see, newest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            purpose: Type.Optional(Type.String({ pattern: '^[a-z0-9_]{1,64}$', description: 'Only mail of this purpose (invitation, password_reset, communication_check, …)' })),
            status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('failed')], { description: 'queued: waiting for a first attempt; sent: delivered; failed: not delivered, the last attempt failed' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Items(Mail), ...errors(401, 403) },
      },
    },
    async (req) => {
      const pr = requireRole(req, 'secretariat');
      const rows = await listOutbox(p.db, pr.viewer, req.query.limit ?? 200, { purpose: req.query.purpose, status: req.query.status });
      return { items: rows.map(outboxView) };
    },
  );
};
