import { describe, expect, it } from 'vitest';
import { activeOfferFilters, offersIatiPath, validateOffersSearch } from './search';

describe('the catalogue’s filters in the address', () => {
  it('keeps what the API takes and drops the rest', () => {
    expect(
      validateOffersSearch({ q: '  ciber ', type: 'summer-school', concept: 'takeaways/7a', language: 'es', format: 'in-person', country: 'DO', from: '2027-06-01', to: '2027-06-30', status: 'open' }),
    ).toEqual({ q: 'ciber', type: 'summer-school', concept: 'takeaways/7a', language: 'es', format: 'in-person', country: 'DO', from: '2027-06-01', to: '2027-06-30', status: 'open' });
    expect(validateOffersSearch({ type: 'party', concept: 'nope', language: 'Spanish', format: 'in_person', country: 'do', from: '2027-02-30', to: 'soon', status: 'published' })).toEqual({});
    // Not even a Date: refused, not thrown on (the page crashed on it).
    expect(validateOffersSearch({ from: '2027-13-01', to: '2027-00-10' })).toEqual({});
    // A window ending before it starts keeps its start only.
    expect(validateOffersSearch({ from: '2027-06-30', to: '2027-06-01' })).toEqual({ from: '2027-06-30' });
  });

  it('counts the filters in use, and never exports drafts', () => {
    expect(activeOfferFilters({ q: 'x', type: 'webinar', from: '2027-01-01' })).toBe(2);
    expect(offersIatiPath({ status: 'draft', type: 'webinar' })).toBe('/api/v1/offers/export.iati.xml?type=webinar');
  });
});
