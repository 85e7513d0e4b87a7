// One list of error codes, four places that must agree with it: the docs' table, the codes the
// server's source raises, and the web app's messages in each language.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLIENT_ERROR_CODES } from '../web/components/errorMessage.js';
import { flatten, LANGUAGES, loadCatalogue } from '../web/locales/catalogues.test-helpers.js';
import { ERROR_CODE_LIST, ERROR_CODES } from './error-codes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sources(p);
    return e.name.endsWith('.ts') && !/\.test(-helpers)?\.ts$|test-helpers\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Codes the server's source raises: `new AppError('CODE'` and the helpers of platform/errors.ts. */
function raisedCodes(): Map<string, string[]> {
  const errorsTs = readFileSync(path.join(root, 'src/server/platform/errors.ts'), 'utf8');
  const helpers = new Map([...errorsTs.matchAll(/export const (\w+) = \([^)]*\) => new AppError\('([A-Z_]+)'/g)].map((m) => [m[1]!, m[2]!]));
  expect([...helpers.keys()].length).toBeGreaterThan(0);
  const out = new Map<string, string[]>();
  const add = (code: string, file: string) => out.set(code, [...(out.get(code) ?? []), path.relative(root, file)]);
  for (const file of sources(path.join(root, 'src/server'))) {
    if (file.endsWith(path.join('platform', 'errors.ts'))) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new AppError\(\s*'([A-Z_]+)'/g)) add(m[1]!, file);
    for (const [helper, code] of helpers) if (new RegExp(`\\b${helper}\\(`).test(text)) add(code, file);
  }
  return out;
}

/** The table under "## Errors" in docs/security-model.md: code → HTTP status. */
function documented(): Map<string, number> {
  const doc = readFileSync(path.join(root, 'docs/security-model.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Errors'));
  return new Map([...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
}

describe('error codes', () => {
  it('are documented, each with its HTTP status', () => {
    const table = documented();
    expect([...table.keys()].sort()).toEqual([...ERROR_CODE_LIST].sort());
    for (const code of ERROR_CODE_LIST) expect(table.get(code), code).toBe(ERROR_CODES[code].status);
  });

  it('are all raised somewhere in the server, and the server raises no other', () => {
    const raised = raisedCodes();
    const unused = ERROR_CODE_LIST.filter((c) => !raised.has(c));
    expect(unused, 'codes no server code raises: remove them or raise them').toEqual([]);
    expect([...raised.keys()].filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });

  it('each have a message in every language, and the web knows no code the server never sends', () => {
    const known = new Set<string>([...ERROR_CODE_LIST, ...CLIENT_ERROR_CODES]);
    expect(ERROR_CODE_LIST.filter((c) => (CLIENT_ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
    for (const lang of LANGUAGES) {
      const flat = flatten(loadCatalogue(lang));
      const missing = [...known].filter((c) => typeof flat.get(`errors.${c}`) !== 'string' || !String(flat.get(`errors.${c}`)).trim());
      expect(missing, lang).toEqual([]);
      // Codes are upper-case (SNAKE_CASE); the catalogue's other keys under errors are not.
      const codeKeys = [...flat.keys()].map((k) => /^errors\.([A-Z][A-Z0-9_]+)$/.exec(k)?.[1]).filter((c): c is string => !!c);
      expect(codeKeys.filter((c) => !known.has(c)), lang).toEqual([]);
    }
  });
});
