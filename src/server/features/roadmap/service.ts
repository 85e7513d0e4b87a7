import { COMMITMENT_STATUSES, type CommitmentStatus } from '#shared/records';
import type { Actor } from '../../platform/actor.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { hasRole } from '../../platform/auth/principal.js';
import { csvCell } from '../../platform/csv.js';
import type { Platform } from '../../platform/deps.js';
import { listConcepts } from '../vocabularies/service.js';
import { countedCommitments, countedUpdates, practicesByMonth, recordsByMonth, type MonthCount, type TagKey } from './repository.js';
import { fill, roadmapStrings, uiLanguageOf } from './strings.js';
import { roadmapWindow, type RoadmapWindow } from './window.js';
import { madeForName, utcStamp } from '../../platform/pdf.js';

/**
 * The roadmap dashboard (docs/roadmap.md): per action area and takeaway of the charter, the
 * published activity records and good practices tagged with it, and the commitments of those
 * records, over a window of months — every figure over what the reader may see only, read
 * through the records' and the library's own visible* functions. The JSON, the CSV and the PDF
 * are all made from `roadmap()`.
 */

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
const isSecretariat = (actor: Actor) => !!actor.principal && hasRole(actor.principal, 'secretariat');

export interface CommitmentFigures {
  count: number;
  byStatus: Record<CommitmentStatus, number>;
  /** Due before today (UTC) and neither done nor dropped. */
  overdue: number;
  /** The mean of their current progress, dropped ones left out, rounded to a whole percent; null when none is left. */
  meanProgress: number | null;
}

export interface RoadmapRow {
  /** `all`, or the concept's tag (`action-areas/policy`, `takeaways/7`). */
  key: string;
  notation: string | null;
  /** In the reader's language where the vocabulary has it, else English (`lang`). */
  label: string;
  lang: string;
  /** A takeaway's action area (its tag); null elsewhere. */
  area: string | null;
  /** The tags counted under this row. */
  includes: string[];
  records: number;
  practices: number;
  commitments: CommitmentFigures;
  /** One value per month of the window, in the order of `months`. */
  series: {
    records: number[];
    practices: number[];
    /** Commitments of the counted records dated on or before the month's end. */
    commitments: number[];
    /** Their mean progress at the month's end (docs/roadmap.md), dropped ones left out; null when none. */
    meanProgress: (number | null)[];
  };
}

export interface Roadmap {
  from: string;
  to: string;
  months: string[];
  /** The day (UTC) "overdue" is measured against. */
  today: string;
  /** The interface language the words of the dashboard are in. */
  lang: string;
  overall: RoadmapRow;
  areas: RoadmapRow[];
  takeaways: RoadmapRow[];
}

interface RowDef {
  key: string;
  notation: string | null;
  label: string;
  lang: string;
  area: string | null;
  includes: string[];
}

/** The rows: the action areas, the (top-level) takeaways with their sub-takeaways, and all of them, from the vocabularies. */
async function rowDefs(p: Platform, actor: Actor, allLabel: string, lang: string): Promise<{ overall: RowDef; areas: RowDef[]; takeaways: RowDef[] }> {
  const areaConcepts = (await listConcepts(p, actor, 'action-areas')).items;
  const takeawayConcepts = (await listConcepts(p, actor, 'takeaways')).items;
  const byId = new Map(takeawayConcepts.map((c) => [c.id, c]));
  const topOf = (id: string): string => {
    const seen = new Set<string>();
    let cur = byId.get(id);
    while (cur?.broader && byId.has(cur.broader) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.broader);
    }
    return cur?.id ?? id;
  };
  const takeaways: RowDef[] = takeawayConcepts
    .filter((c) => topOf(c.id) === c.id)
    .map((c) => ({
      key: `takeaways/${c.id}`,
      notation: c.notation,
      label: c.prefLabel,
      lang: c.lang,
      area: c.related.find((r) => r.startsWith('action-areas/')) ?? null,
      includes: takeawayConcepts.filter((x) => topOf(x.id) === c.id).map((x) => `takeaways/${x.id}`),
    }));
  const areas: RowDef[] = areaConcepts.map((a) => ({
    key: `action-areas/${a.id}`,
    notation: a.notation,
    label: a.prefLabel,
    lang: a.lang,
    area: null,
    includes: [`action-areas/${a.id}`, ...takeaways.filter((t) => t.area === `action-areas/${a.id}`).flatMap((t) => t.includes)],
  }));
  const all = [...new Set([...areas.flatMap((a) => a.includes), ...takeaways.flatMap((t) => t.includes)])];
  return { overall: { key: 'all', notation: null, label: allLabel, lang, area: null, includes: all }, areas, takeaways };
}

const zeroStatus = () => Object.fromEntries(COMMITMENT_STATUSES.map((s) => [s, 0])) as Record<CommitmentStatus, number>;
const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

