import { describe, expect, it } from 'vitest';
import { activePracticeFilters, practicesListPath, validatePracticesSearch } from './search';

describe('the library address', () => {
  it('keeps the filters the API takes and drops the rest, so a hand-edited link never breaks the page', () => {
    expect(
      validatePracticesSearch({ q: '  ciberataques ', type: 'guide', concept: 'un-norms-2015/norm-13c', country: 'DO', tlp: 'CLEAR', status: 'published', other: 'x' }),
    ).toEqual({ q: 'ciberataques', type: 'guide', concept: 'un-norms-2015/norm-13c', country: 'DO', tlp: 'CLEAR', status: 'published' });
    expect(validatePracticesSearch({ q: '', type: 'novel', concept: 'no-slash', country: 'INT', tlp: 'PURPLE', status: 'gone' })).toEqual({});
    expect(validatePracticesSearch({ q: 'x'.repeat(300) }).q).toHaveLength(200);
  });

  it('counts the filters in use, not the words', () => {
    expect(activePracticeFilters({ q: 'a', type: 'guide', country: 'ES' })).toBe(2);
    expect(activePracticeFilters({})).toBe(0);
  });

  it('asks the API for a page in the reader’s language, then the next one by its cursor', () => {
    expect(practicesListPath({ q: 'seguridad', type: 'strategy' }, 'es')).toBe('/api/v1/knowledge?q=seguridad&type=strategy&lang=es&limit=20');
    expect(practicesListPath({}, 'fr', 'o20')).toBe('/api/v1/knowledge?lang=fr&limit=20&cursor=o20');
  });
});
