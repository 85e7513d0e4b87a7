import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { DB } from './schema.js';

export type DatabaseMode = 'embedded' | 'postgres';

/**
 * One driver path for both modes: a pg.Pool and Kysely on top of it. PGlite is
 * reached through its node-postgres connection shim, so every query, transaction
 * and migration runs through the same code whichever database is underneath.
 */
export interface Database {
  mode: DatabaseMode;
  pool: pg.Pool;
  db: Kysely<DB>;
  /** Subscribe to NOTIFY on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Flush to disk (embedded) and release every connection and lock. */
  close(): Promise<void>;
  /** The PGlite instance in embedded mode (backup, tests), otherwise null. */
  pglite: PGlite | null;
}

export class DatabaseOpenError extends Error {
  constructor(message: string, readonly hint: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const EMBEDDED_EXTENSIONS = { unaccent, pg_trgm };

/** Type parsers shared by both modes: dates stay Dates, int8 counts become numbers when safe. */
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? (n as unknown as string) : v;
});

function lockPath(dataDir: string) {
  return path.join(dataDir, 'puente.lock');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process owns an embedded data directory: PGlite has no shared-memory
 * coordination, so two writers would corrupt it. The lock records the owner's
 * pid; a lock left by a dead process (SIGKILL, power loss) is taken over.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, 'utf8') === mine) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; host?: string } = {};
      try {
        owner = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        /* unreadable lock: treat as stale */
      }
      if (owner.pid && owner.host === os.hostname() && owner.pid !== process.pid && processAlive(owner.pid)) {
        throw new DatabaseOpenError(
          `The data directory ${dataDir} is in use by another Puente process (pid ${owner.pid}).`,
          'Stop that process first, or point PUENTE_DATA_DIR at another directory.',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new DatabaseOpenError(`Could not lock the data directory ${dataDir}.`, 'Check its permissions.');
}

export function pgliteDir(dataDir: string) {
  return path.join(dataDir, 'pg');
}

/** Open (creating if needed) the embedded database in dataDir, holding its lock. */
export async function openEmbedded(dataDir: string): Promise<Database> {
  const release = acquireDataDirLock(dataDir);
  const dir = pgliteDir(dataDir);
  const existed = fs.existsSync(path.join(dir, 'PG_VERSION'));
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir: dir, extensions: EMBEDDED_EXTENSIONS });
    await pglite.query('SELECT 1');
  } catch (cause) {
    release();
    if (existed) {
      throw new DatabaseOpenError(
        `The embedded database in ${dir} could not be opened: its files look damaged.`,
        'Restore a backup with `puente restore FILE`, or move the directory aside to start empty.',
        { cause },
      );
    }
    throw new DatabaseOpenError(`The embedded database could not be created in ${dir}.`, 'Check free space and permissions.', { cause });
  }
  return fromPglite(pglite, { onClose: release, checkpoint: true });
}

/** Open a PGlite in memory, optionally from a dump (tests clone a migrated template this way). */
export async function openMemory(loadDataDir?: Blob | File): Promise<Database> {
  const options: PGliteOptions = { extensions: EMBEDDED_EXTENSIONS };
  if (loadDataDir) options.loadDataDir = loadDataDir;
  const pglite = await PGlite.create(options);
  return fromPglite(pglite, { checkpoint: false });
}

export function fromPglite(pglite: PGlite, opts: { onClose?: () => void; checkpoint: boolean }): Database {
  // PGlite is a single connection: a pool of one serialises queries and transactions.
  // The wait is bounded so that a query issued on the pool from inside a transaction (which
  // holds the only connection) fails loudly instead of hanging the process.
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1, connectionTimeoutMillis: 60_000 });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    mode: 'embedded',
    pool,
    db,
    pglite,
    async listen(channel, onPayload) {
      const unsub = await pglite.listen(channel, onPayload);
      return async () => {
        if (!pglite.closed) await unsub();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (opts.checkpoint && !pglite.closed) await pglite.query('CHECKPOINT');
        await pool.end();
        if (!pglite.closed) await pglite.close();
      } finally {
        opts.onClose?.();
      }
    },
  };
}

export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'puente' });
  pool.on('error', () => {
    /* idle client errors surface on the next query; keep the process alive */
  });
  // No JIT compilation: Puente's queries are short, but the planner cannot estimate how many rows
  // pass the access policy's per-row checks, so a page of the intel list or of TAXII is costed in
  // the millions and PostgreSQL (jit_above_cost 100,000) compiled it first — a second per page,
  // for a query that runs in 10 ms. Set on each new connection, ahead of its first query (a SET,
  // not a startup option, so that a connection pooler in between needs no setting of its own).
  pool.on('connect', (client) => {
    client.query('SET jit = off').catch(() => {});
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new DatabaseOpenError(
      `PostgreSQL at ${redactUrl(url)} could not be reached: ${(cause as Error).message}`,
      'Check PUENTE_DATABASE_URL, that the server runs, and that it accepts this user.',
      { cause },
    );
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Map<string, Set<(p: string) => void>>();
  let client: pg.Client | null = null;
  let closing = false;

  // One LISTEN connection per process, reconnecting with back-off if it drops.
  async function connectListener(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: 'puente-listen' });
    c.on('notification', (msg) => {
      for (const fn of listeners.get(msg.channel) ?? []) fn(msg.payload ?? '');
    });
    c.on('error', () => {
      if (client === c) client = null;
      if (!closing) setTimeout(() => void connectListener().catch(() => {}), 1000);
    });
    await c.connect();
    for (const ch of listeners.keys()) await c.query(`LISTEN ${pg.escapeIdentifier(ch)}`);
    client = c;
  }

  return {
    mode: 'postgres',
    pool,
    db,
    pglite: null,
    async listen(channel, onPayload) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        if (client) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      if (!client) await connectListener();
      return async () => {
        set!.delete(onPayload);
      };
    },
    async close() {
      closing = true;
      await client?.end().catch(() => {});
      // Kysely only ends a pool it has used itself; migrations use the pool directly.
      await db.destroy();
      if (!pool.ended) await pool.end();
    },
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
