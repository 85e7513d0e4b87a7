import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { parseCsv } from '../../platform/csv.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { durationOf, percentile } from './service.js';

const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();
const xmllint = spawnSync('sh', ['-c', 'command -v xmllint']).stdout.toString().trim();
const XSD = path.join(path.dirname(new URL(import.meta.url).pathname), '../../test/fixtures/iati/iati-activities-schema.xsd');
const HOUR = 3_600_000;

let t: TestApp;
let secretariat: Client;
let focal: Client;
let agency: Client;
let outsider: Client;
const ids = { request: '', hidden: '', offer: '', agencyOrg: '', chileOrg: '', domOrg: '' };

async function signedIn(personId: string) {
  const s = await createSession(t.db, personId, t.deps.config.session, {});
  return clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
}
const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

function validIati(xml: string) {
  expect(xml).toContain('<iati-activities version="2.03"');
  if (!xmllint) return;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'capacity-iati-')), 'a.xml');
  writeFileSync(file, xml);
  const r = spawnSync(xmllint, ['--noout', '--schema', XSD, file]);
  expect(r.stderr.toString()).toMatch(/validates/);
  expect(r.status).toBe(0);
}

function pdfText(pdf: Buffer) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'capacity-pdf-'));
  writeFileSync(path.join(dir, 'd.pdf'), pdf);
  const out = spawnSync(pdftotext, ['-layout', '-enc', 'UTF-8', path.join(dir, 'd.pdf'), '-']);
  expect(out.status, out.stderr.toString()).toBe(0);
  return out.stdout.toString('utf8');
}

/**
 * The done-when story in small: a Dominican focal point's confidential request for a sectoral
 * CSIRT, answered together by an EU agency and the Chilean CSIRT, delivered, evaluated; Dominican
 * analysts took part in a course. The secretariat's dashboard and IATI file show it all; the public
 * and a member outside the request's audience see no trace of it.
 */
