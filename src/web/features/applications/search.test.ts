import { describe, expect, it } from 'vitest';
import { activeApplicationFilters, offerApplicationsPath, validateApplicationsSearch } from './search';

describe('the provider’s filters in the address', () => {
  it('keeps what the API takes and drops the rest', () => {
    expect(validateApplicationsSearch({ session: '0190D5A3-7F00-7000-8000-000000000001', status: 'waitlisted', country: 'do', q: '  Luisa ' })).toEqual({
      session: '0190d5a3-7f00-7000-8000-000000000001',
      status: 'waitlisted',
      country: 'DO',
      q: 'Luisa',
    });
    expect(validateApplicationsSearch({ session: 'x', status: 'accepted', country: 'DOM', q: '' })).toEqual({});
  });

  it('counts the filters in use, not the words, and asks the API for the same', () => {
    const s = { status: 'selected', q: 'ana' };
    expect(activeApplicationFilters(s)).toBe(1);
    expect(offerApplicationsPath('summer-school-1', s)).toBe('/api/v1/offers/summer-school-1/applications?status=selected&q=ana');
  });
});
