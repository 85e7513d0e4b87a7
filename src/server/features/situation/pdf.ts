import PDFDocument from 'pdfkit';
import type { Situation } from '#shared/incidents';
import { t, type UiLanguage } from '../../platform/i18n.js';
import { pdfTables, winAnsi } from '../../platform/pdf.js';

/** FIRST's TLP 2.0 colours: the label in its colour on black, as the standard asks of printed copies. */
const TLP_COLOUR: Record<string, string> = { CLEAR: '#FFFFFF', GREEN: '#33FF00', AMBER: '#FFC000', 'AMBER+STRICT': '#FFC000', RED: '#FF2B2B' };

/**
 * A snapshot of the situational picture (A4, pdfkit's Helvetica, which writes the four languages'
 * letters): the TLP of the most restrictive report or sighting counted at the top of every page,
 * what was asked and for whom, then the figures of the web page as tables (the map as its table:
 * the countries with at least one report).
 */
export function renderSituationPdf(s: Situation, lang: UiLanguage, madeFor: string, countryName: (code: string) => string, filters: string[]): Promise<Buffer> {
  const w = (key: string, vars?: Record<string, string>) => t(lang, `situation.pdf.${key}`, vars);
  const num = new Intl.NumberFormat(lang);
  const n = (x: number) => num.format(x);
  const banner = s.marking ? `TLP:${s.marking}` : w('nothingCounted');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, lang, info: { Title: winAnsi(w('title')), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const left = doc.page.margins.left;

    // The banner on every page, so that a single page printed or passed on still says how it may be shared.
    const stamp = () => {
      const x = doc.x;
      const y = doc.y;
      doc.save().rect(doc.page.width - 50 - 130, 18, 130, 20).fill('#000000').restore();
      doc.font('Helvetica-Bold').fontSize(10).fillColor(s.marking ? TLP_COLOUR[s.marking]! : '#FFFFFF').text(winAnsi(banner), doc.page.width - 50 - 130, 23, { width: 130, align: 'center', lineBreak: false });
      doc.fillColor('#000000');
      doc.x = x;
      doc.y = y;
    };
    stamp();
    doc.on('pageAdded', stamp);

    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(w('title')), left, doc.page.margins.top);
    doc.font('Helvetica').fontSize(10).moveDown(0.3).text(winAnsi(madeFor));
    doc.text(winAnsi(w('period', { from: s.from, to: s.to })));
    if (filters.length) doc.text(winAnsi(filters.join(' · ')));
    doc.moveDown(0.3).fontSize(8).text(winAnsi(w('note')));
    doc.moveDown();

    const { table } = pdfTables(doc, w('nothing'));
    const two = [345, 150];

    table(
      w('summary'),
      [w('figure'), w('count')],
      [
        [w('reports'), n(s.reports)],
        [w('open'), n(s.open)],
        [w('sightings'), n(s.sightings.count)],
      ],
      two,
    );
    table(
      w('byCountry'),
      [w('country'), w('severity'), w('open'), w('reports')],
      s.countries.filter((c) => c.reports > 0).map((c) => [countryName(c.code), c.severity ? t(lang, `situation.severity.${c.severity}`) : '—', n(c.open), n(c.reports)]),
      [175, 140, 90, 90],
    );
    table(
      w('matrix'),
      [w('country'), w('sector'), w('reports')],
      s.matrix.map((x) => [countryName(x.country), t(lang, `situation.sector.${x.sector}`), n(x.reports)]),
      [175, 220, 100],
    );
    table(
      w(s.bucket === 'day' ? 'trendsDaily' : 'trendsWeekly'),
      [w('from'), w('reported'), w('closed'), w('sightings')],
      s.trends.filter((x) => x.reported || x.closed || x.sightings).map((x) => [x.start, n(x.reported), n(x.closed), n(x.sightings)]),
      [155, 115, 110, 115],
    );
    table(
      w('rsit'),
      [w('class'), w('reports')],
      s.rsit.map((x) => [x.rsitClass, n(x.reports)]),
      two,
    );
    table(
      w('techniques'),
      [w('technique'), w('reports')],
      s.techniques.map((x) => [x.externalId ? `${x.externalId} ${x.name}` : x.name, n(x.reports)]),
      two,
    );
    table(
      w('vulnerabilities'),
      [w('vulnerability'), w('reports')],
      s.vulnerabilities.map((x) => [x.kev ? `${x.name} (${w('kev')})` : x.name, n(x.reports)]),
      two,
    );
    table(
      w('sightingsByCountry'),
      [w('country'), w('sightings')],
      s.sightings.byCountry.map((x) => [countryName(x.country), n(x.count)]),
      two,
    );
    doc.end();
  });
}
