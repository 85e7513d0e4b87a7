import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Viewer } from '../access/policy.js';
import { AppError } from '../errors.js';

export type { Role } from '#shared/roles';
import type { Role } from '#shared/roles';

export interface Principal {
  person: {
    id: string;
    email: string;
    name: string;
    roles: Role[];
    languages: string[];
    uiLanguage: string;
    timeZone: string;
    mfaEnabled: boolean;
    status: string;
  };
  organisation: { id: string; name: string; country: string; type: string; status: string; mfaRequired: boolean };
  viewer: Viewer;
  via: 'session' | 'token';
  scope: 'read' | 'write';
  session?: { idHash: string; csrfToken: string };
  tokenId?: string;
  /** The organisation requires MFA and this person has not enrolled: only enrolment is allowed. */
  mfaEnrolmentRequired: boolean;
}

/** The person, their organisation and their communities, in one query. */
export function principalQuery(db: Kysely<DB>) {
  return db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.email',
      'p.name',
      'p.roles',
      'p.languages',
      'p.ui_language',
      'p.time_zone',
      'p.mfa_enabled',
      'p.status',
      'o.id as org_id',
      'o.name as org_name',
      'o.country_code',
      'o.type as org_type',
      'o.status as org_status',
      'o.mfa_required',
      sql<string[]>`ARRAY(
        SELECT community_id FROM community_people WHERE person_id = p.id
        UNION
        SELECT community_id FROM community_organisations WHERE organisation_id = p.organisation_id)`.as('community_ids'),
    ]);
}

type PrincipalRow = Awaited<ReturnType<ReturnType<typeof principalQuery>['executeTakeFirstOrThrow']>>;
export type PrincipalParts = Pick<Principal, 'person' | 'organisation' | 'viewer' | 'mfaEnrolmentRequired'>;

/** Shape a principal row; null for a person who may not act (not active). */
export function principalParts(row: PrincipalRow | undefined): PrincipalParts | null {
  if (!row || row.status !== 'active') return null;
  const person: Principal['person'] = {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles as Role[],
    languages: row.languages,
    uiLanguage: row.ui_language,
    timeZone: row.time_zone,
    mfaEnabled: row.mfa_enabled,
    status: row.status,
  };
  const organisation: Principal['organisation'] = {
    id: row.org_id,
    name: row.org_name,
    country: row.country_code,
    type: row.org_type,
    status: row.org_status,
    mfaRequired: row.mfa_required,
  };
  const viewer: Viewer = {
    personId: row.id,
    organisationId: row.org_id,
    vetted: row.org_status === 'approved',
    communityIds: row.community_ids ?? [],
  };
  return { person, organisation, viewer, mfaEnrolmentRequired: organisation.mfaRequired && !person.mfaEnabled };
}

/** Load a person with their organisation and community memberships, or null if unusable. */
export async function loadPrincipalParts(db: Kysely<DB>, personId: string): Promise<PrincipalParts | null> {
  return principalParts(await principalQuery(db).where('p.id', '=', personId).executeTakeFirst());
}

/** Whoever acts: a service's Actor (platform/actor.ts), or a request at the HTTP edge. */
export interface Acting {
  principal: Principal | null;
}

export function requirePrincipal(a: Acting): Principal {
  if (!a.principal) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return a.principal;
}

export function hasRole(p: Principal, role: Role) {
  return p.person.roles.includes(role);
}

export function requireRole(a: Acting, role: Role): Principal {
  const p = requirePrincipal(a);
  if (!hasRole(p, role)) throw new AppError('FORBIDDEN', `This needs the ${role} role`);
  return p;
}

/** Organisation admins act on their own organisation; the secretariat on any. */
export function requireOrgAdminOf(a: Acting, organisationId: string): Principal {
  const p = requirePrincipal(a);
  if (hasRole(p, 'secretariat')) return p;
  if (hasRole(p, 'org_admin') && p.organisation.id === organisationId) return p;
  throw new AppError('FORBIDDEN', 'Only administrators of this organisation or the secretariat may do this');
}

/** A member in good standing: active person in an approved organisation. */
export function requireVetted(a: Acting): Principal {
  const p = requirePrincipal(a);
  if (!p.viewer.vetted) throw new AppError('ORGANISATION_NOT_APPROVED', 'Your organisation is not an approved member');
  return p;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
