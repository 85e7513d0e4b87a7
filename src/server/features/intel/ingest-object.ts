import { sha256 } from '../../platform/ids.js';
import type { Audience, Tlp } from '../../platform/access/policy.js';
import { isTlpMarkingId, mostRestrictive, tlpOfObject } from './stix/tlp.js';
import { validateObject, type StixProblem } from './stix/validate.js';
import { valuesFromObservable, valuesFromPattern, type CorrelationValue } from './stix/normalise.js';
import type { IngestOptions, ObjectResult } from './store.js';

/**
 * The ingest's steps for one object, none of which touches the database: validation,
 * its version, its marking and audience, the references checked once the whole
 * submission is read, and what its row is made of (store.ts runs them in order).
 */

export type Reason = { property: string; rule: string; message: string };

/** An object as the ingest reads it, with what an earlier lookup of the store found out about it. */
export interface Hinted {
  raw: unknown;
  body?: string;
  hash?: string;
  /** This organisation (or the platform) already holds this (id, version) with this very content. */
  stored?: boolean;
}

/** What the ingest keeps while it reads a submission's objects. */
export interface Run {
  submissionId: string;
  results: ObjectResult[];
  /** First sighting in this submission of each (id, version): its content hash and result index. */
  seen: Map<string, { hash: string; index: number }>;
  definedMarkings: Set<string>;
  markingsNeeded: { index: number; refs: string[] }[];
  cycleGraph: Record<string, unknown>[];
}

export const newRun = (submissionId: string): Run => ({ submissionId, results: [], seen: new Map(), definedMarkings: new Set(), markingsNeeded: [], cycleGraph: [] });

/** An accepted object waiting in a batch to be written. */
export interface Pending {
  index: number;
  obj: Record<string, unknown>;
  body: string;
  hash: string;
  version: string;
  tlp: Tlp;
  audience: Audience;
  values: CorrelationValue[];
}

/**
 * The version key: `modified`, else `created`. Cyber-observables carry neither:
 * two different contents under one (deterministic) id — the same address seen in
 * two events at two markings — are kept as two versions keyed by content, the
 * later one being "last" (TAXII shows their date_added as the version).
 */
export function versionOf(obj: Record<string, unknown>, hash?: string): string {
  if (typeof obj.modified === 'string') return obj.modified;
  if (typeof obj.created === 'string') return obj.created;
  return hash ? `sco:${hash}` : '';
}
export const isContentVersion = (v: string) => v.startsWith('sco:');

export function objectName(obj: Record<string, unknown>): string | null {
  for (const k of ['name', 'value', 'pattern', 'path', 'body', 'subject', 'abstract', 'content']) {
    const v = obj[k];
    if (typeof v === 'string' && v) return v.slice(0, 500);
  }
  const hashes = obj.hashes;
  if (hashes && typeof hashes === 'object') {
    const first = Object.values(hashes as Record<string, unknown>).find((h) => typeof h === 'string');
    if (typeof first === 'string') return first;
  }
  return null;
}

/** Text for full-text search: names, descriptions, patterns, values, labels, external ids. */
export function searchText(obj: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const k of ['name', 'description', 'pattern', 'value', 'path', 'subject', 'abstract', 'content', 'opinion', 'explanation']) {
    const v = obj[k];
    if (typeof v === 'string') parts.push(v.slice(0, 20_000));
  }
  for (const k of ['labels', 'aliases', 'malware_types', 'indicator_types', 'threat_actor_types', 'report_types']) {
    const v = obj[k];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') parts.push(x);
  }
  const refs = obj.external_references;
  if (Array.isArray(refs)) for (const r of refs) if (r && typeof r === 'object' && typeof (r as { external_id?: unknown }).external_id === 'string') parts.push((r as { external_id: string }).external_id);
  const hashes = obj.hashes;
  if (hashes && typeof hashes === 'object') for (const h of Object.values(hashes as Record<string, unknown>)) if (typeof h === 'string') parts.push(h);
  return parts.join(' ').slice(0, 100_000);
}

/**
 * The audience an object of this TLP can have, narrowed from what was asked:
 * narrowing is always safe, widening never happens. Notes say what was dropped.
 */
export function audienceForTlp(tlp: Tlp, requested: Audience, notes: string[]): Audience {
  if (tlp === 'CLEAR' || tlp === 'GREEN') return { organisations: [], communities: [], people: [] };
  if (tlp === 'RED') {
    if (requested.organisations.length || requested.communities.length) notes.push('TLP:RED reaches named people only: organisations and communities of the request were not applied');
    return { organisations: [], communities: [], people: requested.people };
  }
  if (requested.people.length) notes.push(`TLP:${tlp} is shared with organisations${tlp === 'AMBER' ? ' and communities' : ''}: the people of the request were not applied`);
  if (tlp === 'AMBER+STRICT') {
    if (requested.communities.length) notes.push('TLP:AMBER+STRICT never reaches whole communities: the communities of the request were not applied');
    return { organisations: requested.organisations, communities: [], people: [] };
  }
  return { organisations: requested.organisations, communities: requested.communities, people: [] };
}

/**
 * A copy of a string that shares no memory with the text it was cut from. A streamed
 * upload's parser cuts strings out of its read buffers (V8 slices keep the whole buffer
 * alive): keeping those slices in the per-object results kept every buffer of a 100 MB
 * upload in memory until the end of the ingest.
 */
export function detached(s: string): string {
  return s.length ? (JSON.parse(JSON.stringify(s)) as string) : s;
}

export const hashOf = (body: string): string => sha256(body, 'base64url');

