import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { visibleContacts } from '../contacts/repository.js';
import type { CrisisLevel } from '#shared/incidents';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Every read of the crisis tables starts here, through the access policy on each row's own
 * marking. The parts of a room (sitreps, decisions, actions, requests for assistance, alerts,
 * injects, evaluations) are read only for a crisis the viewer may see (the caller read it through
 * `visibleCrises` first), and each part is also filtered on its own marking: a RED sitrep reaches
 * the people it names, not the whole room.
 */
export function visibleCrises(db: Db, viewer: Viewer) {
  return db
    .selectFrom('crises as c')
    .innerJoin('organisations as o', 'o.id', 'c.author_org_id')
    .selectAll('c')
    .select(['o.name as org_name', 'o.country_code as org_country'])
    .where(visibleSql(viewer, 'c'));
}
export type CrisisRow = Awaited<ReturnType<ReturnType<typeof visibleCrises>['executeTakeFirstOrThrow']>>;

export function visibleSitreps(db: Db, viewer: Viewer, crisisId: string) {
  return db
    .selectFrom('crisis_sitreps as s')
    .innerJoin('people as p', 'p.id', 's.author_id')
    .innerJoin('organisations as o', 'o.id', 's.author_org_id')
    .selectAll('s')
    .select(['p.name as author_name', 'o.name as org_name'])
    .where('s.crisis_id', '=', crisisId)
    .where(visibleSql(viewer, 's'))
    .orderBy('s.number');
}
export type SitrepRow = Awaited<ReturnType<ReturnType<typeof visibleSitreps>['executeTakeFirstOrThrow']>>;

export function visibleDecisions(db: Db, viewer: Viewer, crisisId: string) {
  return db
    .selectFrom('crisis_decisions as d')
    .innerJoin('people as p', 'p.id', 'd.author_id')
    .selectAll('d')
    .select('p.name as author_name')
    .where('d.crisis_id', '=', crisisId)
    .where(visibleSql(viewer, 'd'))
    .orderBy('d.decided_at')
    .orderBy('d.id');
}

export function visibleActions(db: Db, viewer: Viewer, crisisId: string) {
  return db
    .selectFrom('crisis_actions as a')
    .leftJoin('people as op', 'op.id', 'a.owner_person_id')
    .leftJoin('organisations as oo', 'oo.id', 'a.owner_org_id')
    .selectAll('a')
    .select(['op.name as owner_person_name', 'oo.name as owner_org_name'])
    .where('a.crisis_id', '=', crisisId)
    .where(visibleSql(viewer, 'a'))
    .orderBy('a.created_at')
    .orderBy('a.id');
}

export function visibleAssistance(db: Db, viewer: Viewer, crisisId: string) {
  return db.selectFrom('crisis_assistance as x').selectAll('x').where('x.crisis_id', '=', crisisId).where(visibleSql(viewer, 'x')).orderBy('x.created_at');
}

export function visibleInjects(db: Db, viewer: Viewer, crisisId: string) {
  return db.selectFrom('crisis_injects as i').selectAll('i').where('i.crisis_id', '=', crisisId).where(visibleSql(viewer, 'i')).orderBy('i.planned_at').orderBy('i.id');
}

export function visibleEvaluations(db: Db, viewer: Viewer, crisisId: string) {
  return db
    .selectFrom('crisis_evaluations as e')
    .innerJoin('people as p', 'p.id', 'e.author_id')
    .selectAll('e')
    .select('p.name as author_name')
    .where('e.crisis_id', '=', crisisId)
    .where(visibleSql(viewer, 'e'))
    .orderBy('e.created_at');
}

/**
 * Alerts the viewer may see: each is marked like what it is about (the room, or its sitrep), and
 * shown only with a crisis the viewer may see. `mine` narrows to the alerts addressed to them.
 */
export function visibleAlerts(db: Db, viewer: Viewer) {
  return db
    .selectFrom('crisis_alerts as a')
    .innerJoin('crises as c', 'c.id', 'a.crisis_id')
    .innerJoin('people as p', 'p.id', 'a.person_id')
    .select([
      'a.id',
      'a.crisis_id',
      'a.kind',
      'a.sitrep_id',
      'a.level',
      'a.person_id',
      'a.encrypted',
      'a.created_at',
      'a.acknowledged_at',
      'a.tlp',
      'p.name as person_name',
      'c.title as crisis_title',
      'c.language as crisis_language',
      'c.source_rev as crisis_source_rev',
      'c.translations as crisis_translations',
      'c.exercise as crisis_exercise',
    ])
    .where(visibleSql(viewer, 'a'))
    .where(visibleSql(viewer, 'c'));
}

