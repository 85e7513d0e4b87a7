/**
 * Integration-test harness: a database per test file (cloned from the migrated
 * template the global setup made — PGlite dump or PostgreSQL template database),
 * the real platform services, and the real app driven through app.inject().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { openMemory, openPostgres, type Database } from '../db/connect.js';
import { startPlatform } from '../runtime.js';
import { buildApp } from '../app.js';
import type { AppDeps } from '../platform/deps.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { newId } from '../platform/ids.js';
import type { Role } from '../platform/auth/principal.js';

export const TEST_PASSWORD = 'correct horse battery staple';
export const isPostgres = () => process.env.PUENTE_TEST_DB === 'postgres';

let cachedHash: string | null = null;
/** One argon2 hash per file: hashing is deliberately slow. */
export async function testPasswordHash() {
  cachedHash ??= await hashPassword(TEST_PASSWORD);
  return cachedHash;
}

/** A fresh database holding the migrated schema and nothing else. */
export async function openTestDatabase(): Promise<Database & { url?: string }> {
  if (isPostgres()) {
    const adminUrl = process.env.PUENTE_TEST_PG_ADMIN_URL || inject('pgAdminUrl');
    const template = process.env.PUENTE_TEST_PG_TEMPLATE || inject('pgTemplateDb');
    const name = `t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openPostgres(url.toString(), 5);
    const close = database.close;
    return Object.assign(database, {
      url: url.toString(),
      async close() {
        await close();
        const a = new pg.Client({ connectionString: adminUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).catch(() => {});
        await a.end();
      },
    });
  }
  const file = process.env.PUENTE_TEST_PGLITE_TEMPLATE || inject('pgliteTemplate');
  return openMemory(new Blob([fs.readFileSync(file)]));
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig(
    {
      PUENTE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'puente-test-')),
      PUENTE_BASE_URL: 'http://puente.test',
      PUENTE_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      PUENTE_RATE_LIMIT_API: '100000',
      PUENTE_RATE_LIMIT_LOGIN: '100000',
      PUENTE_DEMO: 'off',
      // ATT&CK + KEV (3,000 objects) only where a test asks for them.
      PUENTE_INTEL_REFERENCE: 'off',
      PUENTE_LOG_LEVEL: 'silent',
      ...env,
    },
    process.cwd(),
  );
}

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  database: Database;
  db: Database['db'];
  close(): Promise<void>;
}

export async function createTestApp(opts: { env?: Record<string, string>; jobs?: boolean; database?: Database } = {}): Promise<TestApp> {
  const database = opts.database ?? (await openTestDatabase());
  const config = testConfig(opts.env);
  const platform = await startPlatform(config, database, { jobs: opts.jobs ?? false });
  const app = await buildApp(platform.deps, { serveWeb: false });
  await app.ready();
  return {
    app,
    deps: platform.deps,
    database,
    db: database.db,
    async close() {
      await app.close();
      await platform.stop();
      if (!opts.database) await database.close();
    },
  };
}

// ---------- factories: rows straight into the database ----------

export interface OrgInput {
  name?: string;
  country?: string;
  type?: string;
  status?: 'requested' | 'approved' | 'rejected' | 'suspended';
  mfaRequired?: boolean;
}

export async function makeOrganisation(db: Database['db'], o: OrgInput = {}) {
  const id = newId();
  await db
    .insertInto('organisations')
    .values({
      id,
      name: o.name ?? `Organisation ${id.slice(-8)}`,
      country_code: o.country ?? 'BR',
      type: o.type ?? 'national_csirt',
      status: o.status ?? 'approved',
      mfa_required: o.mfaRequired ?? false,
    })
    .execute();
  return id;
}

export async function makePerson(db: Database['db'], organisationId: string, p: { email?: string; name?: string; roles?: Role[]; status?: 'active' | 'disabled' } = {}) {
  const id = newId();
  const email = p.email ?? `person-${id.slice(-12)}@example.test`;
  await db
    .insertInto('people')
    .values({
      id,
      organisation_id: organisationId,
      email,
      name: p.name ?? `Person ${id.slice(-6)}`,
      password_hash: await testPasswordHash(),
      roles: p.roles ?? ['member'],
      status: p.status ?? 'active',
    })
    .execute();
  return { id, email };
}

export async function makeCommunity(db: Database['db'], members: { organisations?: string[]; people?: { id: string; isAdmin?: boolean }[] } = {}) {
  const id = newId();
  await db.insertInto('communities').values({ id, slug: `c-${id.slice(-12)}`, name: `Community ${id.slice(-6)}` }).execute();
  if (members.organisations?.length)
    await db.insertInto('community_organisations').values(members.organisations.map((o) => ({ community_id: id, organisation_id: o }))).execute();
  if (members.people?.length)
    await db.insertInto('community_people').values(members.people.map((p) => ({ community_id: id, person_id: p.id, is_admin: p.isAdmin ?? false }))).execute();
  return id;
}

// ---------- a signed-in client over app.inject() ----------

export interface Client {
  csrf: string;
  cookie: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'puente_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode} ${res.body}`);
  return `puente_session=${c.value}`;
}

export function clientFor(app: FastifyInstance, cookie: string, csrf: string): Client {
  const request = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { cookie, ...(method !== 'GET' && { 'x-csrf-token': csrf }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
  return {
    csrf,
    cookie,
    request,
    get: (u) => request('GET', u),
    post: (u, b) => request('POST', u, b ?? {}),
    put: (u, b) => request('PUT', u, b),
    patch: (u, b) => request('PATCH', u, b),
    del: (u) => request('DELETE', u),
  };
}

export async function login(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200 || res.json().status !== 'ok') throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  return clientFor(app, cookieFrom(res), res.json().csrfToken);
}

/**
 * Tables whose rows change on their own while a test runs, whatever the request under test
 * did: the API rate-limit counters are added in the background every 250 ms
 * (BatchedCounters), so counting them would make "changed nothing" flaky.
 */
const UNCOUNTED_TABLES = new Set(['rate_limits']);

/**
 * Row counts of every table of the public schema (read from the catalogue, so a table added
 * by a migration is counted without being named here), to show that a refused request
 * changed nothing.
 */
export async function tableCounts(db: Database['db']): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname`.execute(db);
  if (!tables.rows.some((t) => t.name === 'organisations')) throw new Error('tableCounts: no tables found in the public schema');
  const out: Record<string, number> = {};
  for (const { name } of tables.rows) {
    if (UNCOUNTED_TABLES.has(name)) continue;
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(db);
    out[name] = Number(r.rows[0]!.n);
  }
  return out;
}
