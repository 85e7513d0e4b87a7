import type { Kysely } from 'kysely';
import type { RequestStatus } from '#shared/capacity';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { conceptLabels } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { matchableExperts, type MatchableExpert } from '../experts/matchable.js';
import { matchableOffers, type MatchableOffer } from '../offers/matchable.js';
import { aggregateProviders, byScore, conceptsIn, scoreExpert, scoreOffer, type Reason, type Region, type RequestNeed, type Scored } from './matching.js';
import { countryRegions, openRequestsSharing, requestPage, type RequestRow } from './repository.js';
import { countryOf, loadVisibleRequest, requestSummaries, viewerOf } from './service.js';

/** Skill profiles are concepts of this scheme; experts carry them as skills. */
const SKILLS_SCHEME = 'ecsf-roles/';
/** How many candidates the offers and experts modules hand over for scoring (their SQL has ranked them by shared concepts). */
const CANDIDATES = 300;
/** How many open requests are read to learn what a provider's offers and experts should be asked for. */
const SUGGESTION_SCAN = 500;

let regions: Map<string, 'EU' | 'LAC'> | null = null;
/** The member states' regions: reference data, read once per process. */
async function regionOf(db: Kysely<DB>) {
  regions ??= await countryRegions(db);
  const r = regions;
  return (c: string): Region | null => r.get(c) ?? null;
}

const today = () => new Date().toISOString().slice(0, 10);

function needOf(r: RequestRow): RequestNeed {
  return { concepts: r.concepts, languages: r.languages, audiences: r.audiences, format: r.format, country: countryOf(r), from: r.timeframe_from, to: r.timeframe_to };
}

function split(concepts: readonly string[]) {
  return { concepts: concepts.filter((c) => !c.startsWith(SKILLS_SCHEME)), skills: concepts.filter((c) => c.startsWith(SKILLS_SCHEME)) };
}

/** The labels, in every language, of the concepts the reasons name. */
async function labelsFor(db: Kysely<DB>, reasons: readonly Reason[]) {
  return Object.fromEntries(await conceptLabels(db, conceptsIn(reasons)));
}

const offerView = (o: MatchableOffer, s: Scored) => ({ id: o.id, title: o.title, lang: o.lang, type: o.type, provider: { id: o.providerOrgId, name: o.providerName }, partnerIds: o.partnerOrgIds, score: s.score, reasons: s.reasons });
const expertView = (e: MatchableExpert, s: Scored) => ({ id: e.id, name: e.name, organisation: { id: e.organisationId, name: e.organisationName }, score: s.score, reasons: s.reasons });

/**
 * The offers, providers and experts that fit a request, best first, each with its score and
 * reasons. Only for a reader who may see the request (404 otherwise), and only over offers and
 * experts that reader may see (the two modules apply the policy): nothing here counts what is
 * not shown.
 */
export async function matchesFor(p: Platform, actor: Actor, id: string, o: { limit?: number } = {}) {
  const r = await loadVisibleRequest(p, actor, id);
  const viewer = viewerOf(actor);
  const limit = o.limit ?? 20;
  const need = needOf(r);
  const { concepts, skills } = split(r.concepts);
  const [offers, experts, region] = await Promise.all([
    matchableOffers(p.db, viewer, { concepts: r.concepts, languages: r.languages, limit: CANDIDATES }),
    matchableExperts(p.db, viewer, { concepts, skills, languages: r.languages, limit: CANDIDATES }),
    regionOf(p.db),
  ]);
  const now = today();
  const scoredOffers = offers.map((x) => ({ offer: x, scored: scoreOffer(need, x, region, now) })).filter((x) => x.scored.score > 0);
  const offerMatches = scoredOffers.map((x) => offerView(x.offer, x.scored)).sort(byScore((x) => x.id)).slice(0, limit);
  const providers = aggregateProviders(scoredOffers)
    .slice(0, limit)
    .map((x) => ({ organisation: { id: x.organisationId, name: x.name }, offerIds: x.offerIds, score: x.score, reasons: x.reasons }));
  const expertMatches = experts
    .map((e) => expertView(e, scoreExpert(need, e, region)))
    .filter((x) => x.score > 0)
    .sort(byScore((x) => x.id))
    .slice(0, limit);
  const labels = await labelsFor(p.db, [...offerMatches, ...providers, ...expertMatches].flatMap((x) => x.reasons));
  return { request: { id: r.id, status: r.status as RequestStatus }, offers: offerMatches, providers, experts: expertMatches, concepts: labels };
}

