import { sql } from 'kysely';
import type { Database } from '../../src/server/db/connect.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';
import { login, pct, timedGets, withSeededServer } from './search-bench.js';

// Issue 13 §2: the situational picture's aggregates over many incident reports and sightings,
// for one analyst through the access policy. Sizes can be made smaller for a quick check while
// developing (the defaults are the issue's).
const REPORTS = Number(process.env.BENCH_SITUATION_REPORTS ?? 100_000);
const SIGHTINGS = Number(process.env.BENCH_SITUATION_SIGHTINGS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_SITUATION_QUERIES ?? 100);
const BUDGET_S = Number(process.env.BENCH_SITUATION_SECONDS ?? 20);
const WARMUP = 5;
const BATCH = 1_000;
/** The Chilean CSIRT's analyst reads the picture: a member of the CSIRTs community of the demo. */
const READER = 'analyst.cl@demo.puente.test';
/** Reports and sightings are spread over this many days before now; the picture's default window is the last 30. */
const SPREAD_DAYS = 120;

const COUNTRIES = ['CO', 'CL', 'BR', 'MX', 'DO', 'AR', 'CR', 'PE', 'ES', 'EE', 'FR', 'DE', 'PT', 'IT', 'NL'];
const SECTORS = ['energy', 'transport', 'banking', 'health', 'drinking-water', 'digital-infrastructure', 'public-administration', 'manufacturing'];
const CLASSES = ['malicious-code/infected-system', 'intrusions/system-compromise', 'availability/ddos', 'fraud/phishing', 'information-content-security/data-leak', 'intrusion-attempts/exploit', 'information-gathering/scanner'];
const STATUSES = ['new', 'triage', 'investigating', 'contained', 'recovered', 'closed'];
const SEVERITIES = [null, 'red', 'yellow', 'green', 'white'];

/** A small deterministic generator, so every run writes the same world. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
const some = <T>(r: () => number, xs: readonly T[], n: number) => [...new Set(Array.from({ length: n }, () => pick(r, xs)))];

async function insertAll(db: Database['db'], table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += BATCH) await db.insertInto(table as never).values(rows.slice(i, i + BATCH) as never).execute();
}

/**
 * REPORTS incident reports by the demo's members (40 % CLEAR or GREEN, 40 % AMBER to the
 * organisation or the CSIRTs community, 10 % AMBER+STRICT, 10 % RED; one in twenty an exercise),
 * one in ten linked to an ATT&CK technique or vulnerability of the store, and SIGHTINGS sightings
 * of objects of the store, all spread over the last SPREAD_DAYS days.
 */
export async function seedSituation(database: Database) {
  const db = database.db;
  const r = rng(13);
  const now = Date.now();
  const members = await db.selectFrom('people as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id').select(['p.id', 'p.organisation_id']).where('o.status', '=', 'approved').orderBy('p.email').execute();
  const csirts = (await db.selectFrom('communities').select('id').where('slug', '=', 'csirts').executeTakeFirst())?.id;
  const linkable = (await db.selectFrom('intel_objects').select(['stix_id', 'stix_type']).where('stix_type', 'in', ['attack-pattern', 'vulnerability']).where('tlp', 'in', ['CLEAR', 'GREEN']).orderBy('seq').limit(200).execute()).map((x) => x.stix_id);
  const sighted = await db.selectFrom('intel_objects').select(['seq', 'stix_id']).where('stix_type', 'in', ['indicator', 'malware', 'vulnerability', 'attack-pattern']).where('tlp', 'in', ['CLEAR', 'GREEN']).orderBy('seq').limit(500).execute();
  if (!members.length || !sighted.length) throw new Error('the demo has no members or no intel to sight');

  for (let from = 0; from < REPORTS; from += BATCH) {
    const reports: Record<string, unknown>[] = [];
    const links: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(REPORTS, from + BATCH); i++) {
      const author = members[i % members.length]!;
      const x = r();
      const tlp = x < 0.2 ? 'CLEAR' : x < 0.4 ? 'GREEN' : x < 0.8 ? 'AMBER' : x < 0.9 ? 'AMBER+STRICT' : 'RED';
      const aware = now - Math.floor(r() * SPREAD_DAYS * 86_400_000);
      const status = pick(r, STATUSES);
      reports.push({
        id: uuid(0x500, i),
        stix_id: `incident--${uuid(0x501, i)}`,
        title: `Bench incident ${i}`,
        description: 'A bench incident.',
        language: 'en',
        rsit_class: pick(r, CLASSES),
        impact_severity: pick(r, SEVERITIES),
        countries: some(r, COUNTRIES, 1 + Math.floor(r() * 2)),
        sectors: some(r, SECTORS, 1 + Math.floor(r() * 2)),
        aware_at: new Date(aware),
        status,
        outcome: status === 'closed' ? 'blocked' : null,
        closed_at: status === 'closed' ? new Date(aware + Math.floor(r() * 10 * 86_400_000)) : null,
        owner_org_id: author.organisation_id,
        exercise: i % 20 === 19,
        tlp,
        pap: 'AMBER',
        author_id: author.id,
        author_org_id: author.organisation_id,
        audience_communities: tlp === 'AMBER' && csirts && r() < 0.5 ? [csirts] : [],
      });
      if (linkable.length && i % 10 === 0) for (const stixId of some(r, linkable, 1 + Math.floor(r() * 2))) links.push({ incident_id: uuid(0x500, i), stix_id: stixId });
    }
    await insertAll(db, 'incident_reports', reports);
    if (links.length) await insertAll(db, 'incident_links', links);
  }
  for (let from = 0; from < SIGHTINGS; from += BATCH) {
    const rows: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(SIGHTINGS, from + BATCH); i++) {
      const reporter = members[(i * 7) % members.length]!;
      const object = sighted[i % sighted.length]!;
      const at = new Date(now - Math.floor(r() * SPREAD_DAYS * 86_400_000));
      const x = r();
      const tlp = x < 0.5 ? 'GREEN' : x < 0.9 ? 'AMBER' : 'RED';
      rows.push({
        id: uuid(0x600, i),
        object_seq: object.seq,
        sighting_of: object.stix_id,
        count: 1 + Math.floor(r() * 20),
        first_seen: at,
        last_seen: at,
        country: pick(r, COUNTRIES),
        sector: pick(r, SECTORS),
        reporter_id: reporter.id,
        reporter_org_id: reporter.organisation_id,
        tlp,
        author_id: reporter.id,
        author_org_id: reporter.organisation_id,
        audience_communities: tlp === 'AMBER' && csirts && r() < 0.5 ? [csirts] : [],
      });
    }
    await insertAll(db, 'intel_sightings', rows);
  }
  for (const t of ['incident_reports', 'incident_links', 'intel_sightings', 'situation_sighting_days', 'situation_sighted_days']) await sql`ANALYZE ${sql.table(t)}`.execute(db);
}

