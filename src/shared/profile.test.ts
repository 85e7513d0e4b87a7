import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASN_MAX, isAsn, isIPv4, isIPv6, isPastDate, isTimeZone, isWebsite, parseAsn, parseCidr, parseDomain } from './profile.js';

describe('profile checks (server and web)', () => {
  it('agree with Node on every IP address, so that the browser refuses what the server refuses', () => {
    const hex = fc.constantFrom(...'0123456789abcdefABCDEF:.'.split(''));
    const v6ish = fc.oneof(fc.ipV6(), fc.ipV4Extended(), fc.string({ unit: hex, maxLength: 45 }), fc.tuple(fc.ipV6(), fc.ipV4()).map(([a, b]) => `${a.replace(/:[^:]*$/, '')}:${b}`));
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), v6ish), (s) => {
        expect(isIPv4(s), s).toBe(net.isIPv4(s));
        expect(isIPv6(s), s).toBe(net.isIPv6(s));
      }),
      { numRuns: 5000 },
    );
    for (const s of ['::', '::1', '1:2:3:4:5:6:7::', '::ffff:10.0.0.1', '1::2::3', '01.2.3.4', '1:2:3:4:5:6:a1.2.3.4', '1:2:3:4:5:6:7:8::'])
      expect([s, isIPv4(s), isIPv6(s)]).toEqual([s, net.isIPv4(s), net.isIPv6(s)]);
  });

  it('accepts networks and refuses host bits, bad prefixes and junk', () => {
    expect(parseCidr('192.0.2.0/24')).toBe('192.0.2.0/24');
    expect(parseCidr(' 10.0.0.0/8 ')).toBe('10.0.0.0/8');
    expect(parseCidr('2001:DB8::/32')).toBe('2001:db8::/32');
    expect(parseCidr('2001:db8:1::/48')).toBe('2001:db8:1::/48');
    expect(parseCidr('203.0.113.7/32')).toBe('203.0.113.7/32');
    expect(parseCidr('::ffff:10.0.0.0/120')).toBe('::ffff:10.0.0.0/120');
    for (const bad of ['192.0.2.1/24', '192.0.2.0/33', '300.0.0.0/8', '192.0.2.0', 'example.org/24', '2001:db8::1/32', '2001:db8::/129', '1:2:3:4:5:6:7:8:9/64', '::ffff:10.0.0.1/120', '', '10.0.0.0/8; DROP'])
      expect(parseCidr(bad), bad).toBeNull();
  });

  it('accepts host names and refuses the rest', () => {
    expect(parseDomain('CERT.example.ORG')).toBe('cert.example.org');
    expect(parseDomain('xn--80ak6aa92e.com')).toBe('xn--80ak6aa92e.com');
    for (const bad of ['localhost', '-bad.example.org', 'bad-.example.org', 'a..b.org', 'exa mple.org', 'http://example.org', 'example.123', `${'a'.repeat(64)}.org`])
      expect(parseDomain(bad), bad).toBeNull();
  });

  it('reads AS numbers from 1 to 2^32 - 1, with or without "AS"', () => {
    expect(parseAsn('AS64500')).toBe(64500);
    expect(parseAsn(' as4294967295 ')).toBe(ASN_MAX);
    for (const bad of ['0', 'AS0', '4294967296', '12345678901', '64500.1', 'ASN64500', '-1', ''])
      expect(parseAsn(bad), bad).toBeNull();
    expect(isAsn(1)).toBe(true);
    expect(isAsn(1.5)).toBe(false);
    expect(isAsn(ASN_MAX + 1)).toBe(false);
  });

  it('knows IANA time zones and calendar dates', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
    expect(isPastDate('2004-02-29')).toBe(true);
    expect(isPastDate('2003-02-29')).toBe(false);
    expect(isPastDate('2999-01-01')).toBe(false);
    expect(isPastDate('1899-12-31')).toBe(false);
    expect(isPastDate('1.1.2000')).toBe(false);
  });

  it('takes http(s) websites with a host and without credentials', () => {
    expect(isWebsite('https://cert.example.org/en')).toBe(true);
    expect(isWebsite('http://192.0.2.1:8080')).toBe(true);
    for (const bad of ['ftp://example.org', 'javascript:alert(1)', 'https://user:secret@example.org', 'example.org', 'https://', ''])
      expect(isWebsite(bad), bad).toBe(false);
  });
});
