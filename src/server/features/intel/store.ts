import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change, type Change } from '../../platform/deps.js';
import { appendAudit } from '../../platform/audit.js';
import { publishEvent } from '../../platform/events.js';
import type { AuditAction } from '../../platform/audit.js';
import { newId, sha256 } from '../../platform/ids.js';
import { AppError } from '../../platform/errors.js';
import type { Audience, Pap, Tlp, Viewer } from '../../platform/access/policy.js';
import { isTlpMarkingId, mostRestrictive, tlpOfObject } from './stix/tlp.js';
import { referenceCycles, validateObject, type StixProblem } from './stix/validate.js';
import { valuesFromObservable, valuesFromPattern, type CorrelationValue } from './stix/normalise.js';
import { markingDefinitionsSeen } from './repository.js';
import './tables.js';

/**
 * Ingest: the one path by which STIX objects enter the store (REST bundles,
 * uploads, TAXII POST, MISP/CSAF/KEV imports, subscription polls, reference data).
 *
 * Per object: validate (OASIS schemas + the rules they cannot express), work out
 * its TLP (its own markings, never loosened by the request) and its audience,
 * then accept, call it a duplicate, or reject it with reasons. The accepted ones
 * commit together in one transaction with the submission record, one audit
 * entry and the events; a retried bundle finds only duplicates and changes
 * nothing in the store.
 */

export type ObjectStatus = 'accepted' | 'duplicate' | 'rejected';
export interface ObjectResult {
  id: string | null;
  type: string | null;
  version: string | null;
  status: ObjectStatus;
  tlp?: Tlp;
  reasons?: { property: string; rule: string; message: string }[];
  notes?: string[];
}

export interface IngestActor {
  personId: string | null;
  /** null: platform reference content (ATT&CK, KEV, TLP definitions). */
  organisationId: string | null;
  viewer: Viewer | null;
}

export interface IngestOptions {
  source: string;
  actor: IngestActor;
  /** The TLP for objects that carry none ("the default of where they arrived"). */
  defaultTlp: Tlp;
  /** A floor asked for by the submitter: objects are never shared more widely than this. */
  tlp?: Tlp | null;
  pap?: Pap;
  audience: Audience;
  requestHash?: string | null;
  /** Insert rows in batches of this many (default 1,000). */
  batchSize?: number;
  /** Keep the submission (for a TAXII status resource) even when nothing could be stored. Otherwise such a submission throws BUNDLE_REJECTED and changes nothing. */
  keepWhenAllRejected?: boolean;
  /** Hide the submitting organisation from other members (anonymous sightings). */
  anonymous?: boolean;
  /** More writes that belong to the same transaction (e.g. the sighting row beside its STIX sighting). */
  within?: (trx: Transaction<DB>, results: ObjectResult[]) => Promise<void>;
  auditAction?: AuditAction;
  auditDetails?: Record<string, unknown>;
}

