import { type OfferFormat, type RequestStatus, type TargetAudience, type Urgency } from '#shared/capacity';
import { asActor, requestAbilities, type RequestAbilities } from '../../platform/access/abilities.js';
import { ANONYMOUS, audienceColumns, canSee, markingOf, type Audience, type Marking, type Pap, type Tlp } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { hasRole, loadPrincipalParts, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { isUiLanguage } from '../../platform/i18n.js';
import { newId } from '../../platform/ids.js';
import { renderMail, type OutgoingMail } from '../../platform/mail.js';
import { t } from '../../platform/i18n.js';
import { requireTag, showFor, withoutTranslation, withTranslation, type TranslationInfo } from '../../platform/translations.js';
import { addOrganisation, createCommunity } from '../communities/service.js';
import { focalCountriesOf } from '../contacts/repository.js';
import { createTopic } from '../discussions/service.js';
import { createEvent, updateEvent } from '../events/service.js';
import { isTimeZone } from '../../platform/calendar.js';
import {
  answeringOrganisations,
  BEFORE_OPEN,
  communitiesByIds,
  proposedNames,
  communityBySlug,
  insertRequest,
  insertStep,
  isState,
  moveStatus,
  organisationsByIds,
  requestById,
  requestPage,
  requestsByIds,
  secretariatOrganisations,
  secretariatPeople,
  stepsOf,
  taggedRequests,
  visibleInterests,
  countWaitingTriage,
  type InterestRow,
  type RequestFilters,
  type RequestRow,
} from './repository.js';

/** The providers' community a request is shared with by default, found by its well-known short name (docs/requests.md). */
export const PROVIDERS_COMMUNITY_SLUG = 'capacity-building';

/** The fields every language version holds. */
export const TEXT_FIELDS = ['title', 'description', 'wanted', 'constraints'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type Texts = Record<TextField, string>;

/** Limits, documented in docs/requests.md. */
export const LIMITS = { title: 300, description: 20_000, wanted: 10_000, constraints: 5_000, note: 2_000, message: 10_000, providers: 30, partners: 10, offers: 20, experts: 20, languages: 10 };

/** The marking levels a request may take: RED (named people only) would leave out the secretariat that triages it. */
export const REQUEST_TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'] as const;
export type RequestTlp = (typeof REQUEST_TLPS)[number];

/**
 * The steps a request may take, and who takes them (requestAbilities): the secretariat triages
 * and opens it; it is matched only by the requester choosing an expression of interest; the
 * requester or the chosen provider say delivery started and ended; the requester evaluates it.
 */
export const NEXT: Record<RequestStatus, readonly RequestStatus[]> = {
  submitted: ['triaged'],
  triaged: ['open'],
  open: ['matched'],
  matched: ['in-delivery'],
  'in-delivery': ['completed'],
  completed: ['evaluated'],
  evaluated: [],
};

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
/** The secretariat's narrower workflow rule (repository.ts): only a vetted member holding the role. */
const isSecretariat = (pr: Principal | null) => !!pr && pr.viewer.vetted && hasRole(pr, 'secretariat');
const MARKS = /[\uE000\uE001]/g;
const clean = (s: string | undefined) => (s ?? '').replace(MARKS, '');

export interface RequestInput {
  language: string;
  title: string;
  description?: string;
  wanted?: string;
  constraints?: string;
  /** Asked for this country by its national focal point; without it, for the asking organisation. */
  country?: string | null;
  concepts?: string[];
  audiences?: string[];
  languages?: string[];
  urgency?: string;
  format?: string | null;
  timeframe?: { from?: string | null; to?: string | null };
  tlp?: RequestTlp;
  pap?: Pap;
  /** Share it with these provider organisations only, instead of the providers' community. */
  providers?: string[];
}

function sourceOf(r: RequestRow): Texts {
  return { title: r.title, description: r.description, wanted: r.wanted, constraints: r.constraints };
}

function shown(actor: Actor, r: RequestRow, lang?: string): { fields: Texts; info: TranslationInfo } {
  return showFor<TextField>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) }, actor.readerLanguages, lang);
}

function chosenOrg(interests: readonly { id: string; author_org_id: string | null }[], r: RequestRow) {
  return r.chosen_interest_id ? (interests.find((i) => i.id === r.chosen_interest_id)?.author_org_id ?? null) : null;
}

function abilitiesOf(pr: Principal | null, r: RequestRow, chosenOrgId: string | null): RequestAbilities {
  return requestAbilities(asActor(pr), { authorId: r.author_id, authorOrgId: r.author_org_id, status: r.status, chosenOrgId, coordinated: !!r.coordination_community_id });
}

