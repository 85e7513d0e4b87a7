/**
 * Organisation profiles: the public part for anyone (approved organisations
 * only), the member part for vetted members, editing by the organisation's
 * admins with before/after audit and an event that carries field names only,
 * and logos checked by their bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let orgA: string, orgB: string, requested: string, suspended: string, secOrg: string;
let aAdmin: Client, aMember: Client, bAdmin: Client, sec: Client;

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(64, 2)]);

const code = (res: LightMyRequestResponse) => res.json().error?.code;
const anon = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const counts = async () => {
  const base = await tableCounts(t.db);
  for (const table of ['organisation_profiles', 'organisation_descriptions', 'organisation_logos'] as const) {
    const r = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    base[table] = Number(r.n);
  }
  return base;
};
function putLogo(c: Client | null, id: string, body: Buffer | string, contentType: string) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/v1/organisations/${id}/logo`,
    payload: body,
    headers: { 'content-type': contentType, ...(c && { cookie: c.cookie, 'x-csrf-token': c.csrf }) },
  });
}

const MEMBER_PART = {
  ipRanges: ['192.0.2.0/24', '2001:db8::/32'],
  asns: [64500, 4294967295],
  domains: ['cert-a.example.org', 'CSIRT.example.net'],
  sectorsServed: ['energy', 'health'],
  operatingHours: '24/7',
  timeZone: 'America/Sao_Paulo',
  establishedOn: '2006-05-01',
  memberships: ['first', 'csirt_americas'],
  otherMemberships: ['LACNIC CSIRT'],
};

beforeAll(async () => {
  t = await createTestApp();
  secOrg = await makeOrganisation(t.db, { name: 'Secretariat P', country: 'ES' });
  orgA = await makeOrganisation(t.db, { name: 'CERT Alpha', country: 'BR' });
  orgB = await makeOrganisation(t.db, { name: 'CERT Beta', country: 'CL' });
  requested = await makeOrganisation(t.db, { name: 'CERT Requested', country: 'PE', status: 'requested' });
  suspended = await makeOrganisation(t.db, { name: 'CERT Suspended', country: 'UY', status: 'suspended' });
  sec = await login(t.app, (await makePerson(t.db, secOrg, { roles: ['member', 'org_admin', 'secretariat'] })).email);
  aAdmin = await login(t.app, (await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] })).email);
  aMember = await login(t.app, (await makePerson(t.db, orgA)).email);
  bAdmin = await login(t.app, (await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] })).email);
});
afterAll(async () => {
  await t?.close();
});

describe('editing a profile', () => {
  it('lets the organisation’s admin set the public and member parts, audited with before and after', async () => {
    const res = await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, {
      acronym: 'CA',
      website: 'https://cert-a.example.org',
      sectors: ['energy'],
      languages: ['pt', 'en'],
      descriptions: { pt: 'CSIRT nacional do Brasil.', en: 'National CSIRT of Brazil.', es: 'CSIRT nacional de Brasil.' },
      ...MEMBER_PART,
    });
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    expect(o).toMatchObject({ acronym: 'CA', website: 'https://cert-a.example.org', languages: ['pt', 'en'], descriptions: { pt: 'CSIRT nacional do Brasil.', en: 'National CSIRT of Brazil.' } });
    expect(o.memberProfile).toEqual({ ...MEMBER_PART, domains: ['cert-a.example.org', 'csirt.example.net'] });

    const audit = await t.db.selectFrom('audit_log').select(['action', 'details', 'actor_id']).where('target_id', '=', orgA).where('action', '=', 'organisation.profile_changed').execute();
    expect(audit).toHaveLength(1);
    const changes = (audit[0].details as { changes: Record<string, { before: unknown; after: unknown }> }).changes;
    expect(changes.acronym).toEqual({ before: null, after: 'CA' });
    expect(changes.asns).toEqual({ before: [], after: [64500, 4294967295] });
    expect(changes.timeZone).toEqual({ before: null, after: 'America/Sao_Paulo' });
    expect(changes.descriptions.before).toEqual({});
  });

  it('puts field names, never member-part values, in a GREEN event', async () => {
    const ev = await t.db.selectFrom('events').selectAll().where('type', '=', 'organisation.profile_changed').where('subject_id', '=', orgA).execute();
    expect(ev).toHaveLength(1);
    expect(ev[0].tlp).toBe('GREEN');
    const payload = ev[0].payload as { organisationId: string; fields: string[] };
    expect(payload.organisationId).toBe(orgA);
    expect(payload.fields).toEqual(expect.arrayContaining(['ipRanges', 'asns', 'domains', 'timeZone', 'acronym']));
    const text = JSON.stringify(ev[0].payload);
    for (const v of ['192.0.2.0', '2001:db8', '64500', 'cert-a.example.org', 'Sao_Paulo', '2006-05-01', 'LACNIC', '24/7']) expect(text, v).not.toContain(v);
    expect(Object.keys(payload).sort()).toEqual(['fields', 'organisationId']);
  });

  it('records nothing when nothing changes', async () => {
    const before = await counts();
    const res = await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { asns: [64500, 4294967295] });
    expect(res.statusCode).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it('refuses admins of another organisation, plain members and anonymous callers', async () => {
    const before = await counts();
    const b = await bAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { acronym: 'HACK' });
    expect(b.statusCode).toBe(403);
    expect(code(b)).toBe('FORBIDDEN');
    expect((await aMember.patch(`/api/v1/organisations/${orgA}/profile`, { acronym: 'HACK' })).statusCode).toBe(403);
    const a = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${orgA}/profile`, payload: { acronym: 'HACK' } });
    expect(a.statusCode).toBe(401);
    // Name, country and type are the secretariat's.
    const name = await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { name: 'Renamed' });
    expect(name.statusCode).toBe(403);
    expect(name.json().error.details).toEqual({ fields: ['name'] });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['ipRanges', { ipRanges: ['192.0.2.0/24', '192.0.2.1/24'] }],
    ['ipRanges', { ipRanges: ['300.1.2.0/24'] }],
    ['asns', { asns: [0] }],
    ['asns', { asns: [4294967296] }],
    ['domains', { domains: ['ok.example.org', 'not a domain'] }],
    ['domains', { domains: ['-bad.example.org'] }],
    ['sectorsServed', { sectorsServed: ['energy', 'astrology'] }],
    ['sectors', { sectors: ['astrology'] }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['establishedOn', { establishedOn: '2021-02-30' }],
    ['website', { website: 'javascript:alert(1)' }],
    ['descriptions', { descriptions: { xx: 'nope' } }],
  ])('refuses a bad %s with 400 and changes nothing', async (field, body) => {
    const before = await counts();
    const profileBefore = (await aAdmin.get(`/api/v1/organisations/${orgA}`)).json();
    const res = await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { acronym: 'CHANGED', ...body });
    expect(res.statusCode, res.body).toBe(400);
    expect(code(res)).toBe('VALIDATION_FAILED');
    expect(res.json().error.details).toMatchObject({ field });
    expect(await counts()).toEqual(before);
    expect((await aAdmin.get(`/api/v1/organisations/${orgA}`)).json()).toEqual(profileBefore);
  });

  it('refuses unknown fields and a membership outside the list', async () => {
    const before = await counts();
    expect((await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { status: 'approved' })).statusCode).toBe(400);
    expect((await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { memberships: ['nato'] })).statusCode).toBe(400);
    expect((await aAdmin.patch(`/api/v1/organisations/${orgA}/profile`, { asns: [1.5] })).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('the secretariat may edit any profile, including the name', async () => {
    const res = await sec.patch(`/api/v1/organisations/${orgB}/profile`, { name: 'CERT Beta Chile', descriptions: { es: 'CSIRT de Chile.', fr: 'CSIRT du Chili.' }, ipRanges: ['198.51.100.0/24'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'CERT Beta Chile', memberProfile: { ipRanges: ['198.51.100.0/24'] } });
    const ev = await t.db.selectFrom('events').select(['tlp', 'payload']).where('type', '=', 'organisation.profile_changed').where('subject_id', '=', orgB).executeTakeFirstOrThrow();
    expect(JSON.stringify(ev.payload)).not.toContain('198.51.100');
  });
});

describe('who reads what', () => {
  it('anyone reads the public part of approved organisations, in their language', async () => {
    const list = await anon('/api/v1/organisations', { 'accept-language': 'es-ES,es;q=0.9' });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as Record<string, unknown>[];
    const ids = items.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([orgA, orgB, secOrg]));
    expect(ids).not.toContain(requested);
    expect(ids).not.toContain(suspended);
    const a = items.find((o) => o.id === orgA)!;
    expect(a).toMatchObject({ name: 'CERT Alpha', acronym: 'CA', country: 'BR', sectors: ['energy'], website: 'https://cert-a.example.org', description: 'CSIRT nacional de Brasil.', descriptionLanguage: 'es' });
    for (const o of items) {
      for (const k of ['memberProfile', 'memberCount', 'mfaRequired', 'statusReason', 'requester']) expect(o, k).not.toHaveProperty(k);
      expect(o.status).toBe('approved');
    }
    expect(list.body).not.toContain('192.0.2.0');

    // Not the viewer's language: the organisation's first; a ?lang beats the header.
    const one = await anon(`/api/v1/organisations/${orgA}`, { 'accept-language': 'fr' });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ description: 'CSIRT nacional do Brasil.', descriptionLanguage: 'pt' });
    expect(one.json()).not.toHaveProperty('memberProfile');
    expect((await anon(`/api/v1/organisations/${orgA}?lang=en`)).json().description).toBe('National CSIRT of Brazil.');
    // No organisation languages: any description.
    expect((await anon(`/api/v1/organisations/${orgB}?lang=pt`)).json()).toMatchObject({ description: 'CSIRT de Chile.', descriptionLanguage: 'es' });

    // Even with a status filter, anonymous callers see approved organisations only.
    const asked = (await anon('/api/v1/organisations?status=requested')).json().items as { id: string }[];
    expect(asked.map((o) => o.id)).not.toContain(requested);
  });

  it('anyone gets nothing of requested or suspended organisations', async () => {
    for (const id of [requested, suspended]) {
      const res = await anon(`/api/v1/organisations/${id}`);
      expect(res.statusCode).toBe(404);
      expect(code(res)).toBe('NOT_FOUND');
      expect((await anon(`/api/v1/organisations/${id}/logo`)).statusCode).toBe(404);
    }
    // Same answer as an organisation that does not exist.
    expect((await anon('/api/v1/organisations/00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('vetted members of other organisations see the member part; the secretariat too', async () => {
    const b = await bAdmin.get(`/api/v1/organisations/${orgA}`);
    expect(b.statusCode).toBe(200);
    expect(b.json().memberProfile).toMatchObject({ ipRanges: MEMBER_PART.ipRanges, asns: MEMBER_PART.asns, timeZone: 'America/Sao_Paulo', memberships: ['first', 'csirt_americas'] });
    expect(b.json()).toHaveProperty('memberCount');
    const listed = ((await bAdmin.get('/api/v1/organisations')).json().items as { id: string; memberProfile?: unknown }[]).find((o) => o.id === orgA);
    expect(listed?.memberProfile).toBeTruthy();
    expect((await sec.get(`/api/v1/organisations/${requested}`)).json()).toHaveProperty('memberProfile');
    // Members still see nothing of organisations under review.
    expect((await bAdmin.get(`/api/v1/organisations/${requested}`)).statusCode).toBe(404);
  });
});

describe('logos', () => {
  it('takes a PNG from an admin and serves it to anyone, with its type and no sniffing', async () => {
    const res = await putLogo(aAdmin, orgA, PNG, 'image/png');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ contentType: 'image/png', bytes: PNG.length });
    const got = await anon(`/api/v1/organisations/${orgA}/logo`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    const again = await anon(`/api/v1/organisations/${orgA}/logo`, { 'if-none-match': String(got.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect((await anon(`/api/v1/organisations/${orgA}`)).json().logoUrl).toMatch(new RegExp(`^/api/v1/organisations/${orgA}/logo\\?v=`));
    const audit = await t.db.selectFrom('audit_log').select('details').where('target_id', '=', orgA).where('action', '=', 'organisation.profile_changed').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect((audit.details as { changes: { logo: { before: unknown; after: { type: string } } } }).changes.logo).toMatchObject({ before: null, after: { type: 'image/png' } });
    // Replaced by a JPEG.
    expect((await putLogo(aAdmin, orgA, JPEG, 'image/jpeg')).statusCode).toBe(200);
    expect((await anon(`/api/v1/organisations/${orgA}/logo`)).headers['content-type']).toBe('image/jpeg');
  });

  it('checks the bytes, not the label', async () => {
    const before = await counts();
    const plain = await putLogo(aAdmin, orgA, PNG, 'text/plain');
    expect(plain.statusCode).toBe(415);
    expect(code(plain)).toBe('UNSUPPORTED_MEDIA_TYPE');
    const html = await putLogo(aAdmin, orgA, '<!doctype html><script>alert(1)</script>', 'image/png');
    expect(html.statusCode).toBe(415);
    expect(code(html)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(html.json().error.details).toMatchObject({ declared: 'image/png', detected: null });
    const svg = await putLogo(aAdmin, orgA, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml');
    expect(svg.statusCode).toBe(415);
    const mismatch = await putLogo(aAdmin, orgA, PNG, 'image/jpeg');
    expect(mismatch.statusCode).toBe(415);
    const json = await putLogo(aAdmin, orgA, '{"a":1}', 'application/json');
    expect(json.statusCode).toBe(415);
    const empty = await putLogo(aAdmin, orgA, Buffer.alloc(0), 'image/png');
    expect([400, 415]).toContain(empty.statusCode);
    expect(await counts()).toEqual(before);
    expect((await anon(`/api/v1/organisations/${orgA}/logo`)).headers['content-type']).toBe('image/jpeg');
  });

  it('refuses more than 256 KiB with 413', async () => {
    const before = await counts();
    const big = Buffer.concat([PNG, Buffer.alloc(256 * 1024)]);
    const res = await putLogo(aAdmin, orgA, big, 'image/png');
    expect(res.statusCode).toBe(413);
    expect(code(res)).toBe('PAYLOAD_TOO_LARGE');
    const exact = Buffer.concat([PNG, Buffer.alloc(256 * 1024 - PNG.length)]);
    expect((await putLogo(aAdmin, orgA, exact, 'image/png')).statusCode).toBe(200);
    expect((await counts()).organisation_logos).toBe(before.organisation_logos);
  });

  it('only the organisation’s admins (or the secretariat) upload or remove it', async () => {
    const before = await counts();
    expect((await putLogo(bAdmin, orgA, PNG, 'image/png')).statusCode).toBe(403);
    expect((await putLogo(aMember, orgA, PNG, 'image/png')).statusCode).toBe(403);
    expect((await putLogo(null, orgA, PNG, 'image/png')).statusCode).toBe(401);
    expect((await bAdmin.del(`/api/v1/organisations/${orgA}/logo`)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await aAdmin.del(`/api/v1/organisations/${orgA}/logo`)).statusCode).toBe(204);
    expect((await anon(`/api/v1/organisations/${orgA}/logo`)).statusCode).toBe(404);
    expect((await aAdmin.del(`/api/v1/organisations/${orgA}/logo`)).statusCode).toBe(404);
    expect((await anon(`/api/v1/organisations/${orgA}`)).json().logoUrl).toBeNull();
  });
});
