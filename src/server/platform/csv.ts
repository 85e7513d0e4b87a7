/**
 * CSV (RFC 4180) written and read by hand, for every export and import: quoted
 * fields, doubled quotes, CRLF, a UTF-8 byte-order mark for spreadsheet programs,
 * and a guard against formula injection (a cell starting with = + - @, a tab or a
 * carriage return gets a leading single quote, which the reader takes off again).
 */
export const BOM = '\uFEFF';
const FORMULA = /^[=+\-@\t\r]/;

/** One cell: null and undefined are empty; quoted when it must be. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  const guarded = FORMULA.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(guarded) || guarded !== guarded.trim() ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function writeCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Undo the formula guard of writeCsv. */
export const unguard = (v: string) => (v.length > 1 && v[0] === "'" && FORMULA.test(v.slice(1)) ? v.slice(1) : v);

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Parse CSV text into records of cells. Throws CsvSyntaxError on a quote that does not close or stray text after a closing quote. */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let line = 1;
  let quoted = false;
  let quoteLine = 0;
  let afterQuote = false;
  while (i < s.length) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (cell !== '' || afterQuote) throw new CsvSyntaxError('A quote inside an unquoted cell', line);
      quoted = true;
      quoteLine = line;
      i++;
      continue;
    }
    if (ch === ',') {
      row.push(cell);
      cell = '';
      afterQuote = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      afterQuote = false;
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    if (afterQuote) throw new CsvSyntaxError('Text after a closing quote', line);
    cell += ch;
    i++;
  }
  if (quoted) throw new CsvSyntaxError('A quoted cell is not closed', quoteLine);
  if (cell !== '' || row.length || afterQuote) {
    row.push(cell);
    rows.push(row);
  }
  // Blank lines carry nothing.
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}
