/**
 * STIX 2.1 validation: the OASIS JSON schemas (shipped in ./schemas, ajv draft 2020-12, compiled
 * once per type on first use) plus the rules the schemas cannot express (STIX 2.1 errata 01):
 * identifier form (§2.9), timestamp form and order (§2.16, §3.2 and the per-object property tables),
 * reference types (§3.1 and the property tables of §4–§7), STIX patterning syntax for
 * `indicator.pattern` with `pattern_type: 'stix'`, spec_version, self-references and reference cycles.
 *
 * Validation never changes the object: custom object types, custom properties and extensions are
 * checked against the common core schema only and are kept as they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Import from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { checkPattern } from './pattern.js';

export interface StixProblem {
  id: string | null;
  type: string | null;
  property: string;
  rule: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Object families

export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator',
  'infrastructure', 'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data',
  'opinion', 'report', 'threat-actor', 'tool', 'vulnerability',
]);
export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);
export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file',
  'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url',
  'user-account', 'windows-registry-key', 'x509-certificate',
]);
export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'extension-definition', 'language-content']);

type Family = 'sdo' | 'sro' | 'sco' | 'meta' | 'bundle';

/** Custom types are SDOs unless an extension definition declares them a new SCO or SRO (§7.3). */
function familyOf(type: string, obj: Record<string, unknown> | null): Family {
  if (SDO_TYPES.has(type)) return 'sdo';
  if (SCO_TYPES.has(type)) return 'sco';
  if (SRO_TYPES.has(type)) return 'sro';
  if (META_TYPES.has(type)) return 'meta';
  if (type === 'bundle') return 'bundle';
  const ext = obj?.extensions;
  if (ext && typeof ext === 'object' && !Array.isArray(ext)) {
    for (const v of Object.values(ext)) {
      const kind = v && typeof v === 'object' ? (v as Record<string, unknown>).extension_type : undefined;
      if (kind === 'new-sco') return 'sco';
      if (kind === 'new-sro') return 'sro';
    }
  }
  return 'sdo';
}

// ---------------------------------------------------------------------------------------------
// Schemas (compiled once, lazily, per type)

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas');
const SCHEMA_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/**
 * The OASIS type-name pattern `^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\-?$` backtracks exponentially
 * (a 27-character non-matching type takes seconds): `([a-z][a-z0-9]*)+` is rewritten to the
 * equivalent `[a-z][a-z0-9]*`. The schema files themselves stay unmodified.
 */
function safeRegExp(pattern: string, flags: string): { test(s: string): boolean; toString(): string } {
  const re = new RegExp(pattern.split('([a-z][a-z0-9]*)+').join('[a-z][a-z0-9]*'), flags);
  // The common schema's patternProperties (`^[a-z][a-z0-9_]{0,245}_hex$`, `…_bin$`) run on every
  // property of every object, and almost never match: a name without the literal ending cannot.
  const suffix = literalSuffix(pattern, flags);
  // ajv keys its pattern cache by toString(): keep it the regex's own.
  return suffix ? { test: (s: string) => s.endsWith(suffix) && re.test(s), toString: () => re.toString() } : re;
}

/** The literal text a pattern's every match must end with ('' when there is none to rely on). */
export function literalSuffix(pattern: string, flags = ''): string {
  if (flags.includes('i') || flags.includes('m') || pattern.includes('|') || !pattern.endsWith('$') || pattern.endsWith('\\$')) return '';
  let k = pattern.length - 1;
  while (k > 0 && /[A-Za-z0-9_]/.test(pattern[k - 1]!)) k--;
  // An escaped first letter (`\d…`) or a quantifier target is not a literal.
  if (k > 0 && pattern[k - 1] === '\\') k++;
  const run = pattern.slice(k, pattern.length - 1);
  return run.length >= 2 ? run : '';
}
safeRegExp.code = 'new RegExp';

// ajv is CommonJS: under Node's ESM loader the default import is module.exports, whose `default` is the class.
const Ajv2020 = ((Ajv2020Import as unknown as { default?: typeof Ajv2020Import }).default ?? Ajv2020Import) as typeof Ajv2020Import;

