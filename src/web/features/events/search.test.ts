import { describe, expect, it } from 'vitest';
import { activeEventFilters, eventsListPath, validateEventsSearch } from './search';

describe('the events list in the address', () => {
  it('keeps the filters the API takes and drops the rest', () => {
    expect(validateEventsSearch({ q: '  diplomats ', kind: 'webinar', country: 'DO', from: '2027-01-01', to: '2027-12-31' })).toEqual({ q: 'diplomats', kind: 'webinar', country: 'DO', from: '2027-01-01', to: '2027-12-31' });
    expect(validateEventsSearch({ kind: 'party', country: 'dom', from: '2027-13-45', to: 'tomorrow', tlp: 'RED' })).toEqual({});
  });

  it('counts the filters in use and builds the API path from them', () => {
    const s = validateEventsSearch({ q: 'x', kind: 'exercise', from: '2027-02-01' });
    expect(activeEventFilters(s)).toBe(2);
    expect(eventsListPath(s, 'es')).toBe('/api/v1/events?q=x&kind=exercise&from=2027-02-01&lang=es&limit=50');
  });
});
