import type { TFunction } from 'i18next';
import type { ConceptLabels, Reason } from './api';

/** What reasons need to be said in words: labels of codes in the reader's language, and dates in their time zone. */
export interface ReasonWords {
  t: TFunction;
  lang: string;
  country: (code: string) => string;
  language: (code: string) => string;
  audience: (code: string) => string;
  format: (code: string) => string;
  date: (iso: string) => string;
  concepts: ConceptLabels;
}

/** "a, b and c" in the reader's language. */
export function listOf(lang: string, items: readonly string[]): string {
  try {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** A concept's label in the reader's language, else English, else its tag. */
export function conceptLabel(labels: ConceptLabels, tag: string, lang: string): string {
  const l = labels[tag];
  return l?.[lang] ?? l?.en ?? Object.values(l ?? {})[0] ?? tag;
}

const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v) || 0);
const str = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));

/**
 * A reason of a match (server: features/requests/matching.ts) said in words. A code this app does
 * not know yet (a newer server) is said as its code rather than dropped.
 */
export function reasonText(r: Reason, w: ReasonWords): string {
  const { t, lang } = w;
  const p = r.params;
  switch (r.code) {
    case 'concepts': {
      const c = strings(p.concepts);
      return t('requests.reasons.concepts', { count: c.length, list: listOf(lang, c.map((x) => conceptLabel(w.concepts, x, lang))) });
    }
    case 'skills': {
      const c = strings(p.skills);
      return t('requests.reasons.skills', { count: c.length, list: listOf(lang, c.map((x) => conceptLabel(w.concepts, x, lang))) });
    }
    case 'languages':
      return t('requests.reasons.languages', { list: listOf(lang, strings(p.languages).map(w.language)) });
    case 'country-eligible':
      return t('requests.reasons.countryEligible', { country: w.country(str(p.country)) });
    case 'open-to-all-countries':
      return t('requests.reasons.openToAll');
    case 'country-experience':
      return t('requests.reasons.countryExperience', { country: w.country(str(p.country)) });
    case 'region-experience':
      return t('requests.reasons.regionExperience', { region: t(`requests.regions.${str(p.region) === 'EU' ? 'EU' : 'LAC'}`), list: listOf(lang, strings(p.countries).map(w.country)) });
    case 'audiences':
      return t('requests.reasons.audiences', { list: listOf(lang, strings(p.audiences).map(w.audience)) });
    case 'format':
      return t('requests.reasons.format', { format: w.format(str(p.format)) });
    case 'sessions-in-timeframe':
      return t('requests.reasons.sessions', { count: num(p.sessions), seats: num(p.freeSeats), first: w.date(str(p.first)) });
    case 'sessions-full':
      return t('requests.reasons.sessionsFull', { count: num(p.sessions) });
    case 'available-in-timeframe':
      return t('requests.reasons.available', { from: w.date(str(p.from)), to: w.date(str(p.to)) });
    case 'evaluation':
      return t('requests.reasons.evaluation', { count: num(p.count), mean: num(p.mean).toLocaleString(lang) });
    case 'missions':
      return p.mean !== undefined ? t('requests.reasons.missionsRated', { count: num(p.count), mean: num(p.mean).toLocaleString(lang) }) : t('requests.reasons.missions', { count: num(p.count) });
    case 'offers':
      return t('requests.reasons.offers', { count: num(p.count) });
    case 'partners':
      return t('requests.reasons.partners', { count: num(p.count) });
    default:
      return r.code;
  }
}
