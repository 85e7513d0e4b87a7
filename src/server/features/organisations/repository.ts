import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';


export function selectOrganisations(db: Kysely<DB>) {
  return db
    .selectFrom('organisations as o')
    .selectAll('o')
    .select(sql<number>`(SELECT count(*) FROM people p WHERE p.organisation_id = o.id AND p.status = 'active')::int`.as('member_count'));
}

export function organisationView(o: Awaited<ReturnType<ReturnType<typeof selectOrganisations>['executeTakeFirstOrThrow']>>, withRequester: boolean) {
  return {
    id: o.id,
    name: o.name,
    acronym: o.acronym,
    country: o.country_code,
    type: o.type,
    sectors: o.sectors,
    website: o.website,
    description: o.description,
    status: o.status,
    statusReason: o.status_reason,
    mfaRequired: o.mfa_required,
    createdAt: o.created_at.toISOString(),
    memberCount: o.member_count,
    // Only organisations that asked to join through the form have a requester.
    ...(withRequester && o.requester_email && { requester: { name: o.requester_name, email: o.requester_email, message: o.requester_message } }),
  };
}
