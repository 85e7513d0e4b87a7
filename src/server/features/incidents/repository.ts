import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { versionFilter, visibleObjects } from '../intel/repository.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Every read of incident reports for a viewer starts here: the access policy over the report's
 * marking. The owner organisation is in the audience of every report it may be (AMBER and
 * AMBER+STRICT; CLEAR and GREEN reach it anyway), the reporting organisation reads it as the
 * author's organisation, so no rule beside the policy is needed.
 */
export function visibleIncidents(db: Db, viewer: Viewer) {
  return db
    .selectFrom('incident_reports as i')
    .innerJoin('organisations as o', 'o.id', 'i.owner_org_id')
    .innerJoin('organisations as a', 'a.id', 'i.author_org_id')
    .select([
      'i.id',
      'i.stix_id',
      'i.title',
      'i.description',
      'i.language',
      'i.source_rev',
      'i.translations',
      'i.rsit_class',
      'i.root_cause',
      'i.threat_severity',
      'i.impact_severity',
      'i.impact_outlook',
      'i.sectors',
      'i.subsectors',
      'i.countries',
      'i.cross_border',
      'i.users_affected',
      'i.started_at',
      'i.ended_at',
      'i.aware_at',
      'i.status',
      'i.outcome',
      'i.closed_at',
      'i.owner_org_id',
      'i.exercise',
      'i.tlp',
      'i.pap',
      'i.author_id',
      'i.author_org_id',
      'i.audience_organisations',
      'i.audience_communities',
      'i.audience_people',
      'i.created_at',
      'i.updated_at',
      'o.name as owner_name',
      'o.country_code as owner_country',
      'a.name as author_org_name',
      'a.country_code as author_org_country',
    ])
    .where(visibleSql(viewer, 'i'));
}

export type IncidentRow = Awaited<ReturnType<ReturnType<typeof visibleIncidents>['executeTakeFirstOrThrow']>>;

