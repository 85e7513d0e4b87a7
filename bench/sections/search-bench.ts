// What the search benchmarks (directory, knowledge) share: a Puente server on a store of its own
// seeded with many rows, a signed-in session, and a query sent one request after another.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openEmbedded, openPostgres, type Database } from '../../src/server/db/connect.js';
import type { ModeContext } from '../context.js';
import { startPuente, type Server, type Store } from '../servers.js';

/** A store of its own (database `name` on PostgreSQL), so the server the other sections measure keeps its demo-only data. */
export async function ownStore(ctx: ModeContext, name = 'puente_bench_directory'): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (ctx.store.kind === 'embedded') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name.replace(/_/g, '-')}-`));
    return { store: { kind: 'embedded', dataDir }, dispose: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const admin = new URL(ctx.store.url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    store: { kind: 'postgres', url: url.toString() },
    dispose: async () => {
      const d = new pg.Client({ connectionString: admin.toString() });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).catch(() => {});
      await d.end();
    },
  };
}

export async function login(origin: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('puente_session='));
  if (!session) throw new Error('login set no puente_session cookie');
  return session.split(';')[0]!;
}

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/**
 * Start Puente once on a store of its own (migrations + demo), stop it, seed the store directly,
 * and start it again on the seeded store; `use` gets the running server. The store goes away after.
 */
export async function withSeededServer<T>(ctx: ModeContext, name: string, seed: (db: Database) => Promise<void>, use: (server: Server, seedMs: number) => Promise<T>): Promise<T> {
  const own = await ownStore(ctx, `puente_bench_${name}`);
  let server: Server | null = null;
  try {
    const start = (n: number) => startPuente({ name: `Puente (${ctx.mode}, ${name} ${n})`, store: own.store, demoPassword: ctx.demo.password });
    server = await start(1);
    await server.stop();
    server = null;
    const t0 = performance.now();
    const database = own.store.kind === 'embedded' ? await openEmbedded(own.store.dataDir) : await openPostgres(own.store.url, 2);
    try {
      await seed(database);
    } finally {
      await database.close();
    }
    const seedMs = performance.now() - t0;
    server = await start(2);
    return await use(server, seedMs);
  } finally {
    await server?.stop();
    await own.dispose().catch(() => {});
  }
}

/**
 * Send `url` `warmup` times untimed, then up to `requests` times timed (at most `budgetS` seconds),
 * one after the other; the sorted latencies (ms, request to full body) and the last body.
 */
export async function timedGets<B>(url: string, cookie: string, o: { warmup: number; requests: number; budgetS: number }): Promise<{ times: number[]; last: B }> {
  const times: number[] = [];
  let timedFrom = 0;
  let last: B | undefined;
  for (let i = 0; i < o.warmup + o.requests; i++) {
    if (i === o.warmup) timedFrom = performance.now();
    else if (i > o.warmup && performance.now() - timedFrom > o.budgetS * 1000) break;
    const t = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    const body = (await res.json()) as B;
    const ms = performance.now() - t;
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
    last = body;
    if (i >= o.warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { times, last: last! };
}
