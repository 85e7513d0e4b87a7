import { v5 as uuidv5 } from 'uuid';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { Tlp } from '../../../platform/access/policy.js';

/** STIX 2.1 §2.9: namespace of the deterministic (UUIDv5) identifiers of SCOs. */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Puente's namespace for ids derived from MISP uuids (fixed forever: changing it breaks re-imports). */
export const PUENTE_MISP_NAMESPACE = 'ecac8332-2c80-4b65-86bd-95a229bb6083';

/** A STIX id derived from a MISP uuid (or any stable key), e.g. `indicator--<v5>`. */
export function derivedId(type: string, key: string): string {
  return `${type}--${uuidv5(`${type}:${key}`, PUENTE_MISP_NAMESPACE)}`;
}

/** RFC 8785 (JCS) for the JSON values SCO id-contributing properties hold (strings, integers, arrays, objects). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** STIX 2.1 §6 (per object): the id-contributing properties of each SCO type. */
export const ID_CONTRIBUTING: Record<string, string[]> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/** STIX 2.1 §2.9: only one hash contributes, by preference MD5, SHA-1, SHA-256, SHA-512, else the first. */
function chooseOneHash(hashes: Record<string, string>): Record<string, string> | null {
  for (const k of ['MD5', 'SHA-1', 'SHA-256', 'SHA-512']) if (k in hashes) return { [k]: hashes[k]! };
  const first = Object.keys(hashes)[0];
  return first === undefined ? null : { [first]: hashes[first]! };
}

/** The deterministic id of an SCO (UUIDv5 of the JCS of its id-contributing properties). */
export function scoId(type: string, props: Record<string, unknown>): string {
  const contributing = ID_CONTRIBUTING[type] ?? [];
  const picked: Record<string, unknown> = {};
  for (const key of contributing) {
    const v = props[key];
    if (v === undefined) continue;
    if (key === 'hashes') {
      const one = chooseOneHash(v as Record<string, string>);
      if (one) picked.hashes = one;
    } else picked[key] = v;
  }
  if (Object.keys(picked).length === 0) throw new Error(`SCO ${type} without id-contributing properties`);
  return `${type}--${uuidv5(canonicalJson(picked), STIX_SCO_NAMESPACE)}`;
}

/** A STIX timestamp (millisecond precision, UTC) from MISP epoch seconds (string or number). */
export function isoFromEpoch(epoch: number): string {
  return new Date(epoch * 1000).toISOString();
}

/** A STIX string literal: single quotes, backslash and quote escaped (STIX 2.1 §9.2). */
export function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The inverse of stixString for a literal body (between the quotes). */
export function unescapeStixString(body: string): string {
  return body.replace(/\\(.)/g, '$1');
}

/** As the OASIS schemas check `format: uri` (ajv-formats, full mode): an absolute URI. */
export function isUri(value: string): boolean {
  const f = fullFormats.uri as unknown as (s: string) => boolean;
  return f(value);
}

/** MISP hash attribute types and their STIX hash names (hash-algorithm-ov), with the hex length when fixed. */
export const HASH_TYPES: Record<string, { stix: string; length?: number }> = {
  md5: { stix: 'MD5', length: 32 },
  sha1: { stix: 'SHA-1', length: 40 },
  sha256: { stix: 'SHA-256', length: 64 },
  sha512: { stix: 'SHA-512', length: 128 },
  'sha3-256': { stix: 'SHA3-256', length: 64 },
  'sha3-512': { stix: 'SHA3-512', length: 128 },
  ssdeep: { stix: 'SSDEEP' },
  tlsh: { stix: 'TLSH' },
};
export const HASH_BY_STIX: Record<string, string> = Object.fromEntries(
  Object.entries(HASH_TYPES).map(([misp, h]) => [h.stix.toUpperCase(), misp]),
);

/** MISP tlp taxonomy tag -> Tlp (tlp:white is TLP 1.0 for CLEAR). null when not a TLP tag; 'unknown' for tlp:<other>. */
export function tlpOfTag(name: string): Tlp | 'unknown' | null {
  const m = /^tlp\s*:\s*(.+)$/i.exec(name.trim());
  if (!m) return null;
  const level = m[1]!.trim().replace(/^"|"$/g, '').toLowerCase();
  switch (level) {
    case 'white':
    case 'clear':
      return 'CLEAR';
    case 'green':
      return 'GREEN';
    case 'amber':
      return 'AMBER';
    case 'amber+strict':
      return 'AMBER+STRICT';
    case 'red':
      return 'RED';
    default:
      return 'unknown';
  }
}

/** Tlp -> the MISP tlp taxonomy tag (TLP 2.0 names; tlp:clear is in the MISP taxonomy since 2022). */
export function tagOfTlp(tlp: Tlp): string {
  return `tlp:${tlp.toLowerCase()}`;
}

/** The misp property of the Puente extension on what was imported, so an export can give back the MISP details. */
export interface MispHint {
  uuid: string;
  type?: string;
  category?: string;
  comment?: string;
  object_name?: string;
  object_relation?: string;
}
