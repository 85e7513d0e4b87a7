/**
 * Rules for what people type into profiles (organisation profiles, join requests, accounts), as
 * server and web apply them: the server refuses what breaks them, the web form says so before
 * sending. Pure functions only, so that the browser runs the same code as the server.
 */

/** Sign-in passwords: long rather than complicated (NIST SP 800-63B); the upper bound keeps argon2 affordable. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Text lengths of an organisation (profile and join request). */
export const ORGANISATION_LIMITS = {
  nameMin: 2,
  name: 200,
  acronym: 30,
  website: 300,
  description: 4000,
  operatingHours: 200,
} as const;

export const LOGO_MAX_BYTES = 256 * 1024;
/** Raster images only: an SVG may carry script. */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/** The largest 32-bit AS number (RFC 6793); 0 is reserved. */
export const ASN_MAX = 4_294_967_295;
export const isAsn = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= ASN_MAX;
/** An AS number as people write it ("64500", "AS64500"), or null. */
export function parseAsn(input: string): number | null {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(input.trim());
  const n = m ? Number(m[1]) : NaN;
  return isAsn(n) ? n : null;
}

const V4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const V4 = `${V4_OCTET}(?:\\.${V4_OCTET}){3}`;
const V6_SEG = '[0-9a-fA-F]{1,4}';
// The grammar Node's net.isIPv6 uses (without zone ids), so that browser and server agree on every address.
const V6 = new RegExp(
  '^(?:' +
    `(?:${V6_SEG}:){7}(?:${V6_SEG}|:)|` +
    `(?:${V6_SEG}:){6}(?:${V4}|:${V6_SEG}|:)|` +
    `(?:${V6_SEG}:){5}(?::${V4}|(?::${V6_SEG}){1,2}|:)|` +
    `(?:${V6_SEG}:){4}(?:(?::${V6_SEG}){0,1}:${V4}|(?::${V6_SEG}){1,3}|:)|` +
    `(?:${V6_SEG}:){3}(?:(?::${V6_SEG}){0,2}:${V4}|(?::${V6_SEG}){1,4}|:)|` +
    `(?:${V6_SEG}:){2}(?:(?::${V6_SEG}){0,3}:${V4}|(?::${V6_SEG}){1,5}|:)|` +
    `(?:${V6_SEG}:){1}(?:(?::${V6_SEG}){0,4}:${V4}|(?::${V6_SEG}){1,6}|:)|` +
    `(?::(?:(?::${V6_SEG}){0,5}:${V4}|(?::${V6_SEG}){1,7}|:))` +
    ')$',
);
const V4_RE = new RegExp(`^${V4}$`);

export const isIPv4 = (s: string): boolean => V4_RE.test(s);
export const isIPv6 = (s: string): boolean => V6.test(s);

/** The eight 16-bit words of an IPv6 address that isIPv6 accepted. */
function ipv6Words(addr: string): number[] {
  let a = addr;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two words.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const o = v4[1].split('.').map(Number);
    a = `${a.slice(0, -v4[1].length)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = a.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  return [...head, ...Array<string>(fill).fill('0'), ...tail].map((w) => parseInt(w, 16));
}

/**
 * A network in CIDR notation with no host bits set (what PostgreSQL's cidr
 * accepts), or null. Returns the normalised text (lower-case).
 */
export function parseCidr(input: string): string | null {
  const s = input.trim().toLowerCase();
  const m = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(s);
  if (!m) return null;
  const addr = m[1];
  const bits = Number(m[2]);
  if (isIPv4(addr)) {
    if (bits > 32) return null;
    const n = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const hostBits = 32 - bits;
    if (hostBits > 0 && n % 2 ** hostBits !== 0) return null;
    return `${addr}/${bits}`;
  }
  if (isIPv6(addr)) {
    if (bits > 128) return null;
    const words = ipv6Words(addr);
    for (let i = 0; i < 8; i++) {
      const keep = Math.max(0, Math.min(16, bits - i * 16));
      const mask = keep === 16 ? 0xffff : (0xffff << (16 - keep)) & 0xffff;
      if ((words[i] & ~mask & 0xffff) !== 0) return null;
    }
    return `${addr}/${bits}`;
  }
  return null;
}

/** A DNS host name (letters, digits, hyphens; at least two labels; no trailing dot), lower-cased, or null. */
export function parseDomain(input: string): string | null {
  const s = input.trim().toLowerCase().replace(/\.$/, '');
  if (s.length < 3 || s.length > 253) return null;
  const labels = s.split('.');
  if (labels.length < 2) return null;
  if (!labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return null;
  const tld = labels[labels.length - 1];
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$/.test(tld)) return null;
  return s;
}

/** An IANA time-zone name the runtime knows (Europe/Madrid, America/Sao_Paulo, UTC). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A calendar date YYYY-MM-DD that exists, not in the future, not before 1900. */
export function isPastDate(s: string, today = new Date()): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return false;
  return Number(m[1]) >= 1900 && d.getTime() <= today.getTime();
}

/** An organisation's website: an http(s) address with a host and no credentials in it. */
export function isWebsite(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password;
  } catch {
    return false;
  }
}
