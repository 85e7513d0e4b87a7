/**
 * No import cycles in the code base (issue 10: "break the import cycles, and add a
 * cycle check to CI"). A cycle makes the order modules initialise in matter, and two
 * files that need each other are one seam cut in the wrong place.
 *
 * Imports of values count, dynamic `import()` too (it only postpones the cycle);
 * `import type` and type-only named imports do not, as they vanish at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCANNED = ['src'];

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of SCANNED) walk(d);
  return out.sort();
}

/** The relative modules a source imports at run time. */
export function runtimeImports(src: string): string[] {
  const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*import\s+(type\s+)?([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm)) {
    if (m[1]) continue;
    const clause = m[2]!;
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    // `import { type A, type B } from …` brings nothing at run time.
    if (named && named[1]!.split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '))) continue;
    out.push(m[3]!);
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/^\s*export\s+(?!type\s)(?:\*|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out.filter((s) => s.startsWith('.') || s.startsWith('#shared/'));
}

function resolve(from: string, spec: string, files: Set<string>): string | null {
  // `#shared/x`: the package's subpath import of src/shared (package.json "imports").
  const base = spec.startsWith('#shared/') ? `src/shared/${spec.slice('#shared/'.length)}` : path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.(js|ts|tsx|mjs)$/, '');
  for (const c of [`${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, `${stem}/index.tsx`]) if (files.has(c)) return c;
  return null;
}

/** Tarjan's strongly connected components: every component of more than one file is a cycle. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('import cycles', () => {
  it('finds a cycle in a sample, through a dynamic import too, and ignores type-only imports', () => {
    expect(runtimeImports("import { a } from './a.js';\nimport type { B } from './b.js';\nimport { type C } from './c.js';\nconst d = await import('./d.js');\nexport { e } from './e.js';")).toEqual(['./a.js', './e.js', './d.js']);
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesOf(g)).toEqual([['a', 'b', 'c']]);
  });

  it('there are none in src', () => {
    const files = sourceFiles();
    const set = new Set(files);
    const graph = new Map<string, string[]>();
    for (const f of files) {
      const deps = runtimeImports(readFileSync(path.join(ROOT, f), 'utf8'))
        .map((s) => resolve(f, s, set))
        .filter((x): x is string => x !== null);
      graph.set(f, [...new Set(deps)]);
    }
    expect(files.length).toBeGreaterThan(200);
    expect(cyclesOf(graph)).toEqual([]);
  });
});
