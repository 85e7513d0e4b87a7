import type { Kysely, Transaction } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { DB } from '../../db/schema.js';
import { withPuente } from './stix/puente-extension.js';

/**
 * The STIX identities Puente writes as created_by_ref: one per member organisation,
 * and "a Puente member" for what is reported anonymously.
 */

/** Fixed namespace for the identities Puente writes as created_by_ref. */
const IDENTITY_NAMESPACE = '6b0a3c1e-5f7d-4a43-9d0e-3c1f2b7a8e55';
/** The identity anonymous sightings are created by: members see "a member", never which one. */
export const ANONYMOUS_MEMBER_IDENTITY = `identity--${uuidv5('anonymous-member', IDENTITY_NAMESPACE)}`;
export const organisationIdentityId = (orgId: string) => `identity--${uuidv5(`organisation:${orgId}`, IDENTITY_NAMESPACE)}`;

/** The platform's identity for anonymous reports: reference content, owned by no organisation. */
export const ANONYMOUS_MEMBER: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: ANONYMOUS_MEMBER_IDENTITY,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  name: 'A Puente member',
  description: 'Stands for the member organisation that reported this anonymously.',
  identity_class: 'organization',
  object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
});

/**
 * The STIX identity that stands for a member organisation (created_by_ref of
 * what Puente writes on its behalf): CLEAR, versioned by the organisation's
 * last change, so a renamed organisation gets a new version.
 */
export async function organisationIdentity(db: Kysely<DB> | Transaction<DB>, orgId: string): Promise<Record<string, unknown>> {
  const o = await db.selectFrom('organisations').select(['name', 'country_code', 'created_at', 'updated_at']).where('id', '=', orgId).executeTakeFirstOrThrow();
  const created = o.created_at.toISOString();
  const modified = o.updated_at > o.created_at ? o.updated_at.toISOString() : created;
  return {
    type: 'identity',
    spec_version: '2.1',
    id: organisationIdentityId(orgId),
    created,
    modified,
    name: o.name,
    identity_class: 'organization',
    ...withPuente({ country: o.country_code }),
    object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
  };
}

