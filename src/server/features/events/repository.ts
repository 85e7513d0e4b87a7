import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { visibleRecords } from '../records/repository.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** Registrations that hold (or wait for) a place: what a person "registered for". */
export const ACTIVE_STATUSES = ['pending', 'confirmed', 'waitlisted'] as const;

/**
 * Every read of events starts here. Two rules, both must hold: the access policy (the event's
 * TLP and audience), and the workflow — a draft is seen only by the organisation that wrote it
 * and the one that organises it, never by anyone else (the secretariat included).
 */
export function visibleEvents(db: Db, viewer: Viewer) {
  return db
    .selectFrom('event_items as e')
    .innerJoin('organisations as o', 'o.id', 'e.organiser_org_id')
    .select([
      'e.id',
      'e.kind',
      'e.title',
      'e.description',
      'e.agenda',
      'e.language',
      'e.source_rev',
      'e.translations',
      'e.place',
      'e.country_code',
      'e.online',
      'e.online_url',
      'e.starts_at',
      'e.ends_at',
      'e.time_zone',
      'e.organiser_org_id',
      'e.concepts',
      'e.status',
      'e.registration_open',
      'e.moderated',
      'e.capacity',
      'e.retention_days',
      'e.questions',
      'e.sequence',
      'e.answers_purged_at',
      'e.record_id',
      'e.tlp',
      'e.pap',
      'e.author_id',
      'e.author_org_id',
      'e.audience_organisations',
      'e.audience_communities',
      'e.audience_people',
      'e.created_at',
      'e.updated_at',
      'o.name as organiser_name',
      'o.country_code as organiser_country',
    ])
    .where(visibleSql(viewer, 'e'))
    .where(workflowSql(viewer));
}

function workflowSql(viewer: Viewer): Expression<SqlBool> {
  if (!viewer.vetted || !viewer.organisationId) return sql<SqlBool>`e.status <> 'draft'`;
  return sql<SqlBool>`(e.status <> 'draft' OR e.author_org_id = ${viewer.organisationId}::uuid OR e.organiser_org_id = ${viewer.organisationId}::uuid)`;
}

export type EventRow = Awaited<ReturnType<ReturnType<typeof visibleEvents>['executeTakeFirstOrThrow']>>;

export interface EventFilters {
  q?: string;
  kind?: string;
  from?: string;
  to?: string;
  country?: string;
  status?: string;
  concept?: string;
  /** The event whose minutes became this activity record. */
  record?: string;
}

