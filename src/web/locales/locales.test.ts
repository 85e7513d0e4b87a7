import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(dir, '..');
const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;

type Tree = { [key: string]: string | Tree };

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Tree;

/** Feature folders that keep their own strings: features/<name>/locales/*.json. */
const featureLocaleDirs = readdirSync(path.join(webDir, 'features'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => path.join(webDir, 'features', e.name, 'locales'))
  .filter((d) => {
    try {
      return readdirSync(d).length > 0;
    } catch {
      return false;
    }
  });

/** The catalogue the app loads for a language: the main file with every feature file merged in. */
function load(lang: string): Tree {
  const out = read(path.join(dir, `${lang}.json`));
  for (const d of featureLocaleDirs) {
    const file = path.join(d, `${lang}.json`);
    try {
      const cat = read(file);
      for (const [k, v] of Object.entries(cat)) {
        if (k in out) throw new Error(`${path.relative(webDir, file)} redefines the top-level key "${k}"`);
        out[k] = v;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}

function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value as Tree, full)) out.set(k, v);
    } else out.set(full, value);
  }
  return out;
}

function sourceFiles(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return e.name === 'locales' ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(load(l))])) as Record<(typeof LANGUAGES)[number], Map<string, unknown>>;

describe('locale files', () => {
  it('exist for exactly en, es, pt, fr, in the main folder and in every feature folder that has any', () => {
    for (const d of [dir, ...featureLocaleDirs]) {
      const files = readdirSync(d).filter((f) => f.endsWith('.json')).sort();
      expect({ dir: path.relative(webDir, d), files }).toEqual({ dir: path.relative(webDir, d), files: ['en.json', 'es.json', 'fr.json', 'pt.json'] });
    }
  });

  for (const lang of LANGUAGES) {
    it(`${lang} has exactly the same keys as en`, () => {
      const en = [...flat.en.keys()].sort();
      const other = [...flat[lang].keys()].sort();
      expect(other.filter((k) => !flat.en.has(k)), `keys only in ${lang}`).toEqual([]);
      expect(en.filter((k) => !flat[lang].has(k)), `keys missing from ${lang}`).toEqual([]);
    });

    it(`${lang} has no empty or non-string values`, () => {
      const bad = [...flat[lang]].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad).toEqual([]);
    });

    it(`${lang} keeps the same {{placeholders}} as en`, () => {
      const vars = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      const diff = [...flat.en].filter(([k, v]) => JSON.stringify(vars(v)) !== JSON.stringify(vars(flat[lang].get(k)))).map(([k]) => k);
      expect(diff).toEqual([]);
    });
  }

  it('every literal t("key") used in the web app exists', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(webDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.+-]*)'/g)) {
        const key = m[1]!;
        if (!flat.en.has(key)) missing.push(`${path.relative(webDir, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
