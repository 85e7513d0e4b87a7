import { OFFER_FORMATS, OFFER_TYPES, PARTNER_ROLES, TARGET_AUDIENCES, type OfferFormat, type OfferType, type PartnerRole, type TargetAudience } from '#shared/capacity';
import { asActor, offerAbilities } from '../../platform/access/abilities.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, markingOf, normaliseAudience, type Audience, type Pap, type Tlp } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { requireVetted, type Principal } from '../../platform/auth/principal.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { slugOf, slugWords } from '../../platform/slug.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { requireTag, sameLanguage, showFor, translationsOf, withoutTranslation, withTranslation, type TranslationInfo } from '../../platform/translations.js';
import {
  offerPage,
  partnersOf,
  sessionsOf,
  taggedOffers,
  typeCounts,
  visibleOffer,
  visibleOffers,
  type OfferFilters,
  type OfferRow,
  type PartnerRow,
  type SessionRow,
} from './repository.js';
import { instantOf, requireZone, wallTime } from './zones.js';
import { sessionChanging, sessionRemoving } from '../applications/service.js';
import { sessionStaffRemoving } from '../staffing/repository.js';
import { staffBySession } from '../staffing/views.js';

/** The fields every language version of an offer holds. */
export const TEXT_FIELDS = ['title', 'summary', 'description', 'eligibility', 'cost', 'funding', 'howToApply', 'selectionCriteria'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type Texts = Record<TextField, string>;

/** Limits, documented in docs/offers.md; the migration's CHECKs hold the same. */
export const LIMITS = {
  title: 300,
  summary: 3000,
  description: 50_000,
  eligibility: 10_000,
  cost: 3000,
  funding: 3000,
  howToApply: 10_000,
  selectionCriteria: 10_000,
  languages: 20,
  countries: 60,
  partners: 20,
  sessions: 100,
  seats: 100_000,
  place: 300,
};

export const OFFER_STATUSES = ['draft', 'published', 'closed'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
/** IATI CollaborationType codes an offer may carry (8: bilateral, triangular co-operation). */
export const COLLABORATION_TYPES = ['1', '2', '3', '4', '6', '7', '8'] as const;
export const TRIANGULAR = '8';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

const COLUMNS: Record<TextField, 'title' | 'summary' | 'description' | 'eligibility' | 'cost' | 'funding' | 'how_to_apply' | 'selection_criteria'> = {
  title: 'title',
  summary: 'summary',
  description: 'description',
  eligibility: 'eligibility',
  cost: 'cost',
  funding: 'funding',
  howToApply: 'how_to_apply',
  selectionCriteria: 'selection_criteria',
};

export interface PartnerInput {
  organisationId?: string | null;
  name?: string;
  iatiRef?: string | null;
  iatiType?: string | null;
  role: PartnerRole;
}

export interface SessionInput {
  /** A wall time in `timeZone` ("2026-06-22T09:00"), or an instant with Z or an offset. */
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place?: string;
  country?: string | null;
  online?: boolean;
  seats: number;
  applicationDeadline?: string | null;
}

export interface OfferInput extends Partial<Texts> {
  type: OfferType;
  language: string;
  title: string;
  concepts?: string[];
  audiences?: TargetAudience[];
  languages?: string[];
  format: OfferFormat;
  countries?: string[];
  requiresEndorsement?: boolean;
  collaborationType?: string | null;
  aidType?: string | null;
  flowType?: string | null;
  providerRef?: string | null;
  partners?: PartnerInput[];
  sessions?: SessionInput[];
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

// ---------- reading ----------

function sourceOf(r: OfferRow): Texts {
  return {
    title: r.title,
    summary: r.summary,
    description: r.description,
    eligibility: r.eligibility,
    cost: r.cost,
    funding: r.funding,
    howToApply: r.how_to_apply,
    selectionCriteria: r.selection_criteria,
  };
}

function shown(actor: Actor, r: OfferRow, lang?: string): { fields: Texts; info: TranslationInfo } {
  return showFor<TextField>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) }, actor.readerLanguages, lang);
}

function abilitiesOf(pr: Principal | null, r: { author_id: string | null; author_org_id: string | null; status: string }) {
  return offerAbilities(asActor(pr), { authorId: r.author_id, authorOrgId: r.author_org_id, status: r.status });
}

