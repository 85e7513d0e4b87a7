import PDFDocument from 'pdfkit';
import type { Roadmap, RoadmapRow } from './service.js';
import { fill, type RoadmapStrings } from './strings.js';

/**
 * pdfkit's built-in Helvetica writes WinAnsi (Windows-1252): every letter of English, Spanish,
 * Portuguese and French, accents, ligatures and typographic quotes included. A character outside
 * it (a name in another script) is written without its accents where that leaves a Latin letter,
 * else as "?", never as a wrong glyph.
 */
const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ']);
/** Letters NFKD does not take apart. */
const PLAIN: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', ſ: 's' };
const inWinAnsi = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
};
export function winAnsi(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    if (inWinAnsi(ch)) out += ch;
    else if (ch === '\n' || ch === '\t') out += ' ';
    else {
      const base = PLAIN[ch] ?? ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...base].every(inWinAnsi) && base ? base : '?';
    }
  }
  return out;
}

const pct = (n: number | null, none: string) => (n === null ? none : `${n} %`);
const named = (r: RoadmapRow) => winAnsi(r.notation ? `${r.notation}. ${r.label}` : r.label);

export function renderRoadmapPdf(r: Roadmap, s: RoadmapStrings, madeFor: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, lang: r.lang, info: { Title: winAnsi(s.title), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const left = doc.page.margins.left;
    const bottom = () => doc.page.height - doc.page.margins.bottom;

    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(s.title));
    doc.font('Helvetica').fontSize(10).moveDown(0.3).text(winAnsi(madeFor));
    doc.text(winAnsi(fill(s.period, { from: r.from, to: r.to })));
    doc.moveDown(0.3).fontSize(8).text(winAnsi(s.note));
    doc.moveDown();

    /** One table row: the first column wraps, the figures are right-aligned; before a row that does not fit, a new page (and the header again). */
    const row = (cells: string[], widths: number[], bold = false, head?: string[]) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      const texts = cells.map(winAnsi);
      const h = Math.max(...texts.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 6 })));
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (head) {
          row(head, widths, true);
          doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
        }
      }
      const y = doc.y;
      let x = left;
      texts.forEach((c, i) => {
        doc.text(c, x, y, { width: widths[i]! - 6, align: i === 0 ? 'left' : 'right' });
        x += widths[i]!;
      });
      doc.x = left;
      doc.y = y + h + 4;
    };
    const table = (title: string, head: string[], rows: string[][], widths: number[]) => {
      if (doc.y + 60 > bottom()) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(12).text(winAnsi(title), left);
      doc.moveDown(0.3);
      row(head, widths, true);
      for (const cells of rows) row(cells, widths, false, head);
      doc.moveDown();
    };

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
