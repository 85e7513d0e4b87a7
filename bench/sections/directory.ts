import { sql } from 'kysely';
import type { Database } from '../../src/server/db/connect.js';
import { fmt, type Benchmark, type Row } from '../context.js';
import { login, pct, timedGets, withSeededServer } from './search-bench.js';

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
    return withSeededServer(ctx, 'directory', seed, async (server, seedMs) => {
      const cookie = await login(server.origin, ctx.demo.email, ctx.demo.password);
      const rows: Row[] = [];
      const all: number[] = [];
      for (const q of QUERIES) {
        const { times, last } = await timedGets<{ total?: number }>(`${server.origin}/api/v1/contacts?${q.query}&pageSize=25`, cookie, { warmup: WARMUP, requests: REQUESTS, budgetS: BUDGET_S });
        all.push(...times);
        rows.push([ctx.label, q.label, fmt.int(last.total ?? 0), fmt.int(times.length), fmt.ms(pct(times, 50)), fmt.ms(pct(times, 95)), fmt.ms(pct(times, 99)), fmt.ms(times[times.length - 1]!)]);
      }
      all.sort((a, b) => a - b);
      rows.push([ctx.label, `**all ${QUERIES.length} queries**`, '', fmt.int(all.length), fmt.ms(pct(all, 50)), fmt.ms(pct(all, 95)), fmt.ms(pct(all, 99)), fmt.ms(all[all.length - 1]!)]);
      ctx.note(`directory: seeding ${fmt.int(ORGS)} organisations and ${fmt.int(CONTACTS)} contacts took ${fmt.s(seedMs)}; p95 over all queries ${fmt.ms(pct(all, 95))} ms (target ≤ 50 ms on PostgreSQL).`);
      return rows;
    });
  },
};
