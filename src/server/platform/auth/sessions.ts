import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { randomToken, sha256 } from '../ids.js';
import { principalParts, principalQuery, type PrincipalParts } from './principal.js';

export const SESSION_COOKIE = 'puente_session';
export const TOKEN_PREFIX = 'pnt_';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

/** A new session id (returned once, for the cookie) and its stored hash. */
export async function createSession(
  trx: Transaction<DB> | Kysely<DB>,
  personId: string,
  policy: SessionPolicy,
  meta: { ip?: string | null; userAgent?: string | null; mfaPending?: boolean },
): Promise<{ id: string; idHash: string; csrfToken: string; expiresAt: Date }> {
  const id = randomToken(32);
  const idHash = sha256(id);
  const csrfToken = randomToken(24);
  // A pending MFA login gets five minutes to enter the code.
  const expiresAt = new Date(Date.now() + (meta.mfaPending ? 5 * 60_000 : policy.absoluteHours * 3_600_000));
  await trx
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      person_id: personId,
      csrf_token: csrfToken,
      mfa_pending: meta.mfaPending ?? false,
      expires_at: expiresAt,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 400) ?? null,
    })
    .execute();
  return { id, idHash, csrfToken, expiresAt };
}

export interface SessionRow {
  idHash: string;
  personId: string;
  csrfToken: string;
  mfaPending: boolean;
}

/** Resolve a cookie value to a live session, or null (expired by idle or absolute limit, or unknown). */
export async function findSession(db: Kysely<DB>, cookieValue: string, policy: SessionPolicy): Promise<SessionRow | null> {
  if (!cookieValue || cookieValue.length > 100) return null;
  const idHash = sha256(cookieValue);
  const s = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!s) return null;
  const now = Date.now();
  const idleLimit = s.last_seen_at.getTime() + policy.idleMinutes * 60_000;
  if (s.expires_at.getTime() <= now || (!s.mfa_pending && idleLimit <= now)) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  // Touch at most once a minute: idle expiry needs no finer grain, and it saves a write per request.
  if (now - s.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
  }
  return { idHash, personId: s.person_id, csrfToken: s.csrf_token, mfaPending: s.mfa_pending };
}

/**
 * The session behind a cookie and the person it belongs to, in one query: this
 * runs on every signed-in request. Null when there is no live session, or it is
 * a half-finished (MFA pending) sign-in, or the person may not act.
 */
export async function findSessionPrincipal(
  db: Kysely<DB>,
  cookieValue: string,
  policy: SessionPolicy,
): Promise<{ session: SessionRow; parts: PrincipalParts } | null> {
  if (!cookieValue || cookieValue.length > 100) return null;
  const idHash = sha256(cookieValue);
  const row = await principalQuery(db)
    .innerJoin('sessions as s', 's.person_id', 'p.id')
    .select(['s.csrf_token', 's.mfa_pending', 's.last_seen_at', 's.expires_at'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.mfa_pending) return null;
  const now = Date.now();
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + policy.idleMinutes * 60_000 <= now) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
  }
  const parts = principalParts(row);
  if (!parts) return null;
  return { session: { idHash, personId: row.id, csrfToken: row.csrf_token, mfaPending: false }, parts };
}

export interface TokenRow {
  id: string;
  personId: string;
  scope: 'read' | 'write';
}

export async function findToken(db: Kysely<DB>, token: string): Promise<TokenRow | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const t = await db
    .selectFrom('api_tokens')
    .select(['id', 'person_id', 'scope', 'expires_at', 'revoked_at', 'last_used_at'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!t || t.revoked_at || t.expires_at.getTime() <= Date.now()) return null;
  if (!t.last_used_at || Date.now() - t.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', t.id).execute();
  }
  return { id: t.id, personId: t.person_id, scope: t.scope as 'read' | 'write' };
}
