import { describe, expect, it } from 'vitest';
import { instantOf, isIanaZone, wallTime } from './zones.js';

describe('session times in their own zone', () => {
  it('takes IANA zones only', () => {
    for (const z of ['Europe/Tallinn', 'America/Santo_Domingo', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+4']) expect(isIanaZone(z), z).toBe(true);
    for (const z of ['Mars/Olympus_Mons', '+01:00', 'CET ', '', 'Europe/../etc', 'x'.repeat(80)]) expect(isIanaZone(z), z).toBe(false);
  });

  it('reads a wall time as the people at the place read it, across clock changes', () => {
    expect(instantOf('2027-06-21T09:00', 'Europe/Tallinn', 'f').toISOString()).toBe('2027-06-21T06:00:00.000Z');
    expect(instantOf('2027-01-21T09:00', 'Europe/Tallinn', 'f').toISOString()).toBe('2027-01-21T07:00:00.000Z');
    expect(instantOf('2027-02-15T09:00', 'America/Santo_Domingo', 'f').toISOString()).toBe('2027-02-15T13:00:00.000Z');
    // The hour repeated when clocks go back: the first of the two.
    expect(instantOf('2027-10-31T02:30', 'Europe/Madrid', 'f').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(wallTime(new Date('2027-06-21T06:00:00Z'), 'Europe/Tallinn')).toBe('2027-06-21T09:00');
  });

  it('takes instants as they are, and refuses impossible dates and skipped hours', () => {
    expect(instantOf('2027-06-21T09:00:00+02:00', 'UTC', 'f').toISOString()).toBe('2027-06-21T07:00:00.000Z');
    for (const v of ['2027-02-30T09:00', '2027-13-01T09:00', '2027-06-21T24:00', '2027-06-21', 'tomorrow', '2027-02-30T09:00:00Z']) expect(() => instantOf(v, 'Europe/Tallinn', 'f'), v).toThrow();
    expect(() => instantOf('2027-03-28T02:30', 'Europe/Madrid', 'f')).toThrow(/does not exist/);
  });
});
