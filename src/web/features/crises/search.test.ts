import { describe, expect, it } from 'vitest';
import { activeCrisisFilters, crisesListPath, validateCrisesSearch } from './search';

describe('the crisis list’s address', () => {
  it('keeps the filters the API takes and drops the rest', () => {
    expect(validateCrisesSearch({ status: 'open', exercise: 'true', q: 'x' })).toEqual({ status: 'open', exercise: true });
    expect(validateCrisesSearch({ status: 'over', exercise: 'maybe' })).toEqual({});
    expect(validateCrisesSearch({ exercise: false })).toEqual({ exercise: false });
  });

  it('counts the filters in use and asks the API for them', () => {
    expect(activeCrisisFilters({ status: 'closed', exercise: false })).toBe(2);
    expect(crisesListPath({ status: 'closed', exercise: false }, 'es')).toBe('/api/v1/crises?status=closed&exercise=false&lang=es');
    expect(crisesListPath({}, 'en')).toBe('/api/v1/crises?lang=en');
  });
});
