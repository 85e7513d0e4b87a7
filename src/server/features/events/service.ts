import crypto from 'node:crypto';
import { asActor, eventAbilities } from '../../platform/access/abilities.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, canSee, markingOf, normaliseAudience, type Audience, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { auditActor, type Actor } from '../../platform/actor.js';
import { hasRole, loadPrincipalParts, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { ORGANISATION_TYPES, type OrganisationType } from '#shared/organisations';
import { recordProblems, type RecordDoc } from '#shared/records';
import { insertRecord } from '../records/repository.js';
import { requireRecordDoc } from '../records/service.js';
import { isTimeZone, writeCalendar, type CalendarEntry, type CalendarStatus } from '../../platform/calendar.js';
import { offerSessionEntries } from '../applications/service.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { detectType } from '../../platform/filetypes.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { renderMail, type OutgoingMail } from '../../platform/mail.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { requireTag, showFor, translationsOf, withoutTranslation, withTranslation, type TranslationInfo } from '../../platform/translations.js';
import {
  activeRegistrations,
  approvedOrganisations,
  countryNames,
  delegatesOf,
  delegationOf,
  delegationsOf,
  deleteFeed,
  eventAsChanged,
  eventPage,
  feedOf,
  feedOwner,
  firstWaitlisted,
  focalCountries,
  insertRegistration,
  isCountry,
  listedParticipants,
  linkRecord,
  lockEvent,
  materialsOf,
  organisationRow,
  participatingOrganisations,
  peopleOfCountry,
  personWithOrganisation,
  readMaterial,
  registeredEvents,
  registrationById,
  registrationCounts,
  registrationOf,
  registrationsOf,
  removeDelegation,
  replaceFeed,
  reviveRegistration,
  seatsTaken,
  sessionOf,
  sessionsOf,
  setDelegationHead,
  setLastTicket,
  setRegistrationAnswers,
  setRegistrationStatus,
  taggedEvents,
  upsertDelegation,
  visibleEvent,
  visibleRecordOf,
  type EventFilters,
  type EventRow,
  type RegistrationRow,
  type SessionRow,
} from './repository.js';

export const EVENT_KINDS = ['annual-meeting', 'policy-dialogue', 'webinar', 'exercise', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const REGISTRATION_STATUSES = ['pending', 'confirmed', 'waitlisted', 'declined', 'withdrawn'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const QUESTION_TYPES = ['text', 'choice', 'yes-no'] as const;
/** The fields every language version of an event holds. */
export const TEXT_FIELDS = ['title', 'description', 'agenda'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type Texts = Record<TextField, string>;

/** Limits, documented in docs/events.md. */
export const LIMITS = { title: 300, description: 20_000, agenda: 50_000, place: 300, room: 200, questions: 20, options: 20, answer: 2000, speakers: 20, interpretation: 10, sessions: 200, materials: 100, retentionDays: 3650, capacity: 100_000, quota: 1000 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

export interface Question {
  id: string;
  label: string;
  type: (typeof QUESTION_TYPES)[number];
  required?: boolean;
  options?: string[];
}

export interface Speaker {
  name: string;
  personId?: string | null;
}

export interface EventInput {
  kind: EventKind;
  language: string;
  title: string;
  description?: string;
  agenda?: string;
  place?: string;
  country?: string | null;
  online?: boolean;
  onlineUrl?: string | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  organiserOrgId?: string;
  concepts?: string[];
  registrationOpen?: boolean;
  moderated?: boolean;
  capacity?: number | null;
  retentionDays?: number;
  questions?: Question[];
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

export type EventUpdate = Partial<EventInput> & { status?: EventStatus };

export interface SessionInput {
  title: string;
  titleTranslations?: Record<string, string>;
  startsAt: string;
  endsAt: string;
  room?: string;
  speakers?: Speaker[];
  interpretation?: string[];
  status?: 'scheduled' | 'cancelled';
}

// ---------- views ----------

function abilitiesOf(pr: Principal | null, r: Pick<EventRow, 'author_id' | 'author_org_id' | 'organiser_org_id'>) {
  return eventAbilities(asActor(pr), { authorId: r.author_id, authorOrgId: r.author_org_id, organiserOrgId: r.organiser_org_id });
}

const sourceOf = (r: EventRow): Texts => ({ title: r.title, description: r.description, agenda: r.agenda });

function shown(languages: readonly string[], r: EventRow, lang?: string): { fields: Texts; info: TranslationInfo } {
  return showFor<TextField>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) }, languages, lang);
}

function sessionTitle(languages: readonly string[], r: EventRow, s: SessionRow, lang?: string) {
  return showFor<'title'>({ language: r.language, source_rev: s.source_rev, translations: s.translations, source: { title: s.title } }, languages, lang);
}

const questionsOf = (r: Pick<EventRow, 'questions'>): Question[] => (Array.isArray(r.questions) ? (r.questions as Question[]) : typeof r.questions === 'string' ? (JSON.parse(r.questions) as Question[]) : []);
const speakersOf = (s: SessionRow): Speaker[] => (Array.isArray(s.speakers) ? (s.speakers as Speaker[]) : typeof s.speakers === 'string' ? (JSON.parse(s.speakers) as Speaker[]) : []);
type Answers = Record<string, string | boolean>;
const answersOf = (r: RegistrationRow): Answers => (r.answers && typeof r.answers === 'object' ? (r.answers as Answers) : typeof r.answers === 'string' ? (JSON.parse(r.answers) as Answers) : {});

function summaryView(actor: Actor, r: EventRow, counts: Record<string, number> | undefined, lang?: string) {
  const s = shown(actor.readerLanguages, r, lang);
  const can = abilitiesOf(actor.principal, r);
  const c = counts ?? {};
  return {
    id: r.id,
    kind: r.kind as EventKind,
    title: s.fields.title,
    translation: s.info,
    place: r.place,
    country: r.country_code,
    online: r.online,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    timeZone: r.time_zone,
    organiser: { id: r.organiser_org_id, name: r.organiser_name, country: r.organiser_country },
    concepts: r.concepts,
    status: r.status as EventStatus,
    tlp: r.tlp as Tlp,
    registration: {
      open: r.registration_open && r.status === 'published' && r.ends_at > new Date(),
      moderated: r.moderated,
      capacity: r.capacity,
      confirmed: c.confirmed ?? 0,
      pending: c.pending ?? 0,
      waitlisted: c.waitlisted ?? 0,
    },
    can: { manage: can.manage, translate: can.translate },
  };
}

/** What a person sees of their own registration. */
function myView(r: RegistrationRow, waitlistRank: number | null) {
  return {
    id: r.id,
    status: r.status as RegistrationStatus,
    waitlistPosition: waitlistRank,
    consentToList: r.consent_to_list,
    answers: answersOf(r),
    delegation: r.delegation_id,
    registeredAt: r.registered_at.toISOString(),
  };
}

/** What an organiser sees of a registration. */
function registrationView(r: RegistrationRow) {
  return {
    id: r.id,
    person: { id: r.person_id, name: r.person_name },
    organisation: { id: r.organisation_id, name: r.organisation_name, country: r.organisation_country },
    status: r.status as RegistrationStatus,
    ticket: Number(r.ticket),
    consentToList: r.consent_to_list,
    answers: answersOf(r),
    delegation: r.delegation_id,
    registeredAt: r.registered_at.toISOString(),
  };
}

async function loadEvent(p: Platform, actor: Actor, id: string): Promise<EventRow> {
  const r = UUID.test(id) ? await visibleEvent(p.db, viewerOf(actor), id) : undefined;
  // Not visible and not there look the same.
  if (!r) throw notFound('Event');
  return r;
}

async function loadManaged(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, id);
  if (!abilitiesOf(pr, r).manage) throw forbidden('Only the organisers manage an event');
  return { pr, r };
}

async function waitlistRank(p: Platform, reg: RegistrationRow) {
  if (reg.status !== 'waitlisted') return null;
  const ahead = (await registrationsOf(p.db, reg.event_id, 'waitlisted')).filter((x) => Number(x.ticket) < Number(reg.ticket)).length;
  return ahead + 1;
}

/**
 * The events the viewer may see, in time order: words in any language version, kind, period
 * (overlapping `from`–`to`), country, status, concept; counts of registrations for those shown.
 */
export async function listEvents(p: Platform, actor: Actor, q: EventFilters & { lang?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  if (q.lang) requireTag(q.lang, 'lang');
  let after: { at: Date; id: string } | undefined;
  if (q.cursor) {
    const m = /^a(\d{13})_([0-9a-f-]{36})$/.exec(q.cursor);
    if (!m) throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server for this query', { field: 'cursor' });
    after = { at: new Date(Number(m[1])), id: m[2]! };
  }
  for (const k of ['from', 'to'] as const) if (q[k] && Number.isNaN(Date.parse(q[k]!))) throw new AppError('VALIDATION_FAILED', `${k} must be a date or a date-time`, { field: k });
  const rows = await eventPage(p.db, viewerOf(actor), { q: q.q?.trim() || undefined, kind: q.kind, from: q.from, to: q.to, country: q.country, status: q.status, concept: q.concept, record: q.record }, { limit, after });
  const page = rows.slice(0, limit);
  const counts = await registrationCounts(p.db, page.map((r) => r.id));
  const last = page.at(-1);
  return {
    items: page.map((r) => summaryView(actor, r, counts.get(r.id), q.lang)),
    nextCursor: rows.length > limit && last ? `a${String(last.starts_at.getTime()).padStart(13, '0')}_${last.id}` : null,
  };
}

/** One event in full: its texts in the reader's language, timetable, materials the reader may see, and the reader's registration. */
export async function getEvent(p: Platform, actor: Actor, id: string, lang?: string) {
  if (lang) requireTag(lang, 'lang');
  const r = await loadEvent(p, actor, id);
  const viewer = viewerOf(actor);
  const [sessions, materials, counts, mine, delegations] = await Promise.all([
    sessionsOf(p.db, [r.id]),
    materialsOf(p.db, viewer, r.id),
    registrationCounts(p.db, [r.id]),
    actor.principal ? registrationOf(p.db, r.id, actor.principal.person.id) : Promise.resolve(undefined),
    delegationsOf(p.db, r.id),
  ]);
  const s = shown(actor.readerLanguages, r, lang);
  const can = abilitiesOf(actor.principal, r);
  const focal = actor.principal?.viewer.vetted ? await focalCountries(p.db, actor.principal.person.id) : [];
  const confirmed = mine?.status === 'confirmed';
  // The record of its minutes, only as far as the records' own rule lets this reader see it.
  const record = r.record_id ? await visibleRecordOf(p.db, viewer, !!actor.principal && hasRole(actor.principal, 'secretariat'), r.record_id) : undefined;
  const summary = summaryView(actor, r, counts.get(r.id), lang);
  return {
    ...summary,
    can: { ...summary.can, writeMinutes: !r.record_id && r.status === 'published' && r.ends_at <= new Date() && mayWriteMinutes(actor.principal, r) },
    record: record ? { id: record.id, slug: record.slug, title: record.title, status: record.status as 'draft' | 'proposed' | 'published' } : null,
    description: s.fields.description,
    descriptionHtml: renderMarkdown(s.fields.description, { topHeading: 2 }),
    agenda: s.fields.agenda,
    agendaHtml: renderMarkdown(s.fields.agenda, { topHeading: 2 }),
    language: r.language,
    revision: r.source_rev,
    // Where to join: for those who hold a place, and the organisers.
    onlineUrl: confirmed || can.manage ? r.online_url : null,
    registrationOpen: r.registration_open,
    retentionDays: r.retention_days,
    answersPurged: r.answers_purged_at !== null,
    questions: questionsOf(r),
    sequence: r.sequence,
    pap: r.pap as Pap,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    sessions: sessions.map((x) => {
      const t = sessionTitle(actor.readerLanguages, r, x, lang);
      return {
        id: x.id,
        title: t.fields.title,
        titleLanguage: t.info.shown,
        startsAt: x.starts_at.toISOString(),
        endsAt: x.ends_at.toISOString(),
        room: x.room,
        speakers: speakersOf(x).map((sp) => ({ name: sp.name, personId: sp.personId ?? null })),
        interpretation: x.interpretation,
        status: x.status as 'scheduled' | 'cancelled',
        sequence: x.sequence,
        // The organisers edit every language of a session's title.
        titles: can.translate ? { [r.language]: x.title, ...Object.fromEntries(Object.entries(translationsOf<'title'>(x.translations)).map(([l, v]) => [l, v.fields.title])) } : null,
      };
    }),
    materials: materials.map((m) => ({
      id: m.id,
      sessionId: m.session_id,
      title: m.title,
      url: m.url,
      fileName: m.file_name,
      contentType: m.content_type,
      size: m.size_bytes,
      tlp: m.tlp as Tlp,
      at: m.created_at.toISOString(),
    })),
    myRegistration: mine && mine.status !== 'withdrawn' ? myView(mine, await waitlistRank(p, mine)) : null,
    delegationCountries: delegations.map((d) => d.country_code),
    focalPointOf: focal.filter((c) => delegations.some((d) => d.country_code === c)),
    sourceTexts: can.translate ? sourceOf(r) : null,
  };
}

// ---------- writing events ----------

function instant(v: string, field: string): Date {
  const d = new Date(v);
  if (!v || Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', `${field} must be a date-time with its offset`, { field });
  return d;
}

function checkTimes(startsAt: Date, endsAt: Date, timeZone: string) {
  if (!isTimeZone(timeZone)) throw new AppError('INVALID_TIME_ZONE', `"${timeZone}" is not an IANA time zone such as America/Santo_Domingo or Europe/Brussels`, { field: 'timeZone' });
  if (endsAt.getTime() <= startsAt.getTime()) throw new AppError('VALIDATION_FAILED', 'It must end after it starts', { field: 'endsAt' });
}

function checkQuestions(qs: Question[] | undefined): Question[] {
  const out = qs ?? [];
  const ids = new Set<string>();
  for (const q of out) {
    if (ids.has(q.id)) throw new AppError('VALIDATION_FAILED', `Two questions have the id "${q.id}"`, { field: 'questions' });
    ids.add(q.id);
    if (q.type === 'choice' && !(q.options ?? []).length) throw new AppError('VALIDATION_FAILED', `The question "${q.label}" offers no choice`, { field: 'questions' });
  }
  return out.map((q) => ({ id: q.id, label: q.label.trim(), type: q.type, required: !!q.required, ...(q.type === 'choice' ? { options: [...new Set(q.options!.map((o) => o.trim()))] } : {}) }));
}

async function checkCountry(p: Platform, code: string | null | undefined) {
  if (code && !(await isCountry(p.db, code))) throw new AppError('VALIDATION_FAILED', `Not a member country: ${code}`, { field: 'country' });
}

/** Who organises it: the writer's organisation, or another approved organisation they name. */
async function checkOrganiser(p: Platform, pr: Principal, id: string | undefined) {
  if (!id || id === pr.organisation.id) return pr.organisation.id;
  const o = await organisationRow(p.db, id);
  if (!o || o.status !== 'approved') throw new AppError('VALIDATION_FAILED', 'The organiser must be an approved member organisation', { field: 'organiserOrgId' });
  return id;
}

const eventMarking = (r: Pick<EventRow, 'tlp' | 'author_id' | 'author_org_id' | 'audience_organisations' | 'audience_communities' | 'audience_people'>) => markingOf(r);

/** A new event: a draft of its organisers. */
export async function createEvent(p: Platform, actor: Actor, i: EventInput) {
  const pr = requireVetted(actor);
  const language = requireTag(i.language);
  const startsAt = instant(i.startsAt, 'startsAt');
  const endsAt = instant(i.endsAt, 'endsAt');
  checkTimes(startsAt, endsAt, i.timeZone);
  const audience = normaliseAudience(i.tlp, i.audience);
  await checkAudienceExists(p.db, audience);
  const concepts = await requireConcepts(p.db, i.concepts);
  await checkCountry(p, i.country);
  const organiser = await checkOrganiser(p, pr, i.organiserOrgId);
  const questions = checkQuestions(i.questions);
  const title = i.title.trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const id = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('event_items')
      .values({
        id,
        kind: i.kind,
        title,
        description: i.description ?? '',
        agenda: i.agenda ?? '',
        language,
        translations: '{}',
        place: i.place?.trim() ?? '',
        country_code: i.country ?? null,
        online: !!i.online,
        online_url: i.onlineUrl ?? null,
        starts_at: startsAt,
        ends_at: endsAt,
        time_zone: i.timeZone,
        organiser_org_id: organiser,
        concepts,
        registration_open: !!i.registrationOpen,
        moderated: !!i.moderated,
        capacity: i.capacity ?? null,
        retention_days: i.retentionDays ?? 90,
        questions: JSON.stringify(questions),
        tlp: i.tlp,
        pap: i.pap ?? 'GREEN',
        author_id: pr.person.id,
        author_org_id: pr.organisation.id,
        ...audienceColumns(audience),
      })
      .execute();
    await c.audit({ action: 'event.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'event', targetId: id, details: { tlp: i.tlp, kind: i.kind } });
  });
  return getEvent(p, actor, id);
}

/** The fields whose change makes calendars take the event again (a new SEQUENCE). */
const CALENDAR_FIELDS = ['startsAt', 'endsAt', 'timeZone', 'place', 'country', 'online', 'status'] as const;

/**
 * Change an event (its organisers). A change of time, place or status bumps its SEQUENCE and
 * tells everyone registered, by mail with an iTIP update (or cancellation); a capacity below
 * the seats already given is refused; a larger one promotes from the waitlist.
 */
export async function updateEvent(p: Platform, actor: Actor, id: string, u: EventUpdate) {
  const { pr, r } = await loadManaged(p, actor, id);
  if (r.status === 'cancelled') throw invalidState('A cancelled event is not changed');
  if (u.status === 'draft' && r.status !== 'draft') throw invalidState('A published event goes back to draft no more; cancel it instead');
  const startsAt = u.startsAt ? instant(u.startsAt, 'startsAt') : r.starts_at;
  const endsAt = u.endsAt ? instant(u.endsAt, 'endsAt') : r.ends_at;
  checkTimes(startsAt, endsAt, u.timeZone ?? r.time_zone);
  const tlp = u.tlp ?? (r.tlp as Tlp);
  const audience = u.tlp || u.audience ? normaliseAudience(tlp, u.audience ?? { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }) : null;
  if (audience) await checkAudienceExists(p.db, audience);
  const concepts = u.concepts ? await requireConcepts(p.db, u.concepts, r.concepts) : undefined;
  if (u.country !== undefined) await checkCountry(p, u.country);
  const organiser = u.organiserOrgId ? await checkOrganiser(p, pr, u.organiserOrgId) : undefined;
  const questions = u.questions ? checkQuestions(u.questions) : undefined;
  if (u.language && requireTag(u.language) !== r.language) throw new AppError('VALIDATION_FAILED', 'An event keeps the language it was written in; add a translation instead', { field: 'language' });
  const textChanged = TEXT_FIELDS.some((f) => u[f] !== undefined && u[f] !== r[f]);
  const changed = (k: (typeof CALENDAR_FIELDS)[number]) => {
    switch (k) {
      case 'startsAt':
        return startsAt.getTime() !== r.starts_at.getTime();
      case 'endsAt':
        return endsAt.getTime() !== r.ends_at.getTime();
      case 'timeZone':
        return u.timeZone !== undefined && u.timeZone !== r.time_zone;
      case 'place':
        return u.place !== undefined && u.place.trim() !== r.place;
      case 'country':
        return u.country !== undefined && u.country !== r.country_code;
      case 'online':
        return u.online !== undefined && u.online !== r.online;
      case 'status':
        return u.status !== undefined && u.status !== r.status;
    }
  };
  const calendarChanged = CALENDAR_FIELDS.some(changed);
  const title = u.title?.trim();
  if (u.title !== undefined && !title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  await change(p, async (c) => {
    const locked = await lockEvent(c.trx, r.id);
    if (u.capacity !== undefined && u.capacity !== null) {
      const seats = await seatsTaken(c.trx, r.id);
      if (seats.held + seats.reserved > u.capacity)
        throw new AppError('CAPACITY_BELOW_CONFIRMED', `${seats.held + seats.reserved} seats are already given (registrations and delegation quotas); the capacity cannot be lower`, {
          field: 'capacity',
          taken: seats.held + seats.reserved,
        });
    }
    await c.trx
      .updateTable('event_items')
      .set({
        ...(u.kind ? { kind: u.kind } : {}),
        ...(title ? { title } : {}),
        ...(u.description !== undefined ? { description: u.description } : {}),
        ...(u.agenda !== undefined ? { agenda: u.agenda } : {}),
        ...(textChanged ? { source_rev: r.source_rev + 1 } : {}),
        ...(u.place !== undefined ? { place: u.place.trim() } : {}),
        ...(u.country !== undefined ? { country_code: u.country } : {}),
        ...(u.online !== undefined ? { online: u.online } : {}),
        ...(u.onlineUrl !== undefined ? { online_url: u.onlineUrl } : {}),
        starts_at: startsAt,
        ends_at: endsAt,
        ...(u.timeZone ? { time_zone: u.timeZone } : {}),
        ...(organiser ? { organiser_org_id: organiser } : {}),
        ...(concepts ? { concepts } : {}),
        ...(u.status ? { status: u.status } : {}),
        ...(u.registrationOpen !== undefined ? { registration_open: u.registrationOpen } : {}),
        ...(u.moderated !== undefined ? { moderated: u.moderated } : {}),
        ...(u.capacity !== undefined ? { capacity: u.capacity } : {}),
        ...(u.retentionDays !== undefined ? { retention_days: u.retentionDays } : {}),
        ...(questions ? { questions: JSON.stringify(questions) } : {}),
        ...(u.tlp ? { tlp: u.tlp } : {}),
        ...(u.pap ? { pap: u.pap } : {}),
        ...(audience ? audienceColumns(audience) : {}),
        ...(calendarChanged ? { sequence: r.sequence + 1 } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', r.id)
      .execute();
    await c.audit({
      action: u.status === 'published' && r.status === 'draft' ? 'event.published' : u.status === 'cancelled' ? 'event.cancelled' : 'event.updated',
      ...auditActor(actor),
      organisationId: r.author_org_id,
      targetType: 'event',
      targetId: r.id,
      details: { ...(u.tlp && u.tlp !== r.tlp ? { from: r.tlp, to: u.tlp } : {}), ...(calendarChanged ? { sequence: r.sequence + 1 } : {}) },
    });
    const now = (await eventAsChanged(c.trx, r.id))!;
    if (now.status !== 'draft') {
      const type = u.status === 'published' && r.status === 'draft' ? 'event.published' : now.status === 'cancelled' ? 'event.cancelled' : 'event.updated';
      await c.event({ type, subjectType: 'event_item', subjectId: r.id, payload: { title: now.title, startsAt: now.starts_at.toISOString(), status: now.status }, marking: eventMarking(now), pap: now.pap });
    }
    // Everyone registered hears of a change of time, place or status (when they may still see the event).
    if (calendarChanged && r.status !== 'draft') await tellRegistrants(p, c, now, now.status === 'cancelled' ? 'cancelled' : 'updated');
    if (locked.capacity !== null && (u.capacity === null || (u.capacity !== undefined && u.capacity > locked.capacity))) await promote(p, c, now);
  });
  return getEvent(p, actor, r.id);
}


export async function deleteEvent(p: Platform, actor: Actor, id: string) {
  const { r } = await loadManaged(p, actor, id);
  if (r.status !== 'draft') throw invalidState('Only a draft is deleted; cancel a published event');
  await change(p, async (c) => {
    await c.trx.deleteFrom('event_items').where('id', '=', r.id).execute();
    await c.audit({ action: 'event.deleted', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: {} });
  });
}

export async function translateEvent(p: Platform, actor: Actor, id: string, lang: string, t: Partial<Texts> & { title: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only the organisers and their translators translate an event');
  const fields: Texts = { title: t.title.trim(), description: t.description ?? '', agenda: t.agenda ?? '' };
  if (!fields.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const translations = withTranslation<TextField>(r.translations, r, lang, fields, { by: pr.person.id, machine: t.machine, basedOn: t.basedOn });
  await change(p, async (c) => {
    await c.trx.updateTable('event_items').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'event.translated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { language: requireTag(lang), machine: !!t.machine } });
  });
  return getEvent(p, actor, r.id, lang);
}

export async function removeEventTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only the organisers and their translators translate an event');
  const translations = withoutTranslation<TextField>(r.translations, requireTag(lang));
  await change(p, async (c) => {
    await c.trx.updateTable('event_items').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await c.audit({ action: 'event.translation_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { language: lang } });
  });
  return getEvent(p, actor, r.id);
}

// ---------- timetable ----------

function sessionTranslations(r: EventRow, current: unknown, given: Record<string, string> | undefined, rev: number, by: string) {
  let all = translationsOf<'title'>(current);
  for (const [lang, title] of Object.entries(given ?? {})) {
    const tag = requireTag(lang, 'titleTranslations');
    if (!title.trim()) {
      if (Object.keys(all).some((l) => l === tag)) all = withoutTranslation<'title'>(all, tag);
      continue;
    }
    all = withTranslation<'title'>(all, { language: r.language, source_rev: rev }, tag, { title: title.trim() }, { by });
  }
  return all;
}

function checkSession(s: Partial<SessionInput>, startsAt: Date, endsAt: Date, r: Pick<EventRow, 'starts_at' | 'ends_at'>) {
  if (endsAt.getTime() <= startsAt.getTime()) throw new AppError('VALIDATION_FAILED', 'A session must end after it starts', { field: 'endsAt' });
  // A timetable holds the event's own sessions: none before it starts or after it ends. Checked
  // when times are given, so that a session left outside by a moved event can still be cancelled.
  if (s.startsAt !== undefined || s.endsAt !== undefined) {
    if (startsAt.getTime() < r.starts_at.getTime()) throw new AppError('VALIDATION_FAILED', 'A session takes place within its event: it starts before the event does', { field: 'startsAt' });
    if (endsAt.getTime() > r.ends_at.getTime()) throw new AppError('VALIDATION_FAILED', 'A session takes place within its event: it ends after the event does', { field: 'endsAt' });
  }
  for (const l of s.interpretation ?? []) requireTag(l, 'interpretation');
  if (s.title !== undefined && !s.title.trim()) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
}

export async function addSession(p: Platform, actor: Actor, eventId: string, s: SessionInput) {
  const { pr, r } = await loadManaged(p, actor, eventId);
  const startsAt = instant(s.startsAt, 'startsAt');
  const endsAt = instant(s.endsAt, 'endsAt');
  checkSession(s, startsAt, endsAt, r);
  if ((await sessionsOf(p.db, [r.id])).length >= LIMITS.sessions) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.sessions} sessions`, { field: 'sessions' });
  const id = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('event_sessions')
      .values({
        id,
        event_id: r.id,
        title: s.title.trim(),
        translations: JSON.stringify(sessionTranslations(r, {}, s.titleTranslations, 1, pr.person.id)),
        starts_at: startsAt,
        ends_at: endsAt,
        room: s.room?.trim() ?? '',
        speakers: JSON.stringify((s.speakers ?? []).map((x) => ({ name: x.name.trim(), personId: x.personId ?? null }))),
        interpretation: (s.interpretation ?? []).map((l) => requireTag(l, 'interpretation')),
        status: s.status ?? 'scheduled',
      })
      .execute();
    await c.audit({ action: 'event.session_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { sessionId: id, change: 'added' } });
  });
  return getEvent(p, actor, r.id);
}

/** Change a session: a change of time, room or status gives it a higher SEQUENCE (its UID stays). */
export async function updateSession(p: Platform, actor: Actor, eventId: string, sessionId: string, s: Partial<SessionInput>) {
  const { pr, r } = await loadManaged(p, actor, eventId);
  const cur = await sessionOf(p.db, r.id, sessionId);
  if (!cur) throw notFound('Session');
  const startsAt = s.startsAt ? instant(s.startsAt, 'startsAt') : cur.starts_at;
  const endsAt = s.endsAt ? instant(s.endsAt, 'endsAt') : cur.ends_at;
  checkSession(s, startsAt, endsAt, r);
  const bump =
    startsAt.getTime() !== cur.starts_at.getTime() || endsAt.getTime() !== cur.ends_at.getTime() || (s.room !== undefined && s.room.trim() !== cur.room) || (s.status !== undefined && s.status !== cur.status);
  const retitled = s.title !== undefined && s.title.trim() !== cur.title;
  const rev = cur.source_rev + (retitled ? 1 : 0);
  await change(p, async (c) => {
    await c.trx
      .updateTable('event_sessions')
      .set({
        ...(s.title !== undefined ? { title: s.title.trim() } : {}),
        source_rev: rev,
        ...(s.titleTranslations ? { translations: JSON.stringify(sessionTranslations(r, cur.translations, s.titleTranslations, rev, pr.person.id)) } : {}),
        starts_at: startsAt,
        ends_at: endsAt,
        ...(s.room !== undefined ? { room: s.room.trim() } : {}),
        ...(s.speakers ? { speakers: JSON.stringify(s.speakers.map((x) => ({ name: x.name.trim(), personId: x.personId ?? null }))) } : {}),
        ...(s.interpretation ? { interpretation: s.interpretation.map((l) => requireTag(l, 'interpretation')) } : {}),
        ...(s.status ? { status: s.status } : {}),
        ...(bump ? { sequence: cur.sequence + 1 } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', cur.id)
      .execute();
    await c.audit({ action: 'event.session_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { sessionId: cur.id, change: 'updated', ...(bump ? { sequence: cur.sequence + 1 } : {}) } });
  });
  return getEvent(p, actor, r.id);
}

export async function removeSession(p: Platform, actor: Actor, eventId: string, sessionId: string) {
  const { r } = await loadManaged(p, actor, eventId);
  const cur = await sessionOf(p.db, r.id, sessionId);
  if (!cur) throw notFound('Session');
  await change(p, async (c) => {
    await c.trx.deleteFrom('event_sessions').where('id', '=', cur.id).execute();
    await c.audit({ action: 'event.session_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { sessionId: cur.id, change: 'removed' } });
  });
  return getEvent(p, actor, r.id);
}

// ---------- materials ----------

export interface MaterialInput {
  title: string;
  sessionId?: string | null;
  url?: string;
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

/** A link or a file for an event or one of its sessions, with its own marking. */
export async function addMaterial(p: Platform, actor: Actor, eventId: string, m: MaterialInput, file?: { name: string; content: Buffer }) {
  const { pr, r } = await loadManaged(p, actor, eventId);
  if (m.sessionId && !(await sessionOf(p.db, r.id, m.sessionId))) throw new AppError('VALIDATION_FAILED', 'No such session in this event', { field: 'sessionId' });
  const audience = normaliseAudience(m.tlp, m.audience);
  await checkAudienceExists(p.db, audience);
  const title = m.title.trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  let stored: { file_name: string; content_type: string; size_bytes: number; content: Buffer } | null = null;
  if (file) {
    if (!file.content.length) throw new AppError('VALIDATION_FAILED', 'The file is empty', { field: 'body' });
    const t = detectType(file.content, file.name);
    if (!t || t.contentType.startsWith('text/') || t.contentType.includes('json'))
      throw new AppError('ATTACHMENT_TYPE_REFUSED', 'Attach PDF, Word, Excel, PowerPoint, OpenDocument text, PNG, JPEG, GIF or WebP files whose name matches their content', { fileName: file.name });
    stored = { file_name: file.name, content_type: t.contentType, size_bytes: file.content.length, content: file.content };
  } else if (!m.url) throw new AppError('VALIDATION_FAILED', 'A material is a link or a file', { field: 'url' });
  if ((await materialsOf(p.db, pr.viewer, r.id)).length >= LIMITS.materials) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.materials} materials`, { field: 'materials' });
  const id = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('event_materials')
      .values({
        id,
        event_id: r.id,
        session_id: m.sessionId ?? null,
        title,
        url: stored ? null : m.url!,
        file_name: stored?.file_name ?? null,
        content_type: stored?.content_type ?? null,
        size_bytes: stored?.size_bytes ?? null,
        content: stored?.content ?? null,
        tlp: m.tlp,
        pap: m.pap ?? 'GREEN',
        author_id: pr.person.id,
        author_org_id: pr.organisation.id,
        ...audienceColumns(audience),
      })
      .execute();
    await c.audit({ action: 'event.material_added', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { materialId: id, tlp: m.tlp, ...(stored ? { bytes: stored.size_bytes } : {}) } });
  });
  return { id };
}

export async function readEventMaterial(p: Platform, actor: Actor, id: string) {
  const m = UUID.test(id) ? await readMaterial(p.db, viewerOf(actor), id) : undefined;
  if (!m) throw notFound('Material');
  return m;
}

export async function removeMaterial(p: Platform, actor: Actor, eventId: string, materialId: string) {
  const { pr, r } = await loadManaged(p, actor, eventId);
  if (!(await materialsOf(p.db, pr.viewer, r.id)).some((m) => m.id === materialId)) throw notFound('Material');
  await change(p, async (c) => {
    await c.trx.deleteFrom('event_materials').where('id', '=', materialId).where('event_id', '=', r.id).execute();
    await c.audit({ action: 'event.material_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { materialId } });
  });
}

// ---------- calendars ----------

const hostOf = (p: Platform) => new URL(p.config.baseUrl).host;
const linkOf = (p: Platform, path: string) => `${p.config.baseUrl.replace(/\/$/, '')}${path}`;

function entriesOf(p: Platform, languages: readonly string[], r: EventRow, sessions: SessionRow[], status: CalendarStatus): CalendarEntry[] {
  const s = shown(languages, r);
  const cancelled = r.status === 'cancelled';
  const where = [r.place, r.online ? 'online' : ''].filter(Boolean).join(' · ');
  const event: CalendarEntry = {
    kind: 'event',
    id: r.id,
    sequence: r.sequence,
    title: s.fields.title,
    description: `${s.fields.description}\n\n${linkOf(p, `/events/${r.id}`)}`.trim(),
    location: where,
    url: linkOf(p, `/events/${r.id}`),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    timeZone: r.time_zone,
    status: cancelled ? 'cancelled' : status,
    lastModified: r.updated_at,
  };
  return [
    event,
    ...sessions.map(
      (x): CalendarEntry => ({
        kind: 'session',
        id: x.id,
        // A cancelled event cancels its sessions: their SEQUENCE moves with the event's.
        sequence: x.sequence + (cancelled ? r.sequence : 0),
        title: `${sessionTitle(languages, r, x).fields.title} — ${s.fields.title}`,
        location: [x.room, r.place].filter(Boolean).join(', '),
        url: linkOf(p, `/events/${r.id}`),
        startsAt: x.starts_at,
        endsAt: x.ends_at,
        timeZone: r.time_zone,
        status: cancelled || x.status === 'cancelled' ? 'cancelled' : status,
        partOf: { kind: 'event', id: r.id },
        lastModified: x.updated_at,
      }),
    ),
  ];
}

/** The event and its sessions as iCalendar, for a reader who may see it. */
export async function eventCalendar(p: Platform, actor: Actor, id: string) {
  const r = await loadEvent(p, actor, id);
  const sessions = await sessionsOf(p.db, [r.id]);
  const ics = writeCalendar(entriesOf(p, actor.readerLanguages, r, sessions, 'confirmed'), { host: hostOf(p), name: shown(actor.readerLanguages, r).fields.title });
  return { filename: `event-${r.id}.ics`, ics };
}

/** The iTIP message of one event for one person: an invitation or update (REQUEST) or a cancellation (CANCEL). */
function itip(p: Platform, lang: string, r: EventRow, person: { name: string; email: string }, method: 'REQUEST' | 'CANCEL', confirmed = true) {
  const [event] = entriesOf(p, [lang], r, [], 'confirmed');
  const from = /<([^>]+)>/.exec(p.config.mailFrom)?.[1] ?? p.config.mailFrom;
  return writeCalendar([event!], { host: hostOf(p), method, organizer: { name: r.organiser_name, email: from }, attendee: { name: person.name, email: person.email, confirmed } });
}

/** Everything a person holds or waits for a place at, as a subscription (`/calendar/{token}.ics`): only what they may see now. */
export async function feedCalendar(p: Platform, token: string) {
  const owner = /^[A-Za-z0-9_-]{43}$/.test(token) ? await feedOwner(p.db, sha256(token)) : undefined;
  // A forged, old or revoked token: nothing, not even whether it ever was one.
  if (!owner) throw notFound('Calendar');
  const parts = await loadPrincipalParts(p.db, owner.person_id);
  if (!parts || parts.person.status !== 'active') throw notFound('Calendar');
  const languages = [parts.person.uiLanguage, ...parts.person.languages];
  const events = (await registeredEvents(p.db, parts.viewer, parts.person.id)) as (EventRow & { registration_status: string })[];
  const sessions = await sessionsOf(
    p.db,
    events.map((e) => e.id),
  );
  const entries = events.flatMap((e) =>
    entriesOf(
      p,
      languages,
      e,
      sessions.filter((s) => s.event_id === e.id),
      e.registration_status === 'confirmed' ? 'confirmed' : 'tentative',
    ),
  );
  // The offer sessions the person holds a seat at (features/applications) are part of the same feed.
  entries.push(...(await offerSessionEntries(p, parts.person.id)));
  return writeCalendar(entries, { host: hostOf(p), name: `Puente — ${parts.person.name}`, refreshMinutes: 60 });
}

/** "My calendar": what the person registered for, and whether they have a subscription link. */
export async function myCalendar(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  const [events, feed] = await Promise.all([registeredEvents(p.db, pr.viewer, pr.person.id), feedOf(p.db, pr.person.id)]);
  const counts = await registrationCounts(
    p.db,
    events.map((e) => e.id),
  );
  return {
    items: (events as (EventRow & { registration_id: string; registration_status: string; registration_delegation: string | null })[]).map((e) => ({
      event: summaryView(actor, e, counts.get(e.id)),
      registration: { id: e.registration_id, status: e.registration_status as RegistrationStatus, delegation: e.registration_delegation },
    })),
    feed: feed ? { createdAt: feed.created_at.toISOString() } : null,
  };
}

/** A new subscription link (the old one stops working at once). The token is shown this once; only its hash is kept. */
export async function rotateFeed(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  const token = randomToken(32);
  await change(p, async (c) => {
    await replaceFeed(c.trx, pr.person.id, sha256(token));
    await c.audit({ action: 'calendar.feed_rotated', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'person', targetId: pr.person.id, details: {} });
  });
  const url = linkOf(p, `/calendar/${token}.ics`);
  return { url, webcal: url.replace(/^https?:/, 'webcal:') };
}

export async function revokeFeed(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  await change(p, async (c) => {
    if (!(await deleteFeed(c.trx, pr.person.id))) throw notFound('Calendar');
    await c.audit({ action: 'calendar.feed_revoked', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'person', targetId: pr.person.id, details: {} });
  });
}

// ---------- mail ----------

function whenText(lang: string, r: Pick<EventRow, 'starts_at' | 'ends_at' | 'time_zone'>) {
  const f = new Intl.DateTimeFormat(lang, { timeZone: r.time_zone, dateStyle: 'long', timeStyle: 'short' });
  return `${f.formatRange(r.starts_at, r.ends_at)} (${r.time_zone})`;
}

/** The mails about events, each with its purpose (as the outbox names it) and its iTIP method, if it carries one. */
const MAILS = {
  event_registered: { purpose: 'event_registered', method: null },
  event_confirmed: { purpose: 'event_confirmed', method: 'REQUEST' },
  event_promoted: { purpose: 'event_promoted', method: 'REQUEST' },
  event_updated: { purpose: 'event_updated', method: 'REQUEST' },
  event_cancelled: { purpose: 'event_cancelled', method: 'CANCEL' },
  event_registration_ended: { purpose: 'event_registration_ended', method: 'CANCEL' },
  event_delegate: { purpose: 'event_delegate', method: 'REQUEST' },
} as const;
type MailKind = keyof typeof MAILS;

/**
 * A mail about an event to one person, carrying the event's marking: sent only when the person
 * may see the event now (a narrowed event is never mailed to someone it no longer allows).
 */
async function mailAbout(p: Platform, c: Change, r: EventRow, personId: string, kind: MailKind, extra: Record<string, string> = {}) {
  const parts = await loadPrincipalParts(c.trx, personId);
  if (!parts || parts.person.status !== 'active' || !canSee(parts.viewer, eventMarking(r))) return;
  const lang: UiLanguage = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
  const s = shown([lang], r);
  const state = extra.status ? t(lang, `events.state.${extra.status}`) : '';
  const m = renderMail(lang, kind, { name: parts.person.name, event: s.fields.title, when: whenText(lang, r), place: [r.place, r.online ? 'online' : ''].filter(Boolean).join(' · ') || '—', link: linkOf(p, `/events/${r.id}`), state, ...extra });
  const { purpose, method } = MAILS[kind];
  const mail: OutgoingMail = {
    to: parts.person.email,
    ...m,
    purpose,
    content: { marking: eventMarking(r) },
    ...(method ? { calendar: { method, ics: itip(p, lang, r, { name: parts.person.name, email: parts.person.email }, method) } } : {}),
  };
  await c.mail(mail);
}

/** Tell everyone holding or waiting for a place of a change (update) or of the cancellation. */
async function tellRegistrants(p: Platform, c: Change, r: EventRow, what: 'updated' | 'cancelled') {
  for (const reg of await activeRegistrations(c.trx, r.id)) {
    // An update goes as an iTIP REQUEST to those holding a place; those waiting hear of it without one.
    if (what === 'updated' && reg.status !== 'confirmed') await mailAbout(p, c, r, reg.person_id, 'event_registered', { status: reg.status });
    else await mailAbout(p, c, r, reg.person_id, what === 'cancelled' ? 'event_cancelled' : 'event_updated');
  }
}

// ---------- registration ----------

function checkAnswers(questions: Question[], given: Record<string, unknown> | undefined): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const a = given ?? {};
  for (const k of Object.keys(a)) if (!questions.some((q) => q.id === k)) throw new AppError('VALIDATION_FAILED', `No question "${k}"`, { field: 'answers', question: k });
  for (const q of questions) {
    const v = a[q.id];
    if (v === undefined || v === null || v === '') {
      if (q.required) throw new AppError('VALIDATION_FAILED', `"${q.label}" needs an answer`, { field: 'answers', question: q.id });
      continue;
    }
    if (q.type === 'yes-no') {
      if (typeof v !== 'boolean') throw new AppError('VALIDATION_FAILED', `"${q.label}" takes yes or no`, { field: 'answers', question: q.id });
      out[q.id] = v;
    } else {
      if (typeof v !== 'string' || v.length > LIMITS.answer) throw new AppError('VALIDATION_FAILED', `"${q.label}" takes a text of at most ${LIMITS.answer} characters`, { field: 'answers', question: q.id });
      if (q.type === 'choice' && !(q.options ?? []).includes(v)) throw new AppError('VALIDATION_FAILED', `"${v}" is not a choice of "${q.label}"`, { field: 'answers', question: q.id });
      out[q.id] = v.trim();
    }
  }
  return out;
}

function registrationOpen(r: EventRow) {
  if (r.status !== 'published') throw new AppError('REGISTRATION_CLOSED', r.status === 'cancelled' ? 'The event is cancelled' : 'The event is not published yet', { status: r.status });
  if (r.ends_at <= new Date()) throw new AppError('REGISTRATION_CLOSED', 'The event is over');
}

/**
 * Take a place, under the event's row lock: a free seat gives a confirmed registration (pending
 * under moderation), none a place on the waitlist, in order of arrival. A person registered
 * already (and not withdrawn or declined) is refused.
 */
async function takePlace(
  p: Platform,
  c: Change,
  r: EventRow,
  person: { id: string; organisationId: string },
  o: { consent: boolean; answers: Record<string, unknown>; delegationId?: string | null },
): Promise<{ id: string; status: RegistrationStatus }> {
  const locked = await lockEvent(c.trx, r.id);
  const existing = await registrationOf(c.trx, r.id, person.id);
  if (existing && existing.status !== 'withdrawn' && existing.status !== 'declined') throw new AppError('ALREADY_REGISTERED', 'This person is registered for this event already', { registrationId: existing.id, status: existing.status });
  let status: RegistrationStatus;
  if (o.delegationId) status = 'confirmed';
  else {
    const seats = await seatsTaken(c.trx, r.id);
    const free = locked.capacity === null ? Infinity : locked.capacity - seats.held - seats.reserved;
    status = free > 0 ? (locked.moderated ? 'pending' : 'confirmed') : 'waitlisted';
  }
  const ticket = Number(locked.last_ticket) + 1;
  await setLastTicket(c.trx, r.id, ticket);
  const id = existing?.id ?? newId();
  if (existing) await reviveRegistration(c.trx, existing.id, { status, ticket, delegationId: o.delegationId, consent: o.consent, answers: o.answers, organisationId: person.organisationId });
  else await insertRegistration(c.trx, { id, eventId: r.id, personId: person.id, organisationId: person.organisationId, status, ticket, delegationId: o.delegationId, consent: o.consent, answers: o.answers });
  return { id, status };
}

/**
 * Give free seats to the waitlist, first come first served (pending under moderation), and tell
 * each promoted person. Runs under the event's lock, after whatever freed the seats.
 */
async function promote(p: Platform, c: Change, r: EventRow) {
  const locked = await lockEvent(c.trx, r.id);
  if (r.status !== 'published') return;
  for (;;) {
    const seats = await seatsTaken(c.trx, r.id);
    if (locked.capacity !== null && seats.held + seats.reserved >= locked.capacity) return;
    const next = await firstWaitlisted(c.trx, r.id);
    if (!next) return;
    const status = locked.moderated ? 'pending' : 'confirmed';
    await setRegistrationStatus(c.trx, next.id, status);
    await c.audit({ action: 'event.registration_promoted', actorId: null, organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { registrationId: next.id, status } });
    await mailAbout(p, c, r, next.person_id, status === 'confirmed' ? 'event_promoted' : 'event_registered', { status });
  }
}

/** Register oneself: answers to the event's questions, and consent to appear in the participant list. */
export async function register(p: Platform, actor: Actor, eventId: string, b: { answers?: Record<string, unknown>; consentToList?: boolean }) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  registrationOpen(r);
  if (!r.registration_open) throw new AppError('REGISTRATION_CLOSED', 'Registration for this event is closed');
  const answers = checkAnswers(questionsOf(r), b.answers);
  const done = await change(p, async (c) => {
    const got = await takePlace(p, c, r, { id: pr.person.id, organisationId: pr.organisation.id }, { consent: !!b.consentToList, answers });
    // Personal answers stay out of the audit log: identifiers only.
    await c.audit({ action: 'event.registered', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { registrationId: got.id, status: got.status } });
    await mailAbout(p, c, r, pr.person.id, got.status === 'confirmed' ? 'event_confirmed' : 'event_registered', { status: got.status });
    return got;
  });
  const mine = (await registrationById(p.db, r.id, done.id))!;
  return myView(mine, await waitlistRank(p, mine));
}

async function myActive(p: Platform, pr: Principal, r: EventRow) {
  const mine = await registrationOf(p.db, r.id, pr.person.id);
  if (!mine || mine.status === 'withdrawn' || mine.status === 'declined') throw notFound('Registration');
  return mine;
}

export async function getMyRegistration(p: Platform, actor: Actor, eventId: string) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  const mine = await myActive(p, pr, r);
  return myView(mine, await waitlistRank(p, mine));
}

/** Change one's answers or consent. */
export async function updateMyRegistration(p: Platform, actor: Actor, eventId: string, b: { answers?: Record<string, unknown>; consentToList?: boolean }) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  const mine = await myActive(p, pr, r);
  if (b.answers && r.answers_purged_at) throw new AppError('REGISTRATION_CLOSED', 'The answers of this event were purged at the end of its retention period');
  const answers = b.answers ? checkAnswers(questionsOf(r), b.answers) : undefined;
  await change(p, async (c) => {
    await setRegistrationAnswers(c.trx, mine.id, { answers, consent: b.consentToList });
    await c.audit({ action: 'event.registration_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { registrationId: mine.id } });
  });
  return getMyRegistration(p, actor, eventId);
}

/** Withdraw: the place goes to the first on the waitlist; a held place is cancelled in the person's calendar. */
export async function withdraw(p: Platform, actor: Actor, eventId: string) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  await endRegistration(p, actor, r, await myActive(p, pr, r), 'withdrawn');
}

async function endRegistration(p: Platform, actor: Actor, r: EventRow, reg: RegistrationRow, to: 'withdrawn' | 'declined') {
  await change(p, async (c) => {
    await lockEvent(c.trx, r.id);
    const now = await registrationById(c.trx, r.id, reg.id);
    if (!now || now.status === 'withdrawn' || now.status === 'declined') throw invalidState('This registration has ended already');
    await setRegistrationStatus(c.trx, reg.id, to, { leaveDelegation: true });
    if (now.delegation_id) {
      const d = (await delegationsOf(c.trx, r.id)).find((x) => x.id === now.delegation_id);
      if (d?.head_registration_id === reg.id) await setDelegationHead(c.trx, d.id, null);
    }
    await c.audit({ action: to === 'withdrawn' ? 'event.registration_withdrawn' : 'event.registration_declined', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { registrationId: reg.id, from: now.status } });
    await mailAbout(p, c, r, reg.person_id, 'event_registration_ended', { status: to });
    await promote(p, c, r);
  });
}

/** The organisers' view: every registration with its answers, in order of arrival. */
export async function listRegistrations(p: Platform, actor: Actor, eventId: string, status?: string) {
  const { r } = await loadManaged(p, actor, eventId);
  const rows = await registrationsOf(p.db, r.id, status);
  return { items: rows.map(registrationView), answersPurged: r.answers_purged_at !== null };
}

/** An organiser confirms a pending registration (or a waitlisted one, if a seat is free) or declines one. */
export async function decide(p: Platform, actor: Actor, eventId: string, registrationId: string, decision: 'confirm' | 'decline') {
  const { r } = await loadManaged(p, actor, eventId);
  const reg = await registrationById(p.db, r.id, registrationId);
  if (!reg) throw notFound('Registration');
  if (decision === 'decline') {
    if (reg.status === 'withdrawn' || reg.status === 'declined') throw invalidState('This registration has ended already');
    await endRegistration(p, actor, r, reg, 'declined');
    return registrationView((await registrationById(p.db, r.id, registrationId))!);
  }
  await change(p, async (c) => {
    const locked = await lockEvent(c.trx, r.id);
    const now = (await registrationById(c.trx, r.id, registrationId))!;
    if (now.status === 'confirmed') return;
    if (now.status !== 'pending' && now.status !== 'waitlisted') throw invalidState('Only a pending or waitlisted registration is confirmed');
    if (now.status === 'waitlisted' && locked.capacity !== null) {
      const seats = await seatsTaken(c.trx, r.id);
      if (seats.held + seats.reserved >= locked.capacity) throw new AppError('EVENT_FULL', 'No seat is free', { capacity: locked.capacity });
    }
    await setRegistrationStatus(c.trx, now.id, 'confirmed');
    await c.audit({ action: 'event.registration_confirmed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { registrationId: now.id, from: now.status } });
    await mailAbout(p, c, r, now.person_id, 'event_confirmed', { status: 'confirmed' });
  });
  return registrationView((await registrationById(p.db, r.id, registrationId))!);
}

/** Who takes part, as the list shows them: confirmed, and only those who agreed to appear; for anyone who may see the event. */
export async function participants(p: Platform, actor: Actor, eventId: string) {
  const r = await loadEvent(p, actor, eventId);
  const [rows, delegations] = await Promise.all([listedParticipants(p.db, r.id), delegationsOf(p.db, r.id)]);
  const heads = new Set(delegations.map((d) => d.head_registration_id).filter(Boolean));
  const country = new Map(delegations.map((d) => [d.id, d.country_code]));
  return {
    items: rows.map((x) => ({
      name: x.person_name,
      organisation: { id: x.organisation_id, name: x.organisation_name, country: x.organisation_country },
      delegation: x.delegation_id ? (country.get(x.delegation_id) ?? null) : null,
      headOfDelegation: heads.has(x.id),
    })),
  };
}

// ---------- delegations ----------

async function delegationPowers(p: Platform, actor: Actor, r: EventRow) {
  const pr = actor.principal;
  const manage = abilitiesOf(pr, r).manage;
  const focal = pr?.viewer.vetted ? await focalCountries(p.db, pr.person.id) : [];
  return { manage, focal };
}

/**
 * The event's delegations. Organisers see every delegation with its delegates; a national focal
 * point sees their country's; a delegate sees their own delegation; anyone else who may see the
 * event sees the countries, their quotas and how many delegates each has named.
 */
export async function listDelegations(p: Platform, actor: Actor, eventId: string) {
  const r = await loadEvent(p, actor, eventId);
  const { manage, focal } = await delegationPowers(p, actor, r);
  const delegations = await delegationsOf(p.db, r.id);
  const delegates = await delegatesOf(
    p.db,
    delegations.map((d) => d.id),
  );
  const names = await countryNames(
    p.db,
    delegations.map((d) => d.country_code),
  );
  const me = actor.principal?.person.id;
  return {
    items: delegations.map((d) => {
      const mine = delegates.filter((x) => x.delegation_id === d.id);
      const full = manage || focal.includes(d.country_code) || (!!me && mine.some((x) => x.person_id === me));
      return {
        country: d.country_code,
        countryName: names.get(d.country_code) ?? d.country_code,
        quota: d.quota,
        delegateCount: mine.length,
        head: full ? (mine.find((x) => x.id === d.head_registration_id)?.person_name ?? null) : null,
        delegates: full
          ? mine.map((x) => ({ registrationId: x.id, person: { id: x.person_id, name: x.person_name }, organisation: { id: x.organisation_id, name: x.organisation_name }, head: x.id === d.head_registration_id, status: x.status as RegistrationStatus }))
          : null,
        can: { nominate: focal.includes(d.country_code) && r.status === 'published', setQuota: manage },
      };
    }),
    can: { setQuota: manage },
  };
}

/** The organisers set (or, with 0 and no delegates, remove) a country's quota: seats reserved for its delegation. */
export async function setQuota(p: Platform, actor: Actor, eventId: string, country: string, quota: number) {
  const { r } = await loadManaged(p, actor, eventId);
  if (!(await isCountry(p.db, country))) throw new AppError('VALIDATION_FAILED', `Not a member country: ${country}`, { field: 'country' });
  await change(p, async (c) => {
    const locked = await lockEvent(c.trx, r.id);
    const d = await delegationOf(c.trx, r.id, country);
    const named = d ? (await delegatesOf(c.trx, [d.id])).length : 0;
    if (quota < named) throw new AppError('DELEGATION_QUOTA_EXCEEDED', `${named} delegates are named already; the quota cannot be lower`, { field: 'quota', delegates: named });
    if (locked.capacity !== null) {
      const seats = await seatsTaken(c.trx, r.id);
      if (seats.held + seats.reserved - (d?.quota ?? 0) + quota > locked.capacity)
        throw new AppError('EVENT_FULL', 'Not enough free seats for this quota', { field: 'quota', free: locked.capacity - seats.held - seats.reserved + (d?.quota ?? 0) });
    }
    if (quota === 0 && d && named === 0) await removeDelegation(c.trx, d.id);
    else await upsertDelegation(c.trx, { id: d?.id ?? newId(), eventId: r.id, country, quota });
    await c.audit({ action: 'event.delegation_quota_set', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { country, quota } });
    // A smaller quota frees seats for the waitlist.
    if (d && quota < d.quota) await promote(p, c, r);
  });
  return listDelegations(p, actor, eventId);
}

async function focalDelegation(p: Platform, actor: Actor, eventId: string, country: string) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  const d = await delegationOf(p.db, r.id, country);
  if (!d) throw notFound('Delegation');
  if (!(await focalCountries(p.db, pr.person.id)).includes(country)) throw forbidden("Only the country's national focal points name its delegates");
  return { pr, r, d };
}

/**
 * A national focal point names a delegate: an active member of an approved organisation of
 * that country who may see the event. Within the quota; a person registered already joins the
 * delegation with their registration.
 */
export async function nominateDelegate(p: Platform, actor: Actor, eventId: string, country: string, b: { personId: string; head?: boolean }) {
  const { r, d } = await focalDelegation(p, actor, eventId, country);
  if (r.status !== 'published') throw new AppError('REGISTRATION_CLOSED', 'Delegates are named once the event is published', { status: r.status });
  registrationOpen(r);
  const person = await personWithOrganisation(p.db, b.personId);
  const parts = person ? await loadPrincipalParts(p.db, person.id) : null;
  if (!person || !parts || !parts.viewer.vetted || person.country_code !== country || !canSee(parts.viewer, eventMarking(r)))
    throw new AppError('VALIDATION_FAILED', `A delegate is an active member of an approved organisation of ${country} who may see the event`, { field: 'personId' });
  let registrationId = '';
  await change(p, async (c) => {
    await lockEvent(c.trx, r.id);
    const named = await delegatesOf(c.trx, [d.id]);
    if (named.some((x) => x.person_id === person.id)) throw new AppError('ALREADY_REGISTERED', 'This person is a delegate already');
    if (named.length >= d.quota) throw new AppError('DELEGATION_QUOTA_EXCEEDED', `The delegation of ${country} has ${d.quota} places, all named`, { quota: d.quota });
    const existing = await registrationOf(c.trx, r.id, person.id);
    if (existing && (existing.status === 'confirmed' || existing.status === 'pending' || existing.status === 'waitlisted')) {
      if (existing.delegation_id) throw new AppError('ALREADY_REGISTERED', 'This person is in another delegation');
      await c.trx.updateTable('event_registrations').set({ delegation_id: d.id, status: 'confirmed', updated_at: new Date() }).where('id', '=', existing.id).execute();
      registrationId = existing.id;
    } else registrationId = (await takePlace(p, c, r, { id: person.id, organisationId: person.org_id }, { consent: false, answers: {}, delegationId: d.id })).id;
    if (b.head) await setDelegationHead(c.trx, d.id, registrationId);
    await c.audit({ action: 'event.delegate_nominated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { country, registrationId, head: !!b.head } });
    await mailAbout(p, c, r, person.id, 'event_delegate', { country, status: 'confirmed' });
    // A registration that left the open seats for the delegation's frees one.
    if (existing) await promote(p, c, r);
  });
  return listDelegations(p, actor, eventId);
}

/** Whom a focal point may name: active members of approved organisations of the country who may see the event. */
export async function delegateCandidates(p: Platform, actor: Actor, eventId: string, country: string) {
  const { r } = await focalDelegation(p, actor, eventId, country);
  const out: { id: string; name: string; organisation: { id: string; name: string } }[] = [];
  for (const x of await peopleOfCountry(p.db, country, 300)) {
    const parts = await loadPrincipalParts(p.db, x.id);
    if (parts?.viewer.vetted && canSee(parts.viewer, eventMarking(r))) out.push({ id: x.id, name: x.name, organisation: { id: x.org_id, name: x.org_name } });
  }
  return { items: out };
}

export async function removeDelegate(p: Platform, actor: Actor, eventId: string, country: string, registrationId: string) {
  const { r, d } = await focalDelegation(p, actor, eventId, country);
  const reg = await registrationById(p.db, r.id, registrationId);
  if (!reg || reg.delegation_id !== d.id) throw notFound('Delegate');
  await endRegistration(p, actor, r, reg, 'withdrawn');
  return listDelegations(p, actor, eventId);
}

export async function setHead(p: Platform, actor: Actor, eventId: string, country: string, registrationId: string) {
  const { r, d } = await focalDelegation(p, actor, eventId, country);
  const reg = await registrationById(p.db, r.id, registrationId);
  if (!reg || reg.delegation_id !== d.id || reg.status !== 'confirmed') throw new AppError('VALIDATION_FAILED', 'The head of delegation is one of its delegates', { field: 'registrationId' });
  await change(p, async (c) => {
    await setDelegationHead(c.trx, d.id, reg.id);
    await c.audit({ action: 'event.delegation_head_set', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { country, registrationId } });
  });
  return listDelegations(p, actor, eventId);
}

/** The reference printed on a letter: derived from the registration with the installation's secret, so it cannot be guessed. */
export function letterReference(p: Platform, registrationId: string) {
  const h = crypto.createHmac('sha256', p.secret).update(`event-letter:${registrationId}`).digest('hex').slice(0, 12).toUpperCase();
  return `PUENTE-${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}`;
}

/**
 * A delegate's invitation letter (PDF, for a visa application): for the organisers, the
 * country's focal points and the delegate; in the language asked, else the reader's.
 */
export async function invitationLetter(p: Platform, actor: Actor, eventId: string, country: string, registrationId: string, lang?: string) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  const d = await delegationOf(p.db, r.id, country);
  const reg = d ? await registrationById(p.db, r.id, registrationId) : undefined;
  if (!d || !reg || reg.delegation_id !== d.id || reg.status !== 'confirmed') throw notFound('Letter');
  const { manage, focal } = await delegationPowers(p, actor, r);
  if (!manage && !focal.includes(country) && reg.person_id !== pr.person.id) throw notFound('Letter');
  const language: UiLanguage = isUiLanguage(lang) ? lang : isUiLanguage(pr.person.uiLanguage) ? pr.person.uiLanguage : 'en';
  const s = shown([language], r);
  const names = await countryNames(p.db, [country, ...(r.country_code ? [r.country_code] : [])]);
  const head = d.head_registration_id ? await registrationById(p.db, r.id, d.head_registration_id) : undefined;
  const { renderLetter } = await import('./letter.js');
  const body = await renderLetter({
    lang: language,
    event: s.fields.title,
    organiser: r.organiser_name,
    when: whenText(language, r),
    place: [r.place, r.country_code ? names.get(r.country_code) : ''].filter(Boolean).join(', ') || '—',
    delegate: reg.person_name,
    organisation: reg.organisation_name,
    country: names.get(country) ?? country,
    head: head && head.id !== reg.id ? head.person_name : null,
    isHead: d.head_registration_id === reg.id,
    reference: letterReference(p, reg.id),
    issued: new Date().toISOString().slice(0, 10),
    link: linkOf(p, `/events/${r.id}`),
  });
  await change(p, async (c) =>
    c.audit({ action: 'event.letter_issued', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { country, registrationId: reg.id } }),
  );
  return { filename: `invitation-${country}-${reg.id.slice(-8)}.pdf`, body };
}

// ---------- the minutes become an activity record (features/records) ----------

export interface MinutesInput {
  /** Markdown: the record's executive summary. */
  minutes: string;
  commitments?: { text: string; ownerOrgId: string; due?: string | null }[];
}

/**
 * Who writes the minutes: those who speak for the organisation that wrote the event (its author
 * and that organisation's admins). The record becomes that organisation's draft, with the event's
 * author and marking, so that it is seen by exactly those who may see the event once published —
 * an organiser of another organisation could not even read the draft it had made.
 */
function mayWriteMinutes(pr: Principal | null, r: Pick<EventRow, 'author_id' | 'author_org_id' | 'organiser_org_id'>) {
  if (!pr?.viewer.vetted || !abilitiesOf(pr, r).manage) return false;
  return pr.person.id === r.author_id || (hasRole(pr, 'org_admin') && pr.organisation.id === r.author_org_id);
}

/** The calendar day of a moment in the event's zone, as the record format writes dates. */
function dayIn(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const part = (type: string) => parts.find((x) => x.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** One line of the record format: no line breaks, no spaces at its ends, within its length. */
const oneLine = (s: string, max: number) => s.replace(/\s+/g, ' ').trim().slice(0, max).trim();
/** A name in a list the record format separates with "; ". */
const listName = (s: string, max: number) => oneLine(s.replace(/;/g, ','), max);

/** Where the record's problems lie in the organiser's form (the minutes are the record's summary). */
const minutesField = (field: string) => (field === 'summary' ? 'minutes' : field);

/**
 * After the event, its minutes become a draft activity record (features/records) of the
 * organisation that wrote the event, prefilled from it — title, dates in the event's zone, place,
 * the organisations that took part (confirmed registrations that agreed to be listed, and the
 * delegations), its concepts — with the commitments agreed there, and the event's marking. The
 * event keeps the link; a second call is ALREADY_EXISTS (409). One transaction: the record, its
 * commitments and the link are written together or not at all.
 */
export async function recordFromMinutes(p: Platform, actor: Actor, eventId: string, b: MinutesInput) {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, eventId);
  if (!abilitiesOf(pr, r).manage) throw forbidden('Only the organisers write the minutes of an event');
  if (!mayWriteMinutes(pr, r)) throw forbidden('The minutes become a record of the organisation that wrote the event: its author or that organisation’s admins write them');
  if (r.status !== 'published') throw invalidState(r.status === 'cancelled' ? 'A cancelled event has no minutes' : 'Publish the event first: minutes are written after it took place', { status: r.status });
  if (r.ends_at > new Date()) throw invalidState('The minutes are written once the event has ended', { endsAt: r.ends_at.toISOString() });
  if (r.record_id) throw new AppError('ALREADY_EXISTS', 'The minutes of this event are a record already', { recordId: r.record_id });

  const given = b.commitments ?? [];
  const owners = new Map((await approvedOrganisations(p.db, [...new Set([...given.map((c) => c.ownerOrgId), r.organiser_org_id])])).map((o) => [o.id, o]));
  given.forEach((c, i) => {
    if (!owners.has(c.ownerOrgId)) throw new AppError('VALIDATION_FAILED', 'A commitment’s owner is an approved member organisation', { field: `commitments.${i}.ownerOrgId` });
  });
  const lang: UiLanguage = isUiLanguage(r.language.split('-')[0]) ? (r.language.split('-')[0] as UiLanguage) : 'en';
  const names = await countryNames(p.db, r.country_code ? [r.country_code] : []);
  const place = [r.place, r.country_code ? (names.get(r.country_code) ?? r.country_code) : ''].filter(Boolean).join(', ');

  // The organisations that took part, grouped by kind as records group their actors: the organiser first.
  const organiser = owners.get(r.organiser_org_id);
  const taking = await participatingOrganisations(p.db, r.id);
  const orgs = [...(organiser ? [organiser] : []), ...taking.filter((o) => o.id !== organiser?.id)];
  const byType = new Map<string, string[]>();
  for (const o of orgs) {
    const name = listName(o.name, 300);
    const list = byType.get(o.type) ?? [];
    if (name && !list.includes(name)) byType.set(o.type, [...list, name]);
  }
  const actors = [...byType.entries()].flatMap(([type, list]) => {
    // A kind without a label in the server's strings is named as stored rather than failing the minutes.
    const category = oneLine(ORGANISATION_TYPES.includes(type as OrganisationType) ? t(lang, `portal.audiences.${type}`) : type, 200);
    // The format holds 60 actors a row: more of one kind continue on the next row.
    return Array.from({ length: Math.ceil(list.length / 60) }, (_, k) => ({ category, actors: list.slice(k * 60, k * 60 + 60) }));
  });

  const start = dayIn(r.starts_at, r.time_zone);
  // An event ending at midnight ended the day before.
  const end = dayIn(new Date(r.ends_at.getTime() - 1), r.time_zone);
  const doc: RecordDoc = {
    title: oneLine(r.title, 300),
    date: start,
    ...(end > start ? { endDate: end } : {}),
    // The record format needs a location: an event held nowhere in particular says so.
    location: oneLine(place || (r.online ? t(lang, 'events.record.online') : '—'), 200),
    summary: b.minutes.replace(/\r\n?/g, '\n').trim(),
    characteristics: [
      oneLine(t(lang, 'events.record.organised', { kind: t(lang, `events.kind.${r.kind}`), organiser: r.organiser_name }), 1000),
      ...(r.online ? [oneLine(t(lang, place ? 'events.record.alsoOnline' : 'events.record.onlineOnly'), 1000)] : []),
    ],
    actors,
    themes: [],
    applications: [],
    commitments: given.map((c) => {
      const o = owners.get(c.ownerOrgId)!;
      return { text: c.text.trim(), owners: [listName(o.name, 300)], countries: /^[A-Z]{2}$/.test(o.country_code) ? [o.country_code] : [], ...(c.due ? { due: c.due } : {}), status: 'planned' as const, progress: 0, milestones: [], evidence: [] };
    }),
  };
  // What the record format cannot hold is said against the organiser's own fields.
  const problems = recordProblems(doc);
  if (problems.length) {
    const first = problems[0]!;
    throw new AppError('VALIDATION_FAILED', `${minutesField(first.field)}: ${first.problem}`, { field: minutesField(first.field), problem: first.problem, ...(first.limit !== undefined ? { limit: first.limit } : {}) });
  }
  let checked: RecordDoc;
  try {
    checked = requireRecordDoc(doc);
  } catch (e) {
    const d = e instanceof AppError ? (e.details as { field?: string } | undefined) : undefined;
    if (e instanceof AppError && d?.field) throw new AppError(e.code, e.message, { ...d, field: minutesField(d.field) });
    throw e;
  }

  const id = newId();
  await change(p, async (c) => {
    // Under the event's lock: of two calls at once, the second finds the link of the first.
    const locked = await lockEvent(c.trx, r.id);
    if (locked.record_id) throw new AppError('ALREADY_EXISTS', 'The minutes of this event are a record already', { recordId: locked.record_id });
    await insertRecord(c.trx, id, checked, {
      status: 'draft',
      tlp: r.tlp,
      pap: r.pap,
      // NOT NULL in event_items (MarkingColumns allows null for other tables).
      authorId: r.author_id!,
      authorOrgId: r.author_org_id!,
      ...audienceColumns({ organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }),
      concepts: r.concepts,
      language: r.language,
    });
    await linkRecord(c.trx, r.id, id);
    // Identifiers only, as the records audit theirs.
    await c.audit({ action: 'record.created', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'record', targetId: id, details: { tlp: r.tlp, commitments: checked.commitments.length, eventId: r.id } });
    await c.audit({ action: 'event.minutes_recorded', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'event', targetId: r.id, details: { recordId: id } });
  });
  const made = (await visibleRecordOf(p.db, pr.viewer, hasRole(pr, 'secretariat'), id))!;
  return { id: made.id, slug: made.slug, title: made.title, status: made.status as 'draft' | 'proposed' | 'published' };
}

// ---------- jobs and seams ----------

export const RETENTION_JOB = 'events.purge_answers';
/** Daily, early morning UTC. */
export const RETENTION_CRON = '40 4 * * *';

/** The events carrying a concept, for the concept's page (Feature.tagged). */
export async function eventsTagged(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const rows = await taggedEvents(p.db, viewerOf(actor), tag, limit);
  return rows.map((r) => {
    const s = shown(actor.readerLanguages, r);
    return { kind: 'event', id: r.id, title: s.fields.title, lang: s.info.shown, path: `/events/${r.id}`, tlp: r.tlp, date: r.starts_at.toISOString().slice(0, 10) };
  });
}

// ---------- for the translation queue (features/translations) ----------

export interface TranslatableEvent {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Texts;
}

const asTranslatable = (r: EventRow): TranslatableEvent => ({ id: r.id, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) });

/** The events of this person's organisation (as author or organiser) they may translate. */
export async function translatableEvents(p: Platform, pr: Principal): Promise<TranslatableEvent[]> {
  const rows = await eventPage(p.db, pr.viewer, {}, { limit: 500 });
  return rows.filter((r) => abilitiesOf(pr, r).translate).map(asTranslatable);
}

export async function loadTranslatableEvent(p: Platform, actor: Actor, id: string): Promise<TranslatableEvent> {
  const pr = requireVetted(actor);
  const r = await loadEvent(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only the organisers and their translators translate an event');
  return asTranslatable(r);
}

export type { Viewer };
