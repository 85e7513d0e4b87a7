import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from './locales/en.json';
import es from './locales/es.json';
import { conceptLabel, listOf, reasonText, type ReasonWords } from './reasons';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, es: { translation: es } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } });
});

const words = (lang: 'en' | 'es'): ReasonWords => ({
  t: i18n.getFixedT(lang),
  lang,
  country: (c) => ({ DO: lang === 'es' ? 'República Dominicana' : 'Dominican Republic', CL: 'Chile', GT: 'Guatemala' })[c] ?? c,
  language: (c) => ({ es: lang === 'es' ? 'español' : 'Spanish', en: lang === 'es' ? 'inglés' : 'English' })[c] ?? c,
  audience: (c) => c,
  format: (c) => c,
  date: (iso) => iso.slice(0, 10),
  concepts: { 'gfce-themes/b': { en: 'Incident management', es: 'Gestión de incidentes' }, 'takeaways/7c': { en: 'CSIRTs' } },
});

describe('reasons in words', () => {
  it('names shared concepts by their label in the reader’s language, falling back to English', () => {
    expect(reasonText({ code: 'concepts', params: { concepts: ['gfce-themes/b', 'takeaways/7c'] } }, words('es'))).toContain('Gestión de incidentes y CSIRTs');
    expect(reasonText({ code: 'concepts', params: { concepts: ['gfce-themes/b'] } }, words('en'))).toBe('Shares 1 concept of the request: Incident management');
    expect(conceptLabel({}, 'x/y', 'en')).toBe('x/y');
  });

  it('says countries, regions, languages, sessions and ratings with their counts', () => {
    expect(reasonText({ code: 'country-experience', params: { country: 'DO' } }, words('en'))).toBe('Has worked in Dominican Republic');
    expect(reasonText({ code: 'region-experience', params: { region: 'LAC', countries: ['CL', 'GT'] } }, words('en'))).toBe('Has worked elsewhere in Latin America and the Caribbean: Chile and Guatemala');
    expect(reasonText({ code: 'languages', params: { languages: ['es', 'en'] } }, words('en'))).toBe('Works in Spanish and English');
    expect(reasonText({ code: 'sessions-in-timeframe', params: { sessions: 2, freeSeats: 7, first: '2027-02-01T09:00:00Z' } }, words('en'))).toBe('2 sessions in the timeframe, 7 free seats, the first on 2027-02-01');
    expect(reasonText({ code: 'sessions-in-timeframe', params: { sessions: 1, freeSeats: 1, first: '2027-02-01T09:00:00Z' } }, words('es'))).toContain('1 sesión');
    expect(reasonText({ code: 'evaluation', params: { mean: 4.5, count: 12 } }, words('en'))).toBe('Rated 4.5 out of 5 by 12 participants');
    expect(reasonText({ code: 'missions', params: { count: 1 } }, words('en'))).toBe('1 past mission');
  });

  it('says a code it does not know as its code', () => {
    expect(reasonText({ code: 'newer-reason', params: {} }, words('en'))).toBe('newer-reason');
    expect(listOf('en', ['a', 'b', 'c'])).toBe('a, b, and c');
  });
});
