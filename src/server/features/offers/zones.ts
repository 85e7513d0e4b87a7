import { AppError } from '../../platform/errors.js';

/**
 * A session happens at a place, so its times are written as the people there read them: a wall
 * time in the session's IANA zone ("2026-06-22T09:00" in Europe/Tallinn). These turn such a time
 * into the instant stored (and back), refusing zones and dates that do not exist.
 */

/** IANA names only (Area/Location, or UTC): Intl also takes offsets like "+01:00", which no calendar keeps as a zone. */
const IANA = /^(?:UTC|Etc\/[A-Za-z0-9+-]+|[A-Z][A-Za-z_-]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;

export function isIanaZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length > 64 || !IANA.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function requireZone(tz: unknown, field = 'timeZone'): string {
  if (!isIanaZone(tz)) throw new AppError('VALIDATION_FAILED', `"${String(tz)}" is not an IANA time zone such as Europe/Tallinn or America/Santo_Domingo`, { field });
  return tz;
}

const parts = new Map<string, Intl.DateTimeFormat>();
function formatterOf(tz: string) {
  let f = parts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    parts.set(tz, f);
  }
  return f;
}

/** The wall time in `tz` at this instant, as its fields. */
function wallFields(at: number, tz: string) {
  const p = Object.fromEntries(formatterOf(tz).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour) % 24, mi: Number(p.minute), s: Number(p.second) };
}

/** How far ahead of UTC the zone's clocks are at this instant, in milliseconds. */
function offsetAt(at: number, tz: string): number {
  const w = wallFields(at, tz);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s) - Math.floor(at / 1000) * 1000;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant a time given for a session means: an instant (with Z or an offset) as it is, a wall
 * time ("2026-06-22T09:00") in the session's zone. An impossible date (30 February, 25:00) or a
 * wall time skipped by a clock change is refused.
 */
export function instantOf(value: string, tz: string, field: string): Date {
  if (INSTANT.test(value)) {
    const d = new Date(value);
    const [y, m, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
    const probe = new Date(Date.UTC(y, m - 1, day));
    if (Number.isNaN(d.getTime()) || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== day) throw badDate(value, field);
    return d;
  }
  const w = WALL.exec(value);
  if (!w) throw badDate(value, field);
  const [y, mo, d, h, mi, s] = w.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const probe = new Date(guess);
  if (h > 23 || mi > 59 || s > 59 || probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) throw badDate(value, field);
  // The zone's offsets half a day either side: a wall time repeated when the clocks go back is
  // read as the first of the two (as RFC 5545 and Temporal do); one they skip matches neither.
  const candidates = [...new Set([guess - offsetAt(guess - 43_200_000, tz), guess - offsetAt(guess + 43_200_000, tz)])].sort((a, b) => a - b);
  const at = candidates.find((c) => {
    const back = wallFields(c, tz);
    return back.y === y && back.m === mo && back.d === d && back.h === h && back.mi === mi;
  });
  if (at === undefined) throw new AppError('VALIDATION_FAILED', `${value} does not exist in ${tz} (the clocks skip it)`, { field });
  return new Date(at);
}

const badDate = (value: string, field: string) => new AppError('VALIDATION_FAILED', `"${value}" is not a date and time such as 2026-06-22T09:00`, { field });

/** The instant as a wall time in the zone, "2026-06-22T09:00". */
export function wallTime(at: Date, tz: string): string {
  const w = wallFields(at.getTime(), tz);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${two(w.m)}-${two(w.d)}T${two(w.h)}:${two(w.mi)}`;
}
