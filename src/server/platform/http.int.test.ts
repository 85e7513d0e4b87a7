/**
 * The HTTP edge: bad input of every kind is refused with a 4xx, a stable error
 * code and an unchanged database; odd but valid text round-trips byte for byte;
 * limits, CSRF, security headers, CORS and the 5xx envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { clientFor, cookieFrom, createTestApp, login, makeOrganisation, makePerson, tableCounts, TEST_PASSWORD, type Client, type TestApp } from '../test/harness.js';

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error as { code: string; message: string; details: unknown };
}

const note = (over: Record<string, unknown> = {}) => ({ title: 'A note', body: 'Body text', language: 'en', tlp: 'GREEN', pap: 'GREEN', ...over });

describe('HTTP edge: bad input changes nothing', () => {
  let t: TestApp;
  let member: Client;
  let email: string;

  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db, { status: 'approved' });
    ({ email } = await makePerson(t.db, org, { roles: ['member'] }));
    member = await login(t.app, email);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Send a refused request and show that no table changed. */
  async function refused(send: () => Promise<LightMyRequestResponse>, status: number, code: string) {
    const before = await tableCounts(t.db);
    const res = await send();
    const err = expectError(res, status, code);
    expect(await tableCounts(t.db)).toEqual(before);
    return err;
  }

  const raw = (method: string, url: string, payload: string | Buffer, contentType = 'application/json', extra: Record<string, string> = {}) =>
    t.app.inject({ method: method as 'POST', url, payload, headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': contentType, ...extra } });

  it('malformed JSON → 400 INVALID_JSON', async () => {
    await refused(() => raw('POST', '/api/v1/notes', '{"title": "x", "body": '), 400, 'INVALID_JSON');
    await refused(() => raw('POST', '/api/v1/tokens', "{name:'x'}"), 400, 'INVALID_JSON');
  });

  it('wrong types → 400 VALIDATION_FAILED (no coercion of body fields)', async () => {
    const e1 = await refused(() => member.post('/api/v1/tokens', { name: 'ci', scope: 'read', expiresInDays: '7' }), 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(e1.details)).toContain('expiresInDays');
    await refused(() => member.post('/api/v1/notes', note({ tlp: 5 })), 400, 'VALIDATION_FAILED');
    await refused(() => member.post('/api/v1/notes', note({ title: ['array'] })), 400, 'VALIDATION_FAILED');
    await refused(() => member.post('/api/v1/notes', note({ tlp: 'PURPLE' })), 400, 'VALIDATION_FAILED');
  });

  it('unknown fields → 400 VALIDATION_FAILED', async () => {
    await refused(() => member.post('/api/v1/tokens', { name: 'ci', scope: 'read', expiresInDays: 7, admin: true }), 400, 'VALIDATION_FAILED');
    await refused(() => member.post('/api/v1/notes', note({ authorId: '00000000-0000-4000-8000-000000000000' })), 400, 'VALIDATION_FAILED');
  });

  it('missing body → 400', async () => {
    // No body at all (no content-type): the schema requires an object.
    await refused(() => t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie: member.cookie, 'x-csrf-token': member.csrf } }), 400, 'VALIDATION_FAILED');
    // An empty body declared as JSON.
    await refused(() => raw('POST', '/api/v1/tokens', ''), 400, 'INVALID_JSON');
    // A JSON body with the required fields missing.
    await refused(() => member.post('/api/v1/tokens', {}), 400, 'VALIDATION_FAILED');
    await refused(() => member.post('/api/v1/notes', { title: 'only a title' }), 400, 'VALIDATION_FAILED');
  });

  it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    await refused(() => raw('POST', '/api/v1/notes', JSON.stringify(note()), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused(() => raw('POST', '/api/v1/tokens', 'name=ci&scope=read&expiresInDays=7', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('NUL in a string → 400 VALIDATION_FAILED', async () => {
    await refused(() => member.post('/api/v1/notes', note({ title: 'before\u0000after' })), 400, 'VALIDATION_FAILED');
    await refused(() => member.post('/api/v1/notes', note({ body: 'x\u0000' })), 400, 'VALIDATION_FAILED');
    await refused(() => member.post('/api/v1/tokens', { name: '\u0000', scope: 'read', expiresInDays: 7 }), 400, 'VALIDATION_FAILED');
    // In a query string too.
    await refused(() => member.get('/api/v1/notes?q=a%00b'), 400, 'VALIDATION_FAILED');
  });

  it('exotic Unicode is accepted and read back byte-identical', async () => {
    const samples = [
      'Emoji 🛡️🔐👩🏽‍💻🇪🇺🇧🇷 family 👨‍👩‍👧‍👦',
      'RTL: مرحبا بالعالم — שלום עולם ‏‎ mixed ltr',
      'Combining: e\u0301 a\u0308 n\u0303 Z\u0335\u0321\u0322a\u0336\u0327l\u0334g\u0337o',
      '4-byte: 𝕳𝖊𝖑𝖑𝖔 𠜎𠜱𠝹 𓀀𓁐 🀄',
      'Misc: zero\u200Bwidth, nbsp\u00A0here, BOM\uFEFF, line\u2028sep, ¿ñÇ€ «»',
      'Latin accents: Ação São João — Peña, Fuentes, Xicará',
    ];
    const ids: string[] = [];
    for (const s of samples) {
      const res = await member.post('/api/v1/notes', note({ title: `T ${s}`, body: `${s}\n\n${s}` }));
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json();
      expect(created.title).toBe(`T ${s}`);
      expect(created.body).toBe(`${s}\n\n${s}`);
      ids.push(created.id);
    }
    for (let i = 0; i < samples.length; i++) {
      const res = await member.get(`/api/v1/notes/${ids[i]}`);
      expect(res.statusCode).toBe(200);
      const n = res.json();
      expect(Buffer.from(n.title, 'utf8').equals(Buffer.from(`T ${samples[i]}`, 'utf8'))).toBe(true);
      expect(Buffer.from(n.body, 'utf8').equals(Buffer.from(`${samples[i]}\n\n${samples[i]}`, 'utf8'))).toBe(true);
      // And in the database itself.
      const row = await t.db.selectFrom('notes').select(['title', 'body']).where('id', '=', ids[i]).executeTakeFirstOrThrow();
      expect(row.body).toBe(`${samples[i]}\n\n${samples[i]}`);
    }
    // Search finds the 4-byte text.
    const s = await member.get(`/api/v1/notes?q=${encodeURIComponent('𠜎𠜱')}`);
    expect(s.statusCode).toBe(200);
    expect(s.json().items.map((x: { id: string }) => x.id)).toEqual([ids[3]]);
  });

  it('SQL-looking strings are stored and searched literally', async () => {
    const tricky = {
      drop: `Robert'); DROP TABLE notes; -- '; DROP TABLE notes; --`,
      percent: 'Discount 100% guaranteed',
      underscore: 'snake_case_identifier',
      backslash: 'C:\\Windows\\System32 and \\\\server\\share',
    };
    const ids: Record<string, string> = {};
    for (const [k, v] of Object.entries(tricky)) {
      const res = await member.post('/api/v1/notes', note({ title: `sql-${k}`, body: v }));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().body).toBe(v);
      ids[k] = res.json().id;
    }
    // A note holding none of the special characters, which no literal search below may match.
    const plain = await member.post('/api/v1/notes', note({ title: 'plain', body: 'nothing special here' }));
    expect(plain.statusCode).toBe(201);

    const search = async (q: string) => {
      const res = await member.get(`/api/v1/notes?q=${encodeURIComponent(q)}&limit=500`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((x) => x.id).sort();
    };
    expect(await search(`'; DROP TABLE notes; --`)).toEqual([ids.drop]);
    expect(await search(`Robert')`)).toEqual([ids.drop]);
    // The table is still there.
    expect((await tableCounts(t.db)).notes).toBeGreaterThan(4);
    // LIKE wildcards in the term are literal characters, not wildcards.
    expect(await search('%')).toEqual([ids.percent]);
    expect(await search('100%')).toEqual([ids.percent]);
    expect(await search('_')).toEqual([ids.underscore]);
    expect(await search('snake_case')).toEqual([ids.underscore]);
    expect(await search('\\')).toEqual([ids.backslash]);
    expect(await search('C:\\Windows')).toEqual([ids.backslash]);
    expect(await search('\\\\server')).toEqual([ids.backslash]);
    // A term that is only wildcards-in-disguise matches nothing.
    expect(await search('%_%')).toEqual([]);
  });

  it('invalid UUID in the path → 400 VALIDATION_FAILED', async () => {
    await refused(() => member.get('/api/v1/notes/not-a-uuid'), 400, 'VALIDATION_FAILED');
    await refused(() => member.del("/api/v1/notes/1' OR '1'='1"), 400, 'VALIDATION_FAILED');
    await refused(() => member.del('/api/v1/tokens/12345'), 400, 'VALIDATION_FAILED');
  });

  it('unknown route → 404 NOT_FOUND envelope', async () => {
    const e = await refused(() => member.get('/api/v1/no-such-thing'), 404, 'NOT_FOUND');
    expect(e.message).toContain('/api/v1/no-such-thing');
    await refused(() => t.app.inject({ method: 'GET', url: '/api/v2/notes' }), 404, 'NOT_FOUND');
    await refused(() => member.del('/api/v1/notes'), 404, 'NOT_FOUND');
  });

  it('unauthenticated → 401 UNAUTHENTICATED', async () => {
    await refused(() => t.app.inject({ method: 'GET', url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
    await refused(() => t.app.inject({ method: 'GET', url: '/api/v1/communities' }), 401, 'UNAUTHENTICATED');
    await refused(
      () => t.app.inject({ method: 'POST', url: '/api/v1/notes', payload: note() }),
      401,
      'UNAUTHENTICATED',
    );
    // A forged cookie is no session.
    await refused(() => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'puente_session=forged' } }), 401, 'UNAUTHENTICATED');
  });

  it('cookie-authenticated POST without (or with a wrong) X-CSRF-Token → 403 CSRF_FAILED, nothing changed', async () => {
    const payload = JSON.stringify(note({ title: 'csrf' }));
    await refused(
      () => t.app.inject({ method: 'POST', url: '/api/v1/notes', payload, headers: { cookie: member.cookie, 'content-type': 'application/json' } }),
      403,
      'CSRF_FAILED',
    );
    await refused(
      () => t.app.inject({ method: 'POST', url: '/api/v1/notes', payload, headers: { cookie: member.cookie, 'content-type': 'application/json', 'x-csrf-token': 'wrong' } }),
      403,
      'CSRF_FAILED',
    );
    await refused(
      () => t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', scope: 'write', expiresInDays: 1 }, headers: { cookie: member.cookie } }),
      403,
      'CSRF_FAILED',
    );
    // The CSRF token of another session does not fit this one.
    const other = clientFor(t.app, member.cookie, (await login(t.app, email)).csrf);
    await refused(() => other.post('/api/v1/notes', note()), 403, 'CSRF_FAILED');
  });

  it('security headers and a closed CORS policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: member.cookie, origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    // Neither on a preflight.
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/notes',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-csrf-token' },
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    // The session cookie is HttpOnly and SameSite.
    const lg = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    const set = String(lg.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    // An error is JSON with the same headers.
    const err = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(err.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('HTTP edge: body limit', () => {
  let t: TestApp;
  let member: Client;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUENTE_BODY_LIMIT: '2048' } });
    const org = await makeOrganisation(t.db);
    const { email } = await makePerson(t.db, org);
    member = await login(t.app, email);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a body over PUENTE_BODY_LIMIT → 413 PAYLOAD_TOO_LARGE, nothing changed', async () => {
    const before = await tableCounts(t.db);
    const res = await member.post('/api/v1/notes', note({ body: 'x'.repeat(5 * 1024) }));
    const e = expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(e.details).toEqual({ limitBytes: 2048 });
    expect(await tableCounts(t.db)).toEqual(before);
    // Just under the limit is fine.
    const ok = await member.post('/api/v1/notes', note({ body: 'x'.repeat(1500) }));
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('HTTP edge: rate limits', () => {
  let t: TestApp;
  let email: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUENTE_RATE_LIMIT_API: '5', PUENTE_RATE_LIMIT_LOGIN: '3' } });
    const org = await makeOrganisation(t.db);
    ({ email } = await makePerson(t.db, org));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the 6th API call within the minute → 429 RATE_LIMITED with Retry-After', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD }, remoteAddress: '10.0.0.1' });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = cookieFrom(res);
    for (let i = 1; i <= 5; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie }, remoteAddress: '10.0.0.1' });
      expect(r.statusCode, `call ${i}: ${r.body}`).toBe(200);
    }
    const r6 = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie }, remoteAddress: '10.0.0.1' });
    const e = expectError(r6, 429, 'RATE_LIMITED');
    const retry = Number(r6.headers['retry-after']);
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(e.details).toMatchObject({ limit: 5 });
  });

  it('the 4th login attempt from one IP within the minute → 429', async () => {
    const attempt = () =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.test', password: 'wrong password!' }, remoteAddress: '10.0.0.2' });
    for (let i = 1; i <= 3; i++) expectError(await attempt(), 401, 'INVALID_CREDENTIALS');
    const before = await tableCounts(t.db);
    const r4 = await attempt();
    expect(r4.statusCode, r4.body).toBe(429);
    expect(r4.json().error.code).toBe('RATE_LIMITED');
    expect(Number(r4.headers['retry-after'])).toBeGreaterThan(0);
    // The throttled attempt was not even checked (no failed-login audit entry).
    expect(await tableCounts(t.db)).toEqual(before);
    // Another address is not affected, even with the right password.
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD }, remoteAddress: '10.0.0.3' });
    expect(other.statusCode, other.body).toBe(200);
  });
});

describe('HTTP edge: a 5xx leaks nothing', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('a database failure under a request → 500 INTERNAL without stack, SQL or driver details', async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db);
    const { email } = await makePerson(t.db, org);
    const c = await login(t.app, email);
    expect((await c.get('/api/v1/me')).statusCode).toBe(200);
    await t.database.pool.end();
    // Let close() below finish (and drop the test database) although the pool is ended already.
    t.database.pool.end = (async () => {}) as never;
    const res = await c.get('/api/v1/me');
    const e = expectError(res, 500, 'INTERNAL');
    const text = res.body;
    expect(e.details).toBeNull();
    expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules/);
    expect(text).not.toMatch(/select|insert|from "|sessions|pool|\bpg\b|postgres|pglite|kysely/i);
    expect(Object.keys(res.json())).toEqual(['error']);
  });
});
