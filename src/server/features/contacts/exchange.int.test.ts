import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as openpgp from 'openpgp';
import ICAL from 'ical.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { parseCsv, writeCsv } from '../../platform/csv.js';

let t: TestApp;
let csirtAdmin: Client, emptyAdmin: Client, outsider: Client, fpEs: Client, csirtMember: Client;
let brCsirt: string, emptyOrg: string, esMfa: string, outsiderOrg: string, community: string;
let armored: string;

const BR_NAME = 'CERT Teste, Brasil; “NIC”';
const EMPTY_NAME = 'CSIRT Vazio';

async function counts() {
  const n = async (tb: 'contacts' | 'audit_log') => Number((await t.db.selectFrom(tb).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { contacts: await n('contacts'), audit: await n('audit_log') };
}

const upload = (c: Client, what: 'preview' | 'commit', body: string | Buffer, format = 'csv', type = 'text/csv') =>
  t.app.inject({ method: 'POST', url: `/api/v1/contacts/import/${what}?format=${format}`, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, payload: body });

/** The properties of every card, as an independent parser reads them (jCard). */
function cards(vcf: string): [string, Record<string, unknown>, string, ...unknown[]][][] {
  const parsed = ICAL.parse(vcf) as unknown;
  const list = (Array.isArray(parsed) && parsed[0] === 'vcard' ? [parsed] : parsed) as [string, [string, Record<string, unknown>, string, ...unknown[]][], unknown[]][];
  return list.map((c) => {
    expect(c[0]).toBe('vcard');
    return c[1];
  });
}
const prop = (card: [string, Record<string, unknown>, string, ...unknown[]][], name: string) => card.filter((p) => p[0] === name);

beforeAll(async () => {
  t = await createTestApp();
  brCsirt = await makeOrganisation(t.db, { country: 'BR', name: BR_NAME });
  emptyOrg = await makeOrganisation(t.db, { country: 'BR', name: EMPTY_NAME });
  esMfa = await makeOrganisation(t.db, { country: 'ES', type: 'mfa', name: 'Ministerio de Exteriores' });
  outsiderOrg = await makeOrganisation(t.db, { country: 'CL' });
  const ca = await makePerson(t.db, brCsirt, { roles: ['member', 'org_admin'] });
  const cm = await makePerson(t.db, brCsirt);
  const ea = await makePerson(t.db, emptyOrg, { roles: ['member', 'org_admin'] });
  const ou = await makePerson(t.db, outsiderOrg);
  const fp = await makePerson(t.db, esMfa);
  await t.db.insertInto('country_focal_points').values({ country_code: 'ES', person_id: fp.id }).execute();
  community = await makeCommunity(t.db, { organisations: [brCsirt] });
  [csirtAdmin, csirtMember, emptyAdmin, outsider, fpEs] = await Promise.all([ca, cm, ea, ou, fp].map((p) => login(t.app, p.email)));
  const key = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'SOC', email: 'soc@example.test' }], format: 'object' });
  armored = key.publicKey.armor();
  const entries = [
    {
      kinds: ['technical', 'operational_24_7'],
      fullName: 'Centro de Operações de Segurança — Equipe de Resposta a Incidentes Cibernéticos 🛡️',
      isTeamMailbox: true,
      position: 'Plantão 24/7, resposta; triagem\\escalonamento',
      emails: ['soc@cert.example.test', 'plantao@cert.example.test'],
      phone: '+55 61 5555 0100',
      emergencyPhone: '+55 61 9999 0000',
      availability: 'Segunda a sexta, 9h–18h\nPlantão: sempre',
      secureChannels: [{ type: 'signal', address: '+55 61 9999 0001' }, { type: 'matrix', address: '@soc:cert.example.test' }],
      languages: ['pt', 'en'],
      timeZone: 'America/Sao_Paulo',
      openpgpKey: armored,
      validUntil: '2027-12-31',
      fieldMarkings: { emergencyPhone: { tlp: 'AMBER', audience: { communities: [community] } } },
    },
    { kinds: ['capacity_building'], fullName: 'Ana María Núñez', position: '=HYPERLINK("http://x")', emails: ['ana@cert.example.test'], languages: ['es'] },
    { kinds: ['technical'], fullName: 'João Silva', position: '', phone: '+55 11 4444 0000' },
  ];
  for (const e of entries) {
    const r = await csirtAdmin.post('/api/v1/contacts', { organisationId: brCsirt, ...e });
    expect(r.statusCode, r.body).toBe(201);
  }
}, 60_000);
afterAll(async () => t?.close());

