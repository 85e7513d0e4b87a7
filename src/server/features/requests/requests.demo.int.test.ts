// The demo's requests tell the done-when story: the Dominican focal point's sectoral CSIRT request,
// AMBER to the secretariat and the providers, answered jointly by the Team Europe agency and the
// Chilean CSIRT and in delivery; the world (another member, the public) never sees the gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../demo/load.js';
import { createTestApp, login, TEST_PASSWORD, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemo(t.db, TEST_PASSWORD);
});
afterAll(async () => t?.close());

const as = (email: string) => login(t.app, `${email}@demo.puente.test`);
const titles = (items: { title: string }[]) => items.map((i) => i.title);

describe('the demo’s assistance requests', () => {
  it('show the Dominican request to its requester, the secretariat and the providers that deliver it, and to no one else', async () => {
    const diplomat = await as('diplomat.do');
    const mine = (await diplomat.get('/api/v1/requests?mine=true&lang=en')).json().items;
    const csirt = mine.find((r: { title: string }) => r.title === 'Setting up a sectoral CSIRT for the electricity sector');
    expect(csirt).toMatchObject({ status: 'in-delivery', tlp: 'AMBER', country: 'DO', forCountry: true });
    const full = (await diplomat.get(`/api/v1/requests/${csirt.id}`)).json();
    expect(full.steps.map((s: { status: string }) => s.status)).toEqual(['submitted', 'triaged', 'open', 'matched', 'in-delivery']);
    expect(full.interests).toHaveLength(2);
    const chosen = full.interests.find((i: { status: string }) => i.status === 'chosen');
    expect(chosen.organisation.name).toBe('Team Europe Cyber Resilience Facility');
    expect(chosen.partners.map((p: { country: string }) => p.country)).toEqual(['CL']);
    // It proposes the agency's own CSIRT set-up offer from the catalogue.
    expect(chosen.offerIds.length).toBeGreaterThan(0);

    const provider = await as('provider.eu');
    const seen = (await provider.get(`/api/v1/requests/${csirt.id}`)).json();
    expect(seen.interests.map((i: { organisation: { name: string } }) => i.organisation.name)).toEqual(['Team Europe Cyber Resilience Facility']);
    expect(seen.can.deliver).toBe(true);
    expect((await (await as('analyst.cl')).get(`/api/v1/requests/${csirt.id}`)).statusCode).toBe(200);
    expect((await (await as('admin')).get(`/api/v1/requests/${csirt.id}`)).statusCode).toBe(200);
    // Outside the audience: another ministry, and the public.
    expect((await (await as('diplomat.es')).get(`/api/v1/requests/${csirt.id}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/requests/${csirt.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/requests' })).json().items).toEqual([]);
    expect((await diplomat.get(`/api/v1/requests/${csirt.id}/matches`)).statusCode).toBe(200);
  });

  it('have requests at every stage, one evaluated, and a triage list for the secretariat', async () => {
    const admin = await as('admin');
    const all = (await admin.get('/api/v1/requests?limit=100')).json().items as { status: string; country: string }[];
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(['submitted', 'triaged', 'open', 'in-delivery', 'evaluated']));
    expect(new Set(all.map((r) => r.country))).toEqual(new Set(['DO', 'GT', 'CO', 'MX', 'BR']));
    expect((await admin.get('/api/v1/requests/triage')).json().waiting).toBe(1);
    // A provider of the community sees the open ones, not those waiting for triage.
    const provider = await as('provider.eu');
    const shared = (await provider.get('/api/v1/requests?limit=100')).json().items as { status: string }[];
    expect(shared.some((r) => r.status === 'submitted' || r.status === 'triaged')).toBe(false);
    expect(titles((await (await as('analyst.br')).get('/api/v1/requests?mine=true&lang=en')).json().items)).toHaveLength(1);
  });
});
