import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Every read of the catalogue starts here. Two rules, both must hold: the access policy (the
 * offer's TLP and audience), and the workflow — a draft is seen by its provider organisation
 * only (the secretariat included: it reads only what it is an audience of). The workflow only
 * narrows what the marking allows.
 */
export function visibleOffers(db: Db, viewer: Viewer) {
  return db
    .selectFrom('offers as o')
    .innerJoin('organisations as org', 'org.id', 'o.author_org_id')
    .select([
      'o.id',
      'o.slug',
      'o.type',
      'o.title',
      'o.summary',
      'o.description',
      'o.eligibility',
      'o.cost',
      'o.funding',
      'o.how_to_apply',
      'o.selection_criteria',
      'o.language',
      'o.source_rev',
      'o.translations',
      'o.concepts',
      'o.audiences',
      'o.languages',
      'o.format',
      'o.countries',
      'o.requires_endorsement',
      'o.collaboration_type',
      'o.aid_type',
      'o.flow_type',
      'o.provider_ref',
      'o.status',
      'o.tlp',
      'o.pap',
      'o.author_id',
      'o.author_org_id',
      'o.audience_organisations',
      'o.audience_communities',
      'o.audience_people',
      'o.created_at',
      'o.updated_at',
      'o.published_at',
      'o.closed_at',
      'org.name as org_name',
      'org.country_code as org_country',
      'org.type as org_type',
    ])
    .where(visibleSql(viewer, 'o'))
    .where(workflowSql(viewer));
}

function workflowSql(viewer: Viewer): Expression<SqlBool> {
  const own = viewer.organisationId ? sql<SqlBool>` OR o.author_org_id = ${viewer.organisationId}::uuid` : sql``;
  return sql<SqlBool>`(o.status <> 'draft'${own})`;
}

export type OfferRow = Awaited<ReturnType<ReturnType<typeof visibleOffers>['executeTakeFirstOrThrow']>>;

export interface OfferFilters {
  q?: string;
  type?: string;
  concept?: string;
  /** A language it is given in: its primary subtag matches ("es" finds "es-419"). */
  language?: string;
  format?: string;
  /** Open to people of this country: it names the country among those eligible, or names none. */
  country?: string;
  /** Sessions overlapping [from, to). */
  from?: Date;
  to?: Date;
  /** Published when not given. */
  status?: 'draft' | 'published' | 'closed' | 'open';
  organisation?: string;
}

export function filtered(db: Db, viewer: Viewer, f: OfferFilters) {
  const status = f.status ?? 'published';
  return visibleOffers(db, viewer)
    .$if(status === 'open', (b) => b.where('o.status', 'in', ['published', 'closed']))
    .$if(status !== 'open', (b) => b.where('o.status', '=', status))
    .$if(!!f.q, (b) => b.where(sql<SqlBool>`o.search @@ puente_text_tsquery(${f.q!})`))
    .$if(!!f.type, (b) => b.where('o.type', '=', f.type!))
    .$if(!!f.concept, (b) => b.where(sql<SqlBool>`o.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.language, (b) => b.where(sql<SqlBool>`o.spoken @> ARRAY[${f.language!.split('-')[0]!.toLowerCase()}]::text[]`))
    .$if(!!f.format, (b) => b.where('o.format', '=', f.format!))
    .$if(!!f.country, (b) => b.where(sql<SqlBool>`(o.countries @> ARRAY[${f.country!}]::text[] OR o.countries = '{}'::text[])`))
    .$if(!!f.organisation, (b) => b.where((eb) => eb.or([eb('o.author_org_id', '=', f.organisation!), eb.exists(eb.selectFrom('offer_partners as pp').select('pp.id').whereRef('pp.offer_id', '=', 'o.id').where('pp.organisation_id', '=', f.organisation!))])))
    .$if(!!(f.from || f.to), (b) =>
      b.where((eb) =>
        eb.exists(
          eb
            .selectFrom('offer_sessions as s')
            .select('s.id')
            .whereRef('s.offer_id', '=', 'o.id')
            .$if(!!f.from, (x) => x.where('s.ends_at', '>', f.from!))
            .$if(!!f.to, (x) => x.where('s.starts_at', '<', f.to!)),
        ),
      ),
    );
}

/** A page of the offers the viewer may see, newest first; `before` (an id: ids begin with their time) continues a listing. */
export async function offerPage(db: Db, viewer: Viewer, f: OfferFilters, o: { limit: number; before?: string }) {
  return filtered(db, viewer, f)
    .$if(!!o.before, (x) => x.where('o.id', '<', o.before!))
    .orderBy('o.id', 'desc')
    .limit(o.limit + 1)
    .execute();
}

/** How many offers of each type the viewer may see among those filtered (the catalogue's facets). */
export async function typeCounts(db: Db, viewer: Viewer, f: OfferFilters) {
  const rows = await db.selectFrom(filtered(db, viewer, f).as('x')).select(['x.type', sql<number>`count(*)::int`.as('n')]).groupBy('x.type').execute();
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}

/** One offer by id or slug, if the viewer may see it. */
export async function visibleOffer(db: Db, viewer: Viewer, idOrSlug: string, isId: boolean) {
  return visibleOffers(db, viewer)
    .where(isId ? 'o.id' : 'o.slug', '=', idOrSlug)
    .executeTakeFirst();
}

/** Offers the viewer may see among these ids. */
export async function visibleByIds(db: Db, viewer: Viewer, ids: readonly string[]) {
  if (!ids.length) return [];
  return visibleOffers(db, viewer).where('o.id', 'in', [...ids]).execute();
}

/** The sessions of offers already read through `visibleOffers`, earliest first. */
export async function sessionsOf(db: Db, offerIds: readonly string[]) {
  if (!offerIds.length) return [];
  return db
    .selectFrom('offer_sessions')
    .select(['id', 'offer_id', 'starts_at', 'ends_at', 'time_zone', 'place', 'country', 'online', 'seats', 'confirmed', 'application_deadline', 'updated_at'])
    .where('offer_id', 'in', [...offerIds])
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}
export type SessionRow = Awaited<ReturnType<typeof sessionsOf>>[number];

/** The partners of offers already read through `visibleOffers`, in their order, with member organisations' names. */
export async function partnersOf(db: Db, offerIds: readonly string[]) {
  if (!offerIds.length) return [];
  return db
    .selectFrom('offer_partners as p')
    .leftJoin('organisations as org', 'org.id', 'p.organisation_id')
    .select(['p.id', 'p.offer_id', 'p.organisation_id', 'p.name', 'p.iati_ref', 'p.iati_type', 'p.role', 'p.position', 'org.name as org_name', 'org.country_code as org_country', 'org.type as org_type'])
    .where('p.offer_id', 'in', [...offerIds])
    .orderBy('p.position')
    .orderBy('p.id')
    .execute();
}
export type PartnerRow = Awaited<ReturnType<typeof partnersOf>>[number];

/** Concept tag → offers the viewer may see carrying it (the concept's page), published or closed. */
export async function taggedOffers(db: Db, viewer: Viewer, tag: string, limit: number) {
  return filtered(db, viewer, { concept: tag, status: 'open' }).orderBy('o.id', 'desc').limit(limit).execute();
}

/**
 * For matching (matchable.ts): published offers the viewer may see sharing a concept or a
 * language with a need, most shared concepts first. The `&&` tests go to the GIN indexes;
 * the policy and the workflow come with `visibleOffers`.
 */
export async function offersSharing(db: Db, viewer: Viewer, want: { concepts: string[]; languages: string[]; limit: number }) {
  const concepts = [...new Set(want.concepts)];
  const spoken = [...new Set(want.languages.map((l) => l.split('-')[0]!.toLowerCase()))];
  if (!concepts.length && !spoken.length) return [];
  const shared = sql<number>`cardinality(ARRAY(SELECT unnest(o.concepts) INTERSECT SELECT unnest(${sql.val(concepts)}::text[])))`;
  return visibleOffers(db, viewer)
    .select(shared.as('shared'))
    .where('o.status', '=', 'published')
    .where((eb) =>
      eb.or([
        ...(concepts.length ? [eb(sql`o.concepts`, '&&', sql`${sql.val(concepts)}::text[]`)] : []),
        ...(spoken.length ? [eb(sql`o.spoken`, '&&', sql`${sql.val(spoken)}::text[]`)] : []),
      ]),
    )
    .orderBy(shared, 'desc')
    .orderBy('o.id', 'desc')
    .limit(want.limit)
    .execute();
}
