import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { visibleExperts } from '../experts/repository.js';
import { visibleOffers } from '../offers/repository.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The statuses before the secretariat opens a request to providers. */
export const BEFORE_OPEN = ['submitted', 'triaged'] as const;

/**
 * Every read of requests starts here. Two rules, both must hold: the access policy (the
 * request's TLP and audience), and the workflow — until the secretariat has triaged and opened
 * it, a request is seen by the requesting organisation and the secretariat only (within its
 * marking), not yet by the providers it is shared with. The workflow only narrows.
 */
export function visibleRequests(db: Db, viewer: Viewer, isSecretariat: boolean) {
  return db
    .selectFrom('assistance_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.author_org_id')
    .leftJoin('people as a', 'a.id', 'r.author_id')
    .select([
      'r.id',
      'r.country_code',
      'r.title',
      'r.description',
      'r.wanted',
      'r.constraints',
      'r.language',
      'r.source_rev',
      'r.translations',
      'r.concepts',
      'r.audiences',
      'r.languages',
      'r.urgency',
      'r.format',
      sql<string | null>`to_char(r.timeframe_from, 'YYYY-MM-DD')`.as('timeframe_from'),
      sql<string | null>`to_char(r.timeframe_to, 'YYYY-MM-DD')`.as('timeframe_to'),
      'r.status',
      'r.chosen_interest_id',
      'r.evaluation',
      'r.evaluation_comment',
      'r.coordination_community_id',
      'r.coordination_topic_id',
      'r.coordination_event_id',
      'r.tlp',
      'r.pap',
      'r.author_id',
      'r.author_org_id',
      'r.audience_organisations',
      'r.audience_communities',
      'r.audience_people',
      'r.created_at',
      'r.updated_at',
      'o.name as org_name',
      'o.country_code as org_country',
      'a.name as author_name',
    ])
    .where(visibleSql(viewer, 'r'))
    .where(workflowSql(viewer, isSecretariat));
}

function workflowSql(viewer: Viewer, isSecretariat: boolean): Expression<SqlBool> {
  if (isSecretariat) return sql<SqlBool>`TRUE`;
  const own = viewer.organisationId ? sql<SqlBool>` OR r.author_org_id = ${viewer.organisationId}::uuid` : sql``;
  return sql<SqlBool>`(r.status <> ALL(${sql.val([...BEFORE_OPEN])}::text[])${own})`;
}

export type RequestRow = Awaited<ReturnType<ReturnType<typeof visibleRequests>['executeTakeFirstOrThrow']>>;

export interface RequestFilters {
  status?: string;
  concept?: string;
  country?: string;
  /** Only the requests of this organisation. */
  organisation?: string;
}

