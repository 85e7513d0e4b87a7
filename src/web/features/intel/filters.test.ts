import { describe, expect, it } from 'vitest';
import { attackBrowserUrl, exportUrl, hasFilters, listUrl, validateIntelSearch } from './filters';

const ORG = '0b0e6a4c-1f1e-4c8e-9d7a-1c2b3d4e5f60';

describe('intel list filters in the URL', () => {
  it('keeps valid filters and normalises case', () => {
    expect(
      validateIntelSearch({
        q: '  ransomware ',
        type: 'Indicator,malware',
        tlp: 'amber,RED',
        organisation: ORG.toUpperCase(),
        country: 'cl',
        sector: 'energy',
        since: '2024-02-29',
        until: '2024-03-31',
        technique: 't0801',
        confidence: '070',
      }),
    ).toEqual({ q: 'ransomware', type: 'indicator,malware', tlp: 'AMBER,RED', organisation: ORG, country: 'CL', sector: 'energy', since: '2024-02-29', until: '2024-03-31', technique: 'T0801', confidence: '70' });
  });

  it('drops what the API would refuse instead of breaking the page', () => {
    expect(
      validateIntelSearch({ type: 'bad type!,', tlp: 'PURPLE', organisation: 'nope', country: 'Chile', since: '2023-02-30', until: 'yesterday', technique: 'X1', confidence: '101', sector: 'a b', q: '   ' }),
    ).toEqual({});
    expect(validateIntelSearch({ confidence: -1, technique: 'T1059.001', tlp: 'AMBER+STRICT' })).toEqual({ technique: 'T1059.001', tlp: 'AMBER+STRICT' });
  });

  it('deduplicates list values and accepts numbers and arrays from the router', () => {
    expect(validateIntelSearch({ type: 'indicator,indicator', confidence: 50, tlp: ['GREEN', 'green'] })).toEqual({ type: 'indicator', confidence: '50', tlp: 'GREEN' });
  });

  it('round-trips: validating the output again changes nothing', () => {
    const s = validateIntelSearch({ q: 'x', type: 'malware', tlp: 'CLEAR', since: '2025-01-01', confidence: '0' });
    expect(validateIntelSearch({ ...s })).toEqual(s);
    expect(hasFilters(s)).toBe(true);
    expect(hasFilters({})).toBe(false);
  });

  it('builds the list query with whole-day UTC bounds, cursor and limit', () => {
    const url = new URL(listUrl({ type: 'indicator', since: '2025-01-01', until: '2025-01-31', confidence: '50' }, 'abc', 25), 'http://x');
    expect(url.pathname).toBe('/api/v1/intel/objects');
    expect(Object.fromEntries(url.searchParams)).toEqual({ type: 'indicator', since: '2025-01-01T00:00:00.000Z', until: '2025-01-31T23:59:59.999Z', confidence: '50', origin: 'members', cursor: 'abc', limit: '25' });
  });

  it("opens on members' submissions: no reference content, no relationships, identities or marking definitions unless asked", () => {
    const plain = new URL(listUrl({}), 'http://x');
    expect(Object.fromEntries(plain.searchParams)).toEqual({ origin: 'members', excludeType: 'relationship,identity,marking-definition', limit: '25' });
    // A type filter asks for those types: nothing is left out by type.
    const rels = new URL(listUrl({ type: 'relationship' }), 'http://x');
    expect(Object.fromEntries(rels.searchParams)).toEqual({ type: 'relationship', origin: 'members', limit: '25' });
    // `show=all` shows everything; it lives in the URL like the filters but is not one of them.
    const all = validateIntelSearch({ show: 'all', q: 'x' });
    expect(all).toEqual({ q: 'x', show: 'all' });
    expect(Object.fromEntries(new URL(listUrl(all), 'http://x').searchParams)).toEqual({ q: 'x', limit: '25' });
    expect(hasFilters({ show: 'all' })).toBe(false);
    expect(validateIntelSearch({ show: 'everything' })).toEqual({});
  });

  it('exports a selection with one id= per object, else the filters', () => {
    const sel = new URL(exportUrl('misp', { type: 'indicator' }, ['indicator--1', 'indicator--2', 'indicator--1']), 'http://x');
    expect(sel.searchParams.get('format')).toBe('misp');
    expect(sel.searchParams.getAll('id')).toEqual(['indicator--1', 'indicator--2']);
    expect(sel.searchParams.has('type')).toBe(false);
    const all = new URL(exportUrl('csv', { tlp: 'GREEN,AMBER', technique: 'T0801' }), 'http://x');
    expect(Object.fromEntries(all.searchParams)).toEqual({ format: 'csv', tlp: 'GREEN,AMBER', technique: 'T0801', origin: 'members', excludeType: 'relationship,identity,marking-definition' });
  });
});

describe('ATT&CK references', () => {
  it('links ids to the ATT&CK browser', () => {
    expect(attackBrowserUrl('T0801')).toBe('https://attack.mitre.org/techniques/T0801/');
    expect(attackBrowserUrl('t1059.001')).toBe('https://attack.mitre.org/techniques/T1059/001/');
    expect(attackBrowserUrl('TA0108')).toBe('https://attack.mitre.org/tactics/TA0108/');
    expect(attackBrowserUrl('M0801')).toBe('https://attack.mitre.org/mitigations/M0801/');
    expect(attackBrowserUrl('A0001')).toBe('https://attack.mitre.org/assets/A0001/');
    expect(attackBrowserUrl('CVE-2024-1')).toBeNull();
  });
});
