import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import crypto from 'node:crypto';

/** RFC 6238 TOTP: SHA-1, 6 digits, 30 s, as every authenticator app expects. */
export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = 'Puente') {
  return new OTPAuth.TOTP({ issuer: 'Puente', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function otpauthUrl(secret: string, email: string): string {
  return totp(secret, email).toString();
}

export const qrDataUrl = (text: string) => QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 1, width: 240 });

/**
 * Check a code, allowing one step of clock drift either way. Returns the time
 * step it matched so the caller can refuse a second use of the same step.
 */
export function checkTotp(secret: string, code: string, now = Date.now()): number | null {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totp(secret).validate({ token: clean, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 30_000) + delta;
}

/** Ten one-use recovery codes like "k3f9-2xqa-7mwp". */
export function newRecoveryCodes(n = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: n }, () => {
    const bytes = crypto.randomBytes(12);
    const s = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
  });
}

export const normaliseRecoveryCode = (c: string) => c.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
