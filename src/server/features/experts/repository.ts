import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { likeLiteral } from '../../platform/sql.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Every read of the expert pool starts here. Two rules, both must hold: the access policy (the
 * profile's TLP and audience), and the workflow — a profile not vetted (proposed, or withdrawn)
 * is seen by its own organisation only, never by anyone else (the secretariat included). The
 * workflow only narrows what the marking allows.
 */
export function visibleExperts(db: Db, viewer: Viewer) {
  return db
    .selectFrom('experts as x')
    .innerJoin('people as p', 'p.id', 'x.person_id')
    .innerJoin('organisations as o', 'o.id', 'x.author_org_id')
    .select([
      'x.id',
      'x.person_id',
      'x.headline',
      'x.biography',
      'x.language',
      'x.source_rev',
      'x.translations',
      'x.skills',
      'x.concepts',
      'x.languages',
      'x.countries',
      'x.status',
      'x.vetted_by',
      'x.vetted_at',
      'x.withdrawn_at',
      'x.tlp',
      'x.pap',
      'x.author_id',
      'x.author_org_id',
      'x.audience_organisations',
      'x.audience_communities',
      'x.audience_people',
      'x.created_at',
      'x.updated_at',
      'p.name as person_name',
      'o.name as org_name',
      'o.country_code as org_country',
      sql<number>`(SELECT count(*)::int FROM expert_missions m WHERE m.expert_id = x.id)`.as('mission_count'),
      sql<number | null>`(SELECT avg(m.evaluation)::float8 FROM expert_missions m WHERE m.expert_id = x.id AND m.evaluation IS NOT NULL)`.as('mission_mean'),
    ])
    .where(visibleSql(viewer, 'x'))
    .where(workflowSql(viewer));
}

function workflowSql(viewer: Viewer): Expression<SqlBool> {
  const own = viewer.organisationId ? sql<SqlBool>` OR x.author_org_id = ${viewer.organisationId}::uuid` : sql``;
  return sql<SqlBool>`(x.status = 'vetted'${own})`;
}

export type ExpertRow = Awaited<ReturnType<ReturnType<typeof visibleExperts>['executeTakeFirstOrThrow']>>;

export interface ExpertFilters {
  q?: string;
  skill?: string;
  concept?: string;
  /** A primary language subtag ("es"). */
  language?: string;
  country?: string;
  /** Available at some time between these dates (YYYY-MM-DD), either may be open. */
  from?: string;
  to?: string;
  organisation?: string;
  status?: string;
}

/** The words of `q` in the headline or biography in any language version (stemmed), or in the person's name (accents and case folded). */
const matches = (q: string) =>
  sql<SqlBool>`(x.search @@ public.puente_text_tsquery(${q}) OR public.puente_fold(p.name) LIKE '%' || public.puente_fold(${likeLiteral(q)}) || '%')`;

function availableSql(from: string | undefined, to: string | undefined): Expression<SqlBool> {
  const after = from ? sql` AND a.ends_on >= ${from}::date` : sql``;
  const before = to ? sql` AND a.starts_on <= ${to}::date` : sql``;
  return sql<SqlBool>`EXISTS (SELECT 1 FROM expert_availability a WHERE a.expert_id = x.id${after}${before})`;
}

