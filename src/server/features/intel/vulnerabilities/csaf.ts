/**
 * CSAF 2.0 advisory -> STIX 2.1 (pure; no database).
 *
 * The document is validated against the OASIS CSAF 2.0 JSON schema (draft 2020-12, shipped in
 * ./schemas with the FIRST CVSS 2.0/3.0/3.1 schemas it `$ref`s by URL, so validation is offline).
 * Each `vulnerabilities[]` entry becomes a STIX `vulnerability`; the publisher becomes an
 * `identity` (created_by_ref of everything else) and the advisory a `report` referring to them.
 *
 * Ids are deterministic (UUIDv5 in a namespace fixed here):
 *   identity      <- 'csaf-publisher|' + namespace + '|' + name + '|' + category
 *   report        <- 'csaf-report|' + namespace + '|' + tracking id
 *   vulnerability <- 'csaf-vulnerability|' + namespace + '|' + tracking id + '|' + (CVE | first id | title | index)
 * so importing the same advisory twice gives byte-identical objects (a duplicate), and a newer
 * revision (new tracking.version / current_release_date) gives the same ids with a newer `modified`.
 * `created` is the advisory's initial_release_date (constant over revisions), `modified` its
 * current_release_date.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { v5 as uuidv5 } from 'uuid';
import { AppError } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/access/policy.js';
import { TLP2_IDS } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { withPuente } from '../stix/puente-extension.js';

/** Namespace of every UUIDv5 made by the vulnerability imports (CSAF and KEV). Never change it. */
export const VULNERABILITY_ID_NAMESPACE = '9dc9a6d5-4a99-43b2-81fb-5bef09fd73b2';

/** created = modified of every publisher identity: constant, so it never makes a second version. */
const IDENTITY_TIME = '2017-01-01T00:00:00.000Z';

const SCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas');
const CSAF_SCHEMA_ID = 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json';
/** The URLs the CSAF 2.0 schema `$ref`s, and the shipped file for each. */
const CVSS_SCHEMAS: ReadonlyArray<readonly [url: string, file: string]> = [
  ['https://www.first.org/cvss/cvss-v2.0.json', 'cvss-v2.0.json'],
  ['https://www.first.org/cvss/cvss-v3.0.json', 'cvss-v3.0.json'],
  ['https://www.first.org/cvss/cvss-v3.1.json', 'cvss-v3.1.json'],
];

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>;

/**
 * FIRST's CVSS schemas are draft-04 (2.0, 3.0) and draft-07 (3.1); one Ajv 2020-12 instance
 * reads them once `id` becomes `$id`, `definitions` `$defs` (refs rewritten), and the
 * `$schema` and `license` members (no keywords) are dropped. The id is the URL the CSAF
 * schema refers to (without FIRST's `?date` suffix).
 */
function adaptCvssSchema(schema: Record<string, unknown>, url: string): Record<string, unknown> {
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') out[k] = x.replace('#/definitions/', '#/$defs/');
        else out[k === 'definitions' ? '$defs' : k] = rewrite(x);
      }
      return out;
    }
    return v;
  };
  const { $schema: _s, license: _l, id: _id, $id: _id2, ...rest } = schema;
  return { $id: url, ...(rewrite(rest) as Record<string, unknown>) };
}

let validator: ValidateFunction | null = null;
function csafValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
  addFormats.default(ajv);
  for (const [url, file] of CVSS_SCHEMAS) ajv.addSchema(adaptCvssSchema(readJson(file), url));
  validator = ajv.compile(readJson('csaf_json_schema.json'));
  return validator;
}

/** JSON Pointer of an Ajv error ('' is the document itself), as a readable path. */
export function jsonPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
      .join('')
  );
}