beforeAll(async () => {
  t = await createTestApp();
  const secOrg = await makeOrganisation(t.db, { name: 'Secretariat', country: 'BE', type: 'international_organisation' });
  ids.domOrg = await makeOrganisation(t.db, { name: 'MFA Dominican Republic', country: 'DO', type: 'mfa' });
  ids.agencyOrg = await makeOrganisation(t.db, { name: 'Team Europe agency', country: 'DE', type: 'team_europe_agency' });
  ids.chileOrg = await makeOrganisation(t.db, { name: 'CSIRT Chile', country: 'CL', type: 'national_csirt' });
  const outsiderOrg = await makeOrganisation(t.db, { name: 'Energy Colombia', country: 'CO', type: 'private_sector' });
  const sec = await makePerson(t.db, secOrg, { roles: ['member', 'secretariat'] });
  const diplomat = await makePerson(t.db, ids.domOrg, { roles: ['member', 'org_admin'] });
  const provider = await makePerson(t.db, ids.agencyOrg);
  const chilean = await makePerson(t.db, ids.chileOrg);
  const other = await makePerson(t.db, outsiderOrg);
  const analyst = await makePerson(t.db, ids.domOrg);
  await t.db.insertInto('country_focal_points').values({ country_code: 'DO', person_id: diplomat.id }).execute();
  const providers = await makeCommunity(t.db, { organisations: [ids.agencyOrg, ids.chileOrg] });
  secretariat = await signedIn(sec.id);
  focal = await signedIn(diplomat.id);
  agency = await signedIn(provider.id);
  outsider = await signedIn(other.id);

  // A CLEAR course for the whole region, funded by the EU agency, with two Dominican participants (one completed).
  ids.offer = newId();
  await t.db
    .insertInto('offers')
    .values({
      id: ids.offer,
      slug: 'csirt-course',
      type: 'training-course',
      title: 'Setting up a sectoral CSIRT',
      language: 'en',
      concepts: ['gfce-themes/c'],
      languages: ['es'],
      format: 'online',
      countries: ['DO', 'CL'],
      status: 'published',
      published_at: new Date('2027-01-10T00:00:00Z'),
      tlp: 'CLEAR',
      pap: 'CLEAR',
      author_id: chilean.id,
      author_org_id: ids.chileOrg,
    })
    .execute();
  await t.db.insertInto('offer_partners').values({ id: newId(), offer_id: ids.offer, organisation_id: ids.agencyOrg, role: 'funding' }).execute();
  const session = newId();
  await t.db
    .insertInto('offer_sessions')
    .values({ id: session, offer_id: ids.offer, starts_at: new Date('2027-05-10T13:00:00Z'), ends_at: new Date('2027-05-14T21:00:00Z'), time_zone: 'America/Santo_Domingo', seats: 20, confirmed: 2 })
    .execute();
  for (const [n, person, completed] of [
    [1, analyst.id, true],
    [2, diplomat.id, false],
  ] as const)
    await t.db
      .insertInto('applications')
      .values({ id: newId(), offer_id: ids.offer, session_id: session, person_id: person, organisation_id: ids.domOrg, country: 'DO', status: 'selected', ticket: n, attended: completed || null, completed: completed || null })
      .execute();

  // The request: AMBER, shared with the secretariat's organisation and the providers' community.
  const request = async (o: { status: string; audienceCommunities: string[]; steps: number[] }) => {
    const id = newId();
    const start = new Date('2027-02-01T09:00:00Z');
    await t.db
      .insertInto('assistance_requests')
      .values({
        id,
        country_code: 'DO',
        title: 'A CSIRT for the energy sector',
        wanted: 'Help to set up a sectoral CSIRT for the electricity grid',
        language: 'es',
        translations: JSON.stringify({ en: { fields: { title: 'A CSIRT for the energy sector' }, basedOn: 1, machine: false, at: start.toISOString(), by: null } }),
        concepts: ['gfce-themes/c'],
        languages: ['es'],
        status: o.status,
        tlp: 'AMBER',
        pap: 'AMBER',
        author_id: diplomat.id,
        author_org_id: ids.domOrg,
        audience_organisations: [secOrg],
        audience_communities: o.audienceCommunities,
        created_at: start,
      })
      .execute();
    const statuses = ['submitted', 'triaged', 'open', 'matched', 'in-delivery', 'completed', 'evaluated'];
    for (const [i, h] of o.steps.entries()) await t.db.insertInto('request_steps').values({ id: newId(), request_id: id, status: statuses[i]!, at: new Date(start.getTime() + h * HOUR) }).execute();
    return id;
  };
  ids.request = await request({ status: 'evaluated', audienceCommunities: [providers], steps: [0, 24, 48, 240, 480, 2400, 2500] });
  const interest = newId();
  await t.db
    .insertInto('request_interests')
    .values({
      id: interest,
      request_id: ids.request,
      message: 'Together with CSIRT Chile.',
      partner_org_ids: [ids.chileOrg],
      offer_ids: [ids.offer],
      status: 'chosen',
      tlp: 'AMBER+STRICT',
      pap: 'AMBER',
      author_id: provider.id,
      author_org_id: ids.agencyOrg,
      audience_organisations: [ids.domOrg, secOrg, ids.chileOrg],
    })
    .execute();
  await t.db.updateTable('assistance_requests').set({ chosen_interest_id: interest }).where('id', '=', ids.request).execute();
  // A second one, only submitted: the secretariat and the requester see it, nobody else yet.
  ids.hidden = await request({ status: 'submitted', audienceCommunities: [providers], steps: [0] });
});
afterAll(async () => t?.close());

describe('percentiles', () => {
  it('interpolate between the closest ranks, as PostgreSQL’s percentile_cont, and say nothing of nothing', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([10], 0.75)).toBe(10);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(3); // 2.5, rounded half up
    expect(percentile([0, 100], 0.75)).toBe(75);
    expect(durationOf([400, 100, 300, 200])).toEqual({ count: 4, median: 250, p75: 325 });
  });
});

