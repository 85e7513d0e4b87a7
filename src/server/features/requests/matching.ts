/**
 * Explained matching (issue 12 §3): how well an offer, a provider or an expert fits a request, as
 * a score out of 100 and the reasons behind it. Pure functions over what the offers and experts
 * modules hand out (features/offers/matchable.ts, features/experts/matchable.ts), which have
 * already applied the access policy; the service decides who may have a request scored at all.
 *
 * Reasons are codes with parameters, never sentences: the web app says them in the reader's
 * language (concept labels come beside them, in every language), and an API client can weigh
 * them its own way. Each weight below is the most a reason adds; the sum of the weights is 100.
 */
import type { MatchableExpert } from '../experts/matchable.js';
import type { MatchableOffer } from '../offers/matchable.js';

export const WEIGHTS = {
  /** Share of the request's concepts the candidate covers. */
  concepts: 40,
  /** Speaks one of the request's languages. */
  languages: 15,
  /** Open to the requesting country, or experience there or in its region. */
  place: 10,
  /** Meant for the people the request wants to reach. */
  audiences: 10,
  /** The format asked for. */
  format: 5,
  /** Sessions with free seats, or availability, in the timeframe. */
  timing: 10,
  /** How past participants or missions rated it. */
  evaluation: 10,
} as const;

export type Region = 'EU' | 'LAC';

/** What of a request matching reads. */
export interface RequestNeed {
  concepts: string[];
  languages: string[];
  audiences: string[];
  /** online, in-person, hybrid; null: any. */
  format: string | null;
  /** The country to be helped (the focal point's, else the requesting organisation's); null for an international body. */
  country: string | null;
  /** YYYY-MM-DD, either may be null. */
  from: string | null;
  to: string | null;
}

