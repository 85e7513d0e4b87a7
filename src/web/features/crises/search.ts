/**
 * The crisis list's filters live in the address (a link to "open exercises" shows that list).
 * Kept apart from the pages so that the router checks them without loading the pages; what the
 * API would refuse is dropped, so a hand-edited link never breaks the page.
 */
import { qs } from '../../api/client';

export interface CrisesSearch {
  status?: 'open' | 'closed';
  /** `true`: exercises only; `false`: real crises only. */
  exercise?: boolean;
}

export function validateCrisesSearch(search: Record<string, unknown>): CrisesSearch {
  const text = (k: string) => (search[k] === undefined || search[k] === null ? '' : String(search[k]).trim());
  const out: CrisesSearch = {};
  if (text('status') === 'open' || text('status') === 'closed') out.status = text('status') as 'open' | 'closed';
  if (search.exercise === true || text('exercise') === 'true') out.exercise = true;
  else if (search.exercise === false || text('exercise') === 'false') out.exercise = false;
  return out;
}

export const activeCrisisFilters = (s: CrisesSearch) => (['status', 'exercise'] as const).filter((k) => s[k] !== undefined).length;

export function crisesListPath(s: CrisesSearch, lang: string): string {
  return `/api/v1/crises${qs({ status: s.status, exercise: s.exercise === undefined ? undefined : String(s.exercise), lang })}`;
}