describe('the capacity-building dashboard', () => {
  it('shows the secretariat the request, its timings, the participants and the map', async () => {
    const res = await secretariat.get('/api/v1/capacity/dashboard?lang=es');
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.requests.total).toBe(2);
    expect(d.requests.byStatus.find((x: { status: string }) => x.status === 'evaluated').requests).toBe(1);
    expect(d.requests.byStatus.find((x: { status: string }) => x.status === 'submitted').requests).toBe(1);
    expect(d.requests.toMatched).toEqual({ count: 1, median: 240 * 3600, p75: 240 * 3600 });
    expect(d.requests.toDelivery).toEqual({ count: 1, median: 480 * 3600, p75: 480 * 3600 });
    expect(d.offers.total).toBe(1);
    expect(d.offers.byConcept).toEqual([{ concept: 'gfce-themes/c', label: expect.any(String), lang: expect.any(String), offers: 1 }]);
    expect(d.offers.byRegion.find((x: { region: string; subregion: string | null }) => x.region === 'EU' && x.subregion === null).offers).toBe(0);
    expect(d.offers.byRegion.find((x: { region: string; subregion: string | null }) => x.subregion === 'Caribbean').offers).toBe(1);
    // The secretariat reads every offer's outcomes: both participants.
    expect(d.participants).toMatchObject({ selected: 2, completed: 1, byCountry: [{ country: 'DO', selected: 2, completed: 1 }] });
    expect(d.countries.find((c: { code: string }) => c.code === 'DO')).toEqual({ code: 'DO', region: 'LAC', subregion: 'Caribbean', offers: 1, requests: 2, participants: 2 });
    expect(d.countries).toHaveLength(60);
  });

  it('gives the public and an outsider no trace of the confidential request, not even in a count or a time', async () => {
    for (const res of [await anonymous('/api/v1/capacity/dashboard'), await outsider.get('/api/v1/capacity/dashboard')]) {
      const d = res.json();
      expect(d.requests.total).toBe(0);
      expect(d.requests.toMatched).toEqual({ count: 0, median: null, p75: null });
      expect(d.countries.find((c: { code: string }) => c.code === 'DO')).toMatchObject({ requests: 0, offers: 1 });
      // Applications are counted only by those who may read them or the offer's outcomes.
      expect(d.participants.selected).toBe(0);
    }
    // A provider of the community sees the opened request, not the one still waiting for triage; as the course's funder (a partner) it counts its participants.
    const d = (await agency.get('/api/v1/capacity/dashboard')).json();
    expect(d.requests.total).toBe(1);
    expect(d.participants.selected).toBe(2);
    // The Dominican focal point: both of their organisation's requests; as its admin, both participants.
    const mine = (await focal.get('/api/v1/capacity/dashboard?country=DO')).json();
    expect(mine.requests.total).toBe(2);
    expect(mine.countries).toHaveLength(1);
    expect(mine.participants.selected).toBe(2);
  });

  it('narrows by window, concept, region and country', async () => {
    const june = (await secretariat.get('/api/v1/capacity/dashboard?from=2027-06-01&to=2027-06-30')).json();
    expect([june.offers.total, june.requests.total, june.participants.selected]).toEqual([0, 0, 0]);
    const may = (await secretariat.get('/api/v1/capacity/dashboard?from=2027-05-14&to=2027-05-31')).json();
    expect([may.offers.total, may.requests.total, may.participants.selected]).toEqual([1, 0, 2]);
    const eu = (await secretariat.get('/api/v1/capacity/dashboard?region=EU')).json();
    expect([eu.offers.total, eu.requests.total, eu.participants.selected, eu.countries.length]).toEqual([0, 0, 0, 27]);
    const caribbean = (await secretariat.get('/api/v1/capacity/dashboard?region=Caribbean&concept=gfce-themes/c')).json();
    expect([caribbean.offers.total, caribbean.requests.total, caribbean.participants.selected]).toEqual([1, 2, 2]);
    expect(caribbean.offers.byRegion.map((r: { subregion: string | null }) => r.subregion)).toEqual([null, 'Caribbean']);
  });

  it('refuses impossible filters with a 400 and says which', async () => {
    for (const [query, code, field] of [
      ['from=2027-02-30', 'VALIDATION_FAILED', 'from'],
      ['from=2027-03-01&to=2027-02-01', 'VALIDATION_FAILED', 'to'],
      ['region=Atlantis', 'VALIDATION_FAILED', 'region'],
      ['country=US', 'VALIDATION_FAILED', 'country'],
      ['concept=gfce-themes/no-such-theme', 'UNKNOWN_CONCEPT', 'concepts'],
    ] as const) {
      const res = await anonymous(`/api/v1/capacity/dashboard?${query}`);
      expect({ query, status: res.statusCode, code: res.json().error.code }).toEqual({ query, status: 400, code });
      expect(res.json().error.details?.field).toBe(field);
    }
    expect((await anonymous('/api/v1/capacity/dashboard?from=yesterday')).statusCode).toBe(400);
    expect((await anonymous('/api/v1/capacity/dashboard?colour=red')).statusCode).toBe(400);
    expect((await anonymous('/api/v1/capacity/dashboard.csv?region=Atlantis')).statusCode).toBe(400);
  });

  it('exports the same figures as one CSV with a section column', async () => {
    const res = await secretariat.get('/api/v1/capacity/dashboard.csv?from=2027-01-01&to=2027-12-31');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="capacity-2027-01-01-2027-12-31.csv"');
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['section', 'key', 'label', 'measure', 'value']);
    const at = (section: string, key: string, measure: string) => rows.find((r) => r[0] === section && r[1] === key && r[3] === measure)?.[4];
    expect(at('requests_by_status', 'evaluated', 'requests')).toBe('1');
    expect(at('request_times', 'submitted-to-matched', 'median_seconds')).toBe(String(240 * 3600));
    expect(at('participants_by_country', 'DO', 'completed')).toBe('1');
    expect(at('countries', 'DO', 'requests')).toBe('2');
    expect(rows.find((r) => r[0] === 'countries' && r[1] === 'DO')?.[2]).toBe('Dominican Republic');
  });

  it('exports a PDF in the reader’s language', async () => {
    const res = await secretariat.get('/api/v1/capacity/dashboard.pdf?lang=es');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (!pdftotext) return;
    const es = pdfText(res.rawPayload);
    expect(es).toContain('Panel de desarrollo de capacidades');
    expect(es).toMatch(/Evaluada\s+1/);
    expect(es).toMatch(/República Dominicana\s+1\s+2\s+2/);
    expect(es).toMatch(/De presentada a emparejada\s+1\s+10,0\s+10,0/);
    const fr = pdfText((await anonymous('/api/v1/capacity/dashboard.pdf?lang=fr')).rawPayload);
    expect(fr).toContain('Tableau de bord du renforcement des capacités');
    expect(fr).toContain('le public (contenu CLEAR uniquement)');
    expect(fr).toMatch(/Évaluée\s+0/);
    const pt = pdfText((await focal.get('/api/v1/capacity/dashboard.pdf?lang=pt-BR&region=LAC')).rawPayload);
    expect(pt).toContain('Painel de capacitação');
    expect(pt).toContain('Região: América Latina e Caribe');
  });
});

