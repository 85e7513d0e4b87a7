import { describe, expect, it } from 'vitest';
import { asnValue, lines, validateProfileForm } from './profile';

describe('profile form checks', () => {
  it('reads the textarea lines and AS numbers as people type them', () => {
    expect(lines(' a \n\n b,c ')).toEqual(['a', 'b', 'c']);
    expect(asnValue(' AS64500 ')).toBe(64500);
    expect(asnValue('64501')).toBe(64501);
  });

  it('names each bad field with its values', () => {
    const e = validateProfileForm({ name: 'X', acronym: '', website: 'ftp://x', ipRanges: '10.0.0.1/8\n10.0.0.0/8', asns: '1\n0', domains: 'ok.example.org', timeZone: 'Nowhere', establishedOn: '2999-01-01' });
    expect(Object.keys(e).sort()).toEqual(['asns', 'establishedOn', 'ipRanges', 'name', 'timeZone', 'website']);
    expect(e.ipRanges.values).toBe('10.0.0.1/8');
    expect(validateProfileForm({ name: 'CERT', acronym: '', website: '', ipRanges: '', asns: '', domains: '', timeZone: '', establishedOn: '' })).toEqual({});
  });
});
