import { isIP } from 'node:net';
import { HASH_TYPES, isUri, stixString } from './common.js';
import type { MispAttribute, MispObject } from './event.js';

/**
 * MISP attribute values -> STIX cyber-observable drafts and pattern comparisons.
 * A draft refers to drafts earlier in its list by index (so ids can be computed
 * in order: id-contributing properties may be references).
 */
export interface ScoDraft {
  type: string;
  props: Record<string, unknown>;
  refs?: Record<string, number | number[]>;
}
export interface Comparison {
  path: string;
  value: string | number;
}
export interface Observation {
  drafts: ScoDraft[];
  /** Observation expressions ORed; the comparisons in each are ANDed. Empty: no pattern possible. */
  patterns: Comparison[][];
  /** Why no observable can be made (the pattern may still be fine). */
  noObservable?: string;
}
export type Refused = { refused: string };

export function patternText(patterns: Comparison[][]): string {
  return patterns
    .map((cmps) => `[${cmps.map((c) => `${c.path} = ${typeof c.value === 'number' ? String(c.value) : stixString(c.value)}`).join(' AND ')}]`)
    .join(' OR ');
}

/** A property name in an object path: quoted when it is not a plain identifier (STIX 2.1 §9.3). */
export function pathKey(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : stixString(name);
}

function ipDraft(value: string): ScoDraft | null {
  const v = value.trim();
  const [addr, prefix, ...rest] = v.split('/');
  if (rest.length > 0 || !addr) return null;
  const kind = isIP(addr);
  if (kind === 0) return null;
  if (prefix !== undefined) {
    const p = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
    if (p < 0 || p > (kind === 4 ? 32 : 128)) return null;
  }
  return { type: kind === 4 ? 'ipv4-addr' : 'ipv6-addr', props: { value: v } };
}

const DOMAIN = /^[^\s/\\@:]+\.[^\s/\\@:]+$|^[^\s/\\@:.]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const HIVES: Record<string, string> = {
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKCU: 'HKEY_CURRENT_USER',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKU: 'HKEY_USERS',
  HKCC: 'HKEY_CURRENT_CONFIG',
};
/** STIX wants the full hive name (the schema refuses HKLM and friends). */
export function expandHive(key: string): string {
  const m = /^(HKLM|HKCU|HKCR|HKU|HKCC)(\\|$)/i.exec(key);
  return m ? HIVES[m[1]!.toUpperCase()]! + key.slice(m[1]!.length) : key;
}
function registryKeyOk(key: string): boolean {
  // The OASIS schema's `not pattern` is unanchored after its first branch: it refuses these anywhere.
  return key !== '' && !/^HKLM|HKCC|HKCR|HKCU|HKU|hklm|hkcc|hkcr|hkcu|hku/.test(key);
}

function hashOk(misp: string, value: string): boolean {
  const h = HASH_TYPES[misp];
  if (!h) return false;
  if (h.length) return new RegExp(`^[0-9a-fA-F]{${h.length}}$`).test(value);
  if (misp === 'ssdeep') return /^[a-zA-Z0-9/+:.]{1,128}$/.test(value);
  return /^[a-zA-Z0-9]{1,128}$/.test(value);
}
function hashCmp(misp: string, value: string): Comparison {
  return { path: `file:hashes.${pathKey(HASH_TYPES[misp]!.stix)}`, value };
}

function splitPair(value: string, last = false): [string, string] | null {
  const i = last ? value.lastIndexOf('|') : value.indexOf('|');
  if (i <= 0 || i === value.length - 1) return null;
  return [value.slice(0, i), value.slice(i + 1)];
}

