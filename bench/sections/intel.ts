// Threat-intel store (issue 4): ingest rate of the ATT&CK for ICS bundle and of a generated
// corpus of indicators through ingestObjects (the one ingest path), beside a raw COPY of the
// same rows; paging through GET objects as a member; peak memory of a server process while a
// 100 MB bundle file is uploaded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql, type CompiledQuery } from 'kysely';
import { openEmbedded, openPostgres, type Database } from '../../src/server/db/connect.js';
import { loadConfig } from '../../src/server/config.js';
import { startPlatform } from '../../src/server/runtime.js';
import { platformOf, type Platform } from '../../src/server/platform/deps.js';
import { loadPrincipalParts } from '../../src/server/platform/auth/principal.js';
import { collectionsFor, pageOf, parseFilters } from '../../src/server/features/intel/taxii/service.js';
import { ingestObjects } from '../../src/server/features/intel/store.js';
import { TLP2_IDS } from '../../src/server/features/intel/stix/tlp.js';
import { ATTACK_ICS_FILE } from '../../src/server/features/intel/exchange.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';
import { startPuente, type Server, type Store } from '../servers.js';
import { ownStore } from './search-bench.js';

const CORPUS_PG = Number(process.env.BENCH_INTEL_CORPUS ?? 1_000_000);
const CORPUS_EMBEDDED = Number(process.env.BENCH_INTEL_CORPUS_EMBEDDED ?? 1_000_000);
const BUNDLE = Number(process.env.BENCH_INTEL_BUNDLE ?? 10_000);
const PAGE = 1000;
/** Pages timed in the paging test (after a few untimed ones), or until the list ends. */
const PAGES = Number(process.env.BENCH_INTEL_PAGES ?? 300);
const UPLOAD_BYTES = Number(process.env.BENCH_INTEL_UPLOAD_MB ?? 100) * 1024 * 1024 - 64 * 1024;
const VIEWER = 'analyst.cl@demo.puente.test';
const AUTHOR = 'analyst.br@demo.puente.test';

// ---------------------------------------------------------------------------
// The corpus: deterministic, valid STIX 2.1 indicators.

const TLP_CYCLE: (keyof typeof TLP2_IDS)[] = [];
// 40 % GREEN, 20 % CLEAR, 25 % AMBER, 10 % AMBER+STRICT, 5 % RED.
for (const [tlp, n] of [['GREEN', 8], ['CLEAR', 4], ['AMBER', 5], ['AMBER+STRICT', 2], ['RED', 1]] as const) for (let i = 0; i < n; i++) TLP_CYCLE.push(tlp);

function uuidFor(n: number, salt: string): string {
  const h = crypto.createHash('md5').update(`${salt}:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The n-th indicator. About one value in five recurs (same value, other indicator), so correlation has work to do. */
export function indicatorAt(n: number): Record<string, unknown> {
  const v = n % 5 === 0 ? Math.floor(n / 5) % 50_000 : n;
  const day = new Date(Date.UTC(2025, 0, 1) + (n % 600) * 86_400_000 + (n % 86_400) * 1000).toISOString();
  let pattern: string;
  let kind: string;
  switch (n % 4) {
    case 0:
      kind = 'ipv4';
      pattern = `[ipv4-addr:value = '${10 + (v >>> 24) % 200}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}']`;
      break;
    case 1:
      kind = 'domain';
      pattern = `[domain-name:value = 'host-${v.toString(36)}.c2-${v % 97}.example']`;
      break;
    case 2:
      kind = 'url';
      pattern = `[url:value = 'https://cdn-${v % 89}.example.net/payload/${v.toString(36)}.bin']`;
      break;
    default:
      kind = 'hash';
      pattern = `[file:hashes.'SHA-256' = '${crypto.createHash('sha256').update(String(v)).digest('hex')}']`;
  }
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuidFor(n, 'bench-indicator')}`,
    created: day,
    modified: day,
    name: `Bench ${kind} indicator ${n}`,
    description: `Generated indicator number ${n} for the ingest benchmark (${kind}).`,
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    valid_from: day,
    confidence: (n * 7) % 101,
    labels: [`campaign-${n % 37}`],
    object_marking_refs: [TLP2_IDS[TLP_CYCLE[n % TLP_CYCLE.length]!]],
  };
}

