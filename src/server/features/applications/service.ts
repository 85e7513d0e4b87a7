import { APPLICATION_STATUSES, GENDERS, SELECTION_MODES, type ApplicationStatus, type Gender, type SelectionMode } from '#shared/capacity';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { applicationAbilities, asActor, offerAbilities } from '../../platform/access/abilities.js';
import { ANONYMOUS, type Marking } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { hasRole, loadPrincipalParts, requireVetted, type Principal } from '../../platform/auth/principal.js';
import type { CalendarEntry } from '../../platform/calendar.js';
import { writeCsv } from '../../platform/csv.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { newId, randomToken } from '../../platform/ids.js';
import { personalMarking, renderMail, type OutgoingMail } from '../../platform/mail.js';
import { showFor } from '../../platform/translations.js';
import { wallTime } from '../offers/zones.js';
import { sessionEntry, sessionItip, type SessionForCalendar } from './calendar.js';
import { renderCertificate } from './certificate.js';
import {
  activeOfSession,
  addConfirmed,
  certificateByCode,
  endorsable,
  existingApplication,
  feedbackOf,
  firstWaitlisted,
  focalCountriesOf,
  isFocalPoint,
  lockApplication,
  lockSession,
  offerApplicationCounts,
  offerApplications,
  offerForApplying,
  offerKeepsWaitlist,
  outcomeRows,
  ownApplications,
  partnerOrganisations,
  readableById,
  selectedSessions,
  sessionsFor,
  takeTicket,
  type ApplicationFilters,
  type ApplicationRow,
  type ApplyOffer,
  type LockedApplication,
  type LockedSession,
} from './repository.js';

/** Limits, documented in docs/applications.md; the migration's CHECKs hold the same. */
export const LIMITS = { motivation: 5000, answer: 2000, reason: 2000, note: 2000, comments: 5000, followUp: 5000, questions: 20, label: 300, options: 30, list: 500 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Za-z0-9_-]{20,64}$/;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
const linkOf = (p: Platform, path: string) => `${p.config.baseUrl.replace(/\/$/, '')}${path}`;
const OPEN: ApplicationStatus[] = ['submitted', 'endorsement-pending', 'endorsed', 'selected', 'waitlisted'];

// ---------- the questions an offer asks ----------

export interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice' | 'yes-no';
  options?: string[];
  required?: boolean;
}

export function questionsOf(v: unknown): Question[] {
  return Array.isArray(v) ? (v as Question[]) : [];
}