interface Compiled {
  ajv: InstanceType<typeof Ajv2020>;
  byType: Map<string, ValidateFunction>;
}
/** `fast` stops at the first error (the common, valid case); `full` collects all errors for the report. */
let compiled: { fast: Compiled; full: Compiled } | null = null;

function makeAjv(allErrors: boolean): Compiled {
  const ajv = new Ajv2020({
    strict: false, // the OASIS files use `definitions`, titles inside allOf, etc.
    allErrors,
    unicodeRegExp: false, // the OASIS patterns contain `\-` outside classes, invalid with the u flag
    code: { regExp: safeRegExp },
    validateFormats: true,
  });
  addFormats.default(ajv);
  for (const sub of ['common', 'sdos', 'sros', 'observables']) {
    const dir = path.join(SCHEMA_DIR, sub);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    }
  }
  return { ajv, byType: new Map() };
}

function schemaSet(full: boolean): Compiled {
  if (!compiled) compiled = { fast: makeAjv(false), full: makeAjv(true) };
  return full ? compiled.full : compiled.fast;
}

function schemaIdFor(type: string, family: Family): string {
  if (SDO_TYPES.has(type)) return `${SCHEMA_BASE}sdos/${type}.json`;
  if (SRO_TYPES.has(type)) return `${SCHEMA_BASE}sros/${type}.json`;
  if (SCO_TYPES.has(type)) return `${SCHEMA_BASE}observables/${type}.json`;
  if (META_TYPES.has(type) || type === 'bundle') return `${SCHEMA_BASE}common/${type}.json`;
  return `${SCHEMA_BASE}common/${family === 'sco' ? 'cyber-observable-core' : 'core'}.json`;
}

function validatorFor(type: string, family: Family, full: boolean): ValidateFunction {
  const s = schemaSet(full);
  const key = SDO_TYPES.has(type) || SRO_TYPES.has(type) || SCO_TYPES.has(type) || META_TYPES.has(type) ? type : `*${family}`;
  let fn = s.byType.get(key);
  if (!fn) {
    fn = s.ajv.getSchema(schemaIdFor(type, family));
    if (!fn) throw new Error(`STIX schema for ${type} is missing`);
    s.byType.set(key, fn);
  }
  return fn;
}

// ---------------------------------------------------------------------------------------------
// Identifiers and timestamps

