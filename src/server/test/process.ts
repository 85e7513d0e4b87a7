/**
 * Real Puente processes for tests: the server (src/server/main.ts through tsx) and
 * the `puente` command (bin/puente.mjs), each a child process on a real data
 * directory. Every process started here is remembered, so that `killAll()` in an
 * afterAll can make sure none outlives the test file.
 */
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const DEMO_PASSWORD = 'demo-password-for-tests-1';

const started = new Set<ChildProcess>();

/** The environment of a child: ours without any PUENTE_* setting (no test database URL leaks in), plus env. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PUENTE_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS') base[k] = v;
  return { ...base, ...env };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  proc: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exited>;
}

function track(proc: ChildProcess): Proc {
  started.add(proc);
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<Exited>((resolve) => {
    proc.once('exit', (code, signal) => {
      started.delete(proc);
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal }));
    });
  });
  return { proc, stdout: () => out, stderr: () => err, exited };
}

function serverEnv(dataDir: string, port: number, env: Record<string, string>) {
  return childEnv({
    PUENTE_DATA_DIR: dataDir,
    PUENTE_PORT: String(port),
    PUENTE_BASE_URL: `http://127.0.0.1:${port}`,
    PUENTE_DEMO: 'on',
    PUENTE_DEMO_PASSWORD: DEMO_PASSWORD,
    PUENTE_LOG_LEVEL: 'warn',
    ...env,
  });
}

/** Spawn the server (node --import tsx src/server/main.ts) without waiting for it. */
export function spawnServer(opts: { dataDir: string; port: number; env?: Record<string, string> }): Proc {
  const proc = spawn(process.execPath, ['--max-old-space-size=768', '--import', 'tsx', 'src/server/main.ts'], {
    cwd: REPO_ROOT,
    env: serverEnv(opts.dataDir, opts.port, opts.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(proc);
}

export interface Server extends Proc {
  baseUrl: string;
  port: number;
  /** Send a signal and wait for the exit. SIGKILL follows if it has not exited within graceMs. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exited>;
}

/** Start the server on dataDir and wait (bounded) until /readyz answers 200. */
export async function startServer(opts: { dataDir: string; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<Server> {
  const port = await freePort();
  const p = spawnServer({ dataDir: opts.dataDir, port, env: opts.env });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000) => {
    if (p.proc.exitCode === null && p.proc.signalCode === null) {
      p.proc.kill(signal);
      const timer = setTimeout(() => p.proc.kill('SIGKILL'), graceMs);
      const r = await p.exited;
      clearTimeout(timer);
      return r;
    }
    return p.exited;
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  let exitedEarly: Exited | null = null;
  void p.exited.then((e) => (exitedEarly = e));
  for (;;) {
    if (exitedEarly) {
      const e = exitedEarly as Exited;
      throw new Error(`the server exited before it was ready (code ${e.code}, signal ${e.signal}):\n${p.stdout()}\n${p.stderr()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`the server was not ready within the time limit:\n${p.stdout()}\n${p.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...p, baseUrl, port, stop };
}

/** Run a process to its end (bounded; killed with SIGKILL at the limit). */
async function runToEnd(p: Proc, timeoutMs: number): Promise<Exited & { stdout: string; stderr: string }> {
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), timeoutMs);
  const e = await p.exited;
  clearTimeout(timer);
  return { ...e, stdout: p.stdout(), stderr: p.stderr() };
}

/** Start a server that is expected to exit on its own (refused start); resolve with how it ended. */
export async function runServerToExit(opts: { dataDir: string; env?: Record<string, string>; timeoutMs?: number }) {
  const p = spawnServer({ dataDir: opts.dataDir, port: await freePort(), env: opts.env });
  return runToEnd(p, opts.timeoutMs ?? 60_000);
}

/** Run `puente ARGS` (node bin/puente.mjs) with env; resolve with exit code and output. */
export async function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000) {
  const proc = spawn(process.execPath, ['bin/puente.mjs', ...args], {
    cwd: REPO_ROOT,
    env: childEnv({ PUENTE_LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return runToEnd(track(proc), timeoutMs);
}

/** SIGKILL every process started here that is still running, and wait for them. */
export async function killAll() {
  const left = [...started];
  await Promise.all(
    left.map(
      (proc) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGKILL');
        }),
    ),
  );
}
