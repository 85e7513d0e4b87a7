import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, unguard, writeCsv } from './csv.js';

describe('CSV, one writer and reader for every export and import', () => {
  it('guards cells against formulas, tabs and carriage returns at the start, and quotes only what needs it', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe(`'-1+2`);
    expect(csvCell('+33 1 23')).toBe(`'+33 1 23`);
    expect(csvCell('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvCell('\tcmd')).toBe(`'\tcmd`);
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('reads back what it writes, guard taken off', () => {
    const rows = [['=1+1', 'x, "quoted"', '-5', 'line\nbreak'], ['plain', '', '@a', '\tb']];
    const back = parseCsv(writeCsv(['a', 'b', 'c', 'd'], rows)).slice(1).map((r) => r.map(unguard));
    expect(back).toEqual(rows);
  });
});
