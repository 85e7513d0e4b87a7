import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { LookupFunction } from 'node:net';

/**
 * Requests the server makes to addresses its users give it (TAXII
 * subscriptions today). Without care these are server-side request forgery: a
 * member points the server at 127.0.0.1:5432, 169.254.169.254 or an intranet
 * host and reads what comes back. So every outbound request goes through
 * `outboundRequest`, which
 *
 * - refuses addresses that are not public unicast (loopback, private, link-local,
 *   CGNAT, unique-local, multicast, reserved and documentation ranges, and IPv6
 *   forms that embed such an IPv4 address), unless the installation allows their
 *   network (PUENTE_OUTBOUND_ALLOWED_NETWORKS);
 * - checks every address a name resolves to, inside the socket's own lookup, so
 *   the address checked is the address connected to (no window for DNS
 *   rebinding between a check and the connection);
 * - follows a few redirects itself, each hop checked the same way.
 */

export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
  text: string;
}

export interface OutboundPolicy {
  /** Networks whose addresses are allowed although they are not public. */
  allowed: readonly Cidr[];
}

export const DEFAULT_POLICY: OutboundPolicy = Object.freeze({ allowed: [] });

/** A request refused because of where it would go; never retried as is. */
export class OutboundRefusedError extends Error {
  /** `reason`: "is a loopback address", "resolves to a private address", … */
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`Refused: ${host} ${reason}, not a public address (an installation allows private networks with PUENTE_OUTBOUND_ALLOWED_NETWORKS)`);
  }
}

/** The remote answered, but not as expected (too large, bad redirect…); the message is ours, never the remote's text. */
export class OutboundError extends Error {}

// ---------------------------------------------------------------- addresses

