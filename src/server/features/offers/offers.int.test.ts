import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, makeOrganisation, makePerson, TEST_PASSWORD, type Client, type TestApp } from '../../test/harness.js';
import { fixturePath } from '../../test/fixtures.js';

const xmllint = spawnSync('sh', ['-c', 'command -v xmllint']).stdout.toString().trim();

/** Valid against the IATI 2.03 activities schema (src/server/test/fixtures/iati), by libxml2. */
export function validIati(xml: string) {
  expect(xml).toContain('<iati-activities version="2.03"');
  if (!xmllint) return;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iati-')), 'activities.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync(xmllint, ['--noout', '--schema', fixturePath('iati/iati-activities-schema.xsd'), file]);
  expect(r.stderr.toString()).toMatch(/validates/);
  expect(r.status).toBe(0);
}

let t: TestApp;
let provider: Client;
let colleague: Client;
let outsider: Client;
let secretariat: Client;
let orgEu: string;
let orgCl: string;
beforeAll(async () => {
  t = await createTestApp();
  orgEu = await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency', name: 'Team Europe Test Agency' });
  orgCl = await makeOrganisation(t.db, { country: 'CL', name: 'CSIRT de Chile (prueba)' });
  const orgOther = await makeOrganisation(t.db, { country: 'FR' });
  const orgSec = await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation' });
  const [a, c, o, s] = await Promise.all([
    makePerson(t.db, orgEu, { roles: ['member', 'org_admin'] }),
    makePerson(t.db, orgEu),
    makePerson(t.db, orgOther),
    makePerson(t.db, orgSec, { roles: ['member', 'secretariat'] }),
  ]);
  [provider, colleague, outsider, secretariat] = await Promise.all([a, c, o, s].map((x) => login(t.app, x.email)));
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const count = async (table: 'offers' | 'offer_sessions' | 'offer_partners') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

interface Offer {
  id: string;
  slug: string;
  status: string;
  title: string;
  triangular: boolean;
  partners: { organisation: { id: string } | null; name: string; role: string }[];
  sessions: { id: string; startsAt: string; endsAt: string; timeZone: string; localStart: string; seats: number; freeSeats: number }[];
  nextSession: { id: string } | null;
  can: { edit: boolean; translate: boolean; close: boolean };
}

const base = {
  type: 'assistance-csirt-soc',
  language: 'es',
  format: 'hybrid',
  tlp: 'CLEAR',
  title: 'Asistencia para crear un CSIRT sectorial',
  summary: 'Cooperación triangular para CSIRT sectoriales.',
  concepts: ['takeaways/7c', 'gfce-themes/b'],
  languages: ['es-419', 'en'],
  audiences: ['csirt-staff'],
  countries: ['DO'],
  collaborationType: '8',
  aidType: 'D02',
  flowType: '10',
  sessions: [{ startsAt: '2027-02-15T09:00', endsAt: '2027-02-17T17:00', timeZone: 'America/Santo_Domingo', place: 'Santo Domingo', country: 'DO', seats: 20 }],
};
const create = async (c: Client, body: Record<string, unknown>) => {
  const res = await c.post('/api/v1/offers', { ...base, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Offer;
};
const list = async (c: Client | null, query: string) => {
  const url = `/api/v1/offers?${query}`;
  const res = c ? await c.get(url) : await anonymous(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Offer[]; counts: { byType: Record<string, number> }; nextCursor: string | null };
};

describe('the catalogue of offers', () => {
  it('keeps a draft to its provider, publishes it to whom its marking allows, and closes it', async () => {
    const o = await create(provider, { partners: [{ organisationId: orgEu, role: 'funding' }, { organisationId: orgCl, role: 'implementing' }, { name: 'Banco Interamericano (prueba)', iatiRef: 'XI-IATI-IADB', iatiType: '40', role: 'accountable' }] });
    expect(o).toMatchObject({ status: 'draft', triangular: true, can: { edit: true, translate: true, close: false } });
    expect(o.partners.map((x) => x.role)).toEqual(['funding', 'implementing', 'accountable']);
    // Session times: given as wall time in the session's zone, stored as the instant.
    expect(o.sessions[0]).toMatchObject({ startsAt: '2027-02-15T13:00:00.000Z', localStart: '2027-02-15T09:00', timeZone: 'America/Santo_Domingo', seats: 20, freeSeats: 20 });
    expect((await colleague.get(`/api/v1/offers/${o.id}`)).json()).toMatchObject({ can: { edit: false, translate: false } });
    for (const c of [outsider, secretariat]) expect((await c.get(`/api/v1/offers/${o.id}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/v1/offers/${o.slug}`)).statusCode).toBe(404);
    expect((await list(provider, 'status=draft')).items.map((i) => i.id)).toContain(o.id);
    expect((await list(outsider, 'status=draft')).items.map((i) => i.id)).not.toContain(o.id);
    // Only the author and the organisation's admins publish.
    expect((await colleague.post(`/api/v1/offers/${o.id}/publish`)).statusCode).toBe(403);
    expect((await provider.post(`/api/v1/offers/${o.id}/publish`)).json()).toMatchObject({ status: 'published' });
    expect((await anonymous(`/api/v1/offers/${o.slug}`)).statusCode).toBe(200);
    expect((await list(null, 'concept=takeaways/7c')).items.map((i) => i.id)).toContain(o.id);
    // A draft is deleted; a published offer is closed instead — by the provider or the secretariat.
    expect((await provider.del(`/api/v1/offers/${o.id}`)).json()).toMatchObject({ error: { code: 'INVALID_STATE' } });
    expect((await outsider.post(`/api/v1/offers/${o.id}/close`)).statusCode).toBe(403);
    expect((await secretariat.post(`/api/v1/offers/${o.id}/close`)).json()).toMatchObject({ status: 'closed' });
    expect((await list(null, 'concept=takeaways/7c')).items.map((i) => i.id)).not.toContain(o.id);
    expect((await list(null, 'concept=takeaways/7c&status=closed')).items.map((i) => i.id)).toContain(o.id);
    const actions = (await t.db.selectFrom('audit_log').select('action').where('target_id', '=', o.id).orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(['offer.created', 'offer.published', 'offer.closed']);
  });

  it('filters by words in any language, type, concept, language, format, country and dates', async () => {
    const summer = await create(provider, {
      type: 'summer-school',
      format: 'in-person',
      language: 'en',
      title: 'Summer school of cyber diplomacy (filters)',
      summary: 'International law and the norms.',
      concepts: ['takeaways/7a'],
      languages: ['en'],
      countries: [],
      collaborationType: null,
      sessions: [{ startsAt: '2027-06-21T09:00', endsAt: '2027-06-25T17:00', timeZone: 'Europe/Tallinn', place: 'Tallinn', country: 'EE', seats: 40 }],
    });
    const csirt = await create(provider, { title: 'Ciberresiliencia de hospitales (filtros)', concepts: ['takeaways/7c'] });
    for (const o of [summer, csirt]) expect((await provider.post(`/api/v1/offers/${o.id}/publish`)).statusCode).toBe(200);
    expect((await provider.put(`/api/v1/offers/${summer.id}/translations/es`, { title: 'Escuela de verano de ciberdiplomacia (filtros)', summary: 'Derecho internacional y las normas.' })).statusCode).toBe(200);
    const ids = async (q: string) => (await list(null, q)).items.map((i) => i.id).filter((x) => x === summer.id || x === csirt.id).sort();
    expect(await ids('q=ciberdiplomacia')).toEqual([summer.id]);
    expect(await ids('q=hospital')).toEqual([csirt.id]);
    expect(await ids('type=summer-school')).toEqual([summer.id]);
    expect(await ids('concept=takeaways/7a')).toEqual([summer.id]);
    expect(await ids('language=es')).toEqual([csirt.id]);
    expect(await ids('format=hybrid')).toEqual([csirt.id]);
    // Open to all (no country named) or naming the country.
    expect(await ids('country=DO')).toEqual([summer.id, csirt.id].sort());
    expect(await ids('country=EE')).toEqual([summer.id]);
    expect(await ids('from=2027-06-01&to=2027-06-30')).toEqual([summer.id]);
    expect(await ids('from=2027-02-17&to=2027-02-17')).toEqual([csirt.id]);
    expect(await ids('from=2027-06-26')).toEqual([]);
    expect((await anonymous('/api/v1/offers?from=2027-02-30')).statusCode).toBe(400);
    expect((await anonymous('/api/v1/offers?from=2027-03-01&to=2027-02-01')).statusCode).toBe(400);
    const counted = await list(null, 'q=filtros');
    expect(counted.counts.byType).toEqual({ 'summer-school': 1, 'assistance-csirt-soc': 1 });
    // Cursor pagination walks every offer once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(null, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([summer.id, csirt.id]));
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const before = await Promise.all([count('offers'), count('offer_sessions'), count('offer_partners')]);
    const bad = async (body: Record<string, unknown>, code: string, status = 400) => {
      const res = await provider.post('/api/v1/offers', { ...base, ...body });
      expect({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error?.code }, JSON.stringify(body)).toEqual({ status, code });
    };
    const session = base.sessions[0]!;
    await bad({ sessions: [{ ...session, timeZone: 'Mars/Olympus_Mons' }] }, 'VALIDATION_FAILED');
    await bad({ sessions: [{ ...session, timeZone: '+01:00' }] }, 'VALIDATION_FAILED');
    await bad({ sessions: [{ ...session, startsAt: '2027-02-30T09:00' }] }, 'VALIDATION_FAILED');
    await bad({ sessions: [{ ...session, endsAt: '2027-02-15T08:00' }] }, 'VALIDATION_FAILED');
    await bad({ sessions: [{ ...session, seats: 0 }] }, 'VALIDATION_FAILED');
    // 2027-03-28 02:30 does not exist in Madrid: the clocks go from 02:00 to 03:00.
    await bad({ sessions: [{ ...session, timeZone: 'Europe/Madrid', startsAt: '2027-03-28T02:30' }] }, 'VALIDATION_FAILED');
    await bad({ sessions: [session, { ...session, country: 'ZZ' }] }, 'VALIDATION_FAILED');
    await bad({ concepts: ['takeaways/none'] }, 'UNKNOWN_CONCEPT');
    await bad({ partners: [{ role: 'implementing' }] }, 'VALIDATION_FAILED');
    await bad({ partners: [{ organisationId: orgCl, role: 'donor' }] }, 'VALIDATION_FAILED');
    await bad({ collaborationType: '5' }, 'VALIDATION_FAILED');
    await bad({ type: 'party' }, 'VALIDATION_FAILED');
    await bad({ languages: ['not a tag'] }, 'VALIDATION_FAILED');
    expect(await Promise.all([count('offers'), count('offer_sessions'), count('offer_partners')])).toEqual(before);
  });

  it('never lets the seats of a session go below those confirmed, nor removes a session people come to', async () => {
    const o = await create(provider, { title: 'Seats check' });
    const s = o.sessions[0]!;
    await t.db.updateTable('offer_sessions').set({ confirmed: 5 }).where('id', '=', s.id).execute();
    const session = { ...base.sessions[0]!, seats: 4 };
    const under = await provider.put(`/api/v1/offers/${o.id}/sessions/${s.id}`, session);
    expect(under.statusCode).toBe(409);
    expect(under.json()).toMatchObject({ error: { code: 'INVALID_STATE', details: { confirmed: 5 } } });
    expect((await provider.del(`/api/v1/offers/${o.id}/sessions/${s.id}`)).statusCode).toBe(409);
    const ok = await provider.put(`/api/v1/offers/${o.id}/sessions/${s.id}`, { ...session, seats: 5 });
    expect(ok.json()).toMatchObject({ sessions: [{ seats: 5, freeSeats: 0 }] });
    const added = await provider.post(`/api/v1/offers/${o.id}/sessions`, { startsAt: '2027-09-01T10:00:00Z', endsAt: '2027-09-01T12:00:00Z', timeZone: 'UTC', online: true, seats: 100 });
    expect(added.statusCode, added.body).toBe(201);
    const other = (added.json() as Offer).sessions.find((x) => x.id !== s.id)!;
    expect((await colleague.del(`/api/v1/offers/${o.id}/sessions/${other.id}`)).statusCode).toBe(403);
    expect(((await provider.del(`/api/v1/offers/${o.id}/sessions/${other.id}`)).json() as Offer).sessions.map((x) => x.id)).toEqual([s.id]);
  });

  it('exports what the reader may see as IATI 2.03 that validates against the schema, triangular cooperation included', async () => {
    const o = await create(provider, {
      title: 'Triangular IATI export',
      partners: [{ organisationId: orgEu, role: 'funding' }, { organisationId: orgEu, role: 'extending' }, { organisationId: orgCl, role: 'implementing' }],
    });
    await provider.put(`/api/v1/offers/${o.id}/translations/en`, { title: 'Triangular IATI export (en)', summary: 'Triangular cooperation <for> & "sectoral" CSIRTs.' });
    const green = await create(provider, { title: 'Members-only IATI', tlp: 'GREEN' });
    for (const x of [o, green]) await provider.post(`/api/v1/offers/${x.id}/publish`);
    const pub = await anonymous('/api/v1/offers/export.iati.xml?concept=takeaways/7c');
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toMatch(/^application\/xml/);
    validIati(pub.body);
    expect(pub.body).toContain(o.id);
    expect(pub.body).not.toContain(green.id);
    expect((await outsider.get('/api/v1/offers/export.iati.xml?concept=takeaways/7c')).body).toContain(green.id);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => ['iati-activity', 'participating-org', 'narrative', 'sector', 'recipient-country'].includes(n) }).parse(pub.body) as {
      'iati-activities': { 'iati-activity': Record<string, unknown>[] };
    };
    const act = doc['iati-activities']['iati-activity'].find((a) => String(a['iati-identifier']).endsWith(o.id)) as {
      title: { narrative: { '#text': string; '@_xml:lang': string }[] };
      'participating-org': { '@_role': string; narrative: string[] }[];
      'collaboration-type': { '@_code': string };
      'recipient-country': { '@_code': string }[];
      sector: { '@_code': string; '@_vocabulary': string }[];
      'activity-date': { '@_type': string; '@_iso-date': string }[];
    };
    expect(act.title.narrative.map((n) => n['@_xml:lang']).sort()).toEqual(['en', 'es']);
    expect(act['participating-org'].map((x) => x['@_role'])).toEqual(['1', '3', '4']);
    expect(act['participating-org'][2]!.narrative).toEqual(['CSIRT de Chile (prueba)']);
    expect(act['collaboration-type']['@_code']).toBe('8');
    expect(act['recipient-country'].map((c) => c['@_code'])).toEqual(['DO']);
    expect(act.sector.map((s) => s['@_code'])).toEqual(['takeaways/7c', 'gfce-themes/b']);
    expect(act['activity-date']).toEqual([
      { '@_type': '1', '@_iso-date': '2027-02-15' },
      { '@_type': '3', '@_iso-date': '2027-02-17' },
    ]);
    expect((await anonymous('/api/v1/offers/export.iati.xml?from=yesterday')).statusCode).toBe(400);
  });

  it('shows a published CLEAR offer on the public portal with schema.org data, in the sitemap and on its concept’s page', async () => {
    const o = await create(provider, { title: 'Portal page of an offer <b>', summary: 'Visible to anyone.', description: '## Programa\n\nDía **uno**.' });
    expect((await anonymous(`/offers/${o.slug}`)).statusCode).not.toBe(200);
    await provider.post(`/api/v1/offers/${o.id}/publish`);
    const page = await anonymous(`/offers/${o.slug}?lang=es`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Portal page of an offer &lt;b&gt;');
    expect(page.body).toContain('<strong>uno</strong>');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]!) as { '@type': string; subEvent: { startDate: string; location: { address: { addressCountry: string } } }[] };
    expect(ld['@type']).toBe('EducationEvent');
    expect(ld.subEvent[0]).toMatchObject({ startDate: '2027-02-15T13:00:00.000Z', location: { address: { addressCountry: 'DO' } } });
    expect((await anonymous('/sitemap.xml')).body).toContain(`/offers/${o.slug}</loc>`);
    const concept = await anonymous('/vocabularies/takeaways/7c');
    expect(concept.body).toContain(`/offers/${o.slug}`);
    // A signed-in reader gets the web app at the same address.
    expect((await t.app.inject({ method: 'GET', url: `/offers/${o.slug}`, headers: { cookie: provider.cookie } })).body).not.toContain('application/ld+json');
  });

  it('puts offers in the translation queue and takes their translations back as XLIFF', async () => {
    const o = await create(provider, { title: 'Oferta por traducir', summary: 'Resumen', howToApply: 'Postule en Puente.' });
    const queue = (await provider.get('/api/v1/translations/queue')).json() as { items: { kind: string; id: string; missing: string[] }[] };
    expect(queue.items.find((i) => i.id === o.id)).toMatchObject({ kind: 'offer', missing: ['en', 'pt', 'fr'] });
    const xliff = await provider.get(`/api/v1/translations/offer/${o.id}/xliff?target=fr`);
    expect(xliff.statusCode).toBe(200);
    expect(xliff.body).toContain('id="howToApply"');
    expect((await outsider.get(`/api/v1/translations/offer/${o.id}/xliff?target=fr`)).statusCode).toBe(404);
  });
});

describe('the demo offers', () => {
  it('hold the issue’s four offers, the summer school in four languages, the triangular assistance, and export as valid IATI', async () => {
    const d = await createTestApp();
    try {
      await loadDemo(d.db, TEST_PASSWORD);
      const pub = (await d.app.inject({ method: 'GET', url: '/api/v1/offers?limit=100' })).json() as { items: (Offer & { type: string; translation: { versions: { language: string }[] } })[] };
      const types = pub.items.map((i) => i.type);
      expect(types).toEqual(expect.arrayContaining(['summer-school', 'study-visit', 'assistance-csirt-soc']));
      const summer = pub.items.find((i) => i.type === 'summer-school')!;
      expect(summer.translation.versions.map((v) => v.language).sort()).toEqual(['en', 'es', 'fr', 'pt-BR']);
      const triangular = pub.items.find((i) => i.type === 'assistance-csirt-soc')!;
      expect(triangular.triangular).toBe(true);
      expect(triangular.partners.map((p) => p.role).sort()).toEqual(['extending', 'funding', 'implementing']);
      // The table-top exercise is for the CSIRTs community (AMBER): a CSIRT analyst sees it, the public does not.
      expect(types).not.toContain('exercise-tabletop');
      const analyst = await login(d.app, 'analyst.cl@demo.puente.test');
      expect(((await analyst.get('/api/v1/offers?limit=100')).json() as { items: { type: string }[] }).items.map((i) => i.type)).toContain('exercise-tabletop');
      validIati((await d.app.inject({ method: 'GET', url: '/api/v1/offers/export.iati.xml' })).body);
      validIati((await analyst.get('/api/v1/offers/export.iati.xml')).body);
    } finally {
      await d.close();
    }
  }, 120_000);
});
