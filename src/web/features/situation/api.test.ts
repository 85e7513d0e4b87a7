import { describe, expect, it } from 'vitest';
import { validateIncidentsSearch } from '../incidents/search';
import { shadeOf, situationPath } from './api';

describe('the situational picture’s address', () => {
  it('asks the API with the incident list’s filters from the address and nothing it would refuse', () => {
    const s = validateIncidentsSearch({ country: 'CO,CL,Colombia', sector: 'energy', status: 'new,closed', from: '2027-03-01', exercise: 'true', q: 'ransomware' });
    expect(situationPath(s, 'es')).toBe('/api/v1/situation?country=CO%2CCL&sector=energy&status=new%2Cclosed&from=2027-03-01&q=ransomware&lang=es');
    expect(situationPath(s, 'en', 'pdf')).toMatch(/^\/api\/v1\/situation\.pdf\?country=CO%2CCL&/);
    expect(situationPath({}, 'fr', 'csv')).toBe('/api/v1/situation.csv?lang=fr');
  });
});

describe('a country’s shade on the map', () => {
  const c = { code: 'CO', region: 'LAC' as const, severity: null, open: 0, reports: 0 };
  it('says nothing is open, open but not assessed, or the most severe impact', () => {
    expect(shadeOf(c)).toBe('none');
    expect(shadeOf({ ...c, reports: 3, open: 0, severity: null })).toBe('none');
    expect(shadeOf({ ...c, reports: 2, open: 1 })).toBe('unrated');
    expect(shadeOf({ ...c, reports: 2, open: 2, severity: 'red' })).toBe('red');
  });
});
