import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import type { Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { type Audience, canSee, type Marking, markingOf, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { hasRole, requirePrincipal, type Principal } from '../../platform/auth/principal.js';
import { asActor, contactAbilities, type ContactEntry } from '../../platform/access/abilities.js';
import {
  CONTACT_FIELDS as FIELDS,
  CONTACT_KINDS as KINDS,
  COUNTRY_KINDS as SHARED_COUNTRY_KINDS,
  ORGANISATION_KINDS as SHARED_ORGANISATION_KINDS,
  type ContactField as Field,
  type ContactKind as Kind,
} from '#shared/contacts';
import { focalCountriesOf, searchContacts, stateCountries, visibleContacts, visibleCoverage, type ContactFilters, type ContactRow } from './repository.js';
import '../checks/tables.js';

/**
 * The directory: the policy per entry and per field, who may do what with an entry,
 * the view of an entry, and the reads (writes.ts, nominations.ts and focal-points.ts
 * change it).
 */

export { FIELDS, KINDS, type Field, type Kind };
// Widened to every kind, so that callers may ask whether any kind is one of them.
export const COUNTRY_KINDS: readonly Kind[] = SHARED_COUNTRY_KINDS;
export const ORGANISATION_KINDS: readonly Kind[] = SHARED_ORGANISATION_KINDS;

export interface FieldMarking {
  tlp: Tlp;
  audience: Audience;
}
export type FieldMarkings = Partial<Record<Field, FieldMarking>>;
export interface SecureChannel {
  type: string;
  address: string;
}

// ---------- the policy, per entry and per field ----------

export function fieldMarkingsOf(row: { field_markings: unknown }): FieldMarkings {
  const v = row.field_markings;
  const obj = (typeof v === 'string' ? JSON.parse(v) : v) as FieldMarkings | null;
  return obj ?? {};
}

/** The marking of one field: its own (tlp + audience) with the entry's author and author organisation, or the entry's. */
export function fieldMarking(row: Pick<ContactRow, 'field_markings' | 'tlp' | 'author_id' | 'author_org_id' | 'audience_organisations' | 'audience_communities' | 'audience_people'>, field: Field): Marking {
  const fm = fieldMarkingsOf(row)[field];
  const entry = markingOf(row);
  if (!fm) return entry;
  return { tlp: fm.tlp, authorId: entry.authorId, authorOrgId: entry.authorOrgId, audience: fm.audience };
}

/** A field is visible when the entry is and the field's own marking is. */
export function canSeeField(viewer: Viewer, row: ContactRow, field: Field): boolean {
  return canSee(viewer, markingOf(row)) && canSee(viewer, fieldMarking(row, field));
}

// ---------- who may do what ----------

export interface Powers {
  focalCountries: string[];
}

export async function powersOf(db: Kysely<DB>, pr: Principal | null): Promise<Powers> {
  return { focalCountries: pr ? await focalCountriesOf(db, pr.person.id) : [] };
}

export const entryOf = (row: ContactRow): ContactEntry => ({ kinds: row.kinds, organisationId: row.organisation_id, country: row.country_code });

/** What this person may do with an entry (the rule: contactAbilities). */
export const contactCan = (pr: Principal | null, powers: Powers, row: ContactRow) => contactAbilities(asActor(pr), powers, { ...entryOf(row), status: row.status, personId: row.person_id });

export const needsApproval = (kinds: readonly string[]) => kinds.some((k) => (COUNTRY_KINDS as readonly string[]).includes(k));

// ---------- the view ----------

function parseChannels(v: unknown): SecureChannel[] {
  const arr = (typeof v === 'string' ? JSON.parse(v) : v) as SecureChannel[] | null;
  return Array.isArray(arr) ? arr : [];
}

function keyView(row: ContactRow) {
  if (!row.pgp_key) return null;
  const expiresAt = row.pgp_expires_at ? row.pgp_expires_at.toISOString() : null;
  return {
    armored: row.pgp_key,
    fingerprint: row.pgp_fingerprint ?? '',
    algorithm: row.pgp_algorithm ?? '',
    expiresAt,
    expired: expiresAt !== null && new Date(expiresAt).getTime() <= Date.now(),
    revoked: row.pgp_revoked,
  };
}

/**
 * Build the answer for one entry: every field the viewer may see, and the names
 * of those they may not (the values, and their audiences, are left out).
 */
export function contactView(pr: Principal | null, powers: Powers, row: ContactRow, flagged = false) {
  const viewer = pr?.viewer;
  const see = (f: Field) => !!viewer && canSeeField(viewer, row, f);
  const withheld = FIELDS.filter((f) => !see(f));
  const fms = fieldMarkingsOf(row);
  const visibleMarkings: FieldMarkings = {};
  for (const f of FIELDS) if (see(f) && fms[f]) visibleMarkings[f] = fms[f];
  const can = contactCan(pr, powers, row);
  return {
    id: row.id,
    fullName: row.full_name,
    position: row.position,
    isTeamMailbox: row.is_team_mailbox,
    kinds: row.kinds as Kind[],
    organisation: { id: row.organisation_id, name: row.org_name, acronym: row.org_acronym, type: row.org_type, sectors: row.org_sectors },
    country: row.country_code,
    countryName: row.country_name,
    personId: row.person_id,
    languages: row.languages,
    timeZone: row.time_zone,
    ...(see('emails') && { emails: row.emails }),
    ...(see('phone') && { phone: row.phone }),
    ...(see('emergencyPhone') && { emergencyPhone: row.emergency_phone }),
    ...(see('availability') && { availability: row.availability }),
    ...(see('secureChannels') && { secureChannels: parseChannels(row.secure_channels) }),
    ...(see('openpgpKey') && { openpgpKey: keyView(row), openpgpFingerprint: row.pgp_fingerprint }),
    website: row.website,
    withheld,
    fieldMarkings: visibleMarkings,
    validUntil: row.valid_until_text,
    lastConfirmedAt: row.last_confirmed_at.toISOString(),
    ageDays: Number(row.age_days),
    stale: row.stale,
    flagged,
    status: row.status as 'nominated' | 'active' | 'rejected' | 'removed',
    statusReason: row.status_reason,
    tlp: row.tlp as Tlp,
    pap: row.pap as Pap,
    audience: { organisations: row.audience_organisations, communities: row.audience_communities, people: row.audience_people },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    canEdit: can.edit,
    canConfirm: can.confirm,
    can,
  };
}

// ---------- reads ----------

/**
 * Those responsible for an entry (the secretariat, the admins of its organisation,
 * the person it names) are told when it failed two communication checks in a row;
 * nobody else learns it (the same rule as GET /contacts/{id}/communication-checks).
 */
export async function flaggedFor(db: Kysely<DB>, pr: Principal | null, rows: readonly ContactRow[]): Promise<Set<string>> {
  if (!pr) return new Set();
  const own = rows
    .filter((r) => hasRole(pr, 'secretariat') || (hasRole(pr, 'org_admin') && r.organisation_id === pr.organisation.id) || r.person_id === pr.person.id)
    .map((r) => r.id);
  if (!own.length) return new Set();
  const flags = await db.selectFrom('contact_check_flags').select('contact_id').where('contact_id', 'in', own).execute();
  return new Set(flags.map((f) => f.contact_id));
}

export async function viewOne(db: Kysely<DB>, pr: Principal, powers: Powers, row: ContactRow) {
  return contactView(pr, powers, row, (await flaggedFor(db, pr, [row])).has(row.id));
}

export async function listContacts(p: Platform, actor: Actor, f: ContactFilters & { page?: number; pageSize?: number }) {
  const pr = requirePrincipal(actor);
  const page = f.page ?? 1;
  const pageSize = f.pageSize ?? 25;
  const powers = await powersOf(p.db, pr);
  const { rows, total } = await searchContacts(p.db, pr.viewer, f, page, pageSize);
  const flagged = await flaggedFor(p.db, pr, rows);
  return { items: rows.map((r) => contactView(pr, powers, r, flagged.has(r.id))), total, page, pageSize };
}

export async function loadVisible(db: Kysely<DB>, viewer: Viewer, id: string) {
  const row = await visibleContacts(db, viewer).where('c.id', '=', id).executeTakeFirst();
  // Not visible and not there look the same.
  if (!row) throw notFound('Contact');
  return row;
}

export async function getContact(p: Platform, actor: Actor, id: string) {
  const pr = requirePrincipal(actor);
  const row = await loadVisible(p.db, pr.viewer, id);
  return viewOne(p.db, pr, await powersOf(p.db, pr), row);
}

// ---------- the coverage map ----------

/**
 * For each of the 60 states: how many ACTIVE entries of each kind, confirmed
 * within the last 12 months and not past their valid-until date, this viewer may
 * see. The aggregate is taken only over rows that pass the access policy's SQL
 * filter, so a count never reveals an entry the viewer could not open.
 */
export async function coverage(p: Platform, actor: Actor) {
  const pr = requirePrincipal(actor);
  const countries = await stateCountries(p.db);
  const rows = await visibleCoverage(p.db, pr.viewer);
  const byCountry = new Map(rows.map((r) => [r.country_code, r]));
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    items: countries.map((k) => {
      const r = byCountry.get(k.code);
      const kind = (n: string | undefined, l: Date | null | undefined) => ({ count: Number(n ?? 0), lastConfirmedAt: iso(l) });
      return {
        code: k.code,
        name: k.name,
        region: k.region,
        subregion: k.subregion,
        diplomatic: kind(r?.n_diplomatic, r?.l_diplomatic),
        technical: kind(r?.n_technical, r?.l_technical),
        operational_24_7: kind(r?.n_operational_24_7, r?.l_operational_24_7),
        lastConfirmedAt: iso(r?.l_any),
      };
    }),
  };
}
