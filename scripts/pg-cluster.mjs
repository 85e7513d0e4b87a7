#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and benchmarks.
//
//   import { startCluster } from './pg-cluster.mjs';
//   const cluster = await startCluster();   // { url, port, dir, binDir, version, startMs, stop() }
//   ...
//   await cluster.stop();                    // stops the server and deletes its files
//
// CLI: `node scripts/pg-cluster.mjs` prints the URL and keeps running until Ctrl-C.
//
// The cluster lives in a fresh directory under /tmp, trusts local connections, listens on
// 127.0.0.1 only (on a free port) and keeps its unix socket inside its own directory, so it
// never touches a system cluster. PostgreSQL refuses to run as root: as uid 0 the server runs as
// the `postgres` system user (created by Debian's postgresql package).
//
// Environment: PUENTE_PG_BINDIR (directory holding initdb, pg_ctl, postgres) overrides discovery;
// PUENTE_PG_PORT fixes the port (CLI use).
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const MIN_MAJOR = 15;
const PG_TOOLS = ['initdb', 'pg_ctl', 'postgres'];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Major version and full version string of the `postgres` binary in binDir, or null. */
export function postgresVersion(binDir) {
  const r = spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8', timeout: 20_000 });
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(r.stdout ?? '');
  if (r.status !== 0 || !m) return null;
  return { major: Number(m[1]), full: (r.stdout ?? '').trim() };
}

function binDirCandidates() {
  const out = [];
  const seen = new Set();
  const add = (dir, origin) => {
    let real;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ dir: real, origin });
  };
  // PATH first: resolve symlinks so that initdb, pg_ctl and postgres come from one installation.
  for (const p of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const initdb = path.join(p, 'initdb');
    if (!isExecutable(initdb)) continue;
    try {
      add(path.dirname(fs.realpathSync(initdb)), `PATH (${p})`);
    } catch {
      /* dangling link */
    }
  }
  // Then Debian's versioned installations, newest first.
  const lib = '/usr/lib/postgresql';
  let versions = [];
  try {
    versions = fs.readdirSync(lib).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    /* none */
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) add(path.join(lib, v, 'bin'), lib);
  return out;
}

/**
 * Find PostgreSQL server binaries (15+). Returns { binDir, version, major, origin } or
 * { binDir: null, reason } explaining what was (not) found.
 */
export function findPostgres() {
  const forced = process.env.PUENTE_PG_BINDIR;
  const candidates = forced ? [{ dir: forced, origin: 'PUENTE_PG_BINDIR' }] : binDirCandidates();
  const rejected = [];
  for (const c of candidates) {
    const missing = PG_TOOLS.filter((t) => !isExecutable(path.join(c.dir, t)));
    if (missing.length) {
      rejected.push(`${c.dir}: lacks ${missing.join(', ')}`);
      continue;
    }
    const v = postgresVersion(c.dir);
    if (!v) {
      rejected.push(`${c.dir}: \`postgres --version\` failed`);
      continue;
    }
    if (v.major < MIN_MAJOR) {
      rejected.push(`${c.dir}: PostgreSQL ${v.major} is older than ${MIN_MAJOR}`);
      continue;
    }
    return { binDir: c.dir, version: v.full, major: v.major, origin: c.origin };
  }
  const where = forced ? `PUENTE_PG_BINDIR=${forced}` : 'PATH and /usr/lib/postgresql/*/bin';
  return {
    binDir: null,
    reason:
      `no PostgreSQL ${MIN_MAJOR}+ server binaries (initdb, pg_ctl, postgres) in ${where}` +
      (rejected.length ? ` (rejected: ${rejected.join('; ')})` : ''),
  };
}