function v4ToBig(s: string): bigint | null {
  if (!net.isIPv4(s)) return null;
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBig(s: string): bigint | null {
  const zone = s.indexOf('%');
  let a = zone >= 0 ? s.slice(0, zone) : s;
  if (!net.isIPv6(a)) return null;
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const lastColon = a.lastIndexOf(':');
  if (a.slice(lastColon + 1).includes('.')) {
    const v4 = v4ToBig(a.slice(lastColon + 1));
    if (v4 === null) return null;
    a = `${a.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const dbl = a.indexOf('::');
  let groups: string[];
  if (dbl >= 0) {
    const left = a.slice(0, dbl).split(':').filter(Boolean);
    const right = a.slice(dbl + 2).split(':').filter(Boolean);
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  } else groups = a.split(':');
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An IP address as a number, or null when the text is not an IP address. */
export function parseAddress(s: string): { family: 4 | 6; value: bigint } | null {
  const v4 = v4ToBig(s);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = v6ToBig(s.replace(/^\[|\]$/g, ''));
  if (v6 !== null) return { family: 6, value: v6 };
  return null;
}

/** "10.0.0.0/8", "fd00::/8", or a single address (a /32 or /128). Null when malformed. */
export function parseCidr(s: string): Cidr | null {
  const text = s.trim();
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (!m) return null;
  const a = parseAddress(m[1]!);
  if (!a || m[1]!.includes('%')) return null;
  const max = a.family === 4 ? 32 : 128;
  const prefix = m[2] === undefined ? max : Number(m[2]);
  if (prefix > max) return null;
  const bits = BigInt(max);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << (bits - BigInt(prefix));
  return { family: a.family, network: a.value & mask, prefix, text };
}

function inCidr(family: 4 | 6, value: bigint, c: Cidr): boolean {
  if (c.family !== family) return false;
  const bits = family === 4 ? 32n : 128n;
  const shift = bits - BigInt(c.prefix);
  return value >> shift === c.network >> shift;
}

const cidrs = (list: [string, string][]) => list.map(([c, reason]) => ({ cidr: parseCidr(c)!, reason }));

// IANA special-purpose registries (RFC 6890 and successors): nothing here is a public server.
const V4_REFUSED = cidrs([
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['10.0.0.0/8', 'a private address'],
  ['100.64.0.0/10', 'a shared (CGNAT) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['172.16.0.0/12', 'a private address'],
  ['192.0.0.0/24', 'a reserved address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.88.99.0/24', 'a reserved address'],
  ['192.168.0.0/16', 'a private address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
]);

// IPv6 forms that carry an IPv4 address: that address decides.
const V6_EMBEDDING: { cidr: Cidr; extract: (v: bigint) => bigint }[] = [
  { cidr: parseCidr('::ffff:0:0/96')!, extract: (v) => v & 0xffffffffn }, // IPv4-mapped
  { cidr: parseCidr('::/96')!, extract: (v) => v & 0xffffffffn }, // IPv4-compatible (deprecated)
  { cidr: parseCidr('64:ff9b::/96')!, extract: (v) => v & 0xffffffffn }, // NAT64, well-known prefix
  { cidr: parseCidr('2002::/16')!, extract: (v) => (v >> 80n) & 0xffffffffn }, // 6to4
];

const V6_REFUSED = cidrs([
  ['::/128', 'an unspecified address'],
  ['::1/128', 'a loopback address'],
  ['64:ff9b:1::/48', 'a local NAT64 address'],
  ['100::/64', 'a discard-only address'],
  ['2001::/23', 'a reserved (IETF protocol) address'],
  ['2001:db8::/32', 'a documentation address'],
  ['3fff::/20', 'a documentation address'],
  ['5f00::/16', 'a reserved (segment routing) address'],
  ['fc00::/7', 'a unique-local (private) address'],
  ['fe80::/10', 'a link-local address'],
  ['fec0::/10', 'a site-local address'],
  ['ff00::/8', 'a multicast address'],
]);
const V6_GLOBAL = parseCidr('2000::/3')!;

const v4Text = (v: bigint) => [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');

/**
 * Why this address is not a public unicast address ("a loopback address", …),
 * or null when it is public. Not an IP address at all: "not an IP address".
 */
export function classifyAddress(address: string): string | null {
  const a = parseAddress(address);
  if (!a) return 'not an IP address';
  if (a.family === 4) return V4_REFUSED.find((r) => inCidr(4, a.value, r.cidr))?.reason ?? null;
  if (a.value === 0n) return 'an unspecified address';
  if (a.value === 1n) return 'a loopback address';
  for (const e of V6_EMBEDDING) {
    if (inCidr(6, a.value, e.cidr)) {
      const inner = classifyAddress(v4Text(e.extract(a.value)));
      return inner ? `${inner} (embedded in IPv6)` : null;
    }
  }
  const refused = V6_REFUSED.find((r) => inCidr(6, a.value, r.cidr));
  if (refused) return refused.reason;
  return inCidr(6, a.value, V6_GLOBAL) ? null : 'a reserved address';
}

/** Is the address in a network the installation allows (an IPv6 form embedding IPv4 counts as that IPv4 address too)? */
function allowedByPolicy(address: string, policy: OutboundPolicy): boolean {
  const a = parseAddress(address);
  if (!a || !policy.allowed.length) return false;
  if (policy.allowed.some((c) => inCidr(a.family, a.value, c))) return true;
  if (a.family === 6)
    for (const e of V6_EMBEDDING) if (inCidr(6, a.value, e.cidr)) return policy.allowed.some((c) => inCidr(4, e.extract(a.value), c));
  return false;
}

/** Why the policy refuses this address, or null when it may be connected to. */
export function refusalOf(address: string, policy: OutboundPolicy = DEFAULT_POLICY): string | null {
  const why = classifyAddress(address);
  if (!why || allowedByPolicy(address, policy)) return null;
  return why;
}

// ---------------------------------------------------------------- resolving

type LookupAll = { address: string; family: number }[];

/**
 * Resolve a host name (or take an address literally) and check every address;
 * throws OutboundRefusedError when any is refused, so a name that answers a
 * public and a private address is refused as a whole.
 */
export async function resolveChecked(host: string, policy: OutboundPolicy = DEFAULT_POLICY): Promise<LookupAll> {
  const h = host.replace(/^\[|\]$/g, '');
  const literal = parseAddress(h);
  const addresses: LookupAll = literal ? [{ address: h, family: literal.family }] : await dns.promises.lookup(h, { all: true, verbatim: true });
  if (!addresses.length) throw new OutboundError(`${host} has no address`);
  for (const a of addresses) {
    const why = refusalOf(a.address, policy);
    if (why) throw new OutboundRefusedError(host, literal ? `is ${why}` : `resolves to ${why}`);
  }
  return addresses;
}

/** A socket lookup that connects only to checked addresses (the check happens where the connection is made). */
export function checkedLookup(policy: OutboundPolicy): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAll, family?: number) => void) => {
    resolveChecked(hostname, policy).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (!wanted.length) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) return callback(null, wanted);
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (e: Error) => callback(e as NodeJS.ErrnoException, '', 0),
    );
  }) as LookupFunction;
}

// ---------------------------------------------------------------- requests

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface OutboundOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Largest body read; beyond it the request fails. */
  maxBytes?: number;
  /** Redirects followed, each hop checked; default 3. */
  maxRedirects?: number;
  policy?: OutboundPolicy;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(url: URL, o: Required<Omit<OutboundOptions, 'maxRedirects'>>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address never goes through lookup: check it here, once (it cannot change).
    const literalRefusal = parseAddress(host) ? refusalOf(host, o.policy) : null;
    if (literalRefusal) return reject(new OutboundRefusedError(url.hostname, `is ${literalRefusal}`));
    const req = mod.request(
      url,
      {
        method: 'GET',
        headers: o.headers,
        lookup: checkedLookup(o.policy),
        agent: false,
        timeout: o.timeoutMs,
        signal: AbortSignal.timeout(o.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > o.maxBytes) {
            req.destroy(new OutboundError(`The answer of ${url.host} is larger than ${o.maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new OutboundError(`${url.host} did not answer within ${Math.round(o.timeoutMs / 1000)} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * GET an http(s) URL under the outbound policy. Redirects are followed by
 * hand (at most `maxRedirects`), each target checked like the first.
 */
export async function outboundRequest(href: string, opts: OutboundOptions = {}): Promise<OutboundResponse> {
  const o = {
    headers: opts.headers ?? {},
    timeoutMs: opts.timeoutMs ?? 60_000,
    maxBytes: opts.maxBytes ?? 64 * 1024 * 1024,
    policy: opts.policy ?? DEFAULT_POLICY,
  };
  const maxRedirects = opts.maxRedirects ?? 3;
  let url = new URL(href);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError(`Only http and https are fetched (got ${url.protocol})`);
    const res = await once(url, o);
    if (!REDIRECTS.has(res.status)) return { ...res, url: url.href };
    const location = res.headers.location;
    if (!location) return { ...res, url: url.href };
    if (hop >= maxRedirects) throw new OutboundError(`Too many redirects from ${url.host}`);
    const next = new URL(location, url);
    // Credentials go to the host they were given for, not to wherever a redirect points.
    if (next.origin !== url.origin) {
      const { authorization: _a, Authorization: _b, ...rest } = o.headers;
      o.headers = rest;
    }
    url = next;
  }
}