describe('completed assistance in the IATI file', () => {
  it('adds the delivered request with its organisations and roles, as triangular cooperation, and validates', async () => {
    const res = await secretariat.get('/api/v1/offers/export.iati.xml?include=assistance');
    expect(res.statusCode).toBe(200);
    const xml = res.body;
    validIati(xml);
    const activity = xml.slice(xml.indexOf(`-${ids.request}</iati-identifier>`));
    expect(activity).toContain(`<reporting-org ref="XI-PUENTE-${ids.agencyOrg}" type="15">`);
    expect(activity).toContain(`<participating-org role="4" ref="XI-PUENTE-${ids.agencyOrg}" type="15">`);
    expect(activity).toContain(`<participating-org role="4" ref="XI-PUENTE-${ids.chileOrg}" type="10">`);
    // The course the answer proposed: its funder, with its IATI role.
    expect(activity).toContain(`<participating-org role="1" ref="XI-PUENTE-${ids.agencyOrg}" type="15">`);
    expect(activity).toContain('<recipient-country code="DO"/>');
    expect(activity).toContain('<collaboration-type code="8"/>');
    expect(activity).toContain('<activity-status code="4"/>');
    expect(activity).toContain('<activity-date type="2" iso-date="2027-02-21"/>');
    expect(activity).toContain('<narrative xml:lang="en">A CSIRT for the energy sector</narrative>');
    expect(xml).not.toContain(ids.hidden);
    // Filters a request has narrow it; without `include` the file holds offers only.
    expect((await secretariat.get('/api/v1/offers/export.iati.xml?include=assistance&country=CL')).body).not.toContain(ids.request);
    expect((await secretariat.get('/api/v1/offers/export.iati.xml?include=assistance&from=2027-05-01&to=2027-06-30')).body).toContain(ids.request);
    expect((await secretariat.get('/api/v1/offers/export.iati.xml?include=assistance&from=2027-06-01')).body).not.toContain(ids.request);
    expect((await secretariat.get('/api/v1/offers/export.iati.xml')).body).not.toContain(ids.request);
    expect((await secretariat.get('/api/v1/offers/export.iati.xml?include=everything')).statusCode).toBe(400);
  });

  it('never gives it to a reader who may not see the request, nor to one who may not see who answered', async () => {
    expect((await anonymous('/api/v1/offers/export.iati.xml?include=assistance')).body).not.toContain(ids.request);
    expect((await outsider.get('/api/v1/offers/export.iati.xml?include=assistance')).body).not.toContain(ids.request);
    // A provider of the community who did not answer sees the request, not the answer: no activity.
    const other = await makeOrganisation(t.db, { name: 'Another agency', country: 'FR', type: 'team_europe_agency' });
    const community = (await t.db.selectFrom('assistance_requests').select('audience_communities').where('id', '=', ids.request).executeTakeFirstOrThrow()).audience_communities[0]!;
    await t.db.insertInto('community_organisations').values({ community_id: community, organisation_id: other }).execute();
    const reader = await signedIn((await makePerson(t.db, other)).id);
    expect((await reader.get(`/api/v1/requests/${ids.request}`)).statusCode).toBe(200);
    expect((await reader.get('/api/v1/offers/export.iati.xml?include=assistance')).body).not.toContain(ids.request);
    // The requester sees both.
    expect((await focal.get('/api/v1/offers/export.iati.xml?include=assistance')).body).toContain(ids.request);
  });
});

