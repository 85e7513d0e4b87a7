import { readKey, enums } from 'openpgp';
import { AppError } from '../../platform/errors.js';

export interface KeyInfo {
  /** The armoured public key, re-armoured by openpgp.js (normalised). */
  armored: string;
  fingerprint: string;
  algorithm: string;
  bits: number | null;
  curve: string | null;
  userIds: string[];
  createdAt: string;
  /** null: the key does not expire. */
  expiresAt: string | null;
  expired: boolean;
  revoked: boolean;
}

const MAX_KEY_CHARS = 100_000;

const ALGORITHM_NAMES: Record<string, string> = {
  rsaEncryptSign: 'RSA',
  rsaSign: 'RSA',
  rsaEncrypt: 'RSA',
  dsa: 'DSA',
  elgamal: 'ElGamal',
  ecdsa: 'ECDSA',
  eddsaLegacy: 'EdDSA',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  ecdh: 'ECDH',
  x25519: 'X25519',
  x448: 'X448',
};

const invalid = (message: string) => new AppError('INVALID_KEY', message);

/**
 * Parse and check an armoured OpenPGP public key with openpgp.js. Refuses
 * anything that is not exactly one public key (garbage, private keys, several
 * keys); reports expiry and revocation instead of refusing them, so that the
 * directory can flag them.
 */
export async function parsePublicKey(armored: string, now = new Date()): Promise<KeyInfo> {
  const text = armored.trim();
  if (!text) throw invalid('The OpenPGP key is empty');
  if (text.length > MAX_KEY_CHARS) throw invalid('The OpenPGP key is too large');
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) throw invalid('This is a private key: paste the public key only');
  let key;
  try {
    key = await readKey({ armoredKey: text });
  } catch (e) {
    throw invalid(`Not a readable OpenPGP public key: ${String((e as Error).message).slice(0, 200)}`);
  }
  if (key.isPrivate()) throw invalid('This is a private key: paste the public key only');
  const info = key.getAlgorithmInfo() as { algorithm: string; bits?: number; curve?: string };
  let expiresAt: string | null = null;
  let revoked = false;
  try {
    const exp = await key.getExpirationTime();
    if (exp instanceof Date) expiresAt = exp.toISOString();
  } catch {
    // No valid self-signature at all: not a usable key.
    throw invalid('The OpenPGP key carries no valid self-signature');
  }
  try {
    revoked = await key.isRevoked(undefined, undefined, now);
  } catch {
    revoked = false;
  }
  const userIds = key.getUserIDs().filter((u) => typeof u === 'string' && u.length > 0);
  return {
    armored: key.armor(),
    fingerprint: key.getFingerprint().toUpperCase(),
    algorithm: ALGORITHM_NAMES[info.algorithm] ?? info.algorithm,
    bits: typeof info.bits === 'number' ? info.bits : null,
    curve: info.curve ?? null,
    userIds,
    createdAt: key.getCreationTime().toISOString(),
    expiresAt,
    expired: expiresAt !== null && new Date(expiresAt).getTime() <= now.getTime(),
    revoked,
  };
}

// enums is re-exported for tests that want to check algorithm ids.
export { enums };