// ---------------------------------------------------------------------------

interface People {
  authorId: string;
  authorOrgId: string;
  viewerOrgId: string;
  viewerCommunities: string[];
  /** A community the author and viewer share, and one the viewer is not in. */
  shared: string;
  other: string;
}

async function people(db: Database['db']): Promise<People> {
  const ids = await db.selectFrom('people').select(['id', 'email']).where('email', 'in', [VIEWER, AUTHOR]).execute();
  const idOf = (e: string) => ids.find((r) => r.email === e)?.id ?? (() => { throw new Error(`no demo person ${e}`); })();
  const viewer = await loadPrincipalParts(db, idOf(VIEWER));
  const author = await loadPrincipalParts(db, idOf(AUTHOR));
  if (!viewer || !author) throw new Error('demo people not usable');
  const shared = author.viewer.communityIds.find((c) => viewer.viewer.communityIds.includes(c));
  const all = await db.selectFrom('communities').select('id').execute();
  const other = all.map((c) => c.id).find((c) => !viewer.viewer.communityIds.includes(c)) ?? crypto.randomUUID();
  if (!shared) throw new Error('the demo author and viewer share no community');
  return { authorId: author.person.id, authorOrgId: author.organisation.id, viewerOrgId: viewer.organisation.id, viewerCommunities: viewer.viewer.communityIds, shared, other };
}

/** An in-process platform on the store (no jobs), as the server builds it. */
async function openPlatform(store: Store): Promise<{ p: Platform; close(): Promise<void> }> {
  const database = store.kind === 'embedded' ? await openEmbedded(store.dataDir) : await openPostgres(store.url, 4);
  const config = loadConfig(store.kind === 'embedded' ? { PUENTE_DATA_DIR: store.dataDir, PUENTE_DEMO: 'off' } : { PUENTE_DATABASE_URL: store.url, PUENTE_DEMO: 'off' });
  const { deps, stop } = await startPlatform(config, database, { jobs: false });
  return {
    p: platformOf(deps),
    async close() {
      await stop();
      await database.close();
    },
  };
}


/**
 * The ceiling: COPY the rows the ingest wrote (intel_objects of the corpus, and their
 * intel_values) into fresh copies of the tables with the same columns and indexes
 * (LIKE … INCLUDING ALL: no foreign keys). Returns the milliseconds of the two COPYs.
 */