/** The roster of a crisis the caller has read: people, their organisation, role and why they are in it. */
export async function rosterOf(db: Db, crisisId: string) {
  return db
    .selectFrom('crisis_members as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['m.person_id', 'm.role', 'm.source', 'm.contact_id', 'm.added_at', 'p.name', 'p.status', 'o.id as org_id', 'o.name as org_name', 'o.country_code'])
    .where('m.crisis_id', '=', crisisId)
    .orderBy('o.country_code')
    .orderBy('p.name')
    .execute();
}

/** Organisations invited to the room (members of its community as organisations). */
export async function invitedOrganisations(db: Db, communityId: string) {
  return db
    .selectFrom('community_organisations as co')
    .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
    .select(['o.id', 'o.name', 'o.country_code'])
    .where('co.community_id', '=', communityId)
    .orderBy('o.name')
    .execute();
}

export async function levelHistoryOf(db: Db, crisisId: string) {
  return db
    .selectFrom('crisis_level_changes as l')
    .leftJoin('people as p', 'p.id', 'l.by_person')
    .select(['l.id', 'l.level', 'l.at', 'l.note', 'p.name as by_name'])
    .where('l.crisis_id', '=', crisisId)
    .orderBy('l.at')
    .orderBy('l.id')
    .execute();
}

/**
 * Crisis-management and 24/7 points of contact of these countries that the declarer may see
 * (through the contacts' own policy): active entries linked to an active person of an approved
 * organisation. A contact hidden from the declarer is not pulled into a room they open.
 */
export async function crisisContacts(db: Db, viewer: Viewer, countries: readonly string[]) {
  if (!countries.length) return [];
  return visibleContacts(db as Kysely<DB>, viewer)
    .innerJoin('people as cp', 'cp.id', 'c.person_id')
    .where('c.status', '=', 'active')
    .where('cp.status', '=', 'active')
    .where('o.status', '=', 'approved')
    .where('c.country_code', 'in', [...countries])
    .where(sql<boolean>`c.kinds && ARRAY['crisis_management', 'operational_24_7']::text[]`)
    .execute();
}

/** The OpenPGP fingerprints of these people's entries in the directory, as this viewer may see them (field markings applied by the caller). */
export async function contactsOfPeople(db: Db, viewer: Viewer, personIds: readonly string[]) {
  if (!personIds.length) return [];
  return visibleContacts(db as Kysely<DB>, viewer)
    .where('c.person_id', 'in', [...personIds])
    .where('c.status', '=', 'active')
    .execute();
}

/** Is this organisation a national crisis-management authority of one of these countries (an active crisis_management entry the viewer sees)? */
export async function isCrisisAuthority(db: Db, viewer: Viewer, organisationId: string, countries: readonly string[]) {
  if (!countries.length) return false;
  const r = await visibleContacts(db as Kysely<DB>, viewer)
    .where('c.organisation_id', '=', organisationId)
    .where('c.status', '=', 'active')
    .where('c.country_code', 'in', [...countries])
    .where(sql<boolean>`c.kinds @> ARRAY['crisis_management']::text[]`)
    .executeTakeFirst();
  return !!r;
}

/** The room's community: members-only, named without the crisis's title (community names are listed to every member). */
export async function insertRoomCommunity(trx: Transaction<DB>, r: { id: string; crisisId: string; createdBy: string; language: string; people: string[]; organisations: string[] }) {
  await trx
    .insertInto('communities')
    .values({ id: r.id, slug: `crisis-room-${r.crisisId.slice(-12)}`, name: `Crisis room ${r.crisisId.slice(-8)}`, description: '', language: r.language, visibility: 'members', status: 'approved', created_by: r.createdBy })
    .execute();
  await addRoomPeople(trx, r.id, r.people);
  await addRoomOrganisations(trx, r.id, r.organisations);
}

export async function addRoomPeople(trx: Transaction<DB>, communityId: string, people: string[]) {
  const ids = [...new Set(people)];
  if (ids.length)
    await trx
      .insertInto('community_people')
      .values(ids.map((person_id) => ({ community_id: communityId, person_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function addRoomOrganisations(trx: Transaction<DB>, communityId: string, organisations: string[]) {
  const ids = [...new Set(organisations)];
  if (ids.length)
    await trx
      .insertInto('community_organisations')
      .values(ids.map((organisation_id) => ({ community_id: communityId, organisation_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** Active people by id, with their organisation (approved or not). */
export async function peopleByIds(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'p.email', 'p.ui_language', 'p.status', 'o.id as org_id', 'o.status as org_status'])
    .where('p.id', 'in', [...new Set(ids)])
    .execute();
}

/**
 * People a coordinator may add to a room: active people of approved organisations of the countries
 * in scope or already in the room, not yet on its roster, found by name. Names and organisations
 * only: the directory's own entries keep their markings.
 */
export async function roomCandidates(db: Db, r: { crisisId: string; countries: readonly string[]; organisations: readonly string[]; q: string; limit: number }) {
  const q = r.q.trim().replace(/[\\%_]/g, (m) => `\\${m}`);
  return db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'o.id as org_id', 'o.name as org_name', 'o.country_code'])
    .where('p.status', '=', 'active')
    .where('o.status', '=', 'approved')
    .where((eb) => eb.or([eb('o.country_code', 'in', r.countries.length ? [...r.countries] : ['--']), eb('o.id', 'in', r.organisations.length ? [...r.organisations] : ['00000000-0000-4000-8000-000000000000'])]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('crisis_members as m').select('m.person_id').where('m.crisis_id', '=', r.crisisId).whereRef('m.person_id', '=', 'p.id'))))
    .$if(!!q, (b) => b.where(sql<boolean>`p.name ILIKE ${`%${q}%`}`))
    .orderBy('p.name')
    .orderBy('p.id')
    .limit(r.limit)
    .execute();
}

export async function approvedOrganisations(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).where('status', '=', 'approved').execute();
}

/** The next sitrep number of a crisis, under a row lock on the crisis so two reports cannot take the same number. */
export async function nextSitrepNumber(trx: Transaction<DB>, crisisId: string) {
  const locked = await trx.selectFrom('crises').select(['id', 'status', 'level']).where('id', '=', crisisId).forUpdate().executeTakeFirst();
  const r = await trx.selectFrom('crisis_sitreps').select(sql<number>`coalesce(max(number), 0)::int + 1`.as('n')).where('crisis_id', '=', crisisId).executeTakeFirstOrThrow();
  return { status: locked?.status ?? null, level: (locked?.level ?? 'normal') as CrisisLevel, number: Number(r.n) };
}

/** When an alert was acknowledged (the caller read the alert through `visibleAlerts`). */
export async function alertAcknowledgedAt(trx: Transaction<DB>, alertId: string) {
  return (await trx.selectFrom('crisis_alerts').select('acknowledged_at').where('id', '=', alertId).executeTakeFirst())?.acknowledged_at ?? null;
}

/**
 * Open crises whose situation report is due and whose coordinator has not been reminded of that
 * due time (the reminders job; no viewer: each coordinator's own view is checked before mail).
 */
export async function crisesDue(db: Db, now: Date) {
  return db
    .selectFrom('crises as c')
    .selectAll('c')
    .where('c.status', '=', 'open')
    .where('c.next_sitrep_due', 'is not', null)
    .where('c.next_sitrep_due', '<=', now)
    .where((eb) => eb.or([eb('c.reminded_due', 'is', null), eb('c.reminded_due', '<', eb.ref('c.next_sitrep_due'))]))
    .orderBy('c.next_sitrep_due')
    .limit(200)
    .execute();
}

/**
 * Unreleased injects whose planned time has come, in open exercise rooms (the release job; no
 * viewer: a job acts for the controller who planned them). Oldest first, a bounded batch.
 */
export async function injectsDue(db: Db, now: Date) {
  return db
    .selectFrom('crisis_injects as i')
    .innerJoin('crises as c', 'c.id', 'i.crisis_id')
    .selectAll('i')
    .select(['c.room_community_id'])
    .where('i.released_at', 'is', null)
    .where('i.planned_at', '<=', now)
    .where('c.status', '=', 'open')
    .where('c.exercise', '=', true)
    .orderBy('i.planned_at')
    .orderBy('i.id')
    .limit(200)
    .execute();
}

export async function coordinatorsOf(db: Db, crisisId: string) {
  return db.selectFrom('crisis_members').select('person_id').where('crisis_id', '=', crisisId).where('role', '=', 'coordinator').execute();
}

/** Keys on file for these people: their active directory entries with a usable key, the person's own first. */
export async function keysOfPeople(db: Db, personIds: readonly string[]) {
  if (!personIds.length) return new Map<string, string>();
  const rows = await db
    .selectFrom('contacts')
    .select(['person_id', 'pgp_key'])
    .where('person_id', 'in', [...personIds])
    .where('status', '=', 'active')
    .where('pgp_key', 'is not', null)
    .where('pgp_revoked', '=', false)
    .where((eb) => eb.or([eb('pgp_expires_at', 'is', null), eb('pgp_expires_at', '>', new Date())]))
    .execute();
  const out = new Map<string, string>();
  for (const r of rows) if (r.person_id && r.pgp_key && !out.has(r.person_id)) out.set(r.person_id, r.pgp_key);
  return out;
}
