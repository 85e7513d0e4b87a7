import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import type { StoredEvent } from '../../platform/events.js';
import { errors } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { findSession, findToken, SESSION_COOKIE } from '../../platform/auth/sessions.js';

const HEARTBEAT_MS = 25_000;
const RECHECK_MS = 30_000;

function frame(e: StoredEvent) {
  const data = JSON.stringify({ id: e.id, type: e.type, subjectType: e.subjectType, subjectId: e.subjectId, payload: e.payload, at: e.at.toISOString() });
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${data}\n\n`;
}

/**
 * Server-sent events for the signed-in viewer. Each instance LISTENs once (see
 * EventHub); each event is checked against this viewer with the access policy
 * before it is written. Resume with Last-Event-ID (or ?lastEventId=).
 */
export const streamRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/stream',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['events'],
        summary: 'Live events this viewer may see (text/event-stream)',
        querystring: Type.Object({ lastEventId: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
        response: { 200: { description: 'text/event-stream', type: 'string' }, ...errors(401) },
      },
    },
    async (req, reply) => {
      const pr = requirePrincipal(req);
      const headerId = Number(req.headers['last-event-id']);
      const lastId = Number.isSafeInteger(headerId) && headerId >= 0 ? headerId : (req.query.lastEventId ?? null);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      res.write('retry: 3000\n\n');

      let sentUpTo = lastId ?? 0;
      let replaying = lastId !== null;
      const buffered: StoredEvent[] = [];
      const write = (e: StoredEvent) => {
        if (e.id <= sentUpTo) return;
        sentUpTo = e.id;
        res.write(frame(e));
      };
      const unsubscribe = p.hub.subscribe({
        viewer: pr.viewer,
        send: (e) => (replaying ? buffered.push(e) : write(e)),
      });
      p.metrics.streamClients.set(p.hub.clientCount);

      const cookie = req.cookies[SESSION_COOKIE];
      const auth = req.headers.authorization;
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      // A stream outlives neither its session nor its token: sign-out closes it.
      const recheck = setInterval(async () => {
        try {
          const alive = pr.via === 'session' ? await findSession(p.db, cookie ?? '', p.config.session) : await findToken(p.db, (auth ?? '').split(' ')[1] ?? '');
          if (!alive) res.end();
        } catch {
          /* database hiccup: try again next time */
        }
      }, RECHECK_MS);
      const close = () => {
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
        p.metrics.streamClients.set(p.hub.clientCount);
      };
      res.on('close', close);

      if (lastId !== null) {
        try {
          for (const e of await p.hub.since(pr.viewer, lastId)) write(e);
        } finally {
          replaying = false;
          for (const e of buffered.splice(0)) write(e);
        }
      }
    },
  );
};
