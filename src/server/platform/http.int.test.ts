/**
 * The HTTP edge: bad input of every kind is refused with a 4xx, a stable error
 * code and an unchanged database; odd but valid text round-trips byte for byte;
 * limits, CSRF, security headers, CORS and the 5xx envelope.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { EVERYTHING_COLLECTION_ID as EVERYTHING } from '../features/intel/taxii/service.js';
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
    // The rule that failed, so that clients can say it in the person's language.
    expect((e1.details as { errors: unknown[] }).errors[0]).toMatchObject({ path: '/expiresInDays', keyword: 'type' });
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

  it('deeply nested JSON → 400 VALIDATION_FAILED saying so (not a NUL message), nothing changed', async () => {
    const nest = (n: number) => `${'['.repeat(n)}"x"${']'.repeat(n)}`;
    const deep = (n: number) => `{"title":"x","body":${nest(n)},"language":"en","tlp":"GREEN","pap":"GREEN"}`;
    const e = await refused(() => raw('POST', '/api/v1/notes', deep(100)), 400, 'VALIDATION_FAILED');
    expect(e.message).toMatch(/nested too deeply/);
    expect(e.message).not.toMatch(/NUL/);
    expect(e.details).toEqual({ reason: 'too_deep', maxDepth: 64 });
    // Deep enough to overflow a recursive walk: still a 400, not a crash.
    expect((await refused(() => raw('POST', '/api/v1/notes', deep(100_000)), 400, 'VALIDATION_FAILED')).details).toMatchObject({ reason: 'too_deep' });
    // 64 levels in all (the body object and 63 arrays) pass this guard; the schema then refuses the array.
    expect((await refused(() => raw('POST', '/api/v1/notes', deep(63)), 400, 'VALIDATION_FAILED')).details).not.toMatchObject({ reason: 'too_deep' });
    expect((await refused(() => raw('POST', '/api/v1/notes', deep(64)), 400, 'VALIDATION_FAILED')).details).toMatchObject({ reason: 'too_deep' });
    // NUL keeps its own reason.
    expect((await refused(() => member.post('/api/v1/notes', note({ title: 'a\u0000' })), 400, 'VALIDATION_FAILED')).details).toEqual({ reason: 'nul' });
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

const TAXII = 'application/taxii+json;version=2.1';

describe('HTTP edge: TAXII has a rate limit and a counter of its own', () => {
  let t: TestApp;
  const people: { email: string; client: Client; token: string }[] = [];
  beforeAll(async () => {
    t = await createTestApp({ env: { PUENTE_RATE_LIMIT_API: '8', PUENTE_RATE_LIMIT_TAXII: '4' } });
    const org = await makeOrganisation(t.db);
    for (let i = 0; i < 2; i++) {
      const { email } = await makePerson(t.db, org);
      const client = await login(t.app, email);
      const token = (await client.post('/api/v1/tokens', { name: 'taxii client', scope: 'read', expiresInDays: 1 })).json().token as string;
      people.push({ email, client, token });
    }
  });
  afterAll(async () => {
    await t?.close();
  });
  const taxii = (who: { email: string; token: string }) =>
    t.app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers: { accept: TAXII, authorization: `Basic ${Buffer.from(`${who.email}:${who.token}`).toString('base64')}` } });
  const rest = (who: { token: string }) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${who.token}` } });

  it('a TAXII client that exhausts its limit leaves its owner the REST API (and the 429 is a TAXII error with Retry-After)', async () => {
    const a = people[0]!;
    for (let i = 1; i <= 4; i++) {
      const r = await taxii(a);
      expect(r.statusCode, `TAXII call ${i}: ${r.body}`).toBe(200);
      expect(r.headers['x-ratelimit-limit']).toBe('4');
    }
    const over = await taxii(a);
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toBe(TAXII);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.json()).toMatchObject({ title: 'Too Many Requests', error_code: 'RATE_LIMITED', http_status: '429' });
    // The same person, through the REST API and the web app's session: untouched — the token's creation
    // counted one, so seven more fit in the REST limit of 8, and the ninth is refused by that limit.
    for (let i = 1; i <= 6; i++) expect((await rest(a)).statusCode, `REST call ${i}`).toBe(200);
    expect((await a.client.get('/api/v1/me')).statusCode).toBe(200);
    const restOver = await rest(a);
    expect(restOver.statusCode).toBe(429);
    expect(restOver.json().error.details).toMatchObject({ limit: 8 });
  });

  it('a person who exhausts the REST limit can still use TAXII', async () => {
    const b = people[1]!;
    // Signing in and creating the token already counted two.
    for (let i = 0; i < 10 && (await rest(b)).statusCode === 200; i++);
    const blocked = await rest(b);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('RATE_LIMITED');
    for (let i = 1; i <= 4; i++) expect((await taxii(b)).statusCode, `TAXII call ${i}`).toBe(200);
    expect((await taxii(b)).statusCode).toBe(429);
  });
});

describe('HTTP edge: every 4xx is in the error envelope, with a stable code', () => {
  let t: TestApp;
  let member: Client;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db);
    member = await login(t.app, (await makePerson(t.db, org, { roles: ['member', 'secretariat'] })).email);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Send bytes on a raw connection (what Node's HTTP parser refuses never reaches inject) and read the answer. */
  const rawHttp = (text: string) =>
    new Promise<{ status: number; headers: string; body: string }>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(text));
      let out = '';
      s.on('data', (d) => (out += d));
      s.on('error', reject);
      s.on('close', () => {
        const [head = '', body = ''] = out.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), headers: head, body });
      });
    });

  it('a path that is not UTF-8 once decoded, or malformed percent-encoding → 400 BAD_REQUEST', async () => {
    for (const url of ['/api/v1/notes/%C0%AF', '/api/v1/notes/%FF', '/api/v1/notes/%E0%80', '/api/v1/notes/%', '/%FF']) {
      const e = expectError(await member.get(url), 400, 'BAD_REQUEST');
      expect(e.details).toEqual({ reason: 'bad_path' });
    }
    const res = await member.get('/api/v1/notes/%FF');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('under /taxii2 the same refusal is a TAXII error', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/taxii2/api/collections/%FF/' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe(TAXII);
    expect(res.json()).toMatchObject({ error_code: 'BAD_REQUEST', http_status: '400' });
  });

  it('a path parameter over 200 characters → 414 URI_TOO_LONG', async () => {
    const e = expectError(await member.get(`/api/v1/notes/${'a'.repeat(250)}`), 414, 'URI_TOO_LONG');
    expect(e.details).toEqual({ maxLength: 200 });
  });

  it("headers over Node's limit → 431 HEADERS_TOO_LARGE; a request that is not HTTP → 400 BAD_REQUEST", async () => {
    const big = await rawHttp(`GET /api/v1/notes HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(big.headers).toMatch(/content-type: application\/json/i);
    expect(big.headers).toMatch(/cache-control: no-store/i);
    expect(JSON.parse(big.body)).toEqual({ error: { code: 'HEADERS_TOO_LARGE', message: expect.any(String), details: null } });
    const longUrl = await rawHttp(`GET /api/v1/notes?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(JSON.parse(longUrl.body).error.code).toBe('HEADERS_TOO_LARGE');
    const garbage = await rawHttp('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String), details: null } });
  });

  it('integers beyond the safe range and malformed cursors → 400, never a 500', async () => {
    for (const before of ['1e30', '99999999999999999999', '9007199254740993'])
      expectError(await member.get(`/api/v1/audit?before=${before}`), 400, 'VALIDATION_FAILED');
    expect((await member.get(`/api/v1/audit?before=${Number.MAX_SAFE_INTEGER}`)).statusCode).toBe(200);
    expectError(await member.get('/api/v1/stream?lastEventId=1e30'), 400, 'VALIDATION_FAILED');
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    for (const cursor of [b64('s9999999999999999999'), b64('s99999999999999999999'), 'nonsense'])
      expectError(await member.get(`/api/v1/intel/objects?cursor=${cursor}`), 400, 'VALIDATION_FAILED');
    expect((await member.get(`/api/v1/intel/objects?cursor=${b64('s9223372036854775807')}`)).statusCode).toBe(200);
    for (const cursor of [b64('-5'), b64('1e30'), b64('99999999999999999999'), 'nonsense'])
      expectError(await member.get(`/api/v1/intel/vulnerabilities?cursor=${cursor}`), 400, 'VALIDATION_FAILED');
    expect((await member.get(`/api/v1/intel/vulnerabilities?cursor=${b64('50')}`)).statusCode).toBe(200);
  });

  it('TAXII: an impossible date or an out-of-range paging token → 400 TAXII error, never a 500', async () => {
    const token = (await member.post('/api/v1/tokens', { name: 'taxii', scope: 'read', expiresInDays: 1 })).json().token as string;
    const get = (q: string) => t.app.inject({ method: 'GET', url: `/taxii2/api/collections/${EVERYTHING}/objects/?${q}`, headers: { accept: TAXII, authorization: `Bearer ${token}` } });
    const next = (s: string) => Buffer.from(s).toString('base64url');
    for (const q of [
      'added_after=2026-02-30T00:00:00Z',
      'added_after=0000-01-01T00:00:00Z',
      `next=${next('2026-01-01T00:00:00.000000Z|99999999999999999999')}`,
      `next=${next('2026-01-01T00:00:00.000000Z|9999999999999999999')}`,
      `next=${next('2026-02-31T00:00:00.000000Z|1')}`,
      'match[version]=2026-02-30T00:00:00Z',
    ]) {
      const res = await get(q);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(400);
      expect(res.headers['content-type']).toBe(TAXII);
    }
    expect((await get('added_after=2024-02-29T00:00:00Z')).statusCode).toBe(200);
  });
});

describe('HTTP edge: response headers', () => {
  let t: TestApp;
  let member: Client;
  let token: string;
  let email: string;
  beforeAll(async () => {
    t = await createTestApp();
    const org = await makeOrganisation(t.db);
    ({ email } = await makePerson(t.db, org));
    member = await login(t.app, email);
    token = (await member.post('/api/v1/tokens', { name: 'taxii', scope: 'read', expiresInDays: 1 })).json().token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every /api/ and /taxii2/ answer — errors included — says Cache-Control: no-store', async () => {
    for (const res of [
      await member.get('/api/v1/me'),
      await member.get('/api/v1/notes'),
      await t.app.inject({ method: 'GET', url: '/api/v1/me' }),
      await member.get('/api/v1/no-such-thing'),
      await member.post('/api/v1/notes', { nonsense: true }),
      await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }),
      await t.app.inject({ method: 'GET', url: '/taxii2/', headers: { accept: TAXII, authorization: `Bearer ${token}` } }),
      await t.app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers: { accept: TAXII, authorization: `Bearer ${token}` } }),
      await t.app.inject({ method: 'GET', url: '/taxii2/api/collections/' }),
    ])
      expect(res.headers['cache-control'], `${res.statusCode} ${res.body.slice(0, 100)}`).toBe('no-store');
    // Not API answers: left to their own caching.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).headers['cache-control']).toBeUndefined();
  });

  it('GET answers of 1 KiB or more are compressed as the client accepts (brotli first), answers to writes never, and request bodies are not inflated', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const br = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    const gz = await member.request('GET', '/api/v1/openapi.json', undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
    // A write's answer (here a 1 KiB+ note read back) may carry what a third party wrote beside a secret: never compressed.
    const long = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notes',
      payload: { title: 'Long', body: 'x'.repeat(4000), language: 'en', tlp: 'GREEN', pap: 'GREEN' },
      headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'accept-encoding': 'br, gzip' },
    });
    expect(long.statusCode, long.body).toBe(201);
    expect(long.body.length).toBeGreaterThan(1024);
    expect(long.headers['content-encoding']).toBeUndefined();
    // A compressed request body is read as it came: not JSON, refused, nothing written.
    const before = await tableCounts(t.db);
    const zipped = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notes',
      payload: zlib.gzipSync(JSON.stringify({ title: 'Zipped', body: 'b', language: 'en', tlp: 'GREEN', pap: 'GREEN' })),
      headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(zipped.statusCode).toBe(400);
    expect(zipped.json().error.code).toBe('INVALID_JSON');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('X-Frame-Options agrees with frame-ancestors: DENY', async () => {
    const res = await member.get('/api/v1/me');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(String(res.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  });

  it('a restrictive Permissions-Policy, with the clipboard writable by the app itself', async () => {
    for (const res of [await member.get('/api/v1/me'), await t.app.inject({ method: 'GET', url: '/healthz' }), await member.get('/nowhere')]) {
      const pp = String(res.headers['permissions-policy']);
      for (const f of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()', 'clipboard-read=()', 'browsing-topics=()']) expect(pp).toContain(f);
      expect(pp).toContain('clipboard-write=(self)');
    }
  });
});
