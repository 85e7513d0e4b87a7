import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalEventData } from 'ical-generator';

/**
 * iCalendar (RFC 5545) for whatever has a time and a place: events and their sessions today,
 * offer sessions next. It takes plain data, not rows, so any feature can use it.
 *
 * What keeps a subscribed calendar right:
 * - a stable UID per thing, `<kind>-<uuid>@<host>`, so a calendar that reads the file again
 *   replaces the entry instead of adding a second one;
 * - a SEQUENCE the caller keeps and bumps on every change of time, place or status, so that
 *   an update (and a cancellation, STATUS:CANCELLED) wins over what the calendar holds;
 * - the time in the thing's own IANA zone (DTSTART;TZID=…) with a VTIMEZONE for it, written
 *   from the zone's rules as the runtime knows them (Intl), so a meeting at 09:00 in Santo
 *   Domingo stays at 09:00 there whatever the reader's zone.
 *
 * Mail invitations are iTIP (RFC 5546): METHOD:REQUEST with the organiser and the attendee
 * for an invitation or an update, METHOD:CANCEL for a cancellation.
 */

export type CalendarStatus = 'confirmed' | 'tentative' | 'cancelled';

export interface CalendarEntry {
  /** What it is, in the UID: `event`, `session`, `offer-session`. */
  kind: string;
  id: string;
  /** Bumped by the caller on every change of time, place or status. */
  sequence: number;
  title: string;
  description?: string;
  location?: string;
  url?: string;
  startsAt: Date | string;
  endsAt: Date | string;
  /** An IANA zone (`America/Santo_Domingo`). */
  timeZone: string;
  status: CalendarStatus;
  /** The entry this one is part of (a session's event): RELATED-TO its UID. */
  partOf?: { kind: string; id: string };
  lastModified?: Date | string;
}

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarOptions {
  /** The host in UIDs (and PRODID): the installation's public host. */
  host: string;
  /** The calendar's name, shown by calendar apps for a subscription. */
  name?: string;
  /** iTIP: REQUEST (invitation or update) or CANCEL; none for a download or a subscription. */
  method?: 'REQUEST' | 'CANCEL';
  /** iTIP: who sends it, and to whom (each entry carries them). */
  organizer?: CalendarPerson;
  attendee?: CalendarPerson & { confirmed?: boolean };
  /** How often a subscribing calendar should read it again. */
  refreshMinutes?: number;
  now?: Date;
}

export const uidOf = (kind: string, id: string, host: string) => `${kind}-${id}@${host}`;

/** Is this an IANA time zone the runtime knows? ("Europe/Madrid" yes; "Mars/Olympus", "+02:00" no.) */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(tz: string) {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(tz, f);
  }
  return f;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in a zone at an instant. */
