import { describe, expect, it } from 'vitest';
import { classesOf } from './scale';
import { activeCapacityFilters, dashboardPath, iatiPath, validateCapacitySearch } from './search';

describe('the dashboard’s address', () => {
  it('keeps the filters the API takes and drops what it would refuse', () => {
    expect(validateCapacitySearch({ from: '2027-01-01', to: '2027-12-31', concept: 'gfce-themes/c', region: 'South America', country: 'DO' })).toEqual({
      from: '2027-01-01',
      to: '2027-12-31',
      concept: 'gfce-themes/c',
      region: 'South America',
      country: 'DO',
    });
    expect(validateCapacitySearch({ from: '2027-02-30', to: '2026-13-01', concept: 'nope', region: 'Atlantis', country: 'do' })).toEqual({});
    // An end before the start is dropped, the start kept.
    expect(validateCapacitySearch({ from: '2027-06-01', to: '2027-05-01' })).toEqual({ from: '2027-06-01' });
    expect(validateCapacitySearch({ region: 'LAC' })).toEqual({ region: 'LAC' });
  });

  it('counts the filters in use and builds the API’s addresses', () => {
    expect(activeCapacityFilters({ region: 'EU', country: 'ES' })).toBe(2);
    expect(dashboardPath({ region: 'South America' }, 'es')).toBe('/api/v1/capacity/dashboard?region=South+America&lang=es');
    expect(dashboardPath({ concept: 'gfce-themes/c' }, 'fr', 'pdf')).toBe('/api/v1/capacity/dashboard.pdf?concept=gfce-themes%2Fc&lang=fr');
    // IATI shares concept, country and dates with the dashboard; regions are not IATI's.
    expect(iatiPath({ concept: 'gfce-themes/c', region: 'EU', from: '2027-01-01' })).toBe('/api/v1/offers/export.iati.xml?concept=gfce-themes%2Fc&from=2027-01-01&status=open&include=assistance');
  });
});

describe('the map’s classes', () => {
  it('split the figures above zero into up to five classes of about as many values each', () => {
    expect(classesOf([0, 0])).toEqual([]);
    expect(classesOf([3, 0, 3])).toEqual([{ min: 3, max: 3 }]);
    expect(classesOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([
      { min: 1, max: 2 },
      { min: 3, max: 4 },
      { min: 5, max: 6 },
      { min: 7, max: 8 },
      { min: 9, max: 10 },
    ]);
    // Every value above zero falls in one class.
    const xs = [1, 1, 2, 40, 41, 900];
    const cs = classesOf(xs);
    for (const x of xs) expect(cs.filter((c) => x >= c.min && x <= c.max)).toHaveLength(1);
  });
});
