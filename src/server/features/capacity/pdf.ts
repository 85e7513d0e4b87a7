import PDFDocument from 'pdfkit';
import { t } from '../../platform/i18n.js';
import { pdfTables, winAnsi } from '../../platform/pdf.js';
import { regionLabel } from './regions.js';
import type { Dashboard, Duration } from './service.js';

/** Seconds as days with one decimal, in the reader's numbering; "—" without a value. */
function daysOf(lang: string, s: number | null, none: string) {
  return s === null ? none : new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(s / 86_400);
}

/**
 * The dashboard as a PDF (A4, pdfkit's Helvetica, which writes the four languages' letters):
 * the filters asked, for whom it was made, then one table per figure of the web page. The map is
 * given as its table: the countries with at least one figure.
 */
export function renderDashboardPdf(d: Dashboard, madeFor: string, countryName: (code: string) => string): Promise<Buffer> {
  const s = (key: string, vars?: Record<string, string>) => t(d.lang, `capacity.pdf.${key}`, vars);
  const none = '—';
  const num = new Intl.NumberFormat(d.lang);
  const n = (x: number) => num.format(x);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, lang: d.lang, info: { Title: winAnsi(s('title')), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(16).text(winAnsi(s('title')));
    doc.font('Helvetica').fontSize(10).moveDown(0.3).text(winAnsi(madeFor));
    doc.text(winAnsi(d.from || d.to ? s('period', { from: d.from ?? none, to: d.to ?? none }) : s('allTime')));
    const filters = [
      d.concept ? `${s('concept')}: ${d.offers.byConcept.find((c) => c.concept === d.concept)?.label ?? d.concept}` : null,
      d.region ? `${s('region')}: ${d.region === 'EU' || d.region === 'LAC' ? regionLabel(d.lang, d.region, null) : d.region}` : null,
      d.country ? `${s('country')}: ${countryName(d.country)}` : null,
    ].filter((x): x is string => !!x);
    if (filters.length) doc.text(winAnsi(filters.join(' · ')));
    doc.moveDown(0.3).fontSize(8).text(winAnsi(s('note')));
    doc.moveDown();

    const { table } = pdfTables(doc, s('nothing'));
    const two = [345, 150];
    const three = [295, 100, 100];

    table(
      s('summary'),
      [s('figure'), s('count')],
      [
        [s('offers'), n(d.offers.total)],
        [s('openToAll'), n(d.offers.openToAll)],
        [s('requests'), n(d.requests.total)],
        [s('selected'), n(d.participants.selected)],
        [s('completed'), n(d.participants.completed)],
      ],
      two,
    );
    table(
      s('offersByConcept'),
      [s('concept'), s('offers')],
      d.offers.byConcept.map((x) => [x.label, n(x.offers)]),
      two,
    );
    table(
      s('offersByType'),
      [s('type'), s('offers')],
      d.offers.byType.filter((x) => x.offers > 0).map((x) => [t(d.lang, `capacity.type.${x.type}`), n(x.offers)]),
      two,
    );
    table(
      s('offersByRegion'),
      [s('region'), s('offers')],
      d.offers.byRegion.map((x) => [regionLabel(d.lang, x.region, x.subregion), n(x.offers)]),
      two,
    );
    table(
      s('requestsByStatus'),
      [s('status'), s('requests')],
      d.requests.byStatus.map((x) => [t(d.lang, `capacity.status.${x.status}`), n(x.requests)]),
      two,
    );
    const time = (label: string, x: Duration) => [label, n(x.count), daysOf(d.lang, x.median, none), daysOf(d.lang, x.p75, none)];
    table(s('times'), [s('step'), s('requests'), s('medianDays'), s('p75Days')], [time(s('toMatched'), d.requests.toMatched), time(s('toDelivery'), d.requests.toDelivery)], [215, 90, 95, 95]);
    table(
      s('participantsByCountry'),
      [s('country'), s('selected'), s('completed')],
      d.participants.byCountry.map((x) => [countryName(x.country), n(x.selected), n(x.completed)]),
      three,
    );
    table(
      s('participantsByConcept'),
      [s('concept'), s('selected'), s('completed')],
      d.participants.byConcept.map((x) => [x.label, n(x.selected), n(x.completed)]),
      three,
    );
    table(
      s('map'),
      [s('country'), s('offersOpen'), s('requests'), s('selected')],
      d.countries.filter((x) => x.offers || x.requests || x.participants).map((x) => [countryName(x.code), n(x.offers), n(x.requests), n(x.participants)]),
      [215, 95, 90, 95],
    );
    doc.end();
  });
}
