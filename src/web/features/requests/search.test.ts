import { describe, expect, it } from 'vitest';
import { activeRequestFilters, requestsListPath, validateRequestsSearch } from './search';

describe('the requests list’s address', () => {
  it('keeps the filters the API takes and drops the rest', () => {
    expect(validateRequestsSearch({ status: 'open', concept: 'gfce-themes/b', country: 'DO', mine: 'true', q: 'x' })).toEqual({ status: 'open', concept: 'gfce-themes/b', country: 'DO', mine: true });
    expect(validateRequestsSearch({ status: 'lost', concept: 'no tag', country: 'dom', mine: 'yes' })).toEqual({});
  });

  it('counts the filters in use and asks the API for them', () => {
    expect(activeRequestFilters({ status: 'open', mine: true })).toBe(2);
    expect(requestsListPath({ status: 'open', mine: true }, 'es')).toBe('/api/v1/requests?status=open&mine=true&lang=es&limit=30');
    expect(requestsListPath({}, 'en', 'c')).toBe('/api/v1/requests?lang=en&limit=30&cursor=c');
  });
});
