import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { t, type UiLanguage } from '../../platform/i18n.js';
import { winAnsi } from '../../platform/pdf.js';

export interface CertificateData {
  lang: UiLanguage;
  name: string;
  offer: string;
  provider: string;
  /** The session's dates, written in the participant's language. */
  when: string;
  issued: string;
  code: string;
  /** The public verification address (`/certificates/{code}`), printed and as a QR code. */
  link: string;
  revoked: boolean;
}

/**
 * A certificate of completion, one A4 page in landscape, in the participant's language: who
 * completed what, offered by whom, when; the verification address printed and as a QR code, so
 * that whoever is shown it (an employer, a ministry) checks it on Puente rather than trusting paper.
 */
export async function renderCertificate(d: CertificateData): Promise<Buffer> {
  const s = (key: string, vars: Record<string, string> = {}) => winAnsi(t(d.lang, `applications.certificate.${key}`, vars));
  const qr = await QRCode.toBuffer(d.link, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 60, compress: false, lang: d.lang, info: { Title: `${s('title')} - ${winAnsi(d.name)}`, Producer: 'Puente' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const width = doc.page.width - 120;
    doc.rect(30, 30, doc.page.width - 60, doc.page.height - 60).lineWidth(2).stroke('#1c5fb8');
    doc.fillColor('#1a1b1e');
    doc.moveDown(1.5);
    doc.font('Helvetica-Bold').fontSize(28).text(s('title'), { align: 'center', width });
    doc.moveDown(1.2);
    doc.font('Helvetica').fontSize(13).text(s('certifies'), { align: 'center', width });
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(22).text(winAnsi(d.name), { align: 'center', width });
    doc.moveDown(0.5);
    doc.font('Helvetica').fontSize(13).text(s('completed'), { align: 'center', width });
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(17).text(winAnsi(d.offer), { align: 'center', width });
    doc.moveDown(0.4);
    doc.font('Helvetica').fontSize(12).text(s('provider', { provider: d.provider }), { align: 'center', width });
    doc.text(s('dates', { when: d.when }), { align: 'center', width });
    if (d.revoked) {
      doc.moveDown(0.6);
      doc.font('Helvetica-Bold').fillColor('#c92a2a').text(s('revoked'), { align: 'center', width });
      doc.fillColor('#1a1b1e');
    }
    const bottom = doc.page.height - 60 - 110;
    doc.image(qr, 60, bottom, { width: 100, height: 100 });
    doc.font('Helvetica').fontSize(10).text(s('issued', { date: d.issued }), 175, bottom + 10, { width: width - 115 });
    doc.text(s('verify'), 175, doc.y + 4, { width: width - 115 });
    doc.font('Helvetica-Bold').text(d.link, 175, doc.y + 2, { width: width - 115, link: d.link });
    doc.font('Helvetica').text(s('code', { code: d.code }), 175, doc.y + 4, { width: width - 115 });
    doc.end();
  });
}
