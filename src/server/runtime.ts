import type { Config } from './config.js';
import { openEmbedded, openPostgres, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import { EventHub } from './platform/events.js';
import { startJobs, type Jobs } from './platform/jobs.js';
import { Mailer } from './platform/mail.js';
import { createMetrics } from './platform/metrics.js';
import { resolveSecret } from './platform/secrets.js';
import { pruneRateLimits } from './platform/rate-limit-store.js';
import { platformOf, type AppDeps } from './platform/deps.js';
import { FEATURES } from './features/index.js';

const EVENT_RETENTION_MS = 7 * 86_400_000;

export async function openDatabase(config: Config): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.dbPoolSize) : openEmbedded(config.dataDir);
}

/**
 * Start every platform service around an open database: migrations, the secret,
 * jobs, mail, the event hub. Returns what buildApp needs and how to stop it all.
 */
export async function startPlatform(config: Config, database: Database, opts: { jobs?: boolean } = {}): Promise<{ deps: AppDeps; stop: () => Promise<void> }> {
  await migrate(database.pool);
  const secret = await resolveSecret(database.db, config.secret);
  const mailer = new Mailer(database.db, config.smtpUrl, config.mailFrom, {
    connections: config.smtpConnections,
    bodyRetentionMs: config.mailBodyRetentionHours * 3_600_000,
    outboxRetentionMs: config.outboxRetentionDays * 86_400_000,
    log: config.mailLog,
  });
  let jobs: Jobs | null = null;
  if (opts.jobs ?? config.jobs) {
    jobs = await startJobs(database, { work: true });
    await mailer.attach(jobs);
    await jobs.register('maintenance.cleanup', async () => {
      const now = new Date();
      await database.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
      await database.db.deleteFrom('password_resets').where('expires_at', '<', now).execute();
      await pruneRateLimits(database.db);
      // Streams resume from Last-Event-ID; a week of events covers any realistic reconnection.
      await database.db.deleteFrom('events').where('at', '<', new Date(Date.now() - EVENT_RETENTION_MS)).execute();
    }, { cron: '17 * * * *' });
  }
  const hub = new EventHub(database);
  await hub.start();
  const metrics = createMetrics();
  const deps: AppDeps = { config, database, secret, mailer, jobs, hub, metrics };
  const p = platformOf(deps);
  // Each feature's jobs and start-up work (features/index.ts).
  if (jobs) for (const feature of FEATURES) for (const job of feature.jobs ?? []) await jobs.register(job.name, (data) => job.run(p, data), job.cron ? { cron: job.cron } : {});
  for (const feature of FEATURES) await feature.onStart?.(p);
  return {
    deps,
    async stop() {
      await hub.stop().catch(() => {});
      await jobs?.stop().catch(() => {});
      mailer.close();
    },
  };
}
