/**
 * Import of points of contact: CSV (the columns of the CSV export), vCard 4.0 and
 * 3.0 (vcard-read.ts), the JSON export, FIRST-style and CSIRTs-Network-style team
 * records (a JSON array). A preview answers per
 * row; a commit writes every row in one transaction, or nothing when any row
 * has an error. The same rules as creating entries one by one apply (org admins
 * for their organisation's technical, 24/7 and capacity-building contacts;
 * national focal points for their country's diplomatic and crisis contacts,
 * which become nominations). A row matching an existing entry the importer
 * sees (organisation + e-mail, else organisation + full name) updates it, or
 * is reported unchanged: importing the same file twice adds nothing.
 */
import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { audienceColumns, normaliseAudience, type Tlp, TLP_LEVELS } from '../../platform/access/policy.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { CsvSyntaxError, parseCsv, unguard } from '../../platform/csv.js';
import { CSV_COLUMNS, type CsvColumn } from './exchange.js';
import { parsePublicKey, type KeyInfo } from './pgp.js';
import { visibleContacts, type ContactRow } from './repository.js';
import { fromVcards } from './vcard-read.js';
import { canSeeField, checkNominationMarking, COUNTRY_KINDS, KINDS, powersOf, type Field, type Kind, type SecureChannel } from './service.js';
import { asActor, mayManageContact } from '../../platform/access/abilities.js';
import { CHANNEL_TYPES, isChannelType } from '../../../shared/contacts.js';

export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 5000;
export type ImportFormat = 'csv' | 'vcard' | 'json' | 'first' | 'csirts-network';
export interface ImportOptions {
  /** The kind given to vCards whose CATEGORIES name none. */
  kind?: Kind;
}

export interface RowError {
  field: string;
  code: string;
  message: string;
}

/** What a row says; undefined = not given (left as it is on an update). */
export interface Draft {
  row: number;
  organisation: string;
  country: string;
  fullName: string;
  position?: string;
  kinds?: string[];
  isTeamMailbox?: boolean;
  emails?: string[];
  phone?: string | null;
  emergencyPhone?: string | null;
  availability?: string | null;
  secureChannels?: SecureChannel[];
  languages?: string[];
  timeZone?: string | null;
  openpgpKey?: string | null;
  validUntil?: string | null;
  /** An OpenPGP fingerprint or key ID the row states: checked against the key, or kept alone when there is none. */
  fingerprint?: string | null;
  website?: string | null;
  tlp?: string;
  errors: RowError[];
  warnings: string[];
}

export const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+\.[^\s@"(),:;<>[\\\]]+$/;
const PHONE = /^\+?[0-9 ().\-/]{3,40}$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const list = (v: string) =>
  v
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
const opt = (v: string) => (v.trim() === '' ? null : v.trim());

// ---------- reading the file ----------

function decode(body: Buffer): string {
  if (body.length > IMPORT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `An import may be at most ${IMPORT_MAX_BYTES} bytes`, { limitBytes: IMPORT_MAX_BYTES });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('CSV_MALFORMED', 'The file is not UTF-8 text');
  }
}