export function wallClock(tz: string, at: Date): Wall {
  const parts = Object.fromEntries(formatIn(tz).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(tz: string, at: Date): number {
  const w = wallClock(tz, at);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number, l = 2) => String(n).padStart(l, '0');
const localStamp = (w: Wall) => `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
const offsetText = (min: number) => `${min < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(min) / 60))}${pad(Math.abs(min) % 60)}`;

/** The instants between `from` and `to` where the zone's offset changes, to the minute. */
function transitions(tz: string, from: number, to: number): { at: number; before: number; after: number }[] {
  const out: { at: number; before: number; after: number }[] = [];
  const DAY = 86_400_000;
  let prev = offsetMinutes(tz, new Date(from));
  for (let t = from + DAY; t <= to; t += DAY) {
    const cur = offsetMinutes(tz, new Date(t));
    if (cur === prev) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(tz, new Date(mid)) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before: prev, after: cur });
    prev = cur;
  }
  return out;
}

/**
 * A VTIMEZONE for the zone over the years given: one STANDARD component for the offset in force
 * at the start, then each change of offset in those years as its own STANDARD or DAYLIGHT
 * component (DTSTART in the local time before the change, as RFC 5545 §3.6.5 wants). No RRULE:
 * the changes are written out, so a zone whose rules changed (or that has none) is exact.
 */
const zoneCache = new Map<string, string>();
export function vtimezone(tz: string, fromYear: number, toYear: number): string {
  const key = `${tz} ${fromYear} ${toYear}`;
  const hit = zoneCache.get(key);
  if (hit) return hit;
  const out = writeVtimezone(tz, fromYear, toYear);
  if (zoneCache.size > 500) zoneCache.clear();
  zoneCache.set(key, out);
  return out;
}

function writeVtimezone(tz: string, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear + 1, 0, 1);
  const first = offsetMinutes(tz, new Date(from));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tz}`];
  const component = (type: 'STANDARD' | 'DAYLIGHT', start: Wall, before: number, after: number) =>
    lines.push(`BEGIN:${type}`, `DTSTART:${localStamp(start)}`, `TZOFFSETFROM:${offsetText(before)}`, `TZOFFSETTO:${offsetText(after)}`, `END:${type}`);
  const start = wallClock(tz, new Date(from));
  component('STANDARD', start, first, first);
  const changes = transitions(tz, from, to);
  // The smallest offset seen is the zone's standard time; a larger one is daylight saving.
  const standard = Math.min(first, ...changes.map((c) => c.after));
  for (const c of changes) {
    const before = new Date(c.at + c.before * 60_000);
    const w: Wall = { year: before.getUTCFullYear(), month: before.getUTCMonth() + 1, day: before.getUTCDate(), hour: before.getUTCHours(), minute: before.getUTCMinutes(), second: 0 };
    component(c.after > standard ? 'DAYLIGHT' : 'STANDARD', w, c.before, c.after);
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/** A moment as ical-generator's Temporal-like value: written as the wall clock of its zone, with TZID. */
function zoned(at: Date, tz: string) {
  const w = wallClock(tz, at);
  const plain = {
    ...w,
    toJSON: () => localStamp(w),
    toString: () => localStamp(w),
    toPlainDate: () => ({ year: w.year, month: w.month, day: w.day, toJSON: () => '', toString: () => '' }),
    toZonedDateTime: () => value,
  };
  const value = {
    ...w,
    timeZoneId: tz,
    toInstant: () => ({ epochMilliseconds: at.getTime(), toJSON: () => at.toISOString(), toString: () => at.toISOString(), toZonedDateTimeISO: () => value }),
    toJSON: () => at.toISOString(),
    toString: () => at.toISOString(),
    toPlainDateTime: () => plain,
    withTimeZone: () => value,
  };
  return value as unknown as ICalEventData['start'];
}

const STATUS: Record<CalendarStatus, ICalEventStatus> = { confirmed: ICalEventStatus.CONFIRMED, tentative: ICalEventStatus.TENTATIVE, cancelled: ICalEventStatus.CANCELLED };

/** An iCalendar text (CRLF, folded at 75 octets) of the entries. */
export function writeCalendar(entries: readonly CalendarEntry[], o: CalendarOptions): string {
  const zones = [...new Set(entries.map((e) => e.timeZone))];
  for (const z of zones) if (!isTimeZone(z)) throw new Error(`Not an IANA time zone: ${z}`);
  const years = entries.flatMap((e) => [new Date(e.startsAt).getUTCFullYear(), new Date(e.endsAt).getUTCFullYear()]);
  const fromYear = years.length ? Math.min(...years) - 1 : 2000;
  const toYear = years.length ? Math.max(...years) + 1 : 2000;
  const cal = ical({
    prodId: { company: o.host, product: 'Puente', language: 'EN' },
    ...(o.name ? { name: o.name } : {}),
    ...(o.method ? { method: o.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST } : {}),
    ...(o.refreshMinutes ? { ttl: o.refreshMinutes * 60 } : {}),
  });
  cal.timezone({ name: null, generator: (tz) => vtimezone(tz, fromYear, toYear) });
  const now = o.now ?? new Date();
  for (const e of entries) {
    const cancelled = o.method === 'CANCEL' || e.status === 'cancelled';
    const ev = cal.createEvent({
      id: uidOf(e.kind, e.id, o.host),
      sequence: e.sequence,
      stamp: now,
      start: zoned(new Date(e.startsAt), e.timeZone),
      end: zoned(new Date(e.endsAt), e.timeZone),
      timezone: e.timeZone,
      summary: e.title,
      ...(e.description ? { description: e.description } : {}),
      ...(e.location ? { location: e.location } : {}),
      ...(e.url ? { url: e.url } : {}),
      ...(e.lastModified ? { lastModified: new Date(e.lastModified) } : {}),
      status: cancelled ? ICalEventStatus.CANCELLED : STATUS[e.status],
      ...(o.organizer ? { organizer: { name: o.organizer.name, email: o.organizer.email } } : {}),
    });
    if (o.attendee)
      ev.createAttendee({
        email: o.attendee.email,
        name: o.attendee.name,
        role: ICalAttendeeRole.REQ,
        status: o.attendee.confirmed === false ? ICalAttendeeStatus.TENTATIVE : ICalAttendeeStatus.ACCEPTED,
      });
  }
  // ical-generator writes no RELATED-TO: it goes in after each part's UID line.
  const related = new Map(entries.filter((e) => e.partOf).map((e) => [uidOf(e.kind, e.id, o.host), uidOf(e.partOf!.kind, e.partOf!.id, o.host)]));
  const lines = cal
    .toString()
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .flatMap((line) => {
      const parent = line.startsWith('UID:') ? related.get(line.slice(4)) : undefined;
      return parent ? [line, `RELATED-TO:${parent}`] : [line];
    });
  return `${lines.filter((l) => l !== '').map(fold).join('\r\n')}\r\n`;
}

/** Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (size + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      size = 0;
    }
    cur += ch;
    size += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}
