import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type {} from './tables.js';
import { pickDescription } from './profile.js';
import { likeLiteral } from '../../platform/sql.js';

/** Organisations with their profile: descriptions by language, the member part, whether a logo exists. */
export function selectOrganisations(db: Kysely<DB>) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('organisation_profiles as pr', 'pr.organisation_id', 'o.id')
    .selectAll('o')
    .select([
      sql<number>`(SELECT count(*) FROM people p WHERE p.organisation_id = o.id AND p.status = 'active')::int`.as('member_count'),
      sql<Record<string, string> | null>`(SELECT jsonb_object_agg(d.language, d.description) FROM organisation_descriptions d WHERE d.organisation_id = o.id)`.as('descriptions'),
      sql<string | null>`(SELECT l.sha256 FROM organisation_logos l WHERE l.organisation_id = o.id)`.as('logo_hash'),
      sql<string[] | null>`pr.languages`.as('languages'),
      sql<string[] | null>`pr.ip_ranges::text[]`.as('ip_ranges'),
      sql<string[] | null>`pr.asns::text[]`.as('asns'),
      sql<string[] | null>`pr.domains`.as('domains'),
      sql<string[] | null>`pr.sectors_served`.as('sectors_served'),
      sql<string | null>`pr.operating_hours`.as('operating_hours'),
      sql<string | null>`pr.time_zone`.as('time_zone'),
      sql<string | null>`pr.established_on::text`.as('established_on'),
      sql<string[] | null>`pr.memberships`.as('memberships'),
      sql<string[] | null>`pr.other_memberships`.as('other_memberships'),
      sql<Date | null>`pr.updated_at`.as('profile_updated_at'),
    ]);
}

export type OrganisationRow = Awaited<ReturnType<ReturnType<typeof selectOrganisations>['executeTakeFirstOrThrow']>>;

/** How many organisations have this status (the secretariat's to-do count of join requests). */
export async function countOrganisationsWithStatus(db: Kysely<DB>, status: 'requested' | 'approved' | 'rejected' | 'suspended'): Promise<number> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The directory: approved organisations, or those of any (or one) status for the
 * secretariat; a search term matches the name (accents and case aside, or by trigram
 * similarity) or the exact acronym.
 */
export function findOrganisations(db: Kysely<DB>, f: { anyStatus: boolean; status?: string; country?: string; type?: string; q?: string }) {
  let q = selectOrganisations(db);
  if (f.anyStatus) {
    if (f.status) q = q.where('o.status', '=', f.status);
  } else {
    q = q.where('o.status', '=', 'approved');
  }
  if (f.country) q = q.where('o.country_code', '=', f.country);
  if (f.type) q = q.where('o.type', '=', f.type);
  if (f.q?.trim()) {
    const term = f.q.trim();
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`unaccent(lower(o.name)) LIKE '%' || unaccent(lower(${likeLiteral(term)})) || '%'`,
        sql<boolean>`lower(coalesce(o.acronym, '')) = lower(${term})`,
        sql<boolean>`o.name % ${term}`,
      ]),
    );
  }
  return q.orderBy('o.name').limit(1000).execute();
}

/** Everyone of an organisation, whatever their status, by name. */
export function organisationMembers(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'roles', 'status', 'mfa_enabled', 'last_login_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

/** The member part of a profile, as stored (used for the view and for audit before/after). */
export function memberProfileOf(o: OrganisationRow) {
  return {
    ipRanges: o.ip_ranges ?? [],
    asns: (o.asns ?? []).map(Number),
    domains: o.domains ?? [],
    sectorsServed: o.sectors_served ?? [],
    operatingHours: o.operating_hours,
    timeZone: o.time_zone,
    establishedOn: o.established_on,
    memberships: o.memberships ?? [],
    otherMemberships: o.other_memberships ?? [],
  };
}

export interface ViewOptions {
  /** The requester of a join request: the secretariat only. */
  withRequester: boolean;
  /** 'public': the public part for anyone (no status reason, MFA policy, head count or member part). */
  audience: 'public' | 'member';
  /** The language to pick the description in. */
  language: string | null;
}

export function organisationView(o: OrganisationRow, opts: ViewOptions | boolean) {
  const v: ViewOptions = typeof opts === 'boolean' ? { withRequester: opts, audience: 'member', language: null } : opts;
  const descriptions = o.descriptions ?? {};
  const languages = o.languages ?? [];
  const picked = pickDescription(descriptions, v.language, languages, o.description);
  const base = {
    id: o.id,
    name: o.name,
    acronym: o.acronym,
    country: o.country_code,
    type: o.type,
    sectors: o.sectors,
    website: o.website,
    description: picked.text,
    descriptionLanguage: picked.language,
    descriptions,
    languages,
    logoUrl: o.logo_hash ? `/api/v1/organisations/${o.id}/logo?v=${o.logo_hash.slice(0, 16)}` : null,
    profileUpdatedAt: o.profile_updated_at ? new Date(o.profile_updated_at).toISOString() : null,
    status: o.status,
    createdAt: o.created_at.toISOString(),
  };
  if (v.audience === 'public') return base;
  return {
    ...base,
    statusReason: o.status_reason,
    mfaRequired: o.mfa_required,
    memberCount: o.member_count,
    memberProfile: memberProfileOf(o),
    // Only organisations that asked to join through the form have a requester.
    ...(v.withRequester && o.requester_email && { requester: { name: o.requester_name, email: o.requester_email, message: o.requester_message } }),
  };
}
