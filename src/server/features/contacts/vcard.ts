/**
 * vCard 4.0 (RFC 6350), written by hand: text values escaped (\\ , ; and
 * newlines), lines folded at 75 octets without splitting a UTF-8 sequence,
 * CRLF line ends. The card is built from the viewer's view of the entry
 * (service.contactView), so a withheld field cannot appear in it.
 */
import type { ContactView } from './exchange.js';

/**
 * Escape a text value (RFC 6350 §3.4): backslash, comma and newlines always; the
 * semicolon in the fields of compound values (N, ORG), where it separates fields.
 */
export const escapeText = (s: string, compound = false) => {
  const v = s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
  return compound ? v.replace(/;/g, '\\;') : v;
};
/** A parameter value: quoted when it holds : ; or , (RFC 6350 §5; no newlines or quotes allowed). */
const paramValue = (s: string) => {
  const v = s.replace(/["\r\n]/g, ' ');
  return /[:;,]/.test(v) ? `"${v}"` : v;
};

/** Fold a content line at 75 octets; continuation lines start with one space. */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > limit) {
      out.push(cur);
      cur = '';
      bytes = 0;
      limit = 74; // the leading space counts
    }
    cur += ch;
    bytes += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+/, '');

function nameParts(fullName: string): [string, string] {
  const parts = fullName.trim().split(/\s+/);
  if (parts.length < 2) return [fullName.trim(), ''];
  return [parts[parts.length - 1], parts.slice(0, -1).join(' ')];
}

export function vcardOf(c: ContactView): string {
  const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0'];
  const add = (name: string, value: string, params: Record<string, string> = {}) => {
    const ps = Object.entries(params)
      .map(([k, v]) => `;${k}=${paramValue(v)}`)
      .join('');
    lines.push(fold(`${name}${ps}:${value}`));
  };
  add('UID', `urn:uuid:${c.id}`);
  add('KIND', c.isTeamMailbox ? 'group' : 'individual');
  add('FN', escapeText(c.fullName));
  if (!c.isTeamMailbox) {
    const [family, given] = nameParts(c.fullName);
    add('N', `${escapeText(family, true)};${escapeText(given, true)};;;`);
  }
  add('ORG', escapeText(c.organisation.name, true));
  if (c.position) add('TITLE', escapeText(c.position));
  for (const e of c.emails ?? []) add('EMAIL', escapeText(e), { TYPE: 'work' });
  if (c.phone) add('TEL', escapeText(c.phone), { TYPE: 'voice' });
  if (c.emergencyPhone) add('TEL', escapeText(c.emergencyPhone), { TYPE: 'voice', 'X-PUENTE-EMERGENCY': 'true' });
  c.languages.forEach((l, i) => add('LANG', l, { PREF: String(i + 1) }));
  if (c.timeZone) add('TZ', escapeText(c.timeZone), { VALUE: 'text' });
  if (c.openpgpKey) add('KEY', `data:application/pgp-keys;base64,${Buffer.from(c.openpgpKey.armored, 'utf8').toString('base64')}`, { MEDIATYPE: 'application/pgp-keys' });
  if (c.openpgpFingerprint) add('X-PUENTE-OPENPGP-FINGERPRINT', escapeText(c.openpgpFingerprint));
  if (c.website) add('URL', escapeText(c.website), { TYPE: 'work' });
  // For people: a readable note. For a reader of this card (and Puente's own import):
  // the same facts as X-PUENTE-* properties, one value each.
  const notes: string[] = [];
  if (c.availability) notes.push(`Availability: ${c.availability}`);
  for (const ch of c.secureChannels ?? []) notes.push(`Secure channel (${ch.type}): ${ch.address}`);
  if (notes.length) add('NOTE', escapeText(notes.join('\n')));
  // VALUE=text: readers unescape the value as text (an X- property is otherwise of unknown type).
  if (c.availability) add('X-PUENTE-AVAILABILITY', escapeText(c.availability), { VALUE: 'text' });
  for (const ch of c.secureChannels ?? []) add('X-PUENTE-SECURE-CHANNEL', escapeText(ch.address), { TYPE: ch.type, VALUE: 'text' });
  add('CATEGORIES', c.kinds.map((k) => escapeText(k)).join(','));
  add('X-PUENTE-COUNTRY', escapeText(c.country));
  if (c.validUntil) add('X-PUENTE-VALID-UNTIL', c.validUntil);
  add('X-PUENTE-TLP', c.tlp);
  add('REV', stamp(c.updatedAt));
  lines.push('END:VCARD');
  return lines.join('\r\n') + '\r\n';
}

export const vcardsOf = (cs: readonly ContactView[]) => cs.map(vcardOf).join('');
