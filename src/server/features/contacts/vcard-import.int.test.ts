import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as openpgp from 'openpgp';
import ICAL from 'ical.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { parseCsv, writeCsv } from '../../platform/csv.js';

let t: TestApp;
let srcAdmin: Client;
let src: string;
let armored: string, fingerprint: string, otherFingerprint: string, binaryKeyB64: string;
const SRC_NAME = 'CERT Origem; “Brasil”, Sul';
const FP_ONLY = '0123456789ABCDEF0123456789ABCDEF01234567';

const upload = (c: Client, what: 'preview' | 'commit', body: string, format: string, extra = '') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/contacts/import/${what}?format=${format}${extra}`,
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': format === 'csv' ? 'text/csv' : format === 'vcard' ? 'text/vcard' : 'application/json' },
    payload: body,
  });

/** A fresh organisation in Brazil with its own admin. */
async function freshOrg(name: string) {
  const id = await makeOrganisation(t.db, { country: 'BR', name });
  const admin = await login(t.app, (await makePerson(t.db, id, { roles: ['member', 'org_admin'] })).email);
  return { id, admin };
}

interface View {
  fullName: string;
  [k: string]: unknown;
}
/** Every field an export carries, as the API answers it (ids, dates of this copy and the organisation left out). */
function fields(c: View) {
  const k = c.openpgpKey as { fingerprint: string; armored: string; algorithm: string; expiresAt: string | null } | null;
  return {
    fullName: c.fullName,
    kinds: c.kinds,
    isTeamMailbox: c.isTeamMailbox,
    position: c.position,
    country: c.country,
    emails: c.emails,
    phone: c.phone,
    emergencyPhone: c.emergencyPhone,
    languages: c.languages,
    timeZone: c.timeZone,
    availability: c.availability,
    secureChannels: c.secureChannels,
    openpgpKey: k && { fingerprint: k.fingerprint, armored: k.armored, algorithm: k.algorithm, expiresAt: k.expiresAt },
    openpgpFingerprint: c.openpgpFingerprint,
    website: c.website,
    validUntil: c.validUntil,
    tlp: c.tlp,
    withheld: c.withheld,
  };
}
const listOf = async (c: Client, org: string) =>
  ((await c.get(`/api/v1/contacts?organisation=${org}&pageSize=100`)).json().items as View[]).map(fields).sort((a, b) => a.fullName.localeCompare(b.fullName));

beforeAll(async () => {
  t = await createTestApp();
  src = await makeOrganisation(t.db, { country: 'BR', name: SRC_NAME });
  srcAdmin = await login(t.app, (await makePerson(t.db, src, { roles: ['member', 'org_admin'] })).email);
  const key = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'SOC', email: 'soc@example.test' }], format: 'object' });
  armored = key.publicKey.armor();
  fingerprint = key.publicKey.getFingerprint().toUpperCase();
  binaryKeyB64 = Buffer.from(key.publicKey.write()).toString('base64');
  const other = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'X', email: 'x@example.test' }], format: 'object' });
  otherFingerprint = other.publicKey.getFingerprint().toUpperCase();
  const entries = [
    {
      kinds: ['technical', 'operational_24_7'],
      fullName: 'Centro de Resposta, Turno 24/7; “Plantão” 🛡️',
      isTeamMailbox: true,
      position: 'Resposta a incidentes; triagem\\escalonamento, coordenação',
      emails: ['soc@origem.example.test', 'plantao@origem.example.test'],
      phone: '+55 61 5555 0100',
      emergencyPhone: '+55 61 9999 0000',
      availability: 'Segunda a sexta, 9h–18h\nPlantão: sempre; feriados também',
      secureChannels: [
        { type: 'signal', address: '+55 61 9999 0001' },
        { type: 'matrix', address: '@soc:origem.example.test' },
      ],
      languages: ['pt', 'en', 'es'],
      timeZone: 'America/Sao_Paulo',
      openpgpKey: armored,
      validUntil: '2027-12-31',
      website: 'https://origem.example.test/csirt?lang=pt&x=1,2',
      tlp: 'GREEN',
    },
    { kinds: ['capacity_building'], fullName: 'Ana María Núñez', position: '=HYPERLINK("http://x")', emails: ['ana@origem.example.test'], languages: ['es'], tlp: 'AMBER' },
    { kinds: ['technical'], fullName: 'João Silva', phone: '+55 11 4444 0000', timeZone: 'America/Manaus', validUntil: '2026-06-30' },
  ];
  for (const e of entries) {
    const r = await srcAdmin.post('/api/v1/contacts', { organisationId: src, ...e });
    expect(r.statusCode, r.body).toBe(201);
  }
  // A team whose fingerprint is known but whose key is not (kept from a team record).
  const net = [{ name: 'Equipe Só Impressão', organisation: SRC_NAME, country: 'BR', email: 'fp@origem.example.test', pgp_fingerprint: FP_ONLY.replace(/(.{4})/g, '$1 ').trim() }];
  const r = await upload(srcAdmin, 'commit', JSON.stringify(net), 'csirts-network');
  expect(r.statusCode, r.body).toBe(200);
}, 60_000);
afterAll(async () => t?.close());

describe('export → import into a fresh organisation, without loss', () => {
  /** Each export, with its organisation renamed to the target's, the way a person would move a file between two Puente organisations. */
  const move: Record<string, (body: string, to: string) => string> = {
    vcf: (body, to) => {
      // ORG is a compound value: its escaped form in the file.
      const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;');
      return body.replace(/\r\n /g, '').split('\r\n').map((l) => (l.startsWith('ORG:') ? `ORG:${esc(to)}` : l)).join('\r\n');
    },
    csv: (body, to) => {
      const rows = parseCsv(body);
      const col = rows[0].indexOf('organisation');
      return writeCsv(rows[0], rows.slice(1).map((r) => r.map((v, i) => (i === col ? to : v.startsWith("'=") ? v.slice(1) : v))));
    },
    json: (body, to) => {
      const o = JSON.parse(body);
      for (const it of o.items) it.organisation.name = to;
      return JSON.stringify(o);
    },
  };
  const importFormat: Record<string, string> = { vcf: 'vcard', csv: 'csv', json: 'json' };

  for (const fmt of ['vcf', 'csv', 'json'] as const)
    it(`${fmt}: every exported field comes back equal; a retry changes nothing`, async () => {
      const exported = await srcAdmin.get(`/api/v1/contacts/export.${fmt}?organisation=${src}`);
      expect(exported.statusCode).toBe(200);
      if (fmt === 'vcf') {
        // An independent parser reads every card, with the fields the directory keeps.
        const cards = ICAL.parse(exported.body) as unknown as [string, [string, Record<string, unknown>, string, ...unknown[]][]][];
        expect(cards.length).toBe(4);
        const soc = cards.find((c) => c[1].some((p) => p[0] === 'kind' && p[3] === 'group' && c[1].some((q) => q[0] === 'key')))![1];
        const val = (n: string) => soc.filter((p) => p[0] === n).map((p) => p[3]);
        expect(val('url')).toEqual(['https://origem.example.test/csirt?lang=pt&x=1,2']);
        expect(val('x-puente-valid-until')).toEqual(['2027-12-31']);
        expect(val('x-puente-availability')).toEqual(['Segunda a sexta, 9h–18h\nPlantão: sempre; feriados também']);
        expect(val('x-puente-secure-channel')).toEqual(['+55 61 9999 0001', '@soc:origem.example.test']);
        expect(val('lang')).toEqual(['pt', 'en', 'es']);
        expect(val('x-puente-openpgp-fingerprint')).toEqual([fingerprint]);
      }
      const to = await freshOrg(`CSIRT Destino ${fmt.toUpperCase()}`);
      const file = move[fmt](exported.body, `CSIRT Destino ${fmt.toUpperCase()}`);
      const before = await tableCounts(t.db);
      const pre = await upload(to.admin, 'preview', file, importFormat[fmt]);
      expect(pre.statusCode, pre.body).toBe(200);
      expect(pre.json()).toMatchObject({ total: 4, errors: 0, create: 4 });
      expect(await tableCounts(t.db)).toEqual(before);
      const com = await upload(to.admin, 'commit', file, importFormat[fmt]);
      expect(com.statusCode, com.body).toBe(200);
      expect(com.json().create).toBe(4);
      const [a, b] = [await listOf(srcAdmin, src), await listOf(to.admin, to.id)];
      expect(b).toEqual(a);
      expect(a.find((x) => x.website)?.openpgpKey?.fingerprint).toBe(fingerprint);
      expect(a.find((x) => x.openpgpFingerprint === FP_ONLY)?.openpgpKey).toBeNull();
      // The same file again: every row unchanged, nothing written.
      const counts = await tableCounts(t.db);
      const again = await upload(to.admin, 'commit', file, importFormat[fmt]);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ unchanged: 4, create: 0, update: 0 });
      const after = await tableCounts(t.db);
      expect({ ...after, audit_log: 0 }).toEqual({ ...counts, audit_log: 0 });
    });
});

describe('vCards written by other tools', () => {
  it('Apple-style 3.0 and Thunderbird-style 4.0 cards map onto entries; a binary 3.0 key is read', async () => {
    const to = await freshOrg('CERT Cartões');
    const apple = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'PRODID:-//Apple Inc.//macOS 14.0//EN',
      'N:Núñez;Beatriz;;;',
      'FN:Beatriz Núñez',
      'ORG:CERT Cartões;Operações',
      'TITLE:Analista sénior',
      'item1.EMAIL;type=INTERNET;type=pref:bia@cartoes.example.test',
      'EMAIL;type=INTERNET;type=WORK:b.nunez@cartoes.example.test',
      'TEL;type=WORK;type=VOICE:+55 61 2222 0000',
      'TEL;type=CELL;type=VOICE;type=pref:+55 61 1111 0000',
      'item2.ADR;type=WORK:;;Rua 1;Brasília;DF;70000;Brazil',
      'item3.URL;type=pref:https://cartoes.example.test',
      `KEY;ENCODING=b;TYPE=PGP:${binaryKeyB64}`,
      'NOTE:Prefers Signal',
      'CATEGORIES:technical,Work',
      'END:VCARD',
    ].join('\r\n');
    const thunderbird = [
      'BEGIN:VCARD',
      'VERSION:4.0',
      'KIND:group',
      'FN:Mesa de Crise',
      'ORG:CERT Cartões',
      'EMAIL;PREF=1:mesa@cartoes.example.test',
      'TEL;VALUE=uri:tel:+55-61-3333-0000',
      'LANG;PREF=2:en',
      'LANG;PREF=1:pt-BR',
      'TZ;VALUE=text:America/Sao_Paulo',
      'IMPP:signal:+55 61 3333 0001',
      `KEY:openpgp4fpr:${otherFingerprint}`,
      'END:VCARD',
    ].join('\r\n');
    const file = `${apple}\r\n${thunderbird}\r\n`;
    const noKind = await upload(to.admin, 'preview', file, 'vcard');
    expect(noKind.statusCode, noKind.body).toBe(200);
    // The group card names no kind: without ?kind= that is a row error.
    expect(noKind.json().rows[1].errors.map((e: { code: string }) => e.code)).toContain('REQUIRED');
    const pre = await upload(to.admin, 'preview', file, 'vcard', '&kind=operational_24_7');
    expect(pre.statusCode, pre.body).toBe(200);
    expect(pre.json().errors, JSON.stringify(pre.json().rows.map((r: { errors: unknown }) => r.errors))).toBe(0);
    expect(pre.json().rows[0].contact).toMatchObject({
      fullName: 'Beatriz Núñez',
      country: 'BR',
      kinds: ['technical'],
      position: 'Analista sénior',
      emails: ['bia@cartoes.example.test', 'b.nunez@cartoes.example.test'],
      phone: '+55 61 1111 0000',
      website: 'https://cartoes.example.test',
      openpgpFingerprint: fingerprint,
    });
    expect(pre.json().rows[0].warnings.join(' ')).toMatch(/Work.*|NOTE/);
    const com = await upload(to.admin, 'commit', file, 'vcard', '&kind=operational_24_7');
    expect(com.statusCode, com.body).toBe(200);
    const [bia, mesa] = await Promise.all(com.json().ids.map(async (id: string) => (await to.admin.get(`/api/v1/contacts/${id}`)).json()));
    expect(bia.openpgpKey.fingerprint).toBe(fingerprint);
    expect(bia.openpgpKey.armored).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    expect(mesa).toMatchObject({
      isTeamMailbox: true,
      kinds: ['operational_24_7'],
      phone: '+55-61-3333-0000',
      languages: ['pt', 'en'],
      timeZone: 'America/Sao_Paulo',
      secureChannels: [{ type: 'signal', address: '+55 61 3333 0001' }],
      openpgpKey: null,
      openpgpFingerprint: otherFingerprint,
    });
    expect((await upload(to.admin, 'preview', file, 'vcard', '&kind=operational_24_7')).json().unchanged).toBe(2);
  });

  const card = (lines: string[]) => ['BEGIN:VCARD', ...lines, 'END:VCARD'].join('\r\n') + '\r\n';
  const good = card(['VERSION:4.0', 'FN:Nova Pessoa', 'ORG:CERT Ruim', 'X-PUENTE-COUNTRY:BR', 'CATEGORIES:technical', 'EMAIL:nova@ruim.example.test']);
  const cases: [string, () => string, number, string, string?][] = [
    ['not vCard at all', () => 'name,email\r\nx,y\r\n', 400, 'VCARD_MALFORMED'],
    ['a card that does not end', () => 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\n', 400, 'VCARD_MALFORMED'],
    ['a calendar instead', () => 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n', 400, 'VCARD_MALFORMED'],
    ['vCard 2.1', () => card(['VERSION:2.1', 'FN:Old', 'ORG:CERT Ruim']), 400, 'IMPORT_INVALID', 'UNSUPPORTED_VERSION'],
    ['a good card and a bad e-mail', () => good + card(['VERSION:4.0', 'FN:Y', 'ORG:CERT Ruim', 'X-PUENTE-COUNTRY:BR', 'CATEGORIES:technical', 'EMAIL:not-mail']), 400, 'IMPORT_INVALID', 'INVALID_EMAIL'],
    ['a key that is not a key', () => card(['VERSION:4.0', 'FN:Z', 'ORG:CERT Ruim', 'X-PUENTE-COUNTRY:BR', 'CATEGORIES:technical', 'KEY:data:application/pgp-keys;base64,bm90IGEga2V5']), 400, 'IMPORT_INVALID', 'INVALID_KEY'],
    [
      'a fingerprint that is not the key’s',
      () =>
        card(['VERSION:4.0', 'FN:Z', 'ORG:CERT Ruim', 'X-PUENTE-COUNTRY:BR', 'CATEGORIES:technical', `KEY:data:application/pgp-keys;base64,${Buffer.from(armored).toString('base64')}`, `X-PUENTE-OPENPGP-FINGERPRINT:${otherFingerprint}`]),
      400,
      'IMPORT_INVALID',
      'FINGERPRINT_MISMATCH',
    ],
    ['a website that is not one', () => card(['VERSION:4.0', 'FN:W', 'ORG:CERT Ruim', 'X-PUENTE-COUNTRY:BR', 'CATEGORIES:technical', 'URL:javascript:alert(1)']), 400, 'IMPORT_INVALID', 'INVALID_VALUE'],
  ];
  for (const [name, body, status, code, rowCode] of cases)
    it(`bad input changes nothing: ${name}`, async () => {
      const admin = await login(t.app, (await makePerson(t.db, ruim ??= await makeOrganisation(t.db, { country: 'BR', name: 'CERT Ruim' }), { roles: ['member', 'org_admin'] })).email);
      const before = await tableCounts(t.db);
      const pre = await upload(admin, 'preview', body(), 'vcard');
      if (rowCode) {
        expect(pre.statusCode, pre.body).toBe(200);
        expect(pre.json().rows.flatMap((r: { errors: { code: string }[] }) => r.errors.map((e) => e.code))).toContain(rowCode);
      } else {
        expect(pre.statusCode).toBe(status);
        expect(pre.json().error.code).toBe(code);
      }
      const com = await upload(admin, 'commit', body(), 'vcard');
      expect(com.statusCode, com.body).toBe(status);
      expect(com.json().error.code).toBe(code);
      const after = await tableCounts(t.db);
      // Logging in writes sessions and audit rows; the directory is untouched.
      expect(after.contacts).toBe(before.contacts);
      expect(after.audit_log).toBe(before.audit_log);
    });
});
let ruim: string | undefined;

describe('team records keep their website and fingerprint', () => {
  it('FIRST-style: website kept, matching fingerprint accepted, a wrong one is a row error; fields kept elsewhere are named', async () => {
    const to = await freshOrg('CSIRT Equipe');
    const record = {
      'Team name': 'Equipe de Resposta',
      'Short name': 'ER',
      'Host organisation': 'CSIRT Equipe',
      Country: 'Brazil',
      Constituency: 'Academic networks',
      'E-mail': 'er@equipe.example.test',
      Telephone: '+55 61 3333 0000',
      'Emergency phone': '+55 61 3333 9999',
      Website: 'www.equipe.example.test',
      'PGP key': armored,
      'PGP fingerprint': fingerprint.replace(/(.{4})/g, '$1 ').trim(),
      'Business hours': 'Mon–Fri 08:00–17:00',
      'Time zone': 'America/Sao_Paulo',
      Members: ['Ana', 'Bruno'],
      'Date of establishment': '2001-05-01',
    };
    const wrong = { ...record, 'Short name': 'ER2', 'E-mail': 'er2@equipe.example.test', 'PGP fingerprint': otherFingerprint };
    const before = await tableCounts(t.db);
    const bad = await upload(to.admin, 'commit', JSON.stringify([record, wrong]), 'first');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.rows[0]).toMatchObject({ row: 2, errors: [{ field: 'openpgpFingerprint', code: 'FINGERPRINT_MISMATCH' }] });
    expect((await tableCounts(t.db)).contacts).toBe(before.contacts);
    const ok = await upload(to.admin, 'commit', JSON.stringify([record]), 'first');
    expect(ok.statusCode, ok.body).toBe(200);
    const warnings = ok.json().rows[0].warnings.join('\n');
    expect(warnings).toContain('https://www.equipe.example.test');
    expect(warnings).toMatch(/Members.*add them as contacts/);
    expect(warnings).toMatch(/Date of establishment.*profile/);
    const c = (await to.admin.get(`/api/v1/contacts/${ok.json().ids[0]}`)).json();
    expect(c).toMatchObject({ website: 'https://www.equipe.example.test', openpgpFingerprint: fingerprint, openpgpKey: { fingerprint }, kinds: ['technical', 'operational_24_7'] });
    // The same record again: unchanged.
    expect((await upload(to.admin, 'preview', JSON.stringify([record]), 'first')).json().unchanged).toBe(1);
  });

  it('CSIRTs-Network-style: a fingerprint without its key is kept; a key ID alone is not; a later key must match the kept fingerprint', async () => {
    const to = await freshOrg('CSIRT Rede');
    const net = [
      { name: 'CSIRT Rede', 'short name': 'CR', country: 'BR', email: 'cr@rede.example.test', website: 'https://rede.example.test', 'PGP fingerprint': fingerprint },
      { name: 'CSIRT Rede Noite', organisation: 'CSIRT Rede', country: 'BR', email: 'noite@rede.example.test', 'PGP key ID': '0x' + fingerprint.slice(-16) },
    ];
    const r = await upload(to.admin, 'commit', JSON.stringify(net), 'csirts-network');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().rows[1].warnings.join(' ')).toMatch(/key ID/);
    const [a, b] = await Promise.all(r.json().ids.map(async (id: string) => (await to.admin.get(`/api/v1/contacts/${id}`)).json()));
    expect(a).toMatchObject({ fullName: 'CR (CSIRT Rede)', website: 'https://rede.example.test', openpgpKey: null, openpgpFingerprint: fingerprint });
    expect(b).toMatchObject({ openpgpKey: null, openpgpFingerprint: null, website: null });
    // The vCard export carries the fingerprint; an independent parser reads it.
    const vcf = (await to.admin.get(`/api/v1/contacts/${a.id}/vcard.vcf`)).body;
    const props = (ICAL.parse(vcf) as unknown as [string, [string, object, string, string][]])[1];
    expect(props.find((p) => p[0] === 'x-puente-openpgp-fingerprint')?.[3]).toBe(fingerprint);
    // Adding a key later: the wrong key is refused, the right one accepted.
    const withKey = (k: string) => JSON.stringify([{ ...net[0], 'PGP key': k }]);
    const other = (await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Y', email: 'y@example.test' }] })).publicKey;
    const wrong = await upload(to.admin, 'preview', withKey(other), 'csirts-network');
    expect(wrong.json().rows[0].errors[0].code).toBe('FINGERPRINT_MISMATCH');
    const right = await upload(to.admin, 'commit', withKey(armored), 'csirts-network');
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json().rows[0]).toMatchObject({ action: 'update', changed: ['openpgpKey'] });
    expect((await to.admin.get(`/api/v1/contacts/${a.id}`)).json().openpgpKey.fingerprint).toBe(fingerprint);
  });

  it('the website is edited through the API and refused when it is not http(s)', async () => {
    const list = (await srcAdmin.get(`/api/v1/contacts?organisation=${src}&q=Silva`)).json().items;
    const id = list[0].id;
    expect((await srcAdmin.patch(`/api/v1/contacts/${id}`, { website: 'ftp://x.example.test' })).statusCode).toBe(400);
    const ok = await srcAdmin.patch(`/api/v1/contacts/${id}`, { website: 'https://silva.example.test' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().website).toBe('https://silva.example.test');
    expect((await srcAdmin.patch(`/api/v1/contacts/${id}`, { website: null })).json().website).toBeNull();
  });
});
