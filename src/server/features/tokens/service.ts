import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { requirePrincipal, type Principal } from '../../platform/auth/principal.js';
import { TOKEN_PREFIX } from '../../platform/auth/sessions.js';

/** Make a token for the person; the token itself is in this answer only (the row keeps a SHA-256). */
export async function createToken(p: Platform, actor: Actor, b: { name: string; scope: 'read' | 'write'; expiresInDays: number }) {
  const pr = requirePrincipal(actor);
  // A token cannot mint tokens: that needs a person at a browser.
  if (pr.via !== 'session') throw new AppError('FORBIDDEN', 'Create tokens from a signed-in session');
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const row = {
    id: newId(),
    person_id: pr.person.id,
    name: b.name.trim(),
    scope: b.scope,
    token_hash: sha256(token),
    prefix: token.slice(0, 12),
    expires_at: new Date(Date.now() + b.expiresInDays * 86_400_000),
    created_at: new Date(),
  };
  await change(p, async (c) => {
    await c.trx.insertInto('api_tokens').values(row).execute();
    await c.audit({
      action: 'token.created',
      actorId: pr.person.id,
      actorOrgId: pr.organisation.id,
      organisationId: pr.organisation.id,
      targetType: 'api_token',
      targetId: row.id,
      ip: actor.ip,
      details: { name: row.name, scope: row.scope, expiresAt: row.expires_at.toISOString() },
    });
  });
  return { row, token };
}

/** The person's tokens that still work, newest first. */
export function listTokens(p: Platform, pr: Principal) {
  return p.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('person_id', '=', pr.person.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revoke one of the person's own live tokens; anyone else's, or one already revoked, is not found. */
export async function revokeToken(p: Platform, actor: Actor, id: string) {
  const pr = requirePrincipal(actor);
  await change(p, async (c) => {
    const r = await c.trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('person_id', '=', pr.person.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('Token');
    await c.audit({ action: 'token.revoked', actorId: pr.person.id, actorOrgId: pr.organisation.id, organisationId: pr.organisation.id, targetType: 'api_token', targetId: id, ip: actor.ip });
  });
}
