import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { readFixture } from '../../../test/fixtures.js';
import { checkPattern } from '../stix/pattern.js';
import { TLP2_IDS } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { referenceCycles, validateObject } from '../stix/validate.js';
import { scoId } from './common.js';
import { mispEventToStix, narrowerThanEvent } from './import.js';
import { puenteProps } from '../stix/puente-extension.js';

const load = (name: string): unknown => readFixture(`misp-events/${name}`);
const CIRCL = '57c4445b-c548-4654-af0b-4be3950d210f.json';

const count = (objects: StixObject[]) => {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.type] = (out[o.type] ?? 0) + 1;
  return out;
};
function expectAllValid(objects: StixObject[]) {
  for (const o of objects) expect(validateObject(o), o.id).toEqual([]);
  for (const o of objects)
    if (o.type === 'indicator' && o.pattern_type === 'stix') expect(checkPattern(o.pattern as string), o.pattern as string).toBeNull();
  expect(referenceCycles(objects)).toEqual([]);
  // every reference inside the import points at something in it (markings and the report excepted)
  const ids = new Set(objects.map((o) => o.id));
  for (const o of objects)
    for (const [k, v] of Object.entries(o)) {
      if (k === 'object_marking_refs') continue;
      const refs = k.endsWith('_refs') ? (v as string[]) : k.endsWith('_ref') ? [v as string] : [];
      for (const r of refs) expect(ids.has(r), `${o.id}.${k} -> ${r}`).toBe(true);
    }
}

describe('mispEventToStix: the real CIRCL OSINT event', () => {
  const result = mispEventToStix(load(CIRCL));

  it('maps every one of its 9 attributes (none unmapped)', () => {
    // 5 to_ids attributes (filename, md5, sha1, sha256, regkey|value) -> 5 indicators;
    // comment + text -> 2 notes; 2 links -> external references of the report.
    expect(count(result.objects)).toEqual({ indicator: 5, note: 2, identity: 1, report: 1 });
    expect(result.unmapped).toEqual([]);
    const report = result.objects.find((o) => o.type === 'report')!;
    expect(report.external_references).toHaveLength(2);
  });

  it('is a report named after the event, published at publish_timestamp, by an identity for CIRCL', () => {
    const report = result.objects.find((o) => o.id === result.reportId)!;
    expect(report.name).toBe('Ransomware - Xorist');
    expect(report.published).toBe(new Date(1472548231 * 1000).toISOString());
    expect(report.modified).toBe(new Date(1472541011 * 1000).toISOString());
    expect(report.labels).toEqual([
      'circl:incident-classification="malware"',
      'ms-caro-malware:malware-type="Ransom"',
      'malware_classification:malware-category="Ransomware"',
    ]);
    const identity = result.objects.find((o) => o.type === 'identity')!;
    expect(identity.name).toBe('CIRCL');
    expect(report.created_by_ref).toBe(identity.id);
    // object_refs: everything produced except the notes (they point at the report)
    expect(new Set(report.object_refs as string[])).toEqual(
      new Set(result.objects.filter((o) => o.type !== 'note' && o.type !== 'report').map((o) => o.id)),
    );
    for (const n of result.objects.filter((o) => o.type === 'note')) expect(n.object_refs).toEqual([result.reportId]);
  });

  it('takes tlp:white as CLEAR and marks every object with the TLP 2.0 CLEAR id', () => {
    expect(result.tlp).toBe('CLEAR');
    for (const o of result.objects) expect(o.object_marking_refs).toEqual([TLP2_IDS.CLEAR]);
    expect(result.distribution).toBeNull();
    expect(result.sharingGroup).toBeNull();
  });

  it('builds patterns with quoted hash names and escaped backslashes', () => {
    const patterns = result.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern).sort();
    expect(patterns).toEqual(
      [
        "[file:name = '3Z4wnG9603it23y.exe']",
        "[file:hashes.MD5 = '0749bae92ca336a02c83d126e04ec628']",
        "[file:hashes.'SHA-1' = '77b0c41b7d340b8a3d903f21347bbf06aa766b5b']",
        "[file:hashes.'SHA-256' = 'b3c4ae251f8094fa15b510051835c657eaef2a6cea46075d3aec964b14a99f68']",
        "[windows-registry-key:key = 'Software\\\\Wow6432Node\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run' AND windows-registry-key:values[*].data = '%TEMP%\\\\3Z4wnG9603it23y.exe']",
      ].sort(),
    );
    const md5 = result.objects.find((o) => typeof o.pattern === 'string' && o.pattern.includes('MD5'))!;
    expect(md5.valid_from).toBe(new Date(1472480395 * 1000).toISOString());
    expect(md5.pattern_type).toBe('stix');
  });

  it('produces only objects that pass validateObject, checkPattern and the cycle check', () => {
    expectAllValid(result.objects);
  });

  it('gives the same ids (and the same objects) on a second import', () => {
    const again = mispEventToStix(load(CIRCL));
    expect(again.objects).toEqual(result.objects);
    expect(again.reportId).toBe(result.reportId);
  });
});

