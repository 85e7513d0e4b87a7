import net from 'node:net';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import './tables.js';

const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;
/** Counters untouched this long are purged by the clean-up job (far beyond the longest lock). */
export const THROTTLE_RETENTION_MS = 24 * 3_600_000;

/** Milliseconds a key stays locked after its n-th failed attempt: 30 s doubling from the 5th, at most 15 min. */
export function lockoutMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, 30_000 * 2 ** (failures - FREE_FAILURES));
}

function ipv6Hextets(ip: string): string[] | null {
  let s = ip;
  const tail: string[] = [];
  // An IPv4 tail (::ffff:192.0.2.1, 64:ff9b::192.0.2.1) is two hextets.
  const dot = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dot) {
    const b = dot[1].split('.').map(Number);
    tail.push(((b[0] << 8) | b[1]).toString(16), ((b[2] << 8) | b[3]).toString(16));
    s = s.slice(0, -dot[1].length);
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1);
  }
  const [head, rest] = s.split('::');
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - tail.length - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return null;
  return [...left, ...Array(missing).fill('0'), ...right, ...tail].map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * The client network a failure is counted for: the IPv4 address, or the /64 of an
 * IPv6 address (one subscriber usually holds a whole /64, so counting single IPv6
 * addresses would let one attacker rotate through billions of them).
 */
export function clientNetwork(ip: string): string {
  const bare = ip.split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (net.isIPv4(bare)) return bare;
  if (!net.isIPv6(bare)) return bare;
  const h = ipv6Hextets(bare);
  return h ? `${h.slice(0, 4).join(':')}::/64` : bare;
}

/**
 * The throttle key of a sign-in step. The first step counts per typed e-mail (known
 * or not: both answer alike) and client network; the second per account and client
 * network. Failures elsewhere never lock out the owner at their own address.
 */
export function throttleKey(step: 'password' | 'mfa', subject: string, ip: string): string {
  return sha256(`${step}\n${step === 'password' ? subject.trim().toLowerCase() : subject}\n${clientNetwork(ip)}`);
}

/** Refuse with LOGIN_THROTTLED while the key is locked. */
export async function checkThrottle(db: Kysely<DB>, key: string): Promise<void> {
  const row = await db.selectFrom('login_throttle').select('locked_until').where('key_hash', '=', key).executeTakeFirst();
  const until = row?.locked_until?.getTime() ?? 0;
  if (until <= Date.now()) return;
  const secs = Math.ceil((until - Date.now()) / 1000);
  throw new AppError('LOGIN_THROTTLED', `Too many failed sign-in attempts; try again in ${secs} s`, { retryAfterSeconds: secs }, { 'retry-after': String(secs) });
}

export async function countFailure(trx: Transaction<DB>, key: string): Promise<void> {
  const now = new Date();
  const row = await trx
    .insertInto('login_throttle')
    .values({ key_hash: key, failures: 1, locked_until: null, updated_at: now })
    .onConflict((oc) => oc.column('key_hash').doUpdateSet((eb) => ({ failures: eb('login_throttle.failures', '+', 1), updated_at: now })))
    .returning('failures')
    .executeTakeFirstOrThrow();
  const lock = lockoutMs(row.failures);
  if (lock) await trx.updateTable('login_throttle').set({ locked_until: new Date(now.getTime() + lock) }).where('key_hash', '=', key).execute();
}

export async function clearThrottle(trx: Transaction<DB> | Kysely<DB>, keys: string[]): Promise<void> {
  await trx.deleteFrom('login_throttle').where('key_hash', 'in', keys).execute();
}

export async function pruneLoginThrottle(db: Kysely<DB>): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('updated_at', '<', new Date(Date.now() - THROTTLE_RETENTION_MS))
    .execute();
}
