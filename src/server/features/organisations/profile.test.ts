import { describe, expect, it } from 'vitest';
import { isPastDate, isTimeZone, parseCidr, parseDomain, pickDescription, sniffImage } from './profile.js';

describe('profile checks', () => {
  it('accepts networks and refuses host bits, bad prefixes and junk', () => {
    expect(parseCidr('192.0.2.0/24')).toBe('192.0.2.0/24');
    expect(parseCidr(' 10.0.0.0/8 ')).toBe('10.0.0.0/8');
    expect(parseCidr('2001:DB8::/32')).toBe('2001:db8::/32');
    expect(parseCidr('2001:db8:1::/48')).toBe('2001:db8:1::/48');
    expect(parseCidr('203.0.113.7/32')).toBe('203.0.113.7/32');
    for (const bad of ['192.0.2.1/24', '192.0.2.0/33', '300.0.0.0/8', '192.0.2.0', 'example.org/24', '2001:db8::1/32', '2001:db8::/129', '1:2:3:4:5:6:7:8:9/64', '', '10.0.0.0/8; DROP'])
      expect(parseCidr(bad), bad).toBeNull();
  });

  it('accepts host names and refuses the rest', () => {
    expect(parseDomain('CERT.example.ORG')).toBe('cert.example.org');
    expect(parseDomain('xn--80ak6aa92e.com')).toBe('xn--80ak6aa92e.com');
    for (const bad of ['localhost', '-bad.example.org', 'bad-.example.org', 'a..b.org', 'exa mple.org', 'http://example.org', 'example.123', `${'a'.repeat(64)}.org`])
      expect(parseDomain(bad), bad).toBeNull();
  });

  it('knows IANA time zones and calendar dates', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
    expect(isPastDate('2004-02-29')).toBe(true);
    expect(isPastDate('2003-02-29')).toBe(false);
    expect(isPastDate('2999-01-01')).toBe(false);
    expect(isPastDate('1.1.2000')).toBe(false);
  });

  it('tells images by their magic bytes, not their name', () => {
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImage(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg');
    expect(sniffImage(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(Buffer.from('<!doctype html><p>hi'))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });

  it('shows the viewer’s language, else the organisation’s first, else any', () => {
    const d = { es: 'Hola', en: 'Hello', de: 'Hallo' };
    expect(pickDescription(d, 'es', ['pt', 'es'], 'x')).toEqual({ text: 'Hola', language: 'es' });
    expect(pickDescription(d, 'fr', ['de', 'en'], 'x')).toEqual({ text: 'Hallo', language: 'de' });
    expect(pickDescription(d, 'fr', ['pt'], 'x')).toEqual({ text: 'Hello', language: 'en' });
    expect(pickDescription({ de: 'Hallo' }, 'fr', [], 'x')).toEqual({ text: 'Hallo', language: 'de' });
    expect(pickDescription({}, 'fr', ['fr'], 'legacy')).toEqual({ text: 'legacy', language: null });
  });
});