export function sessionView(s: SessionRow) {
  return {
    id: s.id,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    timeZone: s.time_zone,
    localStart: wallTime(s.starts_at, s.time_zone),
    localEnd: wallTime(s.ends_at, s.time_zone),
    place: s.place,
    country: s.country,
    online: s.online,
    seats: s.seats,
    confirmed: s.confirmed,
    freeSeats: Math.max(0, s.seats - s.confirmed),
    applicationDeadline: s.application_deadline ? s.application_deadline.toISOString() : null,
  };
}
export type SessionView = ReturnType<typeof sessionView>;

function partnerView(x: PartnerRow) {
  return {
    id: x.id,
    organisation: x.organisation_id ? { id: x.organisation_id, name: x.org_name ?? '', country: x.org_country ?? '' } : null,
    name: x.organisation_id ? (x.org_name ?? '') : x.name,
    iatiRef: x.iati_ref,
    iatiType: x.iati_type,
    role: x.role as PartnerRole,
  };
}
export type PartnerView = ReturnType<typeof partnerView>;

/** The first session not yet over, the one a reader can still go to. */
const nextOf = (sessions: SessionView[], now = Date.now()) => sessions.find((s) => Date.parse(s.endsAt) > now) ?? null;

/** What a list shows of an offer. */
function summaryView(actor: Actor, r: OfferRow, sessions: SessionView[], partners: PartnerView[], lang?: string) {
  const s = shown(actor, r, lang);
  return {
    id: r.id,
    slug: r.slug,
    type: r.type as OfferType,
    title: s.fields.title,
    summary: s.fields.summary,
    translation: s.info,
    provider: { id: r.author_org_id!, name: r.org_name, country: r.org_country },
    partners,
    triangular: r.collaboration_type === TRIANGULAR,
    format: r.format as OfferFormat,
    languages: r.languages,
    audiences: r.audiences as TargetAudience[],
    concepts: r.concepts,
    countries: r.countries,
    requiresEndorsement: r.requires_endorsement,
    nextSession: nextOf(sessions),
    sessionCount: sessions.length,
    status: r.status as OfferStatus,
    tlp: r.tlp as Tlp,
    updatedAt: r.updated_at.toISOString(),
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    can: abilitiesOf(actor.principal, r),
  };
}

async function detailsOf(p: Platform, rows: OfferRow[]) {
  const ids = rows.map((r) => r.id);
  const [sessions, partners] = await Promise.all([sessionsOf(p.db, ids), partnersOf(p.db, ids)]);
  const s = new Map<string, SessionView[]>();
  for (const x of sessions) s.set(x.offer_id, [...(s.get(x.offer_id) ?? []), sessionView(x)]);
  const q = new Map<string, PartnerView[]>();
  for (const x of partners) q.set(x.offer_id, [...(q.get(x.offer_id) ?? []), partnerView(x)]);
  return { sessions: (id: string) => s.get(id) ?? [], partners: (id: string) => q.get(id) ?? [] };
}

async function loadOne(p: Platform, actor: Actor, id: string): Promise<OfferRow> {
  const r = await visibleOffer(p.db, viewerOf(actor), UUID.test(id) ? id.toLowerCase() : id, UUID.test(id));
  // Not visible and not there look the same.
  if (!r) throw notFound('Offer');
  return r;
}

export interface ListQuery {
  q?: string;
  lang?: string;
  type?: string;
  concept?: string;
  language?: string;
  format?: string;
  country?: string;
  from?: string;
  to?: string;
  status?: OfferStatus | 'open';
  organisation?: string;
  limit?: number;
  cursor?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day or a moment; a day as `to` means up to the end of that day. */
function windowEdge(v: string | undefined, field: 'from' | 'to'): Date | undefined {
  if (!v) return undefined;
  const day = DATE.test(v);
  const d = new Date(day ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime()) || (day && d.toISOString().slice(0, 10) !== v)) throw new AppError('VALIDATION_FAILED', `"${v}" is not a date (2026-06-22) or a date and time`, { field });
  return day && field === 'to' ? new Date(d.getTime() + 86_400_000) : d;
}

