import type { Platform } from '../../platform/deps.js';
import { countUnsentMail } from '../outbox/repository.js';

/** Bring the gauges that are read on demand (pool, stream clients, queues, unsent mail) up to date. */
export async function refreshMetrics(p: Platform) {
  const pool = p.database.pool;
  p.metrics.dbPool.set({ state: 'total' }, pool.totalCount);
  p.metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
  p.metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
  p.metrics.streamClients.set(p.hub.clientCount);
  if (p.jobs) p.metrics.jobQueueDepth.set(await p.jobs.queueDepth().catch(() => 0));
  p.metrics.mailOutbox.set(await countUnsentMail(p.db));
}