/** When running as root, the uid/gid of the `postgres` system user; null when not needed. Throws if needed but absent. */
export function serverUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      'Running as root, but there is no `postgres` system user to run the test cluster as ' +
        '(PostgreSQL refuses to run as root). Install Debian\'s postgresql package (it creates the user) or run the tests as a normal user.',
    );
  }
  return { name: 'postgres', uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function asServerUser(user, file, args) {
  if (!user) return [file, args];
  if (isExecutable('/usr/sbin/runuser') || isExecutable('/sbin/runuser')) return ['runuser', ['-u', user.name, '--', file, ...args]];
  const quoted = [file, ...args].map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ');
  return ['su', [user.name, '-s', '/bin/sh', '-c', quoted]];
}

async function run(user, file, args, opts = {}) {
  const [cmd, argv] = asServerUser(user, file, args);
  try {
    return await execFileP(cmd, argv, { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024, ...opts });
  } catch (e) {
    const err = /** @type {any} */ (e);
    throw new Error(`${path.basename(file)} failed: ${(err.stderr || err.stdout || err.message || '').trim()}`, { cause: e });
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

function tempRoot() {
  // /tmp is world-traversable (1777), which the postgres user needs when we run as root.
  try {
    if (fs.statSync('/tmp').isDirectory()) return '/tmp';
  } catch {
    /* not a Unix-like layout */
  }
  return os.tmpdir();
}

function readLogTail(logFile, lines = 30) {
  try {
    return fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * initdb + start a throwaway cluster. Resolves to
 * { url, port, dir, dataDir, binDir, version, startMs, stop() }; url is the superuser's URL
 * for the `postgres` database.
 */
export async function startCluster(options = {}) {
  const t0 = performance.now();
  const found = options.binDir ? { binDir: options.binDir, version: postgresVersion(options.binDir)?.full ?? '?' } : findPostgres();
  if (!found.binDir) throw new Error(`Cannot start a PostgreSQL test cluster: ${found.reason}`);
  const { binDir } = found;
  const user = serverUser();
  const bin = (t) => path.join(binDir, t);

  const dir = fs.mkdtempSync(path.join(tempRoot(), 'puente-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  if (user) fs.chownSync(dir, user.uid, user.gid);

  let started = false;
  let stopped = false;
  const cleanupSync = () => {
    // Last resort when the process exits without stop(): never leave a server behind.
    if (stopped) return;
    stopped = true;
    if (started) {
      const [cmd, argv] = asServerUser(user, bin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '20', 'stop']);
      spawnSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanupSync);

  try {
    // --no-sync only skips initdb's final flush of the files it just wrote (a throwaway
    // cluster); the running server keeps the default fsync=on.
    await run(user, bin('initdb'), [
      '-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions',
    ]);
    fs.appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# puente test cluster',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'max_connections = 200',
        'shared_buffers = 128MB',
        "log_min_messages = 'warning'",
        "timezone = 'UTC'",
        '',
      ].join('\n'),
    );

    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = options.port ?? (process.env.PUENTE_PG_PORT ? Number(process.env.PUENTE_PG_PORT) : await freePort());
      try {
        await run(user, bin('pg_ctl'), ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
        started = true;
        break;
      } catch (e) {
        const log = readLogTail(logFile);
        // Another process may grab the free port between our probe and postgres' bind: retry.
        if (attempt < 5 && !options.port && /could not (bind|create listen)|Address already in use/i.test(log)) continue;
        throw new Error(`${/** @type {Error} */ (e).message}\n--- server log ---\n${log}`, { cause: e });
      }
    }

    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitReady(url);
    const startMs = Math.round(performance.now() - t0);

    return {
      url,
      port,
      dir,
      dataDir,
      binDir,
      version: found.version,
      startMs,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off('exit', cleanupSync);
        try {
          await run(user, bin('pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']).catch(() =>
            run(user, bin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']),
          );
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    cleanupSync();
    process.off('exit', cleanupSync);
    throw e;
  }
}

async function waitReady(url, timeoutMs = 30_000) {
  const { default: pg } = await import('pg');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (e) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`PostgreSQL test cluster did not accept connections: ${/** @type {Error} */ (e).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function main() {
  const cluster = await startCluster();
  console.error(`${cluster.version} — cluster in ${cluster.dir}, started in ${cluster.startMs} ms`);
  console.error('Press Ctrl-C to stop it and delete its files.');
  console.log(cluster.url);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await cluster.stop();
    console.error('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  setInterval(() => {}, 1 << 30);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
