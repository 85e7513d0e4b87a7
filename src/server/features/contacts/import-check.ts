import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Tlp } from '../../platform/access/policy.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { asActor, mayManageContact } from '../../platform/access/abilities.js';
import { type Draft, normaliseFingerprint, validate } from './import-read.js';
import { keyColumns } from './input.js';
import { checkNominationMarking } from './nominations.js';
import { parsePublicKey, type KeyInfo } from './pgp.js';
import { visibleContacts, type ContactRow } from './repository.js';
import { canSeeField, COUNTRY_KINDS, type Field, type Kind, powersOf, type SecureChannel } from './service.js';

// ---------- checking against the directory ----------

export interface Plan {
  draft: Draft;
  orgId: string | null;
  orgName: string | null;
  action: 'create' | 'update' | 'unchanged' | null;
  existing: ContactRow | null;
  key: KeyInfo | null | undefined;
  /** What the row sets of the key columns; undefined = left as they are. */
  keyCols?: KeyCols;
  changed: string[];
}

interface KeyCols {
  pgp_key: string | null;
  pgp_fingerprint: string | null;
  pgp_algorithm: string | null;
  pgp_expires_at: string | null;
  pgp_revoked: boolean;
}

const isFullFingerprint = (h: string) => h.length === 40 || h.length === 64;
const fingerprintMatches = (fp: string, stated: string) => fp === stated || (!isFullFingerprint(stated) && fp.endsWith(stated));

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) => sameList([...a].sort(), [...b].sort());
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const FIELD_VALUE: Record<Field, (d: Draft) => unknown> = {
  emails: (d) => d.emails,
  phone: (d) => d.phone,
  emergencyPhone: (d) => d.emergencyPhone,
  availability: (d) => d.availability,
  secureChannels: (d) => d.secureChannels,
  openpgpKey: (d) => d.openpgpKey ?? d.fingerprint,
};
const given = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

/**
 * The key columns a row sets. A stated fingerprint (or key ID) must be the key's,
 * the row's or, when the row gives no key, the one on file; a mismatch is a row
 * error. A full fingerprint with no key anywhere is kept alone.
 */
function keyPlan(pl: Plan, existing: ContactRow | null) {
  const d = pl.draft;
  const stated = d.fingerprint ? normaliseFingerprint(d.fingerprint) : null;
  const mismatch = (fp: string) =>
    d.errors.push({ field: 'openpgpFingerprint', code: 'FINGERPRINT_MISMATCH', message: `The fingerprint given (${stated}) is not that of the OpenPGP key (${fp})` });
  if (pl.key) {
    if (stated && !fingerprintMatches(pl.key.fingerprint, stated)) mismatch(pl.key.fingerprint);
    pl.keyCols = keyColumns(pl.key) as KeyCols;
    return;
  }
  const none = { pgp_key: null, pgp_fingerprint: null, pgp_algorithm: null, pgp_expires_at: null, pgp_revoked: false };
  if (stated && !isFullFingerprint(stated)) {
    if (pl.key === undefined && existing?.pgp_fingerprint) {
      if (!fingerprintMatches(existing.pgp_fingerprint, stated)) mismatch(existing.pgp_fingerprint);
    } else d.warnings.push(`Only a key ID (${stated}) is given, not a fingerprint or key: it is not kept`);
  }
  const full = stated && isFullFingerprint(stated) ? stated : null;
  if (pl.key === null) {
    pl.keyCols = { ...none, pgp_fingerprint: full };
    return;
  }
  // No key in the row: the key on file stays; a full fingerprint must be its own, or is kept when there is no key.
  if (!full) return;
  if (existing?.pgp_key) {
    if (existing.pgp_fingerprint !== full) mismatch(existing.pgp_fingerprint ?? '');
    return;
  }
  pl.keyCols = { ...none, pgp_fingerprint: full };
}

