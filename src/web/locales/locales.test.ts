import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TAGGED_KINDS } from '#shared/concepts';
import { describe, expect, it } from 'vitest';
import { featureLocaleDirs, flatten, LANGUAGES, loadCatalogue, LOCALES_DIR, PLURAL_SUFFIX, sourceFiles, WEB_DIR } from './catalogues.test-helpers';

const dir = LOCALES_DIR;
const webDir = WEB_DIR;

const flat = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(loadCatalogue(l))])) as Record<(typeof LANGUAGES)[number], Map<string, unknown>>;

/**
 * A key as the sources name it: plural forms (key_one, key_many, key_other…) stand for one key,
 * since languages need different forms (plurals.test.ts checks each language has its own).
 */
const base = (k: string) => k.replace(PLURAL_SUFFIX, '');
const baseKeys = (m: Map<string, unknown>) => new Set([...m.keys()].map(base));

/** The English text a key is compared with: the key itself, or its "other" form. */
const enText = (k: string) => flat.en.get(k) ?? flat.en.get(`${base(k)}_other`);

describe('locale files', () => {
  it('exist for exactly en, es, pt, fr, in the main folder and in every feature folder that has any', () => {
    for (const d of [dir, ...featureLocaleDirs]) {
      const files = readdirSync(d).filter((f) => f.endsWith('.json')).sort();
      expect({ dir: path.relative(webDir, d), files }).toEqual({ dir: path.relative(webDir, d), files: ['en.json', 'es.json', 'fr.json', 'pt.json'] });
    }
  });

  for (const lang of LANGUAGES) {
    it(`${lang} has exactly the same keys as en (plural forms counted as one key)`, () => {
      const en = [...baseKeys(flat.en)].sort();
      const other = [...baseKeys(flat[lang])].sort();
      const enSet = new Set(en);
      const otherSet = new Set(other);
      expect(other.filter((k) => !enSet.has(k)), `keys only in ${lang}`).toEqual([]);
      expect(en.filter((k) => !otherSet.has(k)), `keys missing from ${lang}`).toEqual([]);
    });

    it(`${lang} has no empty or non-string values`, () => {
      const bad = [...flat[lang]].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad).toEqual([]);
    });

    it(`${lang} keeps the same {{placeholders}} as en`, () => {
      const vars = (s: unknown) => [...new Set([...String(s).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))].sort();
      const diff = [...flat[lang]].filter(([k, v]) => JSON.stringify(vars(v)) !== JSON.stringify(vars(enText(k)))).map(([k]) => k);
      expect(diff).toEqual([]);
    });
  }

  it('every literal t("key") used in the web app exists (as a key or as plural forms)', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(webDir)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.+-]*)'/g)) {
        const key = m[1]!;
        if (!flat.en.has(key) && !flat.en.has(`${key}_other`)) missing.push(`${path.relative(webDir, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('labels that name a visible word (WCAG 2.5.3, label in name)', () => {
  // The to-do panel's buttons show one word ("Review") and carry a longer label: the label must
  // start with that word, or speech-input users cannot say what they see.
  for (const lang of LANGUAGES) {
    it(`${lang}: each to-do review label starts with the button's word`, () => {
      const open = String(flat[lang].get('start.todo.open')).toLocaleLowerCase(lang);
      const labels = [...flat[lang]].filter(([k]) => k.startsWith('start.todo.review.'));
      expect(labels.length).toBeGreaterThan(3);
      for (const [k, v] of labels) expect(String(v).toLocaleLowerCase(lang).startsWith(open), `${k}: "${String(v)}"`).toBe(true);
    });
  }
});

describe('the kinds of things that carry a concept', () => {
  it('each has its words in every language (the vocabularies page names them)', () => {
    for (const lang of LANGUAGES) for (const kind of TAGGED_KINDS) expect(flat[lang].has(`vocabularies.kinds.${kind}`), `${lang} ${kind}`).toBe(true);
  });
});