describe('exports', () => {
  it('vCard 4.0 of the filtered list parses in ical.js, folded at 75 octets with CRLF, and carries what the viewer sees', async () => {
    const res = await csirtAdmin.get(`/api/v1/contacts/export.vcf?organisation=${brCsirt}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/vcard/);
    const text = res.body;
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const cs = cards(text);
    expect(cs.length).toBe(3);
    const soc = cs.find((c) => prop(c, 'kind')[0]?.[3] === 'group')!;
    expect(prop(soc, 'fn')[0][3]).toBe('Centro de Operações de Segurança — Equipe de Resposta a Incidentes Cibernéticos 🛡️');
    expect(prop(soc, 'title')[0][3]).toBe('Plantão 24/7, resposta; triagem\\escalonamento');
    expect(prop(soc, 'org')[0][3]).toBe(BR_NAME);
    expect(prop(soc, 'email').map((p) => p[3])).toEqual(['soc@cert.example.test', 'plantao@cert.example.test']);
    expect(prop(soc, 'tel').map((p) => p[3])).toEqual(['+55 61 5555 0100', '+55 61 9999 0000']);
    expect(prop(soc, 'note')[0][3]).toContain('Segunda a sexta, 9h–18h\nPlantão: sempre');
    expect(prop(soc, 'categories')[0].slice(3)).toEqual(['technical', 'operational_24_7']);
    expect(prop(soc, 'x-puente-tlp')[0][3]).toBe('GREEN');
    expect(String(prop(soc, 'uid')[0][3])).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const key = String(prop(soc, 'key')[0][3]);
    expect(key.startsWith('data:application/pgp-keys;base64,')).toBe(true);
    expect(Buffer.from(key.split(',')[1], 'base64').toString('utf8')).toBe(armored);
    // A member of another organisation, outside the community, does not get the emergency phone, in any format.
    for (const fmt of ['vcf', 'csv', 'json']) {
      const r = await outsider.get(`/api/v1/contacts/export.${fmt}?organisation=${brCsirt}`);
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toContain('9999 0000');
      expect(r.body).toContain('5555 0100');
    }
  });

  it('CSV: BOM, RFC 4180 quoting, formula guard; JSON: the API view; one contact as vCard; all audited without contents', async () => {
    const before = await t.db.selectFrom('audit_log').select(['details']).where('action', '=', 'export.performed').execute();
    const csv = await csirtAdmin.get(`/api/v1/contacts/export.csv?organisation=${brCsirt}&kind=capacity_building`);
    expect(csv.statusCode).toBe(200);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(csv.body);
    expect(rows.length).toBe(2);
    expect(rows[1][rows[0].indexOf('position')]).toBe('\'=HYPERLINK("http://x")');
    const json = await csirtAdmin.get(`/api/v1/contacts/export.json?organisation=${brCsirt}`);
    expect(json.statusCode).toBe(200);
    const list = await csirtAdmin.get(`/api/v1/contacts?organisation=${brCsirt}&pageSize=100`);
    expect(json.json().items).toEqual(list.json().items.map((x: object) => ({ ...x, ageDays: expect.any(Number) })));
    const id = json.json().items[0].id;
    const one = await csirtAdmin.get(`/api/v1/contacts/${id}/vcard.vcf`);
    expect(one.statusCode).toBe(200);
    expect(cards(one.body).length).toBe(1);
    expect(one.headers['content-disposition']).toMatch(/attachment; filename="[A-Za-z0-9_]+\.vcf"/);
    expect((await csirtAdmin.get(`/api/v1/contacts/00000000-0000-4000-8000-000000000000/vcard.vcf`)).statusCode).toBe(404);
    const after = await t.db.selectFrom('audit_log').select(['details', 'actor_id']).where('action', '=', 'export.performed').execute();
    expect(after.length - before.length).toBe(3);
    const details = after.slice(before.length).map((r) => r.details as { format: string; count: number; filters: Record<string, unknown> });
    expect(details.map((d) => [d.format, d.count])).toEqual([
      ['csv', 1],
      ['json', 3],
      ['vcf', 1],
    ]);
    expect(details[0].filters).toEqual({ organisation: brCsirt, kind: 'capacity_building' });
    expect(JSON.stringify(after)).not.toContain('Ana María');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/contacts/export.vcf' })).statusCode).toBe(401);
    expect((await csirtAdmin.get('/api/v1/contacts/export.csv?kind=nonsense')).statusCode).toBe(400);
  });
});

describe('round trip', () => {
  it('export → import preview shows every row unchanged; a commit writes nothing new', async () => {
    const csv = (await csirtAdmin.get(`/api/v1/contacts/export.csv?organisation=${brCsirt}`)).body;
    const before = await counts();
    const pre = await upload(csirtAdmin, 'preview', csv);
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json().rows.map((r: { status: string; action: string }) => `${r.status}/${r.action}`)).toEqual(['ok/unchanged', 'ok/unchanged', 'ok/unchanged']);
    expect(await counts()).toEqual(before);
    const com = await upload(csirtAdmin, 'commit', csv);
    expect(com.statusCode, com.body).toBe(200);
    expect(com.json().unchanged).toBe(3);
    expect((await counts()).contacts).toBe(before.contacts);
  });

  it('into an empty organisation: export → import → export gives the same cards but for UID, REV and ORG', async () => {
    const first = (await csirtAdmin.get(`/api/v1/contacts/export.vcf?organisation=${brCsirt}`)).body;
    const csv = parseCsv((await csirtAdmin.get(`/api/v1/contacts/export.csv?organisation=${brCsirt}`)).body);
    const orgCol = csv[0].indexOf('organisation');
    const moved = writeCsv(csv[0], csv.slice(1).map((r) => r.map((v, i) => (i === orgCol ? EMPTY_NAME : v.startsWith("'=") ? v.slice(1) : v))));
    const res = await upload(emptyAdmin, 'commit', moved);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().create).toBe(3);
    const second = (await emptyAdmin.get(`/api/v1/contacts/export.vcf?organisation=${emptyOrg}`)).body;
    const strip = (vcf: string) =>
      cards(vcf)
        .map((c) => JSON.stringify(c.filter((p) => !['uid', 'rev', 'org'].includes(p[0]))))
        .sort();
    expect(strip(second)).toEqual(strip(first));
    // And the re-import of the moved file is unchanged.
    const again = await upload(emptyAdmin, 'preview', moved);
    expect(again.json().unchanged).toBe(3);
  });

  it('a changed row is reported as an update and written', async () => {
    const csv = parseCsv((await csirtAdmin.get(`/api/v1/contacts/export.csv?organisation=${brCsirt}&q=Silva`)).body);
    csv[1][csv[0].indexOf('position')] = 'Analista';
    const file = writeCsv(csv[0], csv.slice(1));
    const pre = await upload(csirtAdmin, 'preview', file);
    expect(pre.json().rows[0]).toMatchObject({ status: 'ok', action: 'update', changed: ['position'] });
    expect((await upload(csirtAdmin, 'commit', file)).json().update).toBe(1);
    const list = (await csirtAdmin.get(`/api/v1/contacts?organisation=${brCsirt}&q=Silva`)).json();
    expect(list.items[0].position).toBe('Analista');
  });
});

describe('bad imports change nothing', () => {
  const header = 'organisation,country,fullName,kinds,emails';
  const good = `${EMPTY_NAME},BR,Nova Pessoa,technical,nova@example.test`;
  const cases: [string, () => string | Buffer, number, string, string?][] = [
    ['unbalanced quotes', () => `${header}\r\n"${EMPTY_NAME},BR,X,technical,x@example.test\r\n`, 400, 'CSV_MALFORMED'],
    ['wrong header', () => `organisation,country,name,kinds\r\n${EMPTY_NAME},BR,X,technical\r\n`, 400, 'CSV_MALFORMED'],
    ['bad e-mail', () => `${header}\r\n${EMPTY_NAME},BR,X,technical,not-an-address\r\n`, 400, 'IMPORT_INVALID', 'INVALID_EMAIL'],
    ['unknown kind', () => `${header}\r\n${EMPTY_NAME},BR,X,janitor,x@example.test\r\n`, 400, 'IMPORT_INVALID', 'UNKNOWN_KIND'],
    ['unknown organisation', () => `${header}\r\nNowhere CSIRT,BR,X,technical,x@example.test\r\n`, 400, 'IMPORT_INVALID', 'UNKNOWN_ORGANISATION'],
    ['good and bad rows', () => `${header}\r\n${good}\r\n${EMPTY_NAME},BR,Y,technical,bad@@x\r\n`, 400, 'IMPORT_INVALID', 'INVALID_EMAIL'],
    ['another organisation’s contacts', () => `${header}\r\n${BR_NAME.includes(',') ? `"${BR_NAME}"` : BR_NAME},BR,X,technical,x@example.test\r\n`, 400, 'IMPORT_INVALID', 'FORBIDDEN'],
    ['too big', () => Buffer.alloc(2 * 1024 * 1024 + 10, 'a'), 413, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [name, body, status, code, rowCode] of cases)
    it(name, async () => {
      const before = await counts();
      const pre = await upload(emptyAdmin, 'preview', body());
      if (rowCode) {
        expect(pre.statusCode).toBe(200);
        const errs = pre.json().rows.flatMap((r: { errors: { code: string }[] }) => r.errors.map((e) => e.code));
        expect(errs).toContain(rowCode);
      } else {
        expect(pre.statusCode).toBe(status);
        expect(pre.json().error.code).toBe(code);
      }
      const com = await upload(emptyAdmin, 'commit', body());
      expect(com.statusCode).toBe(status);
      expect(com.json().error.code).toBe(code);
      if (rowCode) expect(com.json().error.details.rows.length).toBeGreaterThan(0);
      expect(await counts()).toEqual(before);
    });

  it('refuses members who are not admins or focal points, row by row', async () => {
    const pre = await upload(csirtMember, 'preview', `${header}\r\n"${BR_NAME}",BR,Z,technical,z@example.test\r\n`);
    expect(pre.json().rows[0].errors[0].code).toBe('FORBIDDEN');
  });
});

describe('nominations and team records', () => {
  it('a focal point’s diplomatic rows become nominations', async () => {
    const file = 'organisation,country,fullName,kinds,emails,tlp\r\nMinisterio de Exteriores,ES,Embajadora Ciber,diplomatic,cyber@mfa.example.test,GREEN\r\n';
    const res = await upload(fpEs, 'commit', file);
    expect(res.statusCode, res.body).toBe(200);
    const row = await t.db.selectFrom('contacts').select(['status']).where('id', '=', res.json().ids[0]).executeTakeFirstOrThrow();
    expect(row.status).toBe('nominated');
    const amber = await upload(fpEs, 'preview', file.replace('Embajadora Ciber,diplomatic,cyber@mfa.example.test,GREEN', 'Otro,crisis_management,otro@mfa.example.test,AMBER'));
    expect(amber.json().rows[0].errors[0].code).toBe('INVALID_MARKING');
  });

  it('FIRST-style and CSIRTs-Network-style records map onto technical / 24-7 team contacts', async () => {
    const first = [
      {
        'Team name': 'Equipo Vazio de Resposta',
        'Short name': 'EVR',
        'Host organisation': EMPTY_NAME,
        Country: 'Brazil',
        Constituency: 'Government networks',
        'E-mail': 'evr@example.test',
        Telephone: '+55 61 3333 0000',
        'Emergency phone': '+55 61 3333 9999',
        'PGP keys': [armored],
        'Business hours': 'Mon–Fri 08:00–17:00',
        'Time zone': 'America/Sao_Paulo',
      },
      { 'Team name': 'Ghost', 'Host organisation': 'Nowhere', Country: 'BR', 'E-mail': 'g@example.test' },
    ];
    const pre = await upload(emptyAdmin, 'preview', JSON.stringify(first), 'first', 'application/json');
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json().rows[0]).toMatchObject({ status: 'ok', action: 'create', contact: { country: 'BR', kinds: ['technical', 'operational_24_7'], fullName: 'EVR (Equipo Vazio de Resposta)' } });
    expect(pre.json().rows[1].errors[0].code).toBe('UNKNOWN_ORGANISATION');
    expect((await upload(emptyAdmin, 'commit', JSON.stringify(first), 'first', 'application/json')).statusCode).toBe(400);
    const ok = await upload(emptyAdmin, 'commit', JSON.stringify(first.slice(0, 1)), 'first', 'application/json');
    expect(ok.statusCode, ok.body).toBe(200);
    const c = (await emptyAdmin.get(`/api/v1/contacts/${ok.json().ids[0]}`)).json();
    expect(c).toMatchObject({ isTeamMailbox: true, emergencyPhone: '+55 61 3333 9999', availability: 'Mon–Fri 08:00–17:00', timeZone: 'America/Sao_Paulo', position: 'CSIRT – constituency: Government networks' });
    expect(c.openpgpKey.armored).toContain('BEGIN PGP PUBLIC KEY');
    // Retried: unchanged.
    expect((await upload(emptyAdmin, 'preview', JSON.stringify(first.slice(0, 1)), 'first', 'application/json')).json().unchanged).toBe(1);

    const net = [{ name: EMPTY_NAME, country: 'BR', email: 'csirt@vazio.example.test', phone: '+55 61 2222 0000', website: 'https://vazio.example.test', pgp_fingerprint: 'ABCD 1234' }];
    const r = await upload(emptyAdmin, 'commit', JSON.stringify(net), 'csirts-network', 'application/json');
    expect(r.statusCode, r.body).toBe(200);
    // The website is kept on the entry; 'ABCD 1234' is only a key ID (not kept, said in a warning).
    expect(r.json().rows[0].warnings).toEqual([expect.stringMatching(/key ID/)]);
    expect((await emptyAdmin.get(`/api/v1/contacts/${r.json().ids[0]}`)).json().website).toBe('https://vazio.example.test');
    expect((await upload(emptyAdmin, 'preview', '{"not":"an array"}', 'csirts-network', 'application/json')).json().error.code).toBe('CSV_MALFORMED');
  });
});

describe('property: exports never carry a withheld field', () => {
  it('random per-field markings; the outsider’s vCard, CSV and JSON hold no hidden value', async () => {
    const FIELDS = ['emails', 'phone', 'emergencyPhone', 'availability', 'secureChannels', 'openpgpKey'] as const;
    const markArb = fc.constantFrom('none', 'amber-outsider', 'amber-community', 'strict-own', 'red-none');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.record(Object.fromEntries(FIELDS.map((f) => [f, markArb])) as Record<(typeof FIELDS)[number], typeof markArb>), async (marks) => {
        n++;
        const tag = `${Date.now() % 100000}${n}`.padStart(7, '0').slice(-7);
        const values = {
          emails: [`hidden${tag}@example.test`],
          phone: `+1 201 ${tag}`,
          emergencyPhone: `+1 301 ${tag}`,
          availability: `avail-${tag}`,
          secureChannels: [{ type: 'signal', address: `sig-${tag}` }],
          openpgpKey: armored,
        };
        const fm: Record<string, unknown> = {};
        for (const f of FIELDS) {
          const m = marks[f];
          if (m === 'amber-outsider') fm[f] = { tlp: 'AMBER', audience: { organisations: [outsiderOrg] } };
          if (m === 'amber-community') fm[f] = { tlp: 'AMBER', audience: { communities: [community] } };
          if (m === 'strict-own') fm[f] = { tlp: 'AMBER+STRICT' };
          if (m === 'red-none') fm[f] = { tlp: 'RED' };
        }
        const name = `Prop ${tag}`;
        const r = await csirtAdmin.post('/api/v1/contacts', { organisationId: brCsirt, kinds: ['technical'], fullName: name, ...values, fieldMarkings: fm });
        expect(r.statusCode, r.body).toBe(201);
        const [vcf, csv, json] = await Promise.all(['vcf', 'csv', 'json'].map(async (f) => (await outsider.get(`/api/v1/contacts/export.${f}?organisation=${brCsirt}&q=${encodeURIComponent(name)}`)).body));
        const one = (await outsider.get(`/api/v1/contacts/${r.json().id}/vcard.vcf`)).body;
        // This entry's part of each export (the search may find other entries too).
        const card = vcf.replace(/\r\n /g, '').split('BEGIN:VCARD').find((x) => x.includes(`FN:${name}\r\n`));
        const rows = parseCsv(csv);
        const record = rows.find((x) => x[rows[0].indexOf('fullName')] === name);
        const item = (JSON.parse(json).items as { fullName: string }[]).find((x) => x.fullName === name);
        expect(card && record && item).toBeTruthy();
        const parts = [card!, record!.join('\n'), JSON.stringify(item), one.replace(/\r\n /g, '')];
        for (const f of FIELDS) {
          const visible = marks[f] === 'none' || marks[f] === 'amber-outsider';
          const needles =
            f === 'openpgpKey'
              ? [armored.split('\n')[3], Buffer.from(armored).toString('base64').slice(0, 40)]
              : [f === 'emails' ? values.emails[0] : f === 'secureChannels' ? values.secureChannels[0].address : String(values[f])];
          for (const text of parts) {
            const found = needles.some((x) => text.includes(x));
            expect(found, `${f} ${visible ? 'missing' : 'leaked'}`).toBe(visible);
          }
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
