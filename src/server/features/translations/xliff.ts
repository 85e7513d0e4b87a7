import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { xmlAttr, xmlText } from '../../platform/xml.js';

/**
 * XLIFF 2.0 (OASIS, core only) for one record's texts: one <file> whose `original` names the
 * record and the revision of its source, one <unit> per field, each with its source text and,
 * when a translation exists, its target. Translators take it into their own tools and bring the
 * file back; what comes back must be the same record's fields, from the same source language.
 */
export const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:2.0';

export interface XliffDoc {
  /** `note/<uuid>` or `community/<uuid>`. */
  record: string;
  /** The source revision the texts were taken from. */
  rev: number;
  srcLang: string;
  trgLang: string;
  units: { id: string; source: string; target?: string }[];
}

export function writeXliff(d: XliffDoc): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF_NS}" version="2.0" srcLang="${xmlAttr(d.srcLang)}" trgLang="${xmlAttr(d.trgLang)}">`,
    `  <file id="f1" original="${xmlAttr(`puente:${d.record}@rev${d.rev}`)}">`,
    ...d.units.map((u) =>
      [
        `    <unit id="${xmlAttr(u.id)}">`,
        '      <segment>',
        `        <source xml:space="preserve">${xmlText(u.source)}</source>`,
        ...(u.target !== undefined ? [`        <target xml:space="preserve">${xmlText(u.target)}</target>`] : []),
        '      </segment>',
        '    </unit>',
      ].join('\n'),
    ),
    '  </file>',
    '</xliff>',
    '',
  ].join('\n');
}

/** What is wrong with an XLIFF file brought back, in words; or what it holds. */
export function readXliff(xml: string): { ok: true; doc: XliffDoc } | { ok: false; problem: string } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, problem: `not well-formed XML: line ${valid.err.line}: ${valid.err.msg}` };
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    // Text as written: no number or boolean guessing, no trimming of the translators' spaces.
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ['file', 'unit', 'segment'].includes(name),
    processEntities: true,
    htmlEntities: false,
  }).parse(xml) as Record<string, unknown>;
  const root = parsed.xliff as Record<string, unknown> | undefined;
  if (!root) return { ok: false, problem: 'the root element is not <xliff>' };
  if (root['@xmlns'] !== XLIFF_NS || root['@version'] !== '2.0') return { ok: false, problem: `not XLIFF 2.0 (version="2.0" in the namespace ${XLIFF_NS})` };
  const srcLang = String(root['@srcLang'] ?? '');
  const trgLang = String(root['@trgLang'] ?? '');
  if (!srcLang || !trgLang) return { ok: false, problem: 'srcLang and trgLang are both needed' };
  const files = (root.file as Record<string, unknown>[] | undefined) ?? [];
  if (files.length !== 1) return { ok: false, problem: `expected one <file>, found ${files.length}` };
  const m = /^puente:([a-z]+\/[0-9a-f-]{36})@rev(\d+)$/.exec(String(files[0]!['@original'] ?? ''));
  if (!m) return { ok: false, problem: 'the <file> does not name a Puente record (original="puente:<type>/<id>@rev<n>")' };
  const units: XliffDoc['units'] = [];
  for (const u of (files[0]!.unit as Record<string, unknown>[] | undefined) ?? []) {
    const segments = (u.segment as Record<string, unknown>[] | undefined) ?? [];
    if (segments.length !== 1) return { ok: false, problem: `unit "${String(u['@id'])}": expected one <segment>` };
    const text = (node: unknown) => (node === undefined ? undefined : typeof node === 'string' ? node : String((node as Record<string, unknown>)['#text'] ?? ''));
    const source = text(segments[0]!.source);
    if (source === undefined) return { ok: false, problem: `unit "${String(u['@id'])}": no <source>` };
    units.push({ id: String(u['@id'] ?? ''), source, target: text(segments[0]!.target) });
  }
  return { ok: true, doc: { record: m[1]!, rev: Number(m[2]), srcLang, trgLang, units } };
}