const TYPE_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-?$/;
const ID_RE = /^([a-z][a-z0-9-]*[a-z0-9])--([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-([0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{12})$/;
const TS_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/** `<type>--<RFC 4122 UUID>` (variant 10xx, versions 1–5); null when it is not an identifier. */
export function parseIdentifier(v: unknown): { type: string; version: number } | null {
  if (typeof v !== 'string' || v.length > 300) return null;
  const m = ID_RE.exec(v);
  if (!m) return null;
  const version = parseInt(m[3], 16);
  const variant = parseInt(m[4], 16);
  if (version < 1 || version > 5 || (variant & 0xc) !== 0x8) return null;
  return { type: m[1], version };
}

/** Why a timestamp is not an RFC 3339 UTC STIX timestamp, or null when it is one. */
function timestampFault(v: unknown, millis: boolean): string | null {
  if (typeof v !== 'string') return 'is not a string timestamp';
  const m = TS_RE.exec(v);
  if (!m) return `'${v.slice(0, 40)}' is not an RFC 3339 timestamp in UTC of the form YYYY-MM-DDTHH:mm:ss[.s+]Z`;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] || h > 23 || mi > 59 || s > 60)
    return `'${v}' is not a real date and time`;
  if (millis && (m[7] === undefined || m[7].length < 3))
    return `'${v}' must be precise to at least the millisecond (three digits after the decimal point)`;
  return null;
}

/** Compare two well-formed timestamps (any fraction length): <0, 0, >0. */
function compareTs(a: string, b: string): number {
  const [ab, af = ''] = a.slice(0, -1).split('.');
  const [bb, bf = ''] = b.slice(0, -1).split('.');
  if (ab !== bb) return ab < bb ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const pa = af.padEnd(n, '0');
  const pb = bf.padEnd(n, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

/** Timestamp-typed properties per type (paths of plain properties; nested ones handled below). */
const TIMESTAMP_PROPS: Record<string, string[]> = {
  campaign: ['first_seen', 'last_seen'],
  indicator: ['valid_from', 'valid_until'],
  infrastructure: ['first_seen', 'last_seen'],
  'intrusion-set': ['first_seen', 'last_seen'],
  'language-content': ['object_modified'],
  malware: ['first_seen', 'last_seen'],
  'malware-analysis': ['submitted', 'analysis_started', 'analysis_ended'],
  'observed-data': ['first_observed', 'last_observed'],
  report: ['published'],
  relationship: ['start_time', 'stop_time'],
  sighting: ['first_seen', 'last_seen'],
  'threat-actor': ['first_seen', 'last_seen'],
  directory: ['ctime', 'mtime', 'atime'],
  'email-message': ['date'],
  file: ['ctime', 'mtime', 'atime'],
  'network-traffic': ['start', 'end'],
  process: ['created_time'],
  'user-account': ['account_created', 'account_expires', 'credential_last_changed', 'account_first_login', 'account_last_login'],
  'windows-registry-key': ['modified_time'],
  'x509-certificate': ['validity_not_before', 'validity_not_after'],
};

/** [earlier, later, strict] pairs: strict means later must be strictly after earlier. */
const ORDER_RULES: Record<string, [string, string, boolean][]> = {
  indicator: [['valid_from', 'valid_until', true]],
  relationship: [['start_time', 'stop_time', true]],
  'observed-data': [['first_observed', 'last_observed', false]],
  campaign: [['first_seen', 'last_seen', false]],
  'intrusion-set': [['first_seen', 'last_seen', false]],
  'threat-actor': [['first_seen', 'last_seen', false]],
  malware: [['first_seen', 'last_seen', false]],
  infrastructure: [['first_seen', 'last_seen', false]],
  sighting: [['first_seen', 'last_seen', false]],
};

// ---------------------------------------------------------------------------------------------
// Reference types

/** Allowed target types: a list of types, or a predicate on the target's type. */
type Target = readonly string[] | ((type: string) => boolean);

const isSdoOrSco = (t: string) => !SRO_TYPES.has(t) && !META_TYPES.has(t) && t !== 'bundle';
const isSdo = (t: string) => familyOf(t, null) === 'sdo';
const isSco = (t: string) => SCO_TYPES.has(t) || (!SDO_TYPES.has(t) && !SRO_TYPES.has(t) && !META_TYPES.has(t) && t !== 'bundle');
const isScoOrSro = (t: string) => !SDO_TYPES.has(t) && !META_TYPES.has(t) && t !== 'bundle';
const notBundle = (t: string) => t !== 'bundle';

const COMMON_REFS: Record<string, Target> = {
  created_by_ref: ['identity'],
  object_marking_refs: ['marking-definition'],
  'granular_markings.*.marking_ref': ['marking-definition'],
};

/** Per type, per property; nested objects use '<prop>.<key>' with '*' for any key / list element. */
const TYPE_REFS: Record<string, Record<string, Target>> = {
  relationship: { source_ref: isSdoOrSco, target_ref: isSdoOrSco },
  sighting: { sighting_of_ref: isSdo, observed_data_refs: ['observed-data'], where_sighted_refs: ['identity', 'location'] },
  malware: { sample_refs: ['file', 'artifact'], operating_system_refs: ['software'] },
  'malware-analysis': {
    host_vm_ref: ['software'], operating_system_ref: ['software'], installed_software_refs: ['software'],
    analysis_sco_refs: isSco, sample_ref: ['file', 'artifact', 'network-traffic'],
  },
  'observed-data': { object_refs: isScoOrSro },
  grouping: { object_refs: notBundle },
  report: { object_refs: notBundle },
  note: { object_refs: notBundle },
  opinion: { object_refs: notBundle },
  'language-content': { object_ref: (t) => t !== 'bundle' && t !== 'language-content' },
  directory: { contains_refs: ['file', 'directory'] },
  'domain-name': { resolves_to_refs: ['ipv4-addr', 'ipv6-addr', 'domain-name'] },
  'email-addr': { belongs_to_ref: ['user-account'] },
  'email-message': {
    from_ref: ['email-addr'], sender_ref: ['email-addr'], to_refs: ['email-addr'], cc_refs: ['email-addr'],
    bcc_refs: ['email-addr'], raw_email_ref: ['artifact'], 'body_multipart.*.body_raw_ref': ['artifact', 'file'],
  },
  file: {
    parent_directory_ref: ['directory'], content_ref: ['artifact'], contains_refs: isSco,
    'extensions.archive-ext.contains_refs': ['file', 'directory'],
  },
  'ipv4-addr': { resolves_to_refs: ['mac-addr'], belongs_to_refs: ['autonomous-system'] },
  'ipv6-addr': { resolves_to_refs: ['mac-addr'], belongs_to_refs: ['autonomous-system'] },
  'network-traffic': {
    src_ref: ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
    dst_ref: ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'],
    src_payload_ref: ['artifact'], dst_payload_ref: ['artifact'],
    encapsulates_refs: ['network-traffic'], encapsulated_by_ref: ['network-traffic'],
    'extensions.http-request-ext.message_body_data_ref': ['artifact'],
  },
  process: {
    opened_connection_refs: ['network-traffic'], creator_user_ref: ['user-account'], image_ref: ['file'],
    parent_ref: ['process'], child_refs: ['process'], 'extensions.windows-service-ext.service_dll_refs': ['file'],
  },
  'windows-registry-key': { creator_user_ref: ['user-account'] },
};

const SPECIFIC = new Map<string, Record<string, Target>>();

function describeTarget(t: Target): string {
  if (typeof t !== 'function') return t.length === 1 ? `a ${t[0]}` : `one of ${t.join(', ')}`;
  if (t === isSdoOrSco) return 'an SDO or SCO (not a relationship, sighting, marking, language content or bundle)';
  if (t === isSdo) return 'an SDO';
  if (t === isSco) return 'a cyber-observable object';
  if (t === isScoOrSro) return 'a cyber-observable object or a relationship';
  return 'an allowed object type';
}

function targetAllows(t: Target, type: string): boolean {
  return typeof t === 'function' ? t(type) : t.includes(type);
}

// ---------------------------------------------------------------------------------------------
// validateObject

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function pathOf(instancePath: string): string {
  if (!instancePath) return '';
  let out = '';
  for (const seg of instancePath.slice(1).split('/')) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  }
  return out;
}

function schemaProblems(errors: ErrorObject[], id: string | null, type: string | null): StixProblem[] {
  const out: StixProblem[] = [];
  const seen = new Set<string>();
  const who = id ?? (type ? `object of type ${type}` : 'object');
  for (const e of errors) {
    // Combinator wrappers only repeat what their branches said.
    if (e.keyword === 'if' || e.keyword === 'allOf') continue;
    let property = pathOf(e.instancePath);
    let text: string;
    if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      property = property ? `${property}.${missing}` : missing;
      text = `the required property '${property}' is missing`;
    } else if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      property = property ? `${property}.${extra}` : extra;
      text = `the property name '${property}' is not allowed (names are lower case, 3 to 250 characters, words separated by '_')`;
    } else if (e.keyword === 'not' && !property) {
      text = 'uses a reserved property name (severity, action, username, phone_numbers) or a reserved type';
    } else {
      text = `${property ? `property '${property}'` : 'the object'} ${e.message ?? 'is invalid'}`;
      if (e.keyword === 'enum') text += ` (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')})`;
    }
    const key = `${property}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id, type, property, rule: 'schema', message: `${who}: ${text} (OASIS STIX 2.1 schema)` });
    if (out.length >= 12) break;
  }
  return out;
}

interface Ctx {
  id: string | null;
  type: string | null;
  out: StixProblem[];
}

function add(ctx: Ctx, property: string, rule: string, text: string) {
  ctx.out.push({ id: ctx.id, type: ctx.type, property, rule, message: `${ctx.id ?? 'object'}: ${text}` });
}

function isCustomProperty(prop: string): boolean {
  return prop.startsWith('x_');
}

/** Check one reference value (string) at `where`, with allowed targets `target` (or any). */
function checkRef(ctx: Ctx, where: string, value: unknown, target: Target | undefined, customEmptyOk: boolean) {
  if (customEmptyOk && value === '') return;
  const ref = parseIdentifier(value);
  if (!ref) {
    add(ctx, where, 'reference', `property '${where}' must be a STIX identifier (<type>--<RFC 4122 UUID>), got ${JSON.stringify(value)?.slice(0, 80)}`);
    return;
  }
  // An identity that names itself as its creator is common in real feeds (OpenCTI, MISP exports) and harmless.
  if (ctx.id !== null && value === ctx.id && !(where === 'created_by_ref' && ref.type === 'identity')) {
    add(ctx, where, 'self-reference', `property '${where}' refers to the object itself`);
    return;
  }
  if (target && !targetAllows(target, ref.type)) {
    add(ctx, where, 'reference-type', `property '${where}' refers to a ${ref.type}, but must refer to ${describeTarget(target)}`);
  }
}

/**
 * Walk every property; each `*_ref` must hold an identifier and each `*_refs` a list of them, also
 * inside extensions and embedded objects. `specific` maps dotted paths ('*' = any key or element) to
 * the allowed target types.
 */
function walkRefs(ctx: Ctx, node: unknown, path: string, pattern: string, specific: Record<string, Target>, custom: boolean) {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v = node[i];
      if (v && typeof v === 'object') walkRefs(ctx, v, `${path}[${i}]`, pattern ? `${pattern}.*` : '*', specific, custom);
    }
    return;
  }
  if (!isObj(node)) return;
  for (const key in node) {
    const v = node[key];
    const isRef = key.endsWith('_ref');
    const isRefs = !isRef && key.endsWith('_refs');
    if (!isRef && !isRefs && (v === null || typeof v !== 'object')) continue;
    const p = path ? `${path}.${key}` : key;
    const pat = pattern ? `${pattern}.${key}` : key;
    const isCustom = custom || isCustomProperty(key);
    if (isRef) {
      checkRef(ctx, p, v, specific[pat], isCustom);
    } else if (isRefs) {
      const target = specific[pat];
      if (!Array.isArray(v)) {
        add(ctx, p, 'reference', `property '${p}' must be a list of STIX identifiers`);
      } else {
        for (let i = 0; i < v.length; i++) checkRef(ctx, `${p}[${i}]`, v[i], target, isCustom);
      }
    } else {
      if (!path && key === 'objects' && ctx.type === 'observed-data') continue; // deprecated container: local keys
      walkRefs(ctx, v, p, pat, specific, isCustom);
    }
  }
}

/** The deprecated observable container of observed-data (§2.13): references are local keys. */
function checkObservableContainer(ctx: Ctx, objects: unknown) {
  if (!isObj(objects)) return;
  for (const [key, o] of Object.entries(objects)) {
    if (!isObj(o)) continue;
    const t = typeof o.type === 'string' ? o.type : '';
    const table = TYPE_REFS[t] ?? {};
    for (const [prop, v] of Object.entries(o)) {
      if (!prop.endsWith('_ref') && !prop.endsWith('_refs')) continue;
      const where = `objects.${key}.${prop}`;
      const vals = prop.endsWith('_refs') ? (Array.isArray(v) ? v : [v]) : [v];
      for (const r of vals) {
        if (typeof r !== 'string' || !isObj(objects[r])) {
          add(ctx, where, 'reference', `property '${where}' refers to '${String(r)}', which is not a key of the observable container`);
          continue;
        }
        const target = table[prop];
        const rt = (objects[r] as Record<string, unknown>).type;
        if (target && typeof rt === 'string' && !targetAllows(target, rt))
          add(ctx, where, 'reference-type', `property '${where}' refers to a ${rt}, but must refer to ${describeTarget(target)}`);
      }
    }
  }
}

function checkTimestamps(ctx: Ctx, obj: Record<string, unknown>, type: string, family: Family) {
  const valid = new Set<string>();
  const check = (where: string, v: unknown, millis: boolean) => {
    const fault = timestampFault(v, millis);
    if (fault) add(ctx, where, 'timestamp', `property '${where}' ${fault}`);
    else valid.add(where);
  };
  if (family !== 'sco') {
    for (const p of ['created', 'modified']) if (p in obj) check(p, obj[p], true);
  }
  for (const p of TIMESTAMP_PROPS[type] ?? []) if (p in obj) check(p, obj[p], false);
  if (type === 'x509-certificate' && isObj(obj.x509_v3_extensions)) {
    for (const p of ['private_key_usage_period_not_before', 'private_key_usage_period_not_after'])
      if (p in obj.x509_v3_extensions) check(`x509_v3_extensions.${p}`, obj.x509_v3_extensions[p], false);
  }
  if (type === 'file' && isObj(obj.extensions) && isObj(obj.extensions['windows-pebinary-ext'])) {
    const pe = obj.extensions['windows-pebinary-ext'];
    if ('time_date_stamp' in pe) check('extensions.windows-pebinary-ext.time_date_stamp', pe.time_date_stamp, false);
  }
  if (valid.has('created') && valid.has('modified') && compareTs(obj.modified as string, obj.created as string) < 0)
    add(ctx, 'modified', 'timestamp-order', `'modified' (${obj.modified}) is earlier than 'created' (${obj.created})`);
  for (const [a, b, strict] of ORDER_RULES[type] ?? []) {
    if (!valid.has(a) || !valid.has(b)) continue;
    const c = compareTs(obj[b] as string, obj[a] as string);
    if (c < 0 || (strict && c === 0))
      add(ctx, b, 'timestamp-order', `'${b}' (${obj[b]}) must be ${strict ? 'later than' : 'the same as or later than'} '${a}' (${obj[a]})`);
  }
}

/**
 * Validate one STIX 2.1 object against its OASIS schema and the extra rules. [] when valid.
 * The object is never modified.
 */
export function validateObject(obj: unknown): StixProblem[] {
  if (!isObj(obj)) {
    return [{ id: null, type: null, property: '', rule: 'schema', message: 'a STIX object must be a JSON object' }];
  }
  const id = typeof obj.id === 'string' ? obj.id : null;
  const type = typeof obj.type === 'string' ? obj.type : null;
  const ctx: Ctx = { id, type, out: [] };
  if (type === null || !TYPE_RE.test(type) || type.length < 3 || type.length > 250) {
    add(ctx, 'type', 'schema', type === null
      ? "the required property 'type' is missing or not a string"
      : `'type' ${JSON.stringify(type.slice(0, 60))} is not a STIX type name (lower case letters, digits and '-', 3 to 250 characters)`);
    return ctx.out;
  }
  if (type === 'bundle') {
    add(ctx, 'type', 'schema', "'type' is 'bundle': a bundle is not a STIX object; send its objects");
    return ctx.out;
  }
  const family = familyOf(type, obj);

  // identifier
  const ident = parseIdentifier(obj.id);
  if (obj.id === undefined) add(ctx, 'id', 'identifier', "the required property 'id' is missing");
  else if (!ident) add(ctx, 'id', 'identifier', `'id' ${JSON.stringify(String(obj.id).slice(0, 80))} is not of the form ${type}--<RFC 4122 UUID>`);
  else if (ident.type !== type) add(ctx, 'id', 'identifier', `'id' starts with '${ident.type}--' but the object's type is '${type}'`);
  else if (family === 'sco' && ident.version !== 4 && ident.version !== 5)
    add(ctx, 'id', 'identifier', `a cyber-observable object's id must use a version 4 or version 5 UUID, not version ${ident.version}`);

  // spec_version
  if ('spec_version' in obj) {
    if (obj.spec_version !== '2.1') add(ctx, 'spec_version', 'spec-version', `'spec_version' must be '2.1', got ${JSON.stringify(obj.spec_version)}`);
  } else if (family !== 'sco') {
    add(ctx, 'spec_version', 'spec-version', "the required property 'spec_version' is missing (it must be '2.1')");
  }

  checkTimestamps(ctx, obj, type, family);

  // references
  let specific = SPECIFIC.get(type);
  if (!specific) SPECIFIC.set(type, (specific = { ...COMMON_REFS, ...(TYPE_REFS[type] ?? {}) }));
  walkRefs(ctx, obj, '', '', specific, false);
  if (type === 'observed-data') checkObservableContainer(ctx, obj.objects);

  // pattern
  if (type === 'indicator' && obj.pattern_type === 'stix' && typeof obj.pattern === 'string') {
    const fault = checkPattern(obj.pattern);
    if (fault) add(ctx, 'pattern', 'pattern', `'pattern' is not valid STIX patterning at offset ${fault.position}: ${fault.message}`);
  }

  // schema (problems on a property already reported by a precise rule are not repeated)
  if (!validatorFor(type, family, false)(obj)) {
    const validate = validatorFor(type, family, true);
    validate(obj);
    const covered = new Set(ctx.out.map((p) => p.property.replace(/\[\d+\]$/, '')));
    for (const p of schemaProblems(validate.errors ?? [], id, type)) {
      if (!covered.has(p.property.replace(/\[\d+\]$/, ''))) ctx.out.push(p);
    }
  }
  return ctx.out;
}

// ---------------------------------------------------------------------------------------------
// validateBundleShape

/** The bundle envelope (§8): type 'bundle', id 'bundle--<uuid>', objects a non-empty list of objects. */
export function validateBundleShape(bundle: unknown): StixProblem[] {
  if (!isObj(bundle)) return [{ id: null, type: null, property: '', rule: 'bundle', message: 'a STIX bundle must be a JSON object' }];
  const id = typeof bundle.id === 'string' ? bundle.id : null;
  const ctx: Ctx = { id, type: 'bundle', out: [] };
  if (bundle.type !== 'bundle') add(ctx, 'type', 'bundle', `'type' must be 'bundle', got ${JSON.stringify(bundle.type)}`);
  const ident = parseIdentifier(bundle.id);
  if (!ident || ident.type !== 'bundle') add(ctx, 'id', 'identifier', `'id' must be of the form bundle--<RFC 4122 UUID>, got ${JSON.stringify(bundle.id)?.slice(0, 80)}`);
  if ('spec_version' in bundle)
    add(ctx, 'spec_version', 'spec-version', "a STIX 2.1 bundle has no 'spec_version' (this looks like a STIX 2.0 bundle)");
  // 'objects' is optional in STIX 2.1 (a bundle may carry nothing), but never an empty list.
  // Elements that are not objects are the business of validateObject: they are rejected one by
  // one with the rest of the bundle going ahead.
  if (!('objects' in bundle)) return ctx.out;
  if (!Array.isArray(bundle.objects)) add(ctx, 'objects', 'bundle', "'objects' must be a list of STIX objects");
  else if (bundle.objects.length === 0) add(ctx, 'objects', 'bundle', "'objects' must not be an empty list (omit it instead)");
  return ctx.out;
}

// ---------------------------------------------------------------------------------------------
// referenceCycles

/**
 * Hierarchical references, each oriented "towards the parent/container" so that a consistent pair
 * (process A child_refs [B] and process B parent_ref A) is one edge B→A and not a cycle.
 */
function hierarchyEdges(o: Record<string, unknown>, id: string): { from: string; to: string; property: string }[] {
  const out: { from: string; to: string; property: string }[] = [];
  const up = (prop: string, v: unknown) => { if (typeof v === 'string') out.push({ from: id, to: v, property: prop }); };
  const down = (prop: string, v: unknown) => {
    if (Array.isArray(v)) v.forEach((x) => { if (typeof x === 'string') out.push({ from: x, to: id, property: prop }); });
  };
  up('created_by_ref', o.created_by_ref);
  if (o.type === 'marking-definition' && Array.isArray(o.object_marking_refs))
    o.object_marking_refs.forEach((x) => up('object_marking_refs', x));
  switch (o.type) {
    case 'process': up('parent_ref', o.parent_ref); down('child_refs', o.child_refs); break;
    case 'file': {
      up('parent_directory_ref', o.parent_directory_ref);
      down('contains_refs', o.contains_refs);
      const ext = isObj(o.extensions) ? o.extensions['archive-ext'] : undefined;
      if (isObj(ext)) down('extensions.archive-ext.contains_refs', ext.contains_refs);
      break;
    }
    case 'directory': down('contains_refs', o.contains_refs); break;
    case 'network-traffic': up('encapsulated_by_ref', o.encapsulated_by_ref); down('encapsulates_refs', o.encapsulates_refs); break;
  }
  return out;
}

/**
 * Self-references and cycles through hierarchical references (process parent/child, directory and
 * archive containment, file parent directory, traffic encapsulation, created_by_ref chains, markings
 * of marking definitions) inside a set of objects. References to objects outside the set are ignored.
 */
export function referenceCycles(objects: Record<string, unknown>[]): StixProblem[] {
  const out: StixProblem[] = [];
  const typeOf = new Map<string, string>();
  const graph = new Map<string, { to: string; property: string }[]>();
  for (const o of objects) {
    if (!isObj(o) || typeof o.id !== 'string') continue;
    typeOf.set(o.id, typeof o.type === 'string' ? o.type : '');
  }
  const selfSeen = new Set<string>();
  for (const o of objects) {
    if (!isObj(o) || typeof o.id !== 'string') continue;
    for (const e of hierarchyEdges(o, o.id)) {
      if (e.from === e.to) {
        if (e.property === 'created_by_ref' && o.type === 'identity') continue;
        const key = `${e.from}\u0000${e.property}`;
        if (!selfSeen.has(key)) {
          selfSeen.add(key);
          out.push({ id: o.id, type: typeOf.get(o.id) ?? null, property: e.property, rule: 'self-reference', message: `${o.id}: property '${e.property}' refers to the object itself` });
        }
        continue;
      }
      if (!typeOf.has(e.from) || !typeOf.has(e.to)) continue;
      let list = graph.get(e.from);
      if (!list) graph.set(e.from, (list = []));
      list.push({ to: e.to, property: e.property });
    }
  }
  // Iterative DFS; each back edge closes one cycle, reported once on its smallest member id.
  const WHITE = 0, GREY = 1, BLACK = 2;
  const colour = new Map<string, number>();
  const reported = new Set<string>();
  for (const start of graph.keys()) {
    if ((colour.get(start) ?? WHITE) !== WHITE) continue;
    const stack: { node: string; i: number }[] = [{ node: start, i: 0 }];
    const onPath: string[] = [start];
    colour.set(start, GREY);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edges = graph.get(top.node) ?? [];
      if (top.i >= edges.length) {
        colour.set(top.node, BLACK);
        stack.pop();
        onPath.pop();
        continue;
      }
      const e = edges[top.i++];
      const c = colour.get(e.to) ?? WHITE;
      if (c === WHITE) {
        colour.set(e.to, GREY);
        stack.push({ node: e.to, i: 0 });
        onPath.push(e.to);
      } else if (c === GREY) {
        const cycle = onPath.slice(onPath.indexOf(e.to));
        const key = [...cycle].sort().join(' ');
        if (reported.has(key)) continue;
        reported.add(key);
        const first = top.node;
        out.push({
          id: first, type: typeOf.get(first) ?? null, property: e.property, rule: 'cycle',
          message: `${first}: property '${e.property}' closes a reference cycle: ${[...cycle, e.to].join(' -> ')}`,
        });
      }
    }
  }
  return out;
}
