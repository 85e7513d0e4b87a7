import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { Tlp } from '../../../platform/access/policy.js';
import { AppError } from '../../../platform/errors.js';
import { checkPattern } from '../stix/pattern.js';
import { mostRestrictive, tlpOfObject } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { HASH_BY_STIX, PUENTE_MISP_NAMESPACE, tagOfTlp, unescapeStixString, type MispHint } from './common.js';
import { puenteProps } from '../stix/puente-extension.js';

/**
 * STIX -> MISP: one MISP event for a selection (a report and what it refers to,
 * or any set of objects), and the MISP feed files (manifest.json, hashes.csv,
 * <uuid>.json) that MISP's feed fetcher reads (Feed::getManifest / downloads each
 * event by uuid; hashes.csv is `<md5 of value>,<event uuid>` per attribute value,
 * composite values hashed part by part, as PyMISP's feed generator writes it).
 */

export interface MispAttributeOut {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  timestamp: string;
  deleted: boolean;
  disable_correlation: boolean;
  object_relation?: string;
  data?: string;
  first_seen?: string;
  last_seen?: string;
  Tag?: { name: string; colour: string; exportable: boolean }[];
}
export interface MispObjectOut {
  uuid: string;
  name: string;
  'meta-category': string;
  template_uuid: string;
  template_version: string;
  description: string;
  comment: string;
  timestamp: string;
  deleted: boolean;
  Attribute: MispAttributeOut[];
}
export interface MispEventOut {
  uuid: string;
  info: string;
  date: string;
  timestamp: string;
  publish_timestamp: string;
  published: boolean;
  analysis: string;
  threat_level_id: string;
  Orgc: { name: string; uuid: string };
  Tag: { name: string; colour: string; exportable: boolean }[];
  Attribute: MispAttributeOut[];
  Object: MispObjectOut[];
}

/**
 * The categories MISP accepts for each attribute type Puente writes (MISP's
 * category/type table, describeTypes.json "category_type_mappings"), the first
 * being the one used when the object carries no MISP hint. MISP refuses an
 * attribute whose category does not admit its type, so every type written must
 * be here (the unit test walks every type factsToMisp and the event writer emit).
 */
export const MISP_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  'ip-src': ['Network activity', 'Payload delivery', 'External analysis'],
  'ip-dst': ['Network activity', 'Payload delivery', 'External analysis'],
  'ip-src|port': ['Network activity', 'Payload delivery', 'External analysis'],
  'ip-dst|port': ['Network activity', 'Payload delivery', 'External analysis'],
  domain: ['Network activity', 'Payload delivery', 'External analysis'],
  hostname: ['Network activity', 'Payload delivery', 'External analysis'],
  'domain|ip': ['Network activity', 'External analysis'],
  url: ['Network activity', 'Payload delivery', 'External analysis'],
  uri: ['Network activity'],
  link: ['External analysis', 'Payload delivery', 'Internal reference', 'Antivirus detection', 'Support Tool'],
  'user-agent': ['Network activity', 'Payload delivery', 'External analysis'],
  AS: ['Network activity', 'Payload delivery', 'External analysis'],
  'mac-address': ['Network activity', 'Payload delivery', 'External analysis'],
  'email-src': ['Payload delivery', 'Social network'],
  'email-dst': ['Network activity', 'Payload delivery', 'Social network'],
  'target-email': ['Targeting data'],
  'email-subject': ['Payload delivery'],
  'x509-fingerprint-sha1': ['Network activity', 'Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis', 'Attribution'],
  'x509-fingerprint-md5': ['Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis', 'Attribution'],
  'x509-fingerprint-sha256': ['Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis', 'Attribution'],
  snort: ['Network activity', 'External analysis'],
  'stix2-pattern': ['Payload installation', 'Payload delivery', 'Network activity', 'Artifacts dropped'],
  yara: ['Payload installation', 'Payload delivery', 'Artifacts dropped'],
  sigma: ['Payload installation', 'Payload delivery', 'Artifacts dropped'],
  vulnerability: ['External analysis', 'Payload delivery', 'Payload installation'],
  attachment: ['External analysis', 'Payload delivery', 'Artifacts dropped', 'Payload installation', 'Antivirus detection', 'Support Tool'],
  'malware-sample': ['Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis'],
  mutex: ['Artifacts dropped'],
  regkey: ['Persistence mechanism', 'Artifacts dropped', 'External analysis'],
  'regkey|value': ['Persistence mechanism', 'Artifacts dropped', 'External analysis'],
  filename: ['Payload delivery', 'Artifacts dropped', 'Payload installation', 'Persistence mechanism', 'External analysis'],
  'mime-type': ['Payload delivery', 'Artifacts dropped', 'Payload installation'],
  'size-in-bytes': ['Other'],
  text: ['Other', 'Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis', 'Internal reference'],
  comment: ['Other', 'Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis', 'Internal reference'],
  ...Object.fromEntries(
    ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512/224', 'sha512/256', 'sha3-256', 'sha3-512', 'ssdeep', 'imphash', 'tlsh'].flatMap((h) => [
      [h, ['Payload delivery', 'Artifacts dropped', 'Payload installation', ...(['md5', 'sha1', 'sha256'].includes(h) ? ['External analysis'] : [])]],
      [`filename|${h}`, ['Payload delivery', 'Artifacts dropped', 'Payload installation', ...(['md5', 'sha1', 'sha256'].includes(h) ? ['External analysis'] : [])]],
    ]),
  ),
};

