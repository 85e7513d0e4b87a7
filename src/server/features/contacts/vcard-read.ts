/**
 * Reading vCards for import (issue 3 §7): vCard 4.0 (RFC 6350, as Puente's own
 * export and Thunderbird, Nextcloud, Outlook write them) and 3.0 (RFC 2426, as
 * Apple Contacts and Google Contacts write them), parsed with ical.js. Each card
 * becomes one import row (import-check.ts checks it like a CSV row).
 *
 * A property a card leaves out leaves that field of a matching entry as it is
 * (a viewer's export omits what is withheld from them). Puente's X-PUENTE-*
 * properties carry what vCard has no property for (country, marking,
 * availability, secure channels, valid-until, a fingerprint without its key).
 */
import ICAL from 'ical.js';
import { readKey } from 'openpgp';
import { AppError } from '../../platform/errors.js';
import type { Draft } from './import-read.js';
import { CHANNEL_TYPES, isChannelType } from '#shared/contacts';
import { KINDS, type Kind } from './service.js';

type Prop = [string, Record<string, string | string[]>, string, ...unknown[]];
type Card = ['vcard', Prop[], unknown[]];

const values = (p: Prop): unknown[] => p.slice(3);
const first = (p: Prop | undefined): string => {
  if (!p) return '';
  const v = p[3];
  return (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : v == null ? '' : String(v)).trim();
};
const param = (p: Prop, name: string): string[] => {
  const v = p[1][name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim().toLowerCase());
};
const pref = (p: Prop) => {
  const n = Number(param(p, 'pref')[0]);
  if (Number.isFinite(n) && n > 0) return n;
  return param(p, 'type').includes('pref') ? 1 : 101;
};
/** Stable sort by PREF (4.0: PREF=1..100; 3.0: TYPE=pref); document order among equals. */
const byPref = (ps: Prop[]) => ps.map((p, i) => [p, i] as const).sort((a, b) => pref(a[0]) - pref(b[0]) || a[1] - b[1]).map(([p]) => p);

/** Parse the file into cards, or refuse it whole (VCARD_MALFORMED) when it is not vCard. */
function parseCards(text: string): Card[] {
  const s = (text.startsWith('\uFEFF') ? text.slice(1) : text).trim();
  if (!/^BEGIN:VCARD\r?$/im.test(s.split(/\n/)[0] ?? '')) throw new AppError('VCARD_MALFORMED', 'The file does not start with BEGIN:VCARD');
  let parsed: unknown;
  try {
    parsed = ICAL.parse(s + '\r\n');
  } catch (e) {
    throw new AppError('VCARD_MALFORMED', `The vCard file cannot be read: ${String((e as Error).message).slice(0, 200)}`);
  }
  const list = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : parsed) as unknown[];
  if (!Array.isArray(list) || list.length === 0) throw new AppError('VCARD_MALFORMED', 'The file holds no vCard');
  for (const [i, c] of list.entries())
    if (!Array.isArray(c) || c[0] !== 'vcard' || !Array.isArray(c[1])) throw new AppError('VCARD_MALFORMED', `Component ${i + 1} is not a vCard`, { component: i + 1 });
  return list as Card[];
}

