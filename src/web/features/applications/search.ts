/**
 * The provider's filters of its applications live in the address (a link to "the waitlist of the
 * June session" shows that list). Kept apart from the page so the router checks them without
 * loading its code; what the API would refuse is dropped.
 */
import { qs } from '../../api/client';
import { APPLICATION_STATUSES } from '#shared/capacity';

export interface ApplicationsSearch {
  session?: string;
  status?: string;
  country?: string;
  q?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateApplicationsSearch(search: Record<string, unknown>): ApplicationsSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: ApplicationsSearch = {};
  if (UUID.test(text('session'))) out.session = text('session').toLowerCase();
  if ((APPLICATION_STATUSES as readonly string[]).includes(text('status'))) out.status = text('status');
  if (/^[A-Za-z]{2}$/.test(text('country'))) out.country = text('country').toUpperCase();
  const q = text('q').slice(0, 200);
  if (q) out.q = q;
  return out;
}

/** How many filters (not the words) are in use. */
export const activeApplicationFilters = (s: ApplicationsSearch) => (['session', 'status', 'country'] as const).filter((k) => s[k] !== undefined).length;

export const offerApplicationsPath = (offerId: string, s: ApplicationsSearch) => `/api/v1/offers/${encodeURIComponent(offerId)}/applications${qs({ ...s })}`;
