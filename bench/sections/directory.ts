import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { openEmbedded, openPostgres, type Database } from '../../src/server/db/connect.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';
import { startPuente, type Server, type Store } from '../servers.js';

const ORGS = Number(process.env.BENCH_DIRECTORY_ORGS ?? 10_000);
const CONTACTS = Number(process.env.BENCH_DIRECTORY_CONTACTS ?? 50_000);
/** Timed requests per query (after WARMUP untimed ones), sent one after the other. */
const REQUESTS = Number(process.env.BENCH_DIRECTORY_REQUESTS ?? 200);
const WARMUP = 10;
/** …or until this many seconds of timed requests per query have passed, whichever comes first. */
const BUDGET_S = Number(process.env.BENCH_DIRECTORY_SECONDS ?? 10);

const FIRST = ['María', 'José', 'Ana', 'João', 'François', 'Zoë', 'Łukasz', 'Jürgen', 'Inés', 'Tomás', 'Sebastián', 'Camila', 'Lucía', 'Mateo', 'Valentina', 'Gabriel', 'Sofía', 'Diego', 'Isabel', 'Miguel', 'Ana Paula', 'Andrés', 'Chloé', 'Émilie', 'Kristjan', 'Aino', 'Piotr', 'Marek', 'Dimitris', 'Giulia', 'Renée', 'Joaquín'];
const LAST = ['García', 'Rodríguez', 'Martínez', 'González', 'Pérez', 'Silva', 'Santos', 'Oliveira', 'Souza', 'Ferreira', 'Dupont', 'Lefèvre', 'Moreau', 'Müller', 'Schmidt', 'Rossi', 'Bianchi', 'Kowalski', 'Nowak', 'Tamm', 'Virtanen', 'Papadopoulos', 'Hernández', 'López', 'Díaz', 'Ramírez', 'Torres', 'Flores', 'Gómez', 'Castillo', 'Núñez', 'Ibáñez'];
const ORG_WORDS = ['Ministry of Foreign Affairs', 'National CSIRT', 'Cyber Security Agency', 'Energy CSIRT', 'Health Sector CERT', 'University Security Lab', 'Central Bank SOC', 'Telecom Incident Team', 'Digital Government Office', 'Transport Security Unit'];
const TYPES = ['mfa', 'national_csirt', 'national_cyber_agency', 'sectoral_csirt', 'sectoral_csirt', 'academia', 'private_sector', 'private_sector', 'other_government', 'other_government'];

/** What a person looking for someone types and picks (accents and spelling not exact). */
const QUERIES: { label: string; query: string }[] = [
  { label: 'name, accent-folded (`q=garcia`)', query: 'q=garcia' },
  { label: 'first + last name (`q=joao silva`)', query: 'q=joao%20silva' },
  { label: 'misspelt name (`q=schmit`)', query: 'q=schmit' },
  { label: 'name + country (`q=nunez&country=AR`)', query: 'q=nunez&country=AR' },
  { label: 'organisation words + language (`q=ministry&language=es`)', query: 'q=ministry&language=es' },
  { label: 'filters only (`kind=operational_24_7&country=BR`)', query: 'kind=operational_24_7&country=BR' },
];

const arr = (xs: string[]) => sql.raw(`ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`);
/** A deterministic uuid for the n-th seeded row of a kind (1 = organisation, 2 = contact). */
const uuidOf = (kind: number, n: string) => sql.raw(`('00000000-0000-4000-800${kind}-' || lpad(to_hex(${n}), 12, '0'))::uuid`);

export async function seed(database: Database) {
  const db = database.db;
  await sql`
    INSERT INTO organisations (id, name, acronym, country_code, type, sectors, status, description)
    SELECT ${uuidOf(1, 'g')},
           (${arr(ORG_WORDS)})[1 + g % ${sql.lit(ORG_WORDS.length)}] || ' ' || s.codes[1 + (g / 7) % cardinality(s.codes)] || ' ' || g,
           'B' || g,
           s.codes[1 + g % cardinality(s.codes)],
           (${arr(TYPES)})[1 + g % ${sql.lit(TYPES.length)}],
           ARRAY[s.sectors[1 + g % cardinality(s.sectors)]],
           'approved', ''
    FROM generate_series(1, ${sql.lit(ORGS)}) AS g,
         (SELECT (SELECT array_agg(code ORDER BY code) FROM countries WHERE kind = 'state') AS codes,
                 (SELECT array_agg(code ORDER BY code) FROM sectors) AS sectors) AS s`.execute(db);
  // Contacts of the seeded organisations: most GREEN, some CLEAR, AMBER (their organisation)
  // and AMBER+STRICT; most active, a few nominated or removed; confirmed up to ~16 months ago.
  await sql`
    INSERT INTO contacts (id, organisation_id, country_code, kinds, full_name, position, languages, emails, tlp, author_org_id, audience_organisations, status, last_confirmed_at)
    SELECT ${uuidOf(2, 'g')}, o.id, o.country_code,
           string_to_array((ARRAY['technical', 'technical,operational_24_7', 'diplomatic', 'operational_24_7', 'crisis_management', 'capacity_building', 'technical,capacity_building'])[1 + g % 7], ','),
           (${arr(FIRST)})[1 + g % ${sql.lit(FIRST.length)}] || ' ' || (${arr(LAST)})[1 + (g / ${sql.lit(FIRST.length)}) % ${sql.lit(LAST.length)}] || ' ' || (${arr(LAST)})[1 + (g / ${sql.lit(FIRST.length * LAST.length)}) % ${sql.lit(LAST.length)}],
           (ARRAY['Head of unit', 'Duty officer', 'Policy officer', 'Incident handler', 'Deputy director'])[1 + g % 5],
           string_to_array((ARRAY['es', 'pt', 'en', 'fr', 'es,en', 'de,en'])[1 + (g / 7) % 6], ','),
           ARRAY['contact' || g || '@bench.example.test'],
           (ARRAY['GREEN','GREEN','GREEN','GREEN','GREEN','GREEN','GREEN','CLEAR','AMBER','AMBER+STRICT'])[1 + (g / 3) % 10],
           o.id,
           CASE WHEN (g / 3) % 10 IN (8, 9) THEN ARRAY[o.id] ELSE '{}' END,
           (ARRAY['active','active','active','active','active','active','active','active','nominated','removed'])[1 + (g / 10) % 10],
           now() - make_interval(days => (g % 480))
    FROM generate_series(1, ${sql.lit(CONTACTS)}) AS g
    JOIN organisations o ON o.id = ${uuidOf(1, `(1 + g % ${ORGS})`)}`.execute(db);
  await sql`ANALYZE organisations`.execute(db);
  await sql`ANALYZE contacts`.execute(db);
}

