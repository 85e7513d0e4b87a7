import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type TestApp } from '../../test/harness.js';
import { platformOf } from '../../platform/deps.js';
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