function describeError(e: ErrorObject): { path: string; message: string } {
  let where = e.instancePath;
  if (e.keyword === 'required') where += '/' + String((e.params as { missingProperty: string }).missingProperty);
  if (e.keyword === 'additionalProperties') where += '/' + String((e.params as { additionalProperty: string }).additionalProperty);
  const message =
    e.keyword === 'required'
      ? 'is required'
      : e.keyword === 'additionalProperties'
        ? 'is not allowed here'
        : e.keyword === 'enum'
          ? `${e.message ?? 'is not allowed'}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
          : (e.message ?? 'is not valid');
  return { path: jsonPath(where), message };
}

/** Validates a CSAF 2.0 document; throws AppError VALIDATION_FAILED naming the JSON path of the first problem. */
export function validateCsaf(doc: unknown): asserts doc is CsafDocument {
  const validate = csafValidator();
  if (validate(doc)) return;
  const errors = validate.errors ?? [];
  const all = errors.map(describeError);
  // Under oneOf (CVSS 3.0 | 3.1) every branch reports its own complaints. The place most
  // branches complain about is the real problem; then the deepest path; wrappers last.
  const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
  const perPath = new Map<string, number>();
  for (const e of specific) perPath.set(e.instancePath, (perPath.get(e.instancePath) ?? 0) + 1);
  const ranked = specific
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) =>
        perPath.get(b.e.instancePath)! - perPath.get(a.e.instancePath)! ||
        b.e.instancePath.split('/').length - a.e.instancePath.split('/').length ||
        a.i - b.i,
    );
  const first = ranked.length ? describeError(ranked[0].e) : all[0] ?? { path: '$', message: 'is not valid' };
  const unique = [...new Map(all.map((x) => [`${x.path} ${x.message}`, x])).values()];
  throw new AppError('VALIDATION_FAILED', `Not a valid CSAF 2.0 document (${CSAF_SCHEMA_ID}): ${first.path} ${first.message}`, {
    errors: unique.slice(0, 50),
  });
}

// ---- the parts of CSAF 2.0 read here (the schema has checked the shapes) ----

interface CsafNote { category: string; text: string; title?: string }
interface CsafReference { category?: 'self' | 'external'; summary: string; url: string }
interface CsafFullProductName { name: string; product_id: string }
interface CsafBranch { category: string; name: string; branches?: CsafBranch[]; product?: CsafFullProductName }
interface CsafRelationship { category: string; full_product_name: CsafFullProductName; product_reference: string; relates_to_product_reference: string }
interface CsafProductTree {
  branches?: CsafBranch[];
  full_product_names?: CsafFullProductName[];
  relationships?: CsafRelationship[];
  product_groups?: { group_id: string; product_ids: string[]; summary?: string }[];
}
interface CsafCvss { version: string; vectorString: string; baseScore: number; baseSeverity?: string }
interface CsafVulnerability {
  cve?: string;
  title?: string;
  cwe?: { id: string; name: string };
  ids?: { system_name: string; text: string }[];
  notes?: CsafNote[];
  references?: CsafReference[];
  discovery_date?: string;
  release_date?: string;
  product_status?: Record<string, string[]>;
  remediations?: { category: string; details: string; url?: string; date?: string; product_ids?: string[]; group_ids?: string[] }[];
  scores?: { products: string[]; cvss_v2?: CsafCvss; cvss_v3?: CsafCvss }[];
  threats?: { category: string; details: string; date?: string; product_ids?: string[]; group_ids?: string[] }[];
}
export interface CsafDocument {
  document: {
    category: string;
    csaf_version: '2.0';
    title: string;
    lang?: string;
    publisher: { category: string; name: string; namespace: string; contact_details?: string; issuing_authority?: string };
    tracking: { id: string; version: string; status: string; initial_release_date: string; current_release_date: string };
    distribution?: { text?: string; tlp?: { label: 'WHITE' | 'GREEN' | 'AMBER' | 'RED'; url?: string } };
    aggregate_severity?: { text: string; namespace?: string };
    notes?: CsafNote[];
    references?: CsafReference[];
  };
  product_tree?: CsafProductTree;
  vulnerabilities?: CsafVulnerability[];
}

// ---- what goes into the csaf property of the Puente extension ----

export interface CsafCvssFact { version: string; base_score: number; vector: string; severity?: string; products: string[] }
export interface CsafRemediationFact { category: string; details: string; url?: string; date?: string; product_ids?: string[]; products?: string[] }
export interface CsafFacts {
  publisher: string;
  publisher_namespace: string;
  tracking_id: string;
  tracking_version: string;
  initial_release_date: string;
  current_release_date: string;
  document_title: string;
  /** product_status category (known_affected, fixed, first_fixed, known_not_affected, ...) -> product names. */
  product_status?: Record<string, string[]>;
  /** Empty lists are left out (STIX prohibits them); vulnerabilityFacts() puts them back as []. */
  cvss?: CsafCvssFact[];
  cwe?: { id: string; name: string };
  remediations?: CsafRemediationFact[];
  ids?: { system_name: string; text: string }[];
  threats?: { category: string; details: string; date?: string }[];
  aggregate_severity?: string;
}

export interface CsafImport {
  objects: StixObject[];
  /** Things that were imported with a caveat (unknown product ids, ...), for the import report. */
  problems: string[];
  /** The TLP of the advisory's distribution (CSAF 2.0 WHITE -> CLEAR), or null when it has none. */
  tlp: Tlp | null;
  reportId: string;
  identityId: string;
  vulnerabilityIds: string[];
}

/** STIX timestamps are UTC with milliseconds; CSAF allows any offset and precision. */
export function stixTime(t: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', `Not a valid date-time: ${t}`);
  return d.toISOString();
}

const CVE_RE = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;
const CAPEC_RE = /^CAPEC-\d+$/;

/** An external reference STIX accepts: source_name cve/capec only with the matching id, a URL that parses. */
function externalRef(sourceName: string, fields: { external_id?: string; url?: string; description?: string }): Record<string, string> | null {
  const ref: Record<string, string> = { source_name: sourceName };
  const { external_id, url, description } = fields;
  if (sourceName === 'cve' || sourceName === 'capec') {
    if (!external_id || !(sourceName === 'cve' ? CVE_RE : CAPEC_RE).test(external_id)) return null;
  } else if (external_id && (CVE_RE.test(external_id) || CAPEC_RE.test(external_id))) return null;
  if (external_id) ref.external_id = external_id;
  if (url) {
    const clean = stixUrl(url);
    if (!clean) return null;
    ref.url = clean;
  }
  if (description && description !== url) ref.description = description;
  return ref.external_id || ref.url || ref.description ? ref : null;
}

const isUri = fullFormats.uri as (s: string) => boolean;

/** A URL as the STIX schema accepts it (RFC 3986 'uri': non-ASCII percent-encoded), or null. */
export function stixUrl(raw: string): string | null {
  if (isUri(raw)) return raw;
  if (!URL.canParse(raw)) return null;
  const href = new URL(raw).href;
  return isUri(href) ? href : null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'external';
  } catch {
    return 'external';
  }
}

/** Every product id of the product tree -> its name (branches, full_product_names, relationships), and groups -> ids. */
export function productIndex(tree: CsafProductTree | undefined): { names: Map<string, string>; groups: Map<string, string[]> } {
  const names = new Map<string, string>();
  const groups = new Map<string, string[]>();
  if (!tree) return { names, groups };
  const walk = (branches: CsafBranch[] | undefined) => {
    for (const b of branches ?? []) {
      if (b.product) names.set(b.product.product_id, b.product.name);
      walk(b.branches);
    }
  };
  walk(tree.branches);
  for (const p of tree.full_product_names ?? []) names.set(p.product_id, p.name);
  for (const r of tree.relationships ?? []) names.set(r.full_product_name.product_id, r.full_product_name.name);
  for (const g of tree.product_groups ?? []) groups.set(g.group_id, g.product_ids);
  return { names, groups };
}

const TLP_OF_CSAF: Record<string, Tlp> = { WHITE: 'CLEAR', GREEN: 'GREEN', AMBER: 'AMBER', RED: 'RED' };
const DESCRIPTION_NOTES = ['description', 'summary'];

function notesText(notes: CsafNote[] | undefined, preferred: string[]): string | undefined {
  if (!notes?.length) return undefined;
  const chosen = notes.filter((n) => preferred.includes(n.category));
  const use = chosen.length ? chosen : notes.filter((n) => n.category !== 'legal_disclaimer');
  const text = use.map((n) => n.text.trim()).filter(Boolean).join('\n\n');
  return text || undefined;
}

/** Converts one CSAF 2.0 advisory. Throws AppError VALIDATION_FAILED (with the JSON path) when it is not valid CSAF 2.0. */
export function csafToStix(input: unknown): CsafImport {
  validateCsaf(input);
  const doc = input;
  const problems: string[] = [];
  const { publisher, tracking } = doc.document;
  const ns = publisher.namespace;
  const created = stixTime(tracking.initial_release_date);
  let modified = stixTime(tracking.current_release_date);
  if (modified < created) {
    problems.push(`tracking.current_release_date (${tracking.current_release_date}) is before initial_release_date; used the initial date`);
    modified = created;
  }
  const tlp = doc.document.distribution?.tlp ? TLP_OF_CSAF[doc.document.distribution.tlp.label] ?? null : null;
  const marking = tlp ? { object_marking_refs: [TLP2_IDS[tlp]] } : {};

  // The publisher: content depends only on what its id is made of, so every advisory of the
  // same publisher yields the same object (a duplicate, never a conflicting copy).
  const identityId = `identity--${uuidv5(`csaf-publisher|${ns}|${publisher.name}|${publisher.category}`, VULNERABILITY_ID_NAMESPACE)}`;
  const identity: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: identityId,
    created: IDENTITY_TIME,
    modified: IDENTITY_TIME,
    name: publisher.name,
    identity_class: 'organization',
    ...withPuente({ csaf_publisher: { namespace: ns, category: publisher.category } }),
  };

  const { names, groups } = productIndex(doc.product_tree);
  const unknownIds = new Set<string>();
  const resolve = (ids: string[] | undefined): string[] =>
    (ids ?? []).map((id) => {
      const n = names.get(id);
      if (n === undefined) unknownIds.add(id);
      return n ?? id;
    });
  const expandGroups = (ids: string[] | undefined, groupIds: string[] | undefined): string[] => {
    const out = [...(ids ?? [])];
    for (const g of groupIds ?? []) {
      const members = groups.get(g);
      if (members) out.push(...members);
      else problems.push(`product group ${g} is not in the product tree`);
    }
    return [...new Set(out)];
  };

  const advisoryRefs: Record<string, string>[] = [];
  for (const r of doc.document.references ?? []) {
    const ref = externalRef(r.category === 'self' ? publisher.name : hostOf(r.url), { url: r.url, description: r.summary });
    if (ref) advisoryRefs.push(ref);
    else problems.push(`document reference ${r.url} is not a usable URL`);
  }

  const vulnerabilities: StixObject[] = [];
  const seenIds = new Set<string>();
  (doc.vulnerabilities ?? []).forEach((v, i) => {
    const key = v.cve ?? (v.ids?.[0] ? `${v.ids[0].system_name}:${v.ids[0].text}` : undefined) ?? v.title ?? `#${i}`;
    let id = `vulnerability--${uuidv5(`csaf-vulnerability|${ns}|${tracking.id}|${key}`, VULNERABILITY_ID_NAMESPACE)}`;
    if (seenIds.has(id)) {
      problems.push(`vulnerabilities[${i}] repeats ${key}; kept apart by its position`);
      id = `vulnerability--${uuidv5(`csaf-vulnerability|${ns}|${tracking.id}|${key}|#${i}`, VULNERABILITY_ID_NAMESPACE)}`;
    }
    seenIds.add(id);
    const name = v.cve ?? v.title ?? (v.ids?.[0]?.text || `${tracking.id} vulnerability ${i + 1}`);
    if (!v.cve) problems.push(`vulnerabilities[${i}] has no CVE id; named "${name}"`);

    const refs: Record<string, string>[] = [];
    const seenRef = new Set<string>();
    const addRef = (r: Record<string, string> | null) => {
      if (!r) return;
      const k = `${r.source_name}|${r.external_id ?? ''}|${r.url ?? ''}`;
      if (seenRef.has(k)) return;
      seenRef.add(k);
      refs.push(r);
    };
    if (v.cve) addRef(externalRef('cve', { external_id: v.cve }));
    if (v.cwe) addRef(externalRef('cwe', { external_id: v.cwe.id, description: v.cwe.name }));
    for (const x of v.ids ?? []) addRef(externalRef(x.system_name, { external_id: x.text }));
    for (const r of v.references ?? []) addRef(externalRef(r.category === 'self' ? publisher.name : hostOf(r.url), { url: r.url, description: r.summary }));
    for (const r of advisoryRefs) addRef(r);

    const productStatus: Record<string, string[]> = {};
    for (const [category, ids] of Object.entries(v.product_status ?? {})) productStatus[category] = resolve(ids);
    const cvss: CsafCvssFact[] = [];
    for (const s of v.scores ?? []) {
      for (const c of [s.cvss_v3, s.cvss_v2]) {
        if (!c) continue;
        cvss.push({
          version: c.version,
          base_score: c.baseScore,
          vector: c.vectorString,
          ...(c.baseSeverity ? { severity: c.baseSeverity } : {}),
          products: resolve(s.products),
        });
      }
    }
    const remediations: CsafRemediationFact[] = (v.remediations ?? []).map((r) => {
      const ids = expandGroups(r.product_ids, r.group_ids);
      return {
        category: r.category,
        details: r.details,
        ...(r.url ? { url: r.url } : {}),
        ...(r.date ? { date: r.date } : {}),
        ...(ids.length ? { product_ids: ids, products: resolve(ids) } : {}),
      };
    });
    const facts: CsafFacts = {
      publisher: publisher.name,
      publisher_namespace: ns,
      tracking_id: tracking.id,
      tracking_version: tracking.version,
      initial_release_date: created,
      current_release_date: stixTime(tracking.current_release_date),
      document_title: doc.document.title,
      ...(Object.keys(productStatus).length ? { product_status: productStatus } : {}),
      ...(cvss.length ? { cvss } : {}),
      ...(v.cwe ? { cwe: { id: v.cwe.id, name: v.cwe.name } } : {}),
      ...(remediations.length ? { remediations } : {}),
      ...(v.ids?.length ? { ids: v.ids.map((x) => ({ system_name: x.system_name, text: x.text })) } : {}),
      ...(v.threats?.length ? { threats: v.threats.map((t) => ({ category: t.category, details: t.details, ...(t.date ? { date: t.date } : {}) })) } : {}),
      ...(doc.document.aggregate_severity ? { aggregate_severity: doc.document.aggregate_severity.text } : {}),
    };
    const description = notesText(v.notes, DESCRIPTION_NOTES) ?? (v.title && v.title !== name ? v.title : undefined);
    vulnerabilities.push({
      type: 'vulnerability',
      spec_version: '2.1',
      id,
      created,
      modified,
      created_by_ref: identityId,
      name,
      ...(description ? { description } : {}),
      ...(refs.length ? { external_references: refs } : {}),
      ...marking,
      ...withPuente({ csaf: facts as unknown as Record<string, unknown> }),
    });
  });
  if (unknownIds.size)
    problems.push(`product ids not in the product tree (kept as ids): ${[...unknownIds].slice(0, 20).join(', ')}${unknownIds.size > 20 ? ', ...' : ''}`);

  const reportId = `report--${uuidv5(`csaf-report|${ns}|${tracking.id}`, VULNERABILITY_ID_NAMESPACE)}`;
  const reportDescription = notesText(doc.document.notes, ['summary', 'description']);
  const report: StixObject = {
    type: 'report',
    spec_version: '2.1',
    id: reportId,
    created,
    modified,
    created_by_ref: identityId,
    name: doc.document.title,
    ...(reportDescription ? { description: reportDescription } : {}),
    report_types: ['vulnerability'],
    published: modified,
    object_refs: [...vulnerabilities.map((v) => v.id), identityId],
    ...(doc.document.lang ? { lang: doc.document.lang } : {}),
    external_references: [externalRef(publisher.name, { external_id: tracking.id }), ...advisoryRefs].filter((r) => r !== null),
    ...marking,
    ...withPuente({
      csaf: {
        publisher: publisher.name,
        publisher_namespace: ns,
        publisher_category: publisher.category,
        tracking_id: tracking.id,
        tracking_version: tracking.version,
        tracking_status: tracking.status,
        initial_release_date: created,
        current_release_date: stixTime(tracking.current_release_date),
        document_category: doc.document.category,
        ...(doc.document.aggregate_severity ? { aggregate_severity: doc.document.aggregate_severity.text } : {}),
        ...(doc.document.distribution?.tlp ? { tlp_label: doc.document.distribution.tlp.label } : {}),
      },
    }),
  };
  return {
    objects: [identity, ...vulnerabilities, report],
    problems,
    tlp,
    reportId,
    identityId,
    vulnerabilityIds: vulnerabilities.map((v) => v.id),
  };
}
