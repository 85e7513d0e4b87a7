/**
 * The one way the web app shows a moment in time: in the signed-in person's time zone (their
 * setting, GET /api/v1/me), or the browser's for a visitor, always labelled with that zone, in
 * the language of the page. `useLabels().dateTime` / `.date` (labels.ts) call these.
 */

let ownZone: string | null = null;
/** The browser's own zone ("UTC" when it cannot say). */
export function browserTimeZone(): string {
  // Asked once: every time shown asks, and each answer builds a formatter (about a millisecond).
  if (ownZone) return ownZone;
  try {
    ownZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    ownZone = 'UTC';
  }
  return ownZone;
}

/** Zones already checked. */
const zoneValid = new Map<string, boolean>();

export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz) return false;
  let valid = zoneValid.get(tz);
  if (valid === undefined) {
    // Asked of a formatter, not of the browser's list of zones: building the list took 5 ms of a
    // laptop's time (20 on a slow phone) inside the first render of every member's page, where a
    // formatter for one zone takes a tenth of a millisecond once the page's date data is loaded
    // (main.tsx loads it while the page's files are on their way). A formatter also accepts the
    // aliases the list leaves out ("Asia/Calcutta").
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
    zoneValid.set(tz, valid);
  }
  return valid;
}

export interface TimeSettings {
  /** The page's language ("en", "es", "pt", "fr"). */
  lang: string;
  /** An IANA zone ("America/Santiago"); left out or not valid: the browser's. */
  timeZone?: string | null;
}

const zoneOf = (s: TimeSettings) => (isTimeZone(s.timeZone) ? s.timeZone : browserTimeZone());

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(lang, options);
    } catch {
      f = new Intl.DateTimeFormat('en', options);
    }
    cache.set(key, f);
  }
  return f;
}

/** A calendar date with no time ("2025-12-06"): a day, not a moment, so no zone moves it. */
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(value: string | Date): Date | null {
  const d = value instanceof Date ? value : CALENDAR_DATE.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * Date and time in the zone, with the zone's short name as the label:
 * "Dec 6, 2025, 2:05 PM CET", "6 dic 2025, 10:05 GMT-3", "6 de dez. de 2025, 10:05 BRT".
 * Nothing given: "—".
 */
export function formatDateTime(value: string | Date | null | undefined, settings: TimeSettings): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = parse(value);
  if (!d) return String(value);
  return formatter(settings.lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zoneOf(settings),
    timeZoneName: 'short',
  }).format(d);
}

/**
 * The day, as it was in the zone ("6 Dec 2025"). A calendar date ("2025-12-06": a KEV due
 * date, a validity end) is that day wherever one is.
 */
export function formatDate(value: string | Date | null | undefined, settings: TimeSettings): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = parse(value);
  if (!d) return String(value);
  const calendar = typeof value === 'string' && CALENDAR_DATE.test(value);
  return formatter(settings.lang, { dateStyle: 'medium', timeZone: calendar ? 'UTC' : zoneOf(settings) }).format(d);
}

/** The zone's name as people read it: "America/Santiago" → "America/Santiago (GMT-3)" (offset now). */
export function timeZoneLabel(tz: string, lang: string, at: Date = new Date()): string {
  if (!isTimeZone(tz)) return tz;
  const part = formatter(lang, { timeZone: tz, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return part ? `${tz.replace(/_/g, ' ')} (${part})` : tz.replace(/_/g, ' ');
}

/** Every zone the browser knows, for pickers ("UTC" first when the list lacks it). */
export function timeZones(): string[] {
  try {
    const list = (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
    return list.includes('UTC') ? list : ['UTC', ...list];
  } catch {
    return ['UTC'];
  }
}

/** Wall-clock parts of `d` in `tz`. */
function wallParts(d: Date, tz: string): { y: number; mo: number; da: number; h: number; mi: number } {
  const parts = formatter('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(d);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: n('year'), mo: n('month'), da: n('day'), h: n('hour') % 24, mi: n('minute') };
}

/** "YYYY-MM-DDTHH:mm" (a datetime-local input's value): what the clock in `tz` shows at `d`. */
export function toZonedInput(d: Date, tz: string): string {
  const p = wallParts(d, isTimeZone(tz) ? tz : browserTimeZone());
  const two = (x: number) => String(x).padStart(2, '0');
  return `${p.y}-${two(p.mo)}-${two(p.da)}T${two(p.h)}:${two(p.mi)}`;
}

/** The moment a "YYYY-MM-DDTHH:mm" wall-clock time in `tz` stands for (null when not a time). */
export function fromZonedInput(value: string, tz: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const zone = isTimeZone(tz) ? tz : browserTimeZone();
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  // The zone's offset at the guess, then again at the result (a daylight-saving change in between).
  const offsetAt = (t: number) => {
    const p = wallParts(new Date(t), zone);
    return Date.UTC(p.y, p.mo - 1, p.da, p.h, p.mi) - Math.floor(t / 60_000) * 60_000;
  };
  let t = asUtc - offsetAt(asUtc);
  t = asUtc - offsetAt(t);
  return new Date(t);
}