function fromCsv(text: string): Draft[] {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new AppError('CSV_MALFORMED', `The CSV cannot be read: ${e.message} (line ${e.line})`, { line: e.line });
    throw e;
  }
  if (records.length === 0) throw new AppError('CSV_MALFORMED', 'The CSV is empty');
  const header = records[0].map((h) => h.trim());
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const required: CsvColumn[] = ['organisation', 'country', 'fullName', 'kinds'];
  const missing = required.filter((h) => !header.includes(h));
  const dup = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length || missing.length || dup.length)
    throw new AppError('CSV_MALFORMED', 'The header row does not match the export’s columns', { unknown, missing, duplicate: dup, expected: CSV_COLUMNS });
  if (records.length - 1 > IMPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `An import may hold at most ${IMPORT_MAX_ROWS} rows`, { limitRows: IMPORT_MAX_ROWS });
  return records.slice(1).map((rec, i) => {
    const row = i + 2;
    const errors: RowError[] = [];
    if (rec.length !== header.length) errors.push({ field: '*', code: 'WRONG_CELL_COUNT', message: `The row has ${rec.length} cells; the header has ${header.length}` });
    const cell = (k: CsvColumn): string | undefined => {
      const at = header.indexOf(k);
      return at < 0 ? undefined : unguard(rec[at] ?? '');
    };
    const has = (k: CsvColumn) => header.includes(k);
    const d: Draft = { row, organisation: (cell('organisation') ?? '').trim(), country: (cell('country') ?? '').trim().toUpperCase(), fullName: (cell('fullName') ?? '').trim(), errors, warnings: [] };
    d.kinds = list(cell('kinds') ?? '');
    if (has('position')) d.position = cell('position')!.trim();
    if (has('isTeamMailbox')) {
      const v = cell('isTeamMailbox')!.trim().toLowerCase();
      if (['yes', 'true', '1'].includes(v)) d.isTeamMailbox = true;
      else if (['no', 'false', '0', ''].includes(v)) d.isTeamMailbox = false;
      else errors.push({ field: 'isTeamMailbox', code: 'INVALID_VALUE', message: 'Write yes or no' });
    }
    if (has('emails')) d.emails = list(cell('emails')!);
    if (has('phone')) d.phone = opt(cell('phone')!);
    if (has('emergencyPhone')) d.emergencyPhone = opt(cell('emergencyPhone')!);
    if (has('availability')) d.availability = opt(cell('availability')!);
    if (has('secureChannels')) {
      d.secureChannels = [];
      for (const line of cell('secureChannels')!.split(/\r?\n/).filter((x) => x.trim())) {
        const m = /^\s*([a-z_]+)\s*:\s*(.+?)\s*$/.exec(line);
        if (!m || !isChannelType(m[1])) errors.push({ field: 'secureChannels', code: 'INVALID_VALUE', message: `Write each channel as "type: address" with a type of ${CHANNEL_TYPES.join(', ')}` });
        else d.secureChannels.push({ type: m[1], address: m[2] });
      }
    }
    if (has('languages')) d.languages = list(cell('languages')!);
    if (has('timeZone')) d.timeZone = opt(cell('timeZone')!);
    if (has('openpgpKey')) d.openpgpKey = opt(cell('openpgpKey')!);
    if (has('validUntil')) d.validUntil = opt(cell('validUntil')!);
    if (has('openpgpFingerprint')) d.fingerprint = opt(cell('openpgpFingerprint')!);
    if (has('website')) d.website = opt(cell('website')!);
    if (has('tlp')) d.tlp = cell('tlp')!.trim().toUpperCase() || undefined;
    return d;
  });
}

