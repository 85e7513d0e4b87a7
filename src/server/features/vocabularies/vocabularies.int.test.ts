import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type TestApp } from '../../test/harness.js';
import { storeSchemes } from './repository.js';
import { loadSchemes } from './schemes.js';
import { storeShippedSchemes } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('vocabularies', () => {
  it('lists every scheme to anyone, labelled in the language asked for, with its source and size', async () => {
    const res = await get('/api/v1/vocabularies?lang=es');
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json() as { items: { id: string; label: string; lang: string; concepts: number; source: { identifier?: string } }[] };
    expect(items.map((s) => s.id)).toEqual(['action-areas', 'workstreams', 'takeaways', 'santo-domingo-pillars', 'un-norms-2015', 'gfce-themes', 'ecsf-roles', 'nis2-sectors', 'organisation-types', 'content-types']);
    const norms = items.find((s) => s.id === 'un-norms-2015')!;
    expect(norms).toMatchObject({ label: 'Normas de la ONU de comportamiento responsable de los Estados (GEG 2015)', lang: 'es', concepts: 11 });
    expect(norms.source.identifier).toBe('A/70/174');
    // Without ?lang=, the browser's language decides; without either, English.
    expect((await get('/api/v1/vocabularies', { 'accept-language': 'pt-BR,pt;q=0.9' })).json().items[0].label).toBe('Áreas de ação da carta');
    expect((await get('/api/v1/vocabularies')).json().items[0]).toMatchObject({ label: 'Action areas of the charter', lang: 'en' });
  });

  it('gives a scheme’s concepts with broader, narrower and related concepts, and definitions in the language they exist in', async () => {
    const res = await get('/api/v1/vocabularies/takeaways/concepts?lang=fr');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { scheme: { id: string }; items: { id: string; prefLabel: string; lang: string; broader: string | null; narrower: string[]; related: string[]; definition: { text: string; lang: string } | null; prefLabels: Record<string, string>; uri: string }[] };
    expect(body.scheme.id).toBe('takeaways');
    const twelve = body.items.find((c) => c.id === '12')!;
    expect(twelve).toMatchObject({ prefLabel: 'Connaissance partagée de la situation lors d’incidents et de crises', lang: 'fr', related: ['action-areas/technical', 'workstreams/joint-initiatives'], narrower: [] });
    // The charter exists in English only: the definition says so.
    expect(twelve.definition).toMatchObject({ lang: 'en' });
    expect(twelve.uri).toMatch(/\/vocabularies\/takeaways\/12$/);
    expect(body.items.find((c) => c.id === '7')!.narrower).toEqual(['7a', '7b', '7c', '7d', '7e']);
    expect(body.items.find((c) => c.id === '2c')!.broader).toBe('2');
    expect(Object.keys(twelve.prefLabels).sort()).toEqual(['en', 'es', 'fr', 'pt']);
  });

  it('finds concepts by any label in any language, accents and case folded, wildcards taken literally', async () => {
    const ids = async (q: string) => ((await get(`/api/v1/vocabularies/un-norms-2015/concepts?q=${encodeURIComponent(q)}`)).json().items as { id: string }[]).map((c) => c.id);
    expect(await ids('INFRAESTRUCTURAS CRITICAS')).toEqual(['f', 'g']);
    expect(await ids('vulnérabilités')).toEqual(['j']);
    expect(await ids('cadeia de suprimentos')).toEqual(['i']);
    expect(await ids('%')).toEqual([]);
    expect(await ids('_')).toEqual([]);
  });

  it('labels NIS2 sectors with their annex and organisation types from the shared lists', async () => {
    const sectors = (await get('/api/v1/vocabularies/nis2-sectors/concepts?lang=pt')).json().items as { id: string; notation: string; prefLabel: string }[];
    expect(sectors.find((s) => s.id === 'energy')).toMatchObject({ notation: 'I' });
    expect(sectors.find((s) => s.id === 'research')).toMatchObject({ notation: 'II' });
    const types = (await get('/api/v1/vocabularies/organisation-types/concepts')).json().items as { id: string }[];
    expect(types.map((c) => c.id)).toContain('national-csirt');
  });

  it('answers an unknown scheme with 404 and a malformed one or an unknown parameter with 400', async () => {
    expect((await get('/api/v1/vocabularies/nothing-here/concepts')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await get('/api/v1/vocabularies/Bad%20Id/concepts')).statusCode).toBe(400);
    expect((await get('/api/v1/vocabularies/takeaways/concepts?sort=x')).statusCode).toBe(400);
    expect((await get('/api/v1/vocabularies/takeaways/concepts?lang=not_a_tag')).statusCode).toBe(400);
    expect((await get(`/api/v1/vocabularies/takeaways/concepts?q=${'x'.repeat(201)}`)).statusCode).toBe(400);
  });

  it('is the same for a signed-in member as for the public', async () => {
    const org = await makeOrganisation(t.db, { country: 'CL' });
    const person = await makePerson(t.db, org);
    const member = await login(t.app, person.email);
    const res = await member.get('/api/v1/vocabularies/gfce-themes/concepts?lang=en');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual((await get('/api/v1/vocabularies/gfce-themes/concepts?lang=en')).json());
  });

  it('stores the shipped schemes again without change, and keeps a concept that leaves its data file as withdrawn', async () => {
    const count = async () => Number((await t.db.selectFrom('vocabulary_concepts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await storeShippedSchemes(t);
    expect(await count()).toBe(before);
    const schemes = loadSchemes();
    const pillars = schemes.find((s) => s.id === 'santo-domingo-pillars')!;
    pillars.concepts = pillars.concepts.filter((c) => c.id !== 'connectivity');
    await storeSchemes(t.db, schemes);
    expect(await count()).toBe(before);
    const shown = (await get('/api/v1/vocabularies/santo-domingo-pillars/concepts')).json().items as { id: string }[];
    expect(shown.map((c) => c.id)).toEqual(['workforce', 'cooperation', 'ecosystems']);
    await storeShippedSchemes(t);
    expect(((await get('/api/v1/vocabularies/santo-domingo-pillars/concepts')).json().items as unknown[]).length).toBe(4);
  });
});
