import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Change } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import type { Tlp } from '../../platform/access/policy.js';
import { referenceCycles } from './stix/validate.js';
import { markingDefinitionsSeen } from './repository.js';
import { audienceForTlp, objectName, searchText, type Pending, type Reason, type Run } from './ingest-object.js';
import type { IngestOptions, IngestResult, ObjectResult } from './store.js';
import './tables.js';

/**
 * The ingest's writes: the submission record, the objects batch by batch with their
 * correlation values, the withdrawal of an object already written, and the end of a
 * submission (its results, audit entry and events). The reads that decide what is a
 * duplicate stay in store.ts.
 */

/** Per-object results are stored in chunks of this many (see migration 0012). */
const RESULTS_CHUNK = 2000;

export async function openSubmission(trx: Transaction<DB>, submissionId: string, o: IngestOptions) {
  await trx
    .insertInto('intel_submissions')
    .values({ id: submissionId, source: o.source, person_id: o.actor.personId, organisation_id: o.actor.organisationId, status: 'pending', request_hash: o.requestHash ?? null })
    .execute();
}

function toTimestamp(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : s;
}

export const rowKey = (stixId: string, version: string) => `${stixId}\u0000${version}`;

/**
 * Insert a batch; `start` is the position of its first object in the submission, which
 * orders added_at after `base`. Answers the new rows' seq by rowKey: an object missing
 * from it was not inserted, as its organisation already holds that (id, version).
 */
export async function insertObjects(trx: Transaction<DB>, items: Pending[], at: { base: Date; start: number }, submissionId: string, o: IngestOptions): Promise<Map<string, string>> {
  const { base, start } = at;
  // The rows travel as one JSON parameter: JSON.stringify is native and far cheaper than
  // node-postgres escaping a dozen arrays of text element by element.
  const rowsJson = JSON.stringify(
    items.map((b, k) => ({
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
  return new Map(inserted.rows.map((r) => [rowKey(r.stix_id, r.version), r.seq]));
}

/** Objects the store already held under their (id, version): duplicates when the content is the same, conflicts otherwise. `have` maps rowKey to the stored content hash. */
export function settleHeld(results: ObjectResult[], held: Pending[], have: Map<string, string>) {
  for (const b of held) {
    if (have.get(rowKey(String(b.obj.id), b.version)) === b.hash) results[b.index] = { ...results[b.index]!, status: 'duplicate' };
    else
      results[b.index] = {
        ...results[b.index]!,
        status: 'rejected',
        reasons: [{ property: 'id', rule: 'conflicting-version', message: `${String(b.obj.id)} version ${b.version || '(unversioned)'} is already held with different content; a change needs a new "modified" timestamp` }],
      };
  }
}

/** The correlation values of the objects just inserted, under the seq each got. */
export async function insertValues(trx: Transaction<DB>, results: ObjectResult[], fresh: Pending[], seqOf: Map<string, string>) {
  const vSeq: string[] = [];
  const vKind: string[] = [];
  const vValue: string[] = [];
  for (const b of fresh) {
    const seq = seqOf.get(rowKey(String(b.obj.id), b.version))!;
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
  }
  if (vSeq.length)
    await sql`INSERT INTO intel_values (object_seq, kind, value) SELECT * FROM unnest(${vSeq}::bigint[], ${vKind}::text[], ${vValue}::text[]) ON CONFLICT DO NOTHING`.execute(trx);
}

/**
 * Pipelined: while the database writes one batch, the next one is validated. The batches
 * are written one after the other (each waits for the one before), in order; whatever
 * changes a written row (reject) first waits for the batch in flight (idle).
 */
export function batchWriter(write: (items: Pending[]) => Promise<void>, batchSize: number) {
  let batch: Pending[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const startFlush = async () => {
    const items = batch;
    batch = [];
    await inFlight;
    if (!items.length) return;
    inFlight = write(items);
    // Its error surfaces where it is awaited next; not as an unhandled rejection meanwhile.
    inFlight.catch(() => {});
  };
  return {
    add: async (b: Pending) => {
      batch.push(b);
      if (batch.length >= batchSize) await startFlush();
    },
    idle: () => inFlight,
    finish: async () => {
      await startFlush();
      await inFlight;
    },
    settle: () => inFlight.catch(() => {}),
  };
}

export async function reject(trx: Transaction<DB>, submissionId: string, results: ObjectResult[], i: number, reason: Reason) {
  const r = results[i]!;
  if (r.status === 'accepted') {
    const gone = await trx.deleteFrom('intel_objects').where('submission_id', '=', submissionId).where('stix_id', '=', r.id!).where('version', '=', r.version ?? '').returning('seq').execute();
    if (gone.length) await trx.deleteFrom('intel_values').where('object_seq', 'in', gone.map((g) => g.seq)).execute();
  }
  results[i] = { ...r, status: 'rejected', reasons: [...(r.reasons ?? []), reason] };
}

/** Once every object is read: withdraw those whose markings cannot be resolved, and those on a reference cycle. */
export async function rejectUnresolved(trx: Transaction<DB>, run: Run, o: IngestOptions) {
  const { submissionId, results, definedMarkings, markingsNeeded } = run;
  // Markings that are neither TLP, nor defined here, nor stored where the submitter can see them.
  if (markingsNeeded.length) {
    const wanted = [...new Set(markingsNeeded.flatMap((m) => m.refs).filter((r) => !definedMarkings.has(r)))];
    const known = wanted.length ? await markingDefinitionsSeen(trx, o.actor.viewer, wanted, submissionId) : new Set<string>();
    for (const m of markingsNeeded) {
      const unknown = m.refs.filter((r) => !definedMarkings.has(r) && !known.has(r));
      if (unknown.length) await reject(trx, submissionId, results, m.index, { property: 'object_marking_refs', rule: 'unknown-marking', message: `marking ${unknown.join(', ')} is neither a TLP marking nor defined in this submission or the store` });
    }
  }
  for (const pr of referenceCycles(run.cycleGraph)) {
    const i = results.findIndex((r) => r && r.id === pr.id && r.status !== 'rejected');
    if (i >= 0) await reject(trx, submissionId, results, i, { property: pr.property, rule: pr.rule, message: pr.message });
  }
}

/** Complete the submission record with its counts and per-object results, and audit it. Refuses a submission of which nothing could be stored, unless asked to keep it. */
export async function finishSubmission(c: Change, run: Run, o: IngestOptions): Promise<IngestResult> {
  const { trx } = c;
  const { submissionId, results } = run;
  const accepted = results.filter((r) => r?.status === 'accepted').length;
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
  return { submissionId, total: results.length, accepted, duplicates, rejected, results };
}

export async function publishAdded(c: Change, submissionId: string, results: ObjectResult[], o: IngestOptions) {
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