/** Keys of team records compared without case, spaces, dashes or underscores. */
const norm = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const strs = (v: unknown) => (Array.isArray(v) ? v.map(str).filter(Boolean) : str(v) ? [str(v)] : []);
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** A web address as team records write it: with or without its scheme. */
function websiteOf(v: string, d: Draft): string | null {
  if (!v) return null;
  if (/^https?:\/\//i.test(v)) return v;
  if (/^[a-z0-9.-]+\.[a-z]{2,}(\/\S*)?$/i.test(v)) {
    d.warnings.push(`The website “${v}” has no scheme: stored as https://${v}`);
    return `https://${v}`;
  }
  return v; // validate() reports it
}

/**
 * The fields of FIRST's team directory and of the CSIRTs Network's inventory, as
 * their exports and scrapes of their pages name them. Every field a record gives
 * that is not kept is named in a warning: nothing is dropped silently.
 */
const TEAM_FIELDS = {
  name: ['teamname', 'name', 'officialteamname', 'officialname', 'fullname'],
  short: ['shortname', 'teamshortname', 'acronym', 'shortteamname'],
  host: ['hostorganisation', 'hostorganization', 'host', 'organisation', 'organization', 'parentorganisation', 'parentorganization'],
  country: ['country', 'countrycode'],
  constituency: ['constituency', 'constituencytype'],
  email: ['email', 'emails', 'teamemail', 'emailaddress', 'mail'],
  phone: ['telephone', 'phone', 'tel', 'teamphone', 'teamtelephone', 'phonenumber'],
  emergency: ['emergencyphone', 'emergencytelephone', 'emergency', 'emergencynumber', '247phone', 'phone247'],
  website: ['website', 'web', 'url', 'homepage', 'teamwebsite', 'www'],
  keys: ['pgpkeys', 'pgpkey', 'pgppublickey', 'publickey', 'teampgpkey', 'openpgpkey'],
  fingerprint: ['pgpfingerprint', 'fingerprint', 'pgpkeyfingerprint', 'keyfingerprint', 'openpgpfingerprint', 'pgpkeyid', 'keyid', 'pgpkeyidfingerprint'],
  hours: ['businesshours', 'hours', 'availability', 'operatinghours'],
  tz: ['timezone', 'tz'],
} as const;
/** Fields the templates carry that belong elsewhere in Puente: named in a warning. */
const ELSEWHERE: Record<string, string> = {
  members: 'team members are entries of their own: add them as contacts',
  representatives: 'team representatives are entries of their own: add them as contacts',
  teamrepresentatives: 'team representatives are entries of their own: add them as contacts',
  establishment: 'the date of establishment belongs on the organisation’s profile',
  established: 'the date of establishment belongs on the organisation’s profile',
  dateofestablishment: 'the date of establishment belongs on the organisation’s profile',
  membersince: 'memberships belong on the organisation’s profile',
  firstmembersince: 'memberships belong on the organisation’s profile',
  memberships: 'memberships belong on the organisation’s profile',
};

function fromTeams(text: string, format: 'first' | 'csirts-network'): Draft[] {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    throw new AppError('CSV_MALFORMED', 'Team records are a JSON array of objects; this is not JSON');
  }
  if (!Array.isArray(data) || data.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) throw new AppError('CSV_MALFORMED', 'Team records are a JSON array of objects');
  if (data.length > IMPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `An import may hold at most ${IMPORT_MAX_ROWS} rows`, { limitRows: IMPORT_MAX_ROWS });
  return (data as Record<string, unknown>[]).map((o, i) => {
    const d: Draft = { row: i + 1, organisation: '', country: '', fullName: '', errors: [], warnings: [], isTeamMailbox: true };
    const used = new Set<string>();
    const field = (k: keyof typeof TEAM_FIELDS): unknown => {
      for (const [key, v] of Object.entries(o))
        if ((TEAM_FIELDS[k] as readonly string[]).includes(norm(key)) && !blank(v)) {
          used.add(key);
          return v;
        }
      return undefined;
    };
    const name = str(field('name'));
    const short = str(field('short'));
    d.fullName = short && name && short !== name ? `${short} (${name})` : short || name;
    d.organisation = str(field('host')) || (format === 'csirts-network' ? name || short : '');
    d.country = str(field('country'));
    d.emails = strs(field('email'));
    d.phone = str(field('phone')) || null;
    d.emergencyPhone = str(field('emergency')) || null;
    const constituency = str(field('constituency'));
    d.position = constituency ? `CSIRT – constituency: ${constituency}` : 'CSIRT';
    const keys = strs(field('keys'));
    d.openpgpKey = keys[0] ?? null;
    if (keys.length > 1) d.warnings.push('Only the first OpenPGP key is kept');
    const fp = str(field('fingerprint'));
    if (fp) d.fingerprint = fp;
    d.website = websiteOf(str(field('website')), d);
    d.availability = str(field('hours')) || null;
    d.timeZone = str(field('tz')) || null;
    d.kinds = format === 'csirts-network' || d.emergencyPhone ? ['technical', 'operational_24_7'] : ['technical'];
    for (const [key, v] of Object.entries(o)) {
      if (used.has(key) || blank(v)) continue;
      const why = ELSEWHERE[norm(key)];
      d.warnings.push(why ? `“${key}” is not imported: ${why}` : `“${key}” is not a field Puente keeps for a team; not imported`);
    }
    if (!d.fullName) d.errors.push({ field: 'fullName', code: 'REQUIRED', message: 'The team has no name' });
    return d;
  });
}

