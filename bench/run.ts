// `npm run bench`: run every benchmark in bench/sections against the embedded database (PGlite,
// fresh temporary data directory) and against a throwaway PostgreSQL cluster, then write
// BENCHMARKS.md at the repository root and print it.
//
// Benchmarks report; they never pass or fail. Knobs for quick runs while developing:
//   BENCH_DURATION_MS (10000)  BENCH_WARMUP_MS (2000)  BENCH_CONNECTIONS (10)  BENCH_LOGINS (30)
//   BENCH_RESTARTS (2: starts on an existing store after the first one)
//   BENCH_ONLY=embedded|postgres   BENCH_OUT=path (default BENCHMARKS.md; "-" to only print)
// Sections: `npm run bench -- directory checks` runs only the named sections (their ids, see
// bench/sections/index.ts; default: all). BENCHMARKS.md then keeps every other section's table
// from its previous run and replaces only the named ones.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, type Benchmark, type ModeContext, type Row, type Settings, type StartRecord } from './context.js';
import { BENCHMARKS } from './sections/index.js';
import { PUENTE_BENCH_ENV, REPO_ROOT, startBare, startPuente, type Server, type Store } from './servers.js';
import { createDatabase, startPostgres, type Cluster } from './postgres.js';

const DEMO_EMAIL = 'admin@demo.puente.test';
const DEMO_PASSWORD = 'puente-bench-demo-password';

function envInt(name: string, dflt: number, min = 1): number {
  const v = process.env[name];
  if (!v) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
}

const settings: Settings = {
  connections: envInt('BENCH_CONNECTIONS', 10),
  warmupMs: envInt('BENCH_WARMUP_MS', 2000),
  durationMs: envInt('BENCH_DURATION_MS', 10_000),
  logins: envInt('BENCH_LOGINS', 30),
};

/** Starts on an already-populated store after the first one (each is reported). */
const RESTARTS = envInt('BENCH_RESTARTS', 2, 0);
const ORDINAL: Record<number, string> = { 2: '2nd', 3: '3rd' };

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface Collected {
  benchmark: Benchmark;
  rows: Row[];
  notes: string[];
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

async function pgliteVersion(): Promise<string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    const r = await db.query<{ server_version: string }>('SHOW server_version');
    await db.close();
    return `PGlite ${pkg.version} (PostgreSQL ${r.rows[0].server_version})`;
  } catch {
    return `PGlite ${pkg.version}`;
  }
}

async function login(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
  });
  const body = (await res.json()) as { status?: string };
  if (res.status !== 200 || body.status !== 'ok') throw new Error(`login answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('puente_session='));
  if (!session) throw new Error('login set no puente_session cookie');
  return session.split(';')[0];
}

interface Mode {
  mode: ModeContext['mode'];
  label: string;
  /** Prepare an empty store; returns it and how to remove it. */
  prepare(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

/** Run every benchmark against one database; a failure becomes a row, never an exception. */
async function runMode(m: Mode, bare: Server, collected: Collected[]) {
  const fail = (why: string) => {
    for (const c of collected) c.rows.push([m.label, `not measured: ${why.split('\n')[0].slice(0, 200)}`]);
  };
  let prepared: Awaited<ReturnType<Mode['prepare']>>;
  try {
    prepared = await m.prepare();
  } catch (e) {
    log(`${m.label}: ${(e as Error).message}`);
    return fail((e as Error).message);
  }
  let puente: Server | null = null;
  try {
    // Start 1 is on the empty store; the later ones reuse it. The last start is the server under test.
    const starts: StartRecord[] = [];
    // The restarts only feed the cold-start section: a run without it starts once.
    const restarts = collected.some((c) => c.benchmark.id === 'startup') ? RESTARTS : 0;
    for (let i = 1; i <= 1 + restarts; i++) {
      log(`${m.label}: start ${i} ${i === 1 ? 'on an empty store' : 'on the same store'}`);
      const s = await startPuente({ name: `Puente (${m.mode}, start ${i})`, store: prepared.store, demoPassword: DEMO_PASSWORD });
      starts.push({ label: i === 1 ? '1st (empty store)' : `${ORDINAL[i] ?? `${i}th`} (same store)`, readyMs: s.readyMs, rssAtReadyKiB: s.rssAtReadyKiB });
      if (i <= restarts) await s.stop();
      else puente = s;
    }
    if (!puente) throw new Error('no server');
    const server = puente;
    for (const c of collected) {
      const ctx: ModeContext = {
        mode: m.mode,
        label: m.label,
        settings,
        puente: server,
        bare,
        store: prepared.store,
        starts,
        demo: { email: DEMO_EMAIL, password: DEMO_PASSWORD },
        login: () => login(server.origin),
        note: (text) => c.notes.push(`${m.label}: ${text}`),
      };
      log(`${m.label}: ${c.benchmark.id}`);
      try {
        c.rows.push(...(await c.benchmark.run(ctx)));
      } catch (e) {
        log(`${m.label}: ${c.benchmark.id} failed: ${(e as Error).stack}`);
        c.rows.push([m.label, `failed: ${(e as Error).message.split('\n')[0].slice(0, 200)}`]);
      }
    }
  } catch (e) {
    log(`${m.label}: ${(e as Error).message}`);
    fail((e as Error).message);
  } finally {
    await puente?.stop();
    await prepared.dispose().catch((e: Error) => log(`${m.label}: clean-up failed: ${e.message}`));
  }
}

function table(columns: string[], rows: Row[]): string {
  const width = columns.length;
  const pad = (r: Row) => {
    const cells = r.map(String);
    // A "not measured" row spans the table: leave the other cells empty.
    while (cells.length < width) cells.push('');
    return `| ${cells.join(' | ')} |`;
  };
  const align = columns.map((_, i) => (i < 2 ? '---' : '---:'));
  return [`| ${columns.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map(pad)].join('\n');
}

