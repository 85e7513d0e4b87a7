/**
 * The SIGKILL-during-ingest scenario, shared by the embedded and the PostgreSQL tests
 * (ingest-kill.embedded.int.test.ts, ingest-kill.postgres.int.test.ts): a real server
 * process; bundles are submitted and answered, then a large upload is killed while it
 * is being ingested (its spool file written whole, some of its rows written and not yet
 * committed); after a restart, every answered submission is there in full and the killed
 * one left nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../../db/connect.js';
import { DEMO_PASSWORD, startServer, type Server } from '../../test/process.js';
import { TLP2_IDS } from './stix/tlp.js';

const SUBMITTER = 'analyst.br@demo.puente.test';

export interface KillStore {
  dataDir: string;
  /** The server's temporary directory (TMPDIR): the upload spool is watched there. */
  spoolDir: string;
  /** Extra server settings (PUENTE_DATABASE_URL for PostgreSQL). */
  env: Record<string, string>;
  /** Objects in the killed upload: enough that its ingest takes many seconds. */
  uploadObjects: number;
  /** Bytes the database's files take now: rows an ingest writes reach them before it commits. */
  databaseBytes(): Promise<number>;
  /** Open the store in this process once the server is stopped. */
  open(): Promise<Database>;
}

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(baseUrl: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: SUBMITTER, password: DEMO_PASSWORD }) });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('puente_session='));
  expect(cookie).toBeDefined();
  return { cookie: cookie!, csrf: body.csrfToken };
}

const TLPS = [TLP2_IDS.GREEN, TLP2_IDS.CLEAR, TLP2_IDS.AMBER];
function indicator(tag: string, n: number) {
  const h = crypto.createHash('sha256').update(`${tag}:${n}`).digest('hex');
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    created: at,
    modified: at,
    name: `${tag} indicator ${n}`,
    pattern: `[domain-name:value = '${tag}-${n}.kill-test.example']`,
    pattern_type: 'stix',
    valid_from: at,
    object_marking_refs: [TLPS[n % TLPS.length]],
  };
}
const bundleOf = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects });

/** POST the file as a stream; resolves with the answer, or with the error when the connection dies. */
function upload(baseUrl: string, s: Session, file: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      `${baseUrl}/api/v1/intel/uploads?tlp=GREEN`,
      { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json', 'content-length': fs.statSync(file).size } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c.length < 500 ? c : c.slice(0, 500)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.slice(0, 500) }));
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ error: e.message }));
    fs.createReadStream(file).pipe(req);
  });
}

