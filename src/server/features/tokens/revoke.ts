import type { Change } from '../../platform/deps.js';

/** Why every token of a person was revoked at once: recorded in each token's audit entry. */
export type TokenRevocationReason = 'password_reset' | 'password_changed' | 'signed_out_everywhere' | 'mfa_enabled';

/**
 * Revoke every live API token of a person, within the change that causes it, with one
 * `token.revoked` audit entry per token. Recovering an account (a reset, "sign out
 * everywhere", turning two-step sign-in on) must also shut out whoever copied a token.
 */
export async function revokeAllTokens(
  c: Change,
  who: { personId: string; organisationId: string; actorId: string | null; actorOrgId: string | null; ip: string | null },
  reason: TokenRevocationReason,
): Promise<number> {
  const now = new Date();
  const revoked = await c.trx
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('person_id', '=', who.personId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'name'])
    .execute();
  for (const t of revoked)
    await c.audit({
      action: 'token.revoked',
      actorId: who.actorId,
      actorOrgId: who.actorOrgId,
      organisationId: who.organisationId,
      targetType: 'api_token',
      targetId: t.id,
      ip: who.ip,
      details: { name: t.name, reason },
    });
  return revoked.length;
}