/** Sections named on the command line (ids), or all of them. */
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((id) => !BENCHMARKS.some((b) => b.id === id));
if (unknown.length) {
  process.stderr.write(`unknown bench section(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}\n`);
  process.exit(2);
}
const selected = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.id)) : BENCHMARKS;

/**
 * A partial run (sections named) replaces only those sections of the existing file and keeps
 * the other sections' blocks as they were, in the order of BENCHMARKS, with a note in the
 * header saying which run they come from.
 */
function mergeSections(previous: string, header: string[], fresh: Map<string, string>, runStamp: string): string {
  const blocks = new Map<string, string>();
  for (const part of previous.split(/^(?=## )/m).slice(1)) blocks.set(part.split('\n')[0].slice(3).trim(), `${part.replace(/\s+$/, '')}\n`);
  // The run the kept sections come from: the full run named in an earlier partial run's note, else the previous file's own.
  const earlier = /(?:\(the last full run: |kept unchanged from an earlier run \()(.*?)\)\./.exec(previous)?.[1];
  const cell = (name: string) => new RegExp(`^\\| ${name} \\| (.*) \\|$`, 'm').exec(previous)?.[1] ?? 'unknown';
  const kept = BENCHMARKS.filter((b) => !fresh.has(b.title) && blocks.has(b.title));
  const out = [...header];
  if (kept.length)
    out.push(
      `**Partial run** (\`npm run bench -- ${selected.map((b) => b.id).join(' ')}\`): only ${selected.map((b) => `“${b.title.split(':')[0]}”`).join(' and ')} ` +
        `were measured in this run; the machine and run table above describes it. The other sections (${kept.map((b) => b.id).join(', ')}) are kept unchanged from earlier runs; ` +
        `one measured in a partial run says so under its table (the last full run: ${earlier ?? `date ${cell('Date')}, commit ${cell('Commit')}`}).`,
      '',
    );
  for (const b of BENCHMARKS) {
    const f = fresh.get(b.title);
    // A blank line first: right under the table, the remark would be read as one more row.
    const block = f ? `${f.replace(/\n*$/, '\n\n')}_Measured in the partial run of ${runStamp}._\n` : blocks.get(b.title);
    if (block) out.push(block);
  }
  return out.join('\n');
}

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const t0 = performance.now();
  const cpus = os.cpus();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);

  let cluster: Cluster | null = null;
  let clusterError: string | null = null;
  const only = process.env.BENCH_ONLY;
  const modes: Mode[] = [];
  const embeddedLabel = `${await pgliteVersion()}, embedded`;
  if (!only || only === 'embedded') {
    modes.push({
      mode: 'embedded',
      label: embeddedLabel,
      async prepare() {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-bench-embedded-'));
        const remove = () => fs.rmSync(dataDir, { recursive: true, force: true });
        // Registered after servers.ts's hook, so the server is killed before its directory goes.
        process.on('exit', remove);
        return {
          store: { kind: 'embedded', dataDir },
          dispose: async () => {
            process.off('exit', remove);
            remove();
          },
        };
      },
    });
  }
  if (!only || only === 'postgres') {
    log('starting a throwaway PostgreSQL cluster');
    try {
      cluster = await startPostgres();
      log(`${cluster.version} up in ${cluster.startMs} ms via ${cluster.via}`);
    } catch (e) {
      clusterError = (e as Error).message;
      log(clusterError);
    }
    const c = cluster;
    modes.push({
      mode: 'postgres',
      label: `PostgreSQL ${(c && /\b(\d+\.\d+)\b/.exec(c.version)?.[1]) ?? ''}`.trim(),
      async prepare() {
        if (!c) throw new Error(clusterError ?? 'no PostgreSQL cluster');
        const url = await createDatabase(c.url, 'puente_bench');
        return { store: { kind: 'postgres', url }, dispose: async () => {} };
      },
    });
  }

  const collected: Collected[] = selected.map((benchmark) => ({ benchmark, rows: [], notes: [] }));
  let bare: Server | null = null;
  try {
    for (const b of selected) if (b.prepare) await b.prepare();
    log('starting the bare Fastify baseline');
    bare = await startBare();
    for (const m of modes) await runMode(m, bare, collected);
  } finally {
    await bare?.stop();
    await cluster?.stop().catch((e: Error) => log(`stopping the PostgreSQL cluster failed: ${e.message}`));
  }

  const totalS = (performance.now() - t0) / 1000;
  const envList = Object.entries(PUENTE_BENCH_ENV)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ');
  const lines: string[] = [
    '# Benchmarks',
    '',
    '_Generated by `npm run bench` (`bench/run.ts`); do not edit by hand. Figures from one run on one machine: compare rows of the same run, not across machines._',
    '',
    '## Machine and run',
    '',
    '| | |',
    '| --- | --- |',
    `| CPU | ${cpus[0]?.model.trim() ?? 'unknown'} |`,
    `| Cores | ${cpus.length} (load generator, server under test and database share them) |`,
    `| Memory | ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB |`,
    `| OS | ${os.type()} ${os.release()} (${os.arch()}) |`,
    `| Node.js | ${process.version} |`,
    `| PostgreSQL | ${cluster ? `${cluster.version} — throwaway cluster (initdb + start ${fmt.s(cluster.startMs)}, default settings, fsync on) via ${cluster.via}` : `not available: ${clusterError ?? 'skipped (BENCH_ONLY)'}`} |`,
    `| Embedded | ${embeddedLabel}, fresh temporary data directory |`,
    `| Date | ${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} |`,
    `| Commit | ${commit ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown'} |`,
    `| Run time | ${totalS.toFixed(0)} s |`,
    `| Load average (1 min) | ${loadBefore[0].toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end — other work on the machine competes for the same cores |`,
    '',
    `Every Puente server ran as its own process (\`node --max-old-space-size=768 --import tsx src/server/main.ts\`, the heap cap of \`npm start\`, listening on 127.0.0.1) with ${envList} ` +
      `and a fixed demo password (\`PUENTE_DEMO_PASSWORD\`); everything else at its default (background jobs on; PostgreSQL pool of 10 connections, PGlite a single connection). ` +
      '**The API rate limit was raised to 100,000,000/min (`PUENTE_RATE_LIMIT_API=100000000`)** — at the default 600/min per person a load test measures 429 answers — ' +
      'and the login rate limit to 100,000/min. Each server was stopped with SIGTERM at the end; the data directory, database cluster and temporary files were deleted.',
    '',
  ];
  const fresh = new Map<string, string>();
  for (const c of collected) {
    const block = [`## ${c.benchmark.title}`, '', c.benchmark.intro(settings), '', table(c.benchmark.columns, c.rows), ''];
    if (c.notes.length) block.push(...c.notes.map((n) => `- ${n}`), '');
    fresh.set(c.benchmark.title, block.join('\n'));
  }
  const out = process.env.BENCH_OUT ?? path.join(REPO_ROOT, 'BENCHMARKS.md');
  const previousPath = out === '-' ? path.join(REPO_ROOT, 'BENCHMARKS.md') : out;
  const md =
    selected.length < BENCHMARKS.length && fs.existsSync(previousPath)
      ? mergeSections(fs.readFileSync(previousPath, 'utf8'), lines, fresh, `${startedAt.toISOString().replace(/\.\d+Z$/, 'Z')} (commit ${commit ?? 'unknown'}${dirty ? ', with uncommitted changes' : ''})`)
      : [...lines, ...fresh.values()].join('\n');
  if (out !== '-') {
    fs.writeFileSync(out, md);
    log(`wrote ${path.relative(process.cwd(), out) || out} in ${totalS.toFixed(0)} s`);
  }
  process.stdout.write(md);
}

// Interrupted: exit normally so that the 'exit' hooks kill child servers and remove the cluster.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
