/**
 * Pure checks for organisation profiles: CIDR ranges, hostnames, time zones,
 * dates, image types by their magic bytes, and the choice of a description
 * language. No database here (see profile.test.ts).
 */
import net from 'node:net';

export const LOGO_MAX_BYTES = 256 * 1024;
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const ASN_MAX = 4_294_967_295;
export const UI_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;

function ipv6Words(addr: string): number[] | null {
  let a = addr;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two words.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    if (!net.isIPv4(v4[1])) return null;
    const o = v4[1].split('.').map(Number);
    a = `${a.slice(0, -v4[1].length)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const words = [...head, ...Array<string>(fill).fill('0'), ...tail].map((w) => (/^[0-9a-f]{1,4}$/i.test(w) ? parseInt(w, 16) : NaN));
  return words.length === 8 && words.every((w) => Number.isFinite(w)) ? words : null;
}

/**
 * A network in CIDR notation with no host bits set (what PostgreSQL's cidr
 * accepts), or null. Returns the normalised text (lower-case).
 */
export function parseCidr(input: string): string | null {
  const s = input.trim().toLowerCase();
  const m = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(s);
  if (!m) return null;
  const [, addr, bitsText] = m;
  const bits = Number(bitsText);
  if (net.isIPv4(addr)) {
    if (bits > 32) return null;
    const n = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const hostBits = 32 - bits;
    if (hostBits > 0 && n % 2 ** hostBits !== 0) return null;
    return `${addr}/${bits}`;
  }
  if (net.isIPv6(addr)) {
    if (bits > 128) return null;
    const words = ipv6Words(addr);
    if (!words) return null;
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

/** The image type its first bytes say it is (PNG, JPEG, WebP), or null. SVG and everything else: null. */
export function sniffImage(b: Buffer): LogoType | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The description to show: in the viewer's language, else the organisation's
 * first language that has one, else any (English first), else the legacy text.
 */
export function pickDescription(
  descriptions: Record<string, string>,
  viewerLanguage: string | null,
  orgLanguages: string[],
  legacy: string,
): { text: string; language: string | null } {
  const has = (l: string | null | undefined): l is string => !!l && !!descriptions[l];
  if (has(viewerLanguage)) return { text: descriptions[viewerLanguage], language: viewerLanguage };
  const own = orgLanguages.find(has);
  if (own) return { text: descriptions[own], language: own };
  const any = [...UI_LANGUAGES, ...Object.keys(descriptions).sort()].find(has);
  if (any) return { text: descriptions[any], language: any };
  return { text: legacy, language: null };
}