/** The category of an attribute: the hint's when MISP admits it for the type, else the type's first. */
export function categoryOf(type: string, hinted?: string): string {
  const allowed = MISP_CATEGORIES[type];
  if (!allowed) throw new Error(`no MISP category known for the attribute type ${type}`);
  return hinted && allowed.includes(hinted) ? hinted : allowed[0]!;
}

/** MISP object templates Puente writes (misp-objects: objects/<name>/definition.json). */
export const MISP_OBJECT_TEMPLATES: Readonly<Record<string, { uuid: string; version: string; metaCategory: string; description: string }>> = {
  file: { uuid: '688c46fb-5edb-40a3-8273-1af7923e2215', version: '23', metaCategory: 'file', description: 'File object describing a file with meta-information' },
};

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const epoch = (iso: unknown) => {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
};
const hintOf = (o: StixObject): (MispHint & { attributes?: MispHint[] }) | null =>
  ((puenteProps(o).misp ?? null) as unknown as (MispHint & { attributes?: MispHint[] }) | null);

type Facts = Map<string, string | number>;
interface Simple {
  type: string;
  value: string;
  data?: string;
}
interface Composite {
  object: string;
  attrs: { relation: string; type: string; value: string }[];
}

/** `[t:p = 'v' AND t:p2 = 3]` (one observation, equality only, one object type) -> facts; anything else -> null. */
export function simplePatternFacts(pattern: string): { objectType: string; facts: Facts } | null {
  const s = pattern.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) return null;
  const body = s.slice(1, -1);
  const re = /\s*([a-z0-9-]+):((?:[A-Za-z0-9_-]+|'(?:[^'\\]|\\.)*'|\[\*\]|\[\d+\]|\.)+?)\s*=\s*('(?:[^'\\]|\\.)*'|-?\d+)\s*(AND(?=\s)|$)/y;
  const facts: Facts = new Map();
  let type: string | null = null;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m) return null;
    if (type !== null && type !== m[1]) return null;
    type = m[1]!;
    const path = m[2]!.replace(/'((?:[^'\\]|\\.)*)'/g, (_, k: string) => unescapeStixString(k));
    const raw = m[3]!;
    const value = raw.startsWith("'") ? unescapeStixString(raw.slice(1, -1)) : Number(raw);
    if (facts.has(path)) return null;
    facts.set(path, value);
    pos = re.lastIndex;
    if (!m[4]) break;
  }
  if (type === null || pos < body.length) return null;
  return { objectType: type, facts };
}

