import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { loadPrincipalParts, requirePrincipal, type Principal } from '../../platform/auth/principal.js';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { checkTotp, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, otpauthUrl, qrDataUrl } from '../../platform/auth/totp.js';
import { revokeAllTokens } from '../tokens/revoke.js';

/** The audit fields of someone acting on their own account. */
const audit = (actor: Actor) => {
  const pr = requirePrincipal(actor);
  return { actorId: pr.person.id, actorOrgId: pr.organisation.id, organisationId: pr.organisation.id, ip: actor.ip };
};

async function checkPassword(p: Platform, pr: Principal, password: string) {
  const row = await p.db.selectFrom('people').select('password_hash').where('id', '=', pr.person.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, password))) throw new AppError('WRONG_PASSWORD', 'The password is wrong');
}

async function storeRecoveryCodes(trx: Transaction<DB>, personId: string) {
  const codes = newRecoveryCodes();
  await trx.deleteFrom('recovery_codes').where('person_id', '=', personId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(codes.map((c) => ({ person_id: personId, code_hash: sha256(normaliseRecoveryCode(c)) })))
    .execute();
  return codes;
}

/** Change the profile and language settings; answers the principal's parts as they are now. */
export async function updateMe(p: Platform, pr: Principal, b: { name?: string; languages?: string[]; uiLanguage?: string; timeZone?: string }) {
  await p.db
    .updateTable('people')
    .set({
      ...(b.name !== undefined && { name: b.name.trim() }),
      ...(b.languages && { languages: [...new Set(b.languages)] }),
      ...(b.uiLanguage && { ui_language: b.uiLanguage }),
      ...(b.timeZone && { time_zone: b.timeZone }),
      updated_at: new Date(),
    })
    .where('id', '=', pr.person.id)
    .execute();
  return loadPrincipalParts(p.db, pr.person.id);
}

/** A new password ends the other sessions; the API tokens go too when asked. */
export async function changePassword(p: Platform, actor: Actor, b: { currentPassword: string; newPassword: string; revokeTokens?: boolean }) {
  const pr = requirePrincipal(actor);
  await checkPassword(p, pr, b.currentPassword);
  const hash = await hashPassword(b.newPassword);
  await change(p, async (c) => {
    await c.trx.updateTable('people').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', pr.person.id).execute();
    let q = c.trx.deleteFrom('sessions').where('person_id', '=', pr.person.id);
    if (pr.session) q = q.where('id_hash', '!=', pr.session.idHash);
    await q.execute();
    await c.audit({ action: 'auth.password_changed', ...audit(actor) });
    if (b.revokeTokens) await revokeAllTokens(c, { personId: pr.person.id, ...audit(actor) }, 'password_changed');
  });
}

/** The person's live sessions (not a pending second step), most recently used first. */
export async function listSessions(p: Platform, pr: Principal) {
  return p.db
    .selectFrom('sessions')
    .selectAll()
    .where('person_id', '=', pr.person.id)
    .where('mfa_pending', '=', false)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** End one of the person's sessions, named by the start of its id hash. */
export async function endSession(p: Platform, pr: Principal, idPrefix: string) {
  const r = await p.db
    .deleteFrom('sessions')
    .where('person_id', '=', pr.person.id)
    .where('id_hash', 'like', `${idPrefix}%`)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('Session');
}

export async function setupMfa(p: Platform, pr: Principal) {
  if (pr.person.mfaEnabled) throw new AppError('INVALID_STATE', 'Two-step sign-in is already on; turn it off first to change the device');
  const secret = newTotpSecret();
  await p.db.updateTable('people').set({ mfa_secret: p.box.seal(secret) }).where('id', '=', pr.person.id).execute();
  const url = otpauthUrl(secret, pr.person.email);
  return { secret, otpauthUrl: url, qrDataUrl: await qrDataUrl(url) };
}

export async function enableMfa(p: Platform, actor: Actor, code: string) {
  const pr = requirePrincipal(actor);
  const row = await p.db.selectFrom('people').select(['mfa_secret', 'mfa_enabled']).where('id', '=', pr.person.id).executeTakeFirstOrThrow();
  if (row.mfa_enabled) throw new AppError('INVALID_STATE', 'Two-step sign-in is already on');
  if (!row.mfa_secret) throw new AppError('INVALID_STATE', 'Start with /api/v1/me/mfa/setup');
  const step = checkTotp(p.box.open(row.mfa_secret), code);
  if (step === null) throw new AppError('WRONG_MFA_CODE', 'That code is not valid; check the clock of your device');
  return change(p, async (c) => {
    await c.trx
      .updateTable('people')
      .set({ mfa_enabled: true, mfa_enabled_at: new Date(), mfa_last_step: step })
      .where('id', '=', pr.person.id)
      .execute();
    const recoveryCodes = await storeRecoveryCodes(c.trx, pr.person.id);
    await c.audit({ action: 'mfa.enabled', ...audit(actor) });
    // Tokens made before were obtained with the password alone.
    await revokeAllTokens(c, { personId: pr.person.id, ...audit(actor) }, 'mfa_enabled');
    return { recoveryCodes };
  });
}

export async function disableMfa(p: Platform, actor: Actor, password: string) {
  const pr = requirePrincipal(actor);
  if (pr.organisation.mfaRequired) throw new AppError('INVALID_STATE', 'Your organisation requires two-step sign-in');
  await checkPassword(p, pr, password);
  await change(p, async (c) => {
    await c.trx
      .updateTable('people')
      .set({ mfa_enabled: false, mfa_secret: null, mfa_enabled_at: null, mfa_last_step: null })
      .where('id', '=', pr.person.id)
      .execute();
    await c.trx.deleteFrom('recovery_codes').where('person_id', '=', pr.person.id).execute();
    await c.audit({ action: 'mfa.disabled', ...audit(actor) });
  });
}

export async function replaceRecoveryCodes(p: Platform, actor: Actor, password: string) {
  const pr = requirePrincipal(actor);
  if (!pr.person.mfaEnabled) throw new AppError('INVALID_STATE', 'Two-step sign-in is off');
  await checkPassword(p, pr, password);
  return change(p, async (c) => {
    const recoveryCodes = await storeRecoveryCodes(c.trx, pr.person.id);
    await c.audit({ action: 'mfa.recovery_codes_regenerated', ...audit(actor) });
    return { recoveryCodes };
  });
}
