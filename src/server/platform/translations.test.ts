import { describe, expect, it } from 'vitest';
import { canonicalTag, readerLanguages, sameLanguage, showFor, withoutTranslation, withTranslation, type TranslatableRow } from './translations.js';
import { AppError } from './errors.js';

const row = (over: Partial<TranslatableRow<'title' | 'body'>> = {}): TranslatableRow<'title' | 'body'> => ({
  language: 'es',
  source_rev: 1,
  translations: {},
  source: { title: 'Bienvenida', body: 'Texto en español' },
  ...over,
});

describe('language tags (BCP 47)', () => {
  it('accepts and canonicalises well-formed tags, refuses the rest', () => {
    expect(canonicalTag('pt-br')).toBe('pt-BR');
    expect(canonicalTag('es-419')).toBe('es-419');
    expect(canonicalTag('EN')).toBe('en');
    expect(canonicalTag('qu')).toBe('qu');
    for (const bad of ['', 'e', 'english', 'pt_BR', 'x-private', '12', 'es-', 'a'.repeat(40), null, 3]) expect(canonicalTag(bad)).toBeNull();
    expect(sameLanguage('pt', 'pt-BR')).toBe(true);
    expect(sameLanguage('es', 'en')).toBe(false);
  });
});

describe('showing a record in a reader\'s language', () => {
  it('shows the reader\'s language, else the source with a note, and lists the versions', () => {
    let t = withTranslation(row().translations, row(), 'en', { title: 'Welcome', body: 'Text in English' }, { by: null });
    t = withTranslation(t, row(), 'pt-BR', { title: 'Boas-vindas', body: 'Texto em português' }, { by: null, machine: true });
    const r = row({ translations: t });
    const en = showFor(r, ['en']);
    expect(en.fields.title).toBe('Welcome');
    expect(en.info).toMatchObject({ shown: 'en', source: 'es', fallback: false, outdated: false, machine: false });
    const pt = showFor(r, ['pt']);
    expect(pt.fields.title).toBe('Boas-vindas');
    expect(pt.info).toMatchObject({ shown: 'pt-BR', machine: true, fallback: false });
    const fr = showFor(r, ['fr']);
    expect(fr.fields.title).toBe('Bienvenida');
    expect(fr.info).toMatchObject({ shown: 'es', fallback: true });
    expect(fr.info.versions.map((v) => [v.language, v.source])).toEqual([['es', true], ['en', false], ['pt-BR', false]]);
    // The second wanted language counts when the first is missing; an explicit choice wins.
    expect(showFor(r, ['fr', 'en']).info.shown).toBe('en');
    expect(showFor(r, ['en'], 'pt').info.shown).toBe('pt-BR');
  });

  it('a translation made from an older source is outdated', () => {
    const t = withTranslation({}, row(), 'en', { title: 'Welcome', body: 'Old text' }, { by: null });
    const newer = row({ source_rev: 2, translations: t });
    expect(showFor(newer, ['en']).info.outdated).toBe(true);
    expect(showFor(newer, ['en']).info.versions.find((v) => v.language === 'en')!.outdated).toBe(true);
    const again = withTranslation(t, newer, 'en', { title: 'Welcome', body: 'New text' }, { by: null });
    expect(showFor(row({ source_rev: 2, translations: again }), ['en']).info.outdated).toBe(false);
  });

  it('keeps one version per language, refuses the source language and unknown tags, removes a translation', () => {
    let t = withTranslation({}, row(), 'pt', { title: 'A', body: 'B' }, { by: null });
    t = withTranslation(t, row(), 'pt-BR', { title: 'C', body: 'D' }, { by: null });
    expect(Object.keys(t)).toEqual(['pt-BR']);
    expect(() => withTranslation({}, row(), 'es-AR', { title: 'x', body: 'y' }, { by: null })).toThrow(AppError);
    expect(() => withTranslation({}, row(), 'spanish', { title: 'x', body: 'y' }, { by: null })).toThrow(AppError);
    expect(Object.keys(withoutTranslation(t, 'pt'))).toEqual([]);
    expect(() => withoutTranslation(t, 'fr')).toThrow(AppError);
  });

  it('a reader\'s languages: an explicit choice, the interface language, the account\'s languages, the browser\'s', () => {
    expect(readerLanguages({ explicit: 'fr', uiLanguage: 'es', languages: ['pt', 'es'], acceptLanguage: 'en-GB,en;q=0.9,de;q=0.5' })).toEqual(['fr', 'es', 'pt', 'en-GB', 'de']);
    expect(readerLanguages({ acceptLanguage: 'not a tag, pt-BR;q=0.8' })).toEqual(['pt-BR']);
  });
});
