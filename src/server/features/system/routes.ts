import crypto from 'node:crypto';
import net from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { migrationsCurrent } from '../../db/migrate.js';
import { AppError } from '../../platform/errors.js';
import { refreshMetrics } from './service.js';

const digest = (s: string) => crypto.createHash('sha256').update(s).digest();

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return net.isIPv4(a) ? a.startsWith('127.') : a === '::1';
}

/**
 * /metrics tells how busy the platform is, its pool and queues: not for
 * everyone. With PUENTE_METRICS_TOKEN, the scraper sends it as a bearer token
 * (compared in constant time); without, only clients on this machine get an
 * answer — judged by the socket, never by X-Forwarded-For, and not through a
 * proxy (a forwarded request is refused even from loopback).
 */
function requireMetricsAccess(token: string | null, req: FastifyRequest) {
  if (token) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Hashing first gives equal lengths, so timingSafeEqual compares without revealing where they differ.
    if (!m || !crypto.timingSafeEqual(digest(m[1]!), digest(token)))
      throw new AppError('UNAUTHENTICATED', 'Send the metrics token as Authorization: Bearer <token>', null, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    return;
  }
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  if (!isLoopback(req.socket.remoteAddress) || forwarded)
    throw new AppError('FORBIDDEN', 'Metrics are served to this machine only; set PUENTE_METRICS_TOKEN to scrape them from elsewhere');
}

/** Liveness, readiness and metrics: for load balancers and Prometheus, outside /api. */
export const systemRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/healthz',
    { schema: { tags: ['system'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['system'],
        summary: 'The database is reachable and migrated',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('not_ready'), reason: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        if (!(await migrationsCurrent(p.database.pool))) return reply.status(503).send({ status: 'not_ready' as const, reason: 'migrations pending' });
        return { status: 'ready' as const, database: p.database.mode };
      } catch {
        return reply.status(503).send({ status: 'not_ready' as const, reason: 'database unreachable' });
      }
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    requireMetricsAccess(p.config.metricsToken, req);
    await refreshMetrics(p);
    reply.type(p.metrics.registry.contentType);
    return p.metrics.registry.metrics();
  });
};