/** A KEY value → an armoured OpenPGP public key, a fingerprint (openpgp4fpr:), or why not. */
async function keyOf(p: Prop): Promise<{ armored?: string; fingerprint?: string; skip?: string }> {
  const raw = first(p);
  const types = [...param(p, 'type'), ...param(p, 'mediatype')];
  if (/^openpgp4fpr:/i.test(raw)) return { fingerprint: raw.slice('openpgp4fpr:'.length) };
  let bytes: Buffer | null = null;
  const data = /^data:([^,;]*)((?:;[^,;]+)*),(.*)$/is.exec(raw);
  if (data) {
    if (data[1] && !/pgp/i.test(data[1])) return { skip: `a key of type ${data[1]}` };
    bytes = /;base64/i.test(data[2]) ? Buffer.from(data[3].replace(/\s+/g, ''), 'base64') : Buffer.from(decodeURIComponent(data[3]), 'utf8');
  } else if (/^https?:\/\//i.test(raw)) return { skip: `a key at ${raw.slice(0, 100)} (not fetched)` };
  else if (param(p, 'encoding').some((e) => e === 'b' || e === 'base64')) {
    if (types.length && !types.some((t) => /pgp/.test(t))) return { skip: `a key of type ${types.join(',')}` };
    bytes = Buffer.from(raw.replace(/\s+/g, ''), 'base64');
  } else if (/-----BEGIN PGP/.test(raw)) bytes = Buffer.from(raw, 'utf8');
  else return { skip: 'a key in a form not understood' };
  const asText = bytes.toString('utf8');
  if (/-----BEGIN PGP/.test(asText)) return { armored: asText };
  // 3.0 cards carry the binary key in base64: armour it for the directory.
  try {
    const key = await readKey({ binaryKey: new Uint8Array(bytes) });
    return { armored: key.armor() };
  } catch {
    return { armored: asText.length ? `invalid binary key (${bytes.length} bytes)` : '' };
  }
}

function telOf(p: Prop): string {
  // 4.0 writes TEL;VALUE=uri:tel:+1-555-555-0100;ext=12
  return first(p).replace(/^tel:/i, '').split(';')[0].trim();
}

function channelOfImpp(uri: string): { type: string; address: string } {
  const m = /^([a-z][a-z0-9+.-]*):(.+)$/i.exec(uri);
  const scheme = m?.[1].toLowerCase();
  if (m && scheme && isChannelType(scheme)) return { type: scheme, address: m[2] };
  if (scheme === 'sgnl') return { type: 'signal', address: m![2] };
  return { type: 'other', address: uri };
}

export async function fromVcards(text: string, opts: { maxCards: number; kind?: Kind }): Promise<Draft[]> {
  const cards = parseCards(text);
  if (cards.length > opts.maxCards) throw new AppError('PAYLOAD_TOO_LARGE', `An import may hold at most ${opts.maxCards} cards`, { limitRows: opts.maxCards });
  const out: Draft[] = [];
  for (const [i, [, props]] of cards.entries()) {
    const d: Draft = { row: i + 1, organisation: '', country: '', fullName: '', errors: [], warnings: [] };
    out.push(d);
    const all = (name: string) => props.filter((p) => p[0] === name);
    const one = (name: string) => all(name)[0];
    const version = first(one('version'));
    if (version !== '4.0' && version !== '3.0') {
      d.errors.push({ field: 'version', code: 'UNSUPPORTED_VERSION', message: `vCard ${version || 'without VERSION'} is not read: export as vCard 4.0 or 3.0` });
      continue;
    }
    // Names
    d.fullName = first(one('fn'));
    if (!d.fullName) {
      const n = one('n')?.[3];
      if (Array.isArray(n)) d.fullName = [n[3], n[1], n[2], n[0], n[4]].map((x) => String(Array.isArray(x) ? x.join(' ') : (x ?? '')).trim()).filter(Boolean).join(' ');
    }
    const org = one('org');
    d.organisation = org ? first(org) : '';
    // The country: Puente's own property, else the country of the first address giving one.
    d.country = first(one('x-puente-country'));
    if (!d.country)
      for (const a of byPref(all('adr'))) {
        const v = a[3];
        const c = Array.isArray(v) ? String(v[6] ?? '').trim() : '';
        if (c) {
          d.country = c;
          break;
        }
      }
    // Kinds: the CATEGORIES that are kinds of contact; others are named in a warning.
    const cats = all('categories').flatMap((p) => values(p).flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => String(v).trim()).filter(Boolean));
    const kinds = cats.filter((c) => (KINDS as readonly string[]).includes(c));
    const other = cats.filter((c) => !(KINDS as readonly string[]).includes(c));
    if (other.length) d.warnings.push(`Categories that are not kinds of contact are not imported: ${other.join(', ')}`);
    d.kinds = kinds.length ? kinds : opts.kind ? [opts.kind] : [];
    if (!kinds.length && opts.kind) d.warnings.push(`No kind in the card's CATEGORIES: imported as ${opts.kind}`);
    const kind = (first(one('kind')) || first(one('x-addressbookserver-kind'))).toLowerCase();
    if (kind) d.isTeamMailbox = kind === 'group' || kind === 'org';
    const title = one('title');
    if (title) d.position = first(title);
    const emails = byPref(all('email'))
      .map((p) => first(p).replace(/^mailto:/i, ''))
      .filter(Boolean);
    if (emails.length) d.emails = [...new Set(emails)];
    // Telephones: one marked X-PUENTE-EMERGENCY is the emergency line; the preferred other one the phone.
    const tels = byPref(all('tel'));
    const emergency = tels.filter((p) => param(p, 'x-puente-emergency').includes('true'));
    const plain = tels.filter((p) => !emergency.includes(p));
    if (plain.length) d.phone = telOf(plain[0]);
    if (emergency.length) d.emergencyPhone = telOf(emergency[0]);
    if (plain.length > 1 || emergency.length > 1)
      d.warnings.push(`Only one telephone and one emergency telephone are kept; not imported: ${[...plain.slice(1), ...emergency.slice(1)].map(telOf).join(', ')}`);
    // Languages, most preferred first, as their primary subtag (pt-BR → pt).
    const langs = byPref(all('lang'))
      .map((p) => first(p).toLowerCase().split(/[-_]/)[0])
      .filter(Boolean);
    if (langs.length) d.languages = [...new Set(langs)];
    const tz = one('tz');
    if (tz) d.timeZone = first(tz) || null;
    const urls = byPref(all('url')).map(first).filter(Boolean);
    if (urls.length) {
      d.website = urls[0];
      if (urls.length > 1) d.warnings.push(`Only one website is kept; not imported: ${urls.slice(1).join(', ')}`);
    }
    // OpenPGP: the first PGP key; a fingerprint from Puente's property or an openpgp4fpr: KEY.
    const fp = first(one('x-puente-openpgp-fingerprint'));
    if (fp) d.fingerprint = fp;
    let keyTaken = false;
    for (const p of all('key')) {
      const k = await keyOf(p);
      if (k.fingerprint && !d.fingerprint) d.fingerprint = k.fingerprint;
      else if (k.armored !== undefined && !keyTaken) {
        d.openpgpKey = k.armored;
        keyTaken = true;
      } else if (k.skip) d.warnings.push(`Not imported: ${k.skip}`);
      else if (k.armored !== undefined) d.warnings.push('Only the first OpenPGP key is kept');
    }
    // Availability and secure channels: Puente's properties; IMPP addresses as channels.
    const avail = one('x-puente-availability');
    if (avail) d.availability = first(avail) || null;
    const channels = [
      ...all('x-puente-secure-channel').map((p) => ({ type: param(p, 'type')[0] ?? 'other', address: first(p) })),
      ...byPref(all('impp')).map((p) => channelOfImpp(first(p))),
    ].filter((c) => c.address);
    for (const c of channels)
      if (!isChannelType(c.type)) d.errors.push({ field: 'secureChannels', code: 'INVALID_VALUE', message: `Unknown secure channel type “${c.type}”; use ${CHANNEL_TYPES.join(', ')}` });
    if (channels.length) d.secureChannels = channels.filter((c, j) => channels.findIndex((x) => x.type === c.type && x.address === c.address) === j);
    const until = one('x-puente-valid-until');
    if (until) d.validUntil = first(until) || null;
    const tlp = one('x-puente-tlp');
    if (tlp) d.tlp = first(tlp).toUpperCase();
    // A note Puente wrote repeats the X-PUENTE-* properties; another tool's note has no field here.
    const note = first(one('note'));
    if (note && !avail && !all('x-puente-secure-channel').length) d.warnings.push('The card’s NOTE is not imported');
  }
  return out;
}
