// A throwaway PostgreSQL cluster for the benchmarks. Prefers the project's shared helper
// (scripts/pg-cluster.mjs); when it is missing or fails, falls back to a minimal
// initdb + pg_ctl starter (as the `postgres` user when we are root).
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './servers.js';

const execFileP = promisify(execFile);

export interface Cluster {
  url: string;
  version: string;
  /** Milliseconds for initdb + start. */
  startMs: number;
  /** Which starter made it (for the report). */
  via: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<Cluster> {
  let helperError: unknown = null;
  try {
    const helper = await import('../scripts/pg-cluster.mjs');
    const c = await helper.startCluster();
    return { url: c.url, version: c.version, startMs: c.startMs, via: '`startCluster()` from scripts/pg-cluster.mjs', stop: () => c.stop() };
  } catch (e) {
    helperError = e;
  }
  try {
    const c = await startMinimalCluster();
    return { ...c, via: `bench/postgres.ts fallback (scripts/pg-cluster.mjs failed: ${String((helperError as Error)?.message ?? helperError).split('\n')[0]})` };
  } catch (e) {
    throw new Error(`no PostgreSQL cluster: helper: ${(helperError as Error)?.message ?? helperError}; fallback: ${(e as Error).message}`);
  }
}

const BIN_DIR = process.env.PUENTE_PG_BINDIR || '/usr/lib/postgresql/15/bin';

export async function startMinimalCluster(): Promise<Omit<Cluster, 'via'>> {
  const t0 = performance.now();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const run = (tool: string, args: string[]) => {
    const file = path.join(BIN_DIR, tool);
    return asRoot ? execFileP('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: 120_000 }) : execFileP(file, args, { timeout: 120_000 });
  };
  const dir = fs.mkdtempSync('/tmp/puente-bench-pg-');
  const dataDir = path.join(dir, 'data');
  if (asRoot) {
    const { stdout: uid } = await execFileP('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFileP('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(uid.trim()), Number(gid.trim()));
  }
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let started = false;
  // Interrupted runs: stop the server and remove its files on the way out.
  const onExit = () => {
    if (started) {
      const argv = [path.join(BIN_DIR, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', ...argv], { stdio: 'ignore' });
      else spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
    }
    remove();
  };
  process.on('exit', onExit);
  try {
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    await run('pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, 'start']);
    started = true;
    const { stdout } = await execFileP(path.join(BIN_DIR, 'postgres'), ['--version']);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      version: stdout.trim(),
      startMs: Math.round(performance.now() - t0),
      async stop() {
        process.off('exit', onExit);
        try {
          await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
        } finally {
          remove();
        }
      },
    };
  } catch (e) {
    process.off('exit', onExit);
    if (started) await run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    remove();
    throw e;
  }
}

/** Create an empty database in the cluster; returns its URL. */
export async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const u = new URL(clusterUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
