// Vitest globalSetup for the `e2e` project: build the web app once (`npx vite build`) when
// dist/web is missing or older than its sources. The e2e tests start their own server
// (e2e/support/server.ts). PUENTE_E2E_REBUILD=1 forces a build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const OUT = path.join(ROOT, 'dist/web');
const BUILT_MARKER = path.join(OUT, 'index.html');
// Everything the web build reads besides node_modules.
const SOURCES = ['src/web', 'vite.config.ts', 'index.html', 'tsconfig.json', 'package-lock.json'];

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function webBuildIsStale(): string | null {
  if (process.env.PUENTE_E2E_REBUILD === '1') return 'PUENTE_E2E_REBUILD=1';
  if (!fs.existsSync(BUILT_MARKER)) return 'dist/web is missing';
  const builtAt = fs.statSync(BUILT_MARKER).mtimeMs;
  const changed = SOURCES.find((s) => newestMtime(path.join(ROOT, s)) > builtAt);
  return changed ? `${changed} changed since the last build` : null;
}

export default function setup() {
  const why = webBuildIsStale();
  if (!why) {
    console.log('[e2e] dist/web is up to date');
    return;
  }
  console.log(`[e2e] building the web app (${why}): npx vite build`);
  const t0 = performance.now();
  // NODE_ENV is "test" inside vitest: passed on, React and the router would build in their
  // development mode (a third larger, other code paths). The tests exercise what ships.
  const r = spawnSync('npx', ['--no-install', 'vite', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`[e2e] \`npx vite build\` failed (exit ${r.status ?? r.signal}); the e2e tests cannot run`);
  if (!fs.existsSync(BUILT_MARKER)) throw new Error(`[e2e] \`npx vite build\` did not produce ${path.relative(ROOT, BUILT_MARKER)}`);
  console.log(`[e2e] web app built in ${Math.round((performance.now() - t0) / 1000)} s`);
}