/**
 * For a provider: the open requests they may see that fit their own organisation's published
 * offers (as provider or partner) or its vetted experts, best first, each with what of theirs fits
 * and why. A request outside the provider's audience is never read (the policy is in the SQL), so
 * it is never suggested nor counted.
 */
export async function suggestedFor(p: Platform, actor: Actor, o: { limit?: number } = {}) {
  const pr = requireVetted(actor);
  const viewer = pr.viewer;
  const org = pr.organisation.id;
  const limit = o.limit ?? 20;
  // What open requests ask for, to ask the offers and experts modules the right question.
  const scan = (await requestPage(p.db, viewer, false, { status: 'open' }, { limit: SUGGESTION_SCAN })).filter((r) => r.author_org_id !== org);
  const asked = { concepts: [...new Set(scan.flatMap((r) => r.concepts))], languages: [...new Set(scan.flatMap((r) => r.languages))] };
  if (!asked.concepts.length && !asked.languages.length) return { items: [], concepts: {} };
  const { concepts, skills } = split(asked.concepts);
  const [offers, experts, region] = await Promise.all([
    matchableOffers(p.db, viewer, { concepts: asked.concepts, languages: asked.languages, limit: 1000 }),
    matchableExperts(p.db, viewer, { concepts, skills, languages: asked.languages, limit: 1000 }),
    regionOf(p.db),
  ]);
  const mine = offers.filter((x) => x.providerOrgId === org || x.partnerOrgIds.includes(org));
  const ours = experts.filter((x) => x.organisationId === org);
  if (!mine.length && !ours.length) return { items: [], concepts: {} };
  const candidates = await openRequestsSharing(
    p.db,
    viewer,
    { concepts: [...new Set([...mine.flatMap((x) => x.concepts), ...ours.flatMap((x) => [...x.concepts, ...x.skills])])], languages: [...new Set([...mine, ...ours].flatMap((x) => x.languages))], excludeOrg: org },
    200,
  );
  const now = today();
  const scored = candidates
    .map((r) => {
      const need = needOf(r);
      const fits = [
        ...mine.map((x) => ({ kind: 'offer' as const, id: x.id, title: x.title, ...scoreOffer(need, x, region, now) })),
        ...ours.map((x) => ({ kind: 'expert' as const, id: x.id, title: x.name, ...scoreExpert(need, x, region) })),
      ]
        .filter((x) => x.score > 0)
        .sort(byScore((x) => x.id));
      const best = fits[0];
      return best ? { id: r.id, score: best.score, reasons: best.reasons, fits: fits.slice(0, 3).map((f) => ({ kind: f.kind, id: f.id, title: f.title, score: f.score })) } : null;
    })
    .filter((x): x is NonNullable<typeof x> => x !== null)
    .sort(byScore((x) => x.id))
    .slice(0, limit);
  const summaries = new Map((await requestSummaries(p, actor, scored.map((x) => x.id))).map((s) => [s.id, s]));
  const items = scored.flatMap((x) => (summaries.has(x.id) ? [{ request: summaries.get(x.id)!, score: x.score, reasons: x.reasons, fits: x.fits }] : []));
  return { items, concepts: await labelsFor(p.db, items.flatMap((x) => x.reasons)) };
}