/** The JSON export read back: `{ items: [...] }` or an array of entries as GET /contacts answers them. Fields absent (withheld from the exporter) are left as they are. */
function fromJson(text: string): Draft[] {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    throw new AppError('CSV_MALFORMED', 'This is not JSON');
  }
  const items = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items) ? (data as { items: unknown[] }).items : null;
  if (!items || items.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) throw new AppError('CSV_MALFORMED', 'A JSON import is the JSON export: an object with items, or an array of entries');
  if (items.length > IMPORT_MAX_ROWS) throw new AppError('PAYLOAD_TOO_LARGE', `An import may hold at most ${IMPORT_MAX_ROWS} rows`, { limitRows: IMPORT_MAX_ROWS });
  return (items as Record<string, unknown>[]).map((o, i) => {
    const d: Draft = { row: i + 1, organisation: '', country: '', fullName: str(o.fullName), errors: [], warnings: [] };
    const org = o.organisation;
    d.organisation = org && typeof org === 'object' ? str((org as { name?: unknown }).name) : str(org);
    d.country = str(o.country);
    const has = (k: string) => Object.hasOwn(o, k);
    const text = (k: string) => (o[k] === null ? null : typeof o[k] === 'string' ? (o[k] as string).trim() || null : undefined);
    const list = (k: string): string[] | undefined => {
      if (!has(k)) return undefined;
      if (!Array.isArray(o[k]) || (o[k] as unknown[]).some((x) => typeof x !== 'string')) {
        d.errors.push({ field: k, code: 'INVALID_VALUE', message: `${k} is a list of texts` });
        return undefined;
      }
      return (o[k] as string[]).map((x) => x.trim()).filter(Boolean);
    };
    d.kinds = list('kinds') ?? [];
    if (has('position')) d.position = str(o.position);
    if (typeof o.isTeamMailbox === 'boolean') d.isTeamMailbox = o.isTeamMailbox;
    d.emails = list('emails');
    d.languages = list('languages');
    for (const [k, f] of [
      ['phone', 'phone'],
      ['emergencyPhone', 'emergencyPhone'],
      ['availability', 'availability'],
      ['timeZone', 'timeZone'],
      ['validUntil', 'validUntil'],
      ['website', 'website'],
      ['openpgpFingerprint', 'fingerprint'],
    ] as const)
      if (has(k)) d[f] = text(k) ?? null;
    if (has('secureChannels')) {
      const sc = o.secureChannels;
      if (!Array.isArray(sc)) d.errors.push({ field: 'secureChannels', code: 'INVALID_VALUE', message: 'secureChannels is a list of { type, address }' });
      else {
        d.secureChannels = [];
        for (const x of sc as { type?: unknown; address?: unknown }[]) {
          if (!x || typeof x.type !== 'string' || !isChannelType(x.type) || typeof x.address !== 'string' || !x.address.trim())
            d.errors.push({ field: 'secureChannels', code: 'INVALID_VALUE', message: `Each channel is { type, address } with a type of ${CHANNEL_TYPES.join(', ')}` });
          else d.secureChannels.push({ type: x.type, address: x.address.trim() });
        }
      }
    }
    if (has('openpgpKey')) {
      const k = o.openpgpKey;
      d.openpgpKey = k && typeof k === 'object' ? str((k as { armored?: unknown }).armored) || null : typeof k === 'string' ? k.trim() || null : null;
    }
    if (typeof o.tlp === 'string') d.tlp = o.tlp.trim().toUpperCase();
    return d;
  });
}