export interface IngestResult {
  submissionId: string;
  total: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  results: ObjectResult[];
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
/** Per-object results are stored in chunks of this many (see migration 0012). */
const RESULTS_CHUNK = 2000;
/** Serialises ingest commits so that date_added grows in commit order (TAXII resumes from it). */
const INGEST_LOCK = 0x70756e74; // 'punt'

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

function objectName(obj: Record<string, unknown>): string | null {
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
function searchText(obj: Record<string, unknown>): string {
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
function detached(s: string): string {
  return s.length ? (JSON.parse(JSON.stringify(s)) as string) : s;
}

const hashOf = (body: string): string => sha256(body, 'base64url');

function correlationValues(obj: Record<string, unknown>): CorrelationValue[] {
  try {
    if (obj.type === 'indicator' && obj.pattern_type === 'stix' && typeof obj.pattern === 'string') return valuesFromPattern(obj.pattern);
    return valuesFromObservable(obj);
  } catch {
    // A value we cannot normalise is simply not correlated; the object itself was valid.
    return [];
  }
}

interface Pending {
  index: number;
  obj: Record<string, unknown>;
  body: string;
  hash: string;
  version: string;
  tlp: Tlp;
  audience: Audience;
  values: CorrelationValue[];
}

function problemReasons(ps: StixProblem[]) {
  return ps.map((p) => ({ property: p.property, rule: p.rule, message: p.message }));
}

function toTimestamp(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : s;
}

/**
 * Ingest objects. `objects` may be an array or an async iterable (a streamed upload).
 * Marking definitions referenced by the objects must be TLP ones, defined in the
 * same submission, or already in the store and visible to the submitter.
 */
export async function ingestObjects(p: Platform, objects: Iterable<unknown> | AsyncIterable<unknown>, o: IngestOptions): Promise<IngestResult> {
  return change(p, (c) => ingestInChange(c, objects, o));
}

/** The same, inside a transaction someone else opened (the demo loader). */
export async function ingestInTransaction(trx: Transaction<DB>, objects: Iterable<unknown> | AsyncIterable<unknown>, o: IngestOptions): Promise<IngestResult> {
  return ingestInChange(
    {
      trx,
      audit: (e) => appendAudit(trx, e),
      event: (e) => publishEvent(trx, e),
      mail: () => Promise.reject(new Error('ingest sends no mail')),
      mails: () => Promise.reject(new Error('ingest sends no mail')),
    },
    objects,
    o,
  );
}

async function ingestInChange(c: Change, objects: Iterable<unknown> | AsyncIterable<unknown>, o: IngestOptions): Promise<IngestResult> {
  const results: ObjectResult[] = [];
  const batchSize = o.batchSize ?? 1000;
  const submissionId = newId();
  const orgKey = o.actor.organisationId ?? ZERO_UUID;
  // First sighting in this submission of each (id, version): its content hash and result index.
  const seen = new Map<string, { hash: string; index: number }>();
  const definedMarkings = new Set<string>();
  const cycleGraph: Record<string, unknown>[] = [];
  let accepted = 0;
  const isPlatform = o.actor.organisationId === null && o.actor.personId === null;

  {
    const trx = c.trx;
    await sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK})`.execute(trx);
    const last = await sql<{ base: Date }>`SELECT greatest(clock_timestamp(), coalesce((SELECT max(added_at) FROM intel_objects), '-infinity'::timestamptz) + interval '1 microsecond') AS base`.execute(trx);
    const base = last.rows[0]!.base;
    let addedIndex = 0;
    await trx
      .insertInto('intel_submissions')
      .values({ id: submissionId, source: o.source, person_id: o.actor.personId, organisation_id: o.actor.organisationId, status: 'pending', request_hash: o.requestHash ?? null })
      .execute();

    let batch: Pending[] = [];
    const markingsNeeded: { index: number; refs: string[] }[] = [];

    const flush = async (items: Pending[]) => {
      const current = items.filter((b) => results[b.index]!.status !== 'rejected');
      if (!current.length) return;
      const start = addedIndex;
      addedIndex += current.length;
      // The rows travel as one JSON parameter: JSON.stringify is native and far cheaper than
      // node-postgres escaping a dozen arrays of text element by element.
      const rowsJson = JSON.stringify(
        current.map((b, k) => ({
          n: k + 1,
          i: String(b.obj.id),
          t: String(b.obj.type),
          s: typeof b.obj.spec_version === 'string' ? b.obj.spec_version : null,
          v: b.version,
          va: toTimestamp(b.version),
          c: toTimestamp(b.obj.created),
          r: b.obj.revoked === true,
          nm: objectName(b.obj),
          cf: typeof b.obj.confidence === 'number' ? b.obj.confidence : null,
          b: b.body,
          h: b.hash,
          q: searchText(b.obj),
          l: b.tlp,
          ao: b.audience.organisations,
          ac: b.audience.communities,
          ap: b.audience.people,
          sr: b.obj.type === 'sighting' && typeof b.obj.sighting_of_ref === 'string' ? b.obj.sighting_of_ref : null,
        })),
      );
      const inserted = await sql<{ seq: string; stix_id: string; version: string }>`
        INSERT INTO intel_objects (stix_id, stix_type, spec_version, version, version_at, created, revoked, name, confidence, body, content_hash,
          added_at, submission_id, source, anonymous, search, tlp, pap, author_id, author_org_id, audience_organisations, audience_communities, audience_people, subject_ref)
        SELECT r.i, r.t, r.s, r.v,
               coalesce(r.va, ${base}::timestamptz + ((${start}::bigint + r.n - 1) * interval '1 microsecond')), r.c, r.r, r.nm, r.cf, r.b, r.h,
               ${base}::timestamptz + ((${start}::bigint + r.n - 1) * interval '1 microsecond'),
               ${submissionId}::uuid, ${o.source}, ${o.anonymous ?? false}, to_tsvector('simple', r.q), r.l, ${o.pap ?? 'CLEAR'},
               ${o.actor.personId}::uuid, ${o.actor.organisationId}::uuid,
               r.ao, r.ac, r.ap, r.sr
        FROM json_to_recordset(${rowsJson}::json) AS r(n bigint, i text, t text, s text, v text, va timestamptz, c timestamptz, r boolean, nm text, cf smallint, b text, h text, q text, l text, ao uuid[], ac uuid[], ap uuid[], sr text)
        ORDER BY r.n
        ON CONFLICT (stix_id, version, (coalesce(author_org_id, '00000000-0000-0000-0000-000000000000'::uuid))) DO NOTHING
        RETURNING seq, stix_id, version`.execute(trx);
      const seqOf = new Map(inserted.rows.map((r) => [`${r.stix_id}\u0000${r.version}`, r.seq]));
      // Not inserted: this organisation (or the platform) already holds that (id, version). The
      // unique index found them in the insert itself; only these few need their stored hash.
      const fresh: Pending[] = [];
      const held: Pending[] = [];
      for (const b of current) (seqOf.has(`${String(b.obj.id)}\u0000${b.version}`) ? fresh : held).push(b);
      if (held.length) {
        const existing = await sql<{ stix_id: string; version: string; content_hash: string }>`
          SELECT stix_id, version, content_hash FROM intel_objects
          WHERE coalesce(author_org_id, ${ZERO_UUID}::uuid) = ${orgKey}::uuid
            AND (stix_id, version) IN (SELECT * FROM unnest(${held.map((b) => String(b.obj.id))}::text[], ${held.map((b) => b.version)}::text[]))`.execute(trx);
        const have = new Map(existing.rows.map((r) => [`${r.stix_id}\u0000${r.version}`, r.content_hash]));
        for (const b of held) {
          if (have.get(`${String(b.obj.id)}\u0000${b.version}`) === b.hash) results[b.index] = { ...results[b.index]!, status: 'duplicate' };
          else
            results[b.index] = {
              ...results[b.index]!,
              status: 'rejected',
              reasons: [{ property: 'id', rule: 'conflicting-version', message: `${String(b.obj.id)} version ${b.version || '(unversioned)'} is already held with different content; a change needs a new "modified" timestamp` }],
            };
        }
      }
      const vSeq: string[] = [];
      const vKind: string[] = [];
      const vValue: string[] = [];
      for (const b of fresh) {
        const seq = seqOf.get(`${String(b.obj.id)}\u0000${b.version}`)!;
        const uniq = new Set<string>();
        for (const v of b.values) {
          const k = `${v.kind}\u0000${v.value}`;
          if (uniq.has(k)) continue;
          uniq.add(k);
          vSeq.push(seq);
          vKind.push(v.kind);
          vValue.push(v.value);
        }
        results[b.index] = { ...results[b.index]!, status: 'accepted' };
        accepted++;
      }
      if (vSeq.length)
        await sql`INSERT INTO intel_values (object_seq, kind, value) SELECT * FROM unnest(${vSeq}::bigint[], ${vKind}::text[], ${vValue}::text[]) ON CONFLICT DO NOTHING`.execute(trx);
    };

    // Pipelined: while the database writes one batch, the next one is validated. The batches
    // are written one after the other (each waits for the one before), in order; whatever
    // changes a written row (reject) first waits for the batch in flight.
    let inFlight: Promise<void> = Promise.resolve();
    const startFlush = async () => {
      const items = batch;
      batch = [];
      await inFlight;
      if (!items.length) return;
      inFlight = flush(items);
      // Its error surfaces where it is awaited next; not as an unhandled rejection meanwhile.
      inFlight.catch(() => {});
    };

    let index = 0;
    try {
      for await (const h of withStoredHints(trx, orgKey, objects)) {
        const raw = h.raw;
        const i = index++;
        // Let the database round trips of the batch in flight proceed (an array source never yields to I/O).
        if (i % 200 === 199) await new Promise<void>((r) => setImmediate(r));
        const rec = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
        // Kept until the end of the ingest (results, duplicate keys): copies, see detached().
        const id = rec && typeof rec.id === 'string' ? detached(rec.id) : null;
        const type = rec && typeof rec.type === 'string' ? detached(rec.type) : null;
        // Already stored, byte for byte, by this organisation: it passed validation then and will be a duplicate.
        const problems = h.stored ? [] : validateObject(raw);
        if (problems.length || !rec || !id || !type) {
          results[i] = { id, type, version: rec ? detached(versionOf(rec)) : null, status: 'rejected', reasons: problemReasons(problems.length ? problems : [{ id, type, property: '', rule: 'schema', message: 'not a STIX object' }]) };
          continue;
        }
        // The TLP definitions are the platform's: a member's copy under their ids is never stored (it could
        // stand for a marking it is not). Bundles from other tools carry them routinely, so it is no error.
        if (isTlpMarkingId(id) && !isPlatform) {
          results[i] = { id, type, version: detached(versionOf(rec)), status: 'duplicate', notes: ['TLP marking definitions are part of the platform; not stored again'] };
          continue;
        }
        const body = h.body ?? JSON.stringify(rec);
        const hash = h.hash ?? hashOf(body);
        const version = detached(versionOf(rec, hash));
        // Same id and no version in the object: a different content in one submission is still a conflict.
        const key = isContentVersion(version) ? `${id}\u0000sco` : `${id}\u0000${version}`;
        const prior = seen.get(key);
        if (prior) {
          if (prior.hash === hash) {
            results[i] = { id, type, version, status: 'duplicate', notes: ['repeated in this submission'] };
          } else {
            const reason = { property: 'id', rule: 'conflicting-version', message: `${id} appears twice in this submission with the same version and different content` };
            results[i] = { id, type, version, status: 'rejected', reasons: [reason] };
            // The first copy is withdrawn too (deleted if already written; skipped if still waiting in the batch).
            await inFlight;
            if (results[prior.index]!.status !== 'rejected') await reject(trx, submissionId, results, prior.index, reason);
          }
          continue;
        }
        seen.set(key, { hash, index: i });
        if (type === 'marking-definition') definedMarkings.add(id);
        const refs = new Set<string>();
        if (Array.isArray(rec.object_marking_refs)) for (const r of rec.object_marking_refs) if (typeof r === 'string') refs.add(r);
        if (Array.isArray(rec.granular_markings))
          for (const g of rec.granular_markings) if (g && typeof g === 'object' && typeof (g as { marking_ref?: unknown }).marking_ref === 'string') refs.add((g as { marking_ref: string }).marking_ref);
        const custom = [...refs].filter((r) => !isTlpMarkingId(r)).map(detached);
        if (custom.length) markingsNeeded.push({ index: i, refs: custom });
        // Only objects with a reference through which a cycle can run: the others cannot be on one.
        const stub = cycleStub(rec);
        if (Object.keys(stub).length > 2) cycleGraph.push(JSON.parse(JSON.stringify(stub)) as Record<string, unknown>);

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
        results[i] = { id, type, version, status: 'accepted', tlp, ...(notes.length ? { notes } : {}) };
        // Held already (the lookup ran inside this ingest's lock): a duplicate, as the insert-time check would find.
        if (h.stored) results[i] = { ...results[i]!, status: 'duplicate' };
        // Right after validation, which parsed the same pattern (the parser keeps the last tree).
        else batch.push({ index: i, obj: rec, body, hash, version, tlp, audience, values: correlationValues(rec) });
        if (batch.length >= batchSize) await startFlush();
      }
      await startFlush();
      await inFlight;
    } catch (e) {
      // Never leave a write running when the transaction ends: it would run after the rollback.
      await inFlight.catch(() => {});
      throw e;
    }

    // Markings that are neither TLP, nor defined here, nor stored where the submitter can see them.
    if (markingsNeeded.length) {
      const wanted = [...new Set(markingsNeeded.flatMap((m) => m.refs).filter((r) => !definedMarkings.has(r)))];
      const known = wanted.length ? await markingDefinitionsSeen(trx, o.actor.viewer, wanted, submissionId) : new Set<string>();
      for (const m of markingsNeeded) {
        const unknown = m.refs.filter((r) => !definedMarkings.has(r) && !known.has(r));
        if (unknown.length) await reject(trx, submissionId, results, m.index, { property: 'object_marking_refs', rule: 'unknown-marking', message: `marking ${unknown.join(', ')} is neither a TLP marking nor defined in this submission or the store` });
      }
    }
    for (const pr of referenceCycles(cycleGraph)) {
      const i = results.findIndex((r) => r && r.id === pr.id && r.status !== 'rejected');
      if (i >= 0) await reject(trx, submissionId, results, i, { property: pr.property, rule: pr.rule, message: pr.message });
    }

    accepted = results.filter((r) => r?.status === 'accepted').length;
    const duplicates = results.filter((r) => r?.status === 'duplicate').length;
    const rejected = results.filter((r) => r?.status === 'rejected').length;
    if (accepted === 0 && rejected > 0 && !o.keepWhenAllRejected)
      throw new AppError('BUNDLE_REJECTED', 'No object of the bundle could be stored', { submissionId: null, total: results.length, accepted, duplicates, rejected, results });
    if (o.within) await o.within(trx, results);
    await trx.updateTable('intel_submissions').set({ status: 'complete', total: results.length, accepted, duplicates, rejected }).where('id', '=', submissionId).execute();
    for (let k = 0; k * RESULTS_CHUNK < results.length; k++)
      await trx.insertInto('intel_submission_results').values({ submission_id: submissionId, chunk: k, results: JSON.stringify(results.slice(k * RESULTS_CHUNK, (k + 1) * RESULTS_CHUNK)) }).execute();
    await c.audit({
      action: o.auditAction ?? 'intel.ingested',
      actorId: o.actor.personId,
      actorOrgId: o.actor.organisationId,
      organisationId: o.actor.organisationId,
      targetType: 'intel_submission',
      targetId: submissionId,
      details: { source: o.source, total: results.length, accepted, duplicates, rejected, ...o.auditDetails },
    });
    if (accepted) {
      // One event per distinct marking, so the stream tells each viewer only about what they may see.
      // Grouped from the results (the audience follows from the TLP), not by reading the rows back:
      // there is no index on submission_id, and a scan of the store per ingest grows with the store.
      const groups = new Map<Tlp, { n: number; types: Set<string> }>();
      for (const r of results) {
        if (r?.status !== 'accepted' || !r.tlp) continue;
        const g = groups.get(r.tlp) ?? { n: 0, types: new Set<string>() };
        g.n++;
        if (r.type) g.types.add(r.type);
        groups.set(r.tlp, g);
      }
      for (const [tlp, g] of groups) {
        await c.event({
          type: 'intel.objects_added',
          subjectType: 'intel_submission',
          subjectId: submissionId,
          payload: { count: g.n, types: [...g.types].sort().slice(0, 20), tlp },
          marking: { tlp, authorId: o.actor.personId, authorOrgId: o.actor.organisationId, audience: audienceForTlp(tlp, o.audience, []) },
        });
      }
    }
    return { submissionId, total: results.length, accepted, duplicates, rejected, results };
  }
}

interface Hinted {
  raw: unknown;
  body?: string;
  hash?: string;
  /** This organisation (or the platform) already holds this (id, version) with this very content. */
  stored?: boolean;
}

const PROBE_CHUNK = 1000;

/**
 * The objects, with a hint for those already stored with the same (id, version, content
 * hash): validation (the most expensive step) is skipped for them, as they passed it when
 * they were stored and are duplicates: they skip the batch too. A retried bundle, a
 * re-polled TAXII collection or a reloaded reference set costs one lookup per chunk instead.
 * The lookup runs inside the ingest's lock (no other ingest commits meanwhile), so what it
 * finds is held. Probing stops once a chunk is mostly new, so a fresh bundle pays one lookup.
 */
async function* withStoredHints(trx: Transaction<DB>, orgKey: string, objects: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<Hinted> {
  let probing = true;
  const hint = async (chunk: unknown[]): Promise<Hinted[]> => {
    if (!probing) return chunk.map((raw) => ({ raw }));
    const out: Hinted[] = chunk.map((raw) => {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw) || typeof (raw as { id?: unknown }).id !== 'string') return { raw };
      const body = JSON.stringify(raw);
      return { raw, body, hash: hashOf(body) };
    });
    const keyed = out.filter((h) => h.hash !== undefined);
    const ids = keyed.map((h) => (h.raw as { id: string }).id);
    const versions = keyed.map((h) => versionOf(h.raw as Record<string, unknown>, h.hash));
    if (!ids.length) return out;
    const rows = await sql<{ key: string }>`
      SELECT stix_id || chr(1) || version || chr(1) || content_hash AS key FROM intel_objects
      WHERE coalesce(author_org_id, ${ZERO_UUID}::uuid) = ${orgKey}::uuid
        AND (stix_id, version) IN (SELECT * FROM unnest(${ids}::text[], ${versions}::text[]))`.execute(trx);
    const have = new Set(rows.rows.map((r) => r.key));
    let hits = 0;
    keyed.forEach((h, k) => {
      if (have.has(`${ids[k]}\u0001${versions[k]}\u0001${h.hash}`)) {
        h.stored = true;
        hits++;
      }
    });
    probing = hits * 4 >= chunk.length;
    return out;
  };
  let buf: unknown[] = [];
  for await (const raw of objects as AsyncIterable<unknown>) {
    buf.push(raw);
    if (buf.length >= PROBE_CHUNK) {
      yield* await hint(buf);
      buf = [];
    }
  }
  if (buf.length) yield* await hint(buf);
}

const CYCLE_PROPS = ['created_by_ref', 'parent_ref', 'child_refs', 'parent_directory_ref', 'contains_refs', 'body_multipart', 'opened_connection_refs', 'encapsulates_refs', 'encapsulated_by_ref', 'sample_ref', 'image_ref', 'creator_user_ref'];
/** Just the properties through which a cycle can run, so a large upload is not kept whole in memory. */
function cycleStub(o: Record<string, unknown>): Record<string, unknown> {
  const s: Record<string, unknown> = { type: o.type, id: o.id };
  for (const k of CYCLE_PROPS) if (k in o) s[k] = o[k];
  return s;
}

async function reject(trx: Transaction<DB>, submissionId: string, results: ObjectResult[], i: number, reason: { property: string; rule: string; message: string }) {
  const r = results[i]!;
  if (r.status === 'accepted') {
    const gone = await trx.deleteFrom('intel_objects').where('submission_id', '=', submissionId).where('stix_id', '=', r.id!).where('version', '=', r.version ?? '').returning('seq').execute();
    if (gone.length) await trx.deleteFrom('intel_values').where('object_seq', 'in', gone.map((g) => g.seq)).execute();
  }
  results[i] = { ...r, status: 'rejected', reasons: [...(r.reasons ?? []), reason] };
}

/** The per-object results of a submission, in order (chunks; or the single value of submissions stored before migration 0012). */
export async function submissionResults(db: Kysely<DB>, submissionId: string, inline: unknown): Promise<ObjectResult[]> {
  const chunks = await db.selectFrom('intel_submission_results').select('results').where('submission_id', '=', submissionId).orderBy('chunk').execute();
  if (!chunks.length) return Array.isArray(inline) ? (inline as ObjectResult[]) : [];
  return chunks.flatMap((c) => c.results as ObjectResult[]);
}
