import PgBoss from 'pg-boss';
import type { Database } from '../db/connect.js';

/**
 * Background jobs on pg-boss, in PostgreSQL in both modes. In embedded mode
 * pg-boss talks to PGlite through the same pool as everything else.
 */
export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export interface Jobs {
  boss: PgBoss;
  register(name: string, handler: JobHandler, opts?: { cron?: string }): Promise<void>;
  send(name: string, data: Record<string, unknown>, opts?: PgBoss.SendOptions): Promise<string | null>;
  queueDepth(): Promise<number>;
  stop(): Promise<void>;
}

export async function startJobs(database: Database, opts: { work: boolean }): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.pool.query(text, values as unknown[]) },
    schema: 'pgboss',
    // Maintenance and the scheduler run on one instance at a time (pg-boss elects it).
    supervise: opts.work,
    schedule: opts.work,
    migrate: true,
  });
  boss.on('error', (e) => {
    // Surface in logs through the process; pg-boss retries on its own.
    process.emitWarning(`pg-boss: ${(e as Error).message}`);
  });
  await boss.start();
  const names = new Set<string>();
  return {
    boss,
    async register(name, handler, o) {
      await boss.createQueue(name).catch(() => {});
      names.add(name);
      if (opts.work) {
        await boss.work(name, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
          for (const j of jobs) await handler((j.data ?? {}) as Record<string, unknown>);
        });
        if (o?.cron) await boss.schedule(name, o.cron, {});
      }
    },
    send: (name, data, o) => boss.send(name, data, o ?? {}),
    async queueDepth() {
      let n = 0;
      for (const name of names) n += await boss.getQueueSize(name).catch(() => 0);
      return n;
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
