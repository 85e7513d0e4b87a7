/**
 * The events list's filters live in the address (a link to "webinars in 2027" shows that list).
 * Kept apart from the pages so that the router checks them without loading the events' code;
 * what the API would refuse is dropped, so a hand-edited link never breaks the page.
 */
import { qs } from '../../api/client';
import { EVENT_KINDS, type RegistrationStatus } from './api';

export interface EventsSearch {
  q?: string;
  kind?: string;
  country?: string;
  from?: string;
  to?: string;
}

const KINDS: readonly string[] = EVENT_KINDS;
const COUNTRY = /^[A-Z]{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function validateEventsSearch(search: Record<string, unknown>): EventsSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: EventsSearch = {};
  const q = text('q').slice(0, 200);
  if (q) out.q = q;
  if (KINDS.includes(text('kind'))) out.kind = text('kind');
  if (COUNTRY.test(text('country'))) out.country = text('country');
  for (const k of ['from', 'to'] as const) if (DAY.test(text(k)) && !Number.isNaN(Date.parse(text(k)))) out[k] = text(k);
  return out;
}

/** How many filters (not the words) are in use. */
export const activeEventFilters = (s: EventsSearch) => [s.kind, s.country, s.from, s.to].filter(Boolean).length;

/** The API path of a page of the list. */
export function eventsListPath(s: EventsSearch, lang: string, cursor?: string): string {
  return `/api/v1/events${qs({ q: s.q, kind: s.kind, country: s.country, from: s.from, to: s.to, lang, limit: 50, cursor })}`;
}

/** The tabs of the organiser's page of an event (`?tab=`). */
export const EDITOR_TABS = ['details', 'timetable', 'materials', 'translations', 'delegations'] as const;
export type EditorTab = (typeof EDITOR_TABS)[number];

export function validateEventEditSearch(search: Record<string, unknown>): { tab?: EditorTab } {
  const tab = String(search.tab ?? '');
  return (EDITOR_TABS as readonly string[]).includes(tab) && tab !== 'details' ? { tab: tab as EditorTab } : {};
}

const REGISTRATION_FILTERS: readonly string[] = ['pending', 'confirmed', 'waitlisted', 'declined', 'withdrawn'];

/** The organiser's registrations page keeps its status filter in the address (`?status=waitlisted`). */
export function validateRegistrationsSearch(search: Record<string, unknown>): { status?: RegistrationStatus } {
  const status = String(search.status ?? '');
  return REGISTRATION_FILTERS.includes(status) ? { status: status as RegistrationStatus } : {};
}
