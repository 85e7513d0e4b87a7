import { loadConfig, ConfigError, type Config } from './config.js';
import { DatabaseOpenError, redactUrl } from './db/connect.js';
import { buildApp } from './app.js';
import { openDatabase, startPlatform } from './runtime.js';
import { ensureDemo, type DemoStatus } from './demo/load.js';

function printDemo(config: Config, demo: DemoStatus) {
  const lines = [
    '',
    `Puente demo community ${demo.loadedNow ? 'loaded' : 'ready'} — sign in at ${config.baseUrl}`,
    `  password for every demo account: ${demo.password}`,
    ...demo.accounts.map((a) => `  ${a.email.padEnd(34)} ${a.role.padEnd(19)} ${a.organisation}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** Process entry: config → database → platform → app → listen → graceful stop. */
export async function serve(config: Config = loadConfig()) {
  const database = await openDatabase(config);
  let platform: Awaited<ReturnType<typeof startPlatform>> | null = null;
  try {
    platform = await startPlatform(config, database);
    const app = await buildApp(platform.deps, { logger: { level: config.logLevel } });
    const demo = config.demo ? await ensureDemo(database.db, config.demoPassword) : null;
    await app.listen({ port: config.port, host: config.host });
    process.stdout.write(
      `Puente listening on http://${config.host}:${config.port} (${database.mode === 'embedded' ? `embedded database in ${config.dataDir}` : `PostgreSQL ${redactUrl(config.databaseUrl!)}`})\n`,
    );
    if (demo) printDemo(config, demo);

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 15_000);
      force.unref();
      try {
        await app.close();
        await platform!.stop();
        await database.close();
      } finally {
        process.exit(0);
      }
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    return app;
  } catch (e) {
    await platform?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw e;
  }
}

export function explainStartupError(e: unknown): never {
  if (e instanceof ConfigError) {
    process.stderr.write(`Configuration error: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof DatabaseOpenError) {
    process.stderr.write(`${e.message}\n${e.hint}\n`);
    process.exit(2);
  }
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    process.stderr.write(`The port is already in use: ${(e as Error).message}. Set PUENTE_PORT to another port.\n`);
    process.exit(2);
  }
  process.stderr.write(`Puente could not start: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) serve().catch(explainStartupError);
