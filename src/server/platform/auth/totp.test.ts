import { describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { checkTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode } from './totp.js';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const code = (t: number) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: t });

  it('accepts the current code and one step of drift, and names the step', () => {
    const now = 1_800_000_000_000;
    expect(checkTotp(secret, code(now), now)).toBe(Math.floor(now / 30_000));
    expect(checkTotp(secret, code(now - 30_000), now)).toBe(Math.floor(now / 30_000) - 1);
    expect(checkTotp(secret, code(now - 90_000), now)).toBeNull();
  });
  it('refuses malformed codes', () => {
    expect(checkTotp(secret, 'abcdef')).toBeNull();
    expect(checkTotp(secret, '12345')).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes that normalise to 12 characters', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      expect(normaliseRecoveryCode(` ${c.toUpperCase()} `)).toHaveLength(12);
    }
  });
});
