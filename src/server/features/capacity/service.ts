import { OFFER_TYPES, REQUEST_STATUSES, type OfferType, type RequestStatus } from '#shared/capacity';
import type { Actor } from '../../platform/actor.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { hasRole } from '../../platform/auth/principal.js';
import { conceptLabels, requireConcepts } from '../../platform/concepts.js';
import { writeCsv } from '../../platform/csv.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { regionNames, t, type UiLanguage } from '../../platform/i18n.js';
import { uiLanguageOf } from '../roadmap/strings.js';
import { regionLabel } from './regions.js';
import { countedOffers, countedParticipants, countedRequests, firstSteps, memberStates } from './repository.js';
import { madeForName, utcStamp } from '../../platform/pdf.js';

/**
 * The capacity-building dashboard (issue 12 §7, docs/capacity.md): offers by concept, type and
 * region, requests by status with the time they took to be matched and delivered, participants by
 * country and concept, and a figure per country for the map — each computed only over what the
 * reader may see: offers and requests through their features' access policy and workflow,
 * applications through the applications feature's own rules. A hidden row is never one more in a
 * count, and nothing says how many were left out. The JSON, the CSV and the PDF are all made
 * from `dashboard()`.
 */

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
/** The requests' workflow rule (features/requests): the secretariat also sees requests before they are opened. */
const isSecretariat = (actor: Actor) => !!actor.principal && actor.principal.viewer.vetted && hasRole(actor.principal, 'secretariat');

const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const REGIONS = ['EU', 'LAC'] as const;

export interface DashboardQuery {
  from?: string;
  to?: string;
  concept?: string;
  region?: string;
  country?: string;
}

/** How long requests took to reach a step, in seconds from their submission: over those that reached it. */
export interface Duration {
  count: number;
  /** Linear interpolation between the closest ranks (PostgreSQL's percentile_cont), whole seconds; null without any. */
  median: number | null;
  p75: number | null;
}

export interface Labelled {
  concept: string;
  label: string;
  /** The language of `label`. */
  lang: string;
}

export interface Dashboard {
  /** The window, days inclusive (null: unbounded). */
  from: string | null;
  to: string | null;
  concept: string | null;
  region: string | null;
  country: string | null;
  /** The language of the words the server chose (labels of concepts follow the reader's languages where the vocabulary has them). */
  lang: UiLanguage;
  offers: {
    total: number;
    /** Open to every member country (they name no country). */
    openToAll: number;
    byType: { type: OfferType; offers: number }[];
    byConcept: (Labelled & { offers: number })[];
    /** Offers open to at least one country of the region (`subregion` null) or subregion. */
    byRegion: { region: 'EU' | 'LAC'; subregion: string | null; offers: number }[];
  };
  requests: {
    total: number;
    byStatus: { status: RequestStatus; requests: number }[];
    toMatched: Duration;
    toDelivery: Duration;
  };
  participants: {
    /** Applicants holding a seat. */
    selected: number;
    completed: number;
    byCountry: { country: string; selected: number; completed: number }[];
    byConcept: (Labelled & { selected: number; completed: number })[];
  };
  /** The map: every member state in scope, with the offers open to it, the requests about it and its participants. */
  countries: { code: string; region: 'EU' | 'LAC'; subregion: string; offers: number; requests: number; participants: number }[];
}

function dayOf(v: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (!v) return undefined;
  const d = new Date(`${v}T00:00:00Z`);
  if (!DAY.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) throw new AppError('VALIDATION_FAILED', `"${v}" is not a date such as 2026-06-22`, { field });
  return d;
}

/** The percentile q (0–1) of sorted values, interpolated linearly between closest ranks, rounded to a whole number. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo));
}

export function durationOf(seconds: readonly number[]): Duration {
  const s = [...seconds].sort((a, b) => a - b);
  return { count: s.length, median: percentile(s, 0.5), p75: percentile(s, 0.75) };
}

/** A concept's preferred label in the first of the reader's languages the vocabulary has, else English, else any. */
function labelFor(tag: string, labels: Map<string, Record<string, string>>, readerLanguages: readonly string[]): { label: string; lang: string } {
  const l = labels.get(tag) ?? {};
  for (const r of [...readerLanguages, 'en']) {
    const primary = r.toLowerCase().split('-')[0]!;
    if (l[r]) return { label: l[r], lang: r };
    if (l[primary]) return { label: l[primary], lang: primary };
  }
  const [lang, label] = Object.entries(l)[0] ?? ['en', tag];
  return { label, lang };
}

