import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURES } from './index.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const folders = fs.readdirSync(here, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const src = (f: string) => fs.readFileSync(path.join(here, '..', f), 'utf8');

describe('the feature list', () => {
  it('names every feature folder once, by its folder name, from the folder’s index.ts', () => {
    const names = FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...folders].sort());
    for (const name of folders) expect(fs.existsSync(path.join(here, name, 'index.ts')), `${name}/index.ts`).toBe(true);
  });

  it('is the only way app.ts, runtime.ts and the demo reach features (one list, not three)', () => {
    // TAXII's error envelope is needed before routing, for errors Fastify raises itself.
    const allowed = new Set(['./features/index.js', './features/intel/taxii/routes.js', '../features/index.js']);
    for (const file of ['app.ts', 'runtime.ts', 'demo/load.ts']) {
      const imports = [...src(file).matchAll(/from '(\.\.?\/features\/[^']+)'|import\('(\.\.?\/features\/[^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      expect(imports.filter((i) => !allowed.has(i)), file).toEqual([]);
    }
  });

  it('gives each job a unique pg-boss name under its feature', () => {
    const jobs = FEATURES.flatMap((f) => (f.jobs ?? []).map((j) => ({ feature: f.name, name: j.name })));
    expect(new Set(jobs.map((j) => j.name)).size).toBe(jobs.length);
    for (const j of jobs) expect(j.name, j.name).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it('registers routes only through the list: no route file registers jobs', () => {
    for (const f of folders)
      for (const file of fs.readdirSync(path.join(here, f)).filter((n) => /routes\.ts$/.test(n))) expect(fs.readFileSync(path.join(here, f, file), 'utf8'), `${f}/${file}`).not.toMatch(/jobs\.register\(/);
  });
});