export const situationPicture: Benchmark = {
  id: 'situation',
  title: 'The situational picture: `GET /api/v1/situation` over 100,000 incident reports and 1,000,000 sightings',
  intro: () =>
    `A Puente server of its own, on a store of its own: started once (migrations + demo), stopped, then ${fmt.int(REPORTS)} incident reports by the demo's members ` +
    `(40 % CLEAR or GREEN, 40 % AMBER for the organisation or the CSIRTs community, 10 % AMBER+STRICT, 10 % RED; one in twenty an exercise; one in ten linked to an ATT&CK technique or a vulnerability of the store) ` +
    `and ${fmt.int(SIGHTINGS)} sightings (50 % GREEN, 40 % AMBER, 10 % RED) of objects of the store, all spread over the last ${SPREAD_DAYS} days, are written by bulk SQL in batches of ${BATCH} (the triggers of migration 0037 keep the sightings' day roll-up, per marking, as they go), \`ANALYZE\`, and the server is started again. ` +
    `Signed in as ${READER}, the picture with its default window (the last 30 days, per day) is asked ${WARMUP} times untimed, then up to ${QUERIES} times timed (at most ${BUDGET_S} s), one after the other: ` +
    'totals, per country, the country × sector matrix, the trends, the leading RSIT classes, techniques and vulnerabilities and the sightings, each an aggregate through the access policy. Latency is client-side, request to full body, in ms. ' +
    'Targets (issue 13): p95 ≤ 200 ms on PostgreSQL, ≤ 500 ms embedded (reported, not asserted).',
  columns: ['Database', 'reports / sightings', 'reports counted, sightings counted', 'timed requests', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
  async run(ctx: ModeContext) {
    return withSeededServer(ctx, 'situation', seedSituation, async (server, seedMs) => {
      const cookie = await login(server.origin, READER, ctx.demo.password);
      const { times, last } = await timedGets<{ reports: number; sightings: { reports: number } }>(`${server.origin}/api/v1/situation`, cookie, { warmup: WARMUP, requests: QUERIES, budgetS: BUDGET_S });
      const target = ctx.mode === 'postgres' ? 200 : 500;
      const p95 = pct(times, 95);
      ctx.note(`situation: writing the world took ${fmt.s(seedMs)}; p95 ${fmt.ms(p95)} ms (target ≤ ${target} ms ${ctx.mode === 'postgres' ? 'on PostgreSQL' : 'embedded'}).`);
      const rows: Row[] = [
        [
          ctx.label,
          `${fmt.int(REPORTS)} / ${fmt.int(SIGHTINGS)}`,
          `${fmt.int(last.reports)}, ${fmt.int(last.sightings.reports)}`,
          fmt.int(times.length),
          fmt.ms(pct(times, 50)),
          `${fmt.ms(p95)}${p95 > target ? ' ✗' : ''}`,
          fmt.ms(pct(times, 99)),
          fmt.ms(times[times.length - 1]!),
        ],
      ];
      return rows;
    });
  },
};
