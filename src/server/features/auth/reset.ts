import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { renderMail } from '../../platform/mail.js';
import { isUiLanguage } from '../../platform/i18n.js';
import { revokeAllTokens } from '../tokens/revoke.js';
import './tables.js';

/** pg-boss queue: `{ id }` handles one request; the cron's `{}` sweeps the ones left behind. */
export const RESET_JOB = 'auth.password_reset';
export const RESET_SWEEP_CRON = '* * * * *';
/** A request this old has lost its own job (or its instance died): the sweep takes it. */
const SWEEP_AFTER_MS = 60_000;
const SWEEP_BATCH = 100;
const LINK_VALID_MS = 3_600_000;

/** SHA-256 (hex) of lower(e-mail), computed by the database on both sides so they agree. */
const emailHash = (email: unknown) => sql<string>`encode(sha256(convert_to(lower(CAST(${email} AS text)), 'UTF8')), 'hex')`;

/**
 * The whole of what answering a reset request does: one row, the same for every
 * address, so that neither the answer nor its timing tells who has an account. The
 * account is looked up later, by processPasswordResetRequest.
 */
export async function requestPasswordReset(p: Platform, actor: Actor, email: string, language?: string): Promise<string> {
  const id = newId();
  await p.db
    .insertInto('password_reset_requests')
    .values({ id, email_hash: emailHash(email.trim()), language: isUiLanguage(language) ? language : null, ip: actor.ip })
    .execute();
  return id;
}

/**
 * Handle one recorded request: when the address belongs to an active account, create
 * the link, queue the mail and audit it. Deleting the row claims it, in the same
 * transaction, so a job, the sweep and another instance never mail the link twice.
 */
export async function processPasswordResetRequest(p: Platform, id: string): Promise<void> {
  await change(p, async (c) => {
    const r = await c.trx.deleteFrom('password_reset_requests').where('id', '=', id).returningAll().executeTakeFirst();
    if (!r) return;
    const person = await c.trx
      .selectFrom('people')
      .select(['id', 'name', 'ui_language', 'organisation_id', 'email'])
      .where(emailHash(sql.ref('email')), '=', r.email_hash)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!person) return;
    const token = randomToken(32);
    const lang = isUiLanguage(person.ui_language) ? person.ui_language : isUiLanguage(r.language) ? r.language : 'en';
    await c.trx
      .insertInto('password_resets')
      .values({ token_hash: sha256(token), person_id: person.id, expires_at: new Date(Date.now() + LINK_VALID_MS) })
      .execute();
    const m = renderMail(lang, 'password_reset', { name: person.name, link: `${p.config.baseUrl}/reset-password?token=${token}` });
    await c.mail({ to: person.email, ...m, purpose: 'password_reset', content: { marking: null, credentialUntil: new Date(Date.now() + LINK_VALID_MS) } });
    await c.audit({ action: 'auth.password_reset_requested', actorId: person.id, organisationId: person.organisation_id, ip: r.ip });
  });
}

/** Requests older than a minute (their job was lost, or the process died after answering). */
export async function sweepPasswordResetRequests(p: Platform, olderThanMs = SWEEP_AFTER_MS): Promise<void> {
  const rows = await p.db
    .selectFrom('password_reset_requests')
    .select('id')
    .where('created_at', '<', new Date(Date.now() - olderThanMs))
    .orderBy('created_at')
    .limit(SWEEP_BATCH)
    .execute();
  for (const r of rows) await processPasswordResetRequest(p, r.id);
}

export async function handlePasswordResetJob(p: Platform, data: Record<string, unknown>): Promise<void> {
  if (typeof data.id === 'string') await processPasswordResetRequest(p, data.id);
  else await sweepPasswordResetRequests(p);
}

export async function completePasswordReset(p: Platform, actor: Actor, token: string, password: string) {
  const hash = await hashPassword(password);
  await change(p, async (c) => {
    const r = await c.trx
      .updateTable('password_resets')
      .set({ used_at: new Date() })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning('person_id')
      .executeTakeFirst();
    if (!r) throw new AppError('GONE', 'This reset link has expired or was already used; ask for a new one');
    const person = await c.trx
      .updateTable('people')
      .set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date() })
      .where('id', '=', r.person_id)
      .returning(['id', 'organisation_id'])
      .executeTakeFirstOrThrow();
    // A reset ends every session and every API token: whoever knew the old password is out.
    await c.trx.deleteFrom('sessions').where('person_id', '=', person.id).execute();
    await c.audit({ action: 'auth.password_reset', ...auditActor(actor), actorId: person.id, organisationId: person.organisation_id });
    await revokeAllTokens(c, { personId: person.id, organisationId: person.organisation_id, actorId: person.id, actorOrgId: person.organisation_id, ip: actor.ip }, 'password_reset');
  });
}