/** The steps this actor may take from here. */
function nextFor(can: RequestAbilities, status: RequestStatus): RequestStatus[] {
  return NEXT[status].filter((s) => (s === 'triaged' || s === 'open' ? can.triage : s === 'in-delivery' || s === 'completed' ? can.deliver : s === 'evaluated' ? can.evaluate : false));
}

/** The country a request is about: the focal point's, else the requesting organisation's (null for an international body). */
const countryOf = (r: { country_code: string | null; org_country: string }) => r.country_code ?? (r.org_country.length === 2 ? r.org_country : null);

/** What a list shows of a request. */
function summaryView(actor: Actor, r: RequestRow, lang?: string) {
  const s = shown(actor, r, lang);
  return {
    id: r.id,
    title: s.fields.title,
    translation: s.info,
    organisation: { id: r.author_org_id!, name: r.org_name, country: r.org_country },
    country: countryOf(r),
    forCountry: r.country_code !== null,
    concepts: r.concepts,
    audiences: r.audiences as TargetAudience[],
    languages: r.languages,
    urgency: r.urgency as Urgency,
    format: r.format as OfferFormat | null,
    timeframe: { from: r.timeframe_from, to: r.timeframe_to },
    status: r.status as RequestStatus,
    tlp: r.tlp as Tlp,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function loadOne(p: Platform, actor: Actor, id: string): Promise<RequestRow> {
  const r = await requestById(p.db, viewerOf(actor), isSecretariat(actor.principal), id);
  // Not visible and not there look the same.
  if (!r) throw notFound('Request');
  return r;
}

function interestView(i: InterestRow, orgs: Map<string, { id: string; name: string; country: string }>, named: Awaited<ReturnType<typeof proposedNames>>) {
  return {
    id: i.id,
    organisation: { id: i.author_org_id!, name: i.org_name, country: i.org_country },
    partners: i.partner_org_ids.map((o) => ({ id: o, name: orgs.get(o)?.name ?? '', country: orgs.get(o)?.country ?? '' })),
    author: i.author_name ?? null,
    message: i.message,
    offerIds: i.offer_ids,
    expertIds: i.expert_ids,
    // Named only where the reader may see them.
    offers: i.offer_ids.flatMap((o) => (named.offers.has(o) ? [named.offers.get(o)!] : [])),
    experts: i.expert_ids.flatMap((x) => (named.experts.has(x) ? [named.experts.get(x)!] : [])),
    status: i.status as 'proposed' | 'chosen' | 'declined',
    createdAt: i.created_at.toISOString(),
  };
}

/** One request in full: its text in the reader's language (or `lang`), its timeline, the answers this reader may see, what they may do. */
export async function getRequest(p: Platform, actor: Actor, id: string, lang?: string) {
  if (lang) requireTag(lang, 'lang');
  const r = await loadOne(p, actor, id);
  const viewer = viewerOf(actor);
  const [steps, interests, all] = await Promise.all([stepsOf(p.db, r.id), visibleInterests(p.db, viewer, r.id).orderBy('i.created_at').execute(), answeringOrganisations(p.db, r.id)]);
  const chosen = chosenOrg(all, r);
  const can = abilitiesOf(actor.principal, r, chosen);
  const orgs = await organisationsByIds(p.db, [...r.audience_organisations, ...interests.flatMap((i) => i.partner_org_ids)]);
  const communities = await communitiesByIds(p.db, r.audience_communities);
  const named = await proposedNames(p.db, viewer, interests.flatMap((i) => i.offer_ids), interests.flatMap((i) => i.expert_ids));
  const s = shown(actor, r, lang);
  const mine = viewer.organisationId;
  const audienceShown = (!!mine && mine === r.author_org_id) || isSecretariat(actor.principal);
  return {
    ...summaryView(actor, r, lang),
    description: s.fields.description,
    wanted: s.fields.wanted,
    constraints: s.fields.constraints,
    revision: r.source_rev,
    requester: r.author_name ?? null,
    pap: r.pap as Pap,
    // Who it is shared with is the requester's and the secretariat's to see: the organisations a
    // chosen answer added would tell other providers who was chosen, which the answers' own marking keeps from them.
    audience: audienceShown
      ? { organisations: r.audience_organisations.map((o) => ({ id: o, name: orgs.get(o)?.name ?? '' })), communities: r.audience_communities.map((c) => ({ id: c, name: communities.get(c) ?? '' })) }
      : { organisations: [], communities: [] },
    audienceShown,
    evaluation: r.evaluation !== null ? { score: r.evaluation, comment: r.evaluation_comment } : null,
    // Who took a step is named to those who see the audience, and to the step-taker's own organisation: a
    // delivery step taken by the chosen provider would otherwise name it to the other providers.
    steps: steps.map((x) => {
      const named = audienceShown || (!!mine && x.by_org === mine);
      return { id: x.id, status: x.status as RequestStatus, at: x.at.toISOString(), by: named ? (x.person_name ?? null) : null, organisation: named ? (x.org_name ?? null) : null, note: x.note };
    }),
    interests: interests.map((i) => interestView(i, orgs, named)),
    chosenInterestId: interests.some((i) => i.id === r.chosen_interest_id) ? r.chosen_interest_id : null,
    // Whether the reader's organisation has answered (its own answer is among `interests`).
    answered: !!mine && all.some((i) => i.author_org_id === mine),
    coordination: r.coordination_community_id ? { communityId: r.coordination_community_id, topicId: r.coordination_topic_id, eventId: r.coordination_event_id } : null,
    can: { ...can, answer: can.answer && !(!!mine && all.some((i) => i.author_org_id === mine)) },
    next: nextFor(can, r.status as RequestStatus),
    sourceTexts: can.translate ? sourceOf(r) : null,
  };
}

/** The requests this reader may see, newest first: filters by status, concept, country, and `mine` (their organisation's). */
export async function listRequests(
  p: Platform,
  actor: Actor,
  q: { status?: string; concept?: string; country?: string; mine?: boolean; lang?: string; limit?: number; cursor?: string },
) {
  if (q.lang) requireTag(q.lang, 'lang');
  const limit = q.limit ?? 30;
  if (q.cursor && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(q.cursor))
    throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server', { field: 'cursor' });
  const pr = actor.principal;
  if (q.mine && !pr) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  const f: RequestFilters = { status: q.status, concept: q.concept, country: q.country, organisation: q.mine ? pr!.organisation.id : undefined };
  const rows = await requestPage(p.db, viewerOf(actor), isSecretariat(pr), f, { limit, before: q.cursor });
  const page = rows.slice(0, limit);
  return { items: page.map((r) => summaryView(actor, r, q.lang)), nextCursor: rows.length > limit ? page.at(-1)!.id : null };
}

/** The secretariat's to-do: how many requests wait for triage (among those it may see). */
export async function triageCount(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  if (!isSecretariat(pr)) throw forbidden('Only the secretariat triages requests');
  return { waiting: await countWaitingTriage(p.db, pr.viewer) };
}

/** What this person may ask for: the countries they are national focal point of, and their organisation (as its admin). */
export async function askingFor(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  return { countries: await focalCountriesOf(p.db, pr.person.id), organisation: hasRole(pr, 'org_admin') };
}

// ---------- writing ----------

function checkTimeframe(from: string | null | undefined, to: string | null | undefined) {
  if (from && to && from > to) throw new AppError('VALIDATION_FAILED', 'The timeframe ends before it starts', { field: 'timeframe' });
}

/** Approved organisations, named as providers or partners; anything else is refused before a row is written. */
async function checkOrganisations(p: Platform, ids: readonly string[], field: string) {
  const found = await organisationsByIds(p.db, ids);
  const bad = ids.filter((x) => found.get(x)?.status !== 'approved');
  if (bad.length) throw new AppError('INVALID_MARKING', 'Name approved member organisations', { field, unknown: bad });
}

/**
 * Who a request is shared with: the secretariat's organisation always (it triages), and either
 * the providers' community or only the providers named; the organisations of a chosen answer
 * stay in it (they deliver). Under TLP:AMBER+STRICT a community cannot be named: the named
 * providers are then the only ones.
 */
async function requestAudience(p: Platform, tlp: RequestTlp, providers: readonly string[], keep: readonly string[]): Promise<Audience> {
  if (tlp === 'CLEAR' || tlp === 'GREEN') return { organisations: [], communities: [], people: [] };
  const secretariat = await secretariatOrganisations(p.db);
  const community = providers.length || tlp === 'AMBER+STRICT' ? null : await communityBySlug(p.db, PROVIDERS_COMMUNITY_SLUG);
  return { organisations: [...new Set([...secretariat, ...providers, ...keep])], communities: community ? [community.id] : [], people: [] };
}

/**
 * Ask for help. A national focal point asks for their country (`country`), an organisation
 * admin for their organisation. The request starts submitted, AMBER by default, with its first
 * step on its timeline.
 */
export async function createRequest(p: Platform, actor: Actor, i: RequestInput) {
  const ready = await prepareRequest(p, actor, i);
  await change(p, (c) => writeRequest(c, ready));
  return getRequest(p, actor, ready.id);
}

/** A request checked and ready to write (nothing written yet): for `writeRequest` in the caller's change. */
export type PreparedRequest = Awaited<ReturnType<typeof prepareRequest>>;

/**
 * Check a new request as `createRequest` does, without writing: a feature that creates a request
 * as part of its own change (a crisis room's request for assistance) writes it with
 * `writeRequest` in the same transaction, so the two stand or fall together.
 */
export async function prepareRequest(p: Platform, actor: Actor, i: RequestInput) {
  const pr = requireVetted(actor);
  if (i.country) {
    const focal = await focalCountriesOf(p.db, pr.person.id);
    if (!focal.includes(i.country)) throw forbidden('Only a national focal point of this country asks for it');
  } else if (!hasRole(pr, 'org_admin')) throw forbidden('An organisation admin asks for their organisation; a national focal point for their country');
  if (i.country && !(await isState(p.db, i.country))) throw new AppError('VALIDATION_FAILED', 'Not a member country', { field: 'country' });
  const language = requireTag(i.language);
  const languages = [...new Set((i.languages ?? []).map((l) => requireTag(l, 'languages').split('-')[0]!.toLowerCase()))];
  checkTimeframe(i.timeframe?.from, i.timeframe?.to);
  const concepts = await requireConcepts(p.db, i.concepts);
  const providers = [...new Set(i.providers ?? [])].filter((o) => o !== pr.organisation.id);
  await checkOrganisations(p, providers, 'providers');
  const tlp = i.tlp ?? 'AMBER';
  if ((tlp === 'CLEAR' || tlp === 'GREEN') && providers.length) throw new AppError('INVALID_MARKING', `TLP:${tlp} reaches everyone it can: name providers under AMBER`, { field: 'providers' });
  if (tlp === 'AMBER+STRICT' && !providers.length) throw new AppError('INVALID_MARKING', 'Under TLP:AMBER+STRICT name the providers it is shared with', { field: 'providers' });
  const texts: Texts = { title: clean(i.title).trim(), description: clean(i.description), wanted: clean(i.wanted), constraints: clean(i.constraints) };
  if (!texts.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const audience = await requestAudience(p, tlp, providers, []);
  const id = newId();
  const marking: Marking = { tlp, authorId: pr.person.id, authorOrgId: pr.organisation.id, audience };
  return { id, i, pr, actor, texts, language, concepts, languages, tlp, audience, providers, marking };
}

/** Write a prepared request, its first step, audit entry and event, in the caller's change. */
export async function writeRequest(c: Change, { id, i, pr, actor, texts, language, concepts, languages, tlp, audience, providers, marking }: PreparedRequest) {
  await insertRequest(c.trx, {
    id,
    country_code: i.country ?? null,
    ...texts,
    language,
    concepts,
    audiences: [...new Set(i.audiences ?? [])],
    languages,
    urgency: i.urgency ?? 'normal',
    format: i.format ?? null,
    timeframe_from: i.timeframe?.from ?? null,
    timeframe_to: i.timeframe?.to ?? null,
    tlp,
    pap: i.pap ?? 'AMBER',
    author_id: pr.person.id,
    author_org_id: pr.organisation.id,
    ...audienceColumns(audience),
  });
  await insertStep(c.trx, { id: newId(), requestId: id, status: 'submitted', byPerson: pr.person.id, byOrg: pr.organisation.id });
  // Identifiers only: the audit log never carries a request's content.
  await c.audit({ action: 'request.submitted', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'request', targetId: id, details: { tlp, country: i.country ?? null, providers: providers.length } });
  await c.event({ type: 'request.submitted', subjectType: 'request', subjectId: id, payload: { title: texts.title, status: 'submitted' }, marking: await eventMarking(c, marking, 'submitted'), pap: i.pap ?? 'AMBER' });
  return id;
}

/**
 * Who may hear of a step on the stream: the request's own marking once it is open to providers;
 * before that (the workflow), only its author and the members of the secretariat it allows.
 */
async function eventMarking(c: Change, m: Marking, status: string): Promise<Marking> {
  if (!(BEFORE_OPEN as readonly string[]).includes(status)) return m;
  const people: string[] = [];
  for (const id of await secretariatPeople(c.trx)) {
    const parts = await loadPrincipalParts(c.trx, id);
    if (parts?.viewer.vetted && canSee(parts.viewer, m)) people.push(id);
  }
  return { tlp: 'RED', authorId: m.authorId, authorOrgId: m.authorOrgId, audience: { organisations: [], communities: [], people } };
}

/** Mail to the request's author, only if they may (still) read it under its marking. */
async function mailAuthor(c: Change, r: { author_id: string | null }, marking: Marking, build: (lang: 'en' | 'es' | 'pt' | 'fr', name: string) => Omit<OutgoingMail, 'to' | 'content'>) {
  if (!r.author_id) return;
  const parts = await loadPrincipalParts(c.trx, r.author_id);
  if (!parts || !parts.viewer.vetted || !canSee(parts.viewer, marking)) return;
  const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
  await c.mail({ to: parts.person.email, ...build(lang, parts.person.name), content: { marking } });
}

const link = (p: Platform, id: string) => `${p.config.baseUrl.replace(/\/$/, '')}/requests/${id}`;

/**
 * Take a step: triaged and open (the secretariat), in delivery and completed (the requester or
 * the chosen provider), evaluated (the requester, with a rating of 1 to 5). Matching is done by
 * choosing an expression of interest. A step that does not follow from the current status is a
 * 409 REQUEST_INVALID_TRANSITION; one the actor may not take, 403.
 */
export async function moveRequest(p: Platform, actor: Actor, id: string, b: { status: RequestStatus; note?: string; evaluation?: number; comment?: string }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const from = r.status as RequestStatus;
  const allowed = NEXT[from];
  if (!allowed.includes(b.status) || b.status === 'matched')
    throw new AppError('REQUEST_INVALID_TRANSITION', b.status === 'matched' && from === 'open' ? 'A request is matched by choosing an expression of interest' : `A request goes from ${from} to ${allowed.join(' or ') || 'nowhere'}`, { from, to: b.status, allowed });
  const all = await answeringOrganisations(p.db, r.id);
  const can = abilitiesOf(pr, r, chosenOrg(all, r));
  if (!nextFor(can, from).includes(b.status)) throw forbidden(b.status === 'triaged' || b.status === 'open' ? 'Only the secretariat triages and opens requests' : b.status === 'evaluated' ? 'The requester evaluates the request' : 'The requester or the chosen provider say how delivery goes');
  if (b.status === 'evaluated' && (b.evaluation === undefined || !Number.isInteger(b.evaluation) || b.evaluation < 1 || b.evaluation > 5))
    throw new AppError('VALIDATION_FAILED', 'Rate the assistance from 1 to 5', { field: 'evaluation' });
  const note = clean(b.note).trim().slice(0, LIMITS.note);
  const marking = markingOf(r);
  await change(p, async (c) => {
    const moved = await moveStatus(c.trx, r.id, from, { status: b.status, ...(b.status === 'evaluated' ? { evaluation: b.evaluation!, evaluation_comment: clean(b.comment).slice(0, 5000) } : {}) });
    if (!moved) throw new AppError('REQUEST_INVALID_TRANSITION', 'The request moved meanwhile: reload it', { from, to: b.status, allowed });
    await insertStep(c.trx, { id: newId(), requestId: r.id, status: b.status, byPerson: pr.person.id, byOrg: pr.organisation.id, note });
    await c.audit({ action: 'request.status_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'request', targetId: r.id, details: { from, to: b.status } });
    await c.event({ type: 'request.status_changed', subjectType: 'request', subjectId: r.id, payload: { title: r.title, status: b.status }, marking: await eventMarking(c, marking, b.status), pap: r.pap });
    if (b.status === 'triaged' || b.status === 'open')
      await mailAuthor(c, r, marking, (lang, name) => ({
        ...renderMail(lang, 'request_triaged', { name, request: r.title, status: t(lang, `mail.request.status.${b.status}`), note: note ? t(lang, 'mail.request.note', { note }) : '', link: link(p, r.id) }),
        purpose: 'request_triaged',
      }));
  });
  return getRequest(p, actor, r.id);
}

/**
 * Name who a request is shared with: `providers` empty shares it with the providers' community
 * again, otherwise with those organisations only. The secretariat's organisation stays, and so
 * do the organisations of a chosen answer.
 */
export async function setRequestAudience(p: Platform, actor: Actor, id: string, b: { providers: string[] }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const all = await answeringOrganisations(p.db, r.id);
  if (!abilitiesOf(pr, r, chosenOrg(all, r)).own) throw forbidden('The requester names who a request is shared with');
  const tlp = r.tlp as RequestTlp;
  if (tlp === 'CLEAR' || tlp === 'GREEN') throw new AppError('INVALID_MARKING', `TLP:${tlp} reaches everyone it can: there is no one to name`, { field: 'providers' });
  const providers = [...new Set(b.providers)].filter((o) => o !== r.author_org_id);
  if (tlp === 'AMBER+STRICT' && !providers.length) throw new AppError('INVALID_MARKING', 'Under TLP:AMBER+STRICT name the providers it is shared with', { field: 'providers' });
  await checkOrganisations(p, providers, 'providers');
  const chosen = all.find((x) => x.id === r.chosen_interest_id);
  const audience = await requestAudience(p, tlp, providers, chosen ? [chosen.author_org_id!, ...chosen.partner_org_ids] : []);
  await change(p, async (c) => {
    await c.trx.updateTable('assistance_requests').set({ ...audienceColumns(audience), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({
      action: 'request.audience_changed',
      ...auditActor(actor),
      organisationId: r.author_org_id,
      targetType: 'request',
      targetId: r.id,
      details: { from: { organisations: r.audience_organisations, communities: r.audience_communities }, to: { organisations: audience.organisations, communities: audience.communities } },
    });
  });
  return getRequest(p, actor, r.id);
}

/**
 * An organisation answers an open request it may see, alone or with partners, proposing offers
 * and experts. The answer is read by the requester, the secretariat's organisation and the
 * answering and partner organisations only (AMBER+STRICT), and the requester hears of it.
 */
export async function expressInterest(p: Platform, actor: Actor, id: string, b: { message: string; partners?: string[]; offers?: string[]; experts?: string[] }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const all = await answeringOrganisations(p.db, r.id);
  const can = abilitiesOf(pr, r, chosenOrg(all, r));
  if (!can.answer) {
    if (r.status !== 'open') throw invalidState('Only an open request is answered');
    throw forbidden(r.author_org_id === pr.organisation.id ? 'An organisation does not answer its own request' : 'An organisation admin answers for their organisation');
  }
  if (all.some((x) => x.author_org_id === pr.organisation.id)) throw new AppError('ALREADY_EXISTS', 'Your organisation has answered this request already');
  const message = clean(b.message).trim();
  if (!message) throw new AppError('VALIDATION_FAILED', 'Say what you propose', { field: 'message' });
  const partners = [...new Set(b.partners ?? [])].filter((o) => o !== pr.organisation.id && o !== r.author_org_id);
  await checkOrganisations(p, partners, 'partners');
  const secretariat = await secretariatOrganisations(p.db);
  const audience: Audience = { organisations: [...new Set([r.author_org_id!, ...secretariat, ...partners])].filter((o) => o !== pr.organisation.id), communities: [], people: [] };
  const marking: Marking = { tlp: 'AMBER+STRICT', authorId: pr.person.id, authorOrgId: pr.organisation.id, audience };
  const interestId = newId();
  const orgs = await organisationsByIds(p.db, partners);
  await change(p, async (c) => {
    await c.trx
      .insertInto('request_interests')
      .values({
        id: interestId,
        request_id: r.id,
        message,
        partner_org_ids: partners,
        offer_ids: [...new Set(b.offers ?? [])],
        expert_ids: [...new Set(b.experts ?? [])],
        tlp: 'AMBER+STRICT',
        pap: 'AMBER',
        author_id: pr.person.id,
        author_org_id: pr.organisation.id,
        ...audienceColumns(audience),
      })
      .onConflict((oc) => oc.columns(['request_id', 'author_org_id']).doNothing())
      .execute();
    await c.audit({ action: 'request.interest_expressed', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'request', targetId: r.id, details: { interest: interestId, partners } });
    // The answer's own marking: no other provider hears of it; the request's marking now also decides (event-subjects.ts).
    await c.event({ type: 'request.interest_received', subjectType: 'request', subjectId: r.id, payload: { title: r.title, interestId, organisation: pr.organisation.name }, marking, pap: 'AMBER' });
    // The mail carries the answer: its marking (the requester is of its audience) decides who reads it in the outbox.
    await mailAuthor(c, r, marking, (lang, name) => ({
      ...renderMail(lang, 'request_interest_received', { name, request: r.title, organisation: pr.organisation.name, partners: partnersText(lang, partners, orgs), link: link(p, r.id) }),
      purpose: 'request_interest_received',
    }));
  });
  return getRequest(p, actor, r.id);
}

const partnersText = (lang: 'en' | 'es' | 'pt' | 'fr', ids: readonly string[], orgs: Map<string, { name: string }>) =>
  ids.length ? t(lang, 'mail.request.partners', { names: ids.map((o) => orgs.get(o)?.name ?? '').join(', ') }) : '';

/**
 * The requester chooses an answer: the request is matched, the other answers declined, and the
 * chosen organisation and its partners join the request's audience (they deliver it).
 */
export async function chooseInterest(p: Platform, actor: Actor, id: string, interestId: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const viewer = viewerOf(actor);
  const chosen = await visibleInterests(p.db, viewer, r.id).where('i.id', '=', interestId).executeTakeFirst();
  if (!chosen) throw notFound('Expression of interest');
  const all = await answeringOrganisations(p.db, r.id);
  if (!abilitiesOf(pr, r, chosenOrg(all, r)).own) throw forbidden('The requester chooses an expression of interest');
  if (r.status !== 'open') throw new AppError('REQUEST_INVALID_TRANSITION', `A request goes from ${r.status} to ${NEXT[r.status as RequestStatus].join(' or ') || 'nowhere'}`, { from: r.status, to: 'matched', allowed: NEXT[r.status as RequestStatus] });
  const keep = [chosen.author_org_id!, ...chosen.partner_org_ids];
  const audienceOrgs = r.tlp === 'CLEAR' || r.tlp === 'GREEN' ? r.audience_organisations : [...new Set([...r.audience_organisations, ...keep])];
  const after: Marking = { ...markingOf(r), audience: { ...markingOf(r).audience, organisations: audienceOrgs } };
  const orgs = await organisationsByIds(p.db, chosen.partner_org_ids);
  await change(p, async (c) => {
    const moved = await moveStatus(c.trx, r.id, 'open', { status: 'matched', chosen_interest_id: chosen.id, audience_organisations: audienceOrgs });
    if (!moved) throw new AppError('REQUEST_INVALID_TRANSITION', 'The request moved meanwhile: reload it', { from: 'open', to: 'matched', allowed: ['matched'] });
    await c.trx.updateTable('request_interests').set({ status: 'chosen' }).where('id', '=', chosen.id).execute();
    await c.trx.updateTable('request_interests').set({ status: 'declined' }).where('request_id', '=', r.id).where('id', '<>', chosen.id).execute();
    await insertStep(c.trx, { id: newId(), requestId: r.id, status: 'matched', byPerson: pr.person.id, byOrg: pr.organisation.id, note: '' });
    await c.audit({ action: 'request.interest_chosen', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'request', targetId: r.id, details: { interest: chosen.id, organisation: chosen.author_org_id, partners: chosen.partner_org_ids } });
    await c.event({ type: 'request.status_changed', subjectType: 'request', subjectId: r.id, payload: { title: r.title, status: 'matched' }, marking: after, pap: r.pap });
    const interestMarking = markingOf(chosen);
    await mailAuthor(c, r, interestMarking, (lang, name) => ({
      ...renderMail(lang, 'request_matched', { name, request: r.title, organisation: chosen.org_name, partners: partnersText(lang, chosen.partner_org_ids, orgs), link: link(p, r.id) }),
      purpose: 'request_matched',
    }));
    // The answer's author hears they were chosen, if they may read the request as it is now.
    if (chosen.author_id && chosen.author_id !== r.author_id) {
      const parts = await loadPrincipalParts(c.trx, chosen.author_id);
      if (parts?.viewer.vetted && canSee(parts.viewer, after) && canSee(parts.viewer, interestMarking)) {
        const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
        await c.mail({
          to: parts.person.email,
          ...renderMail(lang, 'request_interest_chosen', { name: parts.person.name, requester: r.org_name, organisation: chosen.org_name, request: r.title, link: link(p, r.id) }),
          purpose: 'request_interest_chosen',
          content: { marking: interestMarking },
        });
      }
    }
  });
  return getRequest(p, actor, r.id);
}

// ---------- translations ----------

export async function translateRequest(p: Platform, actor: Actor, id: string, lang: string, f: Partial<Texts> & { title: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r, null).translate) throw forbidden('Only the requester, their organisation admins and its translators translate a request');
  const fields: Texts = { title: clean(f.title).trim(), description: clean(f.description), wanted: clean(f.wanted), constraints: clean(f.constraints) };
  if (!fields.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const translations = withTranslation<TextField>(r.translations, r, lang, fields, { by: pr.person.id, machine: f.machine, basedOn: f.basedOn });
  await change(p, async (c) => {
    await c.trx.updateTable('assistance_requests').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'request.translated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'request', targetId: r.id, details: { language: requireTag(lang), machine: !!f.machine } });
  });
  return getRequest(p, actor, r.id, lang);
}

export async function removeRequestTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r, null).translate) throw forbidden('Only the requester, their organisation admins and its translators translate a request');
  const translations = withoutTranslation<TextField>(r.translations, requireTag(lang));
  await change(p, async (c) => {
    await c.trx.updateTable('assistance_requests').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'request.translation_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'request', targetId: r.id, details: { language: lang } });
  });
  return getRequest(p, actor, r.id);
}

export interface TranslatableRequest {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Texts;
}
const asTranslatable = (r: RequestRow): TranslatableRequest => ({ id: r.id, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) });

/** The requests of this person's organisation they may translate (for the translation queue). */
export async function translatableRequests(p: Platform, pr: Principal): Promise<TranslatableRequest[]> {
  const rows = await requestPage(p.db, pr.viewer, isSecretariat(pr), { organisation: pr.organisation.id }, { limit: 500 });
  return rows.filter((r) => abilitiesOf(pr, r, null).translate).map(asTranslatable);
}

export async function loadTranslatableRequest(p: Platform, actor: Actor, id: string): Promise<TranslatableRequest> {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r, null).translate) throw forbidden('Only the requester, their organisation admins and its translators translate a request');
  return asTranslatable(r);
}

/** The requests carrying a concept, for the concept's page (Feature.tagged). */
export async function requestsTagged(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const rows = await taggedRequests(p.db, viewerOf(actor), isSecretariat(actor.principal), tag, limit);
  return rows.map((r) => {
    const s = shown(actor, r);
    return { kind: 'request', id: r.id, title: s.fields.title, lang: s.info.shown, path: `/requests/${r.id}`, tlp: r.tlp, date: r.created_at.toISOString().slice(0, 10) };
  });
}

/** Requests by id as lists show them, only those the reader may see, in the order given. */
export async function requestSummaries(p: Platform, actor: Actor, ids: readonly string[]) {
  const rows = await requestsByIds(p.db, viewerOf(actor), isSecretariat(actor.principal), ids);
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (by.has(id) ? [summaryView(actor, by.get(id)!)] : []));
}

