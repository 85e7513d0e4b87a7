import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

// ---------- the countries and the directory (public reference data, approved organisations) ----------

/** The 60 states (not the marker for international bodies), by region and name. */
export function stateRows(db: Db) {
  return db.selectFrom('countries').select(['code', 'name', 'region', 'subregion', 'languages']).where('kind', '=', 'state').orderBy('region').orderBy('name').execute();
}

export function stateRow(db: Db, code: string) {
  return db.selectFrom('countries').select(['code', 'name', 'region', 'subregion', 'languages']).where('kind', '=', 'state').where('code', '=', code).executeTakeFirst();
}

export type StateRow = NonNullable<Awaited<ReturnType<typeof stateRow>>>;

/** The types of organisation a country page names: its foreign ministry, its cyber agency, its national CSIRT. */
export const NATIONAL_ORG_TYPES = ['mfa', 'national_cyber_agency', 'national_csirt'] as const;

/** The approved organisations of a country of the types a country page names (their public profile is public). */
export function nationalOrganisations(db: Db, country: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'acronym', 'type', 'website'])
    .where('country_code', '=', country)
    .where('status', '=', 'approved')
    .where('type', 'in', [...NATIONAL_ORG_TYPES])
    .orderBy('name')
    .execute();
}

/** Whether an organisation of the directory is approved (a responsible authority must be). */
export async function approvedOrganisationExists(db: Db, id: string): Promise<boolean> {
  return !!(await db.selectFrom('organisations').select('id').where('id', '=', id).where('status', '=', 'approved').executeTakeFirst());
}

/** How many approved organisations each country has (the directory's public count). */
export async function approvedOrganisationCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('organisations')
    .select(['country_code', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', '=', 'approved')
    .groupBy('country_code')
    .execute();
  return new Map(rows.map((r) => [r.country_code, Number(r.n)]));
}

/** How many active national focal points each country has (shown to members only, as the directory's list). */
export async function focalPointCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('country_focal_points as f')
    .innerJoin('people as pe', 'pe.id', 'f.person_id')
    .select(['f.country_code', (eb) => eb.fn.countAll<string>().as('n')])
    .where('pe.status', '=', 'active')
    .groupBy('f.country_code')
    .execute();
  return new Map(rows.map((r) => [r.country_code, Number(r.n)]));
}

// ---------- priorities ----------

/**
 * Every read of priorities starts here, and here the access policy's SQL filter on the
 * priority's marking is applied: there is no other way to read the table.
 */
export function visiblePriorities(db: Db, viewer: Viewer) {
  return db
    .selectFrom('country_priorities as cp')
    .innerJoin('organisations as o', 'o.id', 'cp.author_org_id')
    .innerJoin('people as a', 'a.id', 'cp.author_id')
    .leftJoin('people as u', 'u.id', 'cp.updated_by')
    .select([
      'cp.id',
      'cp.country_code',
      'cp.title',
      'cp.body',
      'cp.concepts',
      sql<string | null>`to_char(cp.review_date, 'YYYY-MM-DD')`.as('review_date'),
      'cp.language',
      'cp.source_rev',
      'cp.translations',
      'cp.version',
      'cp.tlp',
      'cp.pap',
      'cp.author_id',
      'cp.author_org_id',
      'cp.audience_organisations',
      'cp.audience_communities',
      'cp.audience_people',
      'cp.created_at',
      'cp.updated_at',
      'o.name as org_name',
      'a.name as author_name',
      'u.id as updater_id',
      'u.name as updater_name',
    ])
    .where(visibleSql(viewer, 'cp'));
}

export type PriorityRow = Awaited<ReturnType<ReturnType<typeof visiblePriorities>['executeTakeFirstOrThrow']>>;

export function prioritiesOfCountry(db: Db, viewer: Viewer, country: string) {
  return visiblePriorities(db, viewer).where('cp.country_code', '=', country).orderBy('cp.created_at', 'desc').orderBy('cp.id').execute();
}

export function priorityOfCountry(db: Db, viewer: Viewer, country: string, id: string) {
  return visiblePriorities(db, viewer).where('cp.country_code', '=', country).where('cp.id', '=', id).executeTakeFirst();
}

// ---------- instruments ----------

