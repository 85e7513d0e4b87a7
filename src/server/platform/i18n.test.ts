import { describe, expect, it } from 'vitest';
import en from '../locales/en.json' with { type: 'json' };
import es from '../locales/es.json' with { type: 'json' };
import pt from '../locales/pt.json' with { type: 'json' };
import fr from '../locales/fr.json' with { type: 'json' };
import { regionNames, t } from './i18n.js';
import { TAGGED_KINDS } from '#shared/concepts';

function keys(o: unknown, prefix = ''): string[] {
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('server strings (mail)', () => {
  it('exist in all four languages with the same keys and placeholders', () => {
    const base = keys(en).sort();
    for (const [lang, cat] of Object.entries({ es, pt, fr })) {
      expect({ lang, keys: keys(cat).sort() }).toEqual({ lang, keys: base });
      for (const k of base) {
        const ph = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
        expect({ lang, k, ph: ph(t(lang as 'es', k)) }).toEqual({ lang, k, ph: ph(t('en', k)) });
      }
    }
  });
  it('fill placeholders', () => {
    expect(t('es', 'mail.password_reset.body', { name: 'Ana', link: 'https://x/y' })).toContain('Hola Ana');
  });
  it('name every kind of thing that carries a concept, for the public concept pages (a missing word was a 500 there)', () => {
    for (const lang of ['en', 'es', 'pt', 'fr'] as const) for (const kind of TAGGED_KINDS) expect(() => t(lang, `portal.vocab.kinds.${kind}`), `${lang} ${kind}`).not.toThrow();
  });
});

describe('regionNames', () => {
  it('names countries in the reader’s language, international bodies from the catalogue, and never throws', () => {
    expect(['en', 'es', 'pt', 'fr'].map((l) => regionNames(l as 'en')('DO'))).toEqual(['Dominican Republic', 'República Dominicana', 'República Dominicana', 'République dominicaine']);
    expect(['en', 'es', 'pt', 'fr'].map((l) => regionNames(l as 'en')('INT'))).toEqual(['International body', 'Organismo internacional', 'Organismo internacional', 'Organisme international']);
    // Not a region code, or one the runtime does not know: the code as it is.
    expect(() => new Intl.DisplayNames(['en'], { type: 'region' }).of('INTL')).toThrow();
    expect(regionNames('fr')('INTL')).toBe('INTL');
    expect(regionNames('en')('')).toBe('');
  });
});