export function filteredRequests(db: Db, viewer: Viewer, isSecretariat: boolean, f: RequestFilters) {
  return visibleRequests(db, viewer, isSecretariat)
    .$if(!!f.status, (b) => b.where('r.status', '=', f.status!))
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`r.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.country, (b) => b.where(sql<SqlBool>`coalesce(r.country_code, o.country_code) = ${f.country!}`))
    .$if(!!f.organisation, (b) => b.where('r.author_org_id', '=', f.organisation!));
}

/** A page of the requests the viewer may see, newest first; `before` (an id: ids begin with their time) continues it. */
export async function requestPage(db: Db, viewer: Viewer, isSecretariat: boolean, f: RequestFilters, o: { limit: number; before?: string }) {
  return filteredRequests(db, viewer, isSecretariat, f)
    .$if(!!o.before, (x) => x.where('r.id', '<', o.before!))
    .orderBy('r.id', 'desc')
    .limit(o.limit + 1)
    .execute();
}

export async function requestById(db: Db, viewer: Viewer, isSecretariat: boolean, id: string) {
  return visibleRequests(db, viewer, isSecretariat).where('r.id', '=', id).executeTakeFirst();
}

/** Requests the viewer may see, by ids (a concept's page, suggestions). */
export async function requestsByIds(db: Db, viewer: Viewer, isSecretariat: boolean, ids: readonly string[]) {
  if (!ids.length) return [];
  return visibleRequests(db, viewer, isSecretariat).where('r.id', 'in', [...ids]).execute();
}

/**
 * Open requests the viewer may see that share a concept or a language with what they provide,
 * most shared concepts first: the candidates of "requests that fit you" (GIN indexes on both).
 */
export async function openRequestsSharing(db: Db, viewer: Viewer, want: { concepts: readonly string[]; languages: readonly string[]; excludeOrg: string | null }, limit: number) {
  if (!want.concepts.length && !want.languages.length) return [];
  const concepts = sql.val([...want.concepts]);
  return visibleRequests(db, viewer, false)
    .where('r.status', '=', 'open')
    .where(sql<SqlBool>`(r.concepts && ${concepts}::text[] OR r.languages && ${sql.val([...want.languages])}::text[])`)
    .$if(!!want.excludeOrg, (b) => b.where('r.author_org_id', '<>', want.excludeOrg!))
    .orderBy(sql`cardinality(ARRAY(SELECT unnest(r.concepts) INTERSECT SELECT unnest(${concepts}::text[])))`, 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

/** Requests carrying a concept, for the concept's page. */
export async function taggedRequests(db: Db, viewer: Viewer, isSecretariat: boolean, tag: string, limit: number) {
  return visibleRequests(db, viewer, isSecretariat).where(sql<SqlBool>`r.concepts @> ARRAY[${tag}]::text[]`).orderBy('r.id', 'desc').limit(limit).execute();
}

/** How many requests wait for the secretariat's triage, among those the viewer may see (its to-do list). */
export async function countWaitingTriage(db: Db, viewer: Viewer) {
  const r = await visibleRequests(db, viewer, true)
    .clearSelect()
    .select(sql<number>`count(*)::int`.as('n'))
    .where('r.status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The steps of a request already read through `visibleRequests`, oldest first. */
export async function stepsOf(db: Db, requestId: string) {
  return db
    .selectFrom('request_steps as s')
    .leftJoin('people as p', 'p.id', 's.by_person')
    .leftJoin('organisations as o', 'o.id', 's.by_org')
    .select(['s.id', 's.status', 's.at', 's.note', 'p.name as person_name', 'o.name as org_name', 's.by_org'])
    .where('s.request_id', '=', requestId)
    .orderBy('s.at')
    .orderBy('s.id')
    .execute();
}

/**
 * The expressions of interest in a request (already read through `visibleRequests`) this viewer
 * may see: each is marked for the requester, the secretariat's organisation and the answering
 * and partner organisations only.
 */
export function visibleInterests(db: Db, viewer: Viewer, requestId: string) {
  return db
    .selectFrom('request_interests as i')
    .innerJoin('organisations as o', 'o.id', 'i.author_org_id')
    .leftJoin('people as a', 'a.id', 'i.author_id')
    .select([
      'i.id',
      'i.request_id',
      'i.message',
      'i.partner_org_ids',
      'i.offer_ids',
      'i.expert_ids',
      'i.status',
      'i.tlp',
      'i.author_id',
      'i.author_org_id',
      'i.audience_organisations',
      'i.audience_communities',
      'i.audience_people',
      'i.created_at',
      'o.name as org_name',
      'o.country_code as org_country',
      'a.name as author_name',
    ])
    .where('i.request_id', '=', requestId)
    .where(visibleSql(viewer, 'i'));
}

export type InterestRow = Awaited<ReturnType<ReturnType<typeof visibleInterests>['executeTakeFirstOrThrow']>>;

/**
 * System read: the organisations that answered a request, for the service to refuse a second
 * answer and to convene the coordination meeting (ids only; nothing of the answers leaves it).
 */
export async function answeringOrganisations(db: Db, requestId: string) {
  return db.selectFrom('request_interests').select(['id', 'author_org_id', 'partner_org_ids', 'status']).where('request_id', '=', requestId).execute();
}

/** The organisations of the secretariat: those of its active members, when approved. */
export async function secretariatOrganisations(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select('o.id')
    .distinct()
    .where(sql<SqlBool>`p.roles @> ARRAY['secretariat']::text[]`)
    .where('p.status', '=', 'active')
    .where('o.status', '=', 'approved')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => r.id);
}

/** The active members of the secretariat. */
export async function secretariatPeople(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('people').select('id').where(sql<SqlBool>`roles @> ARRAY['secretariat']::text[]`).where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}

/** The providers' community by its well-known short name, if the installation has it (approved). */
export async function communityBySlug(db: Db, slug: string) {
  return db.selectFrom('communities').select(['id', 'name']).where('slug', '=', slug).where('status', '=', 'approved').executeTakeFirst();
}

export async function organisationsByIds(db: Db, ids: readonly string[]) {
  if (!ids.length) return new Map<string, { id: string; name: string; country: string; status: string }>();
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'country_code as country', 'status']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The offers and experts answers propose, named only where the reader may see them (each through
 * its own feature's rules: the access policy and the workflow); the others are not named.
 */
export async function proposedNames(db: Db, viewer: Viewer, offerIds: readonly string[], expertIds: readonly string[]) {
  const [offers, experts] = await Promise.all([
    offerIds.length ? visibleOffers(db as Kysely<DB>, viewer).where('o.id', 'in', [...new Set(offerIds)]).execute() : [],
    expertIds.length ? visibleExperts(db as Kysely<DB>, viewer).where('x.id', 'in', [...new Set(expertIds)]).execute() : [],
  ]);
  return {
    offers: new Map(offers.map((o) => [o.id, { id: o.id, slug: o.slug, title: o.title, lang: o.language }])),
    experts: new Map(experts.map((x) => [x.id, { id: x.id, name: x.person_name, headline: x.headline, lang: x.language }])),
  };
}

export async function communitiesByIds(db: Db, ids: readonly string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db.selectFrom('communities').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The region of every member state (EU, LAC). */
export async function countryRegions(db: Db): Promise<Map<string, 'EU' | 'LAC'>> {
  const rows = await db.selectFrom('countries').select(['code', 'region']).where('kind', '=', 'state').execute();
  return new Map(rows.filter((r) => r.region === 'EU' || r.region === 'LAC').map((r) => [r.code, r.region as 'EU' | 'LAC']));
}

export async function isState(db: Db, code: string) {
  return !!(await db.selectFrom('countries').select('code').where('code', '=', code).where('kind', '=', 'state').executeTakeFirst());
}

export async function insertRequest(trx: Transaction<DB>, values: Parameters<ReturnType<Transaction<DB>['insertInto']>['values']>[0] & object) {
  await trx.insertInto('assistance_requests').values(values as never).execute();
}

export async function insertStep(trx: Transaction<DB>, s: { id: string; requestId: string; status: string; byPerson: string | null; byOrg: string | null; note?: string; at?: Date }) {
  await trx
    .insertInto('request_steps')
    .values({ id: s.id, request_id: s.requestId, status: s.status, by_person: s.byPerson, by_org: s.byOrg, note: s.note ?? '', ...(s.at ? { at: s.at } : {}) })
    .execute();
}

/**
 * Move a request from one status to another, only if it is still in the first: two people
 * acting at once cannot both move it. True when it moved.
 */
export async function moveStatus(trx: Transaction<DB>, id: string, from: string, set: Partial<{ status: string; evaluation: number; evaluation_comment: string; chosen_interest_id: string; audience_organisations: string[] }>) {
  const r = await trx
    .updateTable('assistance_requests')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