/** Wait (bounded) until the server's spool file for the upload exists with the whole body in it. */
async function spooled(spoolDir: string, size: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const d of fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir) : []) {
      const f = path.join(spoolDir, d, 'bundle.json');
      try {
        if (fs.statSync(f).size === size) return true;
      } catch {
        /* not there yet, or already removed */
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/**
 * Growth of the database's files that only the upload's rows explain: the background jobs of an
 * idle server write a few pages at most, and the upload writes tens of megabytes.
 */
const WRITTEN_BYTES = 2 * 1024 * 1024;

/** Wait (bounded) until the database's files have grown by WRITTEN_BYTES over `baseline`. */
async function rowsWritten(store: KillStore, baseline: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await store.databaseBytes()) - baseline >= WRITTEN_BYTES) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** Run the scenario; `onServer` learns of each server started, so the caller can stop it on failure. */
export async function killDuringIngest(store: KillStore, onServer: (s: Server | null) => void) {
  const { dataDir, spoolDir } = store;
  const env = { ...store.env, TMPDIR: spoolDir };
  let server: Server;
  // The server's temporary files (the upload spool) go to a directory of this test.
  server = await startServer({ dataDir, env });
  onServer(server);
  const s = await signIn(server.baseUrl);

  // Acknowledged: answered 201 with every object accepted.
  const acknowledged: { submissionId: string; ids: string[] }[] = [];
  for (let b = 0; b < 4; b++) {
    const objects = Array.from({ length: 250 }, (_, n) => indicator(`ack${b}`, n));
    const res = await fetch(`${server.baseUrl}/api/v1/intel/bundles`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ bundle: bundleOf(objects), tlp: 'GREEN' }),
    });
    const body = await res.json();
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(201);
    expect(body.accepted).toBe(objects.length);
    acknowledged.push({ submissionId: body.submissionId, ids: objects.map((o) => o.id) });
  }

  // The large upload, killed while it is being ingested.
  const baseline = await store.databaseBytes();
  const file = path.join(spoolDir, '..', `${path.basename(spoolDir)}-upload.json`);
  fs.writeFileSync(file, JSON.stringify(bundleOf(Array.from({ length: store.uploadObjects }, (_, n) => indicator('killed', n)))));
  const size = fs.statSync(file).size;
  try {
    const answer = upload(server.baseUrl, s, file);
    // The spool file is complete: the ingest transaction is running (it takes many seconds for this size).
    const first = await Promise.race([spooled(spoolDir, size, 120_000), answer]);
    expect(first, `the upload was answered before it was ingested: ${JSON.stringify(first)}`).toBe(true);
    // Some of its rows are written and not committed: the kill tests a half-written bundle, not one
    // killed before its first write.
    const writing = await Promise.race([rowsWritten(store, baseline, 120_000), answer]);
    expect(writing, `none of the upload's rows showed in the database files before ${writing === false ? 'the time limit' : `its answer ${JSON.stringify(writing)}`}`).toBe(true);
    const killed = await server.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    // The upload was never answered: the kill landed inside the ingest.
    expect(await answer).toHaveProperty('error');
  } finally {
    fs.rmSync(file, { force: true });
  }

  // Restart on the same store: it opens, and the acknowledged submissions answer in full.
  server = await startServer({ dataDir, env });
  onServer(server);
  const s2 = await signIn(server.baseUrl);
  for (const a of acknowledged) {
    const res = await fetch(`${server.baseUrl}/api/v1/intel/submissions/${a.submissionId}`, { headers: { cookie: s2.cookie } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accepted).toBe(a.ids.length);
    for (const id of [a.ids[0], a.ids[a.ids.length - 1]]) expect((await fetch(`${server.baseUrl}/api/v1/intel/objects/${id}`, { headers: { cookie: s2.cookie } })).status).toBe(200);
  }
  const probe = indicator('killed', 0).id;
  expect((await fetch(`${server.baseUrl}/api/v1/intel/objects/${probe}`, { headers: { cookie: s2.cookie } })).status).toBe(404);
  await server.stop('SIGTERM');
  onServer(null);

  // In the database itself.
  const database = await store.open();
  try {
    const db = database.db;
    const pending = await sql<{ n: number }>`SELECT count(*)::int AS n FROM intel_submissions WHERE status = 'pending'`.execute(db);
    expect(pending.rows[0]!.n).toBe(0);
    const uploads = await sql<{ n: number }>`SELECT count(*)::int AS n FROM intel_submissions WHERE source = 'upload'`.execute(db);
    expect(uploads.rows[0]!.n).toBe(0);
    const killedRows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM intel_objects WHERE source = 'upload' OR name LIKE 'killed indicator %'`.execute(db);
    expect(killedRows.rows[0]!.n).toBe(0);
    const killedValues = await sql<{ n: number }>`SELECT count(*)::int AS n FROM intel_values WHERE value LIKE 'killed-%'`.execute(db);
    expect(killedValues.rows[0]!.n).toBe(0);
    for (const a of acknowledged) {
      const rows = await sql<{ n: number; ids: number }>`
        SELECT count(*)::int AS n, count(DISTINCT stix_id)::int AS ids FROM intel_objects WHERE submission_id = ${a.submissionId}::uuid AND stix_id = ANY(${a.ids}::text[])`.execute(db);
      expect(rows.rows[0]).toEqual({ n: a.ids.length, ids: a.ids.length });
    }
    // Every submission on record is complete and holds exactly what it accepted.
    const mismatched = await sql<{ id: string }>`
      SELECT s.id FROM intel_submissions s
      WHERE s.status <> 'complete' OR s.accepted <> (SELECT count(*) FROM intel_objects o WHERE o.submission_id = s.id)`.execute(db);
    expect(mismatched.rows).toEqual([]);
  } finally {
    await database.close();
  }
}