describe('mispEventToStix: PyMISP test events', () => {
  it('existing_event.json: 9 attributes and 49 objects, with the 37 file "state" texts reported', () => {
    const r = mispEventToStix(load('existing_event.json'));
    // 7 domains -> 7 indicators, 37 file + 12 domain-ip objects -> 49 indicators, 1 text -> note, 1 link -> ext ref,
    // 20 object references -> 20 relationships.
    expect(count(r.objects)).toEqual({ indicator: 56, note: 1, relationship: 20, identity: 1, report: 1 });
    expect(r.unmapped).toHaveLength(37);
    expect(r.unmapped.every((u) => /relation state, type text/.test(u.what))).toBe(true);
    expect(r.distribution).toBe(3);
    expect(r.tlp).toBe('CLEAR');
    const dip = r.objects.find((o) => o.type === 'indicator' && String(o.pattern).includes('servicecdp.com'))!;
    expect(dip.pattern).toBe("[domain-name:value = 'servicecdp.com' AND domain-name:resolves_to_refs[*].value = '87.236.211.182']");
    expectAllValid(r.objects);
    // galaxy clusters become labels; what is dropped is said
    const report = r.objects.find((o) => o.type === 'report')!;
    expect(report.labels).toContain('misp-galaxy:threat-actor="Sofacy"');
    expect(r.notes.filter((n) => n.what.startsWith('galaxy'))).toHaveLength(4);
  });

  it('galaxy_1.json: attachment -> artifact + file, ATT&CK ids as external references, virustotal-report unmapped', () => {
    const r = mispEventToStix(load('galaxy_1.json'));
    expect(count(r.objects)).toEqual({ note: 1, indicator: 2, artifact: 1, file: 1, 'observed-data': 1, identity: 1, report: 1 });
    expect(r.unmapped.map((u) => u.what)).toEqual([
      'object eefb6d88-9cc1-4d65-b266-b2e82a2464b9 (name: virustotal-report), 3 attribute(s)',
      'object reference 5acd1ad7-df04-4155-bc1c-464602de0b81 (file analysed-with eefb6d88-9cc1-4d65-b266-b2e82a2464b9)',
    ]);
    const report = r.objects.find((o) => o.type === 'report')!;
    const attack = (report.external_references as Record<string, string>[]).filter((e) => e.source_name === 'mitre-attack');
    expect(attack.map((e) => e.external_id).sort()).toEqual(['G0005', 'G0006', 'S0031', 'S0310']);
    // the file object has to_ids attributes -> one indicator combining them
    const fileInd = r.objects.find((o) => o.type === 'indicator' && String(o.pattern).includes('AND'))!;
    expect(fileInd.pattern).toMatch(/^\[file:hashes\.'SHA-1' = '[0-9a-f]{40}' AND /);
    expectAllValid(r.objects);
  });

  it('misp_event.json (bare event, no TLP, org-only distribution): url observed-data', () => {
    const r = mispEventToStix(load('misp_event.json'));
    expect(count(r.objects)).toEqual({ url: 1, 'observed-data': 1, note: 1, identity: 1, report: 1 });
    expect(r.tlp).toBeNull();
    expect(r.distribution).toBe(0);
    for (const o of r.objects.filter((x) => x.type !== 'identity')) expect(o.object_marking_refs).toBeUndefined();
    const url = r.objects.find((o) => o.type === 'url')!;
    expect(url.id).toBe(scoId('url', { value: 'http://fake.website.com/malware/is/here' }));
    expectAllValid(r.objects);
  });
});

const ev = (extra: Record<string, unknown>, attrs: Record<string, unknown>[] = [], objects: unknown[] = []) => ({
  Event: {
    uuid: '11111111-2222-4333-8444-555555555555',
    info: 'test',
    date: '2024-01-02',
    timestamp: '1704200000',
    Orgc: { name: 'Org', uuid: '66666666-7777-4888-8999-000000000000' },
    Attribute: attrs,
    Object: objects,
    ...extra,
  },
});
let n = 0;
const at = (type: string, value: string, extra: Record<string, unknown> = {}) => ({
  uuid: `aaaaaaaa-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  value,
  category: 'Network activity',
  to_ids: true,
  timestamp: '1704200100',
  ...extra,
});

describe('mispEventToStix: attribute types', () => {
  it('maps the network, host, e-mail and system types to valid indicators and observables', () => {
    const attrs = [
      at('ip-src', '198.51.100.7'),
      at('ip-dst', '203.0.113.0/24'),
      at('ip-dst', '2001:db8::1', { to_ids: false }),
      at('ip-dst|port', '198.51.100.9|443'),
      at('ip-src|port', '2001:db8::2|8080', { to_ids: false }),
      at('domain', 'evil.example'),
      at('hostname', 'c2.evil.example', { to_ids: false }),
      at('domain|ip', 'evil.example|198.51.100.10', { to_ids: false }),
      at('url', "http://evil.example/a?b='c'"),
      at('uri', '/gate.php'),
      at('uri', '/gate.php', { to_ids: false }),
      at('md5', 'D41D8CD98F00B204E9800998ECF8427E'),
      at('sha512', 'a'.repeat(128), { to_ids: false }),
      at('ssdeep', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C'),
      at('filename|sha256', `dropper.exe|${'b'.repeat(64)}`, { to_ids: false }),
      at('filename', 'O\'Brien\\x.doc'),
      at('email-src', 'bad@evil.example'),
      at('email-dst', 'victim@example.org', { to_ids: false }),
      at('email-subject', 'Invoice "42"', { to_ids: false }),
      at('AS', 'AS64496'),
      at('mutex', 'Global\\abc'),
      at('regkey', 'HKLM\\Software\\Run', { to_ids: false }),
      at('user-agent', 'Mozilla/5.0 (X)'),
      at('user-agent', 'curl/8', { to_ids: false }),
      at('vulnerability', 'cve-2021-44228', { to_ids: false }),
      at('yara', 'rule x { condition: true }'),
      at('snort', 'alert tcp any any -> any any (msg:"x"; sid:1;)'),
      at('sigma', 'title: x'),
      at('mac-address', '00-1A-2B-3C-4D-5E', { to_ids: false }),
      at('x509-fingerprint-sha1', 'c'.repeat(40)),
      at('comment', 'just a remark', { to_ids: false }),
      at('link', 'https://example.org/report', { to_ids: false }),
      at('btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'),
      at('ip-dst', 'not-an-ip'),
      at('stix2-pattern', "[ipv4-addr:value = '198.51.100.99']"),
      at('stix2-pattern', '[broken'),
    ];
    const r = mispEventToStix(ev({ Tag: [{ name: 'tlp:amber+strict' }] }, attrs));
    expectAllValid(r.objects);
    expect(r.tlp).toBe('AMBER+STRICT');
    const pattern = (value: string) => r.objects.find((o) => o.type === 'indicator' && o.name === value)?.pattern;
    expect(pattern('203.0.113.0/24')).toBe("[ipv4-addr:value = '203.0.113.0/24']");
    expect(pattern('198.51.100.9|443')).toBe("[network-traffic:dst_ref.value = '198.51.100.9' AND network-traffic:dst_port = 443]");
    expect(pattern("http://evil.example/a?b='c'")).toBe("[url:value = 'http://evil.example/a?b=\\'c\\'']");
    expect(pattern("O'Brien\\x.doc")).toBe("[file:name = 'O\\'Brien\\\\x.doc']");
    expect(pattern('AS64496')).toBe('[autonomous-system:number = 64496]');
    expect(pattern('Mozilla/5.0 (X)')).toBe("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Mozilla/5.0 (X)']");
    const yara = r.objects.find((o) => o.pattern_type === 'yara')!;
    expect(yara.pattern).toBe('rule x { condition: true }');
    expect(r.objects.find((o) => o.pattern_type === 'snort')).toBeDefined();
    expect(r.objects.find((o) => o.pattern_type === 'sigma')).toBeDefined();
    const vuln = r.objects.find((o) => o.type === 'vulnerability')!;
    expect(vuln.external_references).toEqual([{ source_name: 'cve', external_id: 'CVE-2021-44228' }]);
    const reg = r.objects.find((o) => o.type === 'windows-registry-key')!;
    expect(reg.key).toBe('HKEY_LOCAL_MACHINE\\Software\\Run');
    const dom = r.objects.find((o) => o.type === 'domain-name' && o.value === 'evil.example')!;
    expect((dom.resolves_to_refs as string[])[0]).toBe(scoId('ipv4-addr', { value: '198.51.100.10' }));
    expect(r.objects.find((o) => o.type === 'mac-addr')!.value).toBe('00:1a:2b:3c:4d:5e');
    expect(r.unmapped.map((u) => u.reason)).toEqual([
      'not an absolute URL (a STIX url observable needs one): /gate.php',
      expect.stringMatching(/^a user agent alone is no STIX observable/),
      "MISP attribute type 'btc' has no STIX mapping in Puente",
      'not an IP address or CIDR range: not-an-ip',
      expect.stringMatching(/^invalid STIX pattern at/),
    ]);
    // 36 attributes: 31 mapped objects of attribute level + 5 unmapped (link -> external reference)
    const own = r.objects.filter((o) => ['indicator', 'observed-data', 'vulnerability', 'note'].includes(o.type));
    expect(own).toHaveLength(attrs.length - 5 - 1);
  });

  it('uses the STIX 2.1 deterministic SCO ids (spec example: domain-name example.com)', () => {
    expect(scoId('domain-name', { value: 'example.com' })).toBe('domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7');
    // one hash only contributes, MD5 first
    expect(scoId('file', { hashes: { 'SHA-256': 'b'.repeat(64), MD5: 'a'.repeat(32) } })).toBe(scoId('file', { hashes: { MD5: 'a'.repeat(32) } }));
  });

  it('maps MISP objects: ip-port, network-connection, url and email, with references as relationships', () => {
    const objUuid = (i: number) => `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const rel = (object_relation: string, type: string, value: string, to_ids = false) => ({ ...at(type, value, { to_ids }), object_relation });
    const objects = [
      { uuid: objUuid(1), name: 'ip-port', Attribute: [rel('ip', 'ip-dst', '198.51.100.1'), rel('dst-port', 'port', '8443')] },
      {
        uuid: objUuid(2),
        name: 'network-connection',
        Attribute: [rel('ip-src', 'ip-src', '10.0.0.1', true), rel('ip-dst', 'ip-dst', '198.51.100.2', true), rel('dst-port', 'port', '53'), rel('layer4-protocol', 'text', 'UDP')],
        ObjectReference: [{ uuid: objUuid(90), referenced_uuid: objUuid(3), relationship_type: 'Connects To', timestamp: '1704200200' }],
      },
      { uuid: objUuid(3), name: 'url', Attribute: [rel('url', 'url', 'https://evil.example/x', true), rel('port', 'port', '443')] },
      {
        uuid: objUuid(4),
        name: 'email',
        Attribute: [rel('from', 'email-src', 'a@evil.example'), rel('to', 'email-dst', 'b@example.org'), rel('to', 'email-dst', 'c@example.org'), rel('subject', 'email-subject', 'Hi')],
      },
      { uuid: objUuid(5), name: 'bank-account', Attribute: [rel('iban', 'iban', 'DE00')] },
    ];
    const r = mispEventToStix(ev({ Tag: [{ name: 'tlp:green' }] }, [], objects));
    expectAllValid(r.objects);
    const nc = r.objects.find((o) => o.type === 'indicator' && String(o.pattern).includes('src_ref'))!;
    expect(nc.pattern).toBe("[network-traffic:src_ref.value = '10.0.0.1' AND network-traffic:dst_ref.value = '198.51.100.2' AND network-traffic:dst_port = 53]");
    const traffic = r.objects.find((o) => o.type === 'network-traffic')!;
    expect(traffic).toMatchObject({ dst_port: 8443, protocols: ['ipv4'] });
    const email = r.objects.find((o) => o.type === 'email-message')!;
    expect((email.to_refs as string[]).length).toBe(2);
    const relationship = r.objects.find((o) => o.type === 'relationship')!;
    expect(relationship.relationship_type).toBe('connects-to');
    // the UDP layer-4 protocol is taken (protocols: ['udp']); the url object's port has no url property
    expect((puenteProps(r.objects.find((o) => o.type === 'indicator' && String(o.pattern).includes('src_ref'))!).misp as { attributes: unknown[] }).attributes).toHaveLength(4);
    expect(r.unmapped.map((u) => u.reason)).toEqual([
      "relation 'port' (type port) of a url object has no STIX property in this mapping",
      "MISP object 'bank-account' has no STIX mapping in Puente",
    ]);
  });
});