/** The catalogue's filters as the repository takes them, checked: the same for the list and the IATI export. */
export function filtersOf(q: ListQuery): OfferFilters {
  const from = windowEdge(q.from, 'from');
  const to = windowEdge(q.to, 'to');
  if (from && to && to <= from) throw new AppError('VALIDATION_FAILED', 'The end of the window comes before its start', { field: 'to' });
  if (q.language) requireTag(q.language, 'language');
  return {
    q: q.q?.trim() || undefined,
    type: q.type,
    concept: q.concept,
    language: q.language,
    format: q.format,
    country: q.country?.toUpperCase(),
    from,
    to,
    status: q.status,
    organisation: q.organisation,
  };
}

/**
 * The catalogue as the reader may see it: filters by words in any language version, type,
 * concept, language, format, country and dates (sessions overlapping the window), counts per
 * type — all over the visible offers only. Published offers unless `status` says otherwise.
 */
export async function listOffers(p: Platform, actor: Actor, q: ListQuery) {
  const limit = q.limit ?? 30;
  if (q.lang) requireTag(q.lang, 'lang');
  let before: string | undefined;
  if (q.cursor) {
    const m = /^b([0-9a-f-]{36})$/.exec(q.cursor);
    if (!m) throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server', { field: 'cursor' });
    before = m[1];
  }
  const f = filtersOf(q);
  const viewer = viewerOf(actor);
  const [rows, byType] = await Promise.all([offerPage(p.db, viewer, f, { limit, before }), typeCounts(p.db, viewer, f)]);
  const page = rows.slice(0, limit);
  const d = await detailsOf(p, page);
  const last = page.at(-1);
  return {
    items: page.map((r) => summaryView(actor, r, d.sessions(r.id), d.partners(r.id), q.lang)),
    counts: { byType },
    nextCursor: rows.length > limit && last ? `b${last.id}` : null,
  };
}

/** Every offer the reader may see under the filters (the IATI export pages through them all). */
export async function allOffers(p: Platform, actor: Actor, f: OfferFilters, max: number) {
  const out: OfferRow[] = [];
  let before: string | undefined;
  for (;;) {
    const rows = await offerPage(p.db, viewerOf(actor), f, { limit: 500, before });
    out.push(...rows.slice(0, 500));
    if (rows.length <= 500 || out.length >= max) break;
    before = rows[499]!.id;
  }
  const page = out.slice(0, max);
  return { rows: page, details: await detailsOf(p, page) };
}

/** One offer in full, in the reader's language (or `lang`). */
export async function getOffer(p: Platform, actor: Actor, id: string, lang?: string) {
  if (lang) requireTag(lang, 'lang');
  const r = await loadOne(p, actor, id);
  return fullView(p, actor, r, lang);
}

async function fullView(p: Platform, actor: Actor, r: OfferRow, lang?: string) {
  const [d, staff] = await Promise.all([detailsOf(p, [r]), staffBySession(p, actor, [r.id])]);
  const s = shown(actor, r, lang);
  const sessions = d.sessions(r.id);
  const can = abilitiesOf(actor.principal, r);
  return {
    ...summaryView(actor, r, sessions, d.partners(r.id), lang),
    ...s.fields,
    // Under the offer's title (h1) and a section heading (h2): the text's `#` is an h3.
    descriptionHtml: renderMarkdown(s.fields.description, { topHeading: 3 }),
    language: r.language,
    revision: r.source_rev,
    sessions: sessions.map((x) => ({ ...x, staff: staff.get(x.id) ?? [] })),
    collaborationType: r.collaboration_type,
    aidType: r.aid_type,
    flowType: r.flow_type,
    providerRef: r.provider_ref,
    pap: r.pap as Pap,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    sourceTexts: can.translate ? sourceOf(r) : null,
  };
}
export type OfferView = Awaited<ReturnType<typeof fullView>>;

// ---------- writing ----------

const clean = (s: string | undefined | null) => (s ?? '').replace(/\u0000/g, '');

