/**
 * Normalised values for correlation: two indicators/observables correlate when they carry the same
 * (kind, value). Pure functions; node:net / node:url built-ins only.
 *
 *  ip      canonical IPv4 (dotted quad) / IPv6 (RFC 5952: lower case, longest zero run compressed, IPv4-mapped
 *          as ::ffff:a.b.c.d); CIDR as network/prefix with the host bits cleared; /32 and /128 become the bare address
 *  domain  lower case, trailing dot removed, IDN to punycode (A-labels)
 *  url     WHATWG URL href: lower-case scheme and host, punycode host, default port removed, path resolved
 *  hash    '<ALGO>:<value>', algo normalised (MD5, SHA-1, SHA-256, SHA-512, SHA3-256, SSDEEP, TLSH, …), hex lower case
 *  email   local part kept as written, domain part normalised like a domain
 */
import { isIPv4 } from 'node:net';
import { domainToASCII } from 'node:url';
import { parsePattern, patternComparisons, type PathStep } from './pattern.js';

export type CorrelationKind = 'ip' | 'domain' | 'url' | 'hash' | 'email';

export interface CorrelationValue {
  kind: CorrelationKind;
  /** normalised */
  value: string;
}

// ---------------------------------------------------------------------------------------------
// IP addresses and CIDR

interface ParsedIp {
  v6: boolean;
  /** 32 or 128 bits */
  bits: bigint;
  prefix: number;
}

function parseIPv4(text: string): bigint | null {
  if (!isIPv4(text)) return null; // rejects leading zeros, out-of-range octets, short forms
  let n = 0n;
  for (const part of text.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

function parseIPv6(text: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null; // no zone ids (fe80::1%eth0), no brackets
  let head = text;
  let tail: number[] = [];
  // embedded IPv4 in the last 32 bits
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    head = text.slice(0, lastColon + 1);
    // 'a::1.2.3.4' leaves 'a::' ; 'a:b:c:d:e:f:1.2.3.4' leaves 'a:b:c:d:e:f:' -> drop a single trailing ':'
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const double = head.indexOf('::');
  if (double !== head.lastIndexOf('::')) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (double >= 0) {
    const left = parseGroups(head.slice(0, double));
    const right = parseGroups(head.slice(double + 2));
    if (!left || !right) return null;
    const missing = 8 - left.length - right.length - tail.length;
    if (missing < 1) return null;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right, ...tail];
  } else {
    const all = parseGroups(head);
    if (!all) return null;
    groups = [...all, ...tail];
    if (groups.length !== 8) return null;
  }
  if (groups.length !== 8) return null;
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

function parseIp(text: string): ParsedIp | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const prefixText = slash < 0 ? null : t.slice(slash + 1);
  let v6 = false;
  let bits = parseIPv4(addr);
  if (bits === null) {
    bits = parseIPv6(addr);
    v6 = true;
  }
  if (bits === null) return null;
  const width = v6 ? 128 : 32;
  let prefix = width;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > width) return null;
  }
  const hostBits = BigInt(width - prefix);
  bits = (bits >> hostBits) << hostBits; // clear host bits: 10.0.0.7/24 -> 10.0.0.0/24
  return { v6, bits, prefix };
}

function formatIPv4(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 0xffn)).join('.');
}

function formatIPv6(bits: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((bits >> BigInt(i * 16)) & 0xffffn));
  // IPv4-mapped ::ffff:a.b.c.d keeps the dotted tail (RFC 5952 §5)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIPv4(bits & 0xffffffffn)}`;
  }
  // longest run of zero groups (length >= 2), first one on ties (RFC 5952 §4.2)
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

function formatIp(ip: ParsedIp): string {
  const addr = ip.v6 ? formatIPv6(ip.bits) : formatIPv4(ip.bits);
  return ip.prefix === (ip.v6 ? 128 : 32) ? addr : `${addr}/${ip.prefix}`;
}

/** IPv4/IPv6 address or CIDR in canonical form; a /32 (/128) host route becomes the bare address; null if not an IP. */
export function normaliseIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : null;
}

// ---------------------------------------------------------------------------------------------
// Domains, URLs, e-mail