async function login(origin: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('puente_session='));
  if (!session) throw new Error('login set no puente_session cookie');
  return session.split(';')[0];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

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

export const directorySearch: Benchmark = {
  id: 'directory',
  title: 'Directory search: `GET /api/v1/contacts` over 10,000 organisations and 50,000 contacts',
  intro: () =>
    [
      `A Puente server of its own, on a store of its own: started once (migrations + demo), stopped, then ${fmt.int(ORGS)} approved organisations and ${fmt.int(CONTACTS)} points of contact ` +
        'are added with one `INSERT … SELECT generate_series` each (names with accents, 60 countries, all five kinds; 70 % GREEN, 10 % CLEAR, 20 % AMBER or AMBER+STRICT for their own organisation; ' +
        '80 % active), `ANALYZE`, and the server is started again. Signed in as the demo secretariat admin (who sees GREEN and CLEAR entries of other organisations, not their AMBER ones), ' +
        `each query is sent ${WARMUP} times untimed and then up to ${REQUESTS} times timed (at most ${BUDGET_S} s of timed requests per query), one request after the other (\`fetch\`, keep-alive), page size 25. ` +
        'Latency is client-side, request to full body, in ms. Target: p95 ≤ 50 ms on PostgreSQL (reported, not asserted).',
    ].join('\n'),
  columns: ['Database', 'Query', 'matches', 'timed requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
  async run(ctx) {
    const own = await ownStore(ctx);
    let server: Server | null = null;
    try {
      const start = (n: number) => startPuente({ name: `Puente (${ctx.mode}, directory ${n})`, store: own.store, demoPassword: ctx.demo.password });
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
      const cookie = await login(server.origin, ctx.demo.email, ctx.demo.password);
      const rows: Row[] = [];
      const all: number[] = [];
      for (const q of QUERIES) {
        const url = `${server.origin}/api/v1/contacts?${q.query}&pageSize=25`;
        let total = 0;
        const times: number[] = [];
        let timedFrom = 0;
        for (let i = 0; i < WARMUP + REQUESTS; i++) {
          if (i === WARMUP) timedFrom = performance.now();
          else if (i > WARMUP && performance.now() - timedFrom > BUDGET_S * 1000) break;
          const t = performance.now();
          const res = await fetch(url, { headers: { cookie } });
          const body = (await res.json()) as { total?: number };
          const ms = performance.now() - t;
          if (res.status !== 200) throw new Error(`${q.query} answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
          total = body.total ?? 0;
          if (i >= WARMUP) times.push(ms);
        }
        times.sort((a, b) => a - b);
        all.push(...times);
        rows.push([ctx.label, q.label, fmt.int(total), fmt.int(times.length), fmt.ms(pct(times, 50)), fmt.ms(pct(times, 95)), fmt.ms(pct(times, 99)), fmt.ms(times[times.length - 1])]);
      }
      all.sort((a, b) => a - b);
      rows.push([ctx.label, `**all ${QUERIES.length} queries**`, '', fmt.int(all.length), fmt.ms(pct(all, 50)), fmt.ms(pct(all, 95)), fmt.ms(pct(all, 99)), fmt.ms(all[all.length - 1])]);
      ctx.note(`directory: seeding ${fmt.int(ORGS)} organisations and ${fmt.int(CONTACTS)} contacts took ${fmt.s(seedMs)}; p95 over all queries ${fmt.ms(pct(all, 95))} ms (target ≤ 50 ms on PostgreSQL).`);
      return rows;
    } finally {
      await server?.stop();
      await own.dispose().catch(() => {});
    }
  },
};
