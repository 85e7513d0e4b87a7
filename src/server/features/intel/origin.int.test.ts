// GET /api/v1/intel/objects?origin=members|reference&excludeType=…: the list the web app opens on
// shows what members submitted, without the platform's reference content (TLP definitions,
// ATT&CK, KEV) or the relationships, identities and marking definitions, unless asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { platformOf } from '../../platform/deps.js';
import { ensureReferenceMarkings } from './service.js';
import { bundle, indicator } from './stix.test-helpers.js';

let t: TestApp;
let member: Client;
const T0 = '2026-02-01T00:00:00.000Z';

beforeAll(async () => {
  t = await createTestApp();
  await ensureReferenceMarkings(platformOf(t.deps));
  const org = await makeOrganisation(t.db, { country: 'CL' });
  member = await login(t.app, (await makePerson(t.db, org)).email);
  const ind = indicator({ name: 'Members indicator' });
  const malware = { type: 'malware', spec_version: '2.1', id: `malware--${crypto.randomUUID()}`, created: T0, modified: T0, name: 'OriginWorm', is_family: true };
  const rel = { type: 'relationship', spec_version: '2.1', id: `relationship--${crypto.randomUUID()}`, created: T0, modified: T0, relationship_type: 'indicates', source_ref: ind.id, target_ref: malware.id };
  const identity = { type: 'identity', spec_version: '2.1', id: `identity--${crypto.randomUUID()}`, created: T0, modified: T0, name: 'Some team', identity_class: 'organization' };
  const res = await member.post('/api/v1/intel/bundles', { bundle: bundle([ind, malware, rel, identity]), tlp: 'GREEN' });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
});
afterAll(async () => t?.close());

const list = async (query: string) => {
  const res = await member.get(`/api/v1/intel/objects?limit=500${query}`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json().items as { type: string; name: string | null; organisation: unknown; source: string }[];
};

describe('the intel list by origin and excluded types', () => {
  it('everything without the filters: members’ objects and the reference marking definitions', async () => {
    const all = await list('');
    expect(all.some((o) => o.type === 'marking-definition' && o.organisation === null)).toBe(true);
    expect(all.some((o) => o.name === 'Members indicator')).toBe(true);
  });

  it('origin=members leaves out the platform’s reference content; origin=reference keeps only it', async () => {
    const members = await list('&origin=members');
    expect(members.length).toBe(4);
    expect(members.every((o) => o.organisation !== null && o.source !== 'reference')).toBe(true);
    const reference = await list('&origin=reference');
    expect(reference.length).toBeGreaterThan(0);
    expect(reference.every((o) => o.organisation === null)).toBe(true);
  });

  it('excludeType leaves out the types named; the exports take the same filters', async () => {
    const own = await list('&origin=members&excludeType=relationship,identity,marking-definition');
    expect(own.map((o) => o.type).sort()).toEqual(['indicator', 'malware']);
    const csv = await member.get('/api/v1/intel/export?format=csv&origin=members&excludeType=relationship,identity,marking-definition');
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    expect(csv.body).toContain('Members indicator');
    expect(csv.body).not.toContain('relationship--');
    expect((await member.get('/api/v1/intel/objects?origin=everyone')).statusCode).toBe(400);
    expect((await member.get('/api/v1/intel/objects?excludeType=Not%20A%20Type')).statusCode).toBe(400);
  });
});