/** The filters of the list and of the situational picture, parsed and checked (service.ts parseIncidentFilters). */
export interface IncidentFilterValues {
  country?: string[];
  sector?: string[];
  /** RSIT categories (no slash) and `category/type` classes. */
  rsit?: string[];
  status?: string[];
  impactSeverity?: string[];
  /** YYYY-MM-DD, inclusive, on aware_at (UTC days). */
  from?: string;
  to?: string;
  community?: string;
  q?: string;
  /** true: exercise reports only; false (the default of every real view): real reports only. */
  exercise: boolean;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The visible reports that match the filters. `alias` `i`; the situational picture (features/situation)
 * builds its aggregates on this too, so that the list and the figures count the same reports.
 */
export function filteredIncidents(db: Db, viewer: Viewer, f: IncidentFilterValues) {
  const rsitClasses = (f.rsit ?? []).filter((r) => r.includes('/'));
  const rsitCategories = (f.rsit ?? []).filter((r) => !r.includes('/'));
  return visibleIncidents(db, viewer)
    .where('i.exercise', '=', f.exercise)
    .$if(!!f.country?.length, (b) => b.where(sql<SqlBool>`i.countries && ${sql.val(f.country!)}::text[]`))
    .$if(!!f.sector?.length, (b) => b.where(sql<SqlBool>`i.sectors && ${sql.val(f.sector!)}::text[]`))
    .$if(!!f.rsit?.length, (b) =>
      b.where(sql<SqlBool>`(i.rsit_class = ANY(${sql.val(rsitClasses)}::text[]) OR split_part(i.rsit_class, '/', 1) = ANY(${sql.val(rsitCategories)}::text[]))`),
    )
    .$if(!!f.status?.length, (b) => b.where('i.status', 'in', f.status!))
    .$if(!!f.impactSeverity?.length, (b) => b.where('i.impact_severity', 'in', f.impactSeverity!))
    .$if(!!f.from, (b) => b.where(sql<SqlBool>`i.aware_at >= ${f.from!}::date`))
    .$if(!!f.to, (b) => b.where(sql<SqlBool>`i.aware_at < (${f.to!}::date + 1)`))
    .$if(!!f.community, (b) => b.where(sql<SqlBool>`i.audience_communities @> ARRAY[${f.community!}::uuid]`))
    .$if(!!f.q, (b) => {
      const like = `%${escapeLike(f.q!)}%`;
      // The words in the source text or in any translation of it.
      return b.where(sql<SqlBool>`(i.title ILIKE ${like} OR i.description ILIKE ${like} OR i.translations::text ILIKE ${like} OR i.stix_id = ${f.q!})`);
    });
}

/** A page of the list, latest awareness first; `after` continues from the last row of the page before. */
export async function incidentPage(db: Db, viewer: Viewer, f: IncidentFilterValues, o: { limit: number; after?: { awareAt: string; id: string } }) {
  return filteredIncidents(db, viewer, f)
    .$if(!!o.after, (b) => b.where(sql<SqlBool>`(i.aware_at, i.id) < (${o.after!.awareAt}::timestamptz, ${o.after!.id}::uuid)`))
    .orderBy('i.aware_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(o.limit + 1)
    .execute();
}

/** One report the viewer may see, by id or STIX id. */
export async function visibleIncident(db: Db, viewer: Viewer, id: string) {
  return visibleIncidents(db, viewer)
    .where((eb) => (id.startsWith('incident--') ? eb('i.stix_id', '=', id) : eb('i.id', '=', id)))
    .executeTakeFirst();
}

/**
 * A report by STIX id, whoever may see it: the import decides between creating and updating
 * (an id held by a report the importer may not see is refused, never overwritten). System read.
 */
export async function incidentIdByStixId(db: Db, stixId: string) {
  return db.selectFrom('incident_reports').select(['id']).where('stix_id', '=', stixId).executeTakeFirst();
}

/** Lock a report already read through the policy, for a write. */
export async function lockIncident(trx: Transaction<DB>, id: string) {
  return trx.selectFrom('incident_reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}
export type LockedIncident = Awaited<ReturnType<typeof lockIncident>>;

/** The NIS2 reports (clocks) of reports already read through the policy. */
export async function clocksOf(db: Db, incidentIds: readonly string[]) {
  if (!incidentIds.length) return [];
  return db
    .selectFrom('incident_nis2_reports')
    .selectAll()
    .where('incident_id', 'in', [...incidentIds])
    .orderBy('due_at')
    .orderBy('id')
    .execute();
}
export type ClockRow = Awaited<ReturnType<typeof clocksOf>>[number];

/**
 * The timeline entries of a report the viewer may see, that the viewer may see: each entry's own
 * marking and the report's must both allow them (a narrowed report takes its earlier entries with it).
 */
export async function visibleEntries(db: Db, viewer: Viewer, incidentId: string) {
  return db
    .selectFrom('incident_entries as e')
    .innerJoin('incident_reports as i', 'i.id', 'e.incident_id')
    .innerJoin('organisations as eo', 'eo.id', 'e.author_org_id')
    .leftJoin('people as ep', 'ep.id', 'e.author_id')
    .select(['e.id', 'e.at', 'e.action', 'e.detail', 'e.text', 'e.language', 'e.tlp', 'e.author_id', 'e.author_org_id', 'eo.name as org_name', 'ep.name as person_name'])
    .where('e.incident_id', '=', incidentId)
    .where(visibleSql(viewer, 'e'))
    .where(visibleSql(viewer, 'i'))
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

/** The links of a report already read through the policy (the objects are judged by `visibleLinkedObjects`). */
export async function linksOf(db: Db, incidentId: string) {
  return db.selectFrom('incident_links').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('stix_id').execute();
}

/** Of these STIX ids, the objects the viewer may see in the store, in their latest visible version. */
export async function visibleLinkedObjects(db: Kysely<DB>, viewer: Viewer, stixIds: readonly string[]) {
  if (!stixIds.length) return [];
  return visibleObjects(db, viewer)
    .where('o.stix_id', 'in', [...new Set(stixIds)])
    .where(versionFilter(viewer, 'last', 'o'))
    .execute();
}

/** Members of an organisation who may be told of its incidents (active people). */
export async function membersOf(db: Db, organisationId: string) {
  return db.selectFrom('people').select(['id']).where('organisation_id', '=', organisationId).where('status', '=', 'active').execute();
}

export async function organisationById(db: Db, id: string) {
  return db.selectFrom('organisations').select(['id', 'name', 'country_code', 'status']).where('id', '=', id).executeTakeFirst();
}

/** ISO codes among these that are countries of the platform (the countries table). */
export async function knownCountries(db: Db, codes: readonly string[]) {
  if (!codes.length) return new Set<string>();
  const rows = await db.selectFrom('countries').select('code').where('code', 'in', [...codes]).execute();
  return new Set(rows.map((r) => r.code));
}

/** Of an audience written elsewhere (an import), the organisations, communities and people that exist here. */
export async function existingAudience(db: Db, a: { organisations: string[]; communities: string[]; people: string[] }) {
  const uuids = (xs: string[]) => xs.filter((x) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(x));
  const [o, c, p] = [uuids(a.organisations), uuids(a.communities), uuids(a.people)];
  const orgs = o.length ? (await db.selectFrom('organisations').select('id').where('id', 'in', o).where('status', '=', 'approved').execute()).map((r) => r.id) : [];
  const comms = c.length ? (await db.selectFrom('communities').select('id').where('id', 'in', c).where('status', '=', 'approved').execute()).map((r) => r.id) : [];
  const people = p.length ? (await db.selectFrom('people').select('id').where('id', 'in', p).where('status', '=', 'active').execute()).map((r) => r.id) : [];
  return { organisations: orgs, communities: comms, people };
}

// ---------- reminders (system reads: the job has no viewer; recipients are judged with canSee) ----------

/**
 * NIS2 reports not yet submitted that are due within `soonHours` and not reminded since they
 * came within it, or overdue and not reminded since they fell due — with their report's
 * marking, title and owner. The threshold crossed is told apart by `reminded_at`.
 */
export async function reportsToRemind(db: Db, now: Date, soonHours: number) {
  return db
    .selectFrom('incident_nis2_reports as r')
    .innerJoin('incident_reports as i', 'i.id', 'r.incident_id')
    .select([
      'r.id',
      'r.kind',
      'r.due_at',
      'r.reminded_at',
      'i.id as incident_id',
      'i.title',
      'i.exercise',
      'i.owner_org_id',
      'i.status',
      'i.tlp',
      'i.author_id',
      'i.author_org_id',
      'i.audience_organisations',
      'i.audience_communities',
      'i.audience_people',
    ])
    .where('r.submitted_at', 'is', null)
    .where('i.status', '<>', 'closed')
    .where(sql<SqlBool>`r.due_at <= ${now}::timestamptz + make_interval(hours => ${soonHours})`)
    .where(
      sql<SqlBool>`(r.reminded_at IS NULL
        OR (r.due_at <= ${now}::timestamptz AND r.reminded_at < r.due_at))`,
    )
    .orderBy('r.due_at')
    .limit(1000)
    .execute();
}

export async function markClockReminded(trx: Transaction<DB>, id: string, at: Date) {
  await trx.updateTable('incident_nis2_reports').set({ reminded_at: at }).where('id', '=', id).execute();
}
