import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { sql } from 'kysely';
import { clientFor, cookieFrom, createTestApp, login, makeOrganisation, makePerson, TEST_PASSWORD, type TestApp } from '../../test/harness.js';
import { lockoutMs } from './throttle.js';
import { throttleKey } from './throttle.js';
import { waitFor } from '../../test/smtp.js';

let t: TestApp;
let org: string;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganisation(t.db, { country: 'CL' });
});
afterAll(async () => t?.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
/** A sign-in attempt from a given client address. */
const attempt = (from: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object, headers, remoteAddress: from });
const outcome = (res: { statusCode: number; json(): { error?: { code: string } } }) => `${res.statusCode} ${res.json().error?.code ?? 'ok'}`;
const totpFor = (secret: string, at = Date.now()) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: at });

describe('sign-in and sessions', () => {
  it('signs in, answers /me with the contract fields and a CSRF token, and signs out', async () => {
    const p = await makePerson(t.db, org, { name: 'Camila Rojas' });
    const res = await post('/api/v1/auth/login', { email: p.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    const cookie = res.cookies.find((c) => c.name === 'puente_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const c = clientFor(t.app, cookieFrom(res), body.csrfToken);
    const me = (await c.get('/api/v1/me')).json();
    expect(me).toMatchObject({ id: p.id, email: p.email, name: 'Camila Rojas', roles: ['member'], csrfToken: body.csrfToken });
    expect(me.organisation).toMatchObject({ id: org, country: 'CL', type: 'national_csirt' });
    expect(Object.keys(me)).toEqual(expect.arrayContaining(['id', 'email', 'name', 'roles', 'languages', 'organisation', 'csrfToken']));
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('answers the session probe with 200 signed in or not (GET /me keeps its 401)', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ signedIn: false });
    const stale = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: 'puente_session=not-a-session' } });
    expect([stale.statusCode, stale.json()]).toEqual([200, { signedIn: false }]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);

    const p = await makePerson(t.db, org, { name: 'Probe Person' });
    const c = await login(t.app, p.email);
    const probe = await c.get('/api/v1/auth/session');
    expect(probe.statusCode).toBe(200);
    const me = (await c.get('/api/v1/me')).json();
    expect(probe.json()).toEqual({ signedIn: true, me });
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/v1/auth/session')).json()).toEqual({ signedIn: false });
  });

  it('refuses wrong passwords and unknown accounts alike, and audits the failure', async () => {
    const p = await makePerson(t.db, org);
    const wrong = await post('/api/v1/auth/login', { email: p.email, password: 'not the password' });
    const unknown = await post('/api/v1/auth/login', { email: 'nobody@example.test', password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().error).toEqual(wrong.json().error);
    const audit = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.login_failed').where('actor_id', '=', p.id).execute();
    expect(audit.length).toBe(1);
  });

  it('rotates the session id at sign-in', async () => {
    const p = await makePerson(t.db, org);
    const first = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    const second = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD }, { cookie: cookieFrom(first) });
    expect(cookieFrom(second)).not.toBe(cookieFrom(first));
    // The old session is gone.
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: cookieFrom(first) } })).statusCode).toBe(401);
  });

  it('backs off progressively after repeated failures, with Retry-After', async () => {
    expect([4, 5, 6, 7, 20].map(lockoutMs)).toEqual([0, 30_000, 60_000, 120_000, 900_000]);
    const p = await makePerson(t.db, org);
    for (let i = 0; i < 5; i++) expect((await post('/api/v1/auth/login', { email: p.email, password: 'wrong password!' })).statusCode).toBe(401);
    // Locked now: even the right password waits.
    const locked = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('LOGIN_THROTTLED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const key = throttleKey('password', p.email, '127.0.0.1');
    await t.db.updateTable('login_throttle').set({ locked_until: new Date(Date.now() - 1000) }).where('key_hash', '=', key).execute();
    expect((await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD })).statusCode).toBe(200);
    // Success clears the counter of that e-mail and network.
    expect(await t.db.selectFrom('login_throttle').select('failures').where('key_hash', '=', key).execute()).toEqual([]);
  });

  it('answers an existing and an unknown address alike, lock included, and stores no address', async () => {
    const p = await makePerson(t.db, org);
    const unknown = `nobody-${p.id.slice(-8)}@example.test`;
    const seen: Record<string, string[]> = {};
    for (const email of [p.email, unknown]) {
      seen[email] = [];
      for (let i = 0; i < 7; i++) seen[email].push(outcome(await attempt('192.0.2.10', { email, password: 'not the password' })));
    }
    expect(seen[unknown]).toEqual(seen[p.email]);
    expect(seen[p.email]).toEqual([...Array(5).fill('401 INVALID_CREDENTIALS'), '429 LOGIN_THROTTLED', '429 LOGIN_THROTTLED']);
    const rows = await t.db.selectFrom('login_throttle').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(p.email);
    expect(JSON.stringify(rows)).not.toContain(unknown);
  });

  it('never locks the owner out because of failures from another network (IPv4 address, IPv6 /64)', async () => {
    const secOrg = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const p = await makePerson(t.db, secOrg, { roles: ['member', 'org_admin', 'secretariat'] });
    for (let i = 0; i < 7; i++) await attempt('203.0.113.66', { email: p.email, password: 'attacker guess' });
    for (let i = 0; i < 7; i++) await attempt('2001:db8:66:1::1', { email: p.email, password: 'attacker guess' });
    // The attacker's networks are locked, even with the right password…
    expect(outcome(await attempt('203.0.113.66', { email: p.email, password: TEST_PASSWORD }))).toBe('429 LOGIN_THROTTLED');
    expect(outcome(await attempt('2001:db8:66:1:ffff::2', { email: p.email, password: TEST_PASSWORD }))).toBe('429 LOGIN_THROTTLED');
    // …the owner elsewhere is not.
    expect(outcome(await attempt('198.51.100.20', { email: p.email, password: TEST_PASSWORD }))).toBe('200 ok');
    expect(outcome(await attempt('2001:db8:66:2::1', { email: p.email, password: TEST_PASSWORD }))).toBe('200 ok');
  });

  it('expires sessions after the idle limit and at the absolute limit', async () => {
    const p = await makePerson(t.db, org);
    const c = await login(t.app, p.email);
    const idleMinutes = t.deps.config.session.idleMinutes;
    await t.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - (idleMinutes + 1) * 60_000) }).where('person_id', '=', p.id).execute();
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    const c2 = await login(t.app, p.email);
    await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('person_id', '=', p.id).execute();
    expect((await c2.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('lists sessions, revokes one, and signs out everywhere', async () => {
    const p = await makePerson(t.db, org);
    const a = await login(t.app, p.email);
    const b = await login(t.app, p.email);
    const list = (await a.get('/api/v1/me/sessions')).json();
    expect(list).toHaveLength(2);
    const other = list.find((s: { current: boolean }) => !s.current);
    expect((await a.del(`/api/v1/me/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await b.get('/api/v1/me')).statusCode).toBe(401);
    const c = await login(t.app, p.email);
    expect((await a.post('/api/v1/auth/logout-everywhere')).statusCode).toBe(204);
    expect((await a.get('/api/v1/me')).statusCode).toBe(401);
    expect((await c.get('/api/v1/me')).statusCode).toBe(401);
    expect(await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'auth.logout_everywhere').where('actor_id', '=', p.id).execute()).toHaveLength(1);
  });

  it('requires the CSRF token for cookie-authenticated writes', async () => {
    const p = await makePerson(t.db, org);
    const c = await login(t.app, p.email);
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: c.cookie }, payload: { name: 'Changed' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: c.cookie, 'x-csrf-token': 'x'.repeat(32) }, payload: { name: 'Changed' } });
    expect(wrong.statusCode).toBe(403);
    const row = await t.db.selectFrom('people').select('name').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.name).not.toBe('Changed');
    const ok = await c.patch('/api/v1/me', { name: 'Changed', uiLanguage: 'pt', timeZone: 'America/Sao_Paulo', languages: ['pt', 'es'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Changed', uiLanguage: 'pt', timeZone: 'America/Sao_Paulo', languages: ['pt', 'es'] });
    expect((await c.patch('/api/v1/me', { timeZone: 'Mars/Olympus' })).json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses sign-in to people of organisations that are not approved', async () => {
    const suspended = await makeOrganisation(t.db, { status: 'suspended' });
    const p = await makePerson(t.db, suspended);
    const res = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ORGANISATION_NOT_APPROVED');
  });
});

describe('two-step sign-in (TOTP)', () => {
  async function enrol(email: string) {
    const c = await login(t.app, email);
    const setup = await c.post('/api/v1/me/mfa/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Puente:/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await c.post('/api/v1/me/mfa/enable', { code: '000000' })).json().error.code).toBe('WRONG_MFA_CODE');
    // The previous step's code: a fresh one could collide with the next login's.
    const enabled = await c.post('/api/v1/me/mfa/enable', { code: totpFor(secret, Date.now() - 30_000) });
    expect(enabled.statusCode).toBe(200);
    return { c, secret, recoveryCodes: enabled.json().recoveryCodes as string[] };
  }

  it('enrols, then asks for the code at sign-in, refuses a replayed code, accepts each recovery code once', async () => {
    const p = await makePerson(t.db, org);
    const { secret, recoveryCodes } = await enrol(p.email);
    expect(recoveryCodes).toHaveLength(10);
    const row = await t.db.selectFrom('people').select(['mfa_secret', 'mfa_enabled']).where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.mfa_enabled).toBe(true);
    expect(row.mfa_secret).not.toContain(secret); // sealed at rest

    const step1 = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    expect(step1.json()).toEqual({ status: 'mfa_required' });
    const pending = cookieFrom(step1);
    // A pending login is not a session.
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: pending } })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { code: '123456' }, { cookie: pending })).json().error.code).toBe('INVALID_MFA_CODE');
    const code = totpFor(secret);
    const step2 = await post('/api/v1/auth/login', { code }, { cookie: pending });
    expect(step2.statusCode).toBe(200);
    expect(step2.json().status).toBe('ok');
    expect(cookieFrom(step2)).not.toBe(pending);

    // The same code again (same time step) is a replay.
    const again = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    expect((await post('/api/v1/auth/login', { code }, { cookie: cookieFrom(again) })).json().error.code).toBe('INVALID_MFA_CODE');

    const withRecovery = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    expect((await post('/api/v1/auth/login', { code: recoveryCodes[0].toUpperCase() }, { cookie: cookieFrom(withRecovery) })).statusCode).toBe(200);
    const reused = await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD });
    expect((await post('/api/v1/auth/login', { code: recoveryCodes[0] }, { cookie: cookieFrom(reused) })).statusCode).toBe(401);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('actor_id', '=', p.id).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['mfa.enabled', 'mfa.recovery_code_used', 'auth.login']));
  });

  it('throttles the second step per account and network, without locking the owner out elsewhere', async () => {
    const p = await makePerson(t.db, org);
    const { secret } = await enrol(p.email);
    const step1 = await attempt('192.0.2.77', { email: p.email, password: TEST_PASSWORD });
    expect(step1.json()).toEqual({ status: 'mfa_required' });
    const pending = { cookie: cookieFrom(step1) };
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push(outcome(await attempt('192.0.2.77', { code: '000000' }, pending)));
    expect(codes).toEqual([...Array(5).fill('401 INVALID_MFA_CODE'), '429 LOGIN_THROTTLED', '429 LOGIN_THROTTLED']);
    // The one-step form (e-mail, password and code) is held by the same key.
    expect(outcome(await attempt('192.0.2.77', { email: p.email, password: TEST_PASSWORD, code: totpFor(secret) }))).toBe('429 LOGIN_THROTTLED');
    // From another address the owner signs in with both steps.
    const own = await attempt('198.51.100.77', { email: p.email, password: TEST_PASSWORD });
    expect(own.json()).toEqual({ status: 'mfa_required' });
    expect(outcome(await attempt('198.51.100.77', { code: totpFor(secret) }, { cookie: cookieFrom(own) }))).toBe('200 ok');
  });

  it('sends a code without a pending login to the first step', async () => {
    const res = await post('/api/v1/auth/login', { code: '123456' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('MFA_REQUIRED');
  });

  it('lets the organisation make MFA mandatory: until enrolled, only enrolment is allowed; it cannot then be switched off', async () => {
    const strictOrg = await makeOrganisation(t.db, { mfaRequired: true });
    const p = await makePerson(t.db, strictOrg);
    const c = await login(t.app, p.email);
    expect((await c.get('/api/v1/me')).json().mfaEnrolmentRequired).toBe(true);
    const blocked = await c.get('/api/v1/notes');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    const setup = (await c.post('/api/v1/me/mfa/setup')).json();
    expect((await c.post('/api/v1/me/mfa/enable', { code: totpFor(setup.secret) })).statusCode).toBe(200);
    expect((await c.get('/api/v1/notes')).statusCode).toBe(200);
    const off = await c.post('/api/v1/me/mfa/disable', { password: TEST_PASSWORD });
    expect(off.statusCode).toBe(409);
    expect(off.json().error.code).toBe('INVALID_STATE');
  });

  it('turns MFA off with the password and replaces recovery codes', async () => {
    const p = await makePerson(t.db, org);
    const { c } = await enrol(p.email);
    expect((await c.post('/api/v1/me/mfa/recovery-codes', { password: 'wrong password' })).statusCode).toBe(403);
    const fresh = await c.post('/api/v1/me/mfa/recovery-codes', { password: TEST_PASSWORD });
    expect(fresh.json().recoveryCodes).toHaveLength(10);
    expect((await c.post('/api/v1/me/mfa/disable', { password: TEST_PASSWORD })).statusCode).toBe(204);
    expect((await post('/api/v1/auth/login', { email: p.email, password: TEST_PASSWORD })).json().status).toBe('ok');
    const codes = await t.db.selectFrom('recovery_codes').select(sql`count(*)`.as('n')).where('person_id', '=', p.id).executeTakeFirstOrThrow();
    expect(Number(codes.n)).toBe(0);
  });
});

describe('passwords', () => {
  it('changes the password, ending other sessions', async () => {
    const p = await makePerson(t.db, org);
    const a = await login(t.app, p.email);
    const b = await login(t.app, p.email);
    expect((await a.post('/api/v1/me/password', { currentPassword: 'wrong', newPassword: 'a brand new password' })).json().error.code).toBe('WRONG_PASSWORD');
    expect((await a.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' })).statusCode).toBe(400);
    expect((await a.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' })).statusCode).toBe(204);
    expect((await a.get('/api/v1/me')).statusCode).toBe(200);
    expect((await b.get('/api/v1/me')).statusCode).toBe(401);
    await login(t.app, p.email, 'a brand new password');
  });

  it('resets a forgotten password through the e-mailed link, once', async () => {
    const p = await makePerson(t.db, org);
    const s = await login(t.app, p.email);
    expect((await post('/api/v1/auth/password-reset', { email: 'nobody@example.test' })).statusCode).toBe(202);
    expect((await post('/api/v1/auth/password-reset', { email: p.email })).statusCode).toBe(202);
    // The mail is made after the answer (see reset.ts): wait for it.
    const mail = await waitFor('the reset mail in the outbox', () =>
      t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', p.email).where('purpose', '=', 'password_reset').executeTakeFirst(),
    );
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text_body ?? "")![1];
    expect((await post('/api/v1/auth/password-reset/complete', { token, password: 'another good password' })).statusCode).toBe(204);
    expect((await s.get('/api/v1/me')).statusCode).toBe(401);
    const reused = await post('/api/v1/auth/password-reset/complete', { token, password: 'yet another password' });
    expect(reused.statusCode).toBe(410);
    expect(reused.json().error.code).toBe('GONE');
    await login(t.app, p.email, 'another good password');
  });
});
