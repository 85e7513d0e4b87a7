import { describe, expect, it } from 'vitest';
import { clientNetwork, lockoutMs, throttleKey } from './throttle.js';

describe('sign-in throttling keys', () => {
  it('counts an IPv4 address alone and an IPv6 address by its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0db8:0001:0002:0:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('2001:db8:1:2::1')).not.toBe(clientNetwork('2001:db8:1:3::1'));
  });

  it('keys the first step by the typed e-mail, whatever its case, and never holds it in clear', () => {
    const k = throttleKey('password', ' Someone@Example.test ', '2001:db8:1:2::1');
    expect(k).toBe(throttleKey('password', 'someone@example.test', '2001:db8:1:2::abcd'));
    expect(k).not.toBe(throttleKey('password', 'someone@example.test', '2001:db8:1:3::1'));
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(throttleKey('mfa', 'someone@example.test', '192.0.2.1')).not.toBe(throttleKey('password', 'someone@example.test', '192.0.2.1'));
  });

  it('keeps the exponential schedule', () => {
    expect([4, 5, 6, 7, 20].map(lockoutMs)).toEqual([0, 30_000, 60_000, 120_000, 900_000]);
  });
});