export { loadOne as loadVisibleRequest, isSecretariat, viewerOf, countryOf };

// ---------- coordination ----------

/**
 * The secretariat convenes a coordination meeting: a members-only community of the requesting
 * organisation, the organisations that answered (and their partners) and the secretariat's own,
 * with a first discussion topic (TLP:AMBER, the community only) — the "Friends of" meeting of the
 * Clearing House, in the open only to those it concerns. The community's name says nothing of the
 * request: community names are listed to every member. With a date, the meeting is also an event
 * (features/events) marked AMBER to that community, published at once: it reaches its members'
 * calendars and takes registrations like any event.
 */
export async function conveneCoordination(
  p: Platform,
  actor: Actor,
  id: string,
  b: { title: string; message: string; language?: string; meeting?: { startsAt: string; endsAt: string; timeZone: string; online?: boolean; place?: string } },
) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const all = await answeringOrganisations(p.db, r.id);
  const can = abilitiesOf(pr, r, chosenOrg(all, r));
  if (!isSecretariat(pr)) throw forbidden('The secretariat convenes coordination meetings');
  if (r.coordination_community_id) throw new AppError('ALREADY_EXISTS', 'A coordination meeting was convened for this request already');
  if (!can.convene) throw invalidState('A coordination meeting is convened for an open, matched or delivering request');
  const title = clean(b.title).trim();
  const message = clean(b.message).trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  if (!message) throw new AppError('VALIDATION_FAILED', 'Say what the meeting is for', { field: 'message' });
  const language = b.language ? requireTag(b.language) : undefined;
  // The meeting's times are checked before anything is written.
  if (b.meeting) {
    if (!isTimeZone(b.meeting.timeZone)) throw new AppError('INVALID_TIME_ZONE', `"${b.meeting.timeZone}" is not an IANA time zone`, { field: 'meeting.timeZone' });
    if (!(Date.parse(b.meeting.endsAt) > Date.parse(b.meeting.startsAt))) throw new AppError('VALIDATION_FAILED', 'The meeting must end after it starts', { field: 'meeting.endsAt' });
  }
  const members = [...new Set([r.author_org_id!, ...all.flatMap((x) => [x.author_org_id!, ...x.partner_org_ids]), pr.organisation.id])];
  const approved = await organisationsByIds(p.db, members);
  const slug = `request-${r.id.replace(/-/g, '').slice(-16)}`;
  // A convening that failed halfway left its community: take it up again rather than make a second.
  const community = (await communityBySlugAny(p, slug)) ?? (await createCommunity(p, actor, { slug, name: `Coordination ${slug.slice(-8)}`, visibility: 'members', ...(language ? { language } : {}) }, 'approved'));
  for (const o of members) if (approved.get(o)?.status === 'approved') await addOrganisation(p, actor, community, o);
  // Posting needs the membership just given.
  const parts = await loadPrincipalParts(p.db, pr.person.id);
  const member: Actor = { ...actor, principal: { ...pr, ...(parts ?? {}) } };
  const topic = await createTopic(p, member, community, { title, body: message, tlp: 'AMBER', ...(language ? { language } : {}) });
  let eventId: string | null = null;
  if (b.meeting) {
    const m = b.meeting;
    const draft = await createEvent(p, member, {
      kind: 'other',
      language: language ?? r.language,
      title,
      description: message,
      startsAt: m.startsAt,
      endsAt: m.endsAt,
      timeZone: m.timeZone,
      online: m.online ?? true,
      place: m.place ?? '',
      registrationOpen: true,
      tlp: 'AMBER',
      audience: { communities: [community] },
    });
    eventId = (await updateEvent(p, member, draft.id, { status: 'published' })).id;
  }
  await change(p, async (c) => {
    await c.trx
      .updateTable('assistance_requests')
      .set({ coordination_community_id: community, coordination_topic_id: topic.id, coordination_event_id: eventId, updated_at: new Date() })
      .where('id', '=', r.id)
      .execute();
    await c.audit({ action: 'request.coordination_convened', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'request', targetId: r.id, details: { community, topic: topic.id, event: eventId, organisations: members.length } });
  });
  return getRequest(p, actor, r.id);
}

async function communityBySlugAny(p: Platform, slug: string) {
  return (await communityBySlug(p.db, slug))?.id ?? null;
}
