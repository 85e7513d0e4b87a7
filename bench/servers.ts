// Spawn and stop the processes a benchmark measures: Puente itself and a bare Fastify app.
//
// Both are started the same way — `node --import tsx FILE` — so that the pid we hold is the
// server's own node process (the `tsx` CLI would put a second node process in between) and
// /proc/<pid>/status reports the server's memory.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every loopback server we start listens on this address; benchmarks never target anything else. */
export const LOOPBACK = '127.0.0.1';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resident set size of a process in KiB (VmRSS from /proc), or null when unavailable. */
export function rssKiB(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export interface Server {
  name: string;
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Milliseconds from spawn() to the first successful readiness probe. */
  readyMs: number;
  /** VmRSS (KiB) right after readiness. */
  rssAtReadyKiB: number | null;
  rssKiB(): number | null;
  /** Everything the process wrote to stdout and stderr (capped). */
  output(): string;
  /** SIGTERM, wait for exit (SIGKILL after timeoutMs). Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave a server running behind a crashed or interrupted benchmark.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface SpawnOptions {
  name: string;
  /** Script to run, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  port: number;
  /** Path probed until it answers 200. */
  readyPath: string;
  /** Node options before the script (Puente: the heap cap it runs with in production). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

/** Start `node --import tsx <script>` and wait until GET readyPath answers 200. */
export async function spawnServer(o: SpawnOptions): Promise<Server> {
  installExitHook();
  // Start from a clean slate: no PUENTE_* from the shell running the benchmark leaks in.
  const baseEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PUENTE_')) baseEnv[k] = v;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', o.script], {
    cwd: REPO_ROOT,
    env: { ...baseEnv, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  const collect = (b: Buffer) => {
    if (out.length < 200_000) out += b.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitP = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      resolve();
    }),
  );

  const origin = `http://${LOOPBACK}:${o.port}`;
  const deadline = t0 + (o.readyTimeoutMs ?? 180_000);
  let readyMs = -1;
  for (;;) {
    if (exited) throw new Error(`${o.name} exited before it was ready (${JSON.stringify(exited)}):\n${out.slice(-4000)}`);
    try {
      const res = await fetch(origin + o.readyPath, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        readyMs = performance.now() - t0;
        break;
      }
    } catch {
      /* not listening yet */
    }
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      await exitP;
      throw new Error(`${o.name} was not ready within ${o.readyTimeoutMs ?? 180_000} ms:\n${out.slice(-4000)}`);
    }
    await sleep(25);
  }

  const pid = child.pid!;
  let stopping: Promise<void> | null = null;
  return {
    name: o.name,
    pid,
    port: o.port,
    origin,
    readyMs,
    rssAtReadyKiB: rssKiB(pid),
    rssKiB: () => (exited ? null : rssKiB(pid)),
    output: () => out,
    stop(timeoutMs = 20_000) {
      stopping ??= (async () => {
        if (exited) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exitP;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** Where a Puente server keeps its data: an embedded data directory or a PostgreSQL database. */
export type Store = { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };

export interface PuenteOptions {
  name: string;
  store: Store;
  demoPassword: string;
  /** Extra or overriding PUENTE_* settings. */
  env?: Record<string, string>;
}

/** Settings every benchmarked Puente server runs with; BENCHMARKS.md lists them. */
export const PUENTE_BENCH_ENV: Record<string, string> = {
  PUENTE_LOG_LEVEL: 'warn',
  PUENTE_DEMO: 'on',
  // The API limit is 600 requests/min per person by default: a load test would measure 429s.
  PUENTE_RATE_LIMIT_API: '100000000',
  // 10 logins/min per IP by default; the login benchmark signs in dozens of times.
  PUENTE_RATE_LIMIT_LOGIN: '100000',
};

export async function startPuente(o: PuenteOptions): Promise<Server> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...PUENTE_BENCH_ENV,
    PUENTE_PORT: String(port),
    PUENTE_HOST: LOOPBACK,
    PUENTE_BASE_URL: `http://${LOOPBACK}:${port}`,
    PUENTE_DEMO_PASSWORD: o.demoPassword,
    ...(o.store.kind === 'embedded' ? { PUENTE_DATA_DIR: o.store.dataDir } : { PUENTE_DATABASE_URL: o.store.url }),
    ...o.env,
  };
  // The V8 heap cap of `npm start`, bin/puente.mjs and the systemd unit (docs/deployment.md).
  return spawnServer({ name: o.name, script: 'src/server/main.ts', env, port, readyPath: '/readyz', nodeArgs: ['--max-old-space-size=768'] });
}

export async function startBare(): Promise<Server> {
  const port = await freePort();
  return spawnServer({ name: 'bare Fastify', script: 'bench/bare-server.ts', env: { BARE_PORT: String(port) }, port, readyPath: '/' });
}
