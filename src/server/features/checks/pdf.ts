import PDFDocument from 'pdfkit';
import type { CheckReport } from './results.js';
import { fmtDuration } from './stats.js';

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** The report as a PDF: title, overall summary table and per-country table. */
export function renderReportPdf(r: CheckReport): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, info: { Title: r.title, Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text(r.title);
    doc.font('Helvetica').fontSize(10).moveDown(0.3).text(`Communication check · launched ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC · deadline ${r.deadline.slice(0, 16).replace('T', ' ')} UTC · ${r.status}`);
    doc.moveDown();
    const row = (cells: string[], widths: number[], bold = false) => {
      const y = doc.y;
      let x = 50;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      cells.forEach((c, i) => {
        doc.text(c, x, y, { width: widths[i] - 4, lineBreak: false, ellipsis: true });
        x += widths[i];
      });
      doc.x = 50;
      doc.y = y + 14;
      if (doc.y > 780) doc.addPage();
    };
    const widths = [150, 60, 75, 70, 70, 70];
    doc.font('Helvetica-Bold').fontSize(12).text('Overall');
    doc.moveDown(0.3);
    row(['', 'Targets', 'Acknowledged', 'Rate', 'Median', '90th pct.'], widths, true);
    const o = r.overall;
    row(['All contacts', String(o.targets), String(o.acknowledged), pct(o.responseRate), fmtDuration(o.medianSeconds), fmtDuration(o.p90Seconds)], widths);
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(12).text('By country', 50);
    doc.moveDown(0.3);
    row(['Country', 'Targets', 'Acknowledged', 'Rate', 'Median', '90th pct.'], widths, true);
    for (const c of r.byCountry) row([c.countryName, String(c.targets), String(c.acknowledged), pct(c.responseRate), fmtDuration(c.medianSeconds), fmtDuration(c.p90Seconds)], widths);
    doc.end();
  });
}