const tally = <T>(xs: readonly T[], keys: (x: T) => readonly string[]) => {
  const m = new Map<string, T[]>();
  for (const x of xs) for (const k of new Set(keys(x))) m.set(k, [...(m.get(k) ?? []), x]);
  return m;
};
const byCountThenKey = <T extends { key: string; n: number }>(a: T, b: T) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The dashboard's figures for this reader under these filters. */
export async function dashboard(p: Platform, actor: Actor, q: DashboardQuery): Promise<Dashboard> {
  const start = dayOf(q.from, 'from');
  const toDay = dayOf(q.to, 'to');
  if (start && toDay && toDay < start) throw new AppError('VALIDATION_FAILED', 'The end of the window comes before its start', { field: 'to' });
  const end = toDay ? new Date(toDay.getTime() + 86_400_000) : undefined;
  if (q.concept) await requireConcepts(p.db, [q.concept]);

  const states = await memberStates(p.db);
  let scope = states;
  if (q.region) {
    scope = scope.filter((s) => s.region === q.region || s.subregion === q.region);
    if (!scope.length) throw new AppError('VALIDATION_FAILED', `"${q.region}" is not a region (EU, LAC) or a subregion of the member states`, { field: 'region' });
  }
  const country = q.country?.toUpperCase();
  if (country) {
    if (!states.some((s) => s.code === country)) throw new AppError('VALIDATION_FAILED', `"${q.country}" is not a member state`, { field: 'country' });
    scope = scope.filter((s) => s.code === country);
  }
  const narrowed = !!(q.region || country);
  const f = { start, end, concept: q.concept, countries: narrowed ? scope.map((s) => s.code) : undefined };

  const viewer = viewerOf(actor);
  const secretariat = isSecretariat(actor);
  const [offers, requests, participants] = await Promise.all([
    countedOffers(p.db, viewer, f),
    countedRequests(p.db, viewer, secretariat, f),
    countedParticipants(p.db, viewer, secretariat, f),
  ]);

  // Offers.
  const openTo = (o: { countries: string[] }, codes: readonly string[]) => o.countries.length === 0 || o.countries.some((c) => codes.includes(c));
  const regionRows: Dashboard['offers']['byRegion'] = [];
  for (const region of REGIONS) {
    const inRegion = scope.filter((s) => s.region === region);
    if (!inRegion.length) continue;
    regionRows.push({ region, subregion: null, offers: offers.filter((o) => openTo(o, inRegion.map((s) => s.code))).length });
    for (const sub of [...new Set(inRegion.map((s) => s.subregion))].sort()) {
      const codes = inRegion.filter((s) => s.subregion === sub).map((s) => s.code);
      regionRows.push({ region, subregion: sub, offers: offers.filter((o) => openTo(o, codes)).length });
    }
  }

  // Requests and their timings.
  const steps = await firstSteps(
    p.db,
    requests.map((r) => r.id),
  );
  const firstAt = new Map<string, Date>();
  for (const s of steps) firstAt.set(`${s.request_id} ${s.status}`, new Date(s.at));
  const elapsed = (to: RequestStatus) =>
    requests.flatMap((r) => {
      const reached = firstAt.get(`${r.id} ${to}`);
      if (!reached) return [];
      const submitted = firstAt.get(`${r.id} submitted`) ?? new Date(r.created_at);
      return [Math.max(0, (reached.getTime() - submitted.getTime()) / 1000)];
    });

  // Concepts, labelled.
  const offersByConcept = tally(offers, (o) => o.concepts);
  const participantsByConcept = tally(participants, (a) => a.concepts);
  const labels = await conceptLabels(p.db, [...new Set([...offersByConcept.keys(), ...participantsByConcept.keys()])]);
  const labelled = (tag: string): Labelled => ({ concept: tag, ...labelFor(tag, labels, actor.readerLanguages) });

  const participantsByCountry = tally(participants, (a) => [a.country]);
  const completed = (xs: readonly { completed: boolean | null }[]) => xs.filter((x) => x.completed === true).length;

  return {
    from: q.from ?? null,
    to: q.to ?? null,
    concept: q.concept ?? null,
    region: q.region ?? null,
    country: country ?? null,
    lang: uiLanguageOf(actor.readerLanguages),
    offers: {
      total: offers.length,
      openToAll: offers.filter((o) => o.countries.length === 0).length,
      byType: OFFER_TYPES.map((type) => ({ type, offers: offers.filter((o) => o.type === type).length })),
      byConcept: [...offersByConcept.entries()]
        .map(([key, xs]) => ({ key, n: xs.length }))
        .sort(byCountThenKey)
        .map((x) => ({ ...labelled(x.key), offers: x.n })),
      byRegion: regionRows,
    },
    requests: {
      total: requests.length,
      byStatus: REQUEST_STATUSES.map((status) => ({ status, requests: requests.filter((r) => r.status === status).length })),
      toMatched: durationOf(elapsed('matched')),
      toDelivery: durationOf(elapsed('in-delivery')),
    },
    participants: {
      selected: participants.length,
      completed: completed(participants),
      byCountry: [...participantsByCountry.entries()]
        .map(([key, xs]) => ({ key, n: xs.length, done: completed(xs) }))
        .sort(byCountThenKey)
        .map((x) => ({ country: x.key, selected: x.n, completed: x.done })),
      byConcept: [...participantsByConcept.entries()]
        .map(([key, xs]) => ({ key, n: xs.length, done: completed(xs) }))
        .sort(byCountThenKey)
        .map((x) => ({ ...labelled(x.key), selected: x.n, completed: x.done })),
    },
    countries: scope.map((s) => ({
      code: s.code,
      region: s.region,
      subregion: s.subregion,
      offers: offers.filter((o) => openTo(o, [s.code])).length,
      requests: requests.filter((r) => r.country === s.code).length,
      participants: participantsByCountry.get(s.code)?.length ?? 0,
    })),
  };
}

