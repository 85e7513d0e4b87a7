/**
 * The expert pool's filters live in the address (a link to "incident responders who speak
 * Spanish, free in March" shows that list). Kept apart from the pages so that the router checks
 * them without loading the pool's code; what the API would refuse is dropped, so a hand-edited
 * link never breaks the page.
 */
import { qs } from '../../api/client';
import { EXPERT_STATUSES } from './api';

export interface ExpertsSearch {
  q?: string;
  skill?: string;
  concept?: string;
  language?: string;
  country?: string;
  from?: string;
  to?: string;
  organisation?: string;
  status?: string;
}

const SKILL = /^ecsf-roles\/[a-z0-9][a-z0-9_-]{0,62}$/;
const CONCEPT = /^[a-z0-9][a-z0-9-]{0,62}\/[a-z0-9][a-z0-9_-]{0,62}$/;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const COUNTRY = /^[A-Z]{2}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: readonly string[] = EXPERT_STATUSES;

/** A real calendar day ("2026-02-30" is not). */
const isDay = (s: string) => DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

export function validateExpertsSearch(search: Record<string, unknown>): ExpertsSearch {
  const text = (k: string) => {
    const v = search[k];
    return v === undefined || v === null ? '' : String(v).trim();
  };
  const out: ExpertsSearch = {};
  const q = text('q').slice(0, 200);
  if (q) out.q = q;
  if (SKILL.test(text('skill'))) out.skill = text('skill');
  if (CONCEPT.test(text('concept'))) out.concept = text('concept');
  if (LANGUAGE.test(text('language')) && text('language').length <= 35) out.language = text('language');
  if (COUNTRY.test(text('country'))) out.country = text('country');
  if (isDay(text('from'))) out.from = text('from');
  if (isDay(text('to')) && !(out.from && text('to') < out.from)) out.to = text('to');
  if (UUID.test(text('organisation'))) out.organisation = text('organisation').toLowerCase();
  if (STATUSES.includes(text('status'))) out.status = text('status');
  return out;
}

/** How many filters (not the words) are in use. */
export const activeExpertFilters = (s: ExpertsSearch) => (['skill', 'concept', 'language', 'country', 'from', 'to', 'organisation', 'status'] as const).filter((k) => s[k] !== undefined).length;

export const PAGE_SIZE = 20;

/** The pool's page for these filters, in the reader's language `lang`. */
export function expertsListPath(s: ExpertsSearch, lang: string, cursor?: string): string {
  return `/api/v1/experts${qs({ ...s, lang, limit: PAGE_SIZE, cursor })}`;
}
