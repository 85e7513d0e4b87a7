import { AppError } from '../../platform/errors.js';
import { TLP_LEVELS } from '../../platform/access/policy.js';
import { CsvSyntaxError, parseCsv, unguard } from '../../platform/csv.js';
import { CSV_COLUMNS, type CsvColumn } from './exchange.js';
import { KINDS, type Kind, type SecureChannel } from './service.js';
import { CHANNEL_TYPES, isChannelType } from '#shared/contacts';

/**
 * An import file read into rows (drafts), and the checks a row passes on its own,
 * before it is compared with the directory (import-check.ts). Team records are read
 * in import-teams.ts, vCards in vcard-read.ts.
 */

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

export function decode(body: Buffer): string {
  if (body.length > IMPORT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `An import may be at most ${IMPORT_MAX_BYTES} bytes`, { limitBytes: IMPORT_MAX_BYTES });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new AppError('CSV_MALFORMED', 'The file is not UTF-8 text');
  }
}

export function fromCsv(text: string): Draft[] {
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

export const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** The JSON export read back: `{ items: [...] }` or an array of entries as GET /contacts answers them. Fields absent (withheld from the exporter) are left as they are. */
export function fromJson(text: string): Draft[] {
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

// ---------- checking a row on its own ----------

/** A fingerprint or key ID as written (spaces, colons, 0x, any case) → upper-case hex, or null when it is neither. */
export function normaliseFingerprint(v: string): string | null {
  const h = v.replace(/^0x/i, '').replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]+$/.test(h) && [8, 16, 40, 64].includes(h.length) ? h : null;
}

export function validate(d: Draft) {
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
