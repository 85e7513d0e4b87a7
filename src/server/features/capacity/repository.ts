import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { readableSql } from '../applications/repository.js';
import { visibleOffers } from '../offers/repository.js';
import { visibleInterests, visibleRequests } from '../requests/repository.js';
import '../offers/tables.js';
import '../requests/tables.js';
import '../applications/tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The dashboard's reads. Nothing here reads a table of its own: every offer comes through
 * features/offers' `visibleOffers`, every request through features/requests' `visibleRequests`
 * (with its secretariat workflow), every application through the applications feature's rules —
 * so a figure can only be made of rows the viewer may already read one by one (or, for
 * applications, as the offer's outcomes).
 */

export interface DashboardFilters {
  /** [start, end): the window, as instants. */
  start?: Date;
  end?: Date;
  concept?: string;
  /** The member states the figures are narrowed to (a region, a subregion or one country). */
  countries?: string[];
}

/** The member states with their region and UN M49 subregion (reference data, public). */
export async function memberStates(db: Db) {
  const rows = await db.selectFrom('countries').select(['code', 'region', 'subregion']).where('kind', '=', 'state').orderBy('region').orderBy('code').execute();
  return rows.filter((r): r is typeof r & { region: 'EU' | 'LAC' } => r.region === 'EU' || r.region === 'LAC');
}

const codes = (xs: readonly string[]) => sql`${sql.val([...xs])}::text[]`;

/**
 * Offers counted by the dashboard: published or closed (a draft is its provider's work in
 * progress) and visible to the viewer; in the window when one of their sessions overlaps it or,
 * having no session (most technical assistance), when they were published in it; in the
 * countries asked when they are open to one of them (they name it, or name none: open to all).
 */
export async function countedOffers(db: Db, viewer: Viewer, f: DashboardFilters) {
  return visibleOffers(db, viewer)
    .clearSelect()
    .select(['o.id', 'o.type', 'o.concepts', 'o.countries'])
    .where('o.status', 'in', ['published', 'closed'])
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`o.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.countries, (b) => b.where(sql<SqlBool>`(o.countries = '{}'::text[] OR o.countries && ${codes(f.countries!)})`))
    .$if(!!(f.start || f.end), (b) => b.where(offerInWindow(f)))
    .orderBy('o.id')
    .execute();
}

function offerInWindow(f: DashboardFilters): Expression<SqlBool> {
  const startsBefore = f.end ? sql`s.starts_at < ${f.end}` : sql`TRUE`;
  const endsAfter = f.start ? sql`s.ends_at > ${f.start}` : sql`TRUE`;
  const publishedFrom = f.start ? sql`o.published_at >= ${f.start}` : sql`TRUE`;
  const publishedTo = f.end ? sql`o.published_at < ${f.end}` : sql`TRUE`;
  return sql<SqlBool>`(EXISTS (SELECT 1 FROM offer_sessions s WHERE s.offer_id = o.id AND ${startsBefore} AND ${endsAfter})
    OR (NOT EXISTS (SELECT 1 FROM offer_sessions s WHERE s.offer_id = o.id) AND o.published_at IS NOT NULL AND ${publishedFrom} AND ${publishedTo}))`;
}

/**
 * Requests counted by the dashboard: those the viewer may see (the policy and the requests'
 * workflow: before it is opened, a request is its requester's and the secretariat's), submitted
 * in the window, about one of the countries asked (the country a focal point asked for, else the
 * requesting organisation's).
 */
export async function countedRequests(db: Db, viewer: Viewer, isSecretariat: boolean, f: DashboardFilters) {
  return visibleRequests(db, viewer, isSecretariat)
    .clearSelect()
    .select(['r.id', 'r.status', 'r.created_at', sql<string>`coalesce(r.country_code, o.country_code)`.as('country')])
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`r.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.countries, (b) => b.where(sql<SqlBool>`coalesce(r.country_code, o.country_code) = ANY(${codes(f.countries!)})`))
    .$if(!!f.start, (b) => b.where('r.created_at', '>=', f.start!))
    .$if(!!f.end, (b) => b.where('r.created_at', '<', f.end!))
    .orderBy('r.id')
    .execute();
}

/** When each of these requests (already read through `visibleRequests`) first reached each status. */
export async function firstSteps(db: Db, requestIds: readonly string[]) {
  if (!requestIds.length) return [];
  return db
    .selectFrom('request_steps')
    .select(['request_id', 'status', sql<Date>`min(at)`.as('at')])
    .where('request_id', 'in', [...requestIds])
    .groupBy(['request_id', 'status'])
    .execute();
}

/**
 * Who may count an application in an aggregate: the applications feature's own two rules. Its
 * read rule (`readableSql`: the applicant, their organisation's admins, the focal points who
 * endorse, the provider) — what they may read one by one they may count — or its outcomes rule
 * (`offerOutcomes`: the provider, its partner organisations and the secretariat read an offer's
 * aggregates), both only for an offer the viewer may see (its marking and its workflow).
 */
