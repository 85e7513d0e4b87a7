import PDFDocument from 'pdfkit';
import { t, type UiLanguage } from '../../platform/i18n.js';
import { winAnsi } from '../../platform/pdf.js';
import type { Tlp } from '#shared/tlp';
import type { getCrisis } from './service.js';

export type CrisisView = Awaited<ReturnType<typeof getCrisis>>;

/** FIRST's TLP 2.0 colours: the label in its colour on black, as the standard asks of printed copies. */
const TLP_COLOUR: Record<Tlp, string> = { CLEAR: '#FFFFFF', GREEN: '#33FF00', AMBER: '#FFC000', 'AMBER+STRICT': '#FFC000', RED: '#FF2B2B' };

/**
 * The room as one reader may see it, on A4 (pdfkit's Helvetica writes the four languages' letters):
 * scope, level history, situation reports, decisions and action items. Every page carries the TLP
 * of the most restrictive part included and, for a table-top exercise, EXERCISE — a page printed
 * or passed on alone still says how far it may go and that it is not real.
 */
export function renderCrisisPdf(c: CrisisView, marking: Tlp, lang: UiLanguage, madeFor: string, when: (iso: string | null) => string, countryName: (code: string) => string): Promise<Buffer> {
  const w = (key: string, vars?: Record<string, string>) => t(lang, `crises.pdf.${key}`, vars);
  const none = w('none');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, lang, info: { Title: winAnsi(`${c.exercise ? `${w('exercise')} — ` : ''}${w('title')}: ${c.title}`), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (x: Buffer) => chunks.push(x));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const left = doc.page.margins.left;
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    const bottom = () => doc.page.height - doc.page.margins.bottom;

    const stamp = () => {
      const x = doc.x;
      const y = doc.y;
      doc.save().rect(doc.page.width - 50 - 130, 18, 130, 20).fill('#000000').restore();
      doc.font('Helvetica-Bold').fontSize(10).fillColor(TLP_COLOUR[marking]).text(`TLP:${marking}`, doc.page.width - 50 - 130, 23, { width: 130, align: 'center', lineBreak: false });
      if (c.exercise) {
        doc.save().rect(50, 18, 130, 20).fill('#7A1FA2').restore();
        doc.font('Helvetica-Bold').fontSize(10).fillColor('#FFFFFF').text(winAnsi(w('exercise')), 50, 23, { width: 130, align: 'center', lineBreak: false });
      }
      doc.fillColor('#000000');
      doc.x = x;
      doc.y = y;
    };
    stamp();
    doc.on('pageAdded', stamp);

    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(c.title), left, doc.page.margins.top, { width });
    doc.font('Helvetica').fontSize(10).moveDown(0.2).text(winAnsi(w('title')));
    doc.text(winAnsi(madeFor));
    doc.moveDown(0.3).fontSize(8).text(winAnsi(w('note')), { width });
    doc.moveDown();

    const heading = (s: string) => {
      if (doc.y + 60 > bottom()) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(12).text(winAnsi(s), left, doc.y, { width });
      doc.moveDown(0.3);
    };
    /** A labelled paragraph; one that fits on a page is kept whole (pdfkit loses the margins of a continued line that crosses pages). */
    const para = (label: string, value: string) => {
      if (!value) return;
      doc.font('Helvetica').fontSize(9);
      const h = doc.heightOfString(`${winAnsi(label)}: ${winAnsi(value)}`, { width });
      if (doc.y + h > bottom() && h < bottom() - doc.page.margins.top) doc.addPage();
      if (h >= bottom() - doc.page.margins.top) {
        doc.font('Helvetica-Bold').text(winAnsi(label), left, doc.y, { width });
        doc.font('Helvetica').text(winAnsi(value), left, doc.y, { width });
        return;
      }
      doc.font('Helvetica-Bold').text(`${winAnsi(label)}: `, left, doc.y, { continued: true, width });
      doc.font('Helvetica').text(winAnsi(value), { width });
    };
    /** One row of a table; a row that does not fit starts a new page, with the header again. */
    const row = (cells: string[], widths: number[], bold = false, head?: string[]) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
      const texts = cells.map(winAnsi);
      const h = Math.max(...texts.map((x, i) => doc.heightOfString(x || ' ', { width: widths[i]! - 6 })));
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (head) {
          row(head, widths, true);
          doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
        }
      }
      const y = doc.y;
      let x = left;
      texts.forEach((s, i) => {
        doc.text(s, x, y, { width: widths[i]! - 6 });
        x += widths[i]!;
      });
      doc.x = left;
      doc.y = y + h + 4;
    };
    const table = (title: string, head: string[], rows: string[][], widths: number[]) => {
      heading(title);
      row(head, widths, true);
      if (!rows.length) row([w('nothing')], [widths.reduce((a, b) => a + b, 0)]);
      for (const cells of rows) row(cells, widths, false, head);
      doc.moveDown();
    };
    const level = (l: string) => t(lang, `mail.crisis_alert.levels.${l}`);

    heading(w('scope'));
    para(w('level'), level(c.level));
    para(w('status'), t(lang, `crises.status.${c.status}`));
    para(w('countries'), c.countries.map(countryName).join(', ') || none);
    para(w('sectors'), c.sectors.map((s) => t(lang, `situation.sector.${s}`)).join(', ') || none);
    para(w('declared'), when(c.declaredAt));
    if (c.closedAt) para(w('closed'), when(c.closedAt));
    if (c.nextSitrep) para(w('nextSitrep'), when(c.nextSitrep.dueAt));
    if (c.description) doc.moveDown(0.3).font('Helvetica').fontSize(9).text(winAnsi(c.description), left, doc.y, { width });
    doc.moveDown();

    table(
      w('levels'),
      [w('when'), w('level'), w('by'), w('note_')],
      c.levels.map((l) => [when(l.at), level(l.level), l.by ?? none, l.note]),
      [120, 80, 120, width - 320],
    );

    heading(w('sitreps'));
    if (!c.sitreps.length) doc.font('Helvetica').fontSize(8).text(winAnsi(w('nothing')), left);
    for (const s of c.sitreps) {
      if (doc.y + 80 > bottom()) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(10).text(winAnsi(`#${s.number} · ${when(s.createdAt)} · TLP:${s.tlp}`), left, doc.y, { width });
      para(w('author'), `${s.author.name} (${s.author.organisation})`);
      para(w('impact'), t(lang, `situation.severity.${s.impactSeverity}`));
      para(w('outlook'), t(lang, `crises.outlook.${s.outlook}`));
      para(w('sectors'), s.sectors.map((x) => t(lang, `situation.sector.${x}`)).join(', '));
      para(w('summary'), s.summary);
      para(w('conditions'), s.conditions);
      para(w('actionsTaken'), s.actions);
      para(w('needs'), s.needs);
      doc.moveDown(0.6);
    }
    doc.moveDown();

    table(
      w('decisions'),
      [w('when'), w('decision'), w('by'), 'TLP'],
      c.decisions.map((d) => [when(d.at), d.text, d.by, d.tlp]),
      [100, width - 280, 110, 70],
    );
    table(
      w('actionItems'),
      [w('action'), w('owner'), w('due'), w('status'), 'TLP'],
      c.actions.map((a) => [a.text, a.owner?.name ?? none, a.dueAt ? when(a.dueAt) : none, t(lang, `crises.actionStatus.${a.status}`), a.tlp]),
      [width - 345, 110, 100, 70, 65],
    );
    doc.end();
  });
}
