import crypto from 'node:crypto';
import { v7 } from 'uuid';

/** UUIDv7 made in the app: time-ordered keys without PostgreSQL 18's uuidv7(). */
export const newId = (): string => v7();

/** A random URL-safe secret with `bytes` bytes of entropy. */
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');

/**
 * SHA-256 of a text (UTF-8) or bytes: secrets we only need to recognise (sessions,
 * tokens, links) are stored this way, and contents are fingerprinted with it.
 */
export const sha256 = (data: string | Buffer, encoding: 'hex' | 'base64url' = 'hex'): string => crypto.createHash('sha256').update(data).digest(encoding);

export function timingSafeEqualStr(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}