export async function plan(p: Platform, actor: Actor, drafts: Draft[]): Promise<Plan[]> {
  const pr = requireVetted(actor);
  const powers = await powersOf(p.db, pr);
  // Countries written as names (team records) become codes.
  const countries = await p.db.selectFrom('countries').select(['code', 'name']).execute();
  for (const d of drafts) {
    // No country (a vCard without one): the country of the one member organisation so named.
    if (!d.country && d.organisation) {
      const orgs = await p.db
        .selectFrom('organisations')
        .select('country_code')
        .where('status', '=', 'approved')
        .where(sql<boolean>`(lower(name) = lower(${d.organisation}) OR lower(coalesce(acronym, '')) = lower(${d.organisation}))`)
        .limit(2)
        .execute();
      if (orgs.length === 1) d.country = orgs[0].country_code;
    }
    if (d.country && !/^[A-Z]{2,3}$/.test(d.country.toUpperCase())) {
      const hit = countries.find((c) => c.name.toLowerCase() === d.country.toLowerCase());
      if (hit) d.country = hit.code;
    } else d.country = d.country.toUpperCase();
    if (d.country && !countries.some((c) => c.code === d.country)) d.errors.push({ field: 'country', code: 'UNKNOWN_COUNTRY', message: `Unknown country “${d.country}”` });
    validate(d);
  }
  const seen = new Map<string, number>();
  const out: Plan[] = [];
  for (const d of drafts) {
    const pl: Plan = { draft: d, orgId: null, orgName: null, action: null, existing: null, key: undefined, changed: [] };
    out.push(pl);
    if (d.organisation && d.country) {
      const orgs = await p.db
        .selectFrom('organisations')
        .select(['id', 'name'])
        .where('status', '=', 'approved')
        .where('country_code', '=', d.country)
        .where(sql<boolean>`(lower(name) = lower(${d.organisation}) OR lower(coalesce(acronym, '')) = lower(${d.organisation}))`)
        .execute();
      if (orgs.length === 1) [pl.orgId, pl.orgName] = [orgs[0].id, orgs[0].name];
      else if (orgs.length === 0) d.errors.push({ field: 'organisation', code: 'UNKNOWN_ORGANISATION', message: `No member organisation “${d.organisation}” in ${d.country}` });
      else d.errors.push({ field: 'organisation', code: 'AMBIGUOUS_ORGANISATION', message: `Several organisations “${d.organisation}” in ${d.country}` });
    }
    if (d.openpgpKey) {
      try {
        pl.key = await parsePublicKey(d.openpgpKey);
      } catch (e) {
        d.errors.push({ field: 'openpgpKey', code: 'INVALID_KEY', message: e instanceof AppError ? e.message : 'Not a readable OpenPGP public key' });
      }
    } else if (d.openpgpKey === null) pl.key = null;
    if (!pl.orgId || d.errors.some((x) => x.field === 'kinds')) continue;
    // The entry this row stands for, among those the importer sees.
    const candidates = await visibleContacts(p.db, pr.viewer).where('c.organisation_id', '=', pl.orgId).where('c.status', 'in', ['nominated', 'active']).orderBy('c.created_at').execute();
    const emails = (d.emails ?? []).map((m) => m.toLowerCase());
    const existing =
      candidates.find((c) => canSeeField(pr.viewer, c, 'emails') && emails.length > 0 && c.emails.some((m) => emails.includes(m.toLowerCase()))) ??
      candidates.find((c) => c.full_name.toLowerCase() === d.fullName.toLowerCase()) ??
      null;
    const matchKey = existing ? existing.id : `${pl.orgId}|${emails[0] ?? d.fullName.toLowerCase()}`;
    if (seen.has(matchKey)) d.errors.push({ field: '*', code: 'DUPLICATE_ROW', message: `The same entry as row ${seen.get(matchKey)}` });
    else seen.set(matchKey, d.row);
    const kinds = [...new Set(d.kinds ?? [])];
    const target = { kinds, organisationId: pl.orgId, country: d.country };
    if (!mayManageContact(asActor(pr), powers, target)) {
      d.errors.push({ field: 'kinds', code: 'FORBIDDEN', message: 'Diplomatic and crisis-management contacts are nominated by the national focal points; other kinds by the organisation’s admins' });
      continue;
    }
    const tlp = (d.tlp ?? existing?.tlp ?? 'GREEN') as Tlp;
    if (!existing) {
      pl.action = 'create';
      keyPlan(pl, null);
      try {
        checkNominationMarking(kinds.some((k) => COUNTRY_KINDS.includes(k as Kind)) ? 'nominated' : 'active', tlp);
      } catch (e) {
        d.errors.push({ field: 'tlp', code: 'INVALID_MARKING', message: (e as Error).message });
      }
      continue;
    }
    pl.existing = existing;
    if (!mayManageContact(asActor(pr), powers, { kinds: existing.kinds, organisationId: existing.organisation_id, country: existing.country_code })) {
      d.errors.push({ field: '*', code: 'FORBIDDEN', message: 'Only the focal points or organisation admins responsible for this entry change it' });
      continue;
    }
    // An importer changes only what they see; a withheld field left empty stays as it is.
    for (const f of Object.keys(FIELD_VALUE) as Field[]) {
      if (canSeeField(pr.viewer, existing, f)) continue;
      if (given(FIELD_VALUE[f](d))) d.errors.push({ field: f, code: 'FIELD_WITHHELD', message: `The field ${f} is not shared with you; you cannot change it` });
      else {
        (d as unknown as Record<string, unknown>)[f] = undefined;
        if (f === 'openpgpKey') [pl.key, d.fingerprint] = [undefined, undefined];
      }
    }
    const fms = parseJson<Record<string, unknown> | null>(existing.field_markings) ?? {};
    if (d.tlp !== undefined && d.tlp !== existing.tlp && Object.keys(fms).length) d.errors.push({ field: 'tlp', code: 'INVALID_MARKING', message: 'This entry has narrower field markings: change its marking in the directory' });
    const ch: string[] = [];
    if (d.fullName !== existing.full_name) ch.push('fullName');
    if (!sameSet(kinds, existing.kinds)) ch.push('kinds');
    if (d.position !== undefined && d.position !== existing.position) ch.push('position');
    if (d.isTeamMailbox !== undefined && d.isTeamMailbox !== existing.is_team_mailbox) ch.push('isTeamMailbox');
    if (d.emails !== undefined && !sameList(d.emails, existing.emails)) ch.push('emails');
    if (d.phone !== undefined && d.phone !== existing.phone) ch.push('phone');
    if (d.emergencyPhone !== undefined && d.emergencyPhone !== existing.emergency_phone) ch.push('emergencyPhone');
    if (d.availability !== undefined && d.availability !== existing.availability) ch.push('availability');
    if (d.secureChannels !== undefined && JSON.stringify(d.secureChannels) !== JSON.stringify(parseJson<SecureChannel[] | null>(existing.secure_channels) ?? [])) ch.push('secureChannels');
    if (d.languages !== undefined && !sameList(d.languages, existing.languages)) ch.push('languages');
    if (d.timeZone !== undefined && d.timeZone !== existing.time_zone) ch.push('timeZone');
    keyPlan(pl, existing);
    if (pl.keyCols && ((pl.keyCols.pgp_key === null) !== (existing.pgp_key === null) || pl.keyCols.pgp_fingerprint !== existing.pgp_fingerprint))
      ch.push(pl.keyCols.pgp_key === null && pl.keyCols.pgp_fingerprint && existing.pgp_key === null ? 'openpgpFingerprint' : 'openpgpKey');
    if (d.website !== undefined && d.website !== existing.website) ch.push('website');
    if (d.validUntil !== undefined && d.validUntil !== existing.valid_until_text) ch.push('validUntil');
    if (d.tlp !== undefined && d.tlp !== existing.tlp) ch.push('tlp');
    pl.changed = ch;
    pl.action = ch.length ? 'update' : 'unchanged';
    const gains = existing.status === 'active' && kinds.some((k) => COUNTRY_KINDS.includes(k as Kind)) && !existing.kinds.some((k) => COUNTRY_KINDS.includes(k as Kind));
    if (gains) {
      try {
        checkNominationMarking('nominated', tlp);
      } catch (e) {
        d.errors.push({ field: 'tlp', code: 'INVALID_MARKING', message: (e as Error).message });
      }
    }
  }
  return out;
}
