import { INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_SECTORS, RSIT, RSIT_CLASSES, type ImpactSeverity, type Situation } from '#shared/incidents';
import { TLP_LEVELS } from '#shared/tlp';
import type { Actor } from '../../platform/actor.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { writeCsv } from '../../platform/csv.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { regionNames, t, type UiLanguage } from '../../platform/i18n.js';
import { uiLanguageOf } from '../roadmap/strings.js';
import { vulnerabilityFacts } from '../intel/vulnerabilities/kev.js';
import { countedReportFigures, countedSightingFigures, memberStates, visibleLatest, type SituationFilters } from './repository.js';
import { madeForName, utcStamp } from '../../platform/pdf.js';

/**
 * The shared situational picture (issue 13 §2, docs/situation.md): where incidents are, how
 * severe, in which sectors, how they trend, what they are made of (RSIT classes, ATT&CK
 * techniques, exploited vulnerabilities) and what members see (sightings). Every figure is an
 * aggregate over the incident reports the reader may see — the access policy decides row by row
 * in the repository, before anything is counted — and never over exercise reports. The JSON, the
 * CSV and the PDF are all made from `situation()`.
 */

/** The query as the routes take it: lists comma-separated, as the incident list takes them. */
export interface SituationQuery {
  country?: string;
  sector?: string;
  rsit?: string;
  status?: string;
  impactSeverity?: string;
  from?: string;
  to?: string;
  community?: string;
  q?: string;
  /** Days in the window when `from` is not given (default 30). */
  window?: number;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Trends go from days to weeks past this many days, so that a chart stays readable. */
const DAILY_UP_TO = 62;
/** The longest window: two years of weekly buckets. */
const MAX_DAYS = 731;
const LEADING = 10;
const MAX_VALUES = 60;

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

function dayOf(v: string, field: 'from' | 'to'): Date {
  const d = new Date(`${v}T00:00:00Z`);
  if (!DAY.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new AppError('VALIDATION_FAILED', `"${v}" is not a date such as 2026-06-22`, { field });
  return d;
}

function listOf(v: string | undefined, field: string, allowed: (x: string) => boolean): string[] | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const values = [...new Set(v.split(',').map((x) => x.trim()).filter(Boolean))];
  if (values.length > MAX_VALUES) throw new AppError('VALIDATION_FAILED', `At most ${MAX_VALUES} values in ${field}`, { field });
  const bad = values.find((x) => !allowed(x));
  if (bad !== undefined) throw new AppError('VALIDATION_FAILED', `"${bad}" is not a value of ${field}`, { field });
  return values.length ? values : undefined;
}

const oneOf = (xs: readonly string[]) => (x: string) => xs.includes(x);
const RSIT_CATEGORIES = Object.keys(RSIT);

/** The window and filters of a query, checked: anything the incident list would refuse is a 400 here too. */
export function filtersOf(q: SituationQuery, now = new Date()): SituationFilters & { from: string; to: string; days: number } {
  const toDay = q.to ? dayOf(q.to, 'to') : new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const window = q.window ?? 30;
  if (!Number.isInteger(window) || window < 1 || window > MAX_DAYS) throw new AppError('VALIDATION_FAILED', `window is a number of days from 1 to ${MAX_DAYS}`, { field: 'window' });
  const start = q.from ? dayOf(q.from, 'from') : new Date(toDay.getTime() - (window - 1) * DAY_MS);
  if (toDay < start) throw new AppError('VALIDATION_FAILED', 'The end of the window comes before its start', { field: 'to' });
  const days = Math.round((toDay.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_DAYS) throw new AppError('VALIDATION_FAILED', `The window is at most ${MAX_DAYS} days`, { field: 'from' });
  const countries = listOf(q.country?.toUpperCase(), 'country', (x) => /^[A-Z]{2}$/.test(x));
  const q2 = q.q?.trim();
  if (q2 && q2.length > 200) throw new AppError('VALIDATION_FAILED', 'The search words are at most 200 characters', { field: 'q' });
  if (q.community !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(q.community))
    throw new AppError('VALIDATION_FAILED', 'community is the id of a community', { field: 'community' });
  return {
    from: start.toISOString().slice(0, 10),
    to: toDay.toISOString().slice(0, 10),
    days,
    start,
    end: new Date(toDay.getTime() + DAY_MS),
    countries,
    sectors: listOf(q.sector, 'sector', oneOf(NIS2_SECTORS)),
    rsit: listOf(q.rsit, 'rsit', (x) => RSIT_CATEGORIES.includes(x) || RSIT_CLASSES.includes(x)),
    statuses: listOf(q.status, 'status', oneOf(INCIDENT_STATUSES)),
    severities: listOf(q.impactSeverity, 'impactSeverity', oneOf(NIS2_IMPACT_SEVERITIES)),
    community: q.community?.toLowerCase(),
    q: q2 || undefined,
  };
}

/** An ATT&CK technique's id (T1486, or an ICS one) from its external references. */
function attackId(body: string): string | null {
  try {
    const refs = (JSON.parse(body) as { external_references?: { source_name?: string; external_id?: string }[] }).external_references ?? [];
    return refs.find((r) => typeof r?.source_name === 'string' && r.source_name.startsWith('mitre-') && typeof r.external_id === 'string')?.external_id ?? null;
  } catch {
    return null;
  }
}

function kevOf(body: string) {
  try {
    const kev = vulnerabilityFacts(JSON.parse(body) as Record<string, unknown>).kev;
    return { kev: !!kev, ransomware: kev?.known_ransomware_campaign_use === 'Known' };
  } catch {
    return { kev: false, ransomware: false };
  }
}

/** The picture for this reader under these filters. */
export async function situation(p: Platform, actor: Actor, q: SituationQuery, now = new Date()): Promise<Situation> {
  const f = filtersOf(q, now);
  const viewer = viewerOf(actor);
  const bucketDays = f.days > DAILY_UP_TO ? 7 : 1;
  const seconds = bucketDays * 86_400;

  const figures = await countedReportFigures(p.db, viewer, f, seconds);
  const totals = figures.totals;
  const byCountry = new Map(figures.byCountry.map((x) => [x.code, x]));
  const matrix = figures.matrix;
  const trends = { reported: figures.reported, closed: figures.closed };
  const rsit = figures.rsit.slice(0, LEADING);
  const techniques = figures.links.filter((x) => x.stixId.startsWith('attack-pattern--')).slice(0, LEADING);
  const vulnerabilities = figures.links.filter((x) => x.stixId.startsWith('vulnerability--')).slice(0, LEADING);
  const objects = await visibleLatest(p.db, viewer, [...techniques, ...vulnerabilities].map((x) => x.stixId));
  const sightings = await countedSightingFigures(p.db, viewer, { start: f.start, end: f.end, countries: f.countries, sectors: f.sectors }, seconds);
  const states = await memberStates(p.db);

  const sightingsByBucket = new Map(sightings.byBucket.map((x) => [x.bucket, x]));
  const ranks = [totals.tlpRank, ...sightings.byBucket.map((x) => x.tlpRank)].filter((x): x is number => x !== null);
  const buckets = Math.ceil(f.days / bucketDays);
  return {
    from: f.from,
    to: f.to,
    bucket: bucketDays === 1 ? 'day' : 'week',
    reports: totals.reports,
    open: totals.open,
    marking: ranks.length ? TLP_LEVELS[Math.max(...ranks) - 1]! : null,
    countries: states.map((s) => {
      const c = byCountry.get(s.code);
      return {
        code: s.code,
        region: s.region,
        severity: c?.severityRank ? (NIS2_IMPACT_SEVERITIES[c.severityRank - 1] as ImpactSeverity) : null,
        open: c?.open ?? 0,
        reports: c?.reports ?? 0,
      };
    }),
    matrix,
    trends: Array.from({ length: buckets }, (_, i) => ({
      start: new Date(f.start.getTime() + i * bucketDays * DAY_MS).toISOString().slice(0, 10),
      reported: trends.reported.get(i) ?? 0,
      closed: trends.closed.get(i) ?? 0,
      sightings: sightingsByBucket.get(i)?.count ?? 0,
    })),
    rsit,
    techniques: techniques.map((x) => {
      const o = objects.get(x.stixId);
      return { stixId: x.stixId, externalId: o ? attackId(o.body) : null, name: o?.name ?? x.stixId, reports: x.reports };
    }),
    vulnerabilities: vulnerabilities.map((x) => {
      const o = objects.get(x.stixId);
      return { stixId: x.stixId, name: o?.name ?? x.stixId, ...(o ? kevOf(o.body) : { kev: false, ransomware: false }), reports: x.reports };
    }),
    sightings: {
      reports: sightings.byBucket.reduce((a, x) => a + x.reports, 0),
      count: sightings.byBucket.reduce((a, x) => a + x.count, 0),
      byCountry: sightings.byCountry,
    },
  };
}

const fileStem = (s: Situation) => `situation-${s.from}-${s.to}`;

/**
 * The country × sector matrix as CSV (UTF-8 with a byte-order mark, CRLF): one line per pair with
 * at least one report, with the country's name in the reader's language and the marking of the
 * most restrictive report counted, so that the file carries its own TLP when it travels.
 */
export function matrixCsvText(s: Situation, lang: UiLanguage): string {
  const name = regionNames(lang);
  return writeCsv(
    ['country', 'country_name', 'sector', 'sector_name', 'reports', 'tlp'],
    s.matrix.map((x) => [x.country, name(x.country), x.sector, t(lang, `situation.sector.${x.sector}`), x.reports, s.marking]),
  );
}

export async function situationCsv(p: Platform, actor: Actor, q: SituationQuery) {
  const s = await situation(p, actor, q);
  return { filename: `${fileStem(s)}.csv`, body: matrixCsvText(s, uiLanguageOf(actor.readerLanguages)) };
}

/** The picture as a PDF in the reader's language, under a TLP banner of the most restrictive report or sighting counted. */
export async function situationPdf(p: Platform, actor: Actor, q: SituationQuery) {
  const now = new Date();
  const s = await situation(p, actor, q, now);
  const lang = uiLanguageOf(actor.readerLanguages);
  const who = madeForName(actor.principal, t(lang, 'situation.pdf.public'));
  // pdfkit and its fonts load when the first PDF is asked for, not with every instance.
  const { renderSituationPdf } = await import('./pdf.js');
  const body = await renderSituationPdf(s, lang, t(lang, 'situation.pdf.madeFor', { date: utcStamp(now.toISOString()), who }), regionNames(lang), filterWords(q, lang));
  return { filename: `${fileStem(s)}.pdf`, body };
}

/** The filters asked, in words, for the PDF's header. */
function filterWords(q: SituationQuery, lang: UiLanguage): string[] {
  const name = regionNames(lang);
  const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);
  const out: string[] = [];
  const add = (key: string, values: string[]) => {
    if (values.length) out.push(`${t(lang, `situation.pdf.filter.${key}`)}: ${values.join(', ')}`);
  };
  add('country', list(q.country?.toUpperCase()).map(name));
  add('sector', list(q.sector).map((x) => t(lang, `situation.sector.${x}`)));
  add('rsit', list(q.rsit));
  add('status', list(q.status).map((x) => t(lang, `situation.status.${x}`)));
  add('impactSeverity', list(q.impactSeverity).map((x) => t(lang, `situation.severity.${x}`)));
  if (q.community) add('community', [q.community]);
  if (q.q?.trim()) add('q', [q.q.trim()]);
  return out;
}
