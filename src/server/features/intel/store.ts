import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change, type Change } from '../../platform/deps.js';
import { appendAudit } from '../../platform/audit.js';
import { publishEvent } from '../../platform/events.js';
import type { AuditAction } from '../../platform/audit.js';
import { newId } from '../../platform/ids.js';
import type { Audience, Pap, Tlp, Viewer } from '../../platform/access/policy.js';
import { checkObject, correlationValues, hashOf, newRun, noteReferences, repeatOf, resolveMarking, versionOf, type Hinted, type Pending, type Run } from './ingest-object.js';
import { batchWriter, finishSubmission, insertObjects, insertValues, openSubmission, publishAdded, reject, rejectUnresolved, rowKey, settleHeld } from './ingest-write.js';
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
/** Serialises ingest commits so that date_added grows in commit order (TAXII resumes from it). */
const INGEST_LOCK = 0x70756e74; // 'punt'

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
  const trx = c.trx;
  const run = newRun(newId());
  const orgKey = o.actor.organisationId ?? ZERO_UUID;
  const isPlatform = o.actor.organisationId === null && o.actor.personId === null;
  const clock = { base: await lockAndClock(trx), added: 0 };
  await openSubmission(trx, run.submissionId, o);
  const writer = batchWriter((items) => writeBatch(trx, run, o, orgKey, clock, items), o.batchSize ?? 1000);

  let index = 0;
  try {
    for await (const h of withStoredHints(trx, orgKey, objects)) {
      const i = index++;
      // Let the database round trips of the batch in flight proceed (an array source never yields to I/O).
      if (i % 200 === 199) await new Promise<void>((r) => setImmediate(r));
      const pending = await takeObject(trx, run, h, i, o, isPlatform, writer.idle);
      if (pending) await writer.add(pending);
    }
    await writer.finish();
  } catch (e) {
    // Never leave a write running when the transaction ends: it would run after the rollback.
    await writer.settle();
    throw e;
  }

  await rejectUnresolved(trx, run, o);
  const result = await finishSubmission(c, run, o);
  if (result.accepted) await publishAdded(c, run.submissionId, run.results, o);
  return result;
}

/**
 * Write one batch. Objects rejected since they joined it are skipped; `clock.added`
 * counts the objects written so far, which orders added_at after `clock.base`.
 */
async function writeBatch(trx: Transaction<DB>, run: Run, o: IngestOptions, orgKey: string, clock: { base: Date; added: number }, items: Pending[]) {
  const current = items.filter((b) => run.results[b.index]!.status !== 'rejected');
  if (!current.length) return;
  const start = clock.added;
  clock.added += current.length;
  const seqOf = await insertObjects(trx, current, { base: clock.base, start }, run.submissionId, o);
  // Not inserted: this organisation (or the platform) already holds that (id, version). The
  // unique index found them in the insert itself; only these few need their stored hash.
  const fresh: Pending[] = [];
  const held: Pending[] = [];
  for (const b of current) (seqOf.has(rowKey(String(b.obj.id), b.version)) ? fresh : held).push(b);
  if (held.length) settleHeld(run.results, held, await storedHashes(trx, orgKey, held));
  await insertValues(trx, run.results, fresh, seqOf);
}

/**
 * One object through validation, the version check within the submission, and its
 * marking: its result is set, and what is to be written is answered. `idle` waits for
 * the batch in flight.
 */
async function takeObject(trx: Transaction<DB>, run: Run, h: Hinted, i: number, o: IngestOptions, isPlatform: boolean, idle: () => Promise<void>): Promise<Pending | null> {
  const v = checkObject(h, isPlatform);
  if ('result' in v) {
    run.results[i] = v.result;
    return null;
  }
  const repeat = repeatOf(run, v, i);
  if (repeat) {
    run.results[i] = repeat.result;
    if (repeat.withdraw) {
      // The first copy is withdrawn too (deleted if already written; skipped if still waiting in the batch).
      await idle();
      if (run.results[repeat.withdraw.index]!.status !== 'rejected') await reject(trx, run.submissionId, run.results, repeat.withdraw.index, repeat.withdraw.reason);
    }
    return null;
  }
  noteReferences(run, v, i);
  const { tlp, audience, notes } = resolveMarking(v.rec, o, isPlatform);
  run.results[i] = { id: v.id, type: v.type, version: v.version, status: 'accepted', tlp, ...(notes.length ? { notes } : {}) };
  // Held already (the lookup ran inside this ingest's lock): a duplicate, as the insert-time check would find.
  if (h.stored) {
    run.results[i] = { ...run.results[i]!, status: 'duplicate' };
    return null;
  }
  // Right after validation, which parsed the same pattern (the parser keeps the last tree).
  return { index: i, obj: v.rec, body: v.body, hash: v.hash, version: v.version, tlp, audience, values: correlationValues(v.rec) };
}

/** Take the ingest lock; answer the time after which this submission's objects are added (after every object stored, and now). */
async function lockAndClock(trx: Transaction<DB>): Promise<Date> {
  await sql`SELECT pg_advisory_xact_lock(${INGEST_LOCK})`.execute(trx);
  const last = await sql<{ base: Date }>`SELECT greatest(clock_timestamp(), coalesce((SELECT max(added_at) FROM intel_objects), '-infinity'::timestamptz) + interval '1 microsecond') AS base`.execute(trx);
  return last.rows[0]!.base;
}

/** The content hashes this organisation (or the platform) holds for these objects' (id, version), by rowKey. */
async function storedHashes(trx: Transaction<DB>, orgKey: string, held: Pending[]): Promise<Map<string, string>> {
  const existing = await sql<{ stix_id: string; version: string; content_hash: string }>`
    SELECT stix_id, version, content_hash FROM intel_objects
    WHERE coalesce(author_org_id, ${ZERO_UUID}::uuid) = ${orgKey}::uuid
      AND (stix_id, version) IN (SELECT * FROM unnest(${held.map((b) => String(b.obj.id))}::text[], ${held.map((b) => b.version)}::text[]))`.execute(trx);
  return new Map(existing.rows.map((r) => [rowKey(r.stix_id, r.version), r.content_hash]));
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

/** The per-object results of a submission, in order (chunks; or the single value of submissions stored before migration 0012). */
export async function submissionResults(db: Kysely<DB>, submissionId: string, inline: unknown): Promise<ObjectResult[]> {
  const chunks = await db.selectFrom('intel_submission_results').select('results').where('submission_id', '=', submissionId).orderBy('chunk').execute();
  if (!chunks.length) return Array.isArray(inline) ? (inline as ObjectResult[]) : [];
  return chunks.flatMap((c) => c.results as ObjectResult[]);
}
