import en from '../locales/en.json' with { type: 'json' };
import es from '../locales/es.json' with { type: 'json' };
import pt from '../locales/pt.json' with { type: 'json' };
import fr from '../locales/fr.json' with { type: 'json' };

import { UI_LANGUAGES, type UiLanguage } from '#shared/languages';

/** Server-side strings (mail) in the four languages; the web app has its own catalogues. */
export { UI_LANGUAGES, type UiLanguage };

const catalogues: Record<UiLanguage, unknown> = { en, es, pt, fr };

function lookup(obj: unknown, key: string): string | undefined {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' ? cur : undefined;
}

export function isUiLanguage(x: unknown): x is UiLanguage {
  return typeof x === 'string' && (UI_LANGUAGES as readonly string[]).includes(x);
}

export function t(lang: UiLanguage, key: string, vars: Record<string, string> = {}): string {
  const s = lookup(catalogues[lang], key) ?? lookup(catalogues.en, key);
  if (s === undefined) throw new Error(`Missing server string ${key}`);
  return s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');
}

/**
 * Names of the directory's countries in a reader's language: ISO 3166 codes through the runtime's
 * region names (CLDR), and `INT` — international bodies, not a region code, on which
 * `Intl.DisplayNames` throws — from the catalogue. An unknown code is shown as it is.
 */
export function regionNames(lang: UiLanguage): (code: string) => string {
  const names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
  return (code) => {
    if (code === 'INT') return t(lang, 'countries.INT');
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
}
