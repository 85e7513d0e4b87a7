import PDFDocument from 'pdfkit';
import type { Roadmap, RoadmapRow } from './service.js';
import { fill, type RoadmapStrings } from './strings.js';
import { pdfTables, winAnsi } from '../../platform/pdf.js';

const pct = (n: number | null, none: string) => (n === null ? none : `${n} %`);
const named = (r: RoadmapRow) => winAnsi(r.notation ? `${r.notation}. ${r.label}` : r.label);

export function renderRoadmapPdf(r: Roadmap, s: RoadmapStrings, madeFor: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, lang: r.lang, info: { Title: winAnsi(s.title), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(s.title));
    doc.font('Helvetica').fontSize(10).moveDown(0.3).text(winAnsi(madeFor));
    doc.text(winAnsi(fill(s.period, { from: r.from, to: r.to })));
    doc.moveDown(0.3).fontSize(8).text(winAnsi(s.note));
    doc.moveDown();

    const { table } = pdfTables(doc);

    const summary = (x: RoadmapRow) => [named(x), String(x.records), String(x.practices), String(x.commitments.count), String(x.commitments.overdue), pct(x.commitments.meanProgress, s.none)];
    const summaryWidths = [175, 65, 65, 70, 55, 65];
    table(s.areas, [s.area, s.records, s.practices, s.commitments, s.overdue, s.meanProgress], [...r.areas, r.overall].map(summary), summaryWidths);
    table(s.takeaways, [s.takeaway, s.records, s.practices, s.commitments, s.overdue, s.meanProgress], r.takeaways.map(summary), summaryWidths);
    table(
      s.byStatusTitle,
      [s.takeaway, s.status.planned, s.status['in progress'], s.status.done, s.status.delayed, s.status.dropped, s.meanProgress],
      r.takeaways.map((x) => [named(x), ...(['planned', 'in progress', 'done', 'delayed', 'dropped'] as const).map((k) => String(x.commitments.byStatus[k])), pct(x.commitments.meanProgress, s.none)]),
      [165, 55, 55, 55, 55, 55, 55],
    );
    const o = r.overall.series;
    table(
      s.monthlyTitle,
      [s.month, s.records, s.practices, s.commitments, s.meanProgress],
      r.months.map((m, i) => [m, String(o.records[i]), String(o.practices[i]), String(o.commitments[i]), pct(o.meanProgress[i] ?? null, s.none)]),
      [95, 100, 100, 100, 100],
    );
    table(
      s.progressTitle,
      [s.month, ...r.areas.map(named), r.overall.label],
      r.months.map((m, i) => [m, ...[...r.areas, r.overall].map((a) => pct(a.series.meanProgress[i] ?? null, s.none))]),
      [75, ...[...r.areas, r.overall].map(() => Math.floor(420 / (r.areas.length + 1)))],
    );
    doc.end();
  });
}