/** Facts about one observable -> one MISP attribute (simple), a MISP object (composite), or null. */
function factsToMisp(objectType: string, facts: Facts, hintType: string | undefined): Simple | Composite | null {
  const keys = [...facts.keys()].sort();
  const get = (k: string) => (facts.get(k) === undefined ? undefined : String(facts.get(k)));
  const only = (...k: string[]) => keys.length === k.length && k.every((x) => facts.has(x));
  const pick = (allowed: string[], dflt: string) => (hintType && allowed.includes(hintType) ? hintType : dflt);
  const hashKeys = keys.filter((k) => k.startsWith('hashes.'));
  const mispHash = (k: string) => HASH_BY_STIX[k.slice('hashes.'.length).toUpperCase()];
  switch (objectType) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return only('value') ? { type: pick(['ip-src', 'ip-dst'], 'ip-dst'), value: get('value')! } : null;
    case 'domain-name':
      if (only('value')) return { type: pick(['domain', 'hostname'], 'domain'), value: get('value')! };
      if (only('value', 'resolves_to_refs[*].value')) return { type: 'domain|ip', value: `${get('value')}|${get('resolves_to_refs[*].value')}` };
      return null;
    case 'url':
      return only('value') ? { type: pick(['url', 'uri', 'link'], 'url'), value: get('value')! } : null;
    case 'email-addr':
      return only('value') ? { type: pick(['email-src', 'email-dst', 'target-email'], 'email-dst'), value: get('value')! } : null;
    case 'email-message':
      if (only('subject')) return { type: 'email-subject', value: get('subject')! };
      return null;
    case 'autonomous-system':
      return only('number') ? { type: 'AS', value: get('number')! } : null;
    case 'mutex':
      return only('name') ? { type: 'mutex', value: get('name')! } : null;
    case 'mac-addr':
      return only('value') ? { type: 'mac-address', value: get('value')! } : null;
    case 'windows-registry-key':
      if (only('key')) return { type: 'regkey', value: get('key')! };
      if (only('key', 'values[*].data')) return { type: 'regkey|value', value: `${get('key')}|${get('values[*].data')}` };
      return null;
    case 'x509-certificate': {
      const algo = hashKeys.length === 1 && keys.length === 1 ? mispHash(hashKeys[0]!) : undefined;
      return algo && ['md5', 'sha1', 'sha256'].includes(algo) ? { type: `x509-fingerprint-${algo}`, value: get(hashKeys[0]!)! } : null;
    }
    case 'network-traffic': {
      for (const side of ['src', 'dst'] as const)
        if (only(`${side}_ref.value`, `${side}_port`)) return { type: `ip-${side}|port`, value: `${get(`${side}_ref.value`)}|${get(`${side}_port`)}` };
      if (only("extensions.http-request-ext.request_header.User-Agent")) return { type: 'user-agent', value: get("extensions.http-request-ext.request_header.User-Agent")! };
      return null;
    }
    case 'file': {
      const name = get('name');
      if (only('name')) return { type: 'filename', value: name! };
      if (hashKeys.length === 1 && keys.length === 1) {
        const algo = mispHash(hashKeys[0]!);
        return algo ? { type: algo, value: get(hashKeys[0]!)! } : null;
      }
      if (hashKeys.length === 1 && only('name', hashKeys[0]!)) {
        const algo = mispHash(hashKeys[0]!);
        if (!algo) return null;
        return { type: algo === 'md5' && hintType === 'malware-sample' ? 'malware-sample' : `filename|${algo}`, value: `${name}|${get(hashKeys[0]!)}` };
      }
      const attrs: Composite['attrs'] = [];
      for (const k of keys) {
        if (k === 'name') attrs.push({ relation: 'filename', type: 'filename', value: name! });
        else if (k === 'size') attrs.push({ relation: 'size-in-bytes', type: 'size-in-bytes', value: get(k)! });
        else if (k === 'mime_type') attrs.push({ relation: 'mimetype', type: 'mime-type', value: get(k)! });
        else if (k === 'parent_directory_ref.path') attrs.push({ relation: 'path', type: 'text', value: get(k)! });
        else if (mispHash(k)) attrs.push({ relation: mispHash(k)!, type: mispHash(k)!, value: get(k)! });
        else return null;
      }
      return { object: 'file', attrs };
    }
    default:
      return null;
  }
}

