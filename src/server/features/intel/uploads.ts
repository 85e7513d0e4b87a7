import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parserStream } from 'stream-json';
import Assembler from 'stream-json/assembler.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { markingOf, type Tlp } from '../../platform/access/policy.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { asActor, stixObjectAbilities } from '../../platform/access/abilities.js';
import { validateBundleShape } from './stix/validate.js';
import { ingestObjects, submissionResults, type IngestResult } from './store.js';
import { audienceOf, checkShareTarget, orgCopy } from './service.js';

const UUIDS = /^[0-9a-f-]{36}(,[0-9a-f-]{36})*$/i;
function idList(v: string | undefined, field: string): string[] {
  if (!v) return [];
  if (!UUIDS.test(v)) throw new AppError('VALIDATION_FAILED', `${field} must be comma-separated ids`, { field });
  return v.split(',');
}

/** Counts bytes as they pass and stops the stream beyond the limit. */
function byteLimit(limit: number) {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) cb(new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than ${limit} bytes`, { limit }));
      else cb(null, chunk);
    },
  });
}

type Token = { name: string; value?: unknown };

/**
 * The objects of a bundle read from a stream, one at a time: only the object
 * being assembled is in memory. The envelope (type, id, spec_version) is
 * collected on the way and checked at the end; a broken envelope or JSON
 * throws, which rolls the whole ingest back.
 */
export async function* streamBundleObjects(source: Readable): AsyncGenerator<unknown> {
  const tokens = source.pipe(parserStream({ streamValues: false }));
  const envelope: Record<string, unknown> = {};
  let depth = 0;
  let topKey: string | null = null;
  let inObjects = false;
  let asm: InstanceType<typeof Assembler> | null = null;
  let sawRoot = false;
  let objectsSeen: number | null = null;
  try {
    for await (const t of tokens as AsyncIterable<Token>) {
      if (asm) {
        asm.consume(t as never);
        if (asm.done) {
          // An element of `objects`; a structured envelope property was kept by its onDone instead.
          const value = asm.current;
          asm = null;
          if (inObjects) {
            objectsSeen!++;
            yield value;
          }
        }
        continue;
      }
      switch (t.name) {
        case 'startObject':
        case 'startArray':
          if (depth === 0) {
            if (t.name !== 'startObject') throw new AppError('VALIDATION_FAILED', 'Not a STIX 2.1 bundle: the document is not a JSON object', {});
            sawRoot = true;
          }
          if (depth === 2 && inObjects) {
            asm = new Assembler();
            asm.consume(t as never);
            continue;
          }
          if (depth === 1) {
            if (topKey === 'objects' && t.name === 'startArray') {
              inObjects = true;
              objectsSeen = 0;
            }
            else {
              // Any other structured top-level property is assembled and kept for the envelope check.
              asm = new Assembler();
              asm.consume(t as never);
              const key = topKey;
              const a = asm;
              a.onDone(() => {
                if (key) envelope[key] = a.current;
              });
              continue;
            }
          }
          depth++;
          break;
        case 'endObject':
        case 'endArray':
          depth--;
          if (depth === 1) inObjects = false;
          break;
        case 'keyValue':
          if (depth === 1) topKey = String(t.value);
          break;
        case 'stringValue':
        case 'numberValue':
        case 'nullValue':
        case 'trueValue':
        case 'falseValue': {
          const v = t.name === 'numberValue' ? Number(t.value) : t.value;
          if (depth === 1 && topKey) envelope[topKey] = v;
          else if (depth === 2 && inObjects) {
            objectsSeen!++;
            yield v;
          }
          else if (depth === 0) throw new AppError('VALIDATION_FAILED', 'Not a STIX 2.1 bundle: the document is not a JSON object', {});
          break;
        }
        default:
          break;
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INVALID_JSON', `The upload is not valid JSON: ${(e as Error).message}`, {});
  }
  if (!sawRoot) throw new AppError('VALIDATION_FAILED', 'Not a STIX 2.1 bundle: the upload is empty', {});
  // The objects were checked one by one as they streamed; the shape check needs only whether the list was there and empty.
  const problems = validateBundleShape({ ...envelope, ...(objectsSeen !== null && { objects: objectsSeen ? [null] : [] }) });
  if (problems.length) throw new AppError('VALIDATION_FAILED', 'Not a STIX 2.1 bundle', { problems });
}

/** POST /api/v1/intel/uploads: spool to a temporary file (bounded), then ingest from it. */
export async function uploadBundle(
  p: Platform,
  actor: Actor,
  body: NodeJS.ReadableStream,
  contentType: string | undefined,
  q: { tlp?: Tlp; organisations?: string; communities?: string; people?: string },
): Promise<IngestResult> {
  const pr = requireVetted(actor);
  const ct = String(contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!['application/json', 'application/stix+json', 'application/octet-stream'].includes(ct))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the bundle as application/json or application/stix+json', { contentType: ct });
  const audience = audienceOf({ organisations: idList(q.organisations, 'organisations'), communities: idList(q.communities, 'communities'), people: idList(q.people, 'people') });
  await checkShareTarget(p, pr, audience);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-upload-'));
  const file = path.join(dir, 'bundle.json');
  try {
    // Spooled first, so the ingest transaction never waits on the network.
    await pipeline(body as Readable, byteLimit(p.config.intelUploadMaxBytes), fs.createWriteStream(file));
    return await ingestObjects(p, streamBundleObjects(fs.createReadStream(file, { highWaterMark: 1 << 20 })), {
      source: 'upload',
      actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
      defaultTlp: q.tlp ?? 'AMBER',
      tlp: q.tlp ?? null,
      audience,
      batchSize: 2000,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function getSubmission(p: Platform, pr: Principal, id: string) {
  const s = await p.db.selectFrom('intel_submissions').selectAll().where('id', '=', id).executeTakeFirst();
  // Your own submissions, or your organisation's when you administer it.
  if (!s || !(s.person_id === pr.person.id || (hasRole(pr, 'org_admin') && s.organisation_id === pr.organisation.id))) throw notFound('Submission');
  return {
    submissionId: s.id,
    source: s.source,
    total: s.total,
    accepted: s.accepted,
    duplicates: s.duplicates,
    rejected: s.rejected,
    results: await submissionResults(p.db, s.id, s.results),
    createdAt: s.created_at.toISOString(),
  };
}

/**
 * Delete this organisation's copy of an object (all versions, or the given
 * ones). Only the organisation that submitted it — its admins, or the person
 * who submitted — may; what the viewer cannot see answers 404.
 */
export async function deleteObject(p: Platform, actor: Actor, stixId: string, versions: string[] | null): Promise<number> {
  const pr = requireVetted(actor);
  const rows = await orgCopy(p, pr, stixId, versions);
  if (!rows.length) throw notFound('Object');
  if (!stixObjectAbilities(asActor(pr), rows.map((r) => ({ authorId: r.author_id, authorOrgId: r.author_org_id }))).delete)
    throw forbidden('Only the person who submitted an object or their organisation admins delete it');
  await change(p, async (c) => {
    await c.trx.deleteFrom('intel_values').where('object_seq', 'in', rows.map((r) => r.seq)).execute();
    await c.trx.deleteFrom('intel_objects').where('seq', 'in', rows.map((r) => r.seq)).execute();
    await c.audit({ action: 'intel.deleted', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'stix_object', targetId: stixId, details: { versions: rows.map((r) => r.version) } });
    for (const r of rows)
      await c.event({ type: 'intel.object_deleted', subjectType: 'stix_object', subjectId: stixId, payload: { id: stixId, version: r.version }, marking: markingOf(r) });
  });
  return rows.length;
}
