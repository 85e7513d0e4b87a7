import { describe, expect, it } from 'vitest';
import { activeExpertFilters, expertsListPath, validateExpertsSearch } from './search';

describe('the expert pool’s address', () => {
  it('keeps the filters the API takes and drops what it would refuse', () => {
    expect(
      validateExpertsSearch({
        q: '  incident ',
        skill: 'ecsf-roles/cyber-incident-responder',
        concept: 'gfce-themes/b',
        language: 'es-419',
        country: 'DO',
        from: '2026-03-01',
        to: '2026-03-31',
        organisation: '01890a5d-ac96-774b-bcce-b302099a8057',
        status: 'vetted',
      }),
    ).toEqual({
      q: 'incident',
      skill: 'ecsf-roles/cyber-incident-responder',
      concept: 'gfce-themes/b',
      language: 'es-419',
      country: 'DO',
      from: '2026-03-01',
      to: '2026-03-31',
      organisation: '01890a5d-ac96-774b-bcce-b302099a8057',
      status: 'vetted',
    });
    // A skill from another scheme, a day that does not exist, an end before the start, an unknown status.
    expect(validateExpertsSearch({ skill: 'gfce-themes/b', from: '2026-02-30', to: '2026-01-01', status: 'hidden', country: 'do', organisation: 'me' })).toEqual({ to: '2026-01-01' });
    expect(validateExpertsSearch({ from: '2026-03-10', to: '2026-03-01' })).toEqual({ from: '2026-03-10' });
  });

  it('counts the filters in use and asks the API for a page in the reader’s language', () => {
    expect(activeExpertFilters({ q: 'x', skill: 'ecsf-roles/ciso', from: '2026-01-01' })).toBe(2);
    expect(expertsListPath({ skill: 'ecsf-roles/ciso' }, 'es')).toBe('/api/v1/experts?skill=ecsf-roles%2Fciso&lang=es&limit=20');
    expect(expertsListPath({}, 'en', 'b01890a5d-ac96-774b-bcce-b302099a8057')).toBe('/api/v1/experts?lang=en&limit=20&cursor=b01890a5d-ac96-774b-bcce-b302099a8057');
  });
});
