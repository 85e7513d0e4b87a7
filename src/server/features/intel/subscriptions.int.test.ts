/**
 * The TAXII 2.1 client against a second Puente instance: two apps, two
 * databases, the source listening on a real port, the subscriber polling it
 * over HTTP with an API token (HTTP Basic, e-mail and token).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { TLP2_IDS } from './stix/tlp.js';

let source: TestApp, sink: TestApp;
let publisher: Client, admin: Client, colleague: Client, stranger: Client, plainMember: Client;
let publisherEmail: string, token: string, rootUrl: string;

const uuid = () => crypto.randomUUID();
const bundle = (objects: unknown[]) => ({ type: 'bundle', id: `bundle--${uuid()}`, objects });
const indicator = (value: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${uuid()}`,
  created: '2026-03-01T00:00:00.000Z',
  modified: '2026-03-01T00:00:00.000Z',
  pattern: `[domain-name:value = '${value}']`,
  pattern_type: 'stix',
  valid_from: '2026-03-01T00:00:00Z',
  object_marking_refs: [TLP2_IDS.GREEN],
});

beforeAll(async () => {
  source = await createTestApp();
  // The partner listens on loopback here: polling it needs the installation's explicit allowance.
  sink = await createTestApp({ env: { PUENTE_OUTBOUND_ALLOWED_NETWORKS: '127.0.0.1/32' } });
  await source.app.listen({ host: '127.0.0.1', port: 0 });
  rootUrl = `http://127.0.0.1:${(source.app.server.address() as AddressInfo).port}/taxii2/api/`;
  const srcOrg = await makeOrganisation(source.db, { country: 'ES' });
  const pub = await makePerson(source.db, srcOrg);
  publisherEmail = pub.email;
  publisher = await login(source.app, pub.email);
  token = (await publisher.post('/api/v1/tokens', { name: 'for the partner platform', scope: 'read', expiresInDays: 30 })).json().token;

  const sinkOrg = await makeOrganisation(sink.db, { country: 'CR' });
  const otherOrg = await makeOrganisation(sink.db, { country: 'IT' });
  admin = await login(sink.app, (await makePerson(sink.db, sinkOrg, { roles: ['member', 'org_admin'] })).email);
  colleague = await login(sink.app, (await makePerson(sink.db, sinkOrg)).email);
  plainMember = colleague;
  stranger = await login(sink.app, (await makePerson(sink.db, otherOrg)).email);
});
afterAll(async () => {
  await sink?.close();
  await source?.close();
});

async function everythingCollection() {
  const res = await fetch(`${rootUrl}collections/`, { headers: { accept: 'application/taxii+json;version=2.1', authorization: `Basic ${Buffer.from(`${publisherEmail}:${token}`).toString('base64')}` } });
  expect(res.status).toBe(200);
  const cols = ((await res.json()) as { collections: { id: string; can_write: boolean }[] }).collections;
  return cols.find((c) => !c.can_write)!.id;
}

describe('TAXII subscription to another Puente', () => {
  let subId: string;
  const first = [indicator('one.example'), indicator('two.example'), indicator('three.example')];

  it('polls everything, applies the subscription marking, and resumes without repeats', async () => {
    expect((await publisher.post('/api/v1/intel/bundles', { bundle: bundle(first) })).statusCode).toBe(201);
    const collectionId = await everythingCollection();
    const created = await admin.post('/api/v1/intel/subscriptions', {
      title: 'Partner CSIRT',
      apiRootUrl: rootUrl,
      collectionId,
      username: publisherEmail,
      password: token,
      pollIntervalMinutes: 60,
      tlp: 'AMBER',
    });
    expect(created.statusCode, created.body).toBe(201);
    subId = created.json().id;
    expect(created.json().hasCredentials).toBe(true);
    expect(JSON.stringify(created.json())).not.toContain(token);

    const polled = await admin.post(`/api/v1/intel/subscriptions/${subId}/poll`, {});
    expect(polled.statusCode).toBe(200);
    expect(polled.json().lastError).toBeNull();
    expect(polled.json().objectsReceived).toBeGreaterThanOrEqual(3);
    expect(polled.json().addedAfter).toBeTruthy();

    // What arrived is stored at AMBER for the subscribing organisation (a floor over the GREEN marking).
    const got = await colleague.get(`/api/v1/intel/objects/${first[0]!.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().tlp).toBe('AMBER');
    expect(got.json().object).toEqual(first[0]);
    expect((await stranger.get(`/api/v1/intel/objects/${first[0]!.id}`)).statusCode).toBe(404);

    // New objects on the source: the next poll brings exactly those.
    const before = polled.json().objectsReceived;
    const more = [indicator('four.example'), indicator('five.example')];
    await publisher.post('/api/v1/intel/bundles', { bundle: bundle(more) });
    const again = (await admin.post(`/api/v1/intel/subscriptions/${subId}/poll`, {})).json();
    expect(again.objectsReceived - before).toBe(2);
    const subs = (await sink.db.selectFrom('intel_submissions').select(['duplicates', 'accepted']).where('source', '=', `taxii:${subId}`).orderBy('created_at', 'desc').executeTakeFirstOrThrow());
    expect(subs.duplicates).toBe(0);
    expect((await plainMember.get(`/api/v1/intel/objects/${more[1]!.id}`)).statusCode).toBe(200);
  });

  it('shows a failing poll in its health, and only organisation admins manage', async () => {
    const bad = await admin.post('/api/v1/intel/subscriptions', { title: 'Wrong token', apiRootUrl: rootUrl, collectionId: uuid(), token: 'nope', pollIntervalMinutes: 30, tlp: 'AMBER' });
    expect(bad.statusCode).toBe(201);
    const polled = (await admin.post(`/api/v1/intel/subscriptions/${bad.json().id}/poll`, {})).json();
    expect(polled.lastError).toMatch(/HTTP 401/);
    expect(polled.lastSuccessAt).toBeNull();
    expect((await colleague.post('/api/v1/intel/subscriptions', { title: 'x', apiRootUrl: rootUrl, collectionId: 'x', pollIntervalMinutes: 30, tlp: 'AMBER' })).statusCode).toBe(403);
    expect((await stranger.post(`/api/v1/intel/subscriptions/${subId}/poll`, {})).statusCode).toBe(403);
    expect((await stranger.get('/api/v1/intel/subscriptions')).json().items).toEqual([]);
    const list = (await colleague.get('/api/v1/intel/subscriptions')).json().items;
    expect(list.map((s: { title: string }) => s.title).sort()).toEqual(['Partner CSIRT', 'Wrong token']);
    expect((await admin.post('/api/v1/intel/subscriptions', { title: 'x', apiRootUrl: 'file:///etc/passwd', collectionId: 'x', pollIntervalMinutes: 30, tlp: 'AMBER' })).statusCode).toBe(400);
  });
});

/** A remote on loopback that is not Puente: answers as `handle` says, and counts what reached it. */
async function fakeRemote(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { hits, port, close: () => new Promise((r) => server.close(r)) };
}