async function copyCeiling(database: Database, source: string): Promise<{ ms: number; objects: number; values: number }> {
  const db = database.db;
  await sql`DROP TABLE IF EXISTS intel_values_ceiling, intel_objects_ceiling`.execute(db);
  await sql`CREATE TABLE intel_objects_ceiling (LIKE intel_objects INCLUDING ALL)`.execute(db);
  await sql`CREATE TABLE intel_values_ceiling (LIKE intel_values INCLUDING ALL)`.execute(db);
  // Every column but the generated key.
  const cols = await sql<{ c: string }>`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'intel_objects' AND column_name <> 'seq' ORDER BY ordinal_position`.execute(db);
  const OBJECT_COLUMNS = cols.rows.map((r) => r.c).join(', ');
  const objectsQuery = `SELECT ${OBJECT_COLUMNS} FROM intel_objects WHERE source = '${source}' ORDER BY seq`;
  const valuesQuery = `SELECT v.object_seq, v.kind, v.value FROM intel_values v JOIN intel_objects o ON o.seq = v.object_seq WHERE o.source = '${source}' ORDER BY v.object_seq`;
  try {
    if (database.pglite) {
      // In slices of 100,000 objects (and their values), in order: a blob of a million rows would
      // not fit the embedded database's memory. Only the COPY FROM is timed.
      const pg = database.pglite;
      const range = await pg.query<{ lo: string | null; hi: string | null }>(`SELECT min(seq)::text AS lo, max(seq)::text AS hi FROM intel_objects WHERE source = '${source}'`);
      const lo = Number(range.rows[0]!.lo ?? 0);
      const hi = Number(range.rows[0]!.hi ?? -1);
      let ms = 0;
      for (let from = lo; from <= hi; from += 100_000) {
        const slice = `seq BETWEEN ${from} AND ${from + 99_999}`;
        const o = await pg.query(`COPY (${objectsQuery.replace(' ORDER BY seq', ` AND ${slice} ORDER BY seq`)}) TO '/dev/blob'`);
        const v = await pg.query(`COPY (${valuesQuery.replace(' ORDER BY v.object_seq', ` AND o.${slice} ORDER BY v.object_seq`)}) TO '/dev/blob'`);
        const t0 = performance.now();
        await pg.query(`COPY intel_objects_ceiling (${OBJECT_COLUMNS}) FROM '/dev/blob'`, [], { blob: o.blob });
        await pg.query(`COPY intel_values_ceiling (object_seq, kind, value) FROM '/dev/blob'`, [], { blob: v.blob });
        ms += performance.now() - t0;
      }
      const n = await pg.query<{ o: number; v: number }>(`SELECT (SELECT count(*)::int FROM intel_objects_ceiling) AS o, (SELECT count(*)::int FROM intel_values_ceiling) AS v`);
      return { ms, objects: n.rows[0]!.o, values: n.rows[0]!.v };
    }
    // PostgreSQL: server-side files (the bench cluster's user is a superuser), so the
    // figure is the database's own COPY with no client in between.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-bench-copy-'));
    fs.chmodSync(dir, 0o777);
    try {
      const of = path.join(dir, 'objects.copy');
      const vf = path.join(dir, 'values.copy');
      await sql.raw(`COPY (${objectsQuery}) TO '${of}'`).execute(db);
      await sql.raw(`COPY (${valuesQuery}) TO '${vf}'`).execute(db);
      const t0 = performance.now();
      await sql.raw(`COPY intel_objects_ceiling (${OBJECT_COLUMNS}) FROM '${of}'`).execute(db);
      await sql.raw(`COPY intel_values_ceiling (object_seq, kind, value) FROM '${vf}'`).execute(db);
      const ms = performance.now() - t0;
      const n = await sql<{ o: number; v: number }>`SELECT (SELECT count(*)::int FROM intel_objects_ceiling) AS o, (SELECT count(*)::int FROM intel_values_ceiling) AS v`.execute(db);
      return { ms, objects: n.rows[0]!.o, values: n.rows[0]!.v };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await sql`DROP TABLE IF EXISTS intel_values_ceiling, intel_objects_ceiling`.execute(db);
  }
}

async function signIn(origin: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { csrfToken?: string };
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('puente_session='));
  if (!cookie || !body.csrfToken) throw new Error('login set no session');
  return { cookie: cookie.split(';')[0]!, csrf: body.csrfToken };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Page through the objects as the viewer; returns per-page times. */
async function pageThrough(server: Server, password: string): Promise<{ route: string; times: number[]; items: number; taxii: boolean; middleCursor: string | null }> {
  const s = await signIn(server.origin, VIEWER, password);
  const TAXII = 'application/taxii+json;version=2.1';
  let next: (cursor: string | null) => string;
  let route: string;
  let read: (body: Record<string, unknown>) => { n: number; cursor: string | null };
  let headers: Record<string, string> = { cookie: s.cookie };
  // TAXII (API token, as a member's tool would use it) when this build has it, else the REST list (at most 500 a page).
  const tokenRes = await fetch(`${server.origin}/api/v1/tokens`, {
    method: 'POST',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', scope: 'read', expiresInDays: 1 }),
  });
  const token = tokenRes.status === 201 ? ((await tokenRes.json()) as { token: string }).token : null;
  const discovery = token ? await fetch(`${server.origin}/taxii2/`, { headers: { accept: TAXII, authorization: `Bearer ${token}` } }) : null;
  let collectionUrl: string | null = null;
  if (token && discovery?.status === 200) {
    const d = (await discovery.json()) as { api_roots?: string[]; default?: string };
    const root = d.default ?? d.api_roots?.[0];
    if (root) {
      const rootUrl = new URL(root, `${server.origin}/taxii2/`).toString().replace(/\/?$/, '/');
      const cols = (await (await fetch(`${rootUrl}collections/`, { headers: { accept: TAXII, authorization: `Bearer ${token}` } })).json()) as { collections?: { id: string; title: string; can_read: boolean }[] };
      const all = cols.collections?.find((c) => /everything/i.test(c.title)) ?? cols.collections?.find((c) => c.can_read);
      if (all) collectionUrl = `${rootUrl}collections/${all.id}/objects/`;
    }
  } else await discovery?.arrayBuffer();
  if (collectionUrl) {
    headers = { accept: TAXII, authorization: `Bearer ${token}` };
    route = `TAXII \`GET ${new URL(collectionUrl).pathname.replace(/collections\/[^/]+\//, 'collections/{everything I may see}/')}?limit=${PAGE}\``;
    const url = collectionUrl;
    next = (cursor) => `${url}?limit=${PAGE}${cursor ? `&next=${encodeURIComponent(cursor)}` : ''}`;
    read = (body) => ({ n: ((body.objects as unknown[]) ?? []).length, cursor: body.more && body.next ? String(body.next) : null });
  } else {
    route = '`GET /api/v1/intel/objects?limit=500` (TAXII not available in this build)';
    next = (cursor) => `${server.origin}/api/v1/intel/objects?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    read = (body) => ({ n: ((body.items as unknown[]) ?? []).length, cursor: (body.nextCursor as string | null) ?? null });
  }
  const times: number[] = [];
  let cursor: string | null = null;
  let items = 0;
  // The cursor of the page in the middle of the timed ones: its query's plan is reported.
  let middleCursor: string | null = null;
  for (let i = 0; i < PAGES + 3; i++) {
    if (i === 3 + Math.floor(PAGES / 2)) middleCursor = cursor;
    const t = performance.now();
    const res = await fetch(next(cursor), { headers });
    const body = (await res.json()) as Record<string, unknown>;
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`paging answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
    const r = read(body);
    if (i >= 3) times.push(ms);
    items += r.n;
    cursor = r.cursor;
    if (!cursor) break;
  }
  return { route, times: times.sort((a, b) => a - b), items, taxii: !!collectionUrl, middleCursor };
}

/**
 * The plan PostgreSQL (or PGlite) chose for one page of the TAXII paging: the service builds the
 * query as for the server (pageOf, the viewer's "everything" collection, the page's cursor) on
 * the product's own connections (openPostgres/openEmbedded: the same session settings, JIT off),
 * and the compiled SQL is run again under EXPLAIN (ANALYZE, BUFFERS) with the same parameters.
 * Returns the plan's node lines (conditions and filters left out, actual rows × loops added),
 * its execution time, whether JIT compiled it, and the table's statistics state.
 */
async function explainPage(store: Store, cursor: string | null): Promise<{ plan: string[]; executionMs: number; jit: boolean; stats: string }> {
  const database = store.kind === 'embedded' ? await openEmbedded(store.dataDir) : await openPostgres(store.url, 2);
  try {
    let captured: CompiledQuery | null = null;
    const executor = database.db.getExecutor();
    const db = database.db.withPlugin({
      transformQuery: (a) => {
        if (a.node.kind === 'SelectQueryNode') captured = executor.compileQuery(a.node, a.queryId);
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    const me = await database.db.selectFrom('people').select('id').where('email', '=', VIEWER).executeTakeFirstOrThrow();
    const parts = (await loadPrincipalParts(database.db, me.id))!;
    const p = { db } as unknown as Platform;
    const everything = (await collectionsFor(p, { ...parts, via: 'token', scope: 'read' }))[0]!;
    await pageOf(p, parts.viewer, everything, parseFilters({ limit: String(PAGE), ...(cursor ? { next: cursor } : {}) }, PAGE, ['limit', 'next']), null);
    const q = captured as CompiledQuery | null;
    if (!q) throw new Error('no page query captured');
    const text = `EXPLAIN (ANALYZE, BUFFERS${database.pglite ? '' : ', SETTINGS'}) ${q.sql}`;
    const rows = database.pglite
      ? (await database.pglite.query<Record<string, string>>(text, [...q.parameters])).rows
      : (await database.pool!.query<Record<string, string>>(text, [...q.parameters])).rows;
    const lines = rows.map((r) => Object.values(r)[0]!);
    const executionMs = Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1] ?? NaN);
    const plan = lines
      .filter((l) => /^\s*->|^\s*(SubPlan|InitPlan)\b|^\S/.test(l) && !/^(Planning|Execution|Settings|JIT)/.test(l.trim()))
      .map((l) => {
        const a = /\(actual(?: time=[\d.]+\.\.[\d.]+)? rows=([\d.]+) loops=(\d+)\)|\((never executed)\)/.exec(l);
        const node = l.replace(/\s+\(cost=.*$/, '').replace(/\s+\(actual.*$/, '').replace(/\s+\(never executed\)$/, '');
        return a ? `${node}  [${a[3] ? 'never executed' : `rows ${a[1]} × loops ${a[2]}`}]` : node;
      });
    let stats = 'PGlite runs no autovacuum: no statistics unless something runs ANALYZE (Puente does not)';
    if (!database.pglite) {
      const st = (
        await sql<{ n_live_tup: string; n_mod_since_analyze: string; last_autoanalyze: Date | null; last_autovacuum: Date | null; last_analyze: Date | null }>`
          SELECT n_live_tup, n_mod_since_analyze, last_autoanalyze, last_autovacuum, last_analyze FROM pg_stat_user_tables WHERE relname = 'intel_objects'`.execute(database.db)
      ).rows[0];
      const when = (d: Date | null | undefined) => (d ? `${d.toISOString().slice(11, 19)} UTC` : 'never');
      stats = st
        ? `intel_objects then: ${fmt.int(Number(st.n_live_tup))} live rows, ${fmt.int(Number(st.n_mod_since_analyze))} changed since its statistics were taken; last autoanalyze ${when(st.last_autoanalyze)}, last autovacuum ${when(st.last_autovacuum)}, last ANALYZE ${when(st.last_analyze)}`
        : 'no statistics row';
    }
    return { plan, executionMs, jit: lines.some((l) => /^JIT:/.test(l.trim())), stats };
  } finally {
    await database.close();
  }
}

/** A bundle file of about `bytes` bytes of indicators numbered from `from`; returns the object count. */
function writeBundleFile(file: string, bytes: number, from: number): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  const head = `{"type":"bundle","id":"bundle--${uuidFor(from, 'bench-bundle')}","objects":[`;
  fs.writeSync(fd, head);
  written += head.length;
  let n = 0;
  let buf: string[] = [];
  let bufLen = 0;
  for (;;) {
    const s = (n ? ',' : '') + JSON.stringify(indicatorAt(from + n));
    if (written + bufLen + s.length + 2 > bytes) break;
    buf.push(s);
    bufLen += Buffer.byteLength(s);
    n++;
    if (bufLen > 1 << 20) {
      fs.writeSync(fd, buf.join(''));
      written += bufLen;
      buf = [];
      bufLen = 0;
    }
  }
  fs.writeSync(fd, `${buf.join('')}]}`);
  fs.closeSync(fd);
  return n;
}

/** Upload a file to POST /api/v1/intel/uploads, streamed; resolves with status, body and time. */
function uploadFile(server: Server, s: { cookie: string; csrf: string }, file: string, query: string): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      `${server.origin}/api/v1/intel/uploads?${query}`,
      { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json', 'content-length': fs.statSync(file).size } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
  });
}

function vm(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const rate = (n: number, ms: number) => (n / ms) * 1000;

/** Linux clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;
/** CPU time (user + system, in clock ticks) of these processes so far; 0 for those that cannot be read. */
function backendTicks(pids: number[]): number {
  let t = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch {
      /* gone, or not readable */
    }
  }
  return t;
}

export const intelStore: Benchmark = {
  id: 'intel',
  title: 'Threat-intel store: STIX ingest, COPY ceiling, paging with TLP filtering, memory during a 100 MB upload',
  intro: () =>
    [
      'A store of its own per database: a Puente server is started once on it (migrations + demo) and stopped; then, in the benchmark process, the same platform the server builds ' +
        '(`startPlatform`, no background jobs) calls `ingestObjects` — the one ingest path behind REST bundles, uploads, TAXII and imports: validation against the OASIS schemas and the extra rules, ' +
        'STIX pattern parsing, TLP and audience, duplicate check, rows, correlation values, submission record, audit entry and events, one transaction per bundle.',
      '',
      `- **ATT&CK for ICS** — the bundle Puente ships, \`src/server/features/intel/reference/ics-attack.json\` (1,826 objects), submitted as CLEAR by a member organisation (the server already loaded it as platform reference content at its first start; ` +
        'each organisation holds its own copy, so this is a full ingest), then the same bundle again (every object a duplicate).',
      `- **Generated indicators** — deterministic valid indicators (STIX patterns over IPv4 addresses, domains, URLs and SHA-256 hashes, one value in five recurring), ` +
        `40 % GREEN, 20 % CLEAR, 25 % AMBER, 10 % AMBER+STRICT, 5 % RED by their own \`object_marking_refs\`; submitted by a demo member in bundles of ${fmt.int(BUNDLE)} (already-parsed objects, as the REST route hands them over) ` +
        'with the audience cycling over a community the viewer shares, a community they are not in, and the viewer\'s organisation. Generation time is not counted. ' +
        (CORPUS_PG === CORPUS_EMBEDDED ? `${fmt.int(CORPUS_PG)} objects on each database.` : `${fmt.int(CORPUS_PG)} on PostgreSQL; ${fmt.int(CORPUS_EMBEDDED)} on PGlite (each figure is measured as such, nothing is extrapolated).`),
      '- **COPY ceiling** — the rows the ingest wrote for the corpus (`intel_objects` and their `intel_values`) are copied out and `COPY`-ed into fresh tables made with `LIKE … INCLUDING ALL` ' +
        '(same columns and indexes, no foreign keys); on PostgreSQL server-side files, on PGlite `/dev/blob` in slices of 100,000 objects in order (only the COPY FROM timed). Ratio = ingest rate ÷ COPY rate, in objects/s.',
      `- **Paging** — a Puente server process on the full store; signed in as a demo CSIRT member of another organisation who sees CLEAR, GREEN and the AMBER shared with their community or organisation (about 70 % of the corpus), ` +
        `pages of ${PAGE} are read one after the other with the cursor (3 untimed, then up to ${PAGES} timed), client-side time per page to the full body. Target: p99 ≤ 150 ms at 1,000,000 objects (TAXII \`GET objects\`). ` +
        'Nothing runs ANALYZE before it (Puente\'s ingest does not; the COPY ceiling does not need it): on PostgreSQL the paging meets whatever statistics autovacuum has taken by then, on PGlite none. ' +
        'Under the table: the plan of the middle timed page\'s query, as EXPLAIN ANALYZE reports it for the query the service builds, on the product\'s own connection settings.',

      `- **100 MB upload** — a bundle file of ${(UPLOAD_BYTES / 1024 / 1024).toFixed(0)} MiB of further indicators streamed to \`POST /api/v1/intel/uploads\` of that server process; ` +
        'peak resident memory is VmHWM from `/proc/<pid>/status` of the server process (its high-water mark since start, which includes the paging test before it). Target ≤ 1 GB.',
      '',
      '**The machine has 2 shared cores and other work ran beside this benchmark: the figures are noisy**; compare rows of one run.',
    ].join('\n'),
  columns: ['Database', 'What', 'objects', 'time', 'objects/s', 'ceiling (COPY) objects/s', 'ratio', 'target', 'notes'],
  async run(ctx: ModeContext) {
    const rows: Row[] = [];
    const own = await ownStore(ctx, 'puente_bench_intel');
    let server: Server | null = null;
    const start = (n: number) => startPuente({ name: `Puente (${ctx.mode}, intel ${n})`, store: own.store, demoPassword: ctx.demo.password });
    try {
      server = await start(1);
      await server.stop();
      server = null;

      const corpus = ctx.mode === 'postgres' ? CORPUS_PG : CORPUS_EMBEDDED;
      const target = ctx.mode === 'postgres' ? '≥ 20,000/s' : '≥ 5,000/s';
      const { p, close } = await openPlatform(own.store);
      try {
        const who = await people(p.db);
        // (a) ATT&CK for ICS. The server loaded the shipped copy as platform reference content at its
        // first start; a member organisation submitting the bundle gets its own copy (CLEAR).
        const attack = JSON.parse(fs.readFileSync(ATTACK_ICS_FILE, 'utf8')) as { objects: unknown[] };
        const reference = {
          source: 'bench-attack',
          actor: { personId: who.authorId, organisationId: who.authorOrgId, viewer: null },
          defaultTlp: 'CLEAR' as const,
          tlp: 'CLEAR' as const,
          audience: { organisations: [], communities: [], people: [] },
        };
        let t0 = performance.now();
        const a1 = await ingestObjects(p, attack.objects, reference);
        const attackMs = performance.now() - t0;
        t0 = performance.now();
        const a2 = await ingestObjects(p, attack.objects, reference);
        const againMs = performance.now() - t0;
        rows.push([ctx.label, 'ATT&CK for ICS bundle', fmt.int(a1.total), fmt.s(attackMs), fmt.int(rate(a1.total, attackMs)), '', '', target, `${fmt.int(a1.accepted)} accepted, ${fmt.int(a1.rejected)} rejected`]);
        rows.push([ctx.label, 'ATT&CK for ICS bundle again (all duplicates)', fmt.int(a2.total), fmt.s(againMs), fmt.int(rate(a2.total, againMs)), '', '', '', `${fmt.int(a2.duplicates)} duplicates`]);

        // (b) the generated corpus in bundles.
        const actor = { personId: who.authorId, organisationId: who.authorOrgId, viewer: null };
        const audiences = [
          { organisations: [], communities: [who.shared], people: [] },
          { organisations: [], communities: [who.other], people: [] },
          { organisations: [who.viewerOrgId], communities: [], people: [] },
        ];
        let ingestMs = 0;
        let accepted = 0;
        let rejected = 0;
        let firstProblem = '';
        const bundleMs: number[] = [];
        // CPU time per object, which the other work on the machine disturbs less than wall time:
        // this process (ingest, and PGlite itself when embedded) and the PostgreSQL backends of this database.
        const backends = p.database.pglite ? [] : (await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(p.db)).rows.map((r) => r.pid);
        const cpu0 = process.cpuUsage();
        const pg0 = backendTicks(backends);
        for (let from = 0, b = 0; from < corpus; from += BUNDLE, b++) {
          const objects: Record<string, unknown>[] = [];
          for (let n = from; n < Math.min(corpus, from + BUNDLE); n++) objects.push(indicatorAt(n));
          const t = performance.now();
          const r = await ingestObjects(p, objects, { source: 'bench-corpus', actor, defaultTlp: 'AMBER', audience: audiences[b % 3]!, batchSize: Number(process.env.BENCH_INTEL_BATCH ?? 0) || undefined });
          const ms = performance.now() - t;
          ingestMs += ms;
          bundleMs.push(ms);
          accepted += r.accepted;
          rejected += r.rejected;
          if (r.rejected && !firstProblem) firstProblem = JSON.stringify(r.results.find((x) => x.status === 'rejected')).slice(0, 200);
          if (b % 10 === 9) process.stderr.write(`[bench intel] ${ctx.mode}: ${fmt.int(from + BUNDLE)} objects, ${fmt.int(rate(from + BUNDLE, ingestMs))}/s so far\n`);
        }
        const cpu = process.cpuUsage(cpu0);
        const nodeUs = (cpu.user + cpu.system) / corpus;
        const pgUs = ((backendTicks(backends) - pg0) * (1e6 / CLOCK_TICKS)) / corpus;
        const ingestRate = rate(corpus, ingestMs);
        // (c) the ceiling: COPY of the same rows. No ANALYZE first: the ingest does not run one,
        // so the paging below meets the statistics production would have (autovacuum's, if it
        // has run yet on PostgreSQL; none on PGlite).
        const ceiling = await copyCeiling(p.database, 'bench-corpus');
        const copyRate = rate(ceiling.objects, ceiling.ms);
        const sortedB = [...bundleMs].sort((x, y) => x - y);
        rows.push([
          ctx.label,
          `${fmt.int(corpus)} generated indicators, bundles of ${fmt.int(BUNDLE)}`,
          fmt.int(corpus),
          fmt.s(ingestMs),
          fmt.int(ingestRate),
          fmt.int(copyRate),
          fmt.ratio(ingestRate / copyRate),
          target,
          `${fmt.int(accepted)} accepted${rejected ? `, ${fmt.int(rejected)} rejected (${firstProblem})` : ''}; per bundle: first ${fmt.s(bundleMs[0]!)}, median ${fmt.s(pct(sortedB, 50))}, last ${fmt.s(bundleMs[bundleMs.length - 1]!)}; ` +
            `COPY: ${fmt.int(ceiling.objects)} rows + ${fmt.int(ceiling.values)} value rows in ${fmt.s(ceiling.ms)}; ` +
            `CPU per object: ${Math.round(nodeUs)} µs in the Node process${p.database.pglite ? ' (PGlite included)' : `, ${Math.round(pgUs)} µs in the PostgreSQL backends`} (generating the objects is about 5 µs of it)`,
        ]);
      } finally {
        await close();
      }

      // (d) paging and (e) memory during a 100 MB upload: a server process on the full store.
      server = await start(2);
      const paging = await pageThrough(server, ctx.demo.password);
      rows.push([
        ctx.label,
        `paging: ${paging.route}`,
        fmt.int(paging.items),
        `p50 ${fmt.ms(pct(paging.times, 50))} ms, p95 ${fmt.ms(pct(paging.times, 95))} ms, p99 ${fmt.ms(pct(paging.times, 99))} ms, max ${fmt.ms(paging.times[paging.times.length - 1]!)} ms`,
        '',
        '',
        '',
        'p99 ≤ 150 ms',
        `${fmt.int(paging.times.length)} timed pages`,
      ]);
      // The plan of the middle timed page's query. PostgreSQL: now, beside the server (same
      // statistics as the paging met). PGlite: once the server has stopped (it holds the data directory).
      const reportPlan = async (when: string) => {
        try {
          const e = await explainPage(own.store, paging.middleCursor);
          ctx.note(
            `plan of the query of timed page ${fmt.int(Math.floor(PAGES / 2) + 1)} (${when}; EXPLAIN ANALYZE through the service's own query on the product's connection settings): ` +
              `${fmt.ms(e.executionMs)} ms in the database, JIT ${e.jit ? '**on**' : 'off'}; ${e.stats}.\n\n  \`\`\`\n${e.plan.map((l) => `  ${l}`).join('\n')}\n  \`\`\``,
          );
        } catch (err) {
          ctx.note(`plan not read: ${(err as Error).message.split('\n')[0]}`);
        }
      };
      if (paging.taxii && ctx.mode === 'postgres') await reportPlan('right after the paging');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-bench-upload-'));
      try {
        const file = path.join(dir, 'bundle.json');
        const count = writeBundleFile(file, UPLOAD_BYTES, 50_000_000);
        const s = await signIn(server.origin, AUTHOR, ctx.demo.password);
        const before = vm(server.pid, 'VmHWM');
        let peakRss = 0;
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, vm(server!.pid, 'VmRSS') ?? 0)), 100);
        const up = await uploadFile(server, s, file, 'tlp=GREEN').finally(() => clearInterval(sampler));
        const hwm = vm(server.pid, 'VmHWM');
        let summary = '';
        try {
          const b = JSON.parse(up.body) as { accepted?: number; rejected?: number; duplicates?: number };
          summary = `${fmt.int(b.accepted ?? NaN)} accepted, ${fmt.int(b.rejected ?? NaN)} rejected`;
        } catch {
          summary = up.body.slice(0, 150);
        }
        rows.push([
          ctx.label,
          `streamed upload of a ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MiB bundle file (HTTP ${up.status})`,
          fmt.int(count),
          fmt.s(up.ms),
          fmt.int(rate(count, up.ms)),
          '',
          '',
          'peak RSS ≤ 1 GB',
          `peak RSS (VmHWM) ${fmt.mib(hwm)} (${fmt.mib(before)} before the upload; highest VmRSS sampled during it ${fmt.mib(peakRss)}); ${summary}`,
        ]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      if (paging.taxii && ctx.mode === 'embedded') {
        await server.stop();
        server = null;
        await reportPlan('after the upload below, the server stopped');
      }
      return rows;
    } finally {
      await server?.stop();
      await own.dispose().catch(() => {});
    }
  },
};