/**
 * The same figures as one CSV (UTF-8 with a byte-order mark, CRLF), a `section` column naming
 * the table each line belongs to: one file opens in any spreadsheet and filters by section,
 * where a zip of files would need unpacking first and would split what one filter shows.
 */
export function dashboardCsvText(d: Dashboard): string {
  const name = regionNames(d.lang);
  const rows: (string | number | null)[][] = [
    ['window', 'from', '', 'day', d.from],
    ['window', 'to', '', 'day', d.to],
    ['filter', 'concept', '', 'tag', d.concept],
    ['filter', 'region', '', 'code', d.region],
    ['filter', 'country', '', 'code', d.country],
    ['offers', 'total', '', 'offers', d.offers.total],
    ['offers', 'open-to-all', '', 'offers', d.offers.openToAll],
    ...d.offers.byType.map((x) => ['offers_by_type', x.type, t(d.lang, `capacity.type.${x.type}`), 'offers', x.offers]),
    ...d.offers.byConcept.map((x) => ['offers_by_concept', x.concept, x.label, 'offers', x.offers]),
    ...d.offers.byRegion.map((x) => ['offers_by_region', x.subregion ? `${x.region}/${x.subregion}` : x.region, regionLabel(d.lang, x.region, x.subregion), 'offers', x.offers]),
    ['requests', 'total', '', 'requests', d.requests.total],
    ...d.requests.byStatus.map((x) => ['requests_by_status', x.status, t(d.lang, `capacity.status.${x.status}`), 'requests', x.requests]),
    ...(
      [
        ['submitted-to-matched', d.requests.toMatched],
        ['submitted-to-in-delivery', d.requests.toDelivery],
      ] as const
    ).flatMap(([key, x]) => [
      ['request_times', key, '', 'requests', x.count],
      ['request_times', key, '', 'median_seconds', x.median],
      ['request_times', key, '', 'p75_seconds', x.p75],
    ]),
    ['participants', 'total', '', 'selected', d.participants.selected],
    ['participants', 'total', '', 'completed', d.participants.completed],
    ...d.participants.byCountry.flatMap((x) => [
      ['participants_by_country', x.country, name(x.country), 'selected', x.selected],
      ['participants_by_country', x.country, name(x.country), 'completed', x.completed],
    ]),
    ...d.participants.byConcept.flatMap((x) => [
      ['participants_by_concept', x.concept, x.label, 'selected', x.selected],
      ['participants_by_concept', x.concept, x.label, 'completed', x.completed],
    ]),
    ...d.countries.flatMap((x) => [
      ['countries', x.code, name(x.code), 'offers', x.offers],
      ['countries', x.code, name(x.code), 'requests', x.requests],
      ['countries', x.code, name(x.code), 'participants', x.participants],
    ]),
  ];
  return writeCsv(['section', 'key', 'label', 'measure', 'value'], rows);
}

const fileStem = (d: Dashboard) => ['capacity', d.from, d.to].filter(Boolean).join('-');

export async function dashboardCsv(p: Platform, actor: Actor, q: DashboardQuery) {
  const d = await dashboard(p, actor, q);
  return { filename: `${fileStem(d)}.csv`, body: dashboardCsvText(d) };
}

/** The same figures as a PDF in the reader's language: what was asked, for whom, and the tables of the web page. */
export async function dashboardPdf(p: Platform, actor: Actor, q: DashboardQuery) {
  const now = new Date();
  const d = await dashboard(p, actor, q);
  const who = madeForName(actor.principal, t(d.lang, 'capacity.pdf.public'));
  // pdfkit and its fonts load when the first PDF is asked for, not with every instance.
  const { renderDashboardPdf } = await import('./pdf.js');
  const body = await renderDashboardPdf(d, t(d.lang, 'capacity.pdf.madeFor', { date: utcStamp(now.toISOString()), who }), regionNames(d.lang));
  return { filename: `${fileStem(d)}.pdf`, body };
}
