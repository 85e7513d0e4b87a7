import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type TestApp } from '../../test/harness.js';
import { platformOf } from '../../platform/deps.js';
import { SseClient } from '../../test/sse.js';
import { currentViewer } from './routes.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** What an open stream sees when it re-checks its credentials every 30 s. */
describe('stream re-check', () => {
  it('follows tokens (Bearer and Basic), sessions, disabled accounts, suspensions and community changes', async () => {
    const p = platformOf(t.deps);
    const org = await makeOrganisation(t.db);
    const person = await makePerson(t.db, org);
    const c = await login(t.app, person.email);
    const token = (await c.post('/api/v1/tokens', { name: 'feed', scope: 'read', expiresInDays: 1 })).json().token as string;
    const bearer = { headers: { authorization: `Bearer ${token}` }, cookies: {} };
    const basic = { headers: { authorization: `Basic ${Buffer.from(`${person.email}:${token}`).toString('base64')}` }, cookies: {} };
    const wrongUser = { headers: { authorization: `Basic ${Buffer.from(`someone@example.test:${token}`).toString('base64')}` }, cookies: {} };
    const cookie = { headers: {}, cookies: { puente_session: c.cookie.split('=')[1] } };

    expect((await currentViewer(p, bearer))?.person.id).toBe(person.id);
    expect((await currentViewer(p, basic))?.person.id).toBe(person.id);
    expect(await currentViewer(p, wrongUser)).toBeNull();
    expect((await currentViewer(p, cookie))?.viewer.vetted).toBe(true);

    const k = await makeCommunity(t.db, { organisations: [org] });
    expect((await currentViewer(p, cookie))?.viewer.communityIds).toContain(k);

    await t.db.updateTable('organisations').set({ status: 'suspended' }).where('id', '=', org).execute();
    expect((await currentViewer(p, bearer))?.viewer.vetted).toBe(false);
    await t.db.updateTable('organisations').set({ status: 'approved' }).where('id', '=', org).execute();

    await t.db.updateTable('people').set({ status: 'disabled' }).where('id', '=', person.id).execute();
    expect(await currentViewer(p, bearer)).toBeNull();
    expect(await currentViewer(p, basic)).toBeNull();
    expect(await currentViewer(p, cookie)).toBeNull();
  });
});

describe('the stream and an organisation that requires two-step sign-in', () => {
  it('refuses to open for a person who has not set it up', async () => {
    const org = await makeOrganisation(t.db, { mfaRequired: true });
    const person = await makePerson(t.db, org);
    const c = await login(t.app, person.email);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    const res = await fetch(`http://127.0.0.1:${addr.port}/api/v1/stream`, { headers: { cookie: c.cookie } });
    const body = res.status === 200 ? null : await res.json();
    await res.body?.cancel().catch(() => {});
    expect(res.status).toBe(403);
    expect(body.error.code).toBe('MFA_ENROLMENT_REQUIRED');
    const open = await SseClient.open(`http://127.0.0.1:${addr.port}`, { cookie: c.cookie });
    expect(open.status).toBe(403);
  });

  it('closes at the re-check once the organisation requires it of a person who has not set it up', async () => {
    const p = platformOf(t.deps);
    const org = await makeOrganisation(t.db);
    const person = await makePerson(t.db, org);
    const c = await login(t.app, person.email);
    const token = (await c.post('/api/v1/tokens', { name: 'feed', scope: 'read', expiresInDays: 1 })).json().token as string;
    const bearer = { headers: { authorization: `Bearer ${token}` }, cookies: {} };
    const cookie = { headers: {}, cookies: { puente_session: c.cookie.split('=')[1] } };
    expect((await currentViewer(p, cookie))?.person.id).toBe(person.id);
    expect((await currentViewer(p, bearer))?.person.id).toBe(person.id);

    await t.db.updateTable('organisations').set({ mfa_required: true }).where('id', '=', org).execute();
    expect(await currentViewer(p, cookie)).toBeNull();
    expect(await currentViewer(p, bearer)).toBeNull();

    // Once set up, the requirement is met again.
    await t.db.updateTable('people').set({ mfa_enabled: true }).where('id', '=', person.id).execute();
    expect((await currentViewer(p, cookie))?.person.id).toBe(person.id);
  });
});