/** Lower case, trailing dot removed, IDN to punycode; null when it is not a host name. */
export function normaliseDomain(text: string): string | null {
  if (typeof text !== 'string') return null;
  let t = text.trim();
  if (t.endsWith('.')) t = t.slice(0, -1);
  if (t === '' || t.includes('/') || t.includes(':') || t.includes('@')) return null;
  const ascii = domainToASCII(t);
  if (ascii === '' || ascii.length > 253) return null;
  if (ascii.split('.').some((label) => label === '' || label.length > 63)) return null;
  return ascii.toLowerCase();
}

/** WHATWG URL href (scheme/host lower case, punycode host, default port removed); null when not an absolute URL. */
export function normaliseUrl(text: string): string | null {
  if (typeof text !== 'string') return null;
  try {
    const u = new URL(text.trim());
    if (u.hostname.endsWith('.') && u.hostname.length > 1) u.hostname = u.hostname.slice(0, -1);
    return u.href;
  } catch {
    return null;
  }
}

/** Local part kept as written, domain part normalised; null when it is not an address. */
export function normaliseEmail(text: string): string | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  const at = t.lastIndexOf('@');
  if (at <= 0 || at === t.length - 1) return null;
  const local = t.slice(0, at);
  if (/\s/.test(local)) return null;
  const domain = normaliseDomain(t.slice(at + 1));
  return domain ? `${local}@${domain}` : null;
}

// ---------------------------------------------------------------------------------------------
// Hashes

/** Canonical algorithm names (STIX hash-algorithm-ov spelling), keyed by the name reduced to upper-case letters and digits. */
const HASH_ALGOS: Record<string, { name: string; hexLength?: number; caseSensitive?: boolean }> = {
  MD5: { name: 'MD5', hexLength: 32 },
  SHA1: { name: 'SHA-1', hexLength: 40 },
  SHA224: { name: 'SHA-224', hexLength: 56 },
  SHA256: { name: 'SHA-256', hexLength: 64 },
  SHA384: { name: 'SHA-384', hexLength: 96 },
  SHA512: { name: 'SHA-512', hexLength: 128 },
  SHA3224: { name: 'SHA3-224', hexLength: 56 },
  SHA3256: { name: 'SHA3-256', hexLength: 64 },
  SHA3384: { name: 'SHA3-384', hexLength: 96 },
  SHA3512: { name: 'SHA3-512', hexLength: 128 },
  SSDEEP: { name: 'SSDEEP', caseSensitive: true }, // base64 alphabet: case matters
  TLSH: { name: 'TLSH' },
  IMPHASH: { name: 'IMPHASH', hexLength: 32 },
};

/** 'sha256', 'SHA-256', "SHA_256", 'Sha2-256'? -> 'SHA-256'; unknown names upper-cased as written. */
export function normaliseHashAlgorithm(name: string): string {
  const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return HASH_ALGOS[key]?.name ?? name.trim().toUpperCase();
}

