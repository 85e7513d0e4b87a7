// What a benchmark section receives and returns. To add a benchmark, write a `Benchmark` in
// bench/sections/ and list it in bench/sections/index.ts: the orchestrator runs it once per
// database (embedded PGlite, then PostgreSQL) and renders its rows as one Markdown table.
import type { Server, Store } from './servers.js';

export type Cell = string | number;
export type Row = Cell[];

export interface Settings {
  /** Concurrent keep-alive connections of the load generator. */
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Timed logins in the login benchmark (after a few untimed ones). */
  logins: number;
}

export interface StartRecord {
  label: string;
  readyMs: number;
  rssAtReadyKiB: number | null;
}

export interface ModeContext {
  mode: 'embedded' | 'postgres';
  /** "PGlite 0.5.16 (embedded)", "PostgreSQL 15.18" — the first column of every row. */
  label: string;
  settings: Settings;
  /** The Puente server under test (the second start on its store, demo loaded, warm). */
  puente: Server;
  /** The bare Fastify baseline, one process for the whole run. */
  bare: Server;
  store: Store;
  /** How the Puente server under test and its predecessor on the same store started. */
  starts: StartRecord[];
  demo: { email: string; password: string };
  /** Sign the demo account in; resolves to the Cookie header value for its session. */
  login(): Promise<string>;
  /** Free-form remarks a benchmark wants printed under its table. */
  note(text: string): void;
}

export interface Benchmark {
  id: string;
  title: string;
  /** Markdown paragraph under the heading: what is measured and how. */
  intro: (settings: Settings) => string;
  /** Table header; the first column is the database. */
  columns: string[];
  /** Once, before any server starts (e.g. build what the servers will serve). */
  prepare?(): Promise<void>;
  run(ctx: ModeContext): Promise<Row[]>;
}

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : 'n/a'),
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a'),
  ratio: (v: number) => (Number.isFinite(v) ? `${v.toFixed(v >= 10 ? 1 : 2)}×` : 'n/a'),
  mib: (kib: number | null) => (kib == null ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`),
  s: (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a'),
};
