import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { readFixture } from '../../../test/fixtures.js';
import { TLP2_IDS } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { categoryOf, MISP_CATEGORIES, MISP_OBJECT_TEMPLATES, mispFeed, simplePatternFacts, stixToMispEvent } from './export.js';
import { mispEventToStix } from './import.js';

const load = (name: string): unknown => readFixture(`misp-events/${name}`);
const ORG = { orgName: 'CSIRT Example', orgUuid: '0f0e0d0c-0b0a-4909-8807-060504030201' };
type Attr = { type: string; value: string; uuid: string; category: string; to_ids: boolean };
const pairs = (list: { type: string; value: string }[]) => list.map((a) => `${a.type}=${a.value}`).sort();

describe('stixToMispEvent: round trip MISP -> STIX -> MISP', () => {
  it('keeps the values, types, uuids and categories of the real CIRCL event', () => {
    const original = load('57c4445b-c548-4654-af0b-4be3950d210f.json') as { Event: { Attribute: Attr[]; uuid: string } };
    const back = stixToMispEvent(mispEventToStix(original).objects, ORG).Event;
    expect(back.uuid).toBe(original.Event.uuid);
    expect(back.info).toBe('Ransomware - Xorist');
    expect(back.date).toBe('2016-08-29');
    expect(pairs(back.Attribute)).toEqual(pairs(original.Event.Attribute));
    // all but the two links keep their MISP uuid and category
    const byUuid = new Map(original.Event.Attribute.map((a) => [a.uuid, a]));
    const kept = back.Attribute.filter((a) => byUuid.has(a.uuid));
    expect(kept).toHaveLength(7);
    for (const a of kept) {
      expect(a.category).toBe(byUuid.get(a.uuid)!.category);
      expect(a.to_ids).toBe(byUuid.get(a.uuid)!.to_ids);
    }
    expect(back.Tag.map((t) => t.name)).toEqual([
      'tlp:clear',
      'circl:incident-classification="malware"',
      'ms-caro-malware:malware-type="Ransom"',
      'malware_classification:malware-category="Ransomware"',
    ]);
    expect(back.Orgc).toEqual({ name: ORG.orgName, uuid: ORG.orgUuid });
  });

  it('keeps the mapped attributes of existing_event.json (domains, file and domain-ip objects)', () => {
    const original = load('existing_event.json') as { Attribute: Attr[]; Object: { name: string; Attribute: (Attr & { object_relation: string })[] }[] };
    const back = stixToMispEvent(mispEventToStix(original).objects, ORG).Event;
    expect(pairs(back.Attribute.filter((a) => a.type === 'domain'))).toEqual(pairs(original.Attribute.filter((a) => a.type === 'domain')));
    // file objects with a name and a sha1 come back as filename|sha1, with only a sha1 as sha1;
    // domain-ip objects as domain|ip
    const flat = (o: (typeof original.Object)[number]) => {
      const mapped = o.Attribute.filter((a) => a.object_relation !== 'state');
      if (o.name === 'domain-ip') return `domain|ip=${mapped.find((a) => a.type === 'domain')!.value}|${mapped.find((a) => a.type === 'ip-dst')!.value}`;
      const name = mapped.find((a) => a.type === 'filename');
      const sha1 = mapped.find((a) => a.type === 'sha1')!;
      return name ? `filename|sha1=${name.value}|${sha1.value}` : `sha1=${sha1.value}`;
    };
    const expected = original.Object.map(flat).sort();
    const got = pairs(back.Attribute.filter((a) => ['domain|ip', 'filename|sha1', 'sha1'].includes(a.type)));
    expect(got).toEqual(expected);
  });

  it('round-trips the attribute types it maps', () => {
    const types: [string, string, boolean][] = [
      ['ip-src', '198.51.100.7', true],
      ['ip-dst', '198.51.100.8', false],
      ['ip-dst|port', '198.51.100.9|443', true],
      ['ip-src|port', '198.51.100.9|5555', false],
      ['domain', 'evil.example', true],
      ['hostname', 'c2.evil.example', false],
      ['domain|ip', 'evil.example|198.51.100.10', false],
      ['url', 'http://evil.example/a', true],
      ['uri', '/gate.php', true],
      ['md5', 'd41d8cd98f00b204e9800998ecf8427e', true],
      ['sha1', 'a'.repeat(40), false],
      ['sha256', 'b'.repeat(64), true],
      ['sha512', 'c'.repeat(128), true],
      ['ssdeep', '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C', true],
      ['filename|md5', 'a.exe|d41d8cd98f00b204e9800998ecf8427e', false],
      ['filename|sha256', `b.exe|${'d'.repeat(64)}`, true],
      ['filename', 'c.exe', true],
      ['email-src', 'bad@evil.example', true],
      ['email-dst', 'victim@example.org', false],
      ['email-subject', 'Invoice', true],
      ['AS', '64496', true],
      ['mutex', 'Global\\abc', true],
      ['regkey', 'HKEY_LOCAL_MACHINE\\Software\\Run', false],
      ['regkey|value', 'HKEY_CURRENT_USER\\Run|x.exe', true],
      ['user-agent', 'Mozilla/5.0', true],
      ['vulnerability', 'CVE-2021-44228', false],
      ['yara', 'rule x { condition: true }', true],
      ['snort', 'alert tcp any any -> any any (sid:1;)', true],
      ['sigma', 'title: x', true],
      ['x509-fingerprint-sha1', 'e'.repeat(40), true],
      ['mac-address', '00:1a:2b:3c:4d:5e', false],
      ['text', 'some text', false],
      ['comment', 'a comment', false],
      ['link', 'https://example.org/blog', false],
      ['stix2-pattern', "[ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value = '1.2.3.5']", true],
    ];
    const Attribute = types.map(([type, value, to_ids], i) => ({
      uuid: `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type,
      value,
      to_ids,
      category: 'Other',
      timestamp: '1704200100',
    }));
    const stix = mispEventToStix({
      Event: { uuid: '11111111-2222-4333-8444-555555555555', info: 'all', date: '2024-01-02', timestamp: '1704200000', Tag: [{ name: 'tlp:green' }], Attribute },
    });
    expect(stix.unmapped).toEqual([]);
    const back = stixToMispEvent(stix.objects, ORG).Event;
    expect(pairs(back.Attribute)).toEqual(pairs(Attribute));
    expect(back.Tag.map((t) => t.name)).toEqual(['tlp:green']);
  });
});

describe('stixToMispEvent: STIX from elsewhere', () => {
  const marking = { object_marking_refs: [TLP2_IDS.AMBER] };
  const base = { spec_version: '2.1', created: '2024-03-01T10:00:00.000Z', modified: '2024-03-02T10:00:00.000Z' };
  const objects: StixObject[] = [
    { type: 'indicator', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', ...base, ...marking, pattern_type: 'stix', valid_from: base.created, pattern: "[file:name = 'x.exe' AND file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' AND file:hashes.'SHA-1' = '" + 'a'.repeat(40) + "']" },
    { type: 'indicator', id: 'indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', ...base, pattern_type: 'stix', valid_from: base.created, pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/24']" },
    { type: 'indicator', id: 'indicator--2e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', ...base, pattern_type: 'stix', valid_from: base.created, pattern: "[domain-name:value = 'a.example']" },
    { type: 'malware', id: 'malware--3e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', ...base, name: 'BadThing', is_family: true },
    { type: 'observed-data', id: 'observed-data--4e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', ...base, first_observed: base.created, last_observed: base.created, number_observed: 1, object_refs: ['ipv4-addr--5e2e2d2b-17d4-5cbf-938f-98ee46b3cd3f'] },
    { type: 'ipv4-addr', id: 'ipv4-addr--5e2e2d2b-17d4-5cbf-938f-98ee46b3cd3f', value: '203.0.113.5' },
  ];
  it('maps simple patterns to attributes, a file pattern to a file object, the rest to stix2-pattern', () => {
    const e = stixToMispEvent(objects, { ...ORG, info: 'Selection' }).Event;
    expect(e.info).toBe('Selection');
    expect(e.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(stixToMispEvent([...objects].reverse(), ORG).Event.uuid).toBe(e.uuid); // deterministic for a selection
    expect(pairs(e.Attribute)).toEqual(['domain=a.example', 'ip-dst=203.0.113.5', "stix2-pattern=[ipv4-addr:value ISSUBSET '198.51.100.0/24']"]);
    expect(e.Object).toHaveLength(1);
    expect(e.Object[0]!.name).toBe('file');
    expect(e.Object[0]!.Attribute.map((a) => `${a.object_relation}:${a.value}`).sort()).toEqual(
      ['filename:x.exe', 'md5:d41d8cd98f00b204e9800998ecf8427e', `sha1:${'a'.repeat(40)}`].sort(),
    );
    expect(e.Tag.map((t) => t.name)).toEqual(['tlp:amber', 'puente:malware="BadThing"']);
    expect(e.timestamp).toBe(String(Date.parse(base.modified) / 1000));
  });
  it('reads patterns with escapes', () => {
    expect(simplePatternFacts("[file:name = 'O\\'Brien\\\\x']")).toEqual({ objectType: 'file', facts: new Map([['name', "O'Brien\\x"]]) });
    expect(simplePatternFacts("[file:name = 'a' AND url:value = 'b']")).toBeNull();
    expect(simplePatternFacts("[file:name = 'a'] OR [file:name = 'b']")).toBeNull();
    expect(simplePatternFacts("[file:name = 'a AND b']")).toEqual({ objectType: 'file', facts: new Map([['name', 'a AND b']]) });
  });
});

describe('mispFeed', () => {
  it('writes manifest.json, hashes.csv and one <uuid>.json per event as MISP feed fetchers read them', () => {
    const circl = stixToMispEvent(mispEventToStix(load('57c4445b-c548-4654-af0b-4be3950d210f.json')).objects, ORG);
    const other = stixToMispEvent(mispEventToStix(load('misp_event.json')).objects, ORG);
    const feed = mispFeed([circl, other]);
    const u1 = circl.Event.uuid;
    const u2 = other.Event.uuid;
    expect(Object.keys(feed.manifest).sort()).toEqual([u1, u2].sort());
    expect(feed.manifest[u1]).toEqual({
      info: 'Ransomware - Xorist',
      date: '2016-08-29',
      analysis: 2,
      threat_level_id: 3,
      timestamp: Number(circl.Event.timestamp),
      Orgc: { name: ORG.orgName, uuid: ORG.orgUuid },
      Tag: circl.Event.Tag.map((t) => ({ name: t.name, colour: t.colour })),
    });
    expect([...feed.files.keys()].sort()).toEqual([`${u1}.json`, `${u2}.json`].sort());
    const file = JSON.parse(feed.files.get(`${u1}.json`)!) as { Event: { uuid: string; Attribute: unknown[]; Object: unknown[]; Tag: unknown[] } };
    expect(file.Event.uuid).toBe(u1);
    expect(Array.isArray(file.Event.Attribute) && Array.isArray(file.Event.Object) && Array.isArray(file.Event.Tag)).toBe(true);
    const lines = feed.hashesCsv.trimEnd().split('\n');
    // CIRCL: 9 attributes, regkey|value hashed part by part -> 10 lines; misp_event: 2
    expect(lines).toHaveLength(12);
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(lines).toContain(`${md5('0749bae92ca336a02c83d126e04ec628')},${u1}`);
    expect(lines).toContain(`${md5('%TEMP%\\3Z4wnG9603it23y.exe')},${u1}`);
    expect(lines.every((l) => /^[0-9a-f]{32},[0-9a-f-]{36}$/.test(l))).toBe(true);
  });
  it('refuses something that is not an event', () => {
    expect(() => mispFeed([{ Event: { info: 'x' } }])).toThrow(AppError);
  });
});

describe('stixToMispEvent: what MISP accepts', () => {
  const base = { spec_version: '2.1', created: '2024-03-01T10:00:00.000Z', modified: '2024-03-02T10:00:00.000Z', pattern_type: 'stix', valid_from: '2024-03-01T10:00:00.000Z' };
  const pattern = (p: string, n: number): StixObject => ({ type: 'indicator', id: `indicator--${String(n).padStart(8, '0')}-17d4-4cbf-938f-98ee46b3cd3f`, ...base, pattern: p });
  const sha = (n: number) => 'a'.repeat(n);
  // One pattern for every way factsToMisp writes an attribute or an object, and patterns it can only keep as stix2-pattern.
  const patterns = [
    "[ipv4-addr:value = '198.51.100.1']",
    "[ipv6-addr:value = '2001:db8::1']",
    "[domain-name:value = 'a.example']",
    "[domain-name:value = 'b.example' AND domain-name:resolves_to_refs[*].value = '198.51.100.2']",
    "[url:value = 'https://a.example/x']",
    "[email-addr:value = 'x@a.example']",
    "[email-message:subject = 'Invoice']",
    '[autonomous-system:number = 64500]',
    "[mutex:name = 'Global\\\\m']",
    "[mac-addr:value = '00:00:5e:00:53:01']",
    "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\x']",
    `[x509-certificate:hashes.'SHA-256' = '${sha(64)}']`,
    `[x509-certificate:hashes.MD5 = '${sha(32)}']`,
    "[network-traffic:dst_ref.value = '198.51.100.3' AND network-traffic:dst_port = 443]",
    "[file:name = 'x.exe']",
    `[file:hashes.'SHA-256' = '${sha(64)}']`,
    `[file:hashes.'SHA3-256' = '${sha(64)}']`,
    `[file:name = 'y.exe' AND file:hashes.MD5 = '${sha(32)}']`,
    `[file:name = 'z.exe' AND file:size = 1024 AND file:mime_type = 'application/x-dosexec' AND file:hashes.'SHA-1' = '${sha(40)}']`,
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
  ];
  const objects: StixObject[] = [
    ...patterns.map(pattern),
    { type: 'vulnerability', id: 'vulnerability--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', spec_version: '2.1', created: base.created, modified: base.modified, name: 'CVE-2021-44228', external_references: [{ source_name: 'cve', external_id: 'CVE-2021-44228', url: 'https://www.cve.org/CVERecord?id=CVE-2021-44228' }] },
  ];
  const e = stixToMispEvent(objects, ORG).Event;
  const all = [...e.Attribute, ...e.Object.flatMap((o) => o.Attribute)];

  it('gives every attribute a category MISP admits for its type', () => {
    expect(all.length).toBeGreaterThanOrEqual(patterns.length);
    for (const a of all) expect({ type: a.type, category: a.category, admitted: (MISP_CATEGORIES[a.type] ?? []).includes(a.category) }).toEqual({ type: a.type, category: a.category, admitted: true });
    // The two the review saw refused: a pattern and a size.
    expect(all.find((a) => a.type === 'stix2-pattern')!.category).not.toBe('External analysis');
    expect(all.find((a) => a.type === 'size-in-bytes')!.category).toBe('Other');
  });

  it('names the template of every MISP object it writes', () => {
    expect(e.Object.length).toBeGreaterThan(0);
    for (const o of e.Object) expect(o).toMatchObject({ name: 'file', template_uuid: MISP_OBJECT_TEMPLATES.file!.uuid, template_version: MISP_OBJECT_TEMPLATES.file!.version, 'meta-category': 'file' });
  });

  it('keeps a category from a MISP hint only when MISP admits it for the type', () => {
    expect(categoryOf('stix2-pattern', 'External analysis')).toBe('Payload installation');
    expect(categoryOf('stix2-pattern', 'Network activity')).toBe('Network activity');
    expect(() => categoryOf('no-such-type')).toThrow();
  });
});
