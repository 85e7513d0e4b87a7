import PDFDocument from 'pdfkit';
import { regionNames, t, type UiLanguage } from '../../platform/i18n.js';
import { pdfTables, utcStamp, winAnsi } from '../../platform/pdf.js';
import type { CheckReport } from './results.js';

/**
 * The results as a PDF in the reader's language: title, launch and deadline (in UTC, labelled: a
 * report travels across time zones, as the crisis room's does), the overall figures and one row
 * per country, named in that language.
 */
export function renderReportPdf(r: CheckReport, lang: UiLanguage, madeFor: string): Promise<Buffer> {
  const w = (key: string, vars?: Record<string, string>) => t(lang, `checks.pdf.${key}`, vars);
  const none = w('none');
  const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  const tenth = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
  const duration = (s: number | null) => (s === null ? none : s < 3600 ? `${whole.format(Math.round(s / 60))} min` : `${tenth.format(s / 3600)} h`);
  const countryName = regionNames(lang);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, lang, info: { Title: winAnsi(`${w('kind')}: ${r.title}`), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(r.title));
    doc
      .font('Helvetica')
      .fontSize(10)
      .moveDown(0.3)
      .text(winAnsi(w('header', { kind: w('kind'), launched: utcStamp(r.createdAt), deadline: utcStamp(r.deadline), status: w(`status.${r.status}`) })));
    doc.text(winAnsi(madeFor));
    doc.moveDown();
    const { table } = pdfTables(doc, none);
    const head = [w('country'), w('targets'), w('acknowledged'), w('rate'), w('median'), w('p90')];
    const widths = [165, 60, 75, 70, 62, 63];
    const figures = (s: { targets: number; acknowledged: number; responseRate: number; medianSeconds: number | null; p90Seconds: number | null }) => [
      whole.format(s.targets),
      whole.format(s.acknowledged),
      percent.format(s.responseRate),
      duration(s.medianSeconds),
      duration(s.p90Seconds),
    ];
    table(w('overall'), ['', ...head.slice(1)], [[w('allContacts'), ...figures(r.overall)]], widths);
    table(
      w('byCountry'),
      head,
      r.byCountry.map((c) => [countryName(c.country), ...figures(c)]),
      widths,
    );
    doc.end();
  });
}
