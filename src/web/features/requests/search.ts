/**
 * The requests list's filters live in the address (a link to "open requests about incident
 * response" shows that list). Kept apart from the pages so that the router checks them without
 * loading the pages; what the API would refuse is dropped, so a hand-edited link never breaks the page.
 */
import { qs } from '../../api/client';
import { REQUEST_STATUSES } from '#shared/capacity';

export interface RequestsSearch {
  status?: string;
  concept?: string;
  country?: string;
  /** Only my organisation's. */
  mine?: boolean;
}

const CONCEPT = /^[a-z0-9][a-z0-9-]{0,62}\/[a-z0-9][a-z0-9_-]{0,62}$/;
const COUNTRY = /^[A-Z]{2}$/;

export function validateRequestsSearch(search: Record<string, unknown>): RequestsSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: RequestsSearch = {};
  if ((REQUEST_STATUSES as readonly string[]).includes(text('status'))) out.status = text('status');
  if (CONCEPT.test(text('concept'))) out.concept = text('concept');
  if (COUNTRY.test(text('country'))) out.country = text('country');
  if (search.mine === true || text('mine') === 'true') out.mine = true;
  return out;
}

/** How many filters are in use. */
export const activeRequestFilters = (s: RequestsSearch) => (['status', 'concept', 'country', 'mine'] as const).filter((k) => s[k] !== undefined).length;

export const PAGE_SIZE = 30;

export function requestsListPath(s: RequestsSearch, lang: string, cursor?: string): string {
  return `/api/v1/requests${qs({ status: s.status, concept: s.concept, country: s.country, mine: s.mine ? 'true' : undefined, lang, limit: PAGE_SIZE, cursor })}`;
}
