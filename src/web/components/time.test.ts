import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, fromZonedInput, isTimeZone, timeZoneLabel, timeZones, toZonedInput } from './time';

const AT = '2025-12-06T17:05:00Z';

describe('formatDateTime: in the person’s zone, labelled', () => {
  it('shows the same moment in each zone, with the zone’s name', () => {
    const santiago = formatDateTime(AT, { lang: 'en', timeZone: 'America/Santiago' });
    expect(santiago).toMatch(/2:05\sPM/);
    expect(formatDateTime(AT, { lang: 'es', timeZone: 'America/Santiago' })).toMatch(/14:05/);
    expect(santiago).toMatch(/GMT-3/);
    const brussels = formatDateTime(AT, { lang: 'en', timeZone: 'Europe/Brussels' });
    expect(brussels).toMatch(/6:05\sPM/);
    expect(brussels).toMatch(/GMT\+1|CET/);
    expect(formatDateTime(AT, { lang: 'pt', timeZone: 'America/Sao_Paulo' })).toMatch(/14:05.*(BRT|GMT-3)/);
    expect(formatDateTime(AT, { lang: 'fr', timeZone: 'UTC' })).toMatch(/17:05.*UTC/);
  });

  it('speaks the page’s language', () => {
    expect(formatDateTime(AT, { lang: 'es', timeZone: 'Europe/Madrid' })).toMatch(/dic/);
    expect(formatDateTime(AT, { lang: 'fr', timeZone: 'Europe/Paris' })).toMatch(/déc/);
    expect(formatDateTime(AT, { lang: 'en', timeZone: 'Europe/Paris' })).toMatch(/Dec/);
  });

  it('uses the browser’s zone, labelled, when the person has none (or an unknown one)', () => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const expected = formatDateTime(AT, { lang: 'en', timeZone: browser });
    expect(formatDateTime(AT, { lang: 'en' })).toBe(expected);
    expect(formatDateTime(AT, { lang: 'en', timeZone: 'Mars/Olympus_Mons' })).toBe(expected);
    expect(formatDateTime(AT, { lang: 'en', timeZone: null })).toBe(expected);
  });

  it('says "—" for nothing and leaves text that is not a date as it is', () => {
    expect(formatDateTime(null, { lang: 'en' })).toBe('—');
    expect(formatDateTime(undefined, { lang: 'en' })).toBe('—');
    expect(formatDateTime('', { lang: 'en' })).toBe('—');
    expect(formatDateTime('soon', { lang: 'en' })).toBe('soon');
  });
});

describe('formatDate', () => {
  it('gives the day of a moment in the person’s zone', () => {
    // 01:30 UTC on the 7th is still the 6th in Santiago.
    expect(formatDate('2025-12-07T01:30:00Z', { lang: 'en', timeZone: 'America/Santiago' })).toMatch(/6 Dec 2025|Dec 6, 2025/);
    expect(formatDate('2025-12-07T01:30:00Z', { lang: 'en', timeZone: 'Europe/Brussels' })).toMatch(/7 Dec 2025|Dec 7, 2025/);
  });

  it('keeps a calendar date on its day in every zone', () => {
    for (const tz of ['America/Santiago', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) expect(formatDate('2025-03-01', { lang: 'en', timeZone: tz })).toMatch(/1 Mar 2025|Mar 1, 2025/);
  });
});

describe('zones', () => {
  it('knows zones and labels them with their offset', () => {
    expect(isTimeZone('America/Santiago')).toBe(true);
    expect(isTimeZone('Nowhere/Else')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(timeZoneLabel('America/Sao_Paulo', 'pt', new Date(AT))).toBe('America/Sao Paulo (GMT-3)');
    expect(timeZones()).toContain('Europe/Madrid');
    expect(timeZones()).toContain('UTC');
  });

  it('reads and writes a datetime-local value in the person’s zone, across a daylight-saving change', () => {
    expect(toZonedInput(new Date(AT), 'America/Santiago')).toBe('2025-12-06T14:05');
    expect(fromZonedInput('2025-12-06T14:05', 'America/Santiago')?.toISOString()).toBe('2025-12-06T17:05:00.000Z');
    // Brussels: winter (UTC+1) and summer (UTC+2).
    expect(fromZonedInput('2025-01-15T09:00', 'Europe/Brussels')?.toISOString()).toBe('2025-01-15T08:00:00.000Z');
    expect(fromZonedInput('2025-07-15T09:00', 'Europe/Brussels')?.toISOString()).toBe('2025-07-15T07:00:00.000Z');
    expect(fromZonedInput('not a time', 'UTC')).toBeNull();
    for (const tz of ['Europe/Brussels', 'America/Mexico_City', 'Asia/Kolkata']) {
      const d = new Date('2025-10-26T10:00:00Z');
      expect(fromZonedInput(toZonedInput(d, tz), tz)?.toISOString(), tz).toBe(d.toISOString());
    }
  });
});