/** The events the viewer may see, filtered: `from`/`to` keep those that overlap the period. */
export function filteredEvents(db: Db, viewer: Viewer, f: EventFilters) {
  return visibleEvents(db, viewer)
    .$if(!!f.q, (b) =>
      b.where(
        sql<SqlBool>`puente_fold(e.title || ' ' || e.description || ' ' || e.place || ' ' || e.translations::text) LIKE '%' || puente_fold(${f.q!}) || '%'`,
      ),
    )
    .$if(!!f.kind, (b) => b.where('e.kind', '=', f.kind!))
    .$if(!!f.from, (b) => b.where('e.ends_at', '>=', new Date(f.from!)))
    .$if(!!f.to, (b) => b.where('e.starts_at', '<=', new Date(f.to!)))
    .$if(!!f.country, (b) => b.where('e.country_code', '=', f.country!))
    .$if(!!f.status, (b) => b.where('e.status', '=', f.status!))
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`e.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.record, (b) => b.where('e.record_id', '=', f.record!));
}

/** A page of events in time order; `after` (the last one's start and id) continues it. */
export async function eventPage(db: Db, viewer: Viewer, f: EventFilters, o: { limit: number; after?: { at: Date; id: string } }) {
  return filteredEvents(db, viewer, f)
    .$if(!!o.after, (b) => b.where(sql<SqlBool>`(e.starts_at, e.id) > (${o.after!.at}::timestamptz, ${o.after!.id}::uuid)`))
    .orderBy('e.starts_at')
    .orderBy('e.id')
    .limit(o.limit + 1)
    .execute();
}

/**
 * System read inside a change, after the caller read the event through `visibleEvents`: the
 * event as the change left it (for its events and mails, which check each recipient's view).
 */
export async function eventAsChanged(trx: Transaction<DB>, id: string): Promise<EventRow | undefined> {
  return trx
    .selectFrom('event_items as e')
    .innerJoin('organisations as o', 'o.id', 'e.organiser_org_id')
    .selectAll('e')
    .select(['o.name as organiser_name', 'o.country_code as organiser_country'])
    .where('e.id', '=', id)
    .executeTakeFirst() as Promise<EventRow | undefined>;
}

export async function visibleEvent(db: Db, viewer: Viewer, id: string) {
  return visibleEvents(db, viewer).where('e.id', '=', id).executeTakeFirst();
}

/** Concept tag → events the viewer may see carrying it (the concept's page). */
export async function taggedEvents(db: Db, viewer: Viewer, tag: string, limit: number) {
  return visibleEvents(db, viewer).where(sql<SqlBool>`e.concepts @> ARRAY[${tag}]::text[]`).orderBy('e.starts_at', 'desc').limit(limit).execute();
}

/**
 * System read, under the event's row lock: the event's seat rules, taken with SELECT … FOR
 * UPDATE so that registrations, withdrawals, decisions and capacity changes of one event run
 * one after the other (no overbooking, tickets in order of arrival). The caller has read the
 * event through `visibleEvents` first.
 */
export async function lockEvent(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('event_items')
    .select(['id', 'capacity', 'moderated', 'registration_open', 'status', 'last_ticket', 'ends_at', 'record_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Seats given: confirmed and pending registrations outside delegations, and the delegations' quotas (reserved for them). */
export async function seatsTaken(db: Db, eventId: string) {
  const r = await sql<{ held: number; reserved: number; waiting: number }>`
    SELECT (SELECT count(*)::int FROM event_registrations WHERE event_id = ${eventId}::uuid AND delegation_id IS NULL AND status IN ('confirmed', 'pending')) AS held,
           (SELECT coalesce(sum(quota), 0)::int FROM event_delegations WHERE event_id = ${eventId}::uuid) AS reserved,
           (SELECT count(*)::int FROM event_registrations WHERE event_id = ${eventId}::uuid AND status = 'waitlisted') AS waiting`.execute(db);
  const row = r.rows[0]!;
  return { held: Number(row.held), reserved: Number(row.reserved), waiting: Number(row.waiting) };
}

/** Counts per status, for events already read through `visibleEvents`. */
export async function registrationCounts(db: Db, eventIds: readonly string[]) {
  const out = new Map<string, Record<string, number>>();
  if (!eventIds.length) return out;
  const rows = await db
    .selectFrom('event_registrations')
    .select(['event_id', 'status', sql<number>`count(*)::int`.as('n')])
    .where('event_id', 'in', [...eventIds])
    .groupBy(['event_id', 'status'])
    .execute();
  for (const r of rows) out.set(r.event_id, { ...(out.get(r.event_id) ?? {}), [r.status]: Number(r.n) });
  return out;
}

export async function setLastTicket(trx: Transaction<DB>, eventId: string, ticket: number) {
  await trx.updateTable('event_items').set({ last_ticket: ticket }).where('id', '=', eventId).execute();
}

// ---------- sessions and materials (of an event already read through visibleEvents) ----------

export async function sessionsOf(db: Db, eventIds: readonly string[]) {
  if (!eventIds.length) return [];
  return db.selectFrom('event_sessions').selectAll().where('event_id', 'in', [...eventIds]).orderBy('starts_at').orderBy('id').execute();
}
export type SessionRow = Awaited<ReturnType<typeof sessionsOf>>[number];

export async function sessionOf(db: Db, eventId: string, sessionId: string) {
  return db.selectFrom('event_sessions').selectAll().where('event_id', '=', eventId).where('id', '=', sessionId).executeTakeFirst();
}

/** The materials of an event the viewer may see: each under its own marking too (without the bytes). */
export async function materialsOf(db: Db, viewer: Viewer, eventId: string) {
  return db
    .selectFrom('event_materials as m')
    .select(['m.id', 'm.session_id', 'm.title', 'm.url', 'm.file_name', 'm.content_type', 'm.size_bytes', 'm.tlp', 'm.author_id', 'm.author_org_id', 'm.created_at'])
    .where('m.event_id', '=', eventId)
    .where(visibleSql(viewer, 'm'))
    .orderBy('m.created_at')
    .execute();
}

/** One material with its bytes: only when the viewer may see both the event and the material. */
export async function readMaterial(db: Db, viewer: Viewer, id: string) {
  const events = visibleEvents(db, viewer).as('e');
  return db
    .selectFrom('event_materials as m')
    .innerJoin(events, 'e.id', 'm.event_id')
    .select(['m.id', 'm.event_id', 'm.title', 'm.url', 'm.file_name', 'm.content_type', 'm.content', 'm.author_id', 'm.author_org_id'])
    .where('m.id', '=', id)
    .where(visibleSql(viewer, 'm'))
    .executeTakeFirst();
}

// ---------- registrations (of an event already read through visibleEvents) ----------

const registrationColumns = [
  'r.id',
  'r.event_id',
  'r.person_id',
  'r.organisation_id',
  'r.status',
  'r.ticket',
  'r.delegation_id',
  'r.consent_to_list',
  'r.answers',
  'r.registered_at',
  'r.updated_at',
  'p.name as person_name',
  'p.email as person_email',
  'p.ui_language as person_language',
  'o.name as organisation_name',
  'o.country_code as organisation_country',
] as const;

function registrations(db: Db) {
  return db
    .selectFrom('event_registrations as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(registrationColumns);
}
export type RegistrationRow = Awaited<ReturnType<ReturnType<typeof registrations>['executeTakeFirstOrThrow']>>;

export async function registrationOf(db: Db, eventId: string, personId: string) {
  return registrations(db).where('r.event_id', '=', eventId).where('r.person_id', '=', personId).executeTakeFirst();
}

export async function registrationById(db: Db, eventId: string, id: string) {
  return registrations(db).where('r.event_id', '=', eventId).where('r.id', '=', id).executeTakeFirst();
}

/** Every registration of an event, in order of arrival (the organisers' view). */
export async function registrationsOf(db: Db, eventId: string, status?: string) {
  return registrations(db)
    .where('r.event_id', '=', eventId)
    .$if(!!status, (b) => b.where('r.status', '=', status!))
    .orderBy('r.ticket')
    .execute();
}

/** Who appears in the participant list: confirmed, and who agreed to appear. */
export async function listedParticipants(db: Db, eventId: string) {
  return registrations(db).where('r.event_id', '=', eventId).where('r.status', '=', 'confirmed').where('r.consent_to_list', '=', true).orderBy('o.country_code').orderBy('p.name').execute();
}

/** Registrations that still hold or wait for a place: whom an update of the event concerns. */
export async function activeRegistrations(db: Db, eventId: string) {
  return registrations(db).where('r.event_id', '=', eventId).where('r.status', 'in', [...ACTIVE_STATUSES]).orderBy('r.ticket').execute();
}

/** The first in the waitlist (lowest ticket). */
export async function firstWaitlisted(trx: Transaction<DB>, eventId: string) {
  return registrations(trx).where('r.event_id', '=', eventId).where('r.status', '=', 'waitlisted').orderBy('r.ticket').limit(1).executeTakeFirst();
}

export async function insertRegistration(
  trx: Transaction<DB>,
  v: { id: string; eventId: string; personId: string; organisationId: string; status: string; ticket: number; delegationId?: string | null; consent: boolean; answers: Record<string, unknown> },
) {
  await trx
    .insertInto('event_registrations')
    .values({
      id: v.id,
      event_id: v.eventId,
      person_id: v.personId,
      organisation_id: v.organisationId,
      status: v.status,
      ticket: v.ticket,
      delegation_id: v.delegationId ?? null,
      consent_to_list: v.consent,
      answers: JSON.stringify(v.answers),
      // The moment the event's lock was granted: arrivals are ordered by it.
      registered_at: sql<Date>`clock_timestamp()`,
      updated_at: sql<Date>`clock_timestamp()`,
    })
    .execute();
}

/** A withdrawn or declined registration taken up again: a new arrival, at the end of the line. */
export async function reviveRegistration(
  trx: Transaction<DB>,
  id: string,
  v: { status: string; ticket: number; delegationId?: string | null; consent: boolean; answers: Record<string, unknown>; organisationId: string },
) {
  await trx
    .updateTable('event_registrations')
    .set({
      status: v.status,
      ticket: v.ticket,
      delegation_id: v.delegationId ?? null,
      consent_to_list: v.consent,
      answers: JSON.stringify(v.answers),
      organisation_id: v.organisationId,
      registered_at: sql<Date>`clock_timestamp()`,
      updated_at: sql<Date>`clock_timestamp()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function setRegistrationStatus(trx: Transaction<DB>, id: string, status: string, o: { leaveDelegation?: boolean } = {}) {
  await trx
    .updateTable('event_registrations')
    .set({ status, updated_at: new Date(), ...(o.leaveDelegation ? { delegation_id: null } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function setRegistrationAnswers(trx: Transaction<DB>, id: string, v: { answers?: Record<string, unknown>; consent?: boolean }) {
  await trx
    .updateTable('event_registrations')
    .set({ ...(v.answers ? { answers: JSON.stringify(v.answers) } : {}), ...(v.consent !== undefined ? { consent_to_list: v.consent } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The events a person holds or waits for a place at, as they may see them now (their calendar). */
export async function registeredEvents(db: Db, viewer: Viewer, personId: string) {
  const events = visibleEvents(db, viewer).as('e');
  return db
    .selectFrom('event_registrations as r')
    .innerJoin(events, 'e.id', 'r.event_id')
    .selectAll('e')
    .select(['r.id as registration_id', 'r.status as registration_status', 'r.delegation_id as registration_delegation'])
    .where('r.person_id', '=', personId)
    .where('r.status', 'in', [...ACTIVE_STATUSES])
    .orderBy('e.starts_at')
    .execute();
}

// ---------- delegations (of an event already read through visibleEvents) ----------

export async function delegationsOf(db: Db, eventId: string) {
  return db.selectFrom('event_delegations').selectAll().where('event_id', '=', eventId).orderBy('country_code').execute();
}

export async function delegationOf(db: Db, eventId: string, country: string) {
  return db.selectFrom('event_delegations').selectAll().where('event_id', '=', eventId).where('country_code', '=', country).executeTakeFirst();
}

export async function delegatesOf(db: Db, delegationIds: readonly string[]) {
  if (!delegationIds.length) return [];
  return registrations(db).where('r.delegation_id', 'in', [...delegationIds]).where('r.status', 'in', [...ACTIVE_STATUSES]).orderBy('r.ticket').execute();
}

export async function upsertDelegation(trx: Transaction<DB>, v: { id: string; eventId: string; country: string; quota: number }) {
  await trx
    .insertInto('event_delegations')
    .values({ id: v.id, event_id: v.eventId, country_code: v.country, quota: v.quota })
    .onConflict((oc) => oc.columns(['event_id', 'country_code']).doUpdateSet({ quota: v.quota, updated_at: new Date() }))
    .execute();
}

export async function setDelegationHead(trx: Transaction<DB>, delegationId: string, registrationId: string | null) {
  await trx.updateTable('event_delegations').set({ head_registration_id: registrationId, updated_at: new Date() }).where('id', '=', delegationId).execute();
}

export async function removeDelegation(trx: Transaction<DB>, delegationId: string) {
  await trx.deleteFrom('event_delegations').where('id', '=', delegationId).execute();
}

/** The countries a person is a national focal point of. */
export async function focalCountries(db: Db, personId: string) {
  const rows = await db.selectFrom('country_focal_points').select('country_code').where('person_id', '=', personId).execute();
  return rows.map((r) => r.country_code);
}

export async function personWithOrganisation(db: Db, personId: string) {
  return db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'p.email', 'p.status', 'p.ui_language', 'o.id as org_id', 'o.name as org_name', 'o.country_code', 'o.status as org_status'])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** Active people of approved organisations of a country (whom its focal points may name delegates), by name. */
export async function peopleOfCountry(db: Db, country: string, limit: number) {
  return db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'o.id as org_id', 'o.name as org_name'])
    .where('o.country_code', '=', country)
    .where('o.status', '=', 'approved')
    .where('p.status', '=', 'active')
    .orderBy('p.name')
    .limit(limit)
    .execute();
}

export async function countryNames(db: Db, codes: readonly string[]) {
  if (!codes.length) return new Map<string, string>();
  const rows = await db.selectFrom('countries').select(['code', 'name']).where('code', 'in', [...codes]).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function isCountry(db: Db, code: string) {
  return !!(await db.selectFrom('countries').select('code').where('code', '=', code).where('kind', '=', 'state').executeTakeFirst());
}

export async function organisationRow(db: Db, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'status', 'country_code']).where('id', '=', id).executeTakeFirst();
}

// ---------- calendar feeds ----------

export async function feedOwner(db: Db, tokenHash: string) {
  return db.selectFrom('calendar_feeds').select(['person_id', 'created_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function feedOf(db: Db, personId: string) {
  return db.selectFrom('calendar_feeds').select(['created_at']).where('person_id', '=', personId).executeTakeFirst();
}

export async function replaceFeed(trx: Transaction<DB>, personId: string, tokenHash: string) {
  await trx
    .insertInto('calendar_feeds')
    .values({ person_id: personId, token_hash: tokenHash, created_at: new Date() })
    .onConflict((oc) => oc.column('person_id').doUpdateSet({ token_hash: tokenHash, created_at: new Date() }))
    .execute();
}

export async function deleteFeed(trx: Transaction<DB>, personId: string) {
  const r = await trx.deleteFrom('calendar_feeds').where('person_id', '=', personId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// ---------- retention ----------

/**
 * System read for the retention job (no viewer): events whose personal answers are due for
 * purging — ended longer ago than their retention period, not purged yet. Ids only.
 */
export async function eventsPastRetention(db: Db, now: Date) {
  const rows = await db
    .selectFrom('event_items')
    .select('id')
    .where('answers_purged_at', 'is', null)
    .where(sql<SqlBool>`ends_at + make_interval(days => retention_days) < ${now}::timestamptz`)
    .execute();
  return rows.map((r) => r.id);
}

/** Empty the personal answers of an event's registrations, and say it was done. */
export async function purgeAnswers(trx: Transaction<DB>, eventId: string, now: Date) {
  const r = await trx.updateTable('event_registrations').set({ answers: '{}', updated_at: now }).where('event_id', '=', eventId).where(sql<SqlBool>`answers <> '{}'::jsonb`).executeTakeFirst();
  await trx.updateTable('event_items').set({ answers_purged_at: now }).where('id', '=', eventId).execute();
  return Number(r.numUpdatedRows);
}

// ---------- the activity record its minutes became (features/records) ----------

/** Link the event to the record made from its minutes, under the event's row lock. */
export async function linkRecord(trx: Transaction<DB>, eventId: string, recordId: string) {
  await trx.updateTable('event_items').set({ record_id: recordId, updated_at: new Date() }).where('id', '=', eventId).where('record_id', 'is', null).execute();
}

/**
 * The organisations that took part, for the record's actors (of an event already read through
 * visibleEvents): those of confirmed registrations that agreed to be listed, and those of the
 * delegations' members — the others stay out, as they stay out of the participant list.
 */
export async function participatingOrganisations(db: Db, eventId: string) {
  return db
    .selectFrom('event_registrations as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['o.id', 'o.name', 'o.type', 'o.country_code'])
    .distinct()
    .where('r.event_id', '=', eventId)
    .where('r.status', '=', 'confirmed')
    .where((eb) => eb.or([eb('r.consent_to_list', '=', true), eb('r.delegation_id', 'is not', null)]))
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
}

/** Approved organisations by id (commitment owners and the organiser, named in the record). */
export async function approvedOrganisations(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('organisations').select(['id', 'name', 'type', 'country_code']).where('id', 'in', [...ids]).where('status', '=', 'approved').execute();
}

/**
 * The record an event's minutes became, if this viewer may see it: read through the records'
 * own rule (its marking, and its workflow: a draft only to its organisation).
 */
export async function visibleRecordOf(db: Db, viewer: Viewer, isSecretariat: boolean, recordId: string) {
  return visibleRecords(db, viewer, isSecretariat).where('r.id', '=', recordId).executeTakeFirst();
}