export function filtered(db: Db, viewer: Viewer, f: ExpertFilters) {
  return visibleExperts(db, viewer)
    .$if(!!f.q, (b) => b.where(matches(f.q!)))
    .$if(!!f.skill, (b) => b.where(sql<SqlBool>`x.skills @> ARRAY[${f.skill!}]::text[]`))
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`x.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.language, (b) => b.where(sql<SqlBool>`x.spoken @> ARRAY[${f.language!}]::text[]`))
    .$if(!!f.country, (b) => b.where(sql<SqlBool>`x.countries @> ARRAY[${f.country!}]::text[]`))
    .$if(!!(f.from || f.to), (b) => b.where(availableSql(f.from, f.to)))
    .$if(!!f.organisation, (b) => b.where('x.author_org_id', '=', f.organisation!))
    .$if(!!f.status, (b) => b.where('x.status', '=', f.status!));
}

/** A page of the profiles the viewer may see, newest first; `before` (an id: ids begin with their time) continues a listing. */
export async function expertPage(db: Db, viewer: Viewer, f: ExpertFilters, o: { limit: number; before?: string }) {
  return filtered(db, viewer, f)
    .$if(!!o.before, (x) => x.where('x.id', '<', o.before!))
    .orderBy('x.id', 'desc')
    .limit(o.limit + 1)
    .execute();
}

/** How many profiles the viewer may see among those filtered. */
export async function expertCount(db: Db, viewer: Viewer, f: ExpertFilters): Promise<number> {
  const r = await db.selectFrom(filtered(db, viewer, f).as('f')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return r.n;
}

export async function visibleExpert(db: Db, viewer: Viewer, id: string) {
  return visibleExperts(db, viewer).where('x.id', '=', id).executeTakeFirst();
}

/** The profile of a person still in use (proposed or vetted), whoever may see it: one per person. */
export async function currentProfileOf(db: Db, personId: string) {
  return db.selectFrom('experts').select(['id', 'status']).where('person_id', '=', personId).where('status', '<>', 'withdrawn').executeTakeFirst();
}

export async function insertExpert(trx: Transaction<DB>, values: Record<string, unknown>) {
  await trx.insertInto('experts').values(values as never).execute();
}

export async function updateExpert(trx: Transaction<DB>, id: string, values: Record<string, unknown>) {
  await trx.updateTable('experts').set(values as never).where('id', '=', id).execute();
}

/** The availability windows of profiles already read through `visibleExperts`, soonest first. */
export async function availabilityOf(db: Db, expertIds: readonly string[], o: { current?: boolean } = {}) {
  const out = new Map<string, { id: string; from: string; to: string; note: string }[]>();
  if (!expertIds.length) return out;
  const rows = await db
    .selectFrom('expert_availability')
    .select(['id', 'expert_id', sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('from'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('to'), 'note'])
    .where('expert_id', 'in', [...expertIds])
    .$if(!!o.current, (b) => b.where(sql<SqlBool>`ends_on >= current_date`))
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.expert_id, [...(out.get(r.expert_id) ?? []), { id: r.id, from: r.from, to: r.to, note: r.note }]);
  return out;
}

export async function availabilityWindow(db: Db, expertId: string, windowId: string) {
  return db
    .selectFrom('expert_availability')
    .select(['id', sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('from'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('to'), 'note'])
    .where('expert_id', '=', expertId)
    .where('id', '=', windowId)
    .executeTakeFirst();
}

const missionColumns = [
  'm.id',
  'm.expert_id',
  'm.title',
  'm.country',
  sql<string>`to_char(m.starts_on, 'YYYY-MM-DD')`.as('starts_on'),
  sql<string | null>`to_char(m.ends_on, 'YYYY-MM-DD')`.as('ends_on'),
  'm.offer_id',
  'm.request_id',
  'm.host_org_id',
  'h.name as host_name',
  'm.evaluation',
  'm.evaluation_comment',
  'm.evaluated_by',
  'e.name as evaluator_name',
  'm.evaluated_by_org',
  'm.evaluated_at',
] as const;

function missions(db: Db) {
  return db
    .selectFrom('expert_missions as m')
    .leftJoin('organisations as h', 'h.id', 'm.host_org_id')
    .leftJoin('people as e', 'e.id', 'm.evaluated_by')
    .select(missionColumns);
}

export type MissionRow = Awaited<ReturnType<ReturnType<typeof missions>['executeTakeFirstOrThrow']>>;

/** The missions of profiles already read through `visibleExperts`, latest first. */
export async function missionsOf(db: Db, expertIds: readonly string[]) {
  const out = new Map<string, MissionRow[]>();
  if (!expertIds.length) return out;
  const rows = await missions(db).where('m.expert_id', 'in', [...expertIds]).orderBy('m.starts_on', 'desc').orderBy('m.id', 'desc').execute();
  for (const r of rows) out.set(r.expert_id, [...(out.get(r.expert_id) ?? []), r]);
  return out;
}

export async function missionOf(db: Db, expertId: string, missionId: string) {
  return missions(db).where('m.expert_id', '=', expertId).where('m.id', '=', missionId).executeTakeFirst();
}

export async function insertAvailability(trx: Transaction<DB>, v: { id: string; expertId: string; from: string; to: string; note: string }) {
  await trx.insertInto('expert_availability').values({ id: v.id, expert_id: v.expertId, starts_on: v.from, ends_on: v.to, note: v.note }).execute();
}

export async function updateAvailability(trx: Transaction<DB>, expertId: string, id: string, v: { from: string; to: string; note: string }) {
  await trx.updateTable('expert_availability').set({ starts_on: v.from, ends_on: v.to, note: v.note }).where('expert_id', '=', expertId).where('id', '=', id).execute();
}

export async function deleteAvailability(trx: Transaction<DB>, expertId: string, id: string) {
  const r = await trx.deleteFrom('expert_availability').where('expert_id', '=', expertId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface MissionValues {
  title: string;
  country: string | null;
  startsOn: string;
  endsOn: string | null;
  offerId: string | null;
  requestId: string | null;
  hostOrgId: string | null;
}

const missionRow = (v: MissionValues) => ({ title: v.title, country: v.country, starts_on: v.startsOn, ends_on: v.endsOn, offer_id: v.offerId, request_id: v.requestId, host_org_id: v.hostOrgId });

export async function insertMission(trx: Transaction<DB>, id: string, expertId: string, createdBy: string, v: MissionValues) {
  await trx.insertInto('expert_missions').values({ id, expert_id: expertId, created_by: createdBy, ...missionRow(v) }).execute();
}

export async function updateMission(trx: Transaction<DB>, expertId: string, id: string, v: MissionValues) {
  await trx.updateTable('expert_missions').set(missionRow(v)).where('expert_id', '=', expertId).where('id', '=', id).execute();
}

export async function deleteMission(trx: Transaction<DB>, expertId: string, id: string) {
  const r = await trx.deleteFrom('expert_missions').where('expert_id', '=', expertId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function evaluateMission(trx: Transaction<DB>, expertId: string, id: string, v: { evaluation: number; comment: string; by: string; byOrg: string }) {
  await trx
    .updateTable('expert_missions')
    .set({ evaluation: v.evaluation, evaluation_comment: v.comment, evaluated_by: v.by, evaluated_by_org: v.byOrg, evaluated_at: new Date() })
    .where('expert_id', '=', expertId)
    .where('id', '=', id)
    .execute();
}

/** A person of an organisation, to be offered as its expert. */
export async function personOf(db: Db, personId: string) {
  return db.selectFrom('people').select(['id', 'name', 'organisation_id', 'status']).where('id', '=', personId).executeTakeFirst();
}

/** Approved organisations by id (a mission's host must be a member). */
export async function approvedOrganisations(db: Db, ids: readonly string[]) {
  if (!ids.length) return new Set<string>();
  const rows = await db.selectFrom('organisations').select('id').where('id', 'in', [...ids]).where('status', '=', 'approved').execute();
  return new Set(rows.map((r) => r.id));
}

/** The member states among these codes (countries of experience, of a mission). */
export async function knownCountries(db: Db, codes: readonly string[]) {
  if (!codes.length) return new Set<string>();
  const rows = await db.selectFrom('countries').select('code').where('code', 'in', [...codes]).where('kind', '=', 'state').execute();
  return new Set(rows.map((r) => r.code));
}

/**
 * Vetted profiles the viewer may see that share at least one skill, concept or working language
 * with what is wanted (each array filter answered by its GIN index), most in common first.
 */
export async function matchingExperts(db: Db, viewer: Viewer, want: { concepts: string[]; skills: string[]; languages: string[]; limit: number }) {
  const shared = (col: string, values: string[]) =>
    values.length ? sql<number>`cardinality(ARRAY(SELECT unnest(${sql.ref(col)}) INTERSECT SELECT unnest(${sql.val(values)}::text[])))` : sql<number>`0`;
  const any = (col: string, values: string[]) => (values.length ? [sql<SqlBool>`${sql.ref(col)} && ${sql.val(values)}::text[]`] : []);
  const conditions = [...any('x.skills', want.skills), ...any('x.concepts', want.concepts), ...any('x.spoken', want.languages)];
  if (!conditions.length || want.limit < 1) return [];
  const score = sql<number>`(${shared('x.skills', want.skills)} + ${shared('x.concepts', want.concepts)} + ${shared('x.spoken', want.languages)})`;
  return visibleExperts(db, viewer)
    .where('x.status', '=', 'vetted')
    .where('p.status', '=', 'active')
    .where(sql<SqlBool>`(${sql.join(conditions, sql` OR `)})`)
    .orderBy(score, 'desc')
    .orderBy('x.id', 'desc')
    .limit(want.limit)
    .execute();
}

/** Concept tag (a theme or an ECSF role) → profiles the viewer may see carrying it (the concept's page). */
export async function taggedExperts(db: Db, viewer: Viewer, tag: string, limit: number) {
  return visibleExperts(db, viewer)
    .where(sql<SqlBool>`(x.concepts @> ARRAY[${tag}]::text[] OR x.skills @> ARRAY[${tag}]::text[])`)
    .orderBy('x.id', 'desc')
    .limit(limit)
    .execute();
}

/** The profiles of this person's organisation, for the translation queue (features/translations). */
export async function organisationExperts(db: Db, viewer: Viewer, organisationId: string, limit: number) {
  return visibleExperts(db, viewer).where('x.author_org_id', '=', organisationId).orderBy('x.updated_at', 'desc').limit(limit).execute();
}