/** The dashboard's figures for this reader, over the window asked for. */
export async function roadmap(p: Platform, actor: Actor, q: { from?: string; to?: string }, now = new Date()): Promise<Roadmap> {
  const w: RoadmapWindow = roadmapWindow(q, now);
  const lang = uiLanguageOf(actor.readerLanguages);
  const defs = await rowDefs(p, actor, roadmapStrings(lang).all, lang);
  const all = [defs.overall, ...defs.areas, ...defs.takeaways];
  const map: TagKey[] = all.flatMap((d) => d.includes.map((tag) => ({ tag, key: d.key })));
  const keysOfTag = new Map<string, string[]>();
  for (const m of map) keysOfTag.set(m.tag, [...(keysOfTag.get(m.tag) ?? []), m.key]);

  const viewer = viewerOf(actor);
  const secretariat = isSecretariat(actor);
  const span = { start: w.start, end: w.end };
  const records = await recordsByMonth(p.db, viewer, secretariat, map, span);
  const practices = await practicesByMonth(p.db, viewer, map, span);
  const commitments = await countedCommitments(p.db, viewer, secretariat, map, span);
  const updates = await countedUpdates(p.db, viewer, secretariat, map, span);

  const at = new Map(w.months.map((m, i) => [m, i]));
  const monthly = (rows: MonthCount[], key: string) => {
    const out = w.months.map(() => 0);
    for (const r of rows) if (r.key === key && at.has(r.month)) out[at.get(r.month)!] += r.n;
    return out;
  };
  const history = new Map<string, { at: number; status: string; progress: number }[]>();
  for (const u of updates) history.set(u.commitment_id, [...(history.get(u.commitment_id) ?? []), { at: new Date(u.at).getTime(), status: u.status, progress: u.progress }]);
  const today = now.toISOString().slice(0, 10);
  const ends = w.monthEnds.map((d) => ({ day: d, time: Date.parse(`${d}T00:00:00Z`) }));
  /** A commitment at a month's end: its latest update by then; without any update its current state; with only later ones, planned at 0 %. */
  const stateAt = (c: (typeof commitments)[number], end: number) => {
    const h = history.get(c.id);
    if (!h?.length) return { status: c.status, progress: c.progress };
    const last = h.filter((u) => u.at < end).pop();
    return last ?? { status: 'planned', progress: 0 };
  };

  const build = (d: RowDef): RoadmapRow => {
    const mine = commitments.filter((c) => c.concepts.some((t) => keysOfTag.get(t)?.includes(d.key)));
    const byStatus = zeroStatus();
    for (const c of mine) byStatus[c.status as CommitmentStatus] = (byStatus[c.status as CommitmentStatus] ?? 0) + 1;
    const rec = monthly(records, d.key);
    const pra = monthly(practices, d.key);
    const series = { records: rec, practices: pra, commitments: [] as number[], meanProgress: [] as (number | null)[] };
    for (const e of ends) {
      const existing = mine.filter((c) => c.record_date < e.day);
      series.commitments.push(existing.length);
      series.meanProgress.push(mean(existing.map((c) => stateAt(c, e.time)).filter((s) => s.status !== 'dropped').map((s) => s.progress)));
    }
    return {
      ...d,
      records: rec.reduce((a, b) => a + b, 0),
      practices: pra.reduce((a, b) => a + b, 0),
      commitments: {
        count: mine.length,
        byStatus,
        overdue: mine.filter((c) => !!c.due && c.due < today && c.status !== 'done' && c.status !== 'dropped').length,
        meanProgress: mean(mine.filter((c) => c.status !== 'dropped').map((c) => c.progress)),
      },
      series,
    };
  };
  return { from: w.from, to: w.to, months: w.months, today, lang, overall: build(defs.overall), areas: defs.areas.map(build), takeaways: defs.takeaways.map(build) };
}

/** The CSV's measures, in their order: name, total, monthly values (none for the status counts). */
function measures(r: RoadmapRow): [string, number | null, (number | null)[] | null][] {
  return [
    ['records', r.records, r.series.records],
    ['practices', r.practices, r.series.practices],
    ['commitments', r.commitments.count, r.series.commitments],
    ...COMMITMENT_STATUSES.map((s): [string, number, null] => [`commitments_${s.replace(/ /g, '_')}`, r.commitments.byStatus[s], null]),
    ['commitments_overdue', r.commitments.overdue, null],
    ['mean_progress', r.commitments.meanProgress, r.series.meanProgress],
  ];
}

export const CSV_MEASURES = ['records', 'practices', 'commitments', ...COMMITMENT_STATUSES.map((s) => `commitments_${s.replace(/ /g, '_')}`), 'commitments_overdue', 'mean_progress'];

/** The same figures as CSV: one line per row × measure, a column per month (UTF-8, CRLF, no byte-order mark). */
export function roadmapCsvText(r: Roadmap): string {
  const head = ['row', 'key', 'notation', 'label', 'measure', 'total', ...r.months];
  const lines = [head.map(csvCell).join(',')];
  const rows: [string, RoadmapRow][] = [['all', r.overall], ...r.areas.map((a): [string, RoadmapRow] => ['area', a]), ...r.takeaways.map((t): [string, RoadmapRow] => ['takeaway', t])];
  for (const [kind, row] of rows)
    for (const [name, total, values] of measures(row))
      lines.push([kind, row.key, row.notation, row.label, name, total, ...(values ?? r.months.map(() => null))].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export async function roadmapCsv(p: Platform, actor: Actor, q: { from?: string; to?: string }) {
  const r = await roadmap(p, actor, q);
  return { filename: `roadmap-${r.from}-${r.to}.csv`, body: roadmapCsvText(r) };
}

/** The same figures as a PDF: a title, when and for whom it was made, and the tables of the web page, in the reader's language. */
export async function roadmapPdf(p: Platform, actor: Actor, q: { from?: string; to?: string }) {
  const now = new Date();
  const r = await roadmap(p, actor, q, now);
  const s = roadmapStrings(r.lang as Parameters<typeof roadmapStrings>[0]);
  const who = madeForName(actor.principal, s.public);
  // pdfkit and its fonts load when the first PDF is asked for, not with every instance.
  const { renderRoadmapPdf } = await import('./pdf.js');
  const body = await renderRoadmapPdf(r, s, fill(s.madeFor, { date: utcStamp(now.toISOString()), who }));
  return { filename: `roadmap-${r.from}-${r.to}.pdf`, body };
}
