import { describe, expect, it } from 'vitest';
import { availableFor } from './staffing';

describe('availableFor', () => {
  const session = { localStart: '2027-06-21T09:00', localEnd: '2027-06-23T17:00' };
  it('holds when one window covers every day of the session at the venue', () => {
    expect(availableFor({ available: [{ from: '2027-06-01', to: '2027-06-30' }] }, session)).toBe(true);
    expect(availableFor({ available: [{ from: '2027-06-21', to: '2027-06-23' }] }, session)).toBe(true);
  });
  it('does not hold for a window that covers only part of it, nor for two that each cover a part', () => {
    expect(availableFor({ available: [{ from: '2027-06-22', to: '2027-06-30' }] }, session)).toBe(false);
    expect(availableFor({ available: [{ from: '2027-06-01', to: '2027-06-21' }, { from: '2027-06-22', to: '2027-06-30' }] }, session)).toBe(false);
    expect(availableFor({ available: [] }, session)).toBe(false);
  });
});