// ---------- checking against the directory ----------

interface Plan {
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

/** A fingerprint or key ID as written (spaces, colons, 0x, any case) → upper-case hex, or null when it is neither. */
export function normaliseFingerprint(v: string): string | null {
  const h = v.replace(/^0x/i, '').replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]+$/.test(h) && [8, 16, 40, 64].includes(h.length) ? h : null;
}
const isFullFingerprint = (h: string) => h.length === 40 || h.length === 64;
const fingerprintMatches = (fp: string, stated: string) => fp === stated || (!isFullFingerprint(stated) && fp.endsWith(stated));

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) => sameList([...a].sort(), [...b].sort());
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

function validate(d: Draft) {
  const e = d.errors;
  if (!d.organisation) e.push({ field: 'organisation', code: 'REQUIRED', message: 'Name the organisation' });
  if (!/^[A-Z]{2,3}$/.test(d.country)) e.push({ field: 'country', code: 'INVALID_VALUE', message: 'Give the country as its ISO code' });
  if (!d.fullName) e.push({ field: 'fullName', code: 'REQUIRED', message: 'Give a name' });
  else if (d.fullName.length > 200) e.push({ field: 'fullName', code: 'TOO_LONG', message: 'At most 200 characters' });
  if (!d.kinds?.length) e.push({ field: 'kinds', code: 'REQUIRED', message: 'Give at least one kind' });
  for (const k of d.kinds ?? []) if (!(KINDS as readonly string[]).includes(k)) e.push({ field: 'kinds', code: 'UNKNOWN_KIND', message: `Unknown kind “${k}”; use ${KINDS.join(', ')}` });
  for (const m of d.emails ?? []) if (!EMAIL.test(m) || m.length > 254) e.push({ field: 'emails', code: 'INVALID_EMAIL', message: `“${m}” is not an e-mail address` });
  if ((d.emails?.length ?? 0) > 10) e.push({ field: 'emails', code: 'TOO_MANY', message: 'At most 10 addresses' });
  for (const f of ['phone', 'emergencyPhone'] as const) {
    const v = d[f];
    if (v && !PHONE.test(v)) e.push({ field: f, code: 'INVALID_PHONE', message: `“${v}” is not a telephone number` });
  }
  for (const l of d.languages ?? []) if (!LANGUAGE.test(l)) e.push({ field: 'languages', code: 'INVALID_VALUE', message: `“${l}” is not a language code` });
  if (d.position !== undefined && d.position.length > 300) e.push({ field: 'position', code: 'TOO_LONG', message: 'At most 300 characters' });
  if (d.availability && d.availability.length > 500) e.push({ field: 'availability', code: 'TOO_LONG', message: 'At most 500 characters' });
  if (d.timeZone && d.timeZone.length > 64) e.push({ field: 'timeZone', code: 'TOO_LONG', message: 'At most 64 characters' });
  if (d.validUntil && (!DATE.test(d.validUntil) || Number.isNaN(Date.parse(`${d.validUntil}T00:00:00Z`)))) e.push({ field: 'validUntil', code: 'INVALID_VALUE', message: 'Write the date as YYYY-MM-DD' });
  if (d.tlp !== undefined && !(TLP_LEVELS as readonly string[]).includes(d.tlp)) e.push({ field: 'tlp', code: 'INVALID_VALUE', message: `Use one of ${TLP_LEVELS.join(', ')}` });
  if (d.website && (!/^https?:\/\/\S+$/i.test(d.website) || d.website.length > 500)) e.push({ field: 'website', code: 'INVALID_VALUE', message: `“${d.website.slice(0, 100)}” is not a web address (http:// or https://, at most 500 characters)` });
  if (d.fingerprint && !normaliseFingerprint(d.fingerprint))
    e.push({ field: 'openpgpFingerprint', code: 'INVALID_VALUE', message: `“${d.fingerprint.slice(0, 100)}” is not an OpenPGP fingerprint (40 or 64 hexadecimal digits) or key ID (8 or 16)` });
}

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

