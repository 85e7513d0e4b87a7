import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureJsonFiles } from '../../../test/fixtures.js';
import { ATTACK_ICS_FILE } from '../exchange.js';
import { TLP2_MARKING_DEFINITIONS } from './tlp.js';
import { literalSuffix, referenceCycles, validateBundleShape, validateObject, type StixProblem } from './validate.js';

function objectsOf(file: string): Record<string, unknown>[] {
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  // interop-objectmarking-test.json is a single object, not a bundle.
  return j.type === 'bundle' ? j.objects : [j];
}

const fmt = (ps: StixProblem[]) => ps.map((p) => `${p.rule} ${p.property}: ${p.message}`).join('\n');

describe('real data validates with zero problems', () => {
  const files = [...fixtureJsonFiles('stix2-examples'), ATTACK_ICS_FILE];
  it('finds the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });
  for (const file of files) {
    it(file === ATTACK_ICS_FILE ? 'the shipped ATT&CK for ICS bundle' : path.relative(FIXTURES, file), () => {
      const objects = objectsOf(file);
      expect(objects.length).toBeGreaterThan(0);
      const problems = objects.flatMap((o) => validateObject(o));
      expect(fmt(problems)).toBe('');
      expect(fmt(referenceCycles(objects))).toBe('');
      const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (raw.type === 'bundle') expect(validateBundleShape(raw)).toEqual([]);
    });
  }
  it('the platform\'s five TLP 2.0 marking definitions', () => {
    expect(TLP2_MARKING_DEFINITIONS).toHaveLength(5);
    expect(fmt(TLP2_MARKING_DEFINITIONS.flatMap((o) => validateObject(o)))).toBe('');
  });
  it('does not modify the objects it validates', () => {
    const objects = objectsOf(ATTACK_ICS_FILE);
    const before = JSON.stringify(objects);
    for (const o of objects) validateObject(o);
    referenceCycles(objects);
    expect(JSON.stringify(objects)).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------

const ID = {
  identity: 'identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  identity2: 'identity--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  indicator: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  malware: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
  campaign: 'campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  relationship: 'relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad',
  sighting: 'sighting--ee20065d-2555-424f-ad9e-0f8fd4e5ba9c',
  marking: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  observed: 'observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf',
  location: 'location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64',
  file: 'file--1b40e321-ae73-5637-bd97-33c35a86b80d',
  file2: 'file--2b40e321-ae73-5637-bd97-33c35a86b80d',
  dir: 'directory--93c0a9b0-520d-545d-9094-1a08ddf46b05',
  dir2: 'directory--a3c0a9b0-520d-545d-9094-1a08ddf46b05',
  ipv4: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd',
  mac: 'mac-addr--65cfcf98-8a6e-5a1b-8f61-379ac4f92d00',
  email: 'email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3',
  emailMsg: 'email-message--72b7698f-10c2-565a-a2a6-b4996a2f2265',
  proc1: 'process--f52a906a-0dfc-40bd-92f1-e7778ead38a9',
  proc2: 'process--a52a906a-0dfc-40bd-92f1-e7778ead38a9',
  proc3: 'process--b52a906a-0dfc-40bd-92f1-e7778ead38a9',
  traffic: 'network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d',
  software: 'software--a1827f6d-ca53-5605-9e93-4316cd22a00a',
  artifact: 'artifact--6f437177-6e48-5cf8-9d9e-872a2bddd641',
  ua: 'user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c',
};
const T0 = '2024-01-02T03:04:05.000Z';
const T1 = '2024-02-02T03:04:05.000Z';

const indicator = (over: Record<string, unknown> = {}) => ({
  type: 'indicator', spec_version: '2.1', id: ID.indicator, created: T0, modified: T0,
  name: 'bad ip', pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: T0, ...over,
});
const malware = (over: Record<string, unknown> = {}) => ({
  type: 'malware', spec_version: '2.1', id: ID.malware, created: T0, modified: T0, name: 'x', is_family: true, ...over,
});
const relationship = (over: Record<string, unknown> = {}) => ({
  type: 'relationship', spec_version: '2.1', id: ID.relationship, created: T0, modified: T0,
  relationship_type: 'indicates', source_ref: ID.indicator, target_ref: ID.malware, ...over,
});
const sighting = (over: Record<string, unknown> = {}) => ({
  type: 'sighting', spec_version: '2.1', id: ID.sighting, created: T0, modified: T0, sighting_of_ref: ID.indicator, ...over,
});
const proc = (id: string, over: Record<string, unknown> = {}) => ({ type: 'process', spec_version: '2.1', id, pid: 1, ...over });

const rules = (o: unknown) => validateObject(o).map((p) => p.rule);

describe('valid hand-made objects', () => {
  const ok: [string, unknown][] = [
    ['indicator', indicator()],
    ['malware', malware()],
    ['relationship', relationship()],
    ['sighting with where_sighted_refs and observed_data_refs', sighting({ where_sighted_refs: [ID.identity, ID.location], observed_data_refs: [ID.observed], first_seen: T0, last_seen: T0, count: 2 })],
    ['ipv4-addr without spec_version', { type: 'ipv4-addr', id: ID.ipv4, value: '198.51.100.3', resolves_to_refs: [ID.mac] }],
    ['network-traffic', { type: 'network-traffic', spec_version: '2.1', id: ID.traffic, src_ref: ID.ipv4, protocols: ['tcp'] }],
    ['email-message', { type: 'email-message', spec_version: '2.1', id: ID.emailMsg, is_multipart: false, from_ref: ID.email, to_refs: [ID.email] }],
    ['file in a directory', { type: 'file', spec_version: '2.1', id: ID.file, name: 'a.exe', parent_directory_ref: ID.dir }],
    ['custom object with custom properties', { type: 'x-acme-widget', spec_version: '2.1', id: 'x-acme-widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T0, modified: T0, x_acme_colour: 'blue', x_acme_owner_ref: ID.identity }],
    ['indicator with a non-STIX pattern type', indicator({ pattern_type: 'yara', pattern: 'rule x { condition: true }' })],
    ['timestamps with microseconds', indicator({ created: '2024-01-02T03:04:05.123456Z', modified: '2024-01-02T03:04:05.1234567Z' })],
    ['leap day', indicator({ valid_from: '2024-02-29T00:00:00Z' })],
  ];
  for (const [name, o] of ok) it(name, () => expect(fmt(validateObject(o))).toBe(''));

  it('keeps custom properties and extensions intact', () => {
    const o = malware({
      x_puente_note: { nested: [1, 2] },
      extensions: { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'property-extension', rank: 5 } },
    });
    const before = JSON.stringify(o);
    expect(fmt(validateObject(o))).toBe('');
    expect(JSON.stringify(o)).toBe(before);
  });
});

describe('broken objects are rejected with the right rule', () => {
  const bad: [string, unknown, string, string?][] = [
    // [name, object, expected rule, expected property]
    ['not an object', 'indicator', 'schema'],
    ['array', [indicator()], 'schema'],
    ['missing type', { ...indicator(), type: undefined }, 'schema', 'type'],
    ['type not a string', indicator({ type: 5 }), 'schema', 'type'],
    ['type with capitals', indicator({ type: 'Indicator' }), 'schema', 'type'],
    ['type too short', { type: 'ab', id: 'ab--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }, 'schema', 'type'],
    ['long non-matching type (ReDoS guard)', { type: `${'a'.repeat(40)}_`, id: 'x' }, 'schema', 'type'],
    ['name of wrong type', indicator({ name: 42 }), 'schema', 'name'],
    ['confidence out of range', indicator({ confidence: 101 }), 'schema', 'confidence'],
    ['labels empty list', indicator({ labels: [] }), 'schema', 'labels'],
    ['missing required pattern', { ...indicator(), pattern: undefined }, 'schema', 'pattern'],
    ['missing required name (malware)', { ...malware(), name: undefined, is_family: undefined }, 'schema', 'is_family'],
    ['missing relationship_type', { ...relationship(), relationship_type: undefined }, 'schema', 'relationship_type'],
    ['reserved property severity', indicator({ severity: 'high' }), 'schema'],
    ['upper-case custom property name', indicator({ X_Foo: 1 }), 'schema', 'X_Foo'],
    ['missing id', { ...indicator(), id: undefined }, 'identifier', 'id'],
    ['id not a uuid', indicator({ id: 'indicator--1234' }), 'identifier', 'id'],
    ['id of another type', indicator({ id: 'malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' }), 'identifier', 'id'],
    ['id uuid bad variant', indicator({ id: 'indicator--8e2e2d2b-17d4-4cbf-c38f-98ee46b3cd3f' }), 'identifier', 'id'],
    ['id uuid version 0', indicator({ id: 'indicator--8e2e2d2b-17d4-0cbf-938f-98ee46b3cd3f' }), 'identifier', 'id'],
    ['SCO id with uuid v1', { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-1bc5-b98d-13d6226742dd', value: '198.51.100.3' }, 'identifier', 'id'],
    ['spec_version 2.0', indicator({ spec_version: '2.0' }), 'spec-version', 'spec_version'],
    ['spec_version missing on SDO', { ...indicator(), spec_version: undefined }, 'spec-version', 'spec_version'],
    ['SCO with spec_version 2.0', { type: 'ipv4-addr', spec_version: '2.0', id: ID.ipv4, value: '198.51.100.3' }, 'spec-version', 'spec_version'],
    ['created without Z', indicator({ created: '2024-01-02T03:04:05.000+01:00' }), 'timestamp', 'created'],
    ['created without milliseconds', indicator({ created: '2024-01-02T03:04:05Z' }), 'timestamp', 'created'],
    ['modified with two fraction digits', indicator({ modified: '2024-01-02T03:04:05.12Z' }), 'timestamp', 'modified'],
    ['valid_from 30 February', indicator({ valid_from: '2023-02-30T00:00:00Z' }), 'timestamp', 'valid_from'],
    ['valid_from 29 February in a common year', indicator({ valid_from: '2023-02-29T00:00:00Z' }), 'timestamp', 'valid_from'],
    ['valid_from a number', indicator({ valid_from: 1700000000 }), 'timestamp', 'valid_from'],
    ['modified earlier than created', indicator({ created: T1, modified: T0 }), 'timestamp-order', 'modified'],
    ['modified earlier by a microsecond', indicator({ created: '2024-01-02T03:04:05.0000011Z', modified: '2024-01-02T03:04:05.000001Z' }), 'timestamp-order', 'modified'],
    ['valid_until equal to valid_from', indicator({ valid_until: T0 }), 'timestamp-order', 'valid_until'],
    ['valid_until before valid_from', indicator({ valid_from: T1, valid_until: T0 }), 'timestamp-order', 'valid_until'],
    ['last_seen before first_seen (sighting)', sighting({ first_seen: T1, last_seen: T0 }), 'timestamp-order', 'last_seen'],
    ['last_seen before first_seen (campaign)', { type: 'campaign', spec_version: '2.1', id: ID.campaign, created: T0, modified: T0, name: 'c', first_seen: T1, last_seen: T0 }, 'timestamp-order', 'last_seen'],
    ['last_observed before first_observed', { type: 'observed-data', spec_version: '2.1', id: ID.observed, created: T0, modified: T0, first_observed: T1, last_observed: T0, number_observed: 1, object_refs: [ID.ipv4] }, 'timestamp-order', 'last_observed'],
    ['stop_time equal to start_time', relationship({ start_time: T0, stop_time: T0 }), 'timestamp-order', 'stop_time'],
    ['created_by_ref to a malware', indicator({ created_by_ref: ID.malware }), 'reference-type', 'created_by_ref'],
    ['created_by_ref not an identifier', indicator({ created_by_ref: 'ACME' }), 'reference', 'created_by_ref'],
    ['object_marking_refs to an identity', indicator({ object_marking_refs: [ID.identity] }), 'reference-type', 'object_marking_refs[0]'],
    ['granular marking_ref to an identity', indicator({ granular_markings: [{ marking_ref: ID.identity, selectors: ['name'] }] }), 'reference-type', 'granular_markings[0].marking_ref'],
    ['relationship to a relationship', relationship({ target_ref: 'relationship--54298a74-ba52-4f0c-87a3-1824e67d7fad' }), 'reference-type', 'target_ref'],
    ['relationship from a marking definition', relationship({ source_ref: ID.marking }), 'reference-type', 'source_ref'],
    ['sighting of an SCO', sighting({ sighting_of_ref: ID.ipv4 }), 'reference-type', 'sighting_of_ref'],
    ['where_sighted_refs to a malware', sighting({ where_sighted_refs: [ID.malware] }), 'reference-type', 'where_sighted_refs[0]'],
    ['observed_data_refs to an indicator', sighting({ observed_data_refs: [ID.indicator] }), 'reference-type', 'observed_data_refs[0]'],
    ['malware sample_refs to an ipv4-addr', malware({ sample_refs: [ID.ipv4] }), 'reference-type', 'sample_refs[0]'],
    ['email from_ref to an ipv4-addr', { type: 'email-message', id: ID.emailMsg, is_multipart: false, from_ref: ID.ipv4 }, 'reference-type', 'from_ref'],
    ['ipv4 resolves_to_refs to a domain', { type: 'ipv4-addr', id: ID.ipv4, value: '198.51.100.3', resolves_to_refs: ['domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5'] }, 'reference-type', 'resolves_to_refs[0]'],
    ['network-traffic src_ref to a file', { type: 'network-traffic', id: ID.traffic, src_ref: ID.file, protocols: ['tcp'] }, 'reference-type', 'src_ref'],
    ['file parent_directory_ref to a file', { type: 'file', id: ID.file, name: 'a', parent_directory_ref: ID.file2 }, 'reference-type', 'parent_directory_ref'],
    ['process parent_ref to a file', proc(ID.proc1, { parent_ref: ID.file }), 'reference-type', 'parent_ref'],
    ['service_dll_refs inside an extension to a process', proc(ID.proc1, { extensions: { 'windows-service-ext': { service_name: 's', service_dll_refs: [ID.proc2] } } }), 'reference-type', 'extensions.windows-service-ext.service_dll_refs[0]'],
    ['custom _ref property not an identifier', indicator({ x_acme_owner_ref: 'bob' }), 'reference', 'x_acme_owner_ref'],
    ['_refs property not a list', indicator({ x_acme_owner_refs: ID.identity }), 'reference'],
    ['ref in an extension not an identifier', malware({ extensions: { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'property-extension', owner_ref: 'nobody' } } }), 'reference', 'extensions.extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e.owner_ref'],
    ['observable container ref to a missing key', { type: 'observed-data', spec_version: '2.1', id: ID.observed, created: T0, modified: T0, first_observed: T0, last_observed: T0, number_observed: 1, objects: { 0: { type: 'network-traffic', dst_ref: '7', protocols: ['tcp'] } } }, 'reference', 'objects.0.dst_ref'],
    ['process parent_ref to itself', proc(ID.proc1, { parent_ref: ID.proc1 }), 'self-reference', 'parent_ref'],
    ['malware created by itself', { ...malware(), created_by_ref: malware().id }, 'self-reference', 'created_by_ref'],
    ['broken STIX pattern', indicator({ pattern: "[ipv4-addr:value = '198.51.100.1'" }), 'pattern', 'pattern'],
    ['pattern with unknown operator', indicator({ pattern: "[ipv4-addr:value === '198.51.100.1']" }), 'pattern', 'pattern'],
    ['pattern that is not a pattern', indicator({ pattern: 'ipv4-addr = 1.2.3.4' }), 'pattern', 'pattern'],
    ['bundle passed as an object', { type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', objects: [] }, 'schema', 'type'],
  ];
  it('has 40+ broken cases', () => expect(bad.length).toBeGreaterThanOrEqual(40));
  for (const [name, o, rule, property] of bad) {
    it(`${name} -> ${rule}`, () => {
      const problems = validateObject(o);
      const hit = problems.find((p) => p.rule === rule && (property === undefined || p.property === property));
      expect(hit, fmt(problems) || '(no problems)').toBeTruthy();
      // Messages name the object, the property and are plain English.
      if (hit && typeof o === 'object' && o && 'id' in o && typeof (o as { id: unknown }).id === 'string') {
        expect(hit.message).toContain((o as { id: string }).id);
      }
      if (hit && property) expect(hit.message).toContain(property.replace(/\[\d+\]$/, '').split('.')[0]);
    });
  }

  it('the pattern problem gives the offset', () => {
    const p = validateObject(indicator({ pattern: "[ipv4-addr:value = '198.51.100.1'" })).find((x) => x.rule === 'pattern');
    expect(p?.message).toMatch(/offset \d+/);
  });

  it('a custom object keeps being validated against the core schema', () => {
    const o = { type: 'x-acme-widget', spec_version: '2.1', id: 'x-acme-widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', created: T0 };
    expect(validateObject(o).map((p) => p.property)).toContain('modified');
  });

  it('a custom SCO (new-sco extension) may omit created/modified but needs a v4/v5 uuid', () => {
    const ext = { 'extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e': { extension_type: 'new-sco' } };
    expect(fmt(validateObject({ type: 'x-acme-thing', id: 'x-acme-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', extensions: ext }))).toBe('');
    expect(rules({ type: 'x-acme-thing', id: 'x-acme-thing--8e2e2d2b-17d4-1cbf-938f-98ee46b3cd3f', extensions: ext })).toContain('identifier');
  });
});

describe('literalSuffix (the fast path before a schema regex)', () => {
  it('finds the literal ending only where every match must have it', () => {
    expect(literalSuffix('^[a-z][a-z0-9_]{0,245}_hex$')).toBe('_hex');
    expect(literalSuffix('^[a-z][a-z0-9_]{0,245}_bin$')).toBe('_bin');
    expect(literalSuffix('a?bc$')).toBe('bc');
    expect(literalSuffix('a\\dbc$')).toBe('bc');
    for (const none of ['^abc', '^(x|y)_hex$', 'x_hex{2}$', '[^_hex]$', '(ab)c$', 'ab\\$', 'x_hex+$'])
      expect(literalSuffix(none), none).toBe('');
    expect(literalSuffix('^x_hex$', 'i')).toBe('');
  });
  it('keeps the schema verdict on hex and binary properties', () => {
    const base = { type: 'x-bench', spec_version: '2.1', id: 'x-bench--6ba7b810-9dad-41d1-80b4-00c04fd430c8', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z' };
    expect(validateObject({ ...base, payload_hex: 'zz' }).map((p) => p.property)).toContain('payload_hex');
    expect(validateObject({ ...base, payload_hex: '0aff' })).toEqual([]);
    expect(validateObject({ ...base, payload_bin: '***' }).map((p) => p.property)).toContain('payload_bin');
  });
});

describe('validateBundleShape', () => {
  const b = { type: 'bundle', id: 'bundle--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', objects: [indicator()] };
  it('accepts a bundle', () => expect(validateBundleShape(b)).toEqual([]));
  it('accepts a bundle without objects (optional in STIX 2.1)', () => expect(validateBundleShape({ type: b.type, id: b.id })).toEqual([]));
  it('leaves elements that are not objects to validateObject', () => expect(validateBundleShape({ ...b, objects: [1] })).toEqual([]));
  it.each([
    ['not an object', 'x', 'bundle'],
    ['wrong type', { ...b, type: 'collection' }, 'bundle'],
    ['bad id', { ...b, id: 'bundle--1' }, 'identifier'],
    ['id of another type', { ...b, id: ID.indicator }, 'identifier'],
    ['objects not a list', { ...b, objects: {} }, 'bundle'],
    ['objects empty', { ...b, objects: [] }, 'bundle'],
    ['STIX 2.0 bundle', { ...b, spec_version: '2.0' }, 'spec-version'],
  ])('%s', (_n, bundle, rule) => {
    expect(validateBundleShape(bundle).map((p) => p.rule)).toContain(rule);
  });
});

describe('referenceCycles', () => {
  it('finds a process parent cycle', () => {
    const ps = [proc(ID.proc1, { parent_ref: ID.proc2 }), proc(ID.proc2, { parent_ref: ID.proc3 }), proc(ID.proc3, { parent_ref: ID.proc1 })];
    const found = referenceCycles(ps);
    expect(found.map((p) => p.rule)).toEqual(['cycle']);
    expect(found[0].message).toContain(ID.proc1);
  });
  it('a consistent parent_ref/child_refs pair is not a cycle', () => {
    expect(referenceCycles([proc(ID.proc1, { child_refs: [ID.proc2] }), proc(ID.proc2, { parent_ref: ID.proc1 })])).toEqual([]);
  });
  it('finds a cycle mixing child_refs and parent_ref', () => {
    expect(referenceCycles([proc(ID.proc1, { parent_ref: ID.proc2 }), proc(ID.proc2, { parent_ref: ID.proc1 })]).map((p) => p.rule)).toEqual(['cycle']);
    expect(referenceCycles([proc(ID.proc1, { child_refs: [ID.proc2] }), proc(ID.proc2, { child_refs: [ID.proc1] })]).map((p) => p.rule)).toEqual(['cycle']);
  });
  it('finds a directory containment cycle', () => {
    const d1 = { type: 'directory', id: ID.dir, path: '/a', contains_refs: [ID.dir2] };
    const d2 = { type: 'directory', id: ID.dir2, path: '/a/b', contains_refs: [ID.dir] };
    expect(referenceCycles([d1, d2]).map((p) => p.rule)).toEqual(['cycle']);
  });
  it('finds a created_by_ref chain cycle', () => {
    const a = { type: 'identity', spec_version: '2.1', id: ID.identity, created: T0, modified: T0, name: 'a', created_by_ref: ID.identity2 };
    const b = { type: 'identity', spec_version: '2.1', id: ID.identity2, created: T0, modified: T0, name: 'b', created_by_ref: ID.identity };
    const found = referenceCycles([a, b]);
    expect(found.map((p) => [p.rule, p.property])).toEqual([['cycle', 'created_by_ref']]);
  });
  it('finds self-references', () => {
    expect(referenceCycles([proc(ID.proc1, { child_refs: [ID.proc1] })]).map((p) => p.rule)).toEqual(['self-reference']);
  });
  it('ignores references to objects outside the set and plain relationship graphs', () => {
    expect(referenceCycles([proc(ID.proc1, { parent_ref: ID.proc2 })])).toEqual([]);
    const r1 = relationship({ source_ref: ID.indicator, target_ref: ID.malware });
    const r2 = relationship({ id: 'relationship--54298a74-ba52-4f0c-87a3-1824e67d7fad', source_ref: ID.malware, target_ref: ID.indicator, relationship_type: 'related-to' });
    expect(referenceCycles([indicator(), malware(), r1, r2])).toEqual([]);
  });
});