/** '<ALGO>:<value>' or null when the value is not a plausible hash for that algorithm. */
export function normaliseHash(algorithm: string, value: string): string | null {
  if (typeof algorithm !== 'string' || typeof value !== 'string') return null;
  const known = HASH_ALGOS[algorithm.toUpperCase().replace(/[^A-Z0-9]/g, '')];
  const name = normaliseHashAlgorithm(algorithm);
  if (name === '') return null;
  const v = value.trim();
  if (v === '' || /\s/.test(v)) return null;
  if (known?.caseSensitive) return `${name}:${v}`;
  if (known?.hexLength !== undefined) {
    if (v.length !== known.hexLength || !/^[0-9a-fA-F]+$/.test(v)) return null;
  }
  return `${name}:${v.toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------
// From objects and patterns

function push(out: CorrelationValue[], seen: Set<string>, kind: CorrelationKind, value: string | null): void {
  if (value === null) return;
  const key = `${kind}\u0000${value}`;
  if (seen.has(key)) return;
  seen.add(key);
  out.push({ kind, value });
}

const HASHED_TYPES = new Set(['file', 'artifact', 'x509-certificate']);

/** Correlation values carried directly by an SCO (no following of *_ref properties). */
export function valuesFromObservable(obj: Record<string, unknown>): CorrelationValue[] {
  const out: CorrelationValue[] = [];
  const seen = new Set<string>();
  if (!obj || typeof obj !== 'object') return out;
  const type = obj.type;
  const value = typeof obj.value === 'string' ? obj.value : null;
  switch (type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (value !== null) push(out, seen, 'ip', normaliseIp(value));
      break;
    case 'domain-name':
      if (value !== null) push(out, seen, 'domain', normaliseDomain(value));
      break;
    case 'url':
      if (value !== null) push(out, seen, 'url', normaliseUrl(value));
      break;
    case 'email-addr':
      if (value !== null) push(out, seen, 'email', normaliseEmail(value));
      break;
    default:
      break;
  }
  if (typeof type === 'string' && HASHED_TYPES.has(type)) {
    const hashes = obj.hashes;
    if (hashes && typeof hashes === 'object' && !Array.isArray(hashes)) {
      for (const [algo, h] of Object.entries(hashes as Record<string, unknown>)) {
        if (typeof h === 'string') push(out, seen, 'hash', normaliseHash(algo, h));
      }
    }
  }
  return out;
}

function stepsEqual(steps: PathStep[], expected: (string | null)[]): boolean {
  if (steps.length !== expected.length) return false;
  return steps.every((s, i) => {
    const e = expected[i];
    if (e === null) return 'index' in s; // any list index, [*] or [n]
    return 'key' in s && s.key === e;
  });
}

/** ip, or domain when it is not an IP (for *_ref.value paths that may point at either). */
function ipOrDomain(text: string): [CorrelationKind, string | null] {
  const ip = normaliseIp(text);
  if (ip !== null) return ['ip', ip];
  return ['domain', normaliseDomain(text)];
}

/**
 * Correlation values from a STIX pattern: only positive equality comparisons (`=` and IN, not NOT) with string
 * values on the value-carrying paths:
 *   ipv4-addr:value, ipv6-addr:value, domain-name:value, url:value, email-addr:value,
 *   file|artifact|x509-certificate:hashes.<algo>,
 *   email-message:(from_ref|sender_ref).value and (to_refs|cc_refs|bcc_refs)[*].value,
 *   network-traffic:(src_ref|dst_ref).value, domain-name:resolves_to_refs[*].value (IP or domain).
 * An invalid pattern gives [].
 */
export function valuesFromPattern(pattern: string): CorrelationValue[] {
  const out: CorrelationValue[] = [];
  const seen = new Set<string>();
  let comparisons;
  try {
    comparisons = patternComparisons(parsePattern(pattern));
  } catch {
    return out;
  }
  for (const c of comparisons) {
    if (c.negated || (c.operator !== '=' && c.operator !== 'IN')) continue;
    if (c.valueKind !== 'string' || typeof c.value !== 'string') continue;
    const v = c.value;
    const steps = c.steps;
    const t = c.objectType;
    if ((t === 'ipv4-addr' || t === 'ipv6-addr') && stepsEqual(steps, ['value'])) {
      push(out, seen, 'ip', normaliseIp(v));
    } else if (t === 'domain-name' && stepsEqual(steps, ['value'])) {
      push(out, seen, 'domain', normaliseDomain(v));
    } else if (t === 'url' && stepsEqual(steps, ['value'])) {
      push(out, seen, 'url', normaliseUrl(v));
    } else if (t === 'email-addr' && stepsEqual(steps, ['value'])) {
      push(out, seen, 'email', normaliseEmail(v));
    } else if (HASHED_TYPES.has(t) && steps.length === 2 && stepsEqual(steps.slice(0, 1), ['hashes']) && 'key' in steps[1]) {
      push(out, seen, 'hash', normaliseHash(steps[1].key, v));
    } else if (
      t === 'email-message' &&
      (stepsEqual(steps, ['from_ref', 'value']) ||
        stepsEqual(steps, ['sender_ref', 'value']) ||
        stepsEqual(steps, ['to_refs', null, 'value']) ||
        stepsEqual(steps, ['cc_refs', null, 'value']) ||
        stepsEqual(steps, ['bcc_refs', null, 'value']))
    ) {
      push(out, seen, 'email', normaliseEmail(v));
    } else if (
      (t === 'network-traffic' && (stepsEqual(steps, ['src_ref', 'value']) || stepsEqual(steps, ['dst_ref', 'value']))) ||
      (t === 'domain-name' && stepsEqual(steps, ['resolves_to_refs', null, 'value']))
    ) {
      const [kind, value] = ipOrDomain(v);
      push(out, seen, kind, value);
    }
  }
  return out;
}
