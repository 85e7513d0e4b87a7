import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { migrationsCurrent } from '../../db/migrate.js';

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

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const pool = p.database.pool;
    p.metrics.dbPool.set({ state: 'total' }, pool.totalCount);
    p.metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
    p.metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
    p.metrics.streamClients.set(p.hub.clientCount);
    if (p.jobs) p.metrics.jobQueueDepth.set(await p.jobs.queueDepth().catch(() => 0));
    const unsent = await p.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('sent_at', 'is', null).executeTakeFirst();
    p.metrics.mailOutbox.set(Number(unsent?.n ?? 0));
    reply.type(p.metrics.registry.contentType);
    return p.metrics.registry.metrics();
  });
};
