// Types for scripts/pg-cluster.mjs (imported by TypeScript test setup and benchmarks).
export interface PgCluster {
  /** Superuser URL of the `postgres` database: postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Temporary directory holding the data directory, log and unix socket; deleted by stop(). */
  dir: string;
  dataDir: string;
  binDir: string;
  version: string;
  /** Milliseconds from the call to a connectable server (initdb + start). */
  startMs: number;
  /** Stop the server and delete its files. Idempotent. */
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** Directory holding initdb, pg_ctl and postgres; found automatically when omitted. */
  binDir?: string;
  /** Fixed port; a free one is picked when omitted. */
  port?: number;
}

export type FoundPostgres =
  | { binDir: string; version: string; major: number; origin: string; reason?: undefined }
  | { binDir: null; reason: string };

export function startCluster(options?: StartClusterOptions): Promise<PgCluster>;
export function findPostgres(): FoundPostgres;
export function postgresVersion(binDir: string): { major: number; full: string } | null;
export function serverUser(): { name: string; uid: number; gid: number } | null;
export function freePort(): Promise<number>;
