// GET /api/v1/audit with filters: by action (one code or a family), by actor, by organisation and
// by date, for the secretariat's screen; an organisation admin's filters stay within their own
// organisation's entries, and the answer keeps its fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let secretariat: Client, adminA: Client;
let orgA: string, orgB: string, requested: string;
let personA: { id: string; email: string }, personB: { id: string; email: string };

interface Entry {
  seq: number;
  at: string;
  action: string;
  actor: { id: string; name: string } | null;
  organisationId: string | null;
}
const entries = async (c: Client, query: string) => {
  const res = await c.get(`/api/v1/audit?limit=500${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Entry[];
};

beforeAll(async () => {
  t = await createTestApp();
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  orgA = await makeOrganisation(t.db, { country: 'AR' });
  orgB = await makeOrganisation(t.db, { country: 'PE' });
  requested = await makeOrganisation(t.db, { country: 'UY', status: 'requested' });
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  personA = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  personB = await makePerson(t.db, orgB);
  [secretariat, adminA] = await Promise.all([s, personA].map((p) => login(t.app, p.email)));
  await login(t.app, personB.email);
  const ok = await secretariat.post(`/api/v1/organisations/${requested}/approve`, {});
  expect(ok.statusCode, ok.body).toBe(200);
});
afterAll(async () => t?.close());

describe('audit filters', () => {
  it('by one action, or by a family of actions', async () => {
    const logins = await entries(secretariat, '&action=auth.login');
    expect(logins.length).toBeGreaterThanOrEqual(3);
    expect(new Set(logins.map((e) => e.action))).toEqual(new Set(['auth.login']));
    const orgs = await entries(secretariat, '&action=organisation.');
    expect(orgs.map((e) => e.action)).toContain('organisation.approved');
    expect(orgs.every((e) => e.action.startsWith('organisation.'))).toBe(true);
    // A family matches by prefix only: "auth." is not "auth_x" and a wildcard is literal.
    expect(await entries(secretariat, '&action=%25.')).toEqual([]);
  });

  it('by actor and by organisation', async () => {
    const byB = await entries(secretariat, `&actor=${personB.id}`);
    expect(byB.length).toBeGreaterThan(0);
    expect(byB.every((e) => e.actor?.id === personB.id)).toBe(true);
    const aboutRequested = await entries(secretariat, `&organisation=${requested}`);
    expect(aboutRequested.map((e) => e.action)).toContain('organisation.approved');
    expect(aboutRequested.every((e) => e.organisationId === requested)).toBe(true);
  });

  it('by date, and the answer keeps its fields', async () => {
    const all = await entries(secretariat, '');
    const newest = all[0]!;
    expect(Object.keys(newest).sort()).toEqual(['action', 'actor', 'at', 'details', 'ip', 'organisationId', 'seq', 'targetId', 'targetType']);
    const since = await entries(secretariat, `&since=${encodeURIComponent(newest.at)}`);
    expect(since.map((e) => e.seq)).toContain(newest.seq);
    expect(since.every((e) => e.at >= newest.at)).toBe(true);
    const future = new Date(Date.parse(newest.at) + 60_000).toISOString();
    expect(await entries(secretariat, `&since=${encodeURIComponent(future)}`)).toEqual([]);
    const past = new Date(Date.parse(all[all.length - 1]!.at) - 60_000).toISOString();
    expect(await entries(secretariat, `&until=${encodeURIComponent(past)}`)).toEqual([]);
    expect((await secretariat.get('/api/v1/audit?since=yesterday')).statusCode).toBe(400);
    expect((await secretariat.get('/api/v1/audit?actor=not-a-uuid')).statusCode).toBe(400);
  });

  it("an organisation admin's filters stay within their organisation", async () => {
    expect(await entries(adminA, `&organisation=${orgB}`)).toEqual([]);
    expect(await entries(adminA, `&actor=${personB.id}`)).toEqual([]);
    const own = await entries(adminA, `&actor=${personA.id}`);
    expect(own.length).toBeGreaterThan(0);
  });
});
