import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '#shared/error-codes';
import { createTestApp, isPostgres, type TestApp } from '../../test/harness.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('health, readiness and metrics', () => {
  it('GET /healthz answers ok', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers ready with the database mode', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: isPostgres() ? 'postgres' : 'embedded' });
  });

  it('GET /metrics exposes the Prometheus series', async () => {
    // One request first so that the latency histogram has a bucket line.
    await t.app.inject({ method: 'GET', url: '/healthz' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    for (const name of ['puente_http_request_duration_seconds_bucket', 'puente_db_pool_connections', 'puente_event_stream_clients', 'puente_job_queue_depth'])
      expect(text, name).toContain(name);
    expect(text).toMatch(/puente_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*\}/);
    expect(text).toMatch(/puente_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/^puente_event_stream_clients 0$/m);
  });
});

describe('/metrics is not for everyone', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';
  let withToken: TestApp;
  beforeAll(async () => {
    withToken = await createTestApp({ env: { PUENTE_METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await withToken?.close();
  });
  const metrics = (app: TestApp, remoteAddress: string, headers: Record<string, string> = {}) => app.app.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });

  it('without PUENTE_METRICS_TOKEN: loopback clients only, judged by the socket, never through a proxy', async () => {
    expect((await metrics(t, '127.0.0.1')).statusCode).toBe(200);
    expect((await metrics(t, '::1')).statusCode).toBe(200);
    expect((await metrics(t, '::ffff:127.0.0.1')).statusCode).toBe(200);
    for (const [address, headers] of [
      ['10.0.0.7', {}],
      ['203.0.113.5', { 'x-forwarded-for': '127.0.0.1' }],
      ['127.0.0.1', { 'x-forwarded-for': '203.0.113.5' }],
      ['127.0.0.1', { forwarded: 'for=203.0.113.5' }],
    ] as const) {
      const res = await metrics(t, address, headers);
      expect(res.statusCode, `${address} ${JSON.stringify(headers)}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.body).not.toContain('puente_');
    }
  });

  it('with PUENTE_METRICS_TOKEN: the bearer token is required, from anywhere', async () => {
    expect((await metrics(withToken, '10.0.0.7', { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
    expect((await metrics(withToken, '10.0.0.7', { authorization: `bearer ${TOKEN}` })).body).toContain('puente_');
    for (const headers of <Record<string, string>[]>[{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, { authorization: TOKEN }]) {
      // Loopback too: once a token is set, it is the only key.
      for (const address of ['10.0.0.7', '127.0.0.1']) {
        const res = await metrics(withToken, address, headers);
        expect(res.statusCode, `${address} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
  });
});

describe('OpenAPI document and docs', () => {
  const CONTRACT_PATHS = [
    '/api/v1/auth/login',
    '/api/v1/auth/logout',
    '/api/v1/me',
    '/api/v1/tokens',
    '/api/v1/tokens/{id}',
    '/api/v1/stream',
    '/api/v1/organisations',
    '/api/v1/organisations/join-requests',
    '/api/v1/communities',
    '/api/v1/communities/{id}',
    '/api/v1/notes',
    '/api/v1/audit',
    '/api/v1/outbox',
    '/api/v1/countries',
    '/api/v1/sectors',
    '/api/v1/experts',
  ];

  it('is OpenAPI 3.1.0 with every contract path, each operation documenting a response', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; info: { title: string }; paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Puente API');
    const paths = Object.keys(doc.paths);
    for (const p of CONTRACT_PATHS) expect(paths, p).toContain(p);
    // The document itself is hidden; nothing outside the API leaks into /api/v1.
    expect(paths).not.toContain('/api/v1/openapi.json');

    const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
    let operations = 0;
    for (const [p, item] of Object.entries(doc.paths)) {
      if (!p.startsWith('/api/v1/')) continue;
      for (const [m, op] of Object.entries(item)) {
        if (!methods.includes(m)) continue;
        operations++;
        expect(Object.keys(op.responses ?? {}).length, `${m.toUpperCase()} ${p} has no response schema`).toBeGreaterThan(0);
      }
    }
    expect(operations).toBeGreaterThanOrEqual(CONTRACT_PATHS.length);
  });

  it('publishes the error codes: an Error component with every code, referenced by every error answer', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
      paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
    };
    const { Error: error, ErrorResponse: envelope } = doc.components.schemas;
    expect(error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
    expect(error.properties.code['x-enum-descriptions']).toHaveLength(Object.keys(ERROR_CODES).length);
    expect(envelope.properties.error).toEqual({ $ref: '#/components/schemas/Error' });
    let answers = 0;
    for (const [path, item] of Object.entries(doc.paths))
      for (const op of path.startsWith('/api/v1/') ? Object.values(item) : [])
        for (const [status, r] of Object.entries(op.responses ?? {}))
          if (Number(status) >= 400 && r.content?.['application/json']) {
            answers++;
            expect(r.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
          }
    expect(answers).toBeGreaterThan(100);
    // And an answer the server gives is one of them, in that shape.
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), details: null } });
  });

  it('serves the interactive docs as HTML (following the redirect)', async () => {
    let url = '/api/docs';
    let res = await t.app.inject({ method: 'GET', url });
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      url = new URL(String(res.headers.location), `http://puente.test${url}`).pathname;
      res = await t.app.inject({ method: 'GET', url });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/<html/i);
  });
});

describe('reference data', () => {
  it('GET /api/v1/countries: 27 EU, 33 LAC and the international marker', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/countries' });
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { code: string; region: string; kind: string }[];
    expect(rows).toHaveLength(61);
    expect(rows.filter((r) => r.region === 'EU')).toHaveLength(27);
    expect(rows.filter((r) => r.region === 'LAC')).toHaveLength(33);
    const intl = rows.filter((r) => r.kind === 'international');
    expect(intl).toHaveLength(1);
    expect(intl[0].region).toBe('INT');
    expect(new Set(rows.map((r) => r.code)).size).toBe(61);
    expect(rows.map((r) => r.code)).toEqual(expect.arrayContaining(['BR', 'ES', 'MX', 'DE']));
  });

  it('GET /api/v1/sectors: 18 NIS2 sectors, 11 in Annex I and 7 in Annex II', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/sectors' });
    expect(res.statusCode).toBe(200);
    const rows = res.json() as { code: string; annex: string; name: string }[];
    expect(rows).toHaveLength(18);
    expect(rows.filter((r) => r.annex === 'I')).toHaveLength(11);
    expect(rows.filter((r) => r.annex === 'II')).toHaveLength(7);
    expect(new Set(rows.map((r) => r.code)).size).toBe(18);
  });
});
