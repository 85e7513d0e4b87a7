// Start a real Puente server for browser tests: a free port, a fresh data directory,
// the demo community, and the built web app (dist/web, built once if missing).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'e2e-demo-password-2468';

export interface RunningServer {
  baseUrl: string;
  password: string;
  dataDir: string;
  /** Server output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let built = false;
export function ensureWebBuild(): void {
  if (built || fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    built = true;
    return;
  }
  const res = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('vite build failed');
  built = true;
}

async function waitReady(baseUrl: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${log()}`);
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  ensureWebBuild();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-e2e-'));
  const password = env.PUENTE_DEMO_PASSWORD ?? DEMO_PASSWORD;
  let out = '';
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PUENTE_PORT: String(port),
      PUENTE_HOST: '127.0.0.1',
      PUENTE_DATA_DIR: dataDir,
      PUENTE_DEMO: 'on',
      PUENTE_DEMO_PASSWORD: password,
      PUENTE_BASE_URL: baseUrl,
      PUENTE_LOG_LEVEL: 'warn',
      PUENTE_WEB_DIR: path.join(ROOT, 'dist/web'),
      // Browser tests sign in many times from one address.
      PUENTE_RATE_LIMIT_LOGIN: '1000',
      PUENTE_RATE_LIMIT_API: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(baseUrl, child, () => out, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, password, dataDir, output: () => out, stop };
}