function checkQuestions(qs: Question[]): Question[] {
  if (qs.length > LIMITS.questions) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.questions} questions`, { field: 'questions' });
  const ids = new Set<string>();
  return qs.map((q, i) => {
    const field = `questions/${i}`;
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(q.id) || ids.has(q.id)) throw new AppError('VALIDATION_FAILED', 'Each question needs its own id (a-z, 0-9, -)', { field });
    ids.add(q.id);
    const label = q.label.trim();
    if (!label || label.length > LIMITS.label) throw new AppError('VALIDATION_FAILED', `A question needs a label of at most ${LIMITS.label} characters`, { field });
    const options = q.type === 'choice' ? [...new Set((q.options ?? []).map((o) => o.trim()).filter(Boolean))] : undefined;
    if (q.type === 'choice' && (!options || options.length < 2 || options.length > LIMITS.options)) throw new AppError('VALIDATION_FAILED', `A choice needs 2 to ${LIMITS.options} options`, { field });
    return { id: q.id, label, type: q.type, ...(options ? { options } : {}), required: !!q.required };
  });
}

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

const clean = (s: string | undefined | null) => (s ?? '').replace(/\u0000/g, '').trim();
function limited(v: string | undefined, max: number, field: string) {
  const s = clean(v);
  if (s.length > max) throw new AppError('VALIDATION_FAILED', `At most ${max} characters`, { field });
  return s;
}

// ---------- reading ----------

type Titled = { offer_title: string; offer_language: string; offer_source_rev: number; offer_translations: unknown };
/** The offer's title in the first of these languages it is written or translated in. */
export const offerTitle = (r: Titled, languages: readonly string[]) =>
  showFor<'title'>({ language: r.offer_language, source_rev: r.offer_source_rev, translations: r.offer_translations, source: { title: r.offer_title } }, languages).fields.title;

function abilitiesOf(pr: Principal | null, r: ApplicationRow, focalCountries: readonly string[]) {
  return applicationAbilities(
    asActor(pr),
    { personId: r.person_id, organisationId: r.organisation_id, status: r.status, completed: r.completed, hasFeedback: r.has_feedback, offerAuthorId: r.offer_author_id, providerOrgId: r.provider_org_id },
    { focalPointOfApplicantsCountry: focalCountries.includes(r.country) },
  );
}

/**
 * An application as its reader may see it. The gender is self-declared for the outcomes' counts
 * only: shown to the applicant, to nobody else. The certificate's code (the credential that
 * opens its public page) goes to the applicant and the provider; the e-mail to the provider.
 */
function view(p: Platform, actor: Actor, r: ApplicationRow, focalCountries: readonly string[]) {
  const pr = actor.principal;
  const own = pr?.person.id === r.person_id;
  const provider = pr?.organisation.id === r.provider_org_id;
  return {
    id: r.id,
    status: r.status as ApplicationStatus,
    waitlistPosition: r.waitlist_position,
    appliedAt: r.applied_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    offer: {
      id: r.offer_id,
      slug: r.offer_slug,
      title: offerTitle(r, actor.readerLanguages),
      type: r.offer_type,
      provider: { id: r.provider_org_id, name: r.provider_name },
      selection: r.offer_selection as SelectionMode,
      requiresEndorsement: r.offer_requires_endorsement,
    },
    session: {
      id: r.session_id,
      startsAt: r.starts_at.toISOString(),
      endsAt: r.ends_at.toISOString(),
      timeZone: r.time_zone,
      place: r.place,
      country: r.session_country,
      online: r.online,
      cancelled: r.cancelled_at !== null,
    },
    applicant: { id: r.person_id, name: r.person_name, email: provider || own ? r.person_email : null, organisation: { id: r.organisation_id, name: r.org_name, type: r.org_type }, country: r.country },
    motivation: r.motivation,
    answers: (r.answers ?? {}) as Record<string, string | boolean>,
    gender: own ? (r.gender as Gender | null) : null,
    decisionReason: r.decision_reason,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    endorsement: r.endorsed_at ? { at: r.endorsed_at.toISOString(), note: r.endorsement_note } : null,
    attended: r.attended,
    attendedDays: r.attended_days,
    completed: r.completed,
    completedAt: r.completed_at ? r.completed_at.toISOString() : null,
    certificate: r.certificate_code
      ? {
          code: own || provider ? r.certificate_code : null,
          url: own || provider ? linkOf(p, `/certificates/${r.certificate_code}`) : null,
          issuedAt: r.certificate_issued_at!.toISOString(),
          revoked: r.certificate_revoked_at !== null,
        }
      : null,
    feedbackGiven: r.has_feedback,
    can: abilitiesOf(pr, r, focalCountries),
  };
}
export type ApplicationView = ReturnType<typeof view>;

async function focalOf(p: Platform, actor: Actor) {
  return actor.principal ? focalCountriesOf(p.db, actor.principal.person.id) : [];
}

async function loadReadable(p: Platform, actor: Actor, id: string): Promise<ApplicationRow> {
  const r = UUID.test(id) ? await readableById(p.db, viewerOf(actor), id.toLowerCase()) : undefined;
  // Not readable and not there look the same.
  if (!r) throw notFound('Application');
  return r;
}

export async function getApplication(p: Platform, actor: Actor, id: string) {
  requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  const v = view(p, actor, r, await focalOf(p, actor));
  const fb = v.applicant.id === actor.principal!.person.id && r.has_feedback ? await feedbackOf(p.db, r.id) : undefined;
  return {
    ...v,
    feedback: fb ? { satisfaction: fb.satisfaction, usefulness: fb.usefulness, comments: fb.comments, followUp: fb.follow_up, at: fb.created_at.toISOString() } : null,
  };
}

export interface ListQuery {
  status?: ApplicationStatus;
  session?: string;
  country?: string;
  q?: string;
  limit?: number;
}

function filtersOf(q: ListQuery): ApplicationFilters {
  if (q.status && !(APPLICATION_STATUSES as readonly string[]).includes(q.status)) throw new AppError('VALIDATION_FAILED', `"${q.status}" is not a status of an application`, { field: 'status' });
  return { status: q.status, session: q.session, country: q.country?.toUpperCase(), q: q.q?.trim() || undefined };
}

/** My applications, newest first. */
export async function myApplications(p: Platform, actor: Actor, q: ListQuery) {
  const pr = requireVetted(actor);
  const rows = await ownApplications(p.db, pr.viewer, filtersOf(q), q.limit ?? LIMITS.list);
  const focal = await focalOf(p, actor);
  return { items: rows.map((r) => view(p, actor, r, focal)) };
}

/**
 * The applications to an offer the reader may read — all of them for the provider, their own
 * organisation's for an organisation admin — with counts per session and status over the same.
 */
export async function applicationsToOffer(p: Platform, actor: Actor, offerId: string, q: ListQuery) {
  const pr = requireVetted(actor);
  const o = await loadOffer(p, actor, offerId);
  const f = filtersOf(q);
  const [rows, counts, focal] = await Promise.all([offerApplications(p.db, pr.viewer, o.id, f, q.limit ?? LIMITS.list), offerApplicationCounts(p.db, pr.viewer, o.id), focalOf(p, actor)]);
  const can = offerAbilities(asActor(pr), { authorId: o.author_id, authorOrgId: o.author_org_id, status: o.status });
  return {
    offer: { id: o.id, slug: o.slug, title: offerTitle(titled(o), actor.readerLanguages), ...settingsOf(o), selectionCriteria: o.selection_criteria },
    sessions: (await sessionsFor(p.db, o.id)).map((s) => ({ ...sessionView(s), counts: Object.fromEntries(counts.filter((c) => c.session_id === s.id).map((c) => [c.status, c.n])) })),
    items: rows.map((r) => view(p, actor, r, focal)),
    can: { manage: can.edit },
  };
}

/** Applications waiting for an endorsement this person may give. */
export async function endorsements(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  const rows = await endorsable(p.db, pr.viewer, LIMITS.list);
  const focal = await focalOf(p, actor);
  return { items: rows.map((r) => view(p, actor, r, focal)) };
}

// ---------- the offer's side: settings and the form ----------

const titled = (o: ApplyOffer): Titled => ({ offer_title: o.title, offer_language: o.language, offer_source_rev: o.source_rev, offer_translations: o.translations });
const settingsOf = (o: ApplyOffer) => ({ selection: o.selection as SelectionMode, waitlist: o.waitlist, requiresEndorsement: o.requires_endorsement, questions: questionsOf(o.application_questions) });

async function loadOffer(p: Platform, actor: Actor, id: string): Promise<ApplyOffer> {
  const isId = UUID.test(id);
  const o = await offerForApplying(p.db, viewerOf(actor), isId ? id.toLowerCase() : id, isId);
  if (!o) throw notFound('Offer');
  return o;
}

function sessionView(s: Awaited<ReturnType<typeof sessionsFor>>[number], now = Date.now()) {
  const closed = s.cancelled_at !== null || now >= s.starts_at.getTime() || (s.application_deadline !== null && now > s.application_deadline.getTime());
  return {
    id: s.id,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    timeZone: s.time_zone,
    place: s.place,
    country: s.country,
    online: s.online,
    seats: s.seats,
    freeSeats: Math.max(0, s.seats - s.confirmed),
    applicationDeadline: s.application_deadline ? s.application_deadline.toISOString() : null,
    cancelled: s.cancelled_at !== null,
    open: !closed,
  };
}

/** What the offer page's application form needs: the sessions with their free seats and deadlines, the questions, and the reader's own applications. */
export async function applicationForm(p: Platform, actor: Actor, offerId: string) {
  const o = await loadOffer(p, actor, offerId);
  const sessions = await sessionsFor(p.db, o.id);
  const pr = actor.principal;
  const mine = pr?.viewer.vetted ? await ownApplications(p.db, pr.viewer, {}, LIMITS.list) : [];
  const eligible = !!pr?.viewer.vetted && (o.countries.length === 0 || o.countries.includes(pr.organisation.country));
  return {
    offerId: o.id,
    status: o.status,
    ...settingsOf(o),
    eligibleCountries: o.countries,
    eligible,
    sessions: sessions.map((s) => sessionView(s)),
    mine: mine.filter((a) => a.offer_id === o.id).map((a) => ({ sessionId: a.session_id, applicationId: a.id, status: a.status as ApplicationStatus })),
  };
}

export interface SettingsInput {
  selection?: SelectionMode;
  waitlist?: boolean;
  questions?: Question[];
}

/** How applicants are selected and what they are asked: the provider's (who may edit the offer). */
export async function setApplicationSettings(p: Platform, actor: Actor, offerId: string, i: SettingsInput) {
  const pr = requireVetted(actor);
  const o = await loadOffer(p, actor, offerId);
  if (!offerAbilities(asActor(pr), { authorId: o.author_id, authorOrgId: o.author_org_id, status: o.status }).edit) throw forbidden("Only the offer's author and its organisation admins change how it selects");
  if (i.selection && !(SELECTION_MODES as readonly string[]).includes(i.selection)) throw new AppError('VALIDATION_FAILED', `"${i.selection}" is not a way of selecting`, { field: 'selection' });
  const questions = i.questions ? checkQuestions(i.questions) : undefined;
  await change(p, async (c) => {
    await c.trx
      .updateTable('offers')
      .set({
        ...(i.selection ? { selection: i.selection } : {}),
        ...(i.waitlist !== undefined ? { waitlist: i.waitlist } : {}),
        ...(questions ? { application_questions: JSON.stringify(questions) } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', o.id)
      .execute();
    await c.audit({
      action: 'offer.application_settings_changed',
      ...auditActor(actor),
      organisationId: o.author_org_id,
      targetType: 'offer',
      targetId: o.id,
      details: { ...(i.selection ? { selection: i.selection } : {}), ...(i.waitlist !== undefined ? { waitlist: i.waitlist } : {}), ...(questions ? { questions: questions.length } : {}) },
    });
  });
  return applicationForm(p, actor, o.id);
}

// ---------- mail, events ----------

type Purpose =
  | 'application_received'
  | 'application_selected'
  | 'application_waitlisted'
  | 'application_promoted'
  | 'application_not_selected'
  | 'application_endorsement_refused'
  | 'application_withdrawn'
  | 'application_session_changed'
  | 'application_session_cancelled'
  | 'application_reminder'
  | 'certificate_issued';

/** Each mail's purpose, written out so the outbox's list of purposes (web auditView.ts) can be checked against the code. */
const PURPOSE: Record<Purpose, { purpose: Purpose }> = {
  application_received: { purpose: 'application_received' },
  application_selected: { purpose: 'application_selected' },
  application_waitlisted: { purpose: 'application_waitlisted' },
  application_promoted: { purpose: 'application_promoted' },
  application_not_selected: { purpose: 'application_not_selected' },
  application_endorsement_refused: { purpose: 'application_endorsement_refused' },
  application_withdrawn: { purpose: 'application_withdrawn' },
  application_session_changed: { purpose: 'application_session_changed' },
  application_session_cancelled: { purpose: 'application_session_cancelled' },
  application_reminder: { purpose: 'application_reminder' },
  certificate_issued: { purpose: 'certificate_issued' },
};

function whenText(lang: string, s: { starts_at: Date; ends_at: Date; time_zone: string }) {
  const f = new Intl.DateTimeFormat(lang, { timeZone: s.time_zone, dateStyle: 'long', timeStyle: 'short' });
  return `${f.formatRange(s.starts_at, s.ends_at)} (${s.time_zone})`;
}

interface MailSession extends SessionForCalendar {
  offer_id: string;
}

/**
 * A mail about an application to its applicant, only while they may still read it (the rule of
 * repository.ts: an offer narrowed away from them is not mailed about). It carries their personal
 * data, so the outbox keeps it to them (personalMarking). An iTIP part goes with a seat's news.
 */
export async function mailApplicant(
  p: Platform,
  trx: Transaction<DB>,
  send: (m: OutgoingMail) => Promise<unknown>,
  applicationId: string,
  purpose: Purpose,
  o: { session?: MailSession; calendar?: 'REQUEST' | 'CANCEL'; vars?: Record<string, string>; state?: 'review' | 'endorsement' } = {},
) {
  const parts = await loadPrincipalParts(trx, (await trx.selectFrom('applications').select('person_id').where('id', '=', applicationId).executeTakeFirstOrThrow()).person_id);
  if (!parts || !parts.viewer.vetted) return;
  const r = await readableById(trx, parts.viewer, applicationId);
  if (!r) return;
  const lang: UiLanguage = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
  const languages = [lang, ...parts.person.languages];
  const title = offerTitle(r, languages);
  const s: MailSession = o.session ?? { id: r.session_id, offer_id: r.offer_id, sequence: r.sequence, starts_at: r.starts_at, ends_at: r.ends_at, time_zone: r.time_zone, place: r.place, country: r.session_country, online: r.online, cancelled_at: r.cancelled_at };
  const m = renderMail(lang, purpose, {
    name: parts.person.name,
    offer: title,
    provider: r.provider_name,
    when: whenText(lang, s),
    place: [s.place, s.online ? 'online' : ''].filter(Boolean).join(' · ') || '—',
    link: linkOf(p, '/applications'),
    status: o.state ? t(lang, `applications.state.${o.state}`) : '',
    ...o.vars,
  });
  const entry = sessionEntry(p, s, { title, slug: r.offer_slug, provider: r.provider_name });
  await send({
    to: parts.person.email,
    ...m,
    ...PURPOSE[purpose],
    content: { marking: personalMarking(parts.person.id) },
    ...(o.calendar ? { calendar: { method: o.calendar, ics: sessionItip(p, entry, o.calendar, r.provider_name, { name: parts.person.name, email: parts.person.email }) } } : {}),
  });
}

/** The stream's news of an application: ids and status only, to the applicant and the provider organisation. */
export function eventMarking(personId: string, providerOrgId: string): Marking {
  return { tlp: 'AMBER+STRICT', authorId: personId, authorOrgId: providerOrgId, audience: { organisations: [], communities: [], people: [] } };
}
async function announce(c: Change, a: { id: string; person_id: string; offer_id: string; session_id: string }, providerOrgId: string, status: string) {
  await c.event({ type: 'application.changed', subjectType: 'application', subjectId: a.id, payload: { offerId: a.offer_id, sessionId: a.session_id, status }, marking: eventMarking(a.person_id, providerOrgId) });
}

// ---------- applying ----------

export interface ApplyInput {
  motivation?: string;
  answers?: Record<string, unknown>;
  gender?: Gender | null;
}

function sessionClosed(o: { status: string }, s: LockedSession, now: Date): string | null {
  if (o.status !== 'published') return 'The offer is not open to applications';
  if (s.cancelled_at) return 'The session was cancelled';
  if (now >= s.starts_at) return 'The session has begun';
  if (s.application_deadline && now > s.application_deadline) return 'The application deadline has passed';
  return null;
}

/**
 * Place an arrival in a first-come session, under the session's lock: a free seat if there is
 * one, else the next place on the waitlist, else (no waitlist) nothing — the caller decides.
 */
async function placeArrival(trx: Transaction<DB>, o: { waitlist: boolean }, s: LockedSession, ticket: number): Promise<{ status: 'selected' } | { status: 'waitlisted'; waitlistTicket: number } | null> {
  if (s.confirmed < s.seats) {
    await addConfirmed(trx, s.id, 1);
    s.confirmed += 1;
    return { status: 'selected' };
  }
  if (o.waitlist) return { status: 'waitlisted', waitlistTicket: ticket };
  return null;
}

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';

/**
 * Apply to a session. One application per person and session (409 ALREADY_APPLIED); none after
 * the deadline, once the session has begun or was cancelled, or to an offer not published (409
 * APPLICATIONS_CLOSED). The session's row is locked for the whole change, so arrivals are
 * numbered, seated and waitlisted one after the other: a first-come session never takes more
 * than its seats, and a full one without a waitlist refuses (409 SESSION_FULL) with nothing written.
 */
export async function apply(p: Platform, actor: Actor, offerId: string, sessionId: string, i: ApplyInput) {
  const pr = requireVetted(actor);
  const o = await loadOffer(p, actor, offerId);
  if (!UUID.test(sessionId)) throw notFound('Session');
  if (i.gender !== undefined && i.gender !== null && !(GENDERS as readonly string[]).includes(i.gender)) throw new AppError('VALIDATION_FAILED', `"${i.gender}" is not one of the choices`, { field: 'gender' });
  const motivation = limited(i.motivation, LIMITS.motivation, 'motivation');
  const answers = checkAnswers(questionsOf(o.application_questions), i.answers);
  if (o.countries.length && !o.countries.includes(pr.organisation.country)) throw forbidden(`This offer is open to people of ${o.countries.join(', ')}`);
  const now = new Date();
  let id: string;
  try {
    id = await change(p, async (c) => {
      const s = await lockSession(c.trx, o.id, sessionId.toLowerCase());
      if (!s) throw notFound('Session');
      const closed = sessionClosed(o, s, now);
      if (closed) throw new AppError('APPLICATIONS_CLOSED', closed, { sessionId: s.id });
      if (await existingApplication(c.trx, s.id, pr.person.id)) throw new AppError('ALREADY_APPLIED', 'You have applied to this session already', { sessionId: s.id });
      const ticket = await takeTicket(c.trx, s.id);
      let placed: Awaited<ReturnType<typeof placeArrival>> | { status: 'endorsement-pending' | 'submitted' };
      if (o.requires_endorsement) placed = { status: 'endorsement-pending' };
      else if (o.selection === 'first-come') {
        placed = await placeArrival(c.trx, o, s, ticket);
        if (!placed) throw new AppError('SESSION_FULL', 'Every seat is taken and the session keeps no waitlist', { seats: s.seats });
      } else placed = { status: 'submitted' };
      const row = {
        id: newId(),
        offer_id: o.id,
        session_id: s.id,
        person_id: pr.person.id,
        organisation_id: pr.organisation.id,
        country: pr.organisation.country,
        status: placed.status,
        needs_endorsement: o.requires_endorsement,
        ticket,
        waitlist_ticket: placed.status === 'waitlisted' ? placed.waitlistTicket : null,
        motivation,
        answers: JSON.stringify(answers),
        gender: i.gender ?? null,
        // Taken under the lock: arrival times follow the tickets.
        applied_at: new Date(),
        ...(placed.status === 'selected' ? { decided_at: now } : {}),
      };
      await c.trx.insertInto('applications').values(row).execute();
      await c.audit({ action: 'application.submitted', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'application', targetId: row.id, details: { offerId: o.id, sessionId: s.id, status: placed.status } });
      await announce(c, row, o.author_org_id, placed.status);
      const session = { ...s, offer_id: o.id };
      if (placed.status === 'selected') await mailApplicant(p, c.trx, c.mail, row.id, 'application_selected', { session, calendar: 'REQUEST' });
      else if (placed.status === 'waitlisted') await mailApplicant(p, c.trx, c.mail, row.id, 'application_waitlisted', { session, vars: { position: String(await waitlistPosition(c.trx, s.id, placed.waitlistTicket)) } });
      else await mailApplicant(p, c.trx, c.mail, row.id, 'application_received', { session, state: placed.status === 'endorsement-pending' ? 'endorsement' : 'review' });
      return row.id;
    });
  } catch (e) {
    // The lock makes the check above decisive; the unique key stays the last word.
    if (isUniqueViolation(e)) throw new AppError('ALREADY_APPLIED', 'You have applied to this session already', { sessionId });
    throw e;
  }
  return getApplication(p, actor, id);
}

async function waitlistPosition(trx: Transaction<DB>, sessionId: string, waitlistTicket: number) {
  const r = await trx
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'waitlisted')
    .where('waitlist_ticket', '<=', waitlistTicket)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

// ---------- changing an application ----------

/**
 * Run a change of one application under its session's lock (always the session first, then the
 * application: the order every change takes, so two never wait on each other).
 */
async function changeApplication<T>(
  p: Platform,
  r: ApplicationRow,
  fn: (c: Change, s: LockedSession, a: LockedApplication) => Promise<T>,
): Promise<T> {
  return change(p, async (c) => {
    const s = await lockSession(c.trx, r.offer_id, r.session_id);
    const a = await lockApplication(c.trx, r.id);
    if (!s || !a) throw notFound('Application');
    return fn(c, s, a);
  });
}

const mustBe = (a: LockedApplication, allowed: string[], what: string) => {
  if (!allowed.includes(a.status)) throw invalidState(`${what} is not possible for an application that is ${a.status}`, { status: a.status, allowed });
};

/**
 * Endorse an application (or refuse to): an admin of the applicant's organisation, or a national
 * focal point of the applicant's country — never the applicant. On a first-come offer the
 * endorsed applicant then arrives: a seat, or the waitlist.
 */
export async function endorse(p: Platform, actor: Actor, id: string, i: { note?: string; refuse?: boolean }) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  const focal = await isFocalPoint(p.db, pr.person.id, r.country);
  const can = abilitiesOf(pr, r, focal ? [r.country] : []);
  if (!can.endorse) throw r.status !== 'endorsement-pending' ? invalidState('The application is not waiting for an endorsement', { status: r.status }) : forbidden("Only an admin of the applicant's organisation or a national focal point of their country endorses");
  const note = limited(i.note, LIMITS.note, 'note');
  await changeApplication(p, r, async (c, s, a) => {
    mustBe(a, ['endorsement-pending'], 'An endorsement');
    const now = new Date();
    let status: string = i.refuse ? 'endorsement-refused' : 'endorsed';
    let waitlistTicket: number | null = null;
    if (!i.refuse && r.offer_selection === 'first-come' && !s.cancelled_at) {
      const ticket = await takeTicket(c.trx, s.id);
      const placed = await placeArrival(c.trx, { waitlist: await offerKeepsWaitlist(c.trx, r.offer_id) }, s, ticket);
      // Full and no waitlist: endorsed, and the provider decides if a seat frees.
      if (placed) {
        status = placed.status;
        waitlistTicket = placed.status === 'waitlisted' ? placed.waitlistTicket : null;
      }
    }
    await c.trx
      .updateTable('applications')
      .set({ status, waitlist_ticket: waitlistTicket, endorsed_by: pr.person.id, endorsed_at: now, endorsement_note: note, ...(status === 'selected' ? { decided_at: now } : {}), updated_at: now })
      .where('id', '=', a.id)
      .execute();
    await c.audit({
      action: i.refuse ? 'application.endorsement_refused' : 'application.endorsed',
      ...auditActor(actor),
      organisationId: a.organisation_id,
      targetType: 'application',
      targetId: a.id,
      details: { offerId: a.offer_id, sessionId: a.session_id, status, asFocalPoint: focal && pr.organisation.id !== a.organisation_id },
    });
    await announce(c, a, r.provider_org_id, status);
    const session = { ...s, offer_id: a.offer_id };
    if (status === 'endorsement-refused') await mailApplicant(p, c.trx, c.mail, a.id, 'application_endorsement_refused', { session, vars: { reason: note || '—' } });
    else if (status === 'selected') await mailApplicant(p, c.trx, c.mail, a.id, 'application_selected', { session, calendar: 'REQUEST' });
    else if (status === 'waitlisted') await mailApplicant(p, c.trx, c.mail, a.id, 'application_waitlisted', { session, vars: { position: String(await waitlistPosition(c.trx, s.id, waitlistTicket!)) } });
  });
  return getApplication(p, actor, r.id);
}

export type Decision = 'select' | 'waitlist' | 'not-select';

/**
 * The provider's decision against the offer's stated criteria: select (a seat, 409 SESSION_FULL
 * when none is free), put on the waitlist, or not select — the last with its reason.
 */
export async function decide(p: Platform, actor: Actor, id: string, i: { decision: Decision; reason?: string }) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  const can = abilitiesOf(pr, r, []);
  const provider = offerAbilities(asActor(pr), { authorId: r.offer_author_id, authorOrgId: r.provider_org_id, status: r.offer_status }).edit;
  if (!can.decide) throw provider ? invalidState(`No decision is taken on an application that is ${r.status}`, { status: r.status }) : forbidden("Only the offer's author and its organisation admins decide on applications");
  const reason = limited(i.reason, LIMITS.reason, 'reason');
  if (i.decision === 'not-select' && !reason) throw new AppError('VALIDATION_FAILED', 'Say why, against the offer’s selection criteria', { field: 'reason' });
  await changeApplication(p, r, async (c, s, a) => {
    mustBe(a, ['submitted', 'endorsed', 'waitlisted'], 'A decision');
    const now = new Date();
    const session = { ...s, offer_id: a.offer_id };
    if (i.decision === 'select') {
      if (s.cancelled_at) throw new AppError('APPLICATIONS_CLOSED', 'The session was cancelled', { sessionId: s.id });
      if (s.confirmed >= s.seats) throw new AppError('SESSION_FULL', 'No seat is free', { seats: s.seats, confirmed: s.confirmed });
      await addConfirmed(c.trx, s.id, 1);
      await c.trx.updateTable('applications').set({ status: 'selected', waitlist_ticket: null, decision_reason: reason, decided_by: pr.person.id, decided_at: now, updated_at: now }).where('id', '=', a.id).execute();
      await mailApplicant(p, c.trx, c.mail, a.id, 'application_selected', { session, calendar: 'REQUEST' });
    } else if (i.decision === 'waitlist') {
      if (a.status === 'waitlisted') throw invalidState('The application is on the waitlist already', { status: a.status });
      const ticket = await takeTicket(c.trx, s.id);
      await c.trx.updateTable('applications').set({ status: 'waitlisted', waitlist_ticket: ticket, decision_reason: reason, decided_by: pr.person.id, decided_at: now, updated_at: now }).where('id', '=', a.id).execute();
      await mailApplicant(p, c.trx, c.mail, a.id, 'application_waitlisted', { session, vars: { position: String(await waitlistPosition(c.trx, s.id, ticket)) } });
    } else {
      await c.trx.updateTable('applications').set({ status: 'not-selected', waitlist_ticket: null, decision_reason: reason, decided_by: pr.person.id, decided_at: now, updated_at: now }).where('id', '=', a.id).execute();
      await mailApplicant(p, c.trx, c.mail, a.id, 'application_not_selected', { session, vars: { reason } });
    }
    const status = i.decision === 'select' ? 'selected' : i.decision === 'waitlist' ? 'waitlisted' : 'not-selected';
    await c.audit({
      action: i.decision === 'select' ? 'application.selected' : i.decision === 'waitlist' ? 'application.waitlisted' : 'application.not_selected',
      ...auditActor(actor),
      organisationId: r.provider_org_id,
      targetType: 'application',
      targetId: a.id,
      details: { offerId: a.offer_id, sessionId: a.session_id, from: a.status, reasonGiven: !!reason },
    });
    await announce(c, a, r.provider_org_id, status);
  });
  return getApplication(p, actor, r.id);
}

/** Give the first on the waitlist the seat just freed, in the same transaction, and tell them. */
async function promoteNext(p: Platform, c: Change, s: LockedSession, providerOrgId: string) {
  if (s.cancelled_at || s.confirmed >= s.seats) return;
  const next = await firstWaitlisted(c.trx, s.id);
  if (!next) return;
  const now = new Date();
  await addConfirmed(c.trx, s.id, 1);
  s.confirmed += 1;
  const a = await c.trx
    .updateTable('applications')
    .set({ status: 'selected', waitlist_ticket: null, decided_at: now, decided_by: null, updated_at: now })
    .where('id', '=', next.id)
    .returning(['id', 'person_id', 'offer_id', 'session_id', 'organisation_id'])
    .executeTakeFirstOrThrow();
  await c.audit({ action: 'application.promoted', actorId: null, organisationId: providerOrgId, targetType: 'application', targetId: a.id, details: { offerId: a.offer_id, sessionId: a.session_id } });
  await announce(c, a, providerOrgId, 'selected');
  await mailApplicant(p, c.trx, c.mail, a.id, 'application_promoted', { session: { ...s, offer_id: a.offer_id }, calendar: 'REQUEST' });
}

/**
 * Withdraw (the applicant). A seat given back goes, in the same transaction, to the first on
 * the waitlist, who is told; the one withdrawing gets the calendar's cancellation.
 */
export async function withdraw(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  const can = abilitiesOf(pr, r, []);
  if (!can.withdraw) throw r.person_id === pr.person.id ? invalidState(`An application that is ${r.status} is not withdrawn`, { status: r.status }) : forbidden('Only the applicant withdraws an application');
  await changeApplication(p, r, async (c, s, a) => {
    mustBe(a, OPEN, 'Withdrawing');
    const now = new Date();
    await c.trx.updateTable('applications').set({ status: 'withdrawn', waitlist_ticket: null, withdrawn_at: now, updated_at: now }).where('id', '=', a.id).execute();
    await c.audit({ action: 'application.withdrawn', ...auditActor(actor), organisationId: a.organisation_id, targetType: 'application', targetId: a.id, details: { offerId: a.offer_id, sessionId: a.session_id, from: a.status } });
    await announce(c, a, r.provider_org_id, 'withdrawn');
    if (a.status === 'selected') {
      await addConfirmed(c.trx, s.id, -1);
      s.confirmed -= 1;
      await mailApplicant(p, c.trx, c.mail, a.id, 'application_withdrawn', { session: { ...s, offer_id: a.offer_id }, calendar: 'CANCEL' });
      await promoteNext(p, c, s, r.provider_org_id);
    }
  });
  return getApplication(p, actor, r.id);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The session's days as its participants live them (its own time zone), first to last. */
function sessionDays(s: { starts_at: Date; ends_at: Date; time_zone: string }) {
  const first = wallTime(s.starts_at, s.time_zone).slice(0, 10);
  const last = wallTime(new Date(s.ends_at.getTime() - 1), s.time_zone).slice(0, 10);
  return { first, last };
}

/** Attendance of a seat holder (the provider), once the session has begun: yes or no, and the days when kept per day. */
export async function recordAttendance(p: Platform, actor: Actor, id: string, i: { attended: boolean; days?: string[] }) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  const can = abilitiesOf(pr, r, []);
  if (!can.attend) throw providerOf(pr, r) ? invalidState('Attendance is recorded for selected participants', { status: r.status }) : forbidden("Only the offer's author and its organisation admins record attendance");
  const { first, last } = sessionDays(r);
  const days = [...new Set(i.days ?? [])].sort();
  for (const d of days)
    if (!DAY.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || d < first || d > last) throw new AppError('VALIDATION_FAILED', `${d} is not a day of the session (${first} to ${last})`, { field: 'days', day: d });
  if (!i.attended && days.length) throw new AppError('VALIDATION_FAILED', 'Days attended are given only with attended: true', { field: 'days' });
  await changeApplication(p, r, async (c, s, a) => {
    mustBe(a, ['selected'], 'Attendance');
    const now = new Date();
    if (now < s.starts_at) throw invalidState('The session has not begun');
    const revoke = !i.attended && a.certificate_code && !a.certificate_revoked_at;
    await c.trx
      .updateTable('applications')
      .set({
        attended: i.attended,
        attended_days: days,
        ...(i.attended ? {} : { completed: null, completed_at: null }),
        ...(revoke ? { certificate_revoked_at: now } : {}),
        updated_at: now,
      })
      .where('id', '=', a.id)
      .execute();
    await c.audit({ action: 'application.attendance_recorded', ...auditActor(actor), organisationId: r.provider_org_id, targetType: 'application', targetId: a.id, details: { attended: i.attended, days: days.length } });
    if (revoke) await c.audit({ action: 'application.certificate_revoked', ...auditActor(actor), organisationId: r.provider_org_id, targetType: 'application', targetId: a.id, details: {} });
  });
  return getApplication(p, actor, r.id);
}

const providerOf = (pr: Principal, r: ApplicationRow) => offerAbilities(asActor(pr), { authorId: r.offer_author_id, authorOrgId: r.provider_org_id, status: r.offer_status }).edit;

/**
 * Completion (the provider): completed issues the certificate — a random code that its public
 * page verifies — and tells the participant; not completed revokes one already issued.
 */
export async function recordCompletion(p: Platform, actor: Actor, id: string, i: { completed: boolean }) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  const can = abilitiesOf(pr, r, []);
  if (!can.attend) throw providerOf(pr, r) ? invalidState('Completion is recorded for selected participants', { status: r.status }) : forbidden("Only the offer's author and its organisation admins record completion");
  await changeApplication(p, r, async (c, s, a) => {
    mustBe(a, ['selected'], 'Completion');
    const now = new Date();
    if (now < s.starts_at) throw invalidState('The session has not begun');
    if (i.completed && a.attended !== true) throw invalidState('Record the attendance first: only a participant who attended completes');
    if (i.completed) {
      const issue = !a.certificate_code || a.certificate_revoked_at !== null;
      const code = a.certificate_code ?? randomToken(16);
      await c.trx
        .updateTable('applications')
        .set({ completed: true, completed_at: a.completed_at ?? now, certificate_code: code, certificate_issued_at: issue ? now : a.certificate_issued_at, certificate_revoked_at: null, updated_at: now })
        .where('id', '=', a.id)
        .execute();
      await c.audit({ action: 'application.completion_recorded', ...auditActor(actor), organisationId: r.provider_org_id, targetType: 'application', targetId: a.id, details: { completed: true } });
      if (issue) {
        await c.audit({ action: 'application.certificate_issued', ...auditActor(actor), organisationId: r.provider_org_id, targetType: 'application', targetId: a.id, details: {} });
        await mailApplicant(p, c.trx, c.mail, a.id, 'certificate_issued', { session: { ...s, offer_id: a.offer_id }, vars: { certificate: linkOf(p, `/certificates/${code}`) } });
      }
    } else {
      const revoke = !!a.certificate_code && !a.certificate_revoked_at;
      await c.trx
        .updateTable('applications')
        .set({ completed: false, completed_at: null, ...(revoke ? { certificate_revoked_at: now } : {}), updated_at: now })
        .where('id', '=', a.id)
        .execute();
      await c.audit({ action: 'application.completion_recorded', ...auditActor(actor), organisationId: r.provider_org_id, targetType: 'application', targetId: a.id, details: { completed: false } });
      if (revoke) await c.audit({ action: 'application.certificate_revoked', ...auditActor(actor), organisationId: r.provider_org_id, targetType: 'application', targetId: a.id, details: {} });
    }
  });
  return getApplication(p, actor, r.id);
}

export interface FeedbackInput {
  satisfaction: number;
  usefulness: number;
  comments?: string;
  followUp?: string;
}

/** Feedback, once, by the participant after completing (409 INVALID_STATE before, 409 ALREADY_EXISTS a second time). */
export async function giveFeedback(p: Platform, actor: Actor, id: string, i: FeedbackInput) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  if (r.person_id !== pr.person.id) throw forbidden('Only the participant gives feedback');
  for (const f of ['satisfaction', 'usefulness'] as const)
    if (!Number.isInteger(i[f]) || i[f] < 1 || i[f] > 5) throw new AppError('VALIDATION_FAILED', 'From 1 to 5', { field: f });
  const comments = limited(i.comments, LIMITS.comments, 'comments');
  const followUp = limited(i.followUp, LIMITS.followUp, 'followUp');
  if (r.completed !== true) throw invalidState('Feedback is given after completing the session', { status: r.status, completed: r.completed });
  if (r.has_feedback) throw new AppError('ALREADY_EXISTS', 'You have given your feedback already');
  try {
    await change(p, async (c) => {
      await c.trx.insertInto('application_feedback').values({ application_id: r.id, offer_id: r.offer_id, satisfaction: i.satisfaction, usefulness: i.usefulness, comments, follow_up: followUp }).execute();
      await c.audit({ action: 'application.feedback_given', ...auditActor(actor), organisationId: r.organisation_id, targetType: 'application', targetId: r.id, details: { offerId: r.offer_id } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('ALREADY_EXISTS', 'You have given your feedback already');
    throw e;
  }
  return getApplication(p, actor, r.id);
}

// ---------- outcomes ----------

const GENDER_KEYS = [...GENDERS, 'not-given'] as const;

/**
 * An offer's outcomes: participants (selected applicants) by country, organisation type and
 * gender where given, attendance and completion, satisfaction and usefulness, the follow-up
 * actions planned — aggregates, no names. For the provider organisation, its partner
 * organisations and the secretariat, each only if they may see the offer.
 */
export async function offerOutcomes(p: Platform, actor: Actor, offerId: string) {
  const pr = requireVetted(actor);
  const o = await loadOffer(p, actor, offerId);
  const partners = await partnerOrganisations(p.db, o.id);
  if (!(pr.organisation.id === o.author_org_id || partners.includes(pr.organisation.id) || hasRole(pr, 'secretariat')))
    throw forbidden('The outcomes are for the provider, its partners and the secretariat');
  const rows = await outcomeRows(p.db, o.id);
  const participants = rows.filter((r) => r.status === 'selected');
  const tally = (xs: string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key, count]) => ({ key, count }));
  };
  const scale = (xs: (number | null)[]) => {
    const given = xs.filter((x): x is number => x !== null);
    const distribution = [1, 2, 3, 4, 5].map((n) => given.filter((x) => x === n).length);
    return { count: given.length, mean: given.length ? Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 100) / 100 : null, distribution };
  };
  const byStatus = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length]));
  const completed = participants.filter((r) => r.completed === true).length;
  const texts = (xs: (string | null)[]) => xs.map((x) => (x ?? '').trim()).filter(Boolean).sort((a, b) => a.localeCompare(b));
  return {
    offer: { id: o.id, slug: o.slug, title: offerTitle(titled(o), actor.readerLanguages), provider: { id: o.author_org_id, name: o.provider_name } },
    applications: rows.length,
    byStatus,
    participants: participants.length,
    byCountry: tally(participants.map((r) => r.country)),
    byOrganisationType: tally(participants.map((r) => r.org_type)),
    byGender: GENDER_KEYS.map((key) => ({ key, count: participants.filter((r) => (r.gender ?? 'not-given') === key).length })),
    attended: participants.filter((r) => r.attended === true).length,
    completed,
    completionRate: participants.length ? Math.round((completed / participants.length) * 1000) / 1000 : null,
    satisfaction: scale(participants.map((r) => r.satisfaction)),
    usefulness: scale(participants.map((r) => r.usefulness)),
    followUps: texts(participants.map((r) => r.follow_up)),
  };
}
export type Outcomes = Awaited<ReturnType<typeof offerOutcomes>>;

/** The outcomes as CSV: one row per figure (section, key, value), the follow-up actions last. */
export async function offerOutcomesCsv(p: Platform, actor: Actor, offerId: string) {
  const o = await offerOutcomes(p, actor, offerId);
  const rows: (string | number | null)[][] = [
    ['applications', 'total', o.applications],
    ...Object.entries(o.byStatus).map(([k, v]) => ['status', k, v]),
    ['participants', 'total', o.participants],
    ...o.byCountry.map((x) => ['country', x.key, x.count]),
    ...o.byOrganisationType.map((x) => ['organisation_type', x.key, x.count]),
    ...o.byGender.map((x) => ['gender', x.key, x.count]),
    ['attendance', 'attended', o.attended],
    ['completion', 'completed', o.completed],
    ['completion', 'rate', o.completionRate],
    ['satisfaction', 'count', o.satisfaction.count],
    ['satisfaction', 'mean', o.satisfaction.mean],
    ...o.satisfaction.distribution.map((n, i) => ['satisfaction', String(i + 1), n]),
    ['usefulness', 'count', o.usefulness.count],
    ['usefulness', 'mean', o.usefulness.mean],
    ...o.usefulness.distribution.map((n, i) => ['usefulness', String(i + 1), n]),
    ...o.followUps.map((t) => ['follow_up', '', t]),
  ];
  return { filename: `outcomes-${o.offer.slug}.csv`, body: writeCsv(['section', 'key', 'value'], rows) };
}

// ---------- sessions: changed, cancelled, removed (called where features/offers changes them) ----------

interface OfferRef {
  id: string;
  author_org_id: string | null;
}

const CALENDAR_FIELDS = ['starts_at', 'ends_at', 'time_zone', 'place', 'country', 'online'] as const;

/**
 * Before features/offers writes a session's new values (inside its transaction, with the row
 * locked): when its time or place changes, its SEQUENCE goes up and those concerned hear of it —
 * seat holders with the updated iTIP REQUEST, the others by mail alone.
 */
export async function sessionChanging(
  p: Platform,
  c: Change,
  offer: OfferRef,
  sessionId: string,
  next: { starts_at: Date; ends_at: Date; time_zone: string; place?: string; country?: string | null; online?: boolean },
) {
  const cur = await c.trx.selectFrom('offer_sessions').select(['id', 'offer_id', 'sequence', 'starts_at', 'ends_at', 'time_zone', 'place', 'country', 'online', 'cancelled_at', 'updated_at']).where('id', '=', sessionId).executeTakeFirst();
  if (!cur) return;
  const after = { ...cur, ...next, place: next.place ?? '', country: next.country ?? null, online: !!next.online };
  const same = (k: (typeof CALENDAR_FIELDS)[number]) => (cur[k] instanceof Date ? cur[k].getTime() === (after[k] as Date).getTime() : cur[k] === after[k]);
  if (CALENDAR_FIELDS.every(same)) return;
  const sequence = cur.sequence + 1;
  await c.trx.updateTable('offer_sessions').set({ sequence }).where('id', '=', sessionId).execute();
  const session = { ...after, sequence };
  const concerned = await activeOfSession(c.trx, sessionId);
  for (const a of concerned)
    await mailApplicant(p, c.trx, c.mail, a.id, 'application_session_changed', { session, ...(a.status === 'selected' ? { calendar: 'REQUEST' as const } : {}) });
  if (offer.author_org_id) await c.audit({ action: 'offer.session_rescheduled', actorId: null, organisationId: offer.author_org_id, targetType: 'offer', targetId: offer.id, details: { sessionId, sequence, told: concerned.length } });
}

/** Before features/offers removes a session nobody holds a seat at: those still waiting hear of it (their applications go with it). */
export async function sessionRemoving(p: Platform, c: Change, _offer: OfferRef, sessionId: string) {
  const cur = await c.trx.selectFrom('offer_sessions').select(['id', 'offer_id', 'sequence', 'starts_at', 'ends_at', 'time_zone', 'place', 'country', 'online', 'cancelled_at']).where('id', '=', sessionId).executeTakeFirst();
  if (!cur) return;
  const session = { ...cur, cancelled_at: cur.cancelled_at ?? new Date(), sequence: cur.sequence + 1 };
  for (const a of await activeOfSession(c.trx, sessionId)) await mailApplicant(p, c.trx, c.mail, a.id, 'application_session_cancelled', { session });
}

/**
 * Cancel a session (the provider): it stays, cancelled, with its applications; seat holders get
 * the calendar's cancellation (iTIP CANCEL, a higher SEQUENCE), everyone concerned a mail.
 */
export async function cancelSession(p: Platform, actor: Actor, offerId: string, sessionId: string) {
  const pr = requireVetted(actor);
  const o = await loadOffer(p, actor, offerId);
  if (!offerAbilities(asActor(pr), { authorId: o.author_id, authorOrgId: o.author_org_id, status: o.status }).edit) throw forbidden("Only the offer's author and its organisation admins cancel a session");
  if (!UUID.test(sessionId)) throw notFound('Session');
  await change(p, async (c) => {
    const s = await lockSession(c.trx, o.id, sessionId.toLowerCase());
    if (!s) throw notFound('Session');
    if (s.cancelled_at) throw invalidState('The session is cancelled already');
    const now = new Date();
    await c.trx.updateTable('offer_sessions').set({ cancelled_at: now, sequence: s.sequence + 1, updated_at: now }).where('id', '=', s.id).execute();
    const session = { ...s, offer_id: o.id, cancelled_at: now, sequence: s.sequence + 1 };
    const concerned = await activeOfSession(c.trx, s.id);
    for (const a of concerned)
      await mailApplicant(p, c.trx, c.mail, a.id, 'application_session_cancelled', { session, ...(a.status === 'selected' ? { calendar: 'CANCEL' as const } : {}) });
    await c.audit({ action: 'offer.session_cancelled', ...auditActor(actor), organisationId: o.author_org_id, targetType: 'offer', targetId: o.id, details: { sessionId: s.id, told: concerned.length } });
  });
  return applicationForm(p, actor, o.id);
}

// ---------- calendars ----------

/**
 * The offer sessions a person holds a seat at, as calendar entries for their personal feed
 * (`/calendar/{token}.ics`, features/events): only applications they may read now, titles in
 * their languages, cancelled sessions kept as STATUS:CANCELLED so that calendars drop them.
 */
export async function offerSessionEntries(p: Platform, personId: string): Promise<CalendarEntry[]> {
  const parts = await loadPrincipalParts(p.db, personId);
  if (!parts || !parts.viewer.vetted) return [];
  const languages = [parts.person.uiLanguage, ...parts.person.languages];
  const rows = await selectedSessions(p.db, parts.viewer);
  return rows.map((r) =>
    sessionEntry(
      p,
      { id: r.session_id, sequence: r.sequence, starts_at: r.starts_at, ends_at: r.ends_at, time_zone: r.time_zone, place: r.place, country: r.session_country, online: r.online, cancelled_at: r.cancelled_at },
      { title: offerTitle(r, languages), slug: r.offer_slug, provider: r.provider_name },
    ),
  );
}

// ---------- certificates ----------

const dateIn = (lang: string, at: Date) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
const sessionDates = (lang: string, s: { starts_at: Date; ends_at: Date; time_zone: string }) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: s.time_zone }).formatRange(s.starts_at, s.ends_at);

/**
 * The certificate of completion as PDF, in the participant's language (whoever downloads it: the
 * participant or the provider), with its verification address and QR code. Only a completed
 * application has one (409 otherwise).
 */
export async function certificatePdf(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadReadable(p, actor, id);
  if (!(r.person_id === pr.person.id || providerOf(pr, r) || pr.organisation.id === r.provider_org_id)) throw forbidden('The certificate is for its participant and the provider');
  if (!r.certificate_code || r.completed !== true) throw invalidState('No certificate: the participant has not completed the session', { completed: r.completed });
  const lang: UiLanguage = isUiLanguage(r.person_language) ? r.person_language : 'en';
  const link = linkOf(p, `/certificates/${r.certificate_code}`);
  const body = await renderCertificate({
    lang,
    name: r.person_name,
    offer: offerTitle(r, [lang]),
    provider: r.provider_name,
    when: sessionDates(lang, r),
    issued: dateIn(lang, r.certificate_issued_at!),
    code: r.certificate_code,
    link,
    revoked: r.certificate_revoked_at !== null,
  });
  return { filename: `certificate-${r.id.slice(-12)}.pdf`, body };
}

/**
 * What anyone may learn of a certificate from its code — the participant's name, the offer's
 * title (in the reader's language where translated), the provider, the dates, and whether it
 * stands — nothing else. An unknown or malformed code: 404, the same either way.
 */
export async function verifyCertificate(p: Platform, actor: Actor, code: string) {
  const r = CODE.test(code) ? await certificateByCode(p.db, code) : undefined;
  if (!r || !r.certificate_issued_at) throw notFound('Certificate');
  return {
    code,
    name: r.person_name,
    offer: offerTitle(r, actor.readerLanguages),
    provider: r.provider_name,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    timeZone: r.time_zone,
    issuedAt: r.certificate_issued_at.toISOString(),
    status: r.certificate_revoked_at ? ('revoked' as const) : ('valid' as const),
    url: linkOf(p, `/certificates/${code}`),
  };
}