/** Every read of instruments starts here, through the access policy's SQL filter. */
export function visibleInstruments(db: Db, viewer: Viewer) {
  return db
    .selectFrom('country_instruments as ci')
    .innerJoin('organisations as o', 'o.id', 'ci.author_org_id')
    .innerJoin('people as a', 'a.id', 'ci.author_id')
    .leftJoin('people as u', 'u.id', 'ci.updated_by')
    .leftJoin('organisations as ao', 'ao.id', 'ci.authority_org_id')
    .select([
      'ci.id',
      'ci.country_code',
      'ci.type',
      'ci.status',
      'ci.title',
      'ci.summary',
      'ci.year',
      'ci.number',
      'ci.eli',
      sql<string | null>`to_char(ci.date, 'YYYY-MM-DD')`.as('date'),
      'ci.authority',
      'ci.authority_org_id',
      'ao.name as authority_org_name',
      'ci.sectors',
      'ci.concepts',
      'ci.eu_links',
      'ci.expressions',
      'ci.language',
      'ci.source_rev',
      'ci.translations',
      'ci.version',
      'ci.tlp',
      'ci.pap',
      'ci.author_id',
      'ci.author_org_id',
      'ci.audience_organisations',
      'ci.audience_communities',
      'ci.audience_people',
      'ci.created_at',
      'ci.updated_at',
      'o.name as org_name',
      'a.name as author_name',
      'u.id as updater_id',
      'u.name as updater_name',
    ])
    .where(visibleSql(viewer, 'ci'));
}

export type InstrumentRow = Awaited<ReturnType<ReturnType<typeof visibleInstruments>['executeTakeFirstOrThrow']>>;

export function instrumentsOfCountry(db: Db, viewer: Viewer, country: string) {
  return visibleInstruments(db, viewer).where('ci.country_code', '=', country).orderBy('ci.year', 'desc').orderBy('ci.title').orderBy('ci.id').execute();
}

export function instrumentOfCountry(db: Db, viewer: Viewer, country: string, id: string) {
  return visibleInstruments(db, viewer).where('ci.country_code', '=', country).where('ci.id', '=', id).executeTakeFirst();
}

/** Whether the viewer sees another instrument with this identifier (duplicates are refused among what the writer sees only). */
export async function visibleEliTaken(db: Db, viewer: Viewer, eli: string, except?: string): Promise<boolean> {
  const row = await visibleInstruments(db, viewer)
    .where('ci.eli', '=', eli)
    .$if(!!except, (q) => q.where('ci.id', '<>', except!))
    .executeTakeFirst();
  return !!row;
}

export interface CompareFilters {
  countries: string[];
  sector?: string;
  eu?: string;
  relation?: string;
  type?: string;
  status?: string;
}

/** The instruments of some countries the viewer may see, filtered by sector, EU instrument (and relation), type and status. */
export function comparedInstruments(db: Db, viewer: Viewer, f: CompareFilters) {
  const link = f.eu ? JSON.stringify([{ instrument: f.eu, ...(f.relation ? { relation: f.relation } : {}) }]) : f.relation ? JSON.stringify([{ relation: f.relation }]) : null;
  return visibleInstruments(db, viewer)
    .where('ci.country_code', 'in', f.countries)
    .$if(!!f.sector, (q) => q.where(sql<boolean>`ci.sectors @> ARRAY[${f.sector!}]::text[]`))
    .$if(link !== null, (q) => q.where(sql<boolean>`ci.eu_links @> ${link!}::jsonb`))
    .$if(!!f.type, (q) => q.where('ci.type', '=', f.type!))
    .$if(!!f.status, (q) => q.where('ci.status', '=', f.status!))
    .orderBy('ci.country_code')
    .orderBy('ci.year', 'desc')
    .orderBy('ci.title')
    .orderBy('ci.id')
    .limit(2000)
    .execute();
}