function countableApplicationSql(viewer: Viewer, isSecretariat: boolean): Expression<SqlBool> {
  if (!viewer.vetted || !viewer.personId || !viewer.organisationId) return sql<SqlBool>`FALSE`;
  const org = viewer.organisationId;
  const outcomes = isSecretariat
    ? sql<SqlBool>`TRUE`
    : sql<SqlBool>`(o.author_org_id = ${org}::uuid OR EXISTS (SELECT 1 FROM offer_partners pp WHERE pp.offer_id = o.id AND pp.organisation_id = ${org}::uuid))`;
  return sql<SqlBool>`(${readableSql(viewer)} OR (${visibleSql(viewer, 'o')} AND (o.status <> 'draft' OR o.author_org_id = ${org}::uuid) AND ${outcomes}))`;
}

/**
 * Participants counted by the dashboard: applicants holding a seat (selected), with whether they
 * completed, their country (when they applied) and the concepts of the offer; in the window when
 * their session overlaps it, in the countries asked by their own country.
 */
export async function countedParticipants(db: Db, viewer: Viewer, isSecretariat: boolean, f: DashboardFilters) {
  return db
    .selectFrom('applications as a')
    .innerJoin('offers as o', 'o.id', 'a.offer_id')
    .innerJoin('offer_sessions as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.country', 'a.completed', 'o.concepts'])
    .where('a.status', '=', 'selected')
    .where(countableApplicationSql(viewer, isSecretariat))
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`o.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.countries, (b) => b.where(sql<SqlBool>`a.country = ANY(${codes(f.countries!)})`))
    .$if(!!f.start, (b) => b.where('s.ends_at', '>', f.start!))
    .$if(!!f.end, (b) => b.where('s.starts_at', '<', f.end!))
    .orderBy('a.id')
    .execute();
}

// ---------- completed assistance, for the IATI file ----------

/**
 * Completed (or evaluated) requests the viewer may see, under the IATI export's filters that
 * apply to a request: concept, country (the country helped), language, format, and the window
 * (when it was completed).
 */
export async function completedAssistance(
  db: Db,
  viewer: Viewer,
  isSecretariat: boolean,
  f: { concept?: string; country?: string; language?: string; format?: string; from?: Date; to?: Date },
  limit: number,
) {
  const completedAt = sql<Date | null>`(SELECT min(st.at) FROM request_steps st WHERE st.request_id = r.id AND st.status = 'completed')`;
  return visibleRequests(db, viewer, isSecretariat)
    .select(completedAt.as('completed_at'))
    .where('r.status', 'in', ['completed', 'evaluated'])
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`r.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.country, (b) => b.where(sql<SqlBool>`coalesce(r.country_code, o.country_code) = ${f.country!}`))
    .$if(!!f.language, (b) => b.where(sql<SqlBool>`r.languages @> ARRAY[${f.language!.split('-')[0]!.toLowerCase()}]::text[]`))
    .$if(!!f.format, (b) => b.where('r.format', '=', f.format!))
    .$if(!!f.from, (b) => b.where(sql<SqlBool>`${completedAt} >= ${f.from!}`))
    .$if(!!f.to, (b) => b.where(sql<SqlBool>`${completedAt} < ${f.to!}`))
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** The chosen expression of interest of a request, if the viewer may see it (it names who delivered). */
export async function chosenInterest(db: Db, viewer: Viewer, requestId: string, interestId: string) {
  return visibleInterests(db, viewer, requestId).where('i.id', '=', interestId).executeTakeFirst();
}

/** Member organisations by id, with what IATI needs of them. */
export async function organisationsFor(db: Db, ids: readonly string[]) {
  if (!ids.length) return new Map<string, { id: string; name: string; country: string; type: string }>();
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'country_code as country', 'type']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The partners (with their IATI roles) of the offers an answer proposed, among offers the viewer may see. */
export async function proposedOfferPartners(db: Db, viewer: Viewer, offerIds: readonly string[]) {
  if (!offerIds.length) return [];
  const visible = await visibleOffers(db, viewer).clearSelect().select('o.id').where('o.id', 'in', [...offerIds]).execute();
  if (!visible.length) return [];
  return db
    .selectFrom('offer_partners as p')
    .leftJoin('organisations as org', 'org.id', 'p.organisation_id')
    .select(['p.offer_id', 'p.organisation_id', 'p.name', 'p.iati_ref', 'p.iati_type', 'p.role', 'org.name as org_name', 'org.type as org_type'])
    .where('p.offer_id', 'in', visible.map((v) => v.id))
    .orderBy('p.position')
    .orderBy('p.id')
    .execute();
}
