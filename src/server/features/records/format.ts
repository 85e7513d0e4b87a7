/**
 * The alliance's activity records as Markdown, in the shape of its published records (the
 * Santo Domingo dialogue of February 2024, `data/santo-domingo-2024.md`): what the import reads
 * and the export writes. The format is documented in docs/records.md; a record in it comes back
 * byte for byte through parse and write.
 */

/** What the seed writes when a record has no commitments. */
export const NO_COMMITMENTS = 'No specific quantifiable commitments or targets identified.';

export { COMMITMENT_STATUSES, type CommitmentDoc, type CommitmentStatus, type Milestone, type RecordDoc } from '#shared/records';
import { COMMITMENT_STATUSES, type CommitmentDoc, type CommitmentStatus, type Milestone, type RecordDoc } from '#shared/records';

export interface FormatError {
  /** 1-based; the line after the last when something is missing at the end. */
  line: number;
  message: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Thrown inside the reader to stop at a structural problem. */
const STOP = Symbol('stop');
const isDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** A table cell's text: `|` and `\` escaped so that the cell stays one cell. */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
/** The cells of a table row, unescaped; null when the line is not a row. */
function rowCells(line: string): string[] | null {
  if (!line.startsWith('| ') || !line.endsWith(' |')) return null;
  const cells: string[] = [];
  let cur = '';
  const inner = line.slice(2, -2);
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && i + 1 < inner.length) {
      cur += inner[++i];
    } else if (ch === '|' && inner[i - 1] === ' ' && inner[i + 1] === ' ') {
      cells.push(cur.slice(0, -1));
      cur = '';
      i++;
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

const milestoneText = (m: Milestone) => `${m.title}${m.due || m.done ? ` (${[m.due ? `due ${m.due}` : null, m.done ? 'done' : null].filter(Boolean).join(', ')})` : ''}`;
const MILESTONE = /^(.*?)(?: \((?:due (\d{4}-\d{2}-\d{2}))?(?:, )?(done)?\))?$/;

/** The record in the published Markdown shape (no newline after the last line, as the seed). */
export function recordToMarkdown(r: RecordDoc): string {
  const out: string[] = [`# ${r.title}`, '', `**Date**: ${r.date}`, ''];
  if (r.endDate) out.push(`**End date**: ${r.endDate}`, '');
  out.push(`**Location**: ${r.location}`, '', '## Executive Summary', '', r.summary, '', '## Characteristics', '');
  out.push(...r.characteristics.map((c) => `- ${c}`), '');
  out.push('## Actors', '', '| Category | Actor |', '| --- | --- |', ...r.actors.map((a) => `| ${cell(a.category)} | ${cell(a.actors.join('; '))} |`), '');
  out.push('## Main Themes', '', '| Category | Subcategory |', '| --- | --- |', ...r.themes.map((t) => `| ${cell(t.category)} | ${cell(t.subcategory)} |`), '');
  out.push('## Practical Applications', '', ...r.applications.map((a) => `- ${a}`), '');
  out.push('## Commitments', '');
  if (!r.commitments.length) out.push(NO_COMMITMENTS);
  else
    r.commitments.forEach((c, i) => {
      if (i > 0) out.push('');
      out.push(`- ${c.text}`);
      if (c.owners.length) out.push(`  - Owners: ${c.owners.join('; ')}`);
      if (c.countries.length) out.push(`  - Countries: ${c.countries.join('; ')}`);
      if (c.due) out.push(`  - Due: ${c.due}`);
      out.push(`  - Status: ${c.status}`, `  - Progress: ${c.progress}%`);
      if (c.milestones.length) out.push(`  - Milestones: ${c.milestones.map(milestoneText).join('; ')}`);
      if (c.evidence.length) out.push(`  - Evidence: ${c.evidence.join('; ')}`);
    });
  return out.join('\n');
}

/**
 * Read a record in the published shape. Every problem is reported with its line and what was
 * expected there; nothing is half-read: either the whole record or the errors.
 */
export function parseRecordMarkdown(text: string): { ok: true; record: RecordDoc } | { ok: false; errors: FormatError[] } {
  // One newline at the end is accepted (editors add it); the canonical form has none.
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const errors: FormatError[] = [];
  let i = 0;
  const at = () => lines[i];
  const fail = (message: string, line = i + 1) => {
    errors.push({ line, message });
  };
  /** A problem in the record's structure: what follows cannot be read in its place, so reading stops. */
  const stop = (message: string, line = i + 1): never => {
    fail(message, line);
    throw STOP;
  };
  const blank = () => {
    if (at() === '') i++;
    else stop(`expected an empty line, found "${(at() ?? '(end of file)').slice(0, 60)}"`);
  };
  const field = (name: string, optional = false): string | undefined => {
    const m = new RegExp(`^\\*\\*${name}\\*\\*: (.+)$`).exec(at() ?? '');
    if (!m) return optional ? undefined : stop(`expected "**${name}**: …"`);
    i++;
    return m[1]!.trim();
  };
  const heading = (title: string) => {
    if (at() === `## ${title}`) i++;
    else stop(`expected the heading "## ${title}"`);
  };
  /** Lines up to the next `## ` heading (or the end), the blank line before it left out. */
  const section = (): { start: number; body: string[] } => {
    const start = i + 1;
    const body: string[] = [];
    while (i < lines.length && !lines[i]!.startsWith('## ')) body.push(lines[i++]!);
    if (i < lines.length) {
      if (body.at(-1) === '') body.pop();
      else fail('expected an empty line before the next heading', i);
    }
    return { start, body };
  };
  const bullets = (name: string) => {
    const { start, body } = section();
    return body.map((l, k) => {
      if (!l.startsWith('- ') || !l.slice(2).trim()) fail(`${name}: expected a list item "- …"`, start + k);
      return l.slice(2);
    });
  };
  const table = (name: string, header: string) => {
    const { start, body } = section();
    if (body[0] !== header) fail(`${name}: expected the table header "${header}"`, start);
    if (body[1] !== '| --- | --- |') fail(`${name}: expected "| --- | --- |" under the header`, start + 1);
    return body.slice(2).map((l, k) => {
      const cells = rowCells(l);
      if (!cells || cells.length !== 2 || !cells[0]!.trim() || !cells[1]!.trim()) {
        fail(`${name}: expected a row of two cells "| … | … |"`, start + 2 + k);
        return ['', ''] as const;
      }
      return [cells[0]!, cells[1]!] as const;
    });
  };

  try {
    return readRecord();
  } catch (e) {
    if (e === STOP) return { ok: false, errors };
    throw e;
  }

  function readRecord(): { ok: true; record: RecordDoc } | { ok: false; errors: FormatError[] } {
    const title = /^# (.+)$/.exec(at() ?? '')?.[1] ?? stop('expected the title "# …" on the first line');
    i++;
    blank();
    const date = field('Date')!;
    if (date !== undefined && !isDate(date)) fail(`the date must be a date such as 2024-02-14, not "${date}"`, i);
    blank();
    let endDate: string | undefined;
    if ((at() ?? '').startsWith('**End date**')) {
      endDate = field('End date');
      if (endDate !== undefined && (!isDate(endDate) || (date && endDate < date))) fail(`the end date must be a date on or after the date, not "${endDate}"`, i);
      blank();
    }
    const location = field('Location')!;
    blank();
    heading('Executive Summary');
    blank();
    const summaryPart = section();
    const summary = summaryPart.body.join('\n');
    if (!summary.trim()) fail('the executive summary is empty', summaryPart.start);
    heading('Characteristics');
    blank();
    const characteristics = bullets('Characteristics');
    heading('Actors');
    blank();
    const actors = table('Actors', '| Category | Actor |').map(([category, list]) => ({ category, actors: list.split('; ') }));
    heading('Main Themes');
    blank();
    const themes = table('Main Themes', '| Category | Subcategory |').map(([category, subcategory]) => ({ category, subcategory }));
    heading('Practical Applications');
    blank();
    const applications = bullets('Practical Applications');
    heading('Commitments');
    blank();
    const commitments: CommitmentDoc[] = [];
    const rest = section();
    if (!(rest.body.length === 1 && rest.body[0] === NO_COMMITMENTS)) {
      let cur: CommitmentDoc | null = null;
      rest.body.forEach((l, k) => {
        const line = rest.start + k;
        if (l === '') {
          if (!cur) fail('Commitments: expected a commitment "- …"', line);
          return;
        }
        if (l.startsWith('- ')) {
          cur = { text: l.slice(2), owners: [], countries: [], status: 'planned', progress: 0, milestones: [], evidence: [] };
          commitments.push(cur);
          return;
        }
        const m = /^ {2}- (Owners|Countries|Due|Status|Progress|Milestones|Evidence): (.+)$/.exec(l);
        if (!cur || !m) return fail('Commitments: expected a commitment "- …" or one of its fields "  - Owners|Countries|Due|Status|Progress|Milestones|Evidence: …"', line);
        const [, key, value] = m as unknown as [string, string, string];
        const c: CommitmentDoc = cur;
        if (key === 'Owners') c.owners = value.split('; ');
        else if (key === 'Countries') c.countries = value.split('; ');
        else if (key === 'Due') {
          if (!isDate(value)) fail(`Commitments: the due date must be a date such as 2025-06-30, not "${value}"`, line);
          c.due = value;
        } else if (key === 'Status') {
          if (!(COMMITMENT_STATUSES as readonly string[]).includes(value)) fail(`Commitments: the status must be one of ${COMMITMENT_STATUSES.join(', ')}, not "${value}"`, line);
          c.status = value as CommitmentStatus;
        } else if (key === 'Progress') {
          const p = /^(\d{1,3})%$/.exec(value);
          if (!p || Number(p[1]) > 100) fail(`Commitments: the progress must be a percentage from 0% to 100%, not "${value}"`, line);
          c.progress = p ? Number(p[1]) : 0;
        } else if (key === 'Milestones')
          c.milestones = value.split('; ').map((t) => {
            const [, title, due, done] = MILESTONE.exec(t)!;
            if (due !== undefined && !isDate(due)) fail(`Commitments: a milestone's due date must be a date, not "${due}"`, line);
            return { title: title!, ...(due ? { due } : {}), done: done === 'done' };
          });
        else c.evidence = value.split('; ');
      });
      if (!commitments.length) fail(`Commitments: expected "${NO_COMMITMENTS}" or a list of commitments`, rest.start);
    }
    if (errors.length) return { ok: false, errors };
    const record: RecordDoc = {
      title: title!,
      date: date!,
      ...(endDate ? { endDate } : {}),
      location: location!,
      summary,
      characteristics,
      actors,
      themes,
      applications,
      commitments,
    };
    // What the writer would not write back the same (a field the canonical form orders or spells
    // otherwise) is refused rather than silently changed.
    const canonical = recordToMarkdown(record);
    const given = lines.join('\n');
    if (canonical !== given) {
      const a = canonical.split('\n');
      const b = given.split('\n');
      let k = 0;
      while (k < a.length && a[k] === b[k]) k++;
      return { ok: false, errors: [{ line: k + 1, message: `expected "${(a[k] ?? '(end of file)').slice(0, 80)}" here, in the record format (docs/records.md)` }] };
    }
    return { ok: true, record };
  }
}
