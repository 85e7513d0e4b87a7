import { AppError } from '../../platform/errors.js';

/** A month `YYYY-MM` (years 1900–2999: what a date column holds without surprises). */
export const MONTH = '^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$';
const MONTH_RE = new RegExp(MONTH);
/** The window shown when none is asked for: the last 24 months, this one included. */
export const DEFAULT_MONTHS = 24;
/** At most ten years at once: 120 points per series. */
export const MAX_MONTHS = 120;

/** The months a dashboard covers, and their bounds (UTC): a month ends where the next begins. */
export interface RoadmapWindow {
  from: string;
  to: string;
  /** Every month from `from` to `to`, in order. */
  months: string[];
  /** `from`'s first day (YYYY-MM-DD): the window's first instant. */
  start: string;
  /** The first day after `to` (YYYY-MM-DD): the window ends before it. */
  end: string;
  /** For each month, the first day of the next one: the end (exclusive) of that month. */
  monthEnds: string[];
}

const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthAt = (i: number) => `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;

/** The month `n` months after `m` (before, when negative). */
export const addMonths = (m: string, n: number) => monthAt(index(m) + n);

/**
 * The window asked for: `from` and `to` as months, either or both left out — `to` defaults to
 * this month (UTC), `from` to 23 months before `to`. A malformed month, `from` after `to` or more
 * than MAX_MONTHS months: 400 VALIDATION_FAILED.
 */
export function roadmapWindow(q: { from?: string; to?: string }, now: Date): RoadmapWindow {
  for (const field of ['from', 'to'] as const) {
    const v = q[field];
    if (v !== undefined && !MONTH_RE.test(v)) throw new AppError('VALIDATION_FAILED', `${field} must be a month, YYYY-MM`, { field });
  }
  const to = q.to ?? now.toISOString().slice(0, 7);
  const from = q.from ?? addMonths(to, -(DEFAULT_MONTHS - 1));
  const n = index(to) - index(from) + 1;
  if (n < 1) throw new AppError('VALIDATION_FAILED', 'from must not be after to', { field: 'from' });
  if (n > MAX_MONTHS) throw new AppError('VALIDATION_FAILED', `At most ${MAX_MONTHS} months at once`, { field: 'from' });
  const months = Array.from({ length: n }, (_, i) => addMonths(from, i));
  const monthEnds = months.map((m) => `${addMonths(m, 1)}-01`);
  return { from, to, months, start: `${from}-01`, end: monthEnds[monthEnds.length - 1]!, monthEnds };
}
