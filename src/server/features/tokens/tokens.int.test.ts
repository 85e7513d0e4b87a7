import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as OTPAuth from 'otpauth';
import { sha256 } from '../../platform/ids.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, TEST_PASSWORD, type Client, type TestApp } from '../../test/harness.js';
import { waitFor } from '../../test/smtp.js';

let t: TestApp;
let orgId: string;
let owner: { id: string; email: string };
let other: { id: string; email: string };
let admin: { id: string; email: string };
let ownerClient: Client;

const NOTE = { title: 'Patch the VPN concentrators', body: 'CVE in the wild; patch now.', language: 'en', tlp: 'GREEN', pap: 'GREEN' };

async function createToken(c: Client, body: Record<string, unknown>) {
  return c.post('/api/v1/tokens', body);
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
function basic(email: string, token: string) {
  return { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` };
}

beforeAll(async () => {
  t = await createTestApp();
  orgId = await makeOrganisation(t.db, { name: 'CERT Tokens' });
  owner = await makePerson(t.db, orgId, { email: 'owner@tokens.test' });
  other = await makePerson(t.db, orgId, { email: 'other@tokens.test' });
  admin = await makePerson(t.db, orgId, { email: 'admin@tokens.test', roles: ['member', 'org_admin'] });
  ownerClient = await login(t.app, owner.email);
});
afterAll(async () => {
  await t?.close();
});

describe('API tokens', () => {
  it('is created from a session, shown once, and stored only as a SHA-256', async () => {
    const res = await createToken(ownerClient, { name: '  MISP sync  ', scope: 'read', expiresInDays: 30 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token).toMatch(/^pnt_[A-Za-z0-9_-]{40,}$/);
    expect(body).toMatchObject({ name: 'MISP sync', scope: 'read', prefix: body.token.slice(0, 12), lastUsedAt: null });
    const days = (Date.parse(body.expiresAt) - Date.parse(body.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(30, 3);

    const list = await ownerClient.get('/api/v1/tokens');
    expect(list.statusCode).toBe(200);
    const items = list.json() as Record<string, unknown>[];
    expect(items.map((i) => i.id)).toContain(body.id);
    for (const i of items) expect(i).not.toHaveProperty('token');
    expect(list.body).not.toContain(body.token);

    const row = await t.db.selectFrom('api_tokens').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(body.token));
    expect(row.person_id).toBe(owner.id);
    // No stored row anywhere carries the token text (the prefix alone is not the token).
    for (const table of ['api_tokens', 'audit_log', 'events', 'sessions', 'mail_outbox'] as const) {
      const rows = await t.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows), table).not.toContain(body.token);
    }

    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.created').where('target_id', '=', body.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: owner.id, organisation_id: orgId, target_type: 'api_token' });
    expect(audit[0].details).toMatchObject({ name: 'MISP sync', scope: 'read' });
  });

  it('is refused without a session, or without the CSRF header', async () => {
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scope: 'read', expiresInDays: 1 } });
    expect(anon.statusCode).toBe(401);
    const noCsrf = await ownerClient.request('POST', '/api/v1/tokens', { name: 'x', scope: 'read', expiresInDays: 1 }, { 'x-csrf-token': 'wrong' });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_FAILED');
  });

  it('refuses lifetimes outside 1..365 days', async () => {
    const before = await tableCounts(t.db);
    for (const expiresInDays of [0, 366, -1, 1.5]) {
      const res = await createToken(ownerClient, { name: 'bad', scope: 'read', expiresInDays });
      expect(res.statusCode, String(expiresInDays)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const bad = await createToken(ownerClient, { name: 'bad', scope: 'admin', expiresInDays: 1 });
    expect(bad.statusCode).toBe(400);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('works as Bearer and as HTTP Basic with its own e-mail only', async () => {
    const { token } = (await createToken(ownerClient, { name: 'reader', scope: 'read', expiresInDays: 1 })).json();

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: owner.id, email: owner.email, csrfToken: '' });

    const viaBasic = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: basic(owner.email.toUpperCase(), token) });
    expect(viaBasic.statusCode).toBe(200);
    expect(viaBasic.json().id).toBe(owner.id);

    const wrongUser = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: basic(other.email, token) });
    expect(wrongUser.statusCode).toBe(401);
    expect(wrongUser.json().error.code).toBe('INVALID_TOKEN');

    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(`pnt_${'x'.repeat(43)}`) });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_TOKEN');

    const row = await t.db.selectFrom('api_tokens').select('last_used_at').where('token_hash', '=', sha256(token)).executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it('a read token may not write; a write token may, without CSRF', async () => {
    const read = (await createToken(ownerClient, { name: 'r', scope: 'read', expiresInDays: 7 })).json().token;
    const write = (await createToken(ownerClient, { name: 'w', scope: 'write', expiresInDays: 7 })).json().token;

    const readList = await t.app.inject({ method: 'GET', url: '/api/v1/notes', headers: bearer(read) });
    expect(readList.statusCode).toBe(200);

    const before = await tableCounts(t.db);
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/notes', headers: bearer(read), payload: NOTE });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('INSUFFICIENT_SCOPE');
    expect(await tableCounts(t.db)).toEqual(before);

    const created = await t.app.inject({ method: 'POST', url: '/api/v1/notes', headers: bearer(write), payload: NOTE });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ title: NOTE.title, tlp: 'GREEN', author: { id: owner.id } });
    const audit = await t.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'note.created').where('target_id', '=', created.json().id).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(owner.id);
  });

  it('a token cannot mint tokens', async () => {
    const write = (await createToken(ownerClient, { name: 'w2', scope: 'write', expiresInDays: 7 })).json().token;
    const before = await tableCounts(t.db);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(write), payload: { name: 'child', scope: 'write', expiresInDays: 1 } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('DELETE revokes: the token stops working, leaves the list, and the revocation is audited', async () => {
    const created = (await createToken(ownerClient, { name: 'to revoke', scope: 'write', expiresInDays: 7 })).json();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) })).statusCode).toBe(200);

    // Someone else cannot revoke it.
    const otherClient = await login(t.app, other.email);
    const foreign = await otherClient.del(`/api/v1/tokens/${created.id}`);
    expect(foreign.statusCode).toBe(404);

    const del = await ownerClient.del(`/api/v1/tokens/${created.id}`);
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('INVALID_TOKEN');

    const list = (await ownerClient.get('/api/v1/tokens')).json() as { id: string }[];
    expect(list.map((i) => i.id)).not.toContain(created.id);
    expect((await ownerClient.del(`/api/v1/tokens/${created.id}`)).statusCode).toBe(404);

    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.revoked').where('target_id', '=', created.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(owner.id);
  });

  it('an expired token is refused', async () => {
    const created = (await createToken(ownerClient, { name: 'expiring', scope: 'read', expiresInDays: 1 })).json();
    await t.db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', created.id).execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_TOKEN');
  });

  it('the token of a disabled person stops working', async () => {
    const victim = await makePerson(t.db, orgId, { email: 'victim@tokens.test' });
    const victimClient = await login(t.app, victim.email);
    const token = (await createToken(victimClient, { name: 'victim', scope: 'write', expiresInDays: 7 })).json().token;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(200);

    const adminClient = await login(t.app, admin.email);
    const patched = await adminClient.patch(`/api/v1/people/${victim.id}`, { status: 'disabled' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().status).toBe('disabled');

    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_TOKEN');
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/notes', headers: bearer(token), payload: NOTE });
    expect(write.statusCode).toBe(401);
    // The session is gone too.
    expect((await victimClient.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('API tokens end with account recovery', () => {
  /** A person with a working write token and a signed-in session. */
  async function personWithToken() {
    const p = await makePerson(t.db, orgId);
    const c = await login(t.app, p.email);
    const created = (await createToken(c, { name: 'sync', scope: 'write', expiresInDays: 30 })).json();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) })).statusCode).toBe(200);
    return { ...p, c, token: created.token as string, tokenId: created.id as string };
  }
  async function tokenRefused(token: string) {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    return res.statusCode === 401 && res.json().error.code === 'INVALID_TOKEN';
  }
  async function revocationReasons(tokenId: string) {
    const rows = await t.db.selectFrom('audit_log').select(['details', 'target_type']).where('action', '=', 'token.revoked').where('target_id', '=', tokenId).execute();
    return rows.map((r) => (r.details as { reason?: string }).reason);
  }

  it('a password reset revokes every token of the person, each revocation audited', async () => {
    const p = await personWithToken();
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: p.email } })).statusCode).toBe(202);
    const mail = await waitFor('the reset mail', () =>
      t.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', p.email).where('purpose', '=', 'password_reset').executeTakeFirst(),
    );
    const link = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text_body ?? "")![1];
    const done = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token: link, password: 'a fresh and long password' } });
    expect(done.statusCode, done.body).toBe(204);
    expect(await tokenRefused(p.token)).toBe(true);
    expect(await revocationReasons(p.tokenId)).toEqual(['password_reset']);
  });

  it('signing out everywhere revokes every token', async () => {
    const p = await personWithToken();
    expect((await p.c.post('/api/v1/auth/logout-everywhere')).statusCode).toBe(204);
    expect(await tokenRefused(p.token)).toBe(true);
    expect(await revocationReasons(p.tokenId)).toEqual(['signed_out_everywhere']);
  });

  it('a password change revokes the tokens only when asked', async () => {
    const p = await personWithToken();
    const kept = await p.c.post('/api/v1/me/password', { currentPassword: TEST_PASSWORD, newPassword: 'second long password' });
    expect(kept.statusCode, kept.body).toBe(204);
    expect(await tokenRefused(p.token)).toBe(false);
    expect(await revocationReasons(p.tokenId)).toEqual([]);
    const revoked = await p.c.post('/api/v1/me/password', { currentPassword: 'second long password', newPassword: 'third long password', revokeTokens: true });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(await tokenRefused(p.token)).toBe(true);
    expect(await revocationReasons(p.tokenId)).toEqual(['password_changed']);
    expect((await p.c.post('/api/v1/me/password', { currentPassword: 'third long password', newPassword: 'fourth long password', revokeTokens: 'yes' })).statusCode).toBe(400);
  });

  it('turning two-step sign-in on revokes the tokens made before; tokens made after work', async () => {
    const p = await personWithToken();
    const { secret } = (await p.c.post('/api/v1/me/mfa/setup')).json();
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() - 30_000 });
    expect((await p.c.post('/api/v1/me/mfa/enable', { code })).statusCode).toBe(200);
    expect(await tokenRefused(p.token)).toBe(true);
    expect(await revocationReasons(p.tokenId)).toEqual(['mfa_enabled']);
    const fresh = (await createToken(p.c, { name: 'after', scope: 'read', expiresInDays: 1 })).json();
    expect(await tokenRefused(fresh.token)).toBe(false);
  });
});
