/**
 * The catalogue's filters live in the address (a link to "summer schools in Spanish in June" shows
 * that list). Kept apart from the pages so that the router checks them without loading the
 * catalogue's code; what the API would refuse is dropped, so a hand-edited link never breaks the page.
 */
import { qs } from '../../api/client';
import { isRealDay } from '#shared/filters';
import { OFFER_FORMATS, OFFER_TYPES } from '#shared/capacity';

export interface OffersSearch {
  q?: string;
  type?: string;
  concept?: string;
  language?: string;
  format?: string;
  country?: string;
  from?: string;
  to?: string;
  /** `draft` (the reader's organisation's), `closed`, or `open` (published and closed); published when absent. */
  status?: string;
}

const CONCEPT = /^[a-z0-9][a-z0-9-]{0,62}\/[a-z0-9][a-z0-9_-]{0,62}$/;
const COUNTRY = /^[A-Z]{2}$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const STATUSES = ['draft', 'closed', 'open'];


export function validateOffersSearch(search: Record<string, unknown>): OffersSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: OffersSearch = {};
  const q = text('q').slice(0, 200);
  if (q) out.q = q;
  if ((OFFER_TYPES as readonly string[]).includes(text('type'))) out.type = text('type');
  if (CONCEPT.test(text('concept'))) out.concept = text('concept');
  if (LANGUAGE.test(text('language'))) out.language = text('language');
  if ((OFFER_FORMATS as readonly string[]).includes(text('format'))) out.format = text('format');
  if (COUNTRY.test(text('country'))) out.country = text('country');
  if (isRealDay(text('from'))) out.from = text('from');
  if (isRealDay(text('to')) && (!out.from || text('to') >= out.from)) out.to = text('to');
  if (STATUSES.includes(text('status'))) out.status = text('status');
  return out;
}

/** How many filters (not the words) are in use. */
export const activeOfferFilters = (s: OffersSearch) => (['type', 'concept', 'language', 'format', 'country', 'from', 'to', 'status'] as const).filter((k) => s[k] !== undefined).length;

export const PAGE_SIZE = 20;

/** The catalogue's page for these filters, in the reader's language `lang`. */
export function offersListPath(s: OffersSearch, lang: string, cursor?: string): string {
  return `/api/v1/offers${qs({ ...s, lang, limit: PAGE_SIZE, cursor })}`;
}

/** The same offers as an IATI 2.03 activity file (drafts are never exported). */
export function offersIatiPath(s: OffersSearch): string {
  const { status, ...rest } = s;
  return `/api/v1/offers/export.iati.xml${qs({ ...rest, status: status === 'draft' ? undefined : status })}`;
}
