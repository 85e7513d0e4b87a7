/**
 * The TAXII 2.1 client against a second Puente instance: two apps, two
 * databases, the source listening on a real port, the subscriber polling it
 * over HTTP with an API token (HTTP Basic, e-mail and token).
 */
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
  sink = await createTestApp();
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
