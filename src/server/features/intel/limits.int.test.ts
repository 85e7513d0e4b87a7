import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

/** Size limits of the intel routes, at small configured values so the test stays light. */
let t: TestApp;
let member: Client;

const indicator = () => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${crypto.randomUUID()}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern: "[domain-name:value = 'limits.example']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  description: 'x'.repeat(400),
});
const bundle = (n: number) => ({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: Array.from({ length: n }, indicator) });

beforeAll(async () => {
  t = await createTestApp({ env: { PUENTE_INTEL_UPLOAD_MAX_BYTES: '8192', PUENTE_INTEL_BUNDLE_MAX_BYTES: '4096', PUENTE_INTEL_MAX_OBJECTS: '3' } });
  const org = await makeOrganisation(t.db, { country: 'MX' });
  member = await login(t.app, (await makePerson(t.db, org)).email);
});
afterAll(async () => t?.close());

describe('limits of the intel routes', () => {
  it('an upload over PUENTE_INTEL_UPLOAD_MAX_BYTES is refused with 413 and changes nothing', async () => {
    const before = await tableCounts(t.db);
    const payload = JSON.stringify(bundle(30));
    expect(payload.length).toBeGreaterThan(8192);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/intel/uploads', headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await tableCounts(t.db)).toEqual(before);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/intel/uploads', headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'application/json' }, payload: JSON.stringify(bundle(2)) });
    expect(ok.statusCode).toBe(201);
  });

  it('a JSON bundle over PUENTE_INTEL_BUNDLE_MAX_BYTES or PUENTE_INTEL_MAX_OBJECTS is refused', async () => {
    const before = await tableCounts(t.db);
    const big = await member.post('/api/v1/intel/bundles', { bundle: bundle(12) });
    expect(big.statusCode).toBe(413);
    const many = await t.app.inject({
      method: 'POST',
      url: '/api/v1/intel/bundles',
      headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'application/json' },
      payload: JSON.stringify({ bundle: { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [1, 2, 3, 4] } }),
    });
    expect(many.statusCode).toBe(413);
    expect(many.json().error.details.limit).toBe(3);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