function textsOf(i: Partial<Texts>, before?: Texts): Texts {
  const out = {} as Texts;
  for (const f of TEXT_FIELDS) {
    const v = i[f] !== undefined ? clean(i[f]) : (before?.[f] ?? '');
    if (v.length > LIMITS[f]) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS[f]} characters`, { field: f });
    out[f] = f === 'title' ? v.trim() : v;
  }
  if (!out.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  return out;
}

function checkCodes(i: Partial<OfferInput>) {
  if (i.type && !(OFFER_TYPES as readonly string[]).includes(i.type)) throw new AppError('VALIDATION_FAILED', `"${i.type}" is not a type of offer`, { field: 'type' });
  if (i.format && !(OFFER_FORMATS as readonly string[]).includes(i.format)) throw new AppError('VALIDATION_FAILED', `"${i.format}" is not a format`, { field: 'format' });
  for (const a of i.audiences ?? []) if (!(TARGET_AUDIENCES as readonly string[]).includes(a)) throw new AppError('VALIDATION_FAILED', `"${a}" is not a target audience`, { field: 'audiences' });
  if (i.collaborationType && !(COLLABORATION_TYPES as readonly string[]).includes(i.collaborationType))
    throw new AppError('VALIDATION_FAILED', `"${i.collaborationType}" is not an IATI collaboration type (${COLLABORATION_TYPES.join(', ')})`, { field: 'collaborationType' });
  if (i.aidType && !/^[A-H][0-9]{2}$/.test(i.aidType)) throw new AppError('VALIDATION_FAILED', 'An IATI aid type such as D02', { field: 'aidType' });
  if (i.flowType && !/^[0-9]{2}$/.test(i.flowType)) throw new AppError('VALIDATION_FAILED', 'An IATI flow type such as 10', { field: 'flowType' });
  if (i.languages && i.languages.length > LIMITS.languages) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.languages} languages`, { field: 'languages' });
}

/** The languages it is given in, canonical and once each. */
const spokenLanguages = (tags: readonly string[]) => [...new Set(tags.map((t) => requireTag(t, 'languages')))];

async function checkCountries(p: Platform, codes: readonly string[], field: string) {
  if (codes.length > LIMITS.countries) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.countries} countries`, { field });
  if (!codes.length) return;
  const known = new Set((await p.db.selectFrom('countries').select('code').where('kind', '=', 'state').execute()).map((c) => c.code));
  const bad = codes.filter((c) => !known.has(c));
  if (bad.length) throw new AppError('VALIDATION_FAILED', `Not a member country: ${bad.join(', ')}`, { field, unknown: bad });
}

/** Partners as they are stored: member organisations that exist, outside ones with a name; one row per organisation and role. */
async function checkPartners(p: Platform, partners: readonly PartnerInput[]) {
  if (partners.length > LIMITS.partners) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.partners} partners`, { field: 'partners' });
  const orgIds = [...new Set(partners.flatMap((x) => (x.organisationId ? [x.organisationId] : [])))];
  const found = orgIds.length ? new Set((await p.db.selectFrom('organisations').select('id').where('id', 'in', orgIds).where('status', '=', 'approved').execute()).map((o) => o.id)) : new Set<string>();
  const seen = new Set<string>();
  return partners.map((x, position) => {
    if (!(PARTNER_ROLES as string[]).includes(x.role)) throw new AppError('VALIDATION_FAILED', `"${x.role}" is not an IATI organisation role (${PARTNER_ROLES.join(', ')})`, { field: 'partners' });
    if (x.organisationId && !found.has(x.organisationId)) throw new AppError('VALIDATION_FAILED', 'A partner must be a member organisation or be named', { field: 'partners', unknown: [x.organisationId] });
    const name = clean(x.name).trim();
    if (!x.organisationId && name.length < 2) throw new AppError('VALIDATION_FAILED', 'Name an outside partner (or choose a member organisation)', { field: 'partners' });
    if (x.iatiRef && !/^[A-Za-z0-9][A-Za-z0-9._\-/]{2,99}$/.test(x.iatiRef)) throw new AppError('VALIDATION_FAILED', `"${x.iatiRef}" is not an IATI organisation identifier such as XM-DAC-41301`, { field: 'partners' });
    if (x.iatiType && !/^[0-9]{2}$/.test(x.iatiType)) throw new AppError('VALIDATION_FAILED', 'An IATI organisation type such as 10', { field: 'partners' });
    const key = `${x.role}|${x.organisationId ?? name.toLowerCase()}`;
    if (seen.has(key)) throw new AppError('VALIDATION_FAILED', 'A partner is named twice in the same role', { field: 'partners' });
    seen.add(key);
    return { organisation_id: x.organisationId ?? null, name: x.organisationId ? '' : name.slice(0, 200), iati_ref: x.iatiRef || null, iati_type: x.iatiType || null, role: x.role, position };
  });
}

