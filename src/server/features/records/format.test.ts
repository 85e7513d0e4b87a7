import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMITMENT_STATUSES, NO_COMMITMENTS, parseRecordMarkdown, recordToMarkdown, type RecordDoc } from './format.js';

const seed = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'data/santo-domingo-2024.md'), 'utf8');

describe('the record format', () => {
  it('reads the Santo Domingo record and writes it back byte for byte', () => {
    const parsed = parseRecordMarkdown(seed);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const r = parsed.record;
    expect(r.title).toBe('EU-LAC Digital Alliance Enhances Cybersecurity Cooperation');
    expect(r).toMatchObject({ date: '2024-02-14', location: 'Santo Domingo, Dominican Republic', commitments: [] });
    expect(r.characteristics).toHaveLength(5);
    expect(r.actors[0]).toEqual({ category: 'Political Actors', actors: ['European Union', 'EU Member States', 'European Commission', 'Community of Latin American and Caribbean States', 'Dominican Republic'] });
    expect(r.themes).toEqual([
      { category: 'Regional & International Cooperation', subcategory: 'EU-LAC Digital Alliance' },
      { category: 'Data & Governance', subcategory: 'Cybersecurity' },
    ]);
    expect(r.applications).toHaveLength(4);
    expect(Buffer.from(recordToMarkdown(r))).toEqual(Buffer.from(seed));
    // One newline at the end, or Windows line ends, read the same.
    expect(parseRecordMarkdown(`${seed}\n`)).toEqual(parsed);
    expect(parseRecordMarkdown(seed.replace(/\n/g, '\r\n'))).toEqual(parsed);
  });

  // Text as people write it on one line: no line breaks, nothing only blank.
  const line = (o: { noSemicolon?: boolean; noParen?: boolean } = {}) =>
    fc
      .string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(...'abcXYZ áçñüé-&/|\\;()#*.,:'.split(''), ' ') })
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !(o.noSemicolon && s.includes(';')) && !(o.noParen && /[()]/.test(s)) && !s.startsWith('#'));
  const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const recordArb: fc.Arbitrary<RecordDoc> = fc
    .record({
      title: line(),
      date,
      days: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      location: line(),
      summary: fc.array(fc.array(line(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((ps) => ps.map((p) => p.join('\n')).join('\n\n')),
      characteristics: fc.array(line(), { maxLength: 4 }),
      actors: fc.array(fc.record({ category: line(), actors: fc.array(line({ noSemicolon: true }), { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
      themes: fc.array(fc.record({ category: line(), subcategory: line() }), { maxLength: 3 }),
      applications: fc.array(line(), { maxLength: 4 }),
      commitments: fc.array(
        fc.record({
          text: line(),
          owners: fc.array(line({ noSemicolon: true }), { maxLength: 2 }),
          countries: fc.array(fc.constantFrom('DO', 'ES', 'BR', 'EE'), { maxLength: 2 }),
          due: fc.option(date, { nil: undefined }),
          status: fc.constantFrom(...COMMITMENT_STATUSES),
          progress: fc.integer({ min: 0, max: 100 }),
          milestones: fc.array(fc.record({ title: line({ noSemicolon: true, noParen: true }), due: fc.option(date, { nil: undefined }), done: fc.boolean() }), { maxLength: 2 }),
          evidence: fc.array(fc.webUrl(), { maxLength: 2 }),
        }),
        { maxLength: 3 },
      ),
    })
    .map(({ days, ...r }) => {
      const out: RecordDoc = { ...r, commitments: r.commitments.map(({ due, milestones, ...c }) => ({ ...c, ...(due ? { due } : {}), milestones: milestones.map(({ due: d, ...m }) => ({ ...m, ...(d ? { due: d } : {}) })) })) };
      if (days !== undefined) out.endDate = new Date(Date.parse(`${r.date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      return out;
    });

  it('gives back any record written in it, and writes what it read byte for byte (property)', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const md = recordToMarkdown(r);
        const parsed = parseRecordMarkdown(md);
        if (!parsed.ok) throw new Error(`${JSON.stringify(parsed.errors)}\n${md}`);
        expect(parsed.record).toEqual(r);
        expect(recordToMarkdown(parsed.record)).toBe(md);
      }),
      { numRuns: 300 },
    );
  });

  it('says on which line what was expected, and reads nothing of a broken record', () => {
    const broken = (from: string, to: string) => parseRecordMarkdown(seed.replace(from, to));
    expect(broken('**Date**: 2024-02-14', '**Date**: 14/02/2024')).toEqual({ ok: false, errors: [{ line: 3, message: 'the date must be a date such as 2024-02-14, not "14/02/2024"' }] });
    expect(broken('**Date**: 2024-02-14', '**Date**: 2024-02-30')).toMatchObject({ ok: false, errors: [{ line: 3 }] });
    expect(broken('## Actors', '## People')).toMatchObject({ ok: false });
    const noHeader = broken('| Category | Actor |', '| Who | Actor |');
    expect(noHeader).toMatchObject({ ok: false, errors: [{ message: 'Actors: expected the table header "| Category | Actor |"' }] });
    expect((noHeader as { errors: { line: number }[] }).errors[0]!.line).toBe(seed.split('\n').indexOf('| Category | Actor |') + 1);
    const badRow = broken('| Political Actors |', '| Political Actors');
    expect(badRow).toMatchObject({ ok: false, errors: [{ message: 'Actors: expected a row of two cells "| … | … |"' }] });
    expect(parseRecordMarkdown('')).toMatchObject({ ok: false, errors: [{ line: 1, message: 'expected the title "# …" on the first line' }] });
    expect(parseRecordMarkdown('<script>alert(1)</script>')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    const missingEnd = seed.replace(`\n\n## Commitments\n\n${NO_COMMITMENTS}`, '');
    expect(parseRecordMarkdown(missingEnd)).toMatchObject({ ok: false });
    const commitments = seed.replace(NO_COMMITMENTS, '- Hold a workshop\n  - Status: maybe\n  - Progress: 140%');
    expect(parseRecordMarkdown(commitments)).toMatchObject({
      ok: false,
      errors: [
        { message: 'Commitments: the status must be one of planned, in progress, done, delayed, dropped, not "maybe"' },
        { message: 'Commitments: the progress must be a percentage from 0% to 100%, not "140%"' },
      ],
    });
  });

  it('refuses what it would not write back the same, naming the line', () => {
    const reordered = seed.replace(NO_COMMITMENTS, '- Hold a workshop\n  - Progress: 10%\n  - Status: in progress');
    const res = parseRecordMarkdown(reordered);
    expect(res.ok).toBe(false);
    expect((res as { errors: { line: number; message: string }[] }).errors[0]!.message).toMatch(/^expected "  - Status: in progress" here/);
  });
});

describe('the demo records', () => {
  it('are in the format and come back byte for byte', () => {
    const text = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'data/demo-tabletop-2025.md'), 'utf8');
    const parsed = parseRecordMarkdown(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.record.commitments.map((c) => c.status)).toEqual(['done', 'in progress', 'delayed']);
    expect(`${recordToMarkdown(parsed.record)}\n`).toBe(text);
  });
});
