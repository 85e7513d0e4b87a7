/** Helpers for the PDF reports (roadmap, capacity dashboard, situational picture, crisis rooms, letters, certificates). */
import type PDFDocument from 'pdfkit';
import type { Principal } from './auth/principal.js';

/** A moment as the reports print it, "2026-12-08 00:29 UTC": a document travels across time zones. */
export const utcStamp = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Who a report was made for, as its "made on … for …" line names them: "Name (Organisation)", else `otherwise` (the public). */
export const madeForName = (principal: Principal | null, otherwise: string) => (principal ? `${principal.person.name} (${principal.organisation.name})` : otherwise);

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

/**
 * Tables of figures in a pdfkit document: a row whose first cell wraps and whose figures are
 * right-aligned; a row that does not fit starts a new page with the table's header again. With
 * `nothing`, an empty table says so in one row.
 */
export function pdfTables(doc: InstanceType<typeof PDFDocument>, nothing?: string) {
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
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
    if (!rows.length && nothing !== undefined) row([nothing], [widths.reduce((a, b) => a + b, 0)]);
    for (const cells of rows) row(cells, widths, false, head);
    doc.moveDown();
  };
  return { row, table };
}
