/**
 * A community's name and description in several languages: readers get theirs; its
 * admins and the secretariat translate; a changed description makes translations
 * outdated until redone; a members-only community shows outsiders its name only, in
 * every language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let secretariat: Client, admin: Client, member: Client, outsider: Client;
let community: string;

beforeAll(async () => {
  t = await createTestApp();
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  const org = await makeOrganisation(t.db, { country: 'CL' });
  const other = await makeOrganisation(t.db, { country: 'FR' });
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  const a = await makePerson(t.db, org);
  const m = await makePerson(t.db, org);
  const o = await makePerson(t.db, other);
  [secretariat, admin, member, outsider] = await Promise.all([s, a, m, o].map((p) => login(t.app, p.email)));
  const res = await secretariat.post('/api/v1/communities', { slug: `ports-${Date.now().toString(36)}`, name: 'Port security', description: 'Operators and CSIRTs of ports.', language: 'en' });
  expect(res.statusCode, res.body).toBe(201);
  community = res.json().id;
  await t.db.insertInto('community_organisations').values({ community_id: community, organisation_id: org }).execute();
  await t.db.insertInto('community_people').values({ community_id: community, person_id: a.id, is_admin: true }).execute();
});
afterAll(async () => t?.close());

describe('communities in several languages', () => {
  it('its admin adds a version; readers get theirs in the page and the list', async () => {
    const res = await admin.put(`/api/v1/communities/${community}/translations/es`, { name: 'Seguridad portuaria', description: 'Operadores y CSIRT de puertos.' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await member.get(`/api/v1/communities/${community}?lang=es`)).json()).toMatchObject({ name: 'Seguridad portuaria', description: 'Operadores y CSIRT de puertos.', language: 'es', translation: { source: 'en', outdated: false } });
    const listed = (await member.get('/api/v1/communities?lang=es')).json().items.find((c: { id: string }) => c.id === community);
    expect(listed).toMatchObject({ name: 'Seguridad portuaria', language: 'es' });
    expect((await member.get(`/api/v1/communities/${community}?lang=fr`)).json()).toMatchObject({ name: 'Port security', language: 'en', translation: { fallback: false } });
  });

  it('a changed description makes the translation outdated', async () => {
    expect((await admin.patch(`/api/v1/communities/${community}`, { description: 'Port operators, their CSIRTs and customs.' })).statusCode).toBeLessThan(300);
    expect((await member.get(`/api/v1/communities/${community}?lang=es`)).json().translation).toMatchObject({ shown: 'es', outdated: true });
    expect((await admin.put(`/api/v1/communities/${community}/translations/es`, { name: 'Seguridad portuaria', description: 'Operadores portuarios, sus CSIRT y aduanas.' })).statusCode).toBe(200);
    expect((await member.get(`/api/v1/communities/${community}?lang=es`)).json().translation.outdated).toBe(false);
  });

  it('only its admins and the secretariat translate', async () => {
    expect((await member.put(`/api/v1/communities/${community}/translations/fr`, { name: 'Sûreté portuaire', description: 'x' })).statusCode).toBe(403);
    expect((await outsider.put(`/api/v1/communities/${community}/translations/fr`, { name: 'Sûreté portuaire', description: 'x' })).statusCode).toBe(403);
    expect((await secretariat.put(`/api/v1/communities/${community}/translations/fr`, { name: 'Sûreté portuaire', description: 'Opérateurs portuaires.' })).statusCode).toBe(200);
  });

  it('members-only: outsiders get the name in their language, no description in any', async () => {
    await t.db.updateTable('communities').set({ visibility: 'members' }).where('id', '=', community).execute();
    const seen = (await outsider.get(`/api/v1/communities/${community}?lang=fr`)).json();
    expect(seen).toMatchObject({ name: 'Sûreté portuaire', description: '', descriptionHidden: true });
    expect(JSON.stringify(seen)).not.toContain('Opérateurs portuaires');
  });
});
