import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import '../offers/tables.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Applications are personal data and carry no TLP marking of their own. Who reads one is one
 * explicit rule, written once here and used by every read of this feature (lists, single reads,
 * the endorsement list, counts, the calendar feed): a vetted viewer who may see the offer, and
 * who is
 *
 * - the applicant;
 * - an organisation admin of the applicant's organisation (they answer for who goes);
 * - a national focal point of the applicant's country, when the offer asked for an endorsement
 *   (they may be the one who endorses);
 * - a member of the provider organisation (the offer's author organisation), who selects.
 *
 * A marking would not say this: AMBER+STRICT would show an application to every member of the
 * applicant's organisation, RED to nobody at the provider unless named one by one. Partners and
 * the secretariat see the offer's outcomes (aggregates, service.ts), never an application. The
 * offer must also be visible to the viewer (its marking and workflow, as in features/offers), so
 * an application never tells of an offer its reader may not see.
 */
export function readableSql(viewer: Viewer): Expression<SqlBool> {
  if (!viewer.vetted || !viewer.personId || !viewer.organisationId) return sql<SqlBool>`FALSE`;
  const me = viewer.personId;
  const org = viewer.organisationId;
  return sql<SqlBool>`(${visibleSql(viewer, 'o')} AND (o.status <> 'draft' OR o.author_org_id = ${org}::uuid) AND (
    a.person_id = ${me}::uuid
    OR o.author_org_id = ${org}::uuid
    OR (a.organisation_id = ${org}::uuid AND EXISTS (SELECT 1 FROM people me WHERE me.id = ${me}::uuid AND 'org_admin' = ANY(me.roles)))
    OR (a.needs_endorsement AND EXISTS (SELECT 1 FROM country_focal_points f WHERE f.person_id = ${me}::uuid AND f.country_code = a.country))
  ))`;
}

/** Every read of applications starts here: the rule above, with what a view of one needs. */
export function readable(db: Db, viewer: Viewer) {
  return db
    .selectFrom('applications as a')
    .innerJoin('offers as o', 'o.id', 'a.offer_id')
    .innerJoin('offer_sessions as s', 's.id', 'a.session_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as ao', 'ao.id', 'a.organisation_id')
    .innerJoin('organisations as po', 'po.id', 'o.author_org_id')
    .select([
      'a.id',
      'a.offer_id',
      'a.session_id',
      'a.person_id',
      'a.organisation_id',
      'a.country',
      'a.status',
      'a.needs_endorsement',
      'a.ticket',
      'a.waitlist_ticket',
      'a.motivation',
      'a.answers',
      'a.gender',
      'a.decision_reason',
      'a.decided_at',
      'a.endorsed_by',
      'a.endorsed_at',
      'a.endorsement_note',
      'a.attended',
      sql<string[]>`a.attended_days::text[]`.as('attended_days'),
      'a.completed',
      'a.completed_at',
      'a.certificate_code',
      'a.certificate_issued_at',
      'a.certificate_revoked_at',
      'a.applied_at',
      'a.updated_at',
      'a.withdrawn_at',
      'p.name as person_name',
      'p.email as person_email',
      'p.ui_language as person_language',
      'ao.name as org_name',
      'ao.type as org_type',
      'o.slug as offer_slug',
      'o.title as offer_title',
      'o.language as offer_language',
      'o.source_rev as offer_source_rev',
      'o.translations as offer_translations',
      'o.type as offer_type',
      'o.status as offer_status',
      'o.author_id as offer_author_id',
      sql<string>`o.author_org_id`.as('provider_org_id'),
      'o.selection as offer_selection',
      'o.requires_endorsement as offer_requires_endorsement',
      'po.name as provider_name',
      's.starts_at',
      's.ends_at',
      's.time_zone',
      's.place',
      's.country as session_country',
      's.online',
      's.cancelled_at',
      's.sequence',
      sql<number | null>`CASE WHEN a.status = 'waitlisted' THEN (SELECT count(*)::int FROM applications w WHERE w.session_id = a.session_id AND w.status = 'waitlisted' AND w.waitlist_ticket <= a.waitlist_ticket) END`.as(
        'waitlist_position',
      ),
      sql<boolean>`EXISTS (SELECT 1 FROM application_feedback fb WHERE fb.application_id = a.id)`.as('has_feedback'),
    ])
    .where(readableSql(viewer));
}
export type ApplicationRow = Awaited<ReturnType<ReturnType<typeof readable>['executeTakeFirstOrThrow']>>;

export interface ApplicationFilters {
  status?: string;
  session?: string;
  country?: string;
  /** Words of the applicant's name or organisation. */
  q?: string;
}

const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filtered(db: Db, viewer: Viewer, f: ApplicationFilters) {
  return readable(db, viewer)
    .$if(!!f.status, (b) => b.where('a.status', '=', f.status!))
    .$if(!!f.session, (b) => b.where('a.session_id', '=', f.session!))
    .$if(!!f.country, (b) => b.where('a.country', '=', f.country!))
    .$if(!!f.q, (b) => b.where(sql<SqlBool>`(p.name ILIKE ${likeOf(f.q!)} OR ao.name ILIKE ${likeOf(f.q!)})`));
}

/** The viewer's own applications, newest first. */
export async function ownApplications(db: Db, viewer: Viewer, f: ApplicationFilters, limit: number) {
  return filtered(db, viewer, f).where('a.person_id', '=', viewer.personId ?? '00000000-0000-0000-0000-000000000000').orderBy('a.applied_at', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
}

/** The applications to one offer the viewer may read, in order of arrival per session. */
export async function offerApplications(db: Db, viewer: Viewer, offerId: string, f: ApplicationFilters, limit: number) {
  return filtered(db, viewer, f).where('a.offer_id', '=', offerId).orderBy('s.starts_at').orderBy('a.session_id').orderBy('a.ticket').limit(limit).execute();
}

/** How many of those per session and status (the same rule, so a count tells nothing the list would not). */
export async function offerApplicationCounts(db: Db, viewer: Viewer, offerId: string) {
  return db
    .selectFrom(readable(db, viewer).where('a.offer_id', '=', offerId).as('x'))
    .select(['x.session_id', 'x.status', sql<number>`count(*)::int`.as('n')])
    .groupBy(['x.session_id', 'x.status'])
    .execute();
}

/**
 * Applications waiting for an endorsement this viewer may give: of people of their organisation
 * when they are its admin, of people of their countries when they are a national focal point;
 * never their own.
 */
export async function endorsable(db: Db, viewer: Viewer, limit: number) {
  if (!viewer.personId) return [];
  const me = viewer.personId;
  return readable(db, viewer)
    .where('a.status', '=', 'endorsement-pending')
    .where('a.person_id', '<>', me)
    .where(
      sql<SqlBool>`((a.organisation_id = ${viewer.organisationId}::uuid AND EXISTS (SELECT 1 FROM people me WHERE me.id = ${me}::uuid AND 'org_admin' = ANY(me.roles)))
        OR EXISTS (SELECT 1 FROM country_focal_points f WHERE f.person_id = ${me}::uuid AND f.country_code = a.country))`,
    )
    .orderBy('a.applied_at')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

export async function readableById(db: Db, viewer: Viewer, id: string) {
  return readable(db, viewer).where('a.id', '=', id).executeTakeFirst();
}

/** Is this person a national focal point of this country? */
export async function isFocalPoint(db: Db, personId: string, country: string) {
  return !!(await db.selectFrom('country_focal_points').select('person_id').where('person_id', '=', personId).where('country_code', '=', country).executeTakeFirst());
}

/** The countries a person is a national focal point of. */
export async function focalCountriesOf(db: Db, personId: string) {
  return (await db.selectFrom('country_focal_points').select('country_code').where('person_id', '=', personId).execute()).map((r) => r.country_code);
}

/** An application's feedback, for its applicant. */
export async function feedbackOf(db: Db, applicationId: string) {
  return db.selectFrom('application_feedback').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
}

// ---------- the offer and session an application is made to ----------

/** The offer as applying needs it, if the viewer may see it (its marking and workflow, as features/offers). */
export async function offerForApplying(db: Db, viewer: Viewer, idOrSlug: string, isId: boolean) {
  return db
    .selectFrom('offers as o')
    .innerJoin('organisations as po', 'po.id', 'o.author_org_id')
    .select([
      'o.id',
      'o.slug',
      'o.title',
      'o.language',
      'o.source_rev',
      'o.translations',
      'o.type',
      'o.status',
      'o.countries',
      'o.requires_endorsement',
      'o.selection',
      'o.waitlist',
      'o.application_questions',
      'o.selection_criteria',
      'o.author_id',
      sql<string>`o.author_org_id`.as('author_org_id'),
      'o.tlp',
      'po.name as provider_name',
    ])
    .where(visibleSql(viewer, 'o'))
    .where(sql<SqlBool>`(o.status <> 'draft' OR o.author_org_id = ${viewer.organisationId ?? '00000000-0000-0000-0000-000000000000'}::uuid)`)
    .where(isId ? 'o.id' : 'o.slug', '=', idOrSlug)
    .executeTakeFirst();
}
export type ApplyOffer = NonNullable<Awaited<ReturnType<typeof offerForApplying>>>;

/** Whether an offer keeps a waitlist, for an endorsement made under its session's lock (the application was read through the rule). */
export async function offerKeepsWaitlist(trx: Db, offerId: string) {
  return (await trx.selectFrom('offers').select('waitlist').where('id', '=', offerId).executeTakeFirstOrThrow()).waitlist;
}

const SESSION_COLUMNS = ['id', 'offer_id', 'starts_at', 'ends_at', 'time_zone', 'place', 'country', 'online', 'seats', 'confirmed', 'application_deadline', 'sequence', 'cancelled_at', 'last_ticket', 'updated_at'] as const;

/** The sessions of an offer read through offerForApplying. */
export async function sessionsFor(db: Db, offerId: string) {
  return db.selectFrom('offer_sessions').select(SESSION_COLUMNS).where('offer_id', '=', offerId).orderBy('starts_at').orderBy('id').execute();
}

/**
 * Lock a session's row for the rest of the transaction. Every change of its seats (a selection,
 * a withdrawal, a promotion, an arrival taking a ticket) goes through this lock, so they happen
 * one after the other and `confirmed` is always the real count.
 */
export async function lockSession(trx: Transaction<DB>, offerId: string, sessionId: string) {
  return trx.selectFrom('offer_sessions').select(SESSION_COLUMNS).where('id', '=', sessionId).where('offer_id', '=', offerId).forUpdate().executeTakeFirst();
}
export type LockedSession = NonNullable<Awaited<ReturnType<typeof lockSession>>>;

export async function takeTicket(trx: Transaction<DB>, sessionId: string): Promise<number> {
  const r = await trx.updateTable('offer_sessions').set({ last_ticket: sql`last_ticket + 1` }).where('id', '=', sessionId).returning('last_ticket').executeTakeFirstOrThrow();
  return Number(r.last_ticket);
}

export async function addConfirmed(trx: Transaction<DB>, sessionId: string, delta: 1 | -1) {
  await trx
    .updateTable('offer_sessions')
    .set({ confirmed: sql`confirmed + ${delta}` })
    .where('id', '=', sessionId)
    .execute();
}

/** The person's application to this session, whatever its status (the unique key allows one). */
export async function existingApplication(trx: Db, sessionId: string, personId: string) {
  return trx.selectFrom('applications').select(['id', 'status']).where('session_id', '=', sessionId).where('person_id', '=', personId).executeTakeFirst();
}

/** The first on a session's waitlist (lowest waitlist ticket), under the caller's session lock. */
export async function firstWaitlisted(trx: Transaction<DB>, sessionId: string) {
  return trx.selectFrom('applications').select(['id', 'person_id']).where('session_id', '=', sessionId).where('status', '=', 'waitlisted').orderBy('waitlist_ticket').limit(1).executeTakeFirst();
}

/** The application's current row for a change, locked (after its session's lock, always in that order). */
export async function lockApplication(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export type LockedApplication = NonNullable<Awaited<ReturnType<typeof lockApplication>>>;

/** Applications of a session still concerned by it (for mails of a change or a cancellation). */
export async function activeOfSession(trx: Db, sessionId: string) {
  return trx
    .selectFrom('applications')
    .select(['id', 'person_id', 'status'])
    .where('session_id', '=', sessionId)
    .where('status', 'in', ['submitted', 'endorsement-pending', 'endorsed', 'selected', 'waitlisted'])
    .orderBy('ticket')
    .execute();
}

// ---------- feedback and outcomes ----------

/** Feedback on offers, for matching's `evaluation` (features/offers/matchable.ts): count and mean satisfaction. */
export async function evaluationsOf(db: Db, offerIds: readonly string[]) {
  if (!offerIds.length) return new Map<string, { count: number; mean: number }>();
  const rows = await db
    .selectFrom('application_feedback')
    .select(['offer_id', sql<number>`count(*)::int`.as('n'), sql<number>`avg(satisfaction)::float8`.as('mean')])
    .where('offer_id', 'in', [...offerIds])
    .groupBy('offer_id')
    .execute();
  return new Map(rows.map((r) => [r.offer_id, { count: r.n, mean: Math.round(Number(r.mean) * 100) / 100 }]));
}

/**
 * What the outcomes of an offer are made of: every application to it with the applicant's
 * organisation type and the feedback, no names. The service decides who may ask (provider,
 * partners, secretariat) after reading the offer through the policy.
 */
export async function outcomeRows(db: Db, offerId: string) {
  return db
    .selectFrom('applications as a')
    .innerJoin('organisations as ao', 'ao.id', 'a.organisation_id')
    .leftJoin('application_feedback as f', 'f.application_id', 'a.id')
    .select(['a.session_id', 'a.status', 'a.country', 'a.gender', 'a.attended', 'a.completed', 'ao.type as org_type', 'f.satisfaction', 'f.usefulness', 'f.follow_up'])
    .where('a.offer_id', '=', offerId)
    .execute();
}

/** The member organisations that are partners of an offer. */
export async function partnerOrganisations(db: Db, offerId: string) {
  const rows = await db.selectFrom('offer_partners').select('organisation_id').where('offer_id', '=', offerId).where('organisation_id', 'is not', null).execute();
  return [...new Set(rows.map((r) => r.organisation_id!))];
}

// ---------- certificates ----------

/**
 * A certificate by its code, for anyone: only what a certificate shows (the participant's name,
 * the offer's title and provider, the session's dates) and whether it stands. The code is the
 * credential — 128 random bits, given to the participant — so this is a read without a viewer,
 * by design, of those fields only.
 */
export async function certificateByCode(db: Db, code: string) {
  return db
    .selectFrom('applications as a')
    .innerJoin('offers as o', 'o.id', 'a.offer_id')
    .innerJoin('offer_sessions as s', 's.id', 'a.session_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .innerJoin('organisations as po', 'po.id', 'o.author_org_id')
    .select([
      'a.certificate_code',
      'a.certificate_issued_at',
      'a.certificate_revoked_at',
      'p.name as person_name',
      'o.title as offer_title',
      'o.language as offer_language',
      'o.source_rev as offer_source_rev',
      'o.translations as offer_translations',
      'po.name as provider_name',
      's.starts_at',
      's.ends_at',
      's.time_zone',
    ])
    .where('a.certificate_code', '=', code)
    .executeTakeFirst();
}
export type CertificateRow = NonNullable<Awaited<ReturnType<typeof certificateByCode>>>;

// ---------- calendars and reminders ----------

/** The sessions a person holds a seat at, of offers they may see: their personal calendar feed. */
export async function selectedSessions(db: Db, viewer: Viewer) {
  if (!viewer.personId) return [];
  return readable(db, viewer).where('a.person_id', '=', viewer.personId).where('a.status', '=', 'selected').orderBy('s.starts_at').execute();
}

/**
 * Selected applications whose session starts within the next `days` days and that have not had
 * this reminder: the daily reminder job (no viewer: each mail is checked against its recipient).
 */
export async function remindersDue(db: Db, now: Date, days: number, which: string) {
  return db
    .selectFrom('applications as a')
    .innerJoin('offer_sessions as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.person_id', 'a.offer_id', 'a.session_id'])
    .where('a.status', '=', 'selected')
    .where('s.cancelled_at', 'is', null)
    .where('s.starts_at', '>', now)
    .where('s.starts_at', '<=', new Date(now.getTime() + days * 86_400_000))
    .where(sql<SqlBool>`NOT (${which} = ANY(a.reminded))`)
    .orderBy('s.starts_at')
    .execute();
}

export async function markReminded(trx: Db, id: string, which: string[]) {
  await trx
    .updateTable('applications')
    .set({ reminded: sql`ARRAY(SELECT DISTINCT unnest(reminded || ${sql.val(which)}::text[]))` })
    .where('id', '=', id)
    .execute();
}

/** The demo loader (no viewer) finds the offers the offers demo just wrote, by their source title. */
export async function demoOfferByTitle(trx: Db, title: string) {
  return trx.selectFrom('offers').select(['id', 'author_org_id', 'slug']).where('title', '=', title).executeTakeFirst();
}
