import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import type { StoredEvent } from '../../platform/events.js';
import { errors } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { findSessionPrincipal, findToken, SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { credentialsFromHeader } from '../../platform/auth/plugin.js';
import { loadPrincipalParts, type PrincipalParts } from '../../platform/auth/principal.js';
import type { FastifyRequest } from 'fastify';

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
/**
 * Resolve the stream's credentials again, as the auth hook did when it opened: null
 * when they no longer hold, or when the person's organisation has since required
 * two-step sign-in and they have not set it up (the hook would refuse them now).
 */
export async function currentViewer(p: Platform, req: Pick<FastifyRequest, 'headers' | 'cookies'>): Promise<PrincipalParts | null> {
  const header = credentialsFromHeader(req);
  let parts: PrincipalParts | null;
  if (header) {
    const token = await findToken(p.db, header.token);
    if (!token) return null;
    parts = await loadPrincipalParts(p.db, token.personId);
    if (!parts || (header.kind === 'basic' && parts.person.email.toLowerCase() !== header.email.trim().toLowerCase())) return null;
  } else {
    parts = (await findSessionPrincipal(p.db, req.cookies[SESSION_COOKIE] ?? '', p.config.session))?.parts ?? null;
  }
  return parts && !parts.mfaEnrolmentRequired ? parts : null;
}

export const streamRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/stream',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['events'],
        summary: 'Live events this viewer may see (text/event-stream)',
        querystring: Type.Object({ lastEventId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })) }, { additionalProperties: false }),
        response: { 200: { description: 'text/event-stream', type: 'string' }, ...errors(401, 403) },
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
        'cache-control': 'no-store, no-transform',
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
      const subscriber = { viewer: pr.viewer, send: (e: StoredEvent) => (replaying ? buffered.push(e) : write(e)) };
      const unsubscribe = p.hub.subscribe(subscriber);
      p.metrics.streamClients.set(p.hub.clientCount);

      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      // A stream outlives neither its credentials nor its viewer's standing: sign-out,
      // revocation, a disabled account, a suspended organisation or a two-step sign-in
      // requirement not yet met close it, and community changes apply to the events
      // that follow.
      const recheck = setInterval(async () => {
        try {
          const now = await currentViewer(p, req);
          if (!now) res.end();
          else subscriber.viewer = now.viewer;
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
