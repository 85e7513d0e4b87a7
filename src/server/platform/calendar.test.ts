import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { fold, isTimeZone, offsetMinutes, uidOf, vtimezone, writeCalendar } from './calendar.js';

describe('iCalendar writing (RFC 5545)', () => {
  it('knows IANA zones and refuses the rest', () => {
    expect(isTimeZone('America/Santo_Domingo')).toBe(true);
    expect(isTimeZone('Europe/Brussels')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+02:00')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('writes a zone’s changes of offset as STANDARD and DAYLIGHT components, in the local time before each change', () => {
    const z = vtimezone('Europe/Brussels', 2027, 2027);
    expect(z).toContain('TZID:Europe/Brussels');
    expect(z).toMatch(/BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/);
    expect(z).toMatch(/BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100/);
    // A zone without daylight saving: one component.
    expect(vtimezone('America/Santo_Domingo', 2027, 2027).match(/BEGIN:(STANDARD|DAYLIGHT)/g)).toHaveLength(1);
    expect(offsetMinutes('America/Santiago', new Date('2027-01-15T12:00:00Z'))).toBe(-180);
  });

  it('folds lines at 75 octets without cutting a character', () => {
    const long = `SUMMARY:${'é'.repeat(60)}`;
    const lines = fold(long).split('\r\n');
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(lines.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(long);
  });

  it('round-trips through an independent parser: UID, SEQUENCE, DTSTART with TZID, SUMMARY, STATUS, iTIP method and people', () => {
    const text = writeCalendar(
      [
        { kind: 'event', id: '0190a000-0000-7000-8000-000000000001', sequence: 3, title: 'Réunion; annuelle, 2027', startsAt: '2027-10-31T07:30:00Z', endsAt: '2027-10-31T10:00:00Z', timeZone: 'Europe/Brussels', status: 'cancelled' },
      ],
      { host: 'puente.example', method: 'CANCEL', organizer: { name: 'Organiser', email: 'no-reply@puente.example' }, attendee: { name: 'Ana', email: 'ana@example.org' } },
    );
    const comp = new ICAL.Component(ICAL.parse(text));
    expect(comp.getFirstPropertyValue('method')).toBe('CANCEL');
    for (const tz of comp.getAllSubcomponents('vtimezone')) {
      const z = new ICAL.Timezone(tz);
      if (ICAL.TimezoneService.has(z.tzid)) ICAL.TimezoneService.remove(z.tzid);
      ICAL.TimezoneService.register(z);
    }
    const v = comp.getFirstSubcomponent('vevent')!;
    const e = new ICAL.Event(v);
    expect(e.uid).toBe(uidOf('event', '0190a000-0000-7000-8000-000000000001', 'puente.example'));
    expect(e.sequence).toBe(3);
    expect(e.summary).toBe('Réunion; annuelle, 2027');
    expect(v.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Brussels');
    // 07:30 UTC on the last day of summer time's end: 08:30 in Brussels (CET, after 03:00 CEST → 02:00).
    expect(e.startDate.toString()).toBe('2027-10-31T08:30:00');
    expect(e.startDate.toJSDate().toISOString()).toBe('2027-10-31T07:30:00.000Z');
    expect(v.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(String(v.getFirstPropertyValue('attendee')).toLowerCase()).toBe('mailto:ana@example.org');
    expect(String(v.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:no-reply@puente.example');
  });

  it('refuses an entry in a zone it cannot write', () => {
    expect(() => writeCalendar([{ kind: 'event', id: 'x', sequence: 0, title: 't', startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-01T01:00:00Z', timeZone: 'Nowhere/City', status: 'confirmed' }], { host: 'h' })).toThrow();
  });
});
