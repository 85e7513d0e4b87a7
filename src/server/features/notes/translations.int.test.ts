/**
 * A note in several languages (platform/translations.ts): each reader gets their
 * language, else the one it was written in with a note saying so; the author and their
 * organisation's admins add, replace and remove versions; search finds a note by the
 * words of any version; bad tags and the source language are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let author: Client, colleague: Client, outsider: Client;
let noteId: string;

beforeAll(async () => {
  t = await createTestApp();
  const org = await makeOrganisation(t.db, { country: 'UY' });
  const other = await makeOrganisation(t.db, { country: 'PT' });
  const a = await makePerson(t.db, org);
  const c = await makePerson(t.db, org);
  const o = await makePerson(t.db, other);
  [author, colleague, outsider] = await Promise.all([a, c, o].map((p) => login(t.app, p.email)));
  const res = await author.post('/api/v1/notes', { title: 'Ciberataques a puertos', body: 'Observamos ciberataques contra operadores portuarios.', language: 'es', tlp: 'GREEN', pap: 'GREEN' });
  noteId = res.json().id;
});
afterAll(async () => t?.close());

const read = (c: Client, lang: string) => c.get(`/api/v1/notes/${noteId}?lang=${encodeURIComponent(lang)}`);

describe('notes in several languages', () => {
  it('is shown as written, with a note saying the reader’s language is missing', async () => {
    const n = (await read(outsider, 'fr')).json();
    expect(n).toMatchObject({ title: 'Ciberataques a puertos', language: 'es' });
    expect(n.translation).toMatchObject({ shown: 'es', source: 'es', fallback: true, outdated: false, machine: false });
    expect(n.can.translate).toBe(false);
  });

  it('the author adds versions; each reader gets theirs, a machine-made one is said to be', async () => {
    const en = await author.put(`/api/v1/notes/${noteId}/translations/en`, { title: 'Cyberattacks on ports', body: 'We see cyberattacks against port operators.' });
    expect(en.statusCode, en.body).toBe(200);
    expect((await author.put(`/api/v1/notes/${noteId}/translations/pt-br`, { title: 'Ciberataques a portos', body: 'Observamos ciberataques contra operadores portuários.', machine: true })).statusCode).toBe(200);
    expect((await read(outsider, 'en-GB')).json()).toMatchObject({ title: 'Cyberattacks on ports', language: 'en', translation: { fallback: false } });
    expect((await read(outsider, 'pt-BR')).json()).toMatchObject({ title: 'Ciberataques a portos', language: 'pt-BR', translation: { machine: true } });
    const fr = (await read(outsider, 'fr')).json();
    expect(fr.translation.versions.map((v: { language: string }) => v.language)).toEqual(['es', 'en', 'pt-BR']);
    // Without ?lang=, the account's language comes before the browser's (this reader's interface is in English).
    expect((await outsider.request('GET', `/api/v1/notes/${noteId}`, undefined, { 'accept-language': 'pt-BR' })).json().language).toBe('en');
    // Lists too.
    const listed = (await outsider.get('/api/v1/notes?limit=50&lang=pt')).json().items.find((x: { id: string }) => x.id === noteId);
    expect(listed.title).toBe('Ciberataques a portos');
  });

  it('search finds the note by the words of any version, stemmed in its language', async () => {
    for (const q of ['cyberattack', 'portuarios', 'portos']) {
      const found = (await outsider.get(`/api/v1/notes?q=${encodeURIComponent(q)}`)).json().items.map((x: { id: string }) => x.id);
      expect({ q, found: found.includes(noteId) }).toEqual({ q, found: true });
    }
  });

  it('only the author and their organisation’s admins translate; bad tags and the source language change nothing', async () => {
    expect((await colleague.put(`/api/v1/notes/${noteId}/translations/fr`, { title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await outsider.put(`/api/v1/notes/${noteId}/translations/fr`, { title: 'x', body: 'y' })).statusCode).toBe(403);
    const before = await tableCounts(t.db);
    const row = async () => (await t.db.selectFrom('notes').select('translations').where('id', '=', noteId).executeTakeFirstOrThrow()).translations;
    const was = JSON.stringify(await row());
    for (const [lang, code] of [['spanish', 400], ['es-AR', 400], ['pt_BR', 400]] as const) {
      const res = await author.put(`/api/v1/notes/${noteId}/translations/${lang}`, { title: 'x', body: 'y' });
      expect({ lang, status: res.statusCode, code: res.json().error.code }).toEqual({ lang, status: code, code: 'VALIDATION_FAILED' });
    }
    expect(JSON.stringify(await row())).toBe(was);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('removes a version', async () => {
    expect((await author.del(`/api/v1/notes/${noteId}/translations/pt`)).statusCode).toBe(204);
    // Gone: the reader's next language instead (their account's English, which they read too).
    expect((await read(outsider, 'pt-BR')).json()).toMatchObject({ language: 'en', translation: { fallback: false } });
    expect((await author.del(`/api/v1/notes/${noteId}/translations/pt`)).statusCode).toBe(404);
  });
});