async function plan(p: Platform, actor: Actor, drafts: Draft[]): Promise<Plan[]> {
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

function rowResult(pl: Plan) {
  const d = pl.draft;
  const ok = d.errors.length === 0;
  return {
    row: d.row,
    status: ok ? ('ok' as const) : ('error' as const),
    action: ok ? pl.action : null,
    existingId: pl.existing?.id ?? null,
    changed: pl.changed,
    errors: d.errors,
    warnings: d.warnings,
    contact: {
      organisation: pl.orgId ? { id: pl.orgId, name: pl.orgName ?? '' } : null,
      organisationName: d.organisation,
      country: d.country,
      fullName: d.fullName,
      kinds: d.kinds ?? [],
      ...(d.position !== undefined && { position: d.position }),
      ...(d.emails !== undefined && { emails: d.emails }),
      ...(d.phone !== undefined && { phone: d.phone }),
      ...(d.emergencyPhone !== undefined && { emergencyPhone: d.emergencyPhone }),
      ...(d.languages !== undefined && { languages: d.languages }),
      ...(d.timeZone !== undefined && { timeZone: d.timeZone }),
      ...(d.website !== undefined && { website: d.website }),
      openpgpFingerprint: pl.keyCols?.pgp_fingerprint ?? null,
    },
  };
}

function summary(plans: Plan[]) {
  const rows = plans.map(rowResult);
  const n = (a: string) => rows.filter((r) => r.action === a).length;
  return { rows, total: rows.length, errors: rows.filter((r) => r.status === 'error').length, create: n('create'), update: n('update'), unchanged: n('unchanged') };
}

async function read(p: Platform, actor: Actor, body: Buffer, format: ImportFormat, opts: ImportOptions) {
  requireVetted(actor);
  const text = decode(body);
  const drafts = format === 'csv' ? fromCsv(text) : format === 'vcard' ? await fromVcards(text, { maxCards: IMPORT_MAX_ROWS, kind: opts.kind }) : format === 'json' ? fromJson(text) : fromTeams(text, format);
  if (drafts.length === 0) throw new AppError('CSV_MALFORMED', 'The file holds no rows');
  return plan(p, actor, drafts);
}

export async function previewImport(p: Platform, actor: Actor, body: Buffer, format: ImportFormat, opts: ImportOptions = {}) {
  return summary(await read(p, actor, body, format, opts));
}

function keyColumns(key: KeyInfo | null | undefined) {
  if (key === undefined) return {};
  if (key === null) return { pgp_key: null, pgp_fingerprint: null, pgp_algorithm: null, pgp_expires_at: null, pgp_revoked: false };
  const algorithm = [key.algorithm, key.bits ? String(key.bits) : key.curve].filter(Boolean).join(' ');
  return { pgp_key: key.armored, pgp_fingerprint: key.fingerprint, pgp_algorithm: algorithm, pgp_expires_at: key.expiresAt, pgp_revoked: key.revoked };
}

export async function commitImport(p: Platform, actor: Actor, body: Buffer, format: ImportFormat, opts: ImportOptions = {}) {
  const pr = requireVetted(actor);
  const plans = await read(p, actor, body, format, opts);
  const result = summary(plans);
  if (result.errors > 0)
    throw new AppError('IMPORT_INVALID', `${result.errors} of ${result.total} rows have errors; nothing was imported`, { rows: result.rows.filter((r) => r.status === 'error') });
  const ids: string[] = [];
  await change(p, async (c) => {
    for (const pl of plans) {
      const d = pl.draft;
      const kinds = [...new Set(d.kinds ?? [])];
      const country = kinds.some((k) => COUNTRY_KINDS.includes(k as Kind));
      if (pl.action === 'create') {
        const id = newId();
        const tlp = (d.tlp ?? 'GREEN') as Tlp;
        const audience = normaliseAudience(tlp, undefined);
        const status = country ? 'nominated' : 'active';
        await c.trx
          .insertInto('contacts')
          .values({
            id,
            organisation_id: pl.orgId!,
            country_code: d.country,
            kinds,
            full_name: d.fullName,
            is_team_mailbox: d.isTeamMailbox ?? false,
            position: d.position ?? '',
            languages: [...new Set(d.languages ?? [])],
            time_zone: d.timeZone ?? null,
            emails: [...new Set(d.emails ?? [])],
            phone: d.phone ?? null,
            emergency_phone: d.emergencyPhone ?? null,
            availability: d.availability ?? null,
            secure_channels: JSON.stringify(d.secureChannels ?? []),
            ...pl.keyCols,
            field_markings: JSON.stringify({}),
            valid_until: d.validUntil ?? null,
            website: d.website ?? null,
            last_confirmed_by: pr.person.id,
            status,
            nominated_by: pr.person.id,
            tlp,
            pap: 'GREEN',
            author_id: pr.person.id,
            author_org_id: pl.orgId!,
            ...audienceColumns(audience),
          })
          .execute();
        ids.push(id);
        await c.audit({
          action: status === 'nominated' ? 'contact.nominated' : 'contact.created',
          ...auditActor(actor),
          organisationId: pl.orgId,
          targetType: 'contact',
          targetId: id,
          details: { kinds, country: d.country, tlp, source: 'import', format, row: d.row },
        });
      } else if (pl.action === 'update') {
        const ex = pl.existing!;
        const gains = ex.status === 'active' && country && !ex.kinds.some((k) => COUNTRY_KINDS.includes(k as Kind));
        const tlp = (d.tlp ?? ex.tlp) as Tlp;
        const audience = tlp === ex.tlp ? null : normaliseAudience(tlp, undefined);
        await c.trx
          .updateTable('contacts')
          .set({
            kinds,
            full_name: d.fullName,
            ...(d.position !== undefined && { position: d.position }),
            ...(d.isTeamMailbox !== undefined && { is_team_mailbox: d.isTeamMailbox }),
            ...(d.languages !== undefined && { languages: [...new Set(d.languages)] }),
            ...(d.timeZone !== undefined && { time_zone: d.timeZone }),
            ...(d.emails !== undefined && { emails: [...new Set(d.emails)] }),
            ...(d.phone !== undefined && { phone: d.phone }),
            ...(d.emergencyPhone !== undefined && { emergency_phone: d.emergencyPhone }),
            ...(d.availability !== undefined && { availability: d.availability }),
            ...(d.secureChannels !== undefined && { secure_channels: JSON.stringify(d.secureChannels) }),
            ...pl.keyCols,
            ...(d.validUntil !== undefined && { valid_until: d.validUntil }),
            ...(d.website !== undefined && { website: d.website }),
            ...(audience && { tlp, ...audienceColumns(audience) }),
            ...(gains && { status: 'nominated' }),
            updated_at: new Date(),
          })
          .where('id', '=', ex.id)
          .execute();
        ids.push(ex.id);
        await c.audit({
          action: 'contact.updated',
          ...auditActor(actor),
          organisationId: ex.organisation_id,
          targetType: 'contact',
          targetId: ex.id,
          details: { changed: pl.changed, source: 'import', format, row: d.row },
        });
      }
    }
    await c.audit({
      action: 'contact.imported',
      ...auditActor(actor),
      organisationId: pr.organisation.id,
      targetType: 'contacts',
      details: { format, rows: result.total, created: result.create, updated: result.update, unchanged: result.unchanged },
    });
  });
  return { ...result, ids };
}
