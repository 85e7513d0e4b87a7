import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type Audience, audienceColumns, canSee, type Marking, markingOf, normaliseAudience, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { hasRole, requirePrincipal, requireRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { asActor, contactAbilities, mayManageContact, type ContactEntry } from '../../platform/access/abilities.js';
import {
  CONTACT_FIELDS as FIELDS,
  CONTACT_KINDS as KINDS,
  COUNTRY_KINDS as SHARED_COUNTRY_KINDS,
  ORGANISATION_KINDS as SHARED_ORGANISATION_KINDS,
  type ContactField as Field,
  type ContactKind as Kind,
} from '../../../shared/contacts.js';
import { tlpRank } from '../../../shared/tlp.js';
import { parsePublicKey, type KeyInfo } from './pgp.js';
import { focalCountriesOf, searchContacts, stateCountries, visibleContacts, visibleCoverage, visibleEntryStatus, visibleNominations, type ContactFilters, type ContactRow } from './repository.js';
import '../checks/tables.js';

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

function fieldMarkingsOf(row: { field_markings: unknown }): FieldMarkings {
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

const entryOf = (row: ContactRow): ContactEntry => ({ kinds: row.kinds, organisationId: row.organisation_id, country: row.country_code });

/** What this person may do with an entry (the rule: contactAbilities). */
export const contactCan = (pr: Principal | null, powers: Powers, row: ContactRow) => contactAbilities(asActor(pr), powers, { ...entryOf(row), status: row.status, personId: row.person_id });

const needsApproval = (kinds: readonly string[]) => kinds.some((k) => (COUNTRY_KINDS as readonly string[]).includes(k));

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

async function viewOne(db: Kysely<DB>, pr: Principal, powers: Powers, row: ContactRow) {
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

async function loadVisible(db: Kysely<DB>, viewer: Viewer, id: string) {
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

// ---------- input checks ----------

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
async function prepare(
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

async function checkOrganisation(db: Kysely<DB>, id: string) {
  const org = await db.selectFrom('organisations').select(['id', 'country_code', 'status', 'name']).where('id', '=', id).executeTakeFirst();
  if (!org || org.status !== 'approved') throw new AppError('VALIDATION_FAILED', 'The organisation is not an approved member', { field: 'organisationId' });
  return org;
}

async function checkPerson(db: Kysely<DB>, personId: string | null | undefined, organisationId: string) {
  if (!personId) return;
  const person = await db.selectFrom('people').select(['organisation_id', 'status']).where('id', '=', personId).executeTakeFirst();
  if (!person || person.status !== 'active' || person.organisation_id !== organisationId)
    throw new AppError('VALIDATION_FAILED', 'The linked account must be an active member of the organisation', { field: 'personId' });
}

function validUntilOk(v: string | null | undefined) {
  if (v && Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new AppError('VALIDATION_FAILED', 'validUntil is not a date', { field: 'validUntil' });
}

const uniq = <T>(a: T[]) => [...new Set(a)];
const clean = (s: string | null | undefined) => (s === undefined ? undefined : s === null ? null : s.trim() || null);

function keyColumns(key: KeyInfo | null | undefined) {
  if (key === undefined) return {};
  if (key === null) return { pgp_key: null, pgp_fingerprint: null, pgp_algorithm: null, pgp_expires_at: null, pgp_revoked: false };
  const algorithm = [key.algorithm, key.bits ? String(key.bits) : key.curve].filter(Boolean).join(' ');
  return { pgp_key: key.armored, pgp_fingerprint: key.fingerprint, pgp_algorithm: algorithm, pgp_expires_at: key.expiresAt, pgp_revoked: key.revoked };
}

// ---------- writes ----------

export async function createContact(p: Platform, actor: Actor, b: ContactInput) {
  const pr = requireVetted(actor);
  const org = await checkOrganisation(p.db, b.organisationId);
  const kinds = uniq(b.kinds);
  const powers = await powersOf(p.db, pr);
  const target = { kinds, organisationId: org.id, country: org.country_code };
  if (!mayManageContact(asActor(pr), powers, target))
    throw forbidden('Diplomatic and crisis-management contacts are nominated by the national focal points; other kinds by the organisation’s admins');
  await checkPerson(p.db, b.personId, org.id);
  validUntilOk(b.validUntil);
  const prep = await prepare(p.db, org.id, { tlp: b.tlp ?? 'GREEN', pap: b.pap ?? 'GREEN', audience: b.audience }, {}, b.fieldMarkings, b.openpgpKey);
  const id = newId();
  const status = needsApproval(kinds) ? 'nominated' : 'active';
  checkNominationMarking(status, prep.tlp);
  await change(p, async (c) => {
    await c.trx
      .insertInto('contacts')
      .values({
        id,
        organisation_id: org.id,
        country_code: org.country_code,
        person_id: b.personId ?? null,
        kinds,
        full_name: b.fullName.trim(),
        is_team_mailbox: b.isTeamMailbox ?? false,
        position: b.position?.trim() ?? '',
        languages: uniq(b.languages ?? []),
        time_zone: clean(b.timeZone) ?? null,
        emails: uniq((b.emails ?? []).map((e) => e.trim())),
        phone: clean(b.phone) ?? null,
        emergency_phone: clean(b.emergencyPhone) ?? null,
        availability: clean(b.availability) ?? null,
        secure_channels: JSON.stringify(b.secureChannels ?? []),
        ...keyColumns(prep.key),
        field_markings: JSON.stringify(prep.fieldMarkings),
        valid_until: b.validUntil ?? null,
        website: clean(b.website) ?? null,
        last_confirmed_by: pr.person.id,
        status,
        nominated_by: pr.person.id,
        tlp: prep.tlp,
        pap: prep.pap,
        author_id: pr.person.id,
        author_org_id: org.id,
        ...audienceColumns(prep.audience),
      })
      .execute();
    await c.audit({
      action: status === 'nominated' ? 'contact.nominated' : 'contact.created',
      ...auditActor(actor),
      organisationId: org.id,
      targetType: 'contact',
      targetId: id,
      details: { kinds, country: org.country_code, tlp: prep.tlp, fieldMarkings: Object.fromEntries(Object.entries(prep.fieldMarkings).map(([k, v]) => [k, v.tlp])) },
    });
  });
  return viewOne(p.db, pr, powers, await loadVisible(p.db, pr.viewer, id));
}

export type ContactPatch = Partial<Omit<ContactInput, 'organisationId'>>;

const FIELD_OF_INPUT: Record<Field, keyof ContactPatch> = {
  emails: 'emails',
  phone: 'phone',
  emergencyPhone: 'emergencyPhone',
  availability: 'availability',
  secureChannels: 'secureChannels',
  openpgpKey: 'openpgpKey',
};

export async function updateContact(p: Platform, actor: Actor, id: string, b: ContactPatch) {
  const pr = requireVetted(actor);
  const before = await loadVisible(p.db, pr.viewer, id);
  const powers = await powersOf(p.db, pr);
  if (before.status === 'removed' || before.status === 'rejected') throw invalidState(`A ${before.status} entry cannot be changed`);
  const can = contactCan(pr, powers, before);
  const remarks = b.tlp !== undefined || b.pap !== undefined || b.audience !== undefined || b.fieldMarkings !== undefined;
  if (!can.edit || (remarks && !can.changeMarking)) throw forbidden('Only the focal points or organisation admins responsible for this entry change it');
  const kinds = b.kinds ? uniq(b.kinds) : before.kinds;
  if (b.kinds && !mayManageContact(asActor(pr), powers, { kinds, organisationId: before.organisation_id, country: before.country_code }))
    throw forbidden('You may not give this entry these kinds');
  // An editor changes only what they can see.
  for (const f of FIELDS) {
    const touched = b[FIELD_OF_INPUT[f]] !== undefined || b.fieldMarkings?.[f] !== undefined;
    if (touched && !canSeeField(pr.viewer, before, f)) throw forbidden(`The field ${f} is not shared with you; you cannot change it`);
  }
  await checkPerson(p.db, b.personId, before.organisation_id);
  validUntilOk(b.validUntil);
  const prep = await prepare(
    p.db,
    before.organisation_id,
    { tlp: b.tlp ?? (before.tlp as Tlp), pap: b.pap ?? (before.pap as Pap), audience: b.audience ?? (b.tlp ? undefined : markingOf(before).audience) },
    fieldMarkingsOf(before),
    b.fieldMarkings,
    b.openpgpKey,
  );
  // Gaining a country-level kind turns an active entry back into a nomination.
  const status = before.status === 'active' && needsApproval(kinds) && !needsApproval(before.kinds) ? 'nominated' : before.status;
  checkNominationMarking(status, prep.tlp);
  const changed = Object.keys(b).sort();
  await change(p, async (c) => {
    await c.trx
      .updateTable('contacts')
      .set({
        kinds,
        ...(b.fullName !== undefined && { full_name: b.fullName.trim() }),
        ...(b.position !== undefined && { position: b.position.trim() }),
        ...(b.isTeamMailbox !== undefined && { is_team_mailbox: b.isTeamMailbox }),
        ...(b.personId !== undefined && { person_id: b.personId }),
        ...(b.languages !== undefined && { languages: uniq(b.languages) }),
        ...(b.timeZone !== undefined && { time_zone: clean(b.timeZone) }),
        ...(b.emails !== undefined && { emails: uniq(b.emails.map((e) => e.trim())) }),
        ...(b.phone !== undefined && { phone: clean(b.phone) }),
        ...(b.emergencyPhone !== undefined && { emergency_phone: clean(b.emergencyPhone) }),
        ...(b.availability !== undefined && { availability: clean(b.availability) }),
        ...(b.secureChannels !== undefined && { secure_channels: JSON.stringify(b.secureChannels) }),
        ...keyColumns(prep.key),
        ...(b.validUntil !== undefined && { valid_until: b.validUntil }),
        ...(b.website !== undefined && { website: clean(b.website) }),
        field_markings: JSON.stringify(prep.fieldMarkings),
        status,
        tlp: prep.tlp,
        pap: prep.pap,
        ...audienceColumns(prep.audience),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await c.audit({
      action: 'contact.updated',
      ...auditActor(actor),
      organisationId: before.organisation_id,
      targetType: 'contact',
      targetId: id,
      // Names of what changed and the markings, never the values of fields.
      details: { changed, status, tlp: prep.tlp, fieldMarkings: Object.fromEntries(Object.entries(prep.fieldMarkings).map(([k, v]) => [k, v.tlp])) },
    });
  });
  return viewOne(p.db, pr, powers, await loadVisible(p.db, pr.viewer, id));
}

export async function confirmContact(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const before = await loadVisible(p.db, pr.viewer, id);
  const powers = await powersOf(p.db, pr);
  if (!contactCan(pr, powers, before).confirm) throw before.status !== 'active' ? invalidState('Only active entries are confirmed') : forbidden('Only those responsible for this entry, or the person it names, confirm it');
  await change(p, async (c) => {
    await c.trx.updateTable('contacts').set({ last_confirmed_at: new Date(), last_confirmed_by: pr.person.id, last_reminded_at: null }).where('id', '=', id).execute();
    // Those responsible vouched for the details: a flag from missed communication checks ends here.
    await c.trx.deleteFrom('contact_check_flags').where('contact_id', '=', id).execute();
    await c.audit({ action: 'contact.confirmed', ...auditActor(actor), organisationId: before.organisation_id, targetType: 'contact', targetId: id, details: { ageDays: Number(before.age_days) } });
  });
  return viewOne(p.db, pr, powers, await loadVisible(p.db, pr.viewer, id));
}

export async function removeContact(p: Platform, actor: Actor, id: string, reason?: string) {
  const pr = requireVetted(actor);
  const before = await loadVisible(p.db, pr.viewer, id);
  const powers = await powersOf(p.db, pr);
  if (!contactCan(pr, powers, before).delete)
    throw before.status === 'removed' && mayManageContact(asActor(pr), powers, entryOf(before))
      ? invalidState('The entry is already removed')
      : forbidden('Only the focal points or organisation admins responsible for this entry remove it');
  await change(p, async (c) => {
    await c.trx.updateTable('contacts').set({ status: 'removed', status_reason: reason?.trim() || null, updated_at: new Date() }).where('id', '=', id).execute();
    await c.audit({ action: 'contact.removed', ...auditActor(actor), organisationId: before.organisation_id, targetType: 'contact', targetId: id, details: { from: before.status, reasonGiven: !!reason?.trim() } });
  });
}

/**
 * A nomination waits for the secretariat, which has no bypass of the policy:
 * so a nominated entry is marked CLEAR or GREEN (sensitive fields can still be
 * narrowed one by one), and the queue and the decision go through the policy
 * like every other read.
 */
export function checkNominationMarking(status: string, tlp: string) {
  if (status === 'nominated' && tlp !== 'CLEAR' && tlp !== 'GREEN')
    throw new AppError(
      'INVALID_MARKING',
      'Diplomatic and crisis-management contacts are listed for every member (TLP:GREEN or CLEAR); narrow individual fields such as phones instead',
      { field: 'tlp' },
    );
}

export async function listNominations(p: Platform, actor: Actor) {
  const pr = requireRole(actor, 'secretariat');
  requireVetted(actor);
  const rows = await visibleNominations(p.db, pr.viewer);
  return {
    items: rows.map((r) => ({
      id: r.id,
      fullName: r.full_name,
      position: r.position,
      kinds: r.kinds as Kind[],
      country: r.country_code,
      organisation: { id: r.org_id, name: r.org_name },
      nominatedBy: r.nominator_id ? { id: r.nominator_id, name: r.nominator_name ?? '' } : null,
      nominatedAt: r.created_at.toISOString(),
      tlp: r.tlp as Tlp,
    })),
  };
}

export async function decideNomination(p: Platform, actor: Actor, id: string, decision: 'approve' | 'reject', reason?: string) {
  const pr = requireRole(actor, 'secretariat');
  requireVetted(actor);
  const n = await visibleEntryStatus(p.db, pr.viewer, id);
  if (!n) throw notFound('Contact');
  if (n.status !== 'nominated') throw invalidState(`The entry is ${n.status}, not a nomination`);
  if (decision === 'reject' && !reason?.trim()) throw new AppError('VALIDATION_FAILED', 'Give a reason for rejecting', { field: 'reason' });
  const status = decision === 'approve' ? 'active' : 'rejected';
  await change(p, async (c) => {
    const done = await c.trx
      .updateTable('contacts')
      .set({ status, status_reason: reason?.trim() || null, decided_by: pr.person.id, decided_at: new Date(), updated_at: new Date(), ...(status === 'active' && { last_confirmed_at: new Date() }) })
      .where('id', '=', id)
      .where('status', '=', 'nominated')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw invalidState('The nomination was decided meanwhile');
    await c.audit({ action: decision === 'approve' ? 'contact.approved' : 'contact.rejected', ...auditActor(actor), organisationId: n.organisation_id, targetType: 'contact', targetId: id, details: { reason: reason?.trim() || null } });
  });
  return { id, status };
}

/** Check an OpenPGP key without storing it (for the form's preview). */
export async function checkKey(actor: Actor, armored: string) {
  requireVetted(actor);
  const k = await parsePublicKey(armored);
  return { fingerprint: k.fingerprint, algorithm: [k.algorithm, k.bits ? String(k.bits) : k.curve].filter(Boolean).join(' '), userIds: k.userIds, createdAt: k.createdAt, expiresAt: k.expiresAt, expired: k.expired, revoked: k.revoked };
}

// ---------- national focal points ----------

export async function listFocalPoints(p: Platform, actor: Actor, country?: string) {
  requireVetted(actor);
  let q = p.db
    .selectFrom('country_focal_points as f')
    .innerJoin('people as pe', 'pe.id', 'f.person_id')
    .innerJoin('organisations as o', 'o.id', 'pe.organisation_id')
    .select(['f.country_code', 'f.added_at', 'pe.id as person_id', 'pe.name', 'pe.status', 'o.id as org_id', 'o.name as org_name']);
  if (country) q = q.where('f.country_code', '=', country);
  const rows = await q.orderBy('f.country_code').orderBy('pe.name').execute();
  return {
    items: rows.map((r) => ({ country: r.country_code, person: { id: r.person_id, name: r.name, status: r.status }, organisation: { id: r.org_id, name: r.org_name }, addedAt: r.added_at.toISOString() })),
  };
}

async function checkCountry(db: Kysely<DB>, code: string) {
  const c = await db.selectFrom('countries').select(['code', 'kind']).where('code', '=', code).executeTakeFirst();
  if (!c || c.kind !== 'state') throw notFound('Country');
}

export async function addFocalPoint(p: Platform, actor: Actor, country: string, personId: string) {
  requireRole(actor, 'secretariat');
  await checkCountry(p.db, country);
  const person = await p.db
    .selectFrom('people as pe')
    .innerJoin('organisations as o', 'o.id', 'pe.organisation_id')
    .select(['pe.id', 'pe.status', 'o.country_code', 'o.status as org_status', 'o.id as org_id'])
    .where('pe.id', '=', personId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  if (person.status !== 'active' || person.org_status !== 'approved') throw invalidState('Only active members of approved organisations become focal points');
  if (person.country_code !== country) throw invalidState('A national focal point belongs to an organisation of that country', { country, personCountry: person.country_code });
  await change(p, async (c) => {
    const r = await c.trx
      .insertInto('country_focal_points')
      .values({ country_code: country, person_id: personId, added_by: actor.principal!.person.id })
      .onConflict((oc) => oc.doNothing())
      .returning('person_id')
      .executeTakeFirst();
    if (r)
      await c.audit({ action: 'focal_point.added', ...auditActor(actor), organisationId: person.org_id, targetType: 'person', targetId: personId, details: { country } });
  });
  return listFocalPoints(p, actor, country);
}

export async function removeFocalPoint(p: Platform, actor: Actor, country: string, personId: string) {
  requireRole(actor, 'secretariat');
  const row = await p.db.selectFrom('country_focal_points').select('person_id').where('country_code', '=', country).where('person_id', '=', personId).executeTakeFirst();
  if (!row) throw notFound('Focal point');
  await change(p, async (c) => {
    await c.trx.deleteFrom('country_focal_points').where('country_code', '=', country).where('person_id', '=', personId).execute();
    await c.audit({ action: 'focal_point.removed', ...auditActor(actor), targetType: 'person', targetId: personId, details: { country } });
  });
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