describe('an international body among the participants', () => {
  // `INT` is the directory's country of international bodies, not a region code: the runtime's
  // region names throw on it, and the exports answered 500.
  it('is named in the reader’s language in the CSV and the PDF', async () => {
    const body = await makeOrganisation(t.db, { name: 'Regional organisation', country: 'INT', type: 'international_organisation' });
    const person = await makePerson(t.db, body);
    const session = (await t.db.selectFrom('offer_sessions').select('id').where('offer_id', '=', ids.offer).executeTakeFirstOrThrow()).id;
    await t.db.insertInto('applications').values({ id: newId(), offer_id: ids.offer, session_id: session, person_id: person.id, organisation_id: body, country: 'INT', status: 'selected', ticket: 3 }).execute();

    const csv = await secretariat.get('/api/v1/capacity/dashboard.csv?lang=es');
    expect(csv.statusCode).toBe(200);
    const rows = parseCsv(csv.body.replace(/^\uFEFF/, ''));
    expect(rows.find((r) => r[0] === 'participants_by_country' && r[1] === 'INT' && r[3] === 'selected')?.slice(2)).toEqual(['Organismo internacional', 'selected', '1']);
    const es = await secretariat.get('/api/v1/capacity/dashboard.pdf?lang=es');
    expect(es.statusCode).toBe(200);
    if (pdftotext) expect(pdfText(es.rawPayload)).toMatch(/Organismo internacional\s+1\s+0/);
  });
});