export type ReasonParams = Record<string, string | number | string[]>;
export interface Reason {
  code: ReasonCode;
  params: ReasonParams;
}
export const REASON_CODES = [
  'concepts',
  'skills',
  'languages',
  'country-eligible',
  'open-to-all-countries',
  'country-experience',
  'region-experience',
  'audiences',
  'format',
  'sessions-in-timeframe',
  'sessions-full',
  'available-in-timeframe',
  'evaluation',
  'missions',
  'offers',
  'partners',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Scored {
  score: number;
  reasons: Reason[];
}

const primary = (l: string) => l.split('-')[0]!.toLowerCase();
const shared = <T>(a: readonly T[], b: readonly T[]) => a.filter((x, i) => b.includes(x) && a.indexOf(x) === i);
/** The offers module speaks of `in_person`, the code lists of `in-person`: compare them as one. */
export const formatCode = (f: string | null | undefined) => (f ? f.replace('_', '-') : null);
const day = (iso: string) => iso.slice(0, 10);
/** Do [a1, a2] and [b1, b2] (dates, open ends allowed) overlap? */
function overlaps(a1: string | null, a2: string | null, b1: string, b2: string) {
  return (a1 === null || day(b2) >= a1) && (a2 === null || day(b1) <= a2);
}
const round = (x: number) => Math.max(0, Math.min(100, Math.round(x)));

function languageReason(need: RequestNeed, theirs: readonly string[], out: Reason[]): number {
  if (!need.languages.length) return 0;
  const langs = shared(need.languages.map(primary), theirs.map(primary));
  if (!langs.length) return 0;
  out.push({ code: 'languages', params: { languages: langs } });
  return WEIGHTS.languages;
}

function evaluationReason(mean: number | null, count: number, out: Reason[], code: 'evaluation' | 'missions'): number {
  if (code === 'missions' && count > 0) out.push({ code: 'missions', params: { count, ...(mean !== null ? { mean: Math.round(mean * 10) / 10 } : {}) } });
  if (mean === null || count === 0) return 0;
  if (code === 'evaluation') out.push({ code: 'evaluation', params: { mean: Math.round(mean * 10) / 10, count } });
  // A mean of 1 adds nothing, 5 adds the whole weight; one rating counts for less than several.
  const confidence = Math.min(1, count / 3);
  return WEIGHTS.evaluation * ((Math.max(1, Math.min(5, mean)) - 1) / 4) * (0.5 + 0.5 * confidence);
}

/** How well an offer fits a request. */
export function scoreOffer(need: RequestNeed, o: MatchableOffer, _regionOf: (country: string) => Region | null, today: string): Scored {
  const reasons: Reason[] = [];
  let s = 0;
  const concepts = shared(need.concepts, o.concepts);
  if (concepts.length && need.concepts.length) {
    reasons.push({ code: 'concepts', params: { concepts } });
    s += WEIGHTS.concepts * (concepts.length / new Set(need.concepts).size);
  }
  s += languageReason(need, o.languages, reasons);
  if (need.country && o.countries.includes(need.country)) {
    reasons.push({ code: 'country-eligible', params: { country: need.country } });
    s += WEIGHTS.place;
  } else if (!o.countries.length) {
    reasons.push({ code: 'open-to-all-countries', params: {} });
    s += WEIGHTS.place / 2;
  }
  const audiences = shared(need.audiences, o.audiences);
  if (audiences.length && need.audiences.length) {
    reasons.push({ code: 'audiences', params: { audiences } });
    s += WEIGHTS.audiences * (audiences.length / new Set(need.audiences).size);
  }
  const format = formatCode(o.format);
  if (need.format && format && (format === need.format || format === 'hybrid')) {
    reasons.push({ code: 'format', params: { format } });
    s += WEIGHTS.format;
  }
  // Sessions still to come, in the timeframe (when one is given).
  const coming = o.sessions.filter((x) => day(x.endsAt) >= today && overlaps(need.from, need.to, x.startsAt, x.endsAt));
  const open = coming.filter((x) => x.freeSeats > 0).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  if (open.length) {
    reasons.push({ code: 'sessions-in-timeframe', params: { sessions: open.length, freeSeats: open.reduce((n, x) => n + x.freeSeats, 0), first: open[0]!.startsAt } });
    s += need.from || need.to ? WEIGHTS.timing : WEIGHTS.timing / 2;
  } else if (coming.length) {
    reasons.push({ code: 'sessions-full', params: { sessions: coming.length } });
  }
  if (o.evaluation) s += evaluationReason(o.evaluation.mean, o.evaluation.count, reasons, 'evaluation');
  // Delivered jointly (triangular cooperation is recorded this way): said, not scored.
  if (o.partnerOrgIds.length) reasons.push({ code: 'partners', params: { count: o.partnerOrgIds.length } });
  return { score: round(s), reasons };
}

/** How well an expert fits a request: concepts and skills, languages, where they have worked, availability, past missions. */
export function scoreExpert(need: RequestNeed, e: MatchableExpert, regionOf: (country: string) => Region | null): Scored {
  const reasons: Reason[] = [];
  let s = 0;
  // A request may ask for a skill profile (ecsf-roles/…) as a concept: the expert's skills count like their concepts.
  const concepts = shared(need.concepts, e.concepts);
  const skills = shared(need.concepts, e.skills).filter((x) => !concepts.includes(x));
  if (concepts.length) reasons.push({ code: 'concepts', params: { concepts } });
  if (skills.length) reasons.push({ code: 'skills', params: { skills } });
  if (need.concepts.length) s += WEIGHTS.concepts * ((concepts.length + skills.length) / new Set(need.concepts).size);
  s += languageReason(need, e.languages, reasons);
  const region = need.country ? regionOf(need.country) : null;
  if (need.country && e.countries.includes(need.country)) {
    reasons.push({ code: 'country-experience', params: { country: need.country } });
    s += WEIGHTS.place;
  } else if (region) {
    const there = e.countries.filter((c) => regionOf(c) === region);
    if (there.length) {
      reasons.push({ code: 'region-experience', params: { region, countries: there } });
      s += WEIGHTS.place * 0.6;
    }
  }
  const window = e.available.find((w) => overlaps(need.from, need.to, w.from, w.to));
  if (window) {
    reasons.push({ code: 'available-in-timeframe', params: { from: day(window.from), to: day(window.to) } });
    s += WEIGHTS.timing;
  }
  s += evaluationReason(e.missions.meanEvaluation, e.missions.count, reasons, 'missions');
  return { score: round(s), reasons };
}

export interface ProviderMatch extends Scored {
  organisationId: string;
  name: string;
  offerIds: string[];
}

/**
 * The organisations behind the offers, each scored by its best offer and a little more for each
 * further one that fits (at most 10): a provider with three fitting offers is a better partner
 * to talk to than one with one.
 */
export function aggregateProviders(offers: readonly { offer: MatchableOffer; scored: Scored }[]): ProviderMatch[] {
  const by = new Map<string, { name: string; items: { offer: MatchableOffer; scored: Scored }[] }>();
  for (const x of offers) {
    const g = by.get(x.offer.providerOrgId) ?? { name: x.offer.providerName, items: [] };
    g.items.push(x);
    by.set(x.offer.providerOrgId, g);
  }
  return [...by.entries()]
    .map(([organisationId, g]) => {
      const items = [...g.items].sort((a, b) => b.scored.score - a.scored.score || a.offer.id.localeCompare(b.offer.id));
      const best = items[0]!;
      const more = Math.min(10, (items.length - 1) * 3);
      return {
        organisationId,
        name: g.name,
        offerIds: items.map((i) => i.offer.id),
        score: round(best.scored.score + more),
        reasons: [{ code: 'offers' as const, params: { count: items.length } }, ...best.scored.reasons.filter((r) => r.code !== 'sessions-full')],
      };
    })
    .sort(byScore((p) => p.organisationId));
}

/** Best first; ties by id, so the order is stable. */
export const byScore =
  <T extends Scored>(id: (x: T) => string) =>
  (a: T, b: T) =>
    b.score - a.score || id(a).localeCompare(id(b));

/** Every concept tag a set of reasons names (to fetch their labels once). */
export function conceptsIn(reasons: readonly Reason[]): string[] {
  const out = new Set<string>();
  for (const r of reasons) if (r.code === 'concepts' || r.code === 'skills') for (const c of (r.params.concepts ?? r.params.skills) as string[]) out.add(c);
  return [...out];
}