export function correlationValues(obj: Record<string, unknown>): CorrelationValue[] {
  try {
    if (obj.type === 'indicator' && obj.pattern_type === 'stix' && typeof obj.pattern === 'string') return valuesFromPattern(obj.pattern);
    return valuesFromObservable(obj);
  } catch {
    // A value we cannot normalise is simply not correlated; the object itself was valid.
    return [];
  }
}

function problemReasons(ps: StixProblem[]) {
  return ps.map((p) => ({ property: p.property, rule: p.rule, message: p.message }));
}

/** A valid object to go on with: what the later steps need of it. */
export interface Valid {
  id: string;
  type: string;
  rec: Record<string, unknown>;
  body: string;
  hash: string;
  version: string;
}

/** Validation: the object to go on with, or its result when it goes no further (rejected, or a TLP definition of the platform's). */
export function checkObject(h: Hinted, isPlatform: boolean): Valid | { result: ObjectResult } {
  const raw = h.raw;
  const rec = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  // Kept until the end of the ingest (results, duplicate keys): copies, see detached().
  const id = rec && typeof rec.id === 'string' ? detached(rec.id) : null;
  const type = rec && typeof rec.type === 'string' ? detached(rec.type) : null;
  // Already stored, byte for byte, by this organisation: it passed validation then and will be a duplicate.
  const problems = h.stored ? [] : validateObject(raw);
  if (problems.length || !rec || !id || !type) {
    return { result: { id, type, version: rec ? detached(versionOf(rec)) : null, status: 'rejected', reasons: problemReasons(problems.length ? problems : [{ id, type, property: '', rule: 'schema', message: 'not a STIX object' }]) } };
  }
  // The TLP definitions are the platform's: a member's copy under their ids is never stored (it could
  // stand for a marking it is not). Bundles from other tools carry them routinely, so it is no error.
  if (isTlpMarkingId(id) && !isPlatform) {
    return { result: { id, type, version: detached(versionOf(rec)), status: 'duplicate', notes: ['TLP marking definitions are part of the platform; not stored again'] } };
  }
  const body = h.body ?? JSON.stringify(rec);
  const hash = h.hash ?? hashOf(body);
  const version = detached(versionOf(rec, hash));
  return { id, type, rec, body, hash, version };
}

/**
 * An (id, version) seen before in this submission: the result for this copy and, when
 * the contents differ, the earlier copy to withdraw. Null for a first sighting, which
 * is remembered.
 */
export function repeatOf(run: Run, v: Valid, index: number): { result: ObjectResult; withdraw?: { index: number; reason: Reason } } | null {
  const { id, type, version, hash } = v;
  // Same id and no version in the object: a different content in one submission is still a conflict.
  const key = isContentVersion(version) ? `${id}\u0000sco` : `${id}\u0000${version}`;
  const prior = run.seen.get(key);
  if (!prior) {
    run.seen.set(key, { hash, index });
    return null;
  }
  if (prior.hash === hash) return { result: { id, type, version, status: 'duplicate', notes: ['repeated in this submission'] } };
  const reason = { property: 'id', rule: 'conflicting-version', message: `${id} appears twice in this submission with the same version and different content` };
  return { result: { id, type, version, status: 'rejected', reasons: [reason] }, withdraw: { index: prior.index, reason } };
}

const CYCLE_PROPS = ['created_by_ref', 'parent_ref', 'child_refs', 'parent_directory_ref', 'contains_refs', 'body_multipart', 'opened_connection_refs', 'encapsulates_refs', 'encapsulated_by_ref', 'sample_ref', 'image_ref', 'creator_user_ref'];
/** Just the properties through which a cycle can run, so a large upload is not kept whole in memory. */
function cycleStub(o: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = { type: o.type, id: o.id };
  for (const k of CYCLE_PROPS) if (k in o) s[k] = o[k];
  return s;
}

/** Remember what is checked once the whole submission is read: the markings an object refers to, and the references a cycle could run through. */
export function noteReferences(run: Run, v: Valid, index: number) {
  const { id, type, rec } = v;
  if (type === 'marking-definition') run.definedMarkings.add(id);
  const refs = new Set<string>();
  if (Array.isArray(rec.object_marking_refs)) for (const r of rec.object_marking_refs) if (typeof r === 'string') refs.add(r);
  if (Array.isArray(rec.granular_markings))
    for (const g of rec.granular_markings) if (g && typeof g === 'object' && typeof (g as { marking_ref?: unknown }).marking_ref === 'string') refs.add((g as { marking_ref: string }).marking_ref);
  const custom = [...refs].filter((r) => !isTlpMarkingId(r)).map(detached);
  if (custom.length) run.markingsNeeded.push({ index, refs: custom });
  // Only objects with a reference through which a cycle can run: the others cannot be on one.
  const stub = cycleStub(rec);
  if (Object.keys(stub).length > 2) run.cycleGraph.push(JSON.parse(JSON.stringify(stub)) as Record<string, unknown>);
}

/** The TLP an object is stored at (its own markings, never loosened by the request) and the audience that TLP allows. */
export function resolveMarking(rec: Record<string, unknown>, o: IngestOptions, isPlatform: boolean): { tlp: Tlp; audience: Audience; notes: string[] } {
  const notes: string[] = [];
  // Marking and extension definitions follow the same rules as every other object: their own
  // markings, the request's floor and its audience. Only platform reference content is CLEAR.
  const own = tlpOfObject(rec);
  let tlp: Tlp = own ?? o.defaultTlp;
  if (o.tlp) {
    const floor = mostRestrictive(tlp, o.tlp);
    if (own && floor !== own) notes.push(`stored at TLP:${floor} as asked; the object itself is marked TLP:${own}`);
    tlp = floor;
  }
  if (isPlatform && tlp !== 'CLEAR' && tlp !== 'GREEN') tlp = 'CLEAR';
  const audience = audienceForTlp(tlp, o.audience, notes);
  return { tlp, audience, notes };
}
