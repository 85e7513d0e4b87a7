/**
 * The incident list's filters live in the address, so that "RED incidents in energy in Colombia
 * this week" is a link one can send. Lists are comma-separated, as the API takes them
 * (`GET /api/v1/incidents`, the same filters as the situational picture: IncidentFilters in
 * src/shared/incidents.ts). Kept apart from the pages so that the router checks them without
 * loading the pages; what the API would refuse is dropped, so a hand-edited link never breaks the page.
 */
import { qs } from '../../api/client';
import { INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_SECTORS, RSIT } from '#shared/incidents';

export interface IncidentsSearch {
  /** ISO 3166-1 alpha-2 codes, comma-separated. */
  country?: string;
  sector?: string;
  /** RSIT categories. */
  rsit?: string;
  status?: string;
  impactSeverity?: string;
  /** ISO dates (inclusive), on the day the reporting organisation became aware. */
  from?: string;
  to?: string;
  q?: string;
  /** A community's id: the reports shared with it. */
  community?: string;
  /** Exercise reports only (real views never mix them in). */
  exercise?: boolean;
}

export const FILTER_KEYS = ['country', 'sector', 'rsit', 'status', 'impactSeverity', 'from', 'to', 'community', 'exercise'] as const;

const COUNTRY = /^[A-Z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RSIT_CATEGORIES: readonly string[] = Object.keys(RSIT);
/** At most this many values per list filter (the API's bound too). */
const MAX_VALUES = 60;

/** The values of a list filter, from the address or a picker. */
export const listOf = (v: string | undefined): string[] => (v ? v.split(',').filter(Boolean) : []);

function list(raw: string, ok: (v: string) => boolean): string | undefined {
  const values = [...new Set(raw.split(',').map((v) => v.trim()).filter(ok))].slice(0, MAX_VALUES);
  return values.length ? values.join(',') : undefined;
}

const validDate = (v: string) => DATE.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime());

export function validateIncidentsSearch(search: Record<string, unknown>): IncidentsSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v).trim();
  };
  const out: IncidentsSearch = {};
  const put = (k: 'country' | 'sector' | 'rsit' | 'status' | 'impactSeverity', v: string | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  put('country', list(text('country'), (v) => COUNTRY.test(v)));
  put('sector', list(text('sector'), (v) => (NIS2_SECTORS as readonly string[]).includes(v)));
  put('rsit', list(text('rsit'), (v) => RSIT_CATEGORIES.includes(v)));
  put('status', list(text('status'), (v) => (INCIDENT_STATUSES as readonly string[]).includes(v)));
  put('impactSeverity', list(text('impactSeverity'), (v) => (NIS2_IMPACT_SEVERITIES as readonly string[]).includes(v)));
  if (validDate(text('from'))) out.from = text('from');
  if (validDate(text('to'))) out.to = text('to');
  // A range the wrong way round would show nothing for a reason nobody sees: keep its start only.
  if (out.from && out.to && out.to < out.from) delete out.to;
  const q = text('q').slice(0, 200);
  if (q) out.q = q;
  if (UUID.test(text('community'))) out.community = text('community');
  if (search.exercise === true || text('exercise') === 'true') out.exercise = true;
  return out;
}

/** How many filters (not the words) are in use. */
export const activeIncidentFilters = (s: IncidentsSearch) => FILTER_KEYS.filter((k) => s[k] !== undefined).length;

export const PAGE_SIZE = 30;

/** The list's page for these filters, in the reader's language `lang`. */
export function incidentsListPath(s: IncidentsSearch, lang: string, cursor?: string): string {
  return `/api/v1/incidents${qs({ country: s.country, sector: s.sector, rsit: s.rsit, status: s.status, impactSeverity: s.impactSeverity, from: s.from, to: s.to, q: s.q, community: s.community, exercise: s.exercise ? 'true' : undefined, lang, limit: PAGE_SIZE, cursor })}`;
}
