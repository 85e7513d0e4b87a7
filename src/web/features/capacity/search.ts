/**
 * The dashboard's filters live in the address (`/capacity?region=LAC&concept=gfce-themes/c`), so
 * that a link shows the same figures. Kept apart from the page so that the router checks them
 * without loading the page's code; what the API would refuse is dropped.
 */
import { qs } from '../../api/client';
import { isRealDay } from '#shared/filters';

export interface CapacitySearch {
  from?: string;
  to?: string;
  concept?: string;
  region?: string;
  country?: string;
}

const CONCEPT = /^[a-z0-9][a-z0-9-]{0,62}\/[a-z0-9][a-z0-9_-]{0,62}$/;
const COUNTRY = /^[A-Z]{2}$/;
/** The regions and the member states' UN M49 subregions (migration 0002). */
export const REGIONS = ['EU', 'LAC'] as const;
export const SUBREGIONS: Record<(typeof REGIONS)[number], readonly string[]> = {
  EU: ['Eastern Europe', 'Northern Europe', 'Southern Europe', 'Western Europe'],
  LAC: ['Caribbean', 'Central America', 'South America'],
};
const ALL_REGIONS: readonly string[] = [...REGIONS, ...SUBREGIONS.EU, ...SUBREGIONS.LAC];


export function validateCapacitySearch(search: Record<string, unknown>): CapacitySearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: CapacitySearch = {};
  if (isRealDay(text('from'))) out.from = text('from');
  if (isRealDay(text('to')) && (!out.from || text('to') >= out.from)) out.to = text('to');
  if (CONCEPT.test(text('concept'))) out.concept = text('concept');
  if (ALL_REGIONS.includes(text('region'))) out.region = text('region');
  if (COUNTRY.test(text('country'))) out.country = text('country');
  return out;
}

export const activeCapacityFilters = (s: CapacitySearch) => (['from', 'to', 'concept', 'region', 'country'] as const).filter((k) => s[k] !== undefined).length;

/** The dashboard's figures, its CSV or its PDF for these filters, words in `lang`. */
export function dashboardPath(s: CapacitySearch, lang: string, format: 'json' | 'csv' | 'pdf' = 'json'): string {
  return `/api/v1/capacity/dashboard${format === 'json' ? '' : `.${format}`}${qs({ ...s, lang })}`;
}

/** Offers and completed assistance as one IATI 2.03 activity file, under the filters IATI shares with the dashboard. */
export function iatiPath(s: CapacitySearch): string {
  return `/api/v1/offers/export.iati.xml${qs({ concept: s.concept, country: s.country, from: s.from, to: s.to, status: 'open', include: 'assistance' })}`;
}

/** A key for a subregion's words in the locale files ("South America" → "SouthAmerica"). */
export const subregionKey = (s: string) => s.replace(/ /g, '');