/** An SCO (with the others of its observed-data for references) -> the facts a pattern would state. */
function scoFacts(sco: StixObject, byId: Map<string, StixObject>): { facts: Facts; data?: string } {
  const facts: Facts = new Map();
  const refValue = (ref: unknown) => {
    const t = typeof ref === 'string' ? byId.get(ref) : undefined;
    return t && (typeof t.value === 'string' || typeof t.value === 'number') ? t.value : t && typeof t.path === 'string' ? t.path : undefined;
  };
  let data: string | undefined;
  for (const [k, v] of Object.entries(sco)) {
    if (['type', 'id', 'spec_version', 'object_marking_refs', 'granular_markings', 'defanged', 'is_multipart', 'protocols'].includes(k) || k.startsWith('x_')) continue;
    if (k === 'hashes' && isObj(v)) for (const [h, hv] of Object.entries(v)) facts.set(`hashes.${h}`, String(hv));
    else if (k === 'values' && Array.isArray(v) && isObj(v[0]) && typeof v[0].data === 'string' && v.length === 1) facts.set('values[*].data', v[0].data);
    else if (k === 'content_ref') {
      const art = typeof v === 'string' ? byId.get(v) : undefined;
      if (art && typeof art.payload_bin === 'string') data = art.payload_bin;
      else facts.set(k, String(v)); // unknown: makes the facts unmappable
    } else if (k.endsWith('_refs') && Array.isArray(v) && v.length === 1) facts.set(`${k}[*].value`, String(refValue(v[0]) ?? v[0]));
    else if (k.endsWith('_ref')) facts.set(`${k}.${byId.get(String(v))?.type === 'directory' ? 'path' : 'value'}`, String(refValue(v) ?? v));
    else if (typeof v === 'string' || typeof v === 'number') facts.set(k, v);
    else facts.set(k, JSON.stringify(v)); // not mappable below
  }
  return { facts, ...(data ? { data } : {}) };
}

function tagList(names: string[]) {
  return [...new Set(names)].map((name) => ({ name, colour: name.startsWith('tlp:') ? tlpColour(name) : '#0088cc', exportable: true }));
}
function tlpColour(tag: string): string {
  return { 'tlp:clear': '#ffffff', 'tlp:white': '#ffffff', 'tlp:green': '#33ff00', 'tlp:amber': '#ffc000', 'tlp:amber+strict': '#ffc000', 'tlp:red': '#ff2b2b' }[tag] ?? '#0088cc';
}

