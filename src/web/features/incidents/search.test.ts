import { describe, expect, it } from 'vitest';
import { activeIncidentFilters, incidentsListPath, listOf, validateIncidentsSearch } from './search';

describe('the incident list’s address', () => {
  it('keeps the filters the API takes, as comma-separated lists, and drops the rest', () => {
    expect(
      validateIncidentsSearch({ country: 'CO,BR', sector: 'energy', rsit: 'malicious-code,intrusions', status: 'new,closed', impactSeverity: 'red', from: '2026-11-01', to: '2026-12-01', q: ' ransomware ', tlp: 'RED', exercise: 'true' }),
    ).toEqual({ country: 'CO,BR', sector: 'energy', rsit: 'malicious-code,intrusions', status: 'new,closed', impactSeverity: 'red', from: '2026-11-01', to: '2026-12-01', q: 'ransomware', exercise: true });
  });

  it('drops the values the API would refuse, keeping the good ones beside them', () => {
    expect(validateIncidentsSearch({ country: 'co,BR,BRA', sector: 'energy,mining', rsit: 'malicious-code/infected-system,fraud', status: 'lost', impactSeverity: 'purple', from: '2026-13-01', to: 'yesterday' })).toEqual({ country: 'BR', sector: 'energy', rsit: 'fraud' });
    expect(validateIncidentsSearch({ country: 'CO,CO', exercise: 'yes' })).toEqual({ country: 'CO' });
  });

  it('keeps only the start of a range given the wrong way round', () => {
    expect(validateIncidentsSearch({ from: '2026-12-01', to: '2026-11-01' })).toEqual({ from: '2026-12-01' });
  });

  it('counts the filters in use (not the words) and asks the API for them', () => {
    expect(activeIncidentFilters({ country: 'CO,BR', status: 'new', q: 'x' })).toBe(2);
    expect(incidentsListPath({ country: 'CO,BR', impactSeverity: 'red' }, 'es')).toBe('/api/v1/incidents?country=CO%2CBR&impactSeverity=red&lang=es&limit=30');
    expect(incidentsListPath({}, 'en', 'c')).toBe('/api/v1/incidents?lang=en&limit=30&cursor=c');
    expect(validateIncidentsSearch({ community: '0194f0a4-1111-7222-8333-444455556666' })).toEqual({ community: '0194f0a4-1111-7222-8333-444455556666' });
    expect(validateIncidentsSearch({ community: 'americas' })).toEqual({});
    expect(incidentsListPath({ exercise: true }, 'pt')).toBe('/api/v1/incidents?exercise=true&lang=pt&limit=30');
    expect(listOf('CO,BR')).toEqual(['CO', 'BR']);
    expect(listOf(undefined)).toEqual([]);
  });
});
