// The web app's string catalogues as the tests read them: src/web/locales/<lang>.json with every
// features/<name>/locales/<lang>.json merged in (as i18n.ts does), flattened to dotted keys.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCALES_DIR = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = path.resolve(LOCALES_DIR, '..');
export const SERVER_LOCALES_DIR = path.resolve(WEB_DIR, '../server/locales');
export const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];

export type Tree = { [key: string]: string | Tree };

export const readTree = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Tree;

/** Feature folders that keep their own strings: features/<name>/locales/*.json. */
export const featureLocaleDirs = readdirSync(path.join(WEB_DIR, 'features'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => path.join(WEB_DIR, 'features', e.name, 'locales'))
  .filter((d) => {
    try {
      return readdirSync(d).length > 0;
    } catch {
      return false;
    }
  });

/** Every locale file of the web app and of the server for `lang`. */
export function localeFiles(lang: Lang): string[] {
  return [path.join(LOCALES_DIR, `${lang}.json`), ...featureLocaleDirs.map((d) => path.join(d, `${lang}.json`)), path.join(SERVER_LOCALES_DIR, `${lang}.json`)];
}

/** The catalogue the app loads for a language: the main file with every feature file merged in. */
export function loadCatalogue(lang: string): Tree {
  const out = readTree(path.join(LOCALES_DIR, `${lang}.json`));
  for (const d of featureLocaleDirs) {
    const file = path.join(d, `${lang}.json`);
    try {
      const cat = readTree(file);
      for (const [k, v] of Object.entries(cat)) {
        if (k in out) throw new Error(`${path.relative(WEB_DIR, file)} redefines the top-level key "${k}"`);
        out[k] = v;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return out;
}

export function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value as Tree, full)) out.set(k, v);
    } else out.set(full, value);
  }
  return out;
}

/** The web app's .ts/.tsx sources (no tests, no locale folders). */
export function sourceFiles(d: string = WEB_DIR): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return e.name === 'locales' ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.test.ts') && !e.name.endsWith('.test-helpers.ts') ? [p] : [];
  });
}

/** i18next's plural suffixes (CLDR categories). */
export const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** The CLDR plural categories a language needs, as i18next uses them (Intl.PluralRules). */
export function pluralCategories(lang: string): string[] {
  return [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort();
}

/** Keys passed a `count` in the sources: t('key', { …, count: … }). */
export function keysUsedWithCount(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'\s*,\s*\{/g)) {
      // The options object, braces balanced; only its own top level counts.
      let depth = 0;
      let top = '';
      for (let i = m.index! + m[0].length - 1; i < text.length; i++) {
        const c = text[i]!;
        if (c === '{' || c === '(' || c === '[') depth++;
        else if (c === '}' || c === ')' || c === ']') depth--;
        else if (depth === 1) top += c;
        if (depth === 0) break;
        if (depth === 1 && (c === '}' || c === ')' || c === ']')) top += ' ';
      }
      if (!/(^|[\s,])count\s*(:|,|$)/.test(top)) continue;
      out.set(m[1]!, [...(out.get(m[1]!) ?? []), path.relative(WEB_DIR, file)]);
    }
  }
  return out;
}
