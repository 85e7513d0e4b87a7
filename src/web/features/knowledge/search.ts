/**
 * The library's filters live in the address (a link to a search, a type or a concept shows that
 * list). Kept apart from the pages so that the router checks them without loading the library's
 * code; what the API would refuse is dropped, so a hand-edited link never breaks the page.
 */
import { qs } from '../../api/client';
import { TLP_LEVELS } from '#shared/tlp';
import { KNOWLEDGE_STATUSES, KNOWLEDGE_TYPES } from './api';

export interface PracticesSearch {
  q?: string;
  type?: string;
  concept?: string;
  country?: string;
  tlp?: string;
  status?: string;
}

const TYPES: readonly string[] = KNOWLEDGE_TYPES;
const STATUSES: readonly string[] = KNOWLEDGE_STATUSES;
const CONCEPT = /^[a-z0-9][a-z0-9-]{0,62}\/[a-z0-9][a-z0-9_-]{0,62}$/;
const COUNTRY = /^[A-Z]{2}$/;

export function validatePracticesSearch(search: Record<string, unknown>): PracticesSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: PracticesSearch = {};
  const q = text('q').slice(0, 200);
  if (q) out.q = q;
  if (TYPES.includes(text('type'))) out.type = text('type');
  if (CONCEPT.test(text('concept'))) out.concept = text('concept');
  if (COUNTRY.test(text('country'))) out.country = text('country');
  if ((TLP_LEVELS as readonly string[]).includes(text('tlp'))) out.tlp = text('tlp');
  if (STATUSES.includes(text('status'))) out.status = text('status');
  return out;
}

/** How many filters (not the words) are in use. */
export const activePracticeFilters = (s: PracticesSearch) => (['type', 'concept', 'country', 'tlp', 'status'] as const).filter((k) => s[k] !== undefined).length;

export const PAGE_SIZE = 20;

/** The library's page for these filters, in the reader's language `lang`. */
export function practicesListPath(s: PracticesSearch, lang: string, cursor?: string): string {
  return `/api/v1/knowledge${qs({ ...s, lang, limit: PAGE_SIZE, cursor })}`;
}
