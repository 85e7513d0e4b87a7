import PDFDocument from 'pdfkit';
import { t, type UiLanguage } from '../../platform/i18n.js';
import { winAnsi } from '../../platform/pdf.js';

export interface LetterData {
  lang: UiLanguage;
  event: string;
  organiser: string;
  when: string;
  place: string;
  delegate: string;
  organisation: string;
  country: string;
  /** The head of delegation, when it is someone else. */
  head: string | null;
  isHead: boolean;
  reference: string;
  issued: string;
  link: string;
}

/**
 * A delegate's letter of invitation, in the shape consulates ask for: who invites whom, to what,
 * when and where, in which delegation, that it supports a visa application, and a reference the
 * organisers confirm on request.
 */
export function renderLetter(d: LetterData): Promise<Buffer> {
  const s = (key: string, vars: Record<string, string> = {}) => winAnsi(t(d.lang, `events.letter.${key}`, vars));
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 60, compress: false, lang: d.lang, info: { Title: s('title'), Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica').fontSize(9).text(winAnsi(d.organiser), { align: 'right' });
    doc.text(s('issued', { date: d.issued }), { align: 'right' });
    doc.moveDown(2);
    doc.font('Helvetica-Bold').fontSize(16).text(s('title'));
    doc.moveDown();
    doc.font('Helvetica').fontSize(11).text(s('salutation'));
    doc.moveDown(0.6);
    doc.text(s('body', { organiser: d.organiser, delegate: d.delegate, organisation: d.organisation, country: d.country, event: d.event }));
    doc.moveDown(0.8);
    const row = (label: string, value: string) => {
      doc.font('Helvetica-Bold').text(`${s(label)}: `, { continued: true });
      doc.font('Helvetica').text(winAnsi(value));
    };
    row('event', d.event);
    row('dates', d.when);
    row('place', d.place);
    row('delegate', d.delegate);
    row('organisation', d.organisation);
    row('delegation', d.country);
    doc.moveDown(0.8);
    doc.text(d.isHead ? s('isHead', { delegate: d.delegate, country: d.country }) : d.head ? s('head', { head: d.head, country: d.country }) : '');
    doc.moveDown(0.8);
    doc.text(s('visa'));
    doc.moveDown(0.8);
    doc.text(s('passport'));
    doc.moveDown(1.5);
    doc.font('Helvetica-Bold').text(s('reference', { reference: d.reference }));
    doc.font('Helvetica').fontSize(9).moveDown(0.4).text(s('verify', { link: d.link }));
    doc.end();
  });
}