/** A session as stored: a real zone, real dates, the end after the start, a deadline before the end, at least one seat. */
async function checkSession(p: Platform, s: SessionInput) {
  const tz = requireZone(s.timeZone);
  const starts = instantOf(s.startsAt, tz, 'startsAt');
  const ends = instantOf(s.endsAt, tz, 'endsAt');
  if (ends <= starts) throw new AppError('VALIDATION_FAILED', 'A session ends after it starts', { field: 'endsAt' });
  const deadline = s.applicationDeadline ? instantOf(s.applicationDeadline, tz, 'applicationDeadline') : null;
  if (deadline && deadline > ends) throw new AppError('VALIDATION_FAILED', 'Applications close before the session ends', { field: 'applicationDeadline' });
  if (!Number.isInteger(s.seats) || s.seats < 1 || s.seats > LIMITS.seats) throw new AppError('VALIDATION_FAILED', `A session has 1 to ${LIMITS.seats} seats`, { field: 'seats' });
  const place = clean(s.place).trim();
  if (place.length > LIMITS.place) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.place} characters`, { field: 'place' });
  const country = s.country ? s.country.toUpperCase() : null;
  if (country) await checkCountries(p, [country], 'country');
  return { starts_at: starts, ends_at: ends, time_zone: tz, place, country, online: !!s.online, seats: s.seats, application_deadline: deadline };
}

/** `words-of-the-title-9c3f1a2b` (platform/slug.ts). */
export const offerSlug = (id: string, title: string) => slugOf(id, slugWords(title) || 'offer', 100);

/** An event on the stream, to those who may see the offer — never for a draft, which is its provider's only. */
async function announce(c: Change, r: { id: string; status: string; tlp: string; pap: string; author_id: string | null; author_org_id: string | null; audience_organisations: string[]; audience_communities: string[]; audience_people: string[] }, type: string, title: string, offerType: string) {
  if (r.status === 'draft') return;
  await c.event({ type, subjectType: 'offer', subjectId: r.id, payload: { title, type: offerType, status: r.status }, marking: markingOf(r as Parameters<typeof markingOf>[0]), pap: r.pap });
}

/** A new offer: a draft of the writer's organisation (the provider), with its partners and sessions. */
export async function createOffer(p: Platform, actor: Actor, i: OfferInput) {
  const pr = requireVetted(actor);
  checkCodes(i);
  const language = requireTag(i.language);
  const audience = normaliseAudience(i.tlp, i.audience);
  await checkAudienceExists(p.db, audience);
  const concepts = await requireConcepts(p.db, i.concepts);
  const countries = [...new Set((i.countries ?? []).map((c) => c.toUpperCase()))];
  await checkCountries(p, countries, 'countries');
  const partners = await checkPartners(p, i.partners ?? []);
  if ((i.sessions ?? []).length > LIMITS.sessions) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.sessions} sessions`, { field: 'sessions' });
  const sessions: Awaited<ReturnType<typeof checkSession>>[] = [];
  for (const s of i.sessions ?? []) sessions.push(await checkSession(p, s));
  const texts = textsOf(i);
  const id = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('offers')
      .values({
        id,
        slug: offerSlug(id, texts.title),
        type: i.type,
        ...Object.fromEntries(TEXT_FIELDS.map((f) => [COLUMNS[f], texts[f]])),
        title: texts.title,
        language,
        concepts,
        audiences: [...new Set(i.audiences ?? [])],
        languages: spokenLanguages(i.languages ?? []),
        format: i.format,
        countries,
        requires_endorsement: !!i.requiresEndorsement,
        collaboration_type: i.collaborationType ?? null,
        aid_type: i.aidType ?? null,
        flow_type: i.flowType ?? null,
        provider_ref: i.providerRef ?? null,
        tlp: i.tlp,
        pap: i.pap ?? 'GREEN',
        author_id: pr.person.id,
        author_org_id: pr.organisation.id,
        ...audienceColumns(audience),
      })
      .execute();
    if (partners.length) await c.trx.insertInto('offer_partners').values(partners.map((x) => ({ id: newId(), offer_id: id, ...x }))).execute();
    if (sessions.length) await c.trx.insertInto('offer_sessions').values(sessions.map((s) => ({ id: newId(), offer_id: id, ...s }))).execute();
    // Identifiers and codes only: the audit log never carries a marked record's content.
    await c.audit({ action: 'offer.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'offer', targetId: id, details: { tlp: i.tlp, type: i.type } });
  });
  return getOffer(p, actor, id);
}

