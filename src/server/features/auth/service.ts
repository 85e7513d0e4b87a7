import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import type { Actor, RemoteActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { verifyPassword } from '../../platform/auth/passwords.js';
import { checkTotp, normaliseRecoveryCode } from '../../platform/auth/totp.js';
import { loadPrincipalParts, requirePrincipal, type Principal } from '../../platform/auth/principal.js';
import { createSession, findSession } from '../../platform/auth/sessions.js';
import { checkThrottle, clearThrottle, countFailure, throttleKey } from './throttle.js';
import { revokeAllTokens } from '../tokens/revoke.js';


export function meView(p: Pick<Principal, 'person' | 'organisation' | 'mfaEnrolmentRequired'>, csrfToken: string) {
  return {
    id: p.person.id,
    email: p.person.email,
    name: p.person.name,
    roles: p.person.roles,
    languages: p.person.languages,
    uiLanguage: p.person.uiLanguage,
    timeZone: p.person.timeZone,
    mfaEnabled: p.person.mfaEnabled,
    mfaEnrolmentRequired: p.mfaEnrolmentRequired,
    organisation: p.organisation,
    csrfToken,
  };
}

/** A session for the browser to keep: the caller hands it over (as the session cookie). */
export interface NewSession {
  id: string;
  expiresAt: Date;
}

/** Count a failure for the throttle key and audit it; the same work whether or not the account exists. */
async function recordFailure(p: Platform, actor: RemoteActor, key: string, person: { id: string; organisation_id: string } | undefined, email: string, reason: string) {
  await change(p, async (c) => {
    await countFailure(c.trx, key);
    await c.audit({
      action: 'auth.login_failed',
      actorId: person?.id ?? null,
      actorOrgId: person?.organisation_id ?? null,
      organisationId: person?.organisation_id ?? null,
      ip: actor.ip,
      details: { email: email.slice(0, 254), reason },
    });
  });
}

/** Verify a TOTP code (refusing a replayed step) or consume a recovery code. */
async function checkSecondFactor(p: Platform, personId: string, code: string): Promise<'totp' | 'recovery' | null> {
  const person = await p.db.selectFrom('people').select(['mfa_secret', 'mfa_last_step']).where('id', '=', personId).executeTakeFirstOrThrow();
  if (!person.mfa_secret) return null;
  const step = checkTotp(p.box.open(person.mfa_secret), code);
  if (step !== null) {
    const updated = await p.db
      .updateTable('people')
      .set({ mfa_last_step: step })
      .where('id', '=', personId)
      .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1 ? 'totp' : null;
  }
  const norm = normaliseRecoveryCode(code);
  if (norm.length !== 12) return null;
  const used = await p.db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('person_id', '=', personId)
    .where('code_hash', '=', sha256(norm))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1 ? 'recovery' : null;
}

type LoginAnswer = { status: 'ok'; csrfToken: string; me: ReturnType<typeof meView> } | { status: 'mfa_required' };

async function completeLogin(p: Platform, actor: RemoteActor, heldSession: string | undefined, personId: string, via: string): Promise<{ answer: LoginAnswer; session: NewSession }> {
  const parts = await loadPrincipalParts(p.db, personId);
  if (!parts) throw new AppError('ACCOUNT_DISABLED', 'This account is not active');
  const session = await change(p, async (c) => {
    // Rotate: whatever session the browser had (pending or not) is replaced.
    if (heldSession) await c.trx.deleteFrom('sessions').where('id_hash', '=', sha256(heldSession)).execute();
    await c.trx.updateTable('people').set({ failed_logins: 0, locked_until: null, last_login_at: new Date() }).where('id', '=', personId).execute();
    await clearThrottle(c.trx, [throttleKey('password', parts.person.email, actor.ip), throttleKey('mfa', personId, actor.ip)]);
    const s = await createSession(c.trx, personId, p.config.session, { ip: actor.ip, userAgent: actor.userAgent });
    await c.audit({ action: 'auth.login', actorId: personId, actorOrgId: parts.organisation.id, organisationId: parts.organisation.id, ip: actor.ip, details: { via } });
    return s;
  });
  return { answer: { status: 'ok' as const, csrfToken: session.csrfToken, me: meView(parts, session.csrfToken) }, session: { id: session.id, expiresAt: session.expiresAt } };
}

/**
 * Sign in, in one step or two. `heldSession` is the session the browser holds now (the
 * pending one of a first step, or any other): it is replaced. Every answer comes with
 * the session the browser is to keep from now on.
 */
export async function login(
  p: Platform,
  actor: RemoteActor,
  body: { email?: string; password?: string; code?: string },
  heldSession: string | undefined,
): Promise<{ answer: LoginAnswer; session: NewSession }> {
  // Second step: a code against the pending session set by the first step.
  if (body.email === undefined && body.password === undefined) {
    if (body.code === undefined) throw new AppError('VALIDATION_FAILED', 'Send email and password, or the code of the second step');
    const pending = heldSession ? await findSession(p.db, heldSession, p.config.session) : null;
    if (!pending || !pending.mfaPending) throw new AppError('MFA_REQUIRED', 'Sign in with e-mail and password first');
    const person = await p.db.selectFrom('people').select(['id', 'organisation_id', 'email']).where('id', '=', pending.personId).executeTakeFirstOrThrow();
    const mfaKey = throttleKey('mfa', person.id, actor.ip);
    await checkThrottle(p.db, mfaKey);
    const how = await checkSecondFactor(p, person.id, body.code);
    if (!how) {
      await recordFailure(p, actor, mfaKey, person, person.email, 'mfa_code');
      throw new AppError('INVALID_MFA_CODE', 'That code is not valid');
    }
    if (how === 'recovery')
      await change(p, (c) => c.audit({ action: 'mfa.recovery_code_used', actorId: person.id, actorOrgId: person.organisation_id, organisationId: person.organisation_id, ip: actor.ip }));
    return completeLogin(p, actor, heldSession, person.id, how === 'totp' ? 'password+totp' : 'password+recovery_code');
  }
  if (!body.email || !body.password) throw new AppError('VALIDATION_FAILED', 'Send both email and password');
  const email = body.email.trim();
  const passwordKey = throttleKey('password', email, actor.ip);
  await checkThrottle(p.db, passwordKey);
  const person = await p.db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.organisation_id', 'p.password_hash', 'p.status', 'p.mfa_enabled', 'o.status as org_status'])
    .where(sql`lower(p.email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  const ok = await verifyPassword(person?.password_hash ?? null, body.password);
  if (!person || !ok || person.status !== 'active') {
    await recordFailure(p, actor, passwordKey, person, email, !person ? 'unknown_account' : !ok ? 'password' : 'account_not_active');
    throw new AppError('INVALID_CREDENTIALS', 'E-mail or password is wrong');
  }
  if (person.org_status !== 'approved') {
    await recordFailure(p, actor, passwordKey, person, email, `organisation_${person.org_status}`);
    throw new AppError('ORGANISATION_NOT_APPROVED', `Your organisation is ${person.org_status} on Puente; sign-in is closed`);
  }
  if (person.mfa_enabled) {
    if (body.code !== undefined) {
      const mfaKey = throttleKey('mfa', person.id, actor.ip);
      await checkThrottle(p.db, mfaKey);
      const how = await checkSecondFactor(p, person.id, body.code);
      if (!how) {
        await recordFailure(p, actor, mfaKey, person, email, 'mfa_code');
        throw new AppError('INVALID_MFA_CODE', 'That code is not valid');
      }
      return completeLogin(p, actor, heldSession, person.id, how === 'totp' ? 'password+totp' : 'password+recovery_code');
    }
    const pending = await change(p, async (c) => {
      if (heldSession) await c.trx.deleteFrom('sessions').where('id_hash', '=', sha256(heldSession)).execute();
      return createSession(c.trx, person.id, p.config.session, { ip: actor.ip, userAgent: actor.userAgent, mfaPending: true });
    });
    return { answer: { status: 'mfa_required' as const }, session: { id: pending.id, expiresAt: pending.expiresAt } };
  }
  return completeLogin(p, actor, heldSession, person.id, 'password');
}

/** Sign out this session (a token caller has none: nothing to end). */
export async function logout(p: Platform, actor: Actor) {
  const pr = actor.principal;
  if (!pr?.session) return;
  const idHash = pr.session.idHash;
  await change(p, async (c) => {
    await c.trx.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    await c.audit({ action: 'auth.logout', actorId: pr.person.id, actorOrgId: pr.organisation.id, organisationId: pr.organisation.id, ip: actor.ip });
  });
}

/** Sign out every session of the account and revoke all its API tokens. */
export async function logoutEverywhere(p: Platform, actor: Actor) {
  const pr = requirePrincipal(actor);
  const ip = actor.ip;
  await change(p, async (c) => {
    await c.trx.deleteFrom('sessions').where('person_id', '=', pr.person.id).execute();
    await c.audit({ action: 'auth.logout_everywhere', actorId: pr.person.id, actorOrgId: pr.organisation.id, organisationId: pr.organisation.id, ip });
    await revokeAllTokens(c, { personId: pr.person.id, organisationId: pr.organisation.id, actorId: pr.person.id, actorOrgId: pr.organisation.id, ip }, 'signed_out_everywhere');
  });
}
