import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { visibleIntelSql } from '../intel/repository.js';
import '../incidents/tables.js';
import '../intel/tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The situational picture's reads. Every figure is an aggregate over `counted()`: incident reports
 * the viewer may see (visibleSql, the one access policy), never exercise reports, under the
 * filters. Linked intel counts only objects the viewer may see (the intel feature's
 * visibleIntelSql), sightings only those the viewer may see whose sighted object they may see too
 * (as features/intel reads them). Nothing here counts a row before the policy has let it through;
 * the sightings' day roll-up (situation_sighting_days) carries its sightings' marking columns, so the
 * policy lets a roll-up row through exactly when it lets through each of its sightings.
 */

export interface SituationFilters {
  /** [start, end): the window on `aware_at`. */
  start: Date;
  end: Date;
  countries?: string[];
  sectors?: string[];
  /** RSIT categories (`intrusions`) or classes (`intrusions/system-compromise`). */
  rsit?: string[];
  statuses?: string[];
  severities?: string[];
  community?: string;
  q?: string;
}

const texts = (xs: readonly string[]) => sql`${sql.val([...xs])}::text[]`;

/** LIKE pattern that matches `s` literally anywhere. */
const contains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The reports counted, as a condition on `incident_reports r`. */
function counted(viewer: Viewer, f: SituationFilters): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`${visibleSql(viewer, 'r')}`, sql`r.exercise = false`, sql`r.aware_at >= ${f.start}`, sql`r.aware_at < ${f.end}`];
  if (f.countries?.length) parts.push(sql`r.countries && ${texts(f.countries)}`);
  if (f.sectors?.length) parts.push(sql`r.sectors && ${texts(f.sectors)}`);
  if (f.rsit?.length) {
    const classes = f.rsit.filter((x) => x.includes('/'));
    const categories = f.rsit.filter((x) => !x.includes('/'));
    parts.push(sql`(r.rsit_class = ANY(${texts(classes)}) OR split_part(r.rsit_class, '/', 1) = ANY(${texts(categories)}))`);
  }
  if (f.statuses?.length) parts.push(sql`r.status = ANY(${texts(f.statuses)})`);
  if (f.severities?.length) parts.push(sql`r.impact_severity = ANY(${texts(f.severities)})`);
  if (f.community) parts.push(sql`r.audience_communities @> ARRAY[${f.community}::uuid]`);
  if (f.q) parts.push(sql`(r.title ILIKE ${contains(f.q)} OR r.description ILIKE ${contains(f.q)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/** Severity rank, most severe first (nis2:impact-severity): the order of NIS2_IMPACT_SEVERITIES. */
const SEVERITY_RANK = sql`array_position(ARRAY['red', 'yellow', 'green', 'white']::text[], r.impact_severity)`;
/**
 * The bucket of `seconds` from `start` a time falls in. In double precision (date_part), not
 * numeric (extract): it is computed for every row counted, and numeric division cost more than
 * the rest of the row's work at full size.
 */
const bucketOf = (col: string, start: Date, seconds: number) => sql`floor(date_part('epoch', ${sql.ref(col)} - ${start}::timestamptz) / ${seconds}::float8)::int`;
const TLP_RANK = (col: string) => sql`array_position(ARRAY['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']::text[], ${sql.ref(col)})`;

export interface ReportFigures {
  totals: { reports: number; open: number; tlpRank: number | null };
  byCountry: { code: string; reports: number; open: number; severityRank: number | null }[];
  matrix: { country: string; sector: string; reports: number }[];
  reported: Map<number, number>;
  closed: Map<number, number>;
  rsit: { rsitClass: string; reports: number }[];
  links: { stixId: string; reports: number }[];
}

/**
 * Every figure over the counted reports, in one statement: the reports are chosen once through
 * the policy (a materialised set of the few columns the figures need), and each figure is an
 * aggregate over that set. A report is counted once per country and once per country and sector
 * even if a value repeats in its arrays: an element is kept where it does not occur earlier in
 * the array (not count(DISTINCT), which sorts; and written so that the planner expects most
 * elements kept and hashes the groups). Trends are per bucket of `seconds` from the window's start: by when
 * the organisation became aware, and (those closed in the window) by when they were closed.
 * Linked objects are counted per object and kept only when the viewer may see the object in the
 * store (visibleIntelSql), asked once per object, not once per link.
 */
export async function countedReportFigures(db: Db, viewer: Viewer, f: SituationFilters, seconds: number): Promise<ReportFigures> {
  const r = await sql<{ kind: string; k1: string | null; k2: string | null; n: string; m: string; x: number | null }>`
    WITH c AS MATERIALIZED (
      SELECT r.id, r.countries, r.sectors, r.rsit_class, r.status <> 'closed' AS open,
        ${SEVERITY_RANK} AS sev, ${TLP_RANK('r.tlp')} AS tlp, ${bucketOf('r.aware_at', f.start, seconds)} AS rb,
        CASE WHEN r.closed_at >= ${f.start} AND r.closed_at < ${f.end} THEN ${bucketOf('r.closed_at', f.start, seconds)} END AS cb
      FROM incident_reports r WHERE ${counted(viewer, f)}),
    cc AS MATERIALIZED (
      SELECT c.id, c.open, c.sev, x.code, c.sectors FROM c CROSS JOIN LATERAL unnest(c.countries) WITH ORDINALITY AS x(code, i)
      WHERE NOT (x.code = ANY(c.countries[:x.i - 1]))),
    links AS MATERIALIZED (
      SELECT l.stix_id, count(*) AS n FROM c JOIN incident_links l ON l.incident_id = c.id
      WHERE l.stix_id LIKE 'attack-pattern--%' OR l.stix_id LIKE 'vulnerability--%' GROUP BY l.stix_id)
    SELECT 'total' AS kind, NULL::text AS k1, NULL::text AS k2, count(*) AS n, count(*) FILTER (WHERE open) AS m, max(tlp) AS x FROM c
    UNION ALL
    SELECT 'country', cc.code, NULL, count(*), count(*) FILTER (WHERE cc.open), min(cc.sev) FILTER (WHERE cc.open) FROM cc GROUP BY cc.code
    UNION ALL
    SELECT 'matrix', cc.code, s.code, count(*), 0, NULL
    FROM cc CROSS JOIN LATERAL unnest(cc.sectors) WITH ORDINALITY AS s(code, i) WHERE NOT (s.code = ANY(cc.sectors[:s.i - 1])) GROUP BY cc.code, s.code
    UNION ALL
    SELECT 'reported', c.rb::text, NULL, count(*), 0, NULL FROM c GROUP BY c.rb
    UNION ALL
    SELECT 'closed', c.cb::text, NULL, count(*), 0, NULL FROM c WHERE c.cb IS NOT NULL GROUP BY c.cb
    UNION ALL
    SELECT 'rsit', c.rsit_class, NULL, count(*), 0, NULL FROM c GROUP BY c.rsit_class
    UNION ALL
    SELECT 'link', links.stix_id, NULL, links.n, 0, NULL FROM links
    WHERE EXISTS (SELECT 1 FROM intel_objects o WHERE o.stix_id = links.stix_id AND o.stix_type = split_part(links.stix_id, '--', 1) AND ${visibleIntelSql(viewer, 'o')})`.execute(db);
  const rows = (kind: string) => r.rows.filter((x) => x.kind === kind);
  const total = rows('total')[0];
  const byCount = <T extends { reports: number }>(key: (x: T) => string) => (a: T, b: T) => b.reports - a.reports || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    totals: { reports: Number(total?.n ?? 0), open: Number(total?.m ?? 0), tlpRank: total?.x == null ? null : Number(total.x) },
    byCountry: rows('country').map((x) => ({ code: x.k1!, reports: Number(x.n), open: Number(x.m), severityRank: x.x == null ? null : Number(x.x) })),
    matrix: rows('matrix')
      .map((x) => ({ country: x.k1!, sector: x.k2!, reports: Number(x.n) }))
      .sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : a.sector < b.sector ? -1 : a.sector > b.sector ? 1 : 0)),
    reported: new Map(rows('reported').map((x) => [Number(x.k1), Number(x.n)])),
    closed: new Map(rows('closed').map((x) => [Number(x.k1), Number(x.n)])),
    rsit: rows('rsit')
      .map((x) => ({ rsitClass: x.k1!, reports: Number(x.n) }))
      .sort(byCount((x) => x.rsitClass)),
    links: rows('link')
      .map((x) => ({ stixId: x.k1!, reports: Number(x.n) }))
      .sort(byCount((x) => x.stixId)),
  };
}

/** The newest version the viewer may see of each of these objects (for their names and KEV marks). */
export async function visibleLatest(db: Db, viewer: Viewer, ids: string[]) {
  if (!ids.length) return new Map<string, { name: string | null; body: string }>();
  const rows = await db
    .selectFrom('intel_objects as o')
    .select(['o.stix_id', 'o.name', 'o.body'])
    .where('o.stix_id', 'in', ids)
    .where(visibleIntelSql(viewer, 'o'))
    .orderBy('o.version_at', 'desc')
    .orderBy('o.seq', 'desc')
    .execute();
  const out = new Map<string, { name: string | null; body: string }>();
  for (const x of rows) if (!out.has(x.stix_id)) out.set(x.stix_id, { name: x.name, body: x.body });
  return out;
}

export interface SightingFilters {
  start: Date;
  end: Date;
  countries?: string[];
  sectors?: string[];
}

/** Sightings the viewer may see, last seen in the window (the sighted object's visibility is checked after, per object). */
function ownSightings(viewer: Viewer, f: SightingFilters): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`${visibleSql(viewer, 's')}`, sql`s.last_seen >= ${f.start}`, sql`s.last_seen < ${f.end}`];
  if (f.countries?.length) parts.push(sql`s.country = ANY(${texts(f.countries)})`);
  if (f.sectors?.length) parts.push(sql`s.sector = ANY(${texts(f.sectors)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

export interface SightingFigures {
  byBucket: { bucket: number; reports: number; count: number; tlpRank: number | null }[];
  byCountry: { country: string; count: number }[];
}

/**
 * Sightings counted — those the viewer may see whose sighted object they may see too (as
 * features/intel reads them): per bucket, per country, and the most restrictive TLP among them.
 * From the day roll-up when it can answer (windows of whole UTC days, buckets of whole days, no
 * sector asked: the roll-up has no sector), otherwise from the sightings themselves.
 */
export async function countedSightingFigures(db: Db, viewer: Viewer, f: SightingFilters, seconds: number): Promise<SightingFigures> {
  const wholeDays = (d: Date) => d.getTime() % DAY_MS === 0;
  if (wholeDays(f.start) && wholeDays(f.end) && seconds % 86_400 === 0 && !f.sectors?.length) return rolledUpSightingFigures(db, viewer, f, seconds / 86_400);
  return rawSightingFigures(db, viewer, f, seconds);
}

const DAY_MS = 86_400_000;
const dayText = (d: Date) => d.toISOString().slice(0, 10);

type SightingRow = { b: number | null; country: string | null; reports: string; n: string; tlp_rank: number | null };
function sightingFigures(rows: SightingRow[]): SightingFigures {
  const byBucket = rows.filter((x) => x.b !== null);
  const byCountry = rows.filter((x) => x.b === null && x.country !== null);
  return {
    byBucket: byBucket.map((x) => ({ bucket: Number(x.b), reports: Number(x.reports), count: Number(x.n), tlpRank: x.tlp_rank === null ? null : Number(x.tlp_rank) })),
    byCountry: byCountry.map((x) => ({ country: x.country!, count: Number(x.n) })).sort((a, b) => b.count - a.count || (a.country < b.country ? -1 : 1)),
  };
}

/**
 * From situation_sighting_days (migrations/0037): per day, country and marking, kept by triggers in
 * the transaction of every write to intel_sightings. Its marking columns are the sightings' own, so
 * visibleSql lets a roll-up row through exactly when it lets through each sighting in it. The roll-up
 * does not know which object was sighted, so the sightings the viewer may see of objects they may
 * not see are counted from intel_sightings (only those: the objects sighted in the window, from
 * situation_sighted_days, that the store does not show the viewer) and taken out, per day, country
 * and level; the marking is the most restrictive level with something left.
 */
async function rolledUpSightingFigures(db: Db, viewer: Viewer, f: SightingFilters, bucketDays: number): Promise<SightingFigures> {
  const from = dayText(f.start);
  const to = dayText(f.end);
  const country = f.countries?.length ? sql`AND d.country = ANY(${texts(f.countries)})` : sql``;
  const r = await sql<SightingRow>`
    WITH cells AS MATERIALIZED (
      SELECT d.day, d.country, d.tlp, sum(d.sightings) AS reports, sum(d.times) AS n FROM situation_sighting_days d
      WHERE ${visibleSql(viewer, 'd')} AND d.day >= ${from}::date AND d.day < ${to}::date ${country} GROUP BY 1, 2, 3),
    hidden AS MATERIALIZED (
      SELECT x.sighting_of FROM (SELECT DISTINCT o.sighting_of FROM situation_sighted_days o WHERE o.day >= ${from}::date AND o.day < ${to}::date) x
      WHERE NOT EXISTS (SELECT 1 FROM intel_objects o WHERE o.stix_id = x.sighting_of AND ${visibleIntelSql(viewer, 'o')})),
    minus AS MATERIALIZED (
      SELECT (s.last_seen AT TIME ZONE 'UTC')::date AS day, s.country, s.tlp, count(*) AS reports, sum(s.count) AS n FROM intel_sightings s
      WHERE s.sighting_of IN (SELECT sighting_of FROM hidden) AND ${ownSightings(viewer, f)} GROUP BY 1, 2, 3),
    net AS MATERIALIZED (
      SELECT c.day, c.country, c.tlp, c.reports - coalesce(m.reports, 0) AS reports, c.n - coalesce(m.n, 0) AS n
      FROM cells c LEFT JOIN minus m ON m.day = c.day AND m.country IS NOT DISTINCT FROM c.country AND m.tlp = c.tlp)
    SELECT (net.day - ${from}::date) / ${bucketDays}::int AS b, net.country, sum(net.reports) AS reports, sum(net.n) AS n, max(${TLP_RANK('net.tlp')}) AS tlp_rank
    FROM net WHERE net.reports > 0
    GROUP BY GROUPING SETS ((1), (net.country))`.execute(db);
  return sightingFigures(r.rows);
}

/**
 * From intel_sightings itself: sightings are grouped by the object they sight first, and the store
 * is asked once per object.
 */
async function rawSightingFigures(db: Db, viewer: Viewer, f: SightingFilters, seconds: number): Promise<SightingFigures> {
  const r = await sql<SightingRow>`
    WITH per_object AS MATERIALIZED (
      SELECT s.sighting_of, ${bucketOf('s.last_seen', f.start, seconds)} AS b, s.country,
        count(*) AS reports, sum(s.count) AS n, max(${TLP_RANK('s.tlp')}) AS tlp_rank
      FROM intel_sightings s WHERE ${ownSightings(viewer, f)} GROUP BY 1, 2, 3),
    objects AS MATERIALIZED (SELECT DISTINCT sighting_of FROM per_object),
    seen AS MATERIALIZED (
      SELECT x.sighting_of FROM objects x
      WHERE EXISTS (SELECT 1 FROM intel_objects o WHERE o.stix_id = x.sighting_of AND ${visibleIntelSql(viewer, 'o')}))
    SELECT p.b, p.country, sum(p.reports) AS reports, sum(p.n) AS n, max(p.tlp_rank) AS tlp_rank
    FROM per_object p JOIN seen USING (sighting_of)
    GROUP BY GROUPING SETS ((p.b), (p.country))`.execute(db);
  return sightingFigures(r.rows);
}

/** The member states (reference data, public): the countries of the map. */
export async function memberStates(db: Db) {
  const rows = await db.selectFrom('countries').select(['code', 'region']).where('kind', '=', 'state').orderBy('code').execute();
  return rows.filter((r): r is typeof r & { region: 'EU' | 'LAC' } => r.region === 'EU' || r.region === 'LAC');
}