/** A report + what it refers to (or any selection) -> one MISP event. */
export function stixToMispEvent(objects: StixObject[], opts: { info?: string; orgName: string; orgUuid: string }): { Event: MispEventOut } {
  if (!Array.isArray(objects)) throw new AppError('VALIDATION_FAILED', 'objects must be an array of STIX objects');
  const byId = new Map<string, StixObject>();
  for (const o of objects) if (isObj(o) && typeof o.id === 'string' && typeof o.type === 'string') byId.set(o.id, o);
  const report = objects.find((o) => o.type === 'report');
  const reportHint = report ? hintOf(report) : null;

  let tlp: Tlp | null = null;
  for (const o of byId.values()) {
    if (o.type === 'identity' || o.type === 'marking-definition') continue;
    const t = tlpOfObject(o);
    if (t) tlp = tlp ? mostRestrictive(tlp, t) : t;
  }
  const eventUuid =
    reportHint?.uuid ??
    (report ? report.id.slice('report--'.length) : uuidv5(`misp-event:${[...byId.keys()].sort().join(',')}`, PUENTE_MISP_NAMESPACE));

  const attributes: MispAttributeOut[] = [];
  const mispObjects: MispObjectOut[] = [];
  let maxTs = 0;
  const attr = (stixId: string, s: Simple, toIds: boolean, ts: number, h: MispHint | null, comment: string, labels: string[] = []): MispAttributeOut => {
    const a: MispAttributeOut = {
      uuid: h?.uuid && (h.type === s.type || !h.type) ? h.uuid : uuidv5(`misp-attribute:${stixId}:${s.type}:${s.value}`, PUENTE_MISP_NAMESPACE),
      type: s.type,
      category: categoryOf(s.type, h?.type === s.type ? h?.category : undefined),
      value: s.value,
      to_ids: toIds,
      comment: h?.comment ?? comment,
      timestamp: String(ts),
      deleted: false,
      disable_correlation: false,
      ...(s.data ? { data: s.data } : {}),
      ...(labels.length ? { Tag: tagList(labels) } : {}),
    };
    maxTs = Math.max(maxTs, ts);
    return a;
  };
  const composite = (stixId: string, c: Composite, toIds: boolean, ts: number, h: (MispHint & { attributes?: MispHint[] }) | null, comment: string) => {
    const objUuid = h?.object_name === c.object && h.uuid ? h.uuid : uuidv5(`misp-object:${stixId}`, PUENTE_MISP_NAMESPACE);
    const template = MISP_OBJECT_TEMPLATES[c.object];
    if (!template) throw new Error(`no MISP object template known for ${c.object}`);
    mispObjects.push({
      uuid: objUuid,
      name: c.object,
      'meta-category': template.metaCategory,
      template_uuid: template.uuid,
      template_version: template.version,
      description: template.description,
      comment: h?.comment ?? comment,
      timestamp: String(ts),
      deleted: false,
      Attribute: c.attrs.map((x) => {
        const ah = h?.attributes?.find((y) => y.object_relation === x.relation) ?? null;
        return { ...attr(`${stixId}/${x.relation}`, { type: x.type, value: x.value }, toIds, ts, ah, ''), object_relation: x.relation };
      }),
    });
    maxTs = Math.max(maxTs, ts);
  };
  const labelsOf = (o: StixObject) => (Array.isArray(o.labels) ? o.labels.filter((l): l is string => typeof l === 'string') : []);

  for (const o of byId.values()) {
    const ts = epoch(o.modified) || epoch(o.created);
    const h = hintOf(o);
    const description = typeof o.description === 'string' ? o.description : '';
    switch (o.type) {
      case 'indicator': {
        const pattern = typeof o.pattern === 'string' ? o.pattern : '';
        const pt = o.pattern_type;
        if (pt === 'yara' || pt === 'snort' || pt === 'sigma') {
          attributes.push(attr(o.id, { type: pt, value: pattern }, true, ts, h, description, labelsOf(o)));
          break;
        }
        if (pt !== 'stix' || checkPattern(pattern) !== null) break;
        const simple = simplePatternFacts(pattern);
        const mapped = simple ? factsToMisp(simple.objectType, simple.facts, h?.type) : null;
        if (mapped && 'object' in mapped) composite(o.id, mapped, true, ts, h, description);
        else if (mapped) attributes.push(attr(o.id, mapped, true, ts, h, description, labelsOf(o)));
        else attributes.push(attr(o.id, { type: 'stix2-pattern', value: pattern }, true, ts, h?.type === 'stix2-pattern' ? h : null, description, labelsOf(o)));
        break;
      }
      case 'observed-data': {
        const refs = Array.isArray(o.object_refs) ? o.object_refs.filter((r): r is string => typeof r === 'string') : [];
        const scos = refs.map((r) => byId.get(r)).filter((x): x is StixObject => x !== undefined);
        const referenced = new Set<string>();
        for (const s of scos)
          for (const [k, v] of Object.entries(s)) {
            if (k.endsWith('_ref') && typeof v === 'string') referenced.add(v);
            if (k.endsWith('_refs') && Array.isArray(v)) v.forEach((x) => typeof x === 'string' && referenced.add(x));
          }
        const roots = scos.filter((s) => !referenced.has(s.id));
        roots.forEach((root, i) => {
          const { facts, data } = scoFacts(root, byId);
          const mapped = factsToMisp(root.type, facts, h?.type);
          const key = roots.length > 1 ? `${o.id}#${i}` : o.id;
          if (mapped && 'object' in mapped) composite(key, mapped, false, ts, h, description);
          else if (mapped) {
            const withData = data && mapped.type === 'filename' ? { type: 'attachment', value: mapped.value, data } : mapped;
            attributes.push(attr(key, withData, false, ts, roots.length > 1 ? null : h, description, labelsOf(o)));
          }
        });
        break;
      }
      case 'vulnerability': {
        const refs = Array.isArray(o.external_references) ? o.external_references.filter(isObj) : [];
        const cve = refs.find((r) => r.source_name === 'cve' && typeof r.external_id === 'string')?.external_id as string | undefined;
        const value = cve ?? (typeof o.name === 'string' ? o.name : '');
        if (value) attributes.push(attr(o.id, { type: 'vulnerability', value }, false, ts, h, description, labelsOf(o)));
        break;
      }
      case 'note': {
        if (typeof o.content !== 'string' || o.content === '') break;
        const type = h?.type === 'comment' ? 'comment' : 'text';
        attributes.push(attr(o.id, { type, value: o.content }, false, ts, h, typeof o.abstract === 'string' ? o.abstract : '', labelsOf(o)));
        break;
      }
      case 'report': {
        const refs = Array.isArray(o.external_references) ? o.external_references.filter(isObj) : [];
        for (const r of refs)
          if (typeof r.url === 'string' && r.external_id === undefined)
            attributes.push(attr(o.id, { type: 'link', value: r.url }, false, ts, null, typeof r.description === 'string' ? r.description : ''));
        maxTs = Math.max(maxTs, ts);
        break;
      }
    }
  }

  const eventTags = [
    ...(tlp ? [tagOfTlp(tlp)] : []),
    ...(report ? labelsOf(report) : []),
  ];
  // SDOs MISP has no attribute for: kept as tags so the recipient sees them.
  for (const o of byId.values())
    if (['attack-pattern', 'malware', 'threat-actor', 'intrusion-set', 'tool', 'campaign'].includes(o.type) && typeof o.name === 'string')
      eventTags.push(`puente:${o.type}="${o.name.replace(/"/g, "'")}"`);

  const published = report && typeof report.published === 'string' ? report.published : null;
  const ts = maxTs || Math.floor(Date.now() / 1000);
  const extra = ((report ? puenteProps(report).misp : undefined) ?? {}) as { analysis?: unknown; threat_level_id?: unknown; date?: unknown };
  const date = typeof extra.date === 'string' ? extra.date : (published ?? new Date(ts * 1000).toISOString()).slice(0, 10);
  return {
    Event: {
      uuid: eventUuid,
      info: opts.info ?? (typeof report?.name === 'string' ? report.name : 'Puente export'),
      date,
      timestamp: String(ts),
      publish_timestamp: String(published ? epoch(published) : ts),
      published: false,
      analysis: typeof extra.analysis === 'string' ? extra.analysis : '2',
      threat_level_id: typeof extra.threat_level_id === 'string' ? extra.threat_level_id : '4',
      Orgc: { name: opts.orgName, uuid: opts.orgUuid },
      Tag: tagList(eventTags),
      Attribute: attributes,
      Object: mispObjects,
    },
  };
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** MISP feed files from events: manifest.json, hashes.csv and one `<uuid>.json` per event. */
export function mispFeed(events: { Event: unknown }[]): { manifest: Record<string, unknown>; hashesCsv: string; files: Map<string, string> } {
  const manifest: Record<string, unknown> = {};
  const lines: string[] = [];
  const files = new Map<string, string>();
  events.forEach((wrapped, i) => {
    const e = isObj(wrapped) ? wrapped.Event : undefined;
    if (!isObj(e) || typeof e.uuid !== 'string' || !/^[0-9a-f-]{36}$/i.test(e.uuid) || typeof e.info !== 'string' || !isObj(e.Orgc))
      throw new AppError('VALIDATION_FAILED', `Feed event ${i} is not a MISP event with uuid, info and Orgc`);
    const orgc = e.Orgc as { name?: unknown; uuid?: unknown };
    const tags = Array.isArray(e.Tag) ? e.Tag.filter(isObj).map((t) => ({ name: t.name, colour: t.colour ?? '#0088cc' })) : [];
    manifest[e.uuid] = {
      info: e.info,
      date: e.date,
      analysis: Number(e.analysis ?? 0),
      threat_level_id: Number(e.threat_level_id ?? 4),
      timestamp: Number(e.timestamp ?? 0),
      Orgc: { name: orgc.name, uuid: orgc.uuid },
      Tag: tags,
    };
    const values = (list: unknown) =>
      (Array.isArray(list) ? list : []).filter(isObj).flatMap((a) => {
        const v = String(a.value ?? '');
        return typeof a.type === 'string' && (a.type.includes('|') || a.type === 'malware-sample') ? v.split('|') : [v];
      });
    const all = [...values(e.Attribute), ...(Array.isArray(e.Object) ? e.Object.filter(isObj).flatMap((o) => values(o.Attribute)) : [])];
    for (const v of all) lines.push(`${md5(v)},${e.uuid}`);
    files.set(`${e.uuid}.json`, JSON.stringify({ Event: e }));
  });
  return { manifest, hashesCsv: lines.length ? `${lines.join('\n')}\n` : '', files };
}