describe('mispEventToStix: TLP and distribution', () => {
  it('marks a stricter attribute stricter, reports it, and raises the import TLP', () => {
    const a1 = at('domain', 'a.example');
    const a2 = at('domain', 'b.example', { Tag: [{ name: 'tlp:red' }] });
    const r = mispEventToStix(ev({ Tag: [{ name: 'tlp:white' }, { name: 'PAP:GREEN' }] }, [a1, a2]));
    expect(r.tlp).toBe('RED');
    const ind = (v: string) => r.objects.find((o) => o.name === v)!;
    expect(ind('a.example').object_marking_refs).toEqual([TLP2_IDS.CLEAR]);
    expect(ind('b.example').object_marking_refs).toEqual([TLP2_IDS.RED]);
    expect(r.objects.find((o) => o.type === 'report')!.object_marking_refs).toEqual([TLP2_IDS.RED]);
    expect(r.notes.some((x) => x.what.includes(a2.uuid) && /TLP:RED/.test(x.reason))).toBe(true);
    expect(r.objects.find((o) => o.type === 'report')!.labels).toEqual(['PAP:GREEN']);
  });

  it('maps tlp:clear, tlp:amber and an unknown tlp tag', () => {
    expect(mispEventToStix(ev({ Tag: [{ name: 'tlp:clear' }] }, [at('domain', 'x.example')])).tlp).toBe('CLEAR');
    expect(mispEventToStix(ev({ Tag: [{ name: 'TLP:AMBER' }] }, [at('domain', 'x.example')])).tlp).toBe('AMBER');
    const r = mispEventToStix(ev({ Tag: [{ name: 'tlp:ex:chr' }] }, [at('domain', 'x.example')]));
    expect(r.tlp).toBeNull();
    expect(r.unmapped[0]!.reason).toMatch(/unknown TLP level/);
  });

  it('returns distribution and sharing group as they are, and keeps narrower attributes out', () => {
    const sg = {
      name: 'PrivateTrustedGroup',
      uuid: '5d6d3b30-cb8c-4ba8-b9f6-3bdd2e1b4a4a',
      Organisation: { name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      SharingGroupOrg: [{ Organisation: { name: 'PifPafPoum', uuid: '56bf12a7-c19c-4b98-83e7-d9bb02de0b81' } }],
    };
    const narrow = at('domain', 'org-only.example', { distribution: '0' });
    const r = mispEventToStix(ev({ distribution: '4', sharing_group_id: '1', SharingGroup: sg }, [at('domain', 'x.example', { distribution: '5' }), narrow]));
    expect(r.distribution).toBe(4);
    expect(r.sharingGroup).toEqual({
      uuid: sg.uuid,
      name: 'PrivateTrustedGroup',
      organisations: [
        { uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f', name: 'CIRCL' },
        { uuid: '56bf12a7-c19c-4b98-83e7-d9bb02de0b81', name: 'PifPafPoum' },
      ],
    });
    expect(r.objects.some((o) => o.name === 'org-only.example')).toBe(false);
    expect(r.unmapped.map((u) => u.what)).toEqual([`attribute ${narrow.uuid} (type: domain)`]);
  });

  it('narrowerThanEvent', () => {
    expect(narrowerThanEvent(5, null, 3, null)).toBe(false);
    expect(narrowerThanEvent(0, null, 3, null)).toBe(true);
    expect(narrowerThanEvent(1, null, 3, null)).toBe(true);
    expect(narrowerThanEvent(3, null, 1, null)).toBe(false);
    expect(narrowerThanEvent(2, null, 0, null)).toBe(false);
    expect(narrowerThanEvent(4, '2', 4, '1')).toBe(true);
    expect(narrowerThanEvent(4, '1', 4, '1')).toBe(false);
    expect(narrowerThanEvent(3, null, 4, '1')).toBe(true);
  });
});

describe('mispEventToStix: bad input', () => {
  const refused = (input: unknown) => {
    try {
      mispEventToStix(input);
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('VALIDATION_FAILED');
      return (e as AppError).details as { problems?: string[] } | undefined;
    }
    throw new Error('accepted');
  };
  it('refuses what is not a MISP event', () => {
    refused(null);
    refused('{"Event": {}}');
    refused([]);
    refused({ response: [] });
    refused({ Event: [] });
  });
  it('refuses wrong types and names where', () => {
    expect(refused({ Event: { info: 'x', uuid: 'nope', date: '2020-01-01' } })!.problems).toEqual(['Event.uuid: must be a uuid']);
    expect(refused(ev({ timestamp: 'yesterday' }))!.problems).toEqual(['Event.timestamp: must be a non-negative integer (or its decimal string)']);
    expect(refused(ev({ Attribute: {} }))!.problems).toEqual(['Event.Attribute: must be an array']);
    expect(refused(ev({}, [{ uuid: '11111111-2222-4333-8444-555555555555', type: 'domain', value: { x: 1 } }]))!.problems).toEqual([
      'Event.Attribute[0].value: must be a string',
    ]);
    expect(refused(ev({ Tag: [{ name: 3 }] }))!.problems).toEqual(['Event.Tag[0].name: must be a string']);
    expect(refused(ev({ Orgc: { name: 'x' } }))!.problems).toEqual(['Event.Orgc.uuid: is missing']);
    expect(refused(ev({ date: '2020-13-45' }))!.problems).toEqual(['Event.date: must be a date YYYY-MM-DD']);
  });
});