function port(text: string): number | null {
  if (!/^\d{1,5}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n <= 65535 ? n : null;
}

const single = (draft: ScoDraft, cmps: Comparison[]): Observation => ({ drafts: [draft], patterns: [cmps] });

/** One standalone MISP attribute (an observable type) -> drafts + pattern, or why not. */
export function observeAttribute(a: Pick<MispAttribute, 'type' | 'value' | 'data'>): Observation | Refused {
  const type = a.type;
  const value = a.value;
  if (value.trim() === '') return { refused: 'empty value' };
  switch (type) {
    case 'ip-src':
    case 'ip-dst': {
      const ip = ipDraft(value);
      if (!ip) return { refused: `not an IP address or CIDR range: ${value}` };
      return single(ip, [{ path: `${ip.type}:value`, value: ip.props.value as string }]);
    }
    case 'ip-src|port':
    case 'ip-dst|port': {
      const pair = splitPair(value, true);
      const ip = pair && ipDraft(pair[0]);
      const p = pair && port(pair[1]);
      if (!ip || p === null || p === undefined) return { refused: `not an address|port pair: ${value}` };
      const side = type.startsWith('ip-src') ? 'src' : 'dst';
      return {
        drafts: [
          ip,
          {
            type: 'network-traffic',
            props: { [`${side}_port`]: p, protocols: [ip.type === 'ipv4-addr' ? 'ipv4' : 'ipv6'] },
            refs: { [`${side}_ref`]: 0 },
          },
        ],
        patterns: [
          [
            { path: `network-traffic:${side}_ref.value`, value: ip.props.value as string },
            { path: `network-traffic:${side}_port`, value: p },
          ],
        ],
      };
    }
    case 'domain':
    case 'hostname': {
      if (!DOMAIN.test(value)) return { refused: `not a domain name: ${value}` };
      return single({ type: 'domain-name', props: { value } }, [{ path: 'domain-name:value', value }]);
    }
    case 'domain|ip': {
      const pair = splitPair(value);
      const ip = pair && ipDraft(pair[1]);
      if (!pair || !ip || !DOMAIN.test(pair[0])) return { refused: `not a domain|ip pair: ${value}` };
      return {
        drafts: [ip, { type: 'domain-name', props: { value: pair[0] }, refs: { resolves_to_refs: [0] } }],
        patterns: [
          [
            { path: 'domain-name:value', value: pair[0] },
            { path: 'domain-name:resolves_to_refs[*].value', value: pair[1] },
          ],
        ],
      };
    }
    case 'url':
    case 'uri':
    case 'link': {
      const obs = single({ type: 'url', props: { value } }, [{ path: 'url:value', value }]);
      if (!isUri(value)) return { ...obs, drafts: [], noObservable: `not an absolute URL (a STIX url observable needs one): ${value}` };
      return obs;
    }
    case 'filename':
      return single({ type: 'file', props: { name: value } }, [{ path: 'file:name', value }]);
    case 'malware-sample':
    case 'filename|md5':
    case 'filename|sha1':
    case 'filename|sha256':
    case 'filename|sha512':
    case 'filename|sha3-256':
    case 'filename|sha3-512':
    case 'filename|ssdeep':
    case 'filename|tlsh': {
      const algo = type === 'malware-sample' ? 'md5' : type.slice('filename|'.length);
      const pair = splitPair(value, true);
      if (!pair || !hashOk(algo, pair[1])) return { refused: `not a filename|${algo} pair: ${value}` };
      return single({ type: 'file', props: { name: pair[0], hashes: { [HASH_TYPES[algo]!.stix]: pair[1] } } }, [
        { path: 'file:name', value: pair[0] },
        hashCmp(algo, pair[1]),
      ]);
    }
    case 'email':
    case 'email-src':
    case 'email-dst':
    case 'target-email': {
      if (!EMAIL.test(value)) return { refused: `not an e-mail address: ${value}` };
      return single({ type: 'email-addr', props: { value } }, [{ path: 'email-addr:value', value }]);
    }
    case 'email-subject':
      return single({ type: 'email-message', props: { is_multipart: false, subject: value } }, [
        { path: 'email-message:subject', value },
      ]);
    case 'AS': {
      const m = /^(?:AS)?\s*(\d{1,10})$/i.exec(value.trim());
      const n = m ? Number(m[1]) : NaN;
      if (!Number.isSafeInteger(n) || n > 4294967295) return { refused: `not an AS number: ${value}` };
      return single({ type: 'autonomous-system', props: { number: n } }, [{ path: 'autonomous-system:number', value: n }]);
    }
    case 'mutex':
      return single({ type: 'mutex', props: { name: value } }, [{ path: 'mutex:name', value }]);
    case 'regkey':
    case 'regkey|value': {
      let key = value;
      let data: string | null = null;
      if (type === 'regkey|value') {
        const pair = splitPair(value);
        if (!pair) return { refused: `not a regkey|value pair: ${value}` };
        [key, data] = pair;
      }
      key = expandHive(key);
      if (!registryKeyOk(key)) return { refused: `registry key the STIX schema refuses: ${key}` };
      const props: Record<string, unknown> = { key };
      const cmps: Comparison[] = [{ path: 'windows-registry-key:key', value: key }];
      if (data !== null) {
        props.values = [{ data }];
        cmps.push({ path: 'windows-registry-key:values[*].data', value: data });
      }
      return single({ type: 'windows-registry-key', props }, cmps);
    }
    case 'mac-address': {
      const mac = value.trim().toLowerCase().replace(/-/g, ':');
      if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) return { refused: `not a MAC-48 address: ${value}` };
      return single({ type: 'mac-addr', props: { value: mac } }, [{ path: 'mac-addr:value', value: mac }]);
    }
    case 'x509-fingerprint-md5':
    case 'x509-fingerprint-sha1':
    case 'x509-fingerprint-sha256': {
      const algo = type.slice('x509-fingerprint-'.length);
      if (!hashOk(algo, value)) return { refused: `not a ${algo} fingerprint: ${value}` };
      const stix = HASH_TYPES[algo]!.stix;
      return single({ type: 'x509-certificate', props: { hashes: { [stix]: value } } }, [
        { path: `x509-certificate:hashes.${pathKey(stix)}`, value },
      ]);
    }
    case 'user-agent':
      return {
        drafts: [],
        patterns: [[{ path: "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'", value }]],
        noObservable: 'a user agent alone is no STIX observable (network-traffic needs an address); only an indicator pattern can carry it (set to_ids)',
      };
    case 'attachment': {
      const name = value;
      if (!a.data) return { refused: 'attachment without its data' };
      return {
        drafts: [
          { type: 'artifact', props: { payload_bin: a.data } },
          { type: 'file', props: { name }, refs: { content_ref: 0 } },
        ],
        patterns: [[{ path: 'file:name', value: name }]],
      };
    }
    default:
      if (HASH_TYPES[type]) {
        if (!hashOk(type, value)) return { refused: `not a ${type} hash: ${value}` };
        return single({ type: 'file', props: { hashes: { [HASH_TYPES[type]!.stix]: value } } }, [hashCmp(type, value)]);
      }
      return { refused: `MISP attribute type '${type}' has no STIX mapping in Puente` };
  }
}

