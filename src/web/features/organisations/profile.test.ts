import { describe, expect, it } from 'vitest';
import { isAsn, isCidr, isDomain, isTimeZone, lines, validateProfileForm } from './profile';

describe('profile form checks', () => {
  it('checks networks, AS numbers, domains and time zones', () => {
    expect(isCidr('192.0.2.0/24')).toBe(true);
    expect(isCidr('192.0.2.1/24')).toBe(false);
    expect(isCidr('2001:db8::/32')).toBe(true);
    expect(isCidr('example.org/24')).toBe(false);
    expect(isAsn('AS64500')).toBe(true);
    expect(isAsn('0')).toBe(false);
    expect(isAsn('4294967296')).toBe(false);
    expect(isDomain('cert.example.org')).toBe(true);
    expect(isDomain('not a domain')).toBe(false);
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('Mars/Base')).toBe(false);
    expect(lines(' a \n\n b,c ')).toEqual(['a', 'b', 'c']);
  });

  it('names each bad field with its values', () => {
    const e = validateProfileForm({ name: 'X', acronym: '', website: 'ftp://x', ipRanges: '10.0.0.1/8\n10.0.0.0/8', asns: '1\n0', domains: 'ok.example.org', timeZone: 'Nowhere', establishedOn: '2999-01-01' });
    expect(Object.keys(e).sort()).toEqual(['asns', 'establishedOn', 'ipRanges', 'name', 'timeZone', 'website']);
    expect(e.ipRanges.values).toBe('10.0.0.1/8');
    expect(validateProfileForm({ name: 'CERT', acronym: '', website: '', ipRanges: '', asns: '', domains: '', timeZone: '', establishedOn: '' })).toEqual({});
  });
});
