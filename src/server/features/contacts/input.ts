import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { type Audience, normaliseAudience, type Pap, type Tlp } from '../../platform/access/policy.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { tlpRank } from '#shared/tlp';
import { parsePublicKey, type KeyInfo } from './pgp.js';
import { FIELDS, type Field, type FieldMarking, type FieldMarkings, type Kind, type SecureChannel } from './service.js';

/**
 * What a new or changed entry is checked against before it is written: its marking
 * and field markings, its organisation and linked account, its key.
 */

export interface MarkingInput {
  tlp: Tlp;
  audience?: Partial<Audience>;
}

export interface ContactInput {
  organisationId: string;
  kinds: Kind[];
  fullName: string;
  position?: string;
  isTeamMailbox?: boolean;
  personId?: string | null;
  languages?: string[];
  timeZone?: string | null;
  emails?: string[];
  phone?: string | null;
  emergencyPhone?: string | null;
  availability?: string | null;
  secureChannels?: SecureChannel[];
  openpgpKey?: string | null;
  validUntil?: string | null;
  website?: string | null;
  tlp?: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
  fieldMarkings?: Partial<Record<Field, MarkingInput | null>>;
}

const checkAudience = (db: Kysely<DB>, a: Audience) => checkAudienceExists(db, a);

const subset = (a: string[], b: string[]) => a.every((x) => b.includes(x));

/**
 * A field may be shared more narrowly than its entry, never more widely: everyone
 * the field's marking reaches must be reached by the entry's marking too.
 */
async function checkNotWider(db: Kysely<DB>, field: Field, entry: { tlp: Tlp; audience: Audience; authorOrgId: string }, fm: FieldMarking) {
  const refuse = () => {
    throw new AppError('INVALID_MARKING', `The sharing of ${field} may not be wider than the entry's`, { field: `fieldMarkings.${field}` });
  };
  if (entry.tlp === 'CLEAR' || entry.tlp === 'GREEN') {
    if (tlpRank(fm.tlp) < tlpRank(entry.tlp)) refuse();
    return;
  }
  if (fm.tlp === 'CLEAR' || fm.tlp === 'GREEN') refuse();
  if (entry.tlp === 'RED') {
    if (fm.tlp !== 'RED' || !subset(fm.audience.people, entry.audience.people)) refuse();
    return;
  }
  // The entry is AMBER or AMBER+STRICT.
  if (fm.tlp === 'AMBER') {
    if (entry.tlp !== 'AMBER' || !subset(fm.audience.organisations, entry.audience.organisations) || !subset(fm.audience.communities, entry.audience.communities)) refuse();
    return;
  }
  if (fm.tlp === 'AMBER+STRICT') {
    if (!subset(fm.audience.organisations, entry.audience.organisations)) refuse();
    return;
  }
  // RED under AMBER: the people named must belong to organisations the entry reaches.
  if (fm.audience.people.length) {
    const rows = await db.selectFrom('people').select(['id', 'organisation_id']).where('id', 'in', fm.audience.people).execute();
    const allowed = [entry.authorOrgId, ...entry.audience.organisations];
    if (rows.some((r) => !allowed.includes(r.organisation_id))) refuse();
  }
}

interface Prepared {
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
  fieldMarkings: FieldMarkings;
  key: KeyInfo | null | undefined;
}

/** Resolve and check the marking, field markings and key of an input against the resulting entry. */
export async function prepare(
  db: Kysely<DB>,
  authorOrgId: string,
  input: { tlp: Tlp; pap: Pap; audience?: Partial<Audience> },
  current: FieldMarkings,
  changes: Partial<Record<Field, MarkingInput | null>> | undefined,
  armoredKey: string | null | undefined,
): Promise<Prepared> {
  const audience = normaliseAudience(input.tlp, input.audience);
  await checkAudience(db, audience);
  const fieldMarkings: FieldMarkings = { ...current };
  for (const f of FIELDS) {
    const c = changes?.[f];
    if (c === undefined) continue;
    if (c === null) delete fieldMarkings[f];
    else {
      const a = normaliseAudience(c.tlp, c.audience);
      await checkAudience(db, a);
      fieldMarkings[f] = { tlp: c.tlp, audience: a };
    }
  }
  for (const f of FIELDS) {
    const fm = fieldMarkings[f];
    if (fm) await checkNotWider(db, f, { tlp: input.tlp, audience, authorOrgId }, fm);
  }
  let key: KeyInfo | null | undefined = undefined;
  if (armoredKey === null || armoredKey === '') key = null;
  else if (armoredKey !== undefined) key = await parsePublicKey(armoredKey);
  return { tlp: input.tlp, pap: input.pap, audience, fieldMarkings, key };
}

export async function checkOrganisation(db: Kysely<DB>, id: string) {
  const org = await db.selectFrom('organisations').select(['id', 'country_code', 'status', 'name']).where('id', '=', id).executeTakeFirst();
  if (!org || org.status !== 'approved') throw new AppError('VALIDATION_FAILED', 'The organisation is not an approved member', { field: 'organisationId' });
  return org;
}

export async function checkPerson(db: Kysely<DB>, personId: string | null | undefined, organisationId: string) {
  if (!personId) return;
  const person = await db.selectFrom('people').select(['organisation_id', 'status']).where('id', '=', personId).executeTakeFirst();
  if (!person || person.status !== 'active' || person.organisation_id !== organisationId)
    throw new AppError('VALIDATION_FAILED', 'The linked account must be an active member of the organisation', { field: 'personId' });
}

export function validUntilOk(v: string | null | undefined) {
  if (v && Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new AppError('VALIDATION_FAILED', 'validUntil is not a date', { field: 'validUntil' });
}

export const uniq = <T>(a: T[]) => [...new Set(a)];
export const clean = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : s.trim() || null);

export function keyColumns(key: KeyInfo | null | undefined) {
  if (key === undefined) return {};
  if (key === null) return { pgp_key: null, pgp_fingerprint: null, pgp_algorithm: null, pgp_expires_at: null, pgp_revoked: false };
  const algorithm = [key.algorithm, key.bits ? String(key.bits) : key.curve].filter(Boolean).join(' ');
  return { pgp_key: key.armored, pgp_fingerprint: key.fingerprint, pgp_algorithm: algorithm, pgp_expires_at: key.expiresAt, pgp_revoked: key.revoked };
}

/** Check an OpenPGP key without storing it (for the form's preview). */
export async function checkKey(actor: Actor, armored: string) {
  requireVetted(actor);
  const k = await parsePublicKey(armored);
  return { fingerprint: k.fingerprint, algorithm: [k.algorithm, k.bits ? String(k.bits) : k.curve].filter(Boolean).join(' '), userIds: k.userIds, createdAt: k.createdAt, expiresAt: k.expiresAt, expired: k.expired, revoked: k.revoked };
}