/** The offer if the actor may change it: 404 when they may not see it, 403 when it is not theirs. */
async function ownOffer(p: Platform, actor: Actor, id: string, what = 'change') {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden(`Only the offer's author and its organisation admins ${what} it`);
  return { pr, r };
}

/**
 * Change an offer: any of its fields, its marking, and (when given) its whole list of partners.
 * A change of its text in its source language is a new revision; its translations then show
 * as outdated. Two writers at once: the second fails rather than overwrite the first.
 */
export async function updateOffer(p: Platform, actor: Actor, id: string, i: Partial<Omit<OfferInput, 'sessions'>>) {
  const { r } = await ownOffer(p, actor, id);
  checkCodes(i);
  const tlp = i.tlp ?? (r.tlp as Tlp);
  const audience = i.tlp || i.audience ? normaliseAudience(tlp, i.audience ?? { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }) : null;
  if (audience) await checkAudienceExists(p.db, audience);
  const concepts = i.concepts ? await requireConcepts(p.db, i.concepts, r.concepts) : undefined;
  const countries = i.countries ? [...new Set(i.countries.map((c) => c.toUpperCase()))] : undefined;
  if (countries) await checkCountries(p, countries, 'countries');
  const partners = i.partners ? await checkPartners(p, i.partners) : undefined;
  const language = i.language ? requireTag(i.language) : r.language;
  if (!sameLanguage(language, r.language) && Object.keys(translationsOf(r.translations)).some((l) => sameLanguage(l, language)))
    throw new AppError('VALIDATION_FAILED', `There is a translation into ${language}: remove it before writing the offer in that language`, { field: 'language' });
  const before = sourceOf(r);
  const after = textsOf(i, before);
  const textChanged = TEXT_FIELDS.some((f) => after[f] !== before[f]) || language !== r.language;
  const rev = textChanged ? r.source_rev + 1 : r.source_rev;
  const markingChanged = !!i.tlp && i.tlp !== r.tlp;
  const next = { ...r, tlp, ...(audience ? audienceColumns(audience) : {}) };
  await change(p, async (c) => {
    const res = await c.trx
      .updateTable('offers')
      .set({
        ...Object.fromEntries(TEXT_FIELDS.map((f) => [COLUMNS[f], after[f]])),
        language,
        source_rev: rev,
        ...(i.type ? { type: i.type } : {}),
        ...(concepts ? { concepts } : {}),
        ...(i.audiences ? { audiences: [...new Set(i.audiences)] } : {}),
        ...(i.languages ? { languages: spokenLanguages(i.languages) } : {}),
        ...(i.format ? { format: i.format } : {}),
        ...(countries ? { countries } : {}),
        ...(i.requiresEndorsement !== undefined ? { requires_endorsement: i.requiresEndorsement } : {}),
        ...(i.collaborationType !== undefined ? { collaboration_type: i.collaborationType } : {}),
        ...(i.aidType !== undefined ? { aid_type: i.aidType } : {}),
        ...(i.flowType !== undefined ? { flow_type: i.flowType } : {}),
        ...(i.providerRef !== undefined ? { provider_ref: i.providerRef } : {}),
        ...(i.tlp ? { tlp: i.tlp } : {}),
        ...(i.pap ? { pap: i.pap } : {}),
        ...(audience ? audienceColumns(audience) : {}),
        updated_at: new Date(),
      })
      .where('id', '=', r.id)
      .where('source_rev', '=', r.source_rev)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw invalidState('The offer changed meanwhile: reload it and make your change again');
    if (partners) {
      await c.trx.deleteFrom('offer_partners').where('offer_id', '=', r.id).execute();
      if (partners.length) await c.trx.insertInto('offer_partners').values(partners.map((x) => ({ id: newId(), offer_id: r.id, ...x }))).execute();
      await c.audit({ action: 'offer.partners_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { count: partners.length } });
    }
    await c.audit({
      action: markingChanged ? 'offer.marking_changed' : 'offer.updated',
      ...auditActor(actor),
      organisationId: r.author_org_id,
      targetType: 'offer',
      targetId: r.id,
      details: { revision: rev, ...(markingChanged ? { from: r.tlp, to: i.tlp } : {}) },
    });
    await announce(c, next, 'offer.updated', after.title, i.type ?? r.type);
  });
  return getOffer(p, actor, r.id);
}

/** Publish a draft (or reopen a closed offer): it appears in the catalogue to everyone its marking allows. */
export async function publishOffer(p: Platform, actor: Actor, id: string) {
  const { r } = await ownOffer(p, actor, id, 'publish');
  if (r.status === 'published') throw invalidState('The offer is published already');
  await change(p, async (c) => {
    const res = await c.trx.updateTable('offers').set({ status: 'published', published_at: r.published_at ?? new Date(), closed_at: null, updated_at: new Date() }).where('id', '=', r.id).where('status', '=', r.status).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw invalidState('The offer changed meanwhile: reload it');
    await c.audit({ action: 'offer.published', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { tlp: r.tlp, from: r.status } });
    await announce(c, { ...r, status: 'published' }, 'offer.published', r.title, r.type);
  });
  return getOffer(p, actor, r.id);
}

/** Close a published offer to new applications: it stays readable, as closed. */
export async function closeOffer(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).close) throw r.status !== 'published' ? invalidState('Only a published offer is closed') : forbidden('Only the provider and the secretariat close an offer');
  await change(p, async (c) => {
    const res = await c.trx.updateTable('offers').set({ status: 'closed', closed_at: new Date(), updated_at: new Date() }).where('id', '=', r.id).where('status', '=', 'published').executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw invalidState('The offer changed meanwhile: reload it');
    await c.audit({ action: 'offer.closed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: {} });
    await announce(c, { ...r, status: 'closed' }, 'offer.closed', r.title, r.type);
  });
  return getOffer(p, actor, r.id);
}

/** Delete a draft. A published offer is closed instead: people may have applied to it. */
export async function deleteOffer(p: Platform, actor: Actor, id: string) {
  const { r } = await ownOffer(p, actor, id, 'delete');
  if (r.status !== 'draft') throw invalidState('Only a draft is deleted; close a published offer instead');
  await change(p, async (c) => {
    await c.trx.deleteFrom('offers').where('id', '=', r.id).where('status', '=', 'draft').execute();
    await c.audit({ action: 'offer.deleted', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: {} });
  });
}

/** Add or replace a translation, made from the source revision `basedOn` (default: the current one). */
export async function translateOffer(p: Platform, actor: Actor, id: string, lang: string, t: Partial<Texts> & { title: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden("Only the offer's author, its organisation admins and translators translate it");
  const fields = textsOf(t);
  const translations = withTranslation<TextField>(r.translations, r, lang, fields, { by: pr.person.id, machine: t.machine, basedOn: t.basedOn });
  await change(p, async (c) => {
    await c.trx.updateTable('offers').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'offer.translated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { language: requireTag(lang), machine: !!t.machine } });
  });
  return getOffer(p, actor, r.id, lang);
}

export async function removeOfferTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden("Only the offer's author, its organisation admins and translators translate it");
  const translations = withoutTranslation<TextField>(r.translations, requireTag(lang));
  await change(p, async (c) => {
    await c.trx.updateTable('offers').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'offer.translation_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { language: lang } });
  });
  return getOffer(p, actor, r.id);
}

// ---------- sessions ----------

export async function addSession(p: Platform, actor: Actor, id: string, s: SessionInput) {
  const { r } = await ownOffer(p, actor, id);
  const row = await checkSession(p, s);
  const sessionId = newId();
  await change(p, async (c) => {
    const n = await c.trx.selectFrom('offer_sessions').select((eb) => eb.fn.countAll<string>().as('n')).where('offer_id', '=', r.id).executeTakeFirstOrThrow();
    if (Number(n.n) >= LIMITS.sessions) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.sessions} sessions`, { field: 'sessions' });
    await c.trx.insertInto('offer_sessions').values({ id: sessionId, offer_id: r.id, ...row }).execute();
    await c.trx.updateTable('offers').set({ updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'offer.session_added', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { sessionId, seats: row.seats } });
    await announce(c, r, 'offer.updated', r.title, r.type);
  });
  return getOffer(p, actor, r.id);
}

/**
 * Change a session. Seats never go below those confirmed (the row is locked while checking, so
 * a confirmation arriving at the same moment cannot slip under the new number).
 */
export async function updateSession(p: Platform, actor: Actor, id: string, sessionId: string, s: SessionInput) {
  const { r } = await ownOffer(p, actor, id);
  const row = await checkSession(p, s);
  await change(p, async (c) => {
    const cur = await c.trx.selectFrom('offer_sessions').select(['id', 'confirmed']).where('id', '=', sessionId).where('offer_id', '=', r.id).forUpdate().executeTakeFirst();
    if (!cur) throw notFound('Session');
    if (row.seats < cur.confirmed) throw invalidState(`${cur.confirmed} seats are confirmed: the session cannot have fewer`, { field: 'seats', confirmed: cur.confirmed });
    // Applicants hear of a new time or place; seat holders' calendars take the update (features/applications).
    await sessionChanging(p, c, r, sessionId, row);
    await c.trx.updateTable('offer_sessions').set({ ...row, updated_at: new Date() }).where('id', '=', sessionId).execute();
    await c.trx.updateTable('offers').set({ updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'offer.session_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { sessionId, seats: row.seats } });
    await announce(c, r, 'offer.updated', r.title, r.type);
  });
  return getOffer(p, actor, r.id);
}

/** Remove a session nobody is confirmed for (one with confirmed seats is kept: people are coming). */
export async function removeSession(p: Platform, actor: Actor, id: string, sessionId: string) {
  const { r } = await ownOffer(p, actor, id);
  await change(p, async (c) => {
    const cur = await c.trx.selectFrom('offer_sessions').select(['id', 'confirmed']).where('id', '=', sessionId).where('offer_id', '=', r.id).forUpdate().executeTakeFirst();
    if (!cur) throw notFound('Session');
    if (cur.confirmed > 0) throw invalidState(`${cur.confirmed} seats are confirmed: the session cannot be removed`, { confirmed: cur.confirmed });
    // Those still waiting for a decision hear that it is gone (their applications go with it).
    await sessionRemoving(p, c, r, sessionId);
    await sessionStaffRemoving(c.trx, sessionId);
    await c.trx.deleteFrom('offer_sessions').where('id', '=', sessionId).execute();
    await c.trx.updateTable('offers').set({ updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'offer.session_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'offer', targetId: r.id, details: { sessionId } });
    await announce(c, r, 'offer.updated', r.title, r.type);
  });
  return getOffer(p, actor, r.id);
}

/** Replace the partners of an offer. */
export async function setPartners(p: Platform, actor: Actor, id: string, partners: PartnerInput[]) {
  return updateOffer(p, actor, id, { partners });
}

// ---------- for other features ----------

/** The offers carrying a concept, for the concept's page (Feature.tagged). */
export async function offersTagged(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const rows = await taggedOffers(p.db, viewerOf(actor), tag, limit);
  return rows.map((r) => {
    const s = shown(actor, r);
    return { kind: 'offer', id: r.id, title: s.fields.title, lang: s.info.shown, path: `/offers/${r.slug}`, tlp: r.tlp, date: r.published_at ? r.published_at.toISOString().slice(0, 10) : null };
  });
}

/** Every published or closed offer an anonymous visitor may see (CLEAR): the sitemap. */
export async function publicOffers(p: Platform) {
  const out: { id: string; slug: string; updatedAt: string }[] = [];
  let before: string | undefined;
  for (;;) {
    const rows = await offerPage(p.db, ANONYMOUS, { status: 'open' }, { limit: 1000, before });
    out.push(...rows.slice(0, 1000).map((r) => ({ id: r.id, slug: r.slug, updatedAt: r.updated_at.toISOString() })));
    if (rows.length <= 1000) return out;
    before = rows[999]!.id;
  }
}

export interface TranslatableOffer {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Texts;
}

const asTranslatable = (r: OfferRow): TranslatableOffer => ({ id: r.id, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) });

/** The offers of this person's organisation they may translate (author, admins, translators): the translation queue. */
export async function translatableOffers(p: Platform, pr: Principal): Promise<TranslatableOffer[]> {
  const rows = await visibleOffers(p.db, pr.viewer).where('o.author_org_id', '=', pr.organisation.id).orderBy('o.updated_at', 'desc').limit(500).execute();
  return rows.filter((r) => abilitiesOf(pr, r).translate).map(asTranslatable);
}

/** One offer this person may translate, or 404 (not visible) / 403 (visible, not theirs to translate). */
export async function loadTranslatableOffer(p: Platform, actor: Actor, id: string): Promise<TranslatableOffer> {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden("Only the offer's author, its organisation admins and translators translate it");
  return asTranslatable(r);
}