export interface ObjectObservation extends Observation {
  used: MispAttribute[];
  unused: { attribute: MispAttribute; reason: string }[];
}

const byRel = (attrs: MispAttribute[], ...rels: string[]) => attrs.filter((a) => a.objectRelation !== null && rels.includes(a.objectRelation));

/** A MISP object (file, domain-ip, url, email, ip-port, network-connection) -> combined observables. */
export function observeObject(o: MispObject): ObjectObservation | Refused {
  const attrs = o.attributes.filter((a) => !a.deleted);
  const used = new Set<MispAttribute>();
  const unusedReason = new Map<MispAttribute, string>();
  const drafts: ScoDraft[] = [];
  const cmps: Comparison[] = [];
  const patterns: Comparison[][] = [];
  const push = (d: ScoDraft) => drafts.push(d) - 1;
  const take = (a: MispAttribute) => used.add(a);
  const ips = (list: MispAttribute[]) => {
    const out: { idx: number; draft: ScoDraft; attr: MispAttribute }[] = [];
    for (const a of list) {
      const d = ipDraft(a.value);
      if (!d) unusedReason.set(a, `not an IP address: ${a.value}`);
      else out.push({ idx: push(d), draft: d, attr: a });
    }
    return out;
  };

  switch (o.name) {
    case 'file': {
      const props: Record<string, unknown> = {};
      const refs: Record<string, number> = {};
      const hashes: Record<string, string> = {};
      for (const a of attrs) {
        const rel = a.objectRelation ?? '';
        if (rel === 'filename' && props.name === undefined) {
          props.name = a.value;
          cmps.push({ path: 'file:name', value: a.value });
          take(a);
        } else if (HASH_TYPES[rel] && a.type === rel) {
          if (!hashOk(rel, a.value)) unusedReason.set(a, `not a ${rel} hash: ${a.value}`);
          else if (hashes[HASH_TYPES[rel]!.stix] === undefined) {
            hashes[HASH_TYPES[rel]!.stix] = a.value;
            cmps.push(hashCmp(rel, a.value));
            take(a);
          }
        } else if (rel === 'size-in-bytes' && /^\d{1,15}$/.test(a.value)) {
          props.size = Number(a.value);
          cmps.push({ path: 'file:size', value: Number(a.value) });
          take(a);
        } else if (rel === 'mimetype' && props.mime_type === undefined) {
          props.mime_type = a.value;
          cmps.push({ path: 'file:mime_type', value: a.value });
          take(a);
        } else if (rel === 'path' && refs.parent_directory_ref === undefined) {
          refs.parent_directory_ref = push({ type: 'directory', props: { path: a.value } });
          cmps.push({ path: 'file:parent_directory_ref.path', value: a.value });
          take(a);
        }
      }
      if (Object.keys(hashes).length > 0) props.hashes = hashes;
      if (props.name === undefined && props.hashes === undefined && refs.parent_directory_ref === undefined)
        return { refused: 'file object without a file name, path or hash' };
      push({ type: 'file', props, refs });
      patterns.push(cmps);
      break;
    }
    case 'domain-ip': {
      const addr = ips(byRel(attrs, 'ip', 'ip-dst', 'ip-src'));
      const domains = byRel(attrs, 'domain', 'hostname').filter((a) => {
        if (DOMAIN.test(a.value)) return true;
        unusedReason.set(a, `not a domain name: ${a.value}`);
        return false;
      });
      for (const x of addr) take(x.attr);
      if (domains.length === 0) {
        if (addr.length === 0) return { refused: 'domain-ip object without a domain or an address' };
        for (const x of addr) patterns.push([{ path: `${x.draft.type}:value`, value: x.draft.props.value as string }]);
        break;
      }
      for (const d of domains) {
        take(d);
        push({ type: 'domain-name', props: { value: d.value }, refs: addr.length ? { resolves_to_refs: addr.map((x) => x.idx) } : {} });
        patterns.push([
          { path: 'domain-name:value', value: d.value },
          ...addr.map((x) => ({ path: 'domain-name:resolves_to_refs[*].value', value: x.draft.props.value as string })),
        ]);
      }
      break;
    }
    case 'url': {
      const urls = byRel(attrs, 'url');
      if (urls.length === 0) return { refused: 'url object without a url' };
      for (const u of urls) {
        take(u);
        if (isUri(u.value)) push({ type: 'url', props: { value: u.value } });
        patterns.push([{ path: 'url:value', value: u.value }]);
      }
      break;
    }
    case 'ip-port':
    case 'network-connection': {
      const src = ips(byRel(attrs, 'ip-src'));
      const dst = ips(byRel(attrs, 'ip-dst', 'ip'));
      const srcPort = byRel(attrs, 'src-port');
      const dstPort = byRel(attrs, 'dst-port');
      const protocols = byRel(attrs, 'layer3-protocol', 'layer4-protocol', 'layer7-protocol', 'protocol');
      const s = src[0];
      const d = dst[0];
      if (!s && !d) return { refused: `${o.name} object without an IP address` };
      const props: Record<string, unknown> = {};
      const refs: Record<string, number> = {};
      const c: Comparison[] = [];
      if (s) {
        refs.src_ref = s.idx;
        c.push({ path: 'network-traffic:src_ref.value', value: s.draft.props.value as string });
        take(s.attr);
      }
      if (d) {
        refs.dst_ref = d.idx;
        c.push({ path: 'network-traffic:dst_ref.value', value: d.draft.props.value as string });
        take(d.attr);
      }
      for (const [list, key] of [
        [srcPort, 'src_port'],
        [dstPort, 'dst_port'],
      ] as const) {
        const a = list[0];
        if (!a) continue;
        const p = port(a.value);
        if (p === null) unusedReason.set(a, `not a port: ${a.value}`);
        else {
          props[key] = p;
          c.push({ path: `network-traffic:${key}`, value: p });
          take(a);
        }
      }
      const protos = protocols.map((a) => a.value.trim().toLowerCase()).filter((p) => /^[a-z0-9-]+$/.test(p));
      protocols.forEach((a) => /^[a-z0-9-]+$/i.test(a.value.trim()) && take(a));
      props.protocols = protos.length ? [...new Set(protos)] : [(s ?? d)!.draft.type === 'ipv4-addr' ? 'ipv4' : 'ipv6'];
      push({ type: 'network-traffic', props, refs });
      patterns.push(c);
      break;
    }
    case 'email': {
      const props: Record<string, unknown> = { is_multipart: false };
      const refs: Record<string, number | number[]> = {};
      for (const [rel, key, many] of [
        ['from', 'from_ref', false],
        ['to', 'to_refs', true],
        ['cc', 'cc_refs', true],
        ['bcc', 'bcc_refs', true],
      ] as const) {
        const list = byRel(attrs, rel).filter((a) => {
          if (EMAIL.test(a.value)) return true;
          unusedReason.set(a, `not an e-mail address: ${a.value}`);
          return false;
        });
        const chosen = many ? list : list.slice(0, 1);
        if (chosen.length === 0) continue;
        const idx = chosen.map((a) => {
          take(a);
          cmps.push({ path: `email-message:${key}${many ? '[*]' : ''}.value`, value: a.value });
          return push({ type: 'email-addr', props: { value: a.value } });
        });
        refs[key] = many ? idx : idx[0]!;
      }
      for (const [rel, key] of [
        ['subject', 'subject'],
        ['email-body', 'body'],
        ['message-id', 'message_id'],
      ] as const) {
        const a = byRel(attrs, rel)[0];
        if (!a) continue;
        props[key] = a.value;
        cmps.push({ path: `email-message:${key}`, value: a.value });
        take(a);
      }
      if (cmps.length === 0) return { refused: 'email object without sender, recipients, subject, body or message id' };
      push({ type: 'email-message', props, refs });
      patterns.push(cmps);
      break;
    }
    default:
      return { refused: `MISP object '${o.name}' has no STIX mapping in Puente` };
  }
  const unused = attrs
    .filter((a) => !used.has(a))
    .map((a) => ({
      attribute: a,
      reason: unusedReason.get(a) ?? `relation '${a.objectRelation ?? ''}' (type ${a.type}) of a ${o.name} object has no STIX property in this mapping`,
    }));
  return { drafts, patterns, used: [...used], unused };
}
