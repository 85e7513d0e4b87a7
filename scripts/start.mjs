// `npm start`: build the web app if it is missing or older than its sources, then serve.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/web/index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

// The sources and the build's own configuration (which also writes the brotli and gzip copies).
const sources = Math.max(newest(path.join(root, 'src/web')), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs);
const stale = !fs.existsSync(built) || sources > fs.statSync(built).mtimeMs;
if (stale) {
  process.stdout.write('Building the web app…\n');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    process.stderr.write('The web app did not build; see the errors above.\n');
    process.exit(1);
  }
}
register();
const { serve, explainStartupError } = await import('../src/server/main.ts');
await serve().catch(explainStartupError);