/** The status timelines of instruments already read through `visibleInstruments`, oldest first. */
export async function statusesOf(db: Db, instrumentIds: string[]) {
  const out = new Map<string, { status: string; effectiveOn: string; recordedAt: Date; recordedBy: string | null; recordedByName: string | null }[]>();
  if (!instrumentIds.length) return out;
  const rows = await db
    .selectFrom('country_instrument_statuses as s')
    .leftJoin('people as pe', 'pe.id', 's.recorded_by')
    .select(['s.instrument_id', 's.status', sql<string>`to_char(s.effective_on, 'YYYY-MM-DD')`.as('effective_on'), 's.recorded_at', 's.recorded_by', 'pe.name as recorded_by_name'])
    .where('s.instrument_id', 'in', instrumentIds)
    .orderBy('s.instrument_id')
    .orderBy('s.position')
    .execute();
  for (const r of rows)
    out.set(r.instrument_id, [...(out.get(r.instrument_id) ?? []), { status: r.status, effectiveOn: r.effective_on, recordedAt: r.recorded_at, recordedBy: r.recorded_by, recordedByName: r.recorded_by_name }]);
  return out;
}

export async function lastStatusPosition(db: Db, instrumentId: string): Promise<{ position: number; effectiveOn: string } | null> {
  const r = await db
    .selectFrom('country_instrument_statuses')
    .select(['position', sql<string>`to_char(effective_on, 'YYYY-MM-DD')`.as('effective_on')])
    .where('instrument_id', '=', instrumentId)
    .orderBy('position', 'desc')
    .executeTakeFirst();
  return r ? { position: r.position, effectiveOn: r.effective_on } : null;
}

// ---------- counts (the list of countries) ----------

/** Per country, the priorities and instruments this viewer may see: counted over rows that pass the policy only. */
export async function visibleCounts(db: Db, viewer: Viewer): Promise<Map<string, { priorities: number; instruments: number }>> {
  const [p, i] = await Promise.all([
    db
      .selectFrom('country_priorities as cp')
      .select(['cp.country_code', (eb) => eb.fn.countAll<string>().as('n')])
      .where(visibleSql(viewer, 'cp'))
      .groupBy('cp.country_code')
      .execute(),
    db
      .selectFrom('country_instruments as ci')
      .select(['ci.country_code', (eb) => eb.fn.countAll<string>().as('n')])
      .where(visibleSql(viewer, 'ci'))
      .groupBy('ci.country_code')
      .execute(),
  ]);
  const out = new Map<string, { priorities: number; instruments: number }>();
  const at = (c: string) => out.get(c) ?? out.set(c, { priorities: 0, instruments: 0 }).get(c)!;
  for (const r of p) at(r.country_code).priorities = Number(r.n);
  for (const r of i) at(r.country_code).instruments = Number(r.n);
  return out;
}

// ---------- tagged with a concept (the concept's page) ----------

export function prioritiesTagged(db: Db, viewer: Viewer, tag: string, limit: number) {
  return visiblePriorities(db, viewer).where(sql<boolean>`cp.concepts @> ARRAY[${tag}]::text[]`).orderBy('cp.updated_at', 'desc').limit(limit).execute();
}

export function instrumentsTagged(db: Db, viewer: Viewer, tag: string, limit: number) {
  return visibleInstruments(db, viewer)
    .where(sql<boolean>`(ci.concepts @> ARRAY[${tag}]::text[] OR ci.sectors @> ARRAY[${tag}]::text[])`)
    .orderBy('ci.updated_at', 'desc')
    .limit(limit)
    .execute();
}

// ---------- history (read only for an item already read through its visible* function) ----------

export function priorityVersions(db: Db, priorityId: string) {
  return db
    .selectFrom('country_priority_versions as v')
    .leftJoin('people as pe', 'pe.id', 'v.by_person')
    .select(['v.version', 'v.action', 'v.changed', 'v.snapshot', 'v.at', 'v.by_person', 'pe.name as by_name'])
    .where('v.priority_id', '=', priorityId)
    .orderBy('v.version', 'desc')
    .execute();
}

export function instrumentVersions(db: Db, instrumentId: string) {
  return db
    .selectFrom('country_instrument_versions as v')
    .leftJoin('people as pe', 'pe.id', 'v.by_person')
    .select(['v.version', 'v.action', 'v.changed', 'v.snapshot', 'v.at', 'v.by_person', 'pe.name as by_name'])
    .where('v.instrument_id', '=', instrumentId)
    .orderBy('v.version', 'desc')
    .execute();
}