const CANARY = 'CANARY-7f3a9c-internal-secret';

describe('outbound policy: no requests to loopback, private or link-local addresses', () => {
  let strict: TestApp;
  let strictAdmin: Client;
  beforeAll(async () => {
    strict = await createTestApp();
    const org = await makeOrganisation(strict.db);
    strictAdmin = await login(strict.app, (await makePerson(strict.db, org, { roles: ['member', 'org_admin'] })).email);
  });
  afterAll(async () => strict?.close());

  const sub = (apiRootUrl: string) => ({ title: 'Target', apiRootUrl, collectionId: uuid(), pollIntervalMinutes: 30, tlp: 'AMBER' });

  it('refuses loopback, a name resolving to loopback, the metadata address and their IPv6 forms on create, changing nothing', async () => {
    const remote = await fakeRemote((_q, res) => res.end('{}'));
    try {
      for (const url of [
        `http://127.0.0.1:${remote.port}/taxii2/api/`,
        `http://localhost:${remote.port}/taxii2/api/`,
        'http://169.254.169.254/latest/meta-data/',
        `http://[::1]:${remote.port}/`,
        `http://[::ffff:127.0.0.1]:${remote.port}/`,
        'http://10.0.0.1/taxii2/',
        'http://[fd00::1]/taxii2/',
        'http://100.64.0.1/',
      ]) {
        const res = await strictAdmin.post('/api/v1/intel/subscriptions', sub(url));
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('OUTBOUND_ADDRESS_REFUSED');
        expect(res.json().error.details.field).toBe('apiRootUrl');
      }
      expect((await strictAdmin.get('/api/v1/intel/subscriptions')).json().items).toEqual([]);
      expect(remote.hits).toEqual([]);
    } finally {
      await remote.close();
    }
  });

  it('refuses changing an API root to such an address', async () => {
    const created = await strictAdmin.post('/api/v1/intel/subscriptions', sub('https://taxii.invalid/api/'));
    expect(created.statusCode, created.body).toBe(201);
    const res = await strictAdmin.patch(`/api/v1/intel/subscriptions/${created.json().id}`, { apiRootUrl: 'http://169.254.169.254/' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('OUTBOUND_ADDRESS_REFUSED');
    expect((await strictAdmin.get('/api/v1/intel/subscriptions')).json().items[0].apiRootUrl).toBe('https://taxii.invalid/api/');
  });

  it('refuses at poll time too, when the name resolves to a refused address then: nothing reaches it', async () => {
    const remote = await fakeRemote((_q, res) => res.end('{"more":false,"objects":[]}'));
    try {
      const created = await strictAdmin.post('/api/v1/intel/subscriptions', sub('https://taxii.invalid/api/'));
      // The name pointed elsewhere when the subscription was made; now it resolves to loopback (as after a DNS change).
      await strict.db.updateTable('intel_subscriptions').set({ api_root_url: `http://localhost:${remote.port}/taxii2/api/` }).where('id', '=', created.json().id).execute();
      const polled = (await strictAdmin.post(`/api/v1/intel/subscriptions/${created.json().id}/poll`, {})).json();
      expect(polled.lastError).toMatch(/^Refused: localhost resolves to a loopback address/);
      expect(polled.lastSuccessAt).toBeNull();
      await strict.db.updateTable('intel_subscriptions').set({ api_root_url: `http://127.0.0.1:${remote.port}/taxii2/api/` }).where('id', '=', created.json().id).execute();
      const again = (await strictAdmin.post(`/api/v1/intel/subscriptions/${created.json().id}/poll`, {})).json();
      expect(again.lastError).toMatch(/^Refused: 127\.0\.0\.1 is a loopback address/);
      expect(remote.hits).toEqual([]);
    } finally {
      await remote.close();
    }
  });

  it('with the allowance, a redirect to a refused address is still refused', async () => {
    const remote = await fakeRemote((_q, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    try {
      const created = await admin.post('/api/v1/intel/subscriptions', { ...sub(`http://127.0.0.1:${remote.port}/taxii2/api/`), title: 'Redirector' });
      expect(created.statusCode, created.body).toBe(201);
      const polled = (await admin.post(`/api/v1/intel/subscriptions/${created.json().id}/poll`, {})).json();
      expect(polled.lastError).toMatch(/^Refused: 169\.254\.169\.254 is a link-local address/);
      expect(remote.hits.length).toBe(1);
    } finally {
      await remote.close();
    }
  });

  it('reports a remote error by status and reason only, never its body or headers', async () => {
    let status = 403;
    const remote = await fakeRemote((_q, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-debug': CANARY, www_authenticate: CANARY });
      res.end(JSON.stringify({ title: `Denied ${CANARY}`, description: `db password is ${CANARY}`, body: CANARY.repeat(20) }));
    });
    try {
      const created = await admin.post('/api/v1/intel/subscriptions', { ...sub(`http://127.0.0.1:${remote.port}/taxii2/api/`), title: 'Canary' });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      const polled = (await admin.post(`/api/v1/intel/subscriptions/${id}/poll`, {})).json();
      expect(polled.lastError).toBe(`HTTP 403 Forbidden from 127.0.0.1:${remote.port}`);
      status = 500;
      const again = (await admin.post(`/api/v1/intel/subscriptions/${id}/poll`, {})).json();
      expect(again.lastError).toBe(`HTTP 500 Internal Server Error from 127.0.0.1:${remote.port}`);
      const all = JSON.stringify((await admin.get('/api/v1/intel/subscriptions')).json());
      expect(all).not.toContain('CANARY');
      const row = await sink.db.selectFrom('intel_subscriptions').select('last_error').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.last_error).not.toContain('CANARY');
    } finally {
      await remote.close();
    }
  });
});
