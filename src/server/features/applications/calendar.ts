import { writeCalendar, type CalendarEntry } from '../../platform/calendar.js';
import type { Platform } from '../../platform/deps.js';

/** What a calendar entry of an offer session is made of (a session row with its offer's title and address). */
export interface SessionForCalendar {
  id: string;
  sequence: number;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  place: string;
  country: string | null;
  online: boolean;
  cancelled_at: Date | null;
  updated_at?: Date;
}

const linkOf = (p: Platform, path: string) => `${p.config.baseUrl.replace(/\/$/, '')}${path}`;
export const hostOf = (p: Platform) => new URL(p.config.baseUrl).host;

/**
 * One offer session as a calendar entry, kind `offer-session`: the same UID in the invitation
 * mail, its updates, its cancellation and the personal feed, so each replaces the last.
 */
export function sessionEntry(p: Platform, s: SessionForCalendar, offer: { title: string; slug: string; provider: string }): CalendarEntry {
  const where = [s.place, s.country, s.online ? 'online' : ''].filter(Boolean).join(' · ');
  const url = linkOf(p, `/offers/${offer.slug}`);
  return {
    kind: 'offer-session',
    id: s.id,
    sequence: s.sequence,
    title: offer.title,
    description: `${offer.provider}\n\n${url}`,
    location: where,
    url,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    timeZone: s.time_zone,
    status: s.cancelled_at ? 'cancelled' : 'confirmed',
    ...(s.updated_at ? { lastModified: s.updated_at } : {}),
  };
}

/** The iTIP message of one session for one participant (RFC 5546): an invitation or update, or a cancellation. */
export function sessionItip(p: Platform, entry: CalendarEntry, method: 'REQUEST' | 'CANCEL', organiser: string, person: { name: string; email: string }): string {
  const from = /<([^>]+)>/.exec(p.config.mailFrom)?.[1] ?? p.config.mailFrom;
  return writeCalendar([entry], { host: hostOf(p), method, organizer: { name: organiser, email: from }, attendee: { name: person.name, email: person.email, confirmed: true } });
}
