// GET /api/v1/communities?organisation=: the communities an organisation belongs to (linked from
// its profile), without telling outsiders the membership of a members-only community.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let insider: Client, outsider: Client, secretariat: Client;
let orgA: string, open: string, closed: string, other: string;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db);
  const orgB = await makeOrganisation(t.db);
  const orgS = await makeOrganisation(t.db);
  const [a, b, s] = await Promise.all([makePerson(t.db, orgA), makePerson(t.db, orgB), makePerson(t.db, orgS, { roles: ['member', 'secretariat'] })]);
  open = await makeCommunity(t.db, { organisations: [orgA] });
  closed = await makeCommunity(t.db, { organisations: [orgA] });
  other = await makeCommunity(t.db, { organisations: [orgB] });
  await t.db.updateTable('communities').set({ visibility: 'members' }).where('id', '=', closed).execute();
  [insider, outsider, secretariat] = await Promise.all([a, b, s].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

const ids = async (c: Client, url: string) => {
  const res = await c.get(url);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return (res.json().items as { id: string }[]).map((x) => x.id).sort();
};

describe('communities of one organisation', () => {
  it('lists the communities the organisation belongs to, members-only ones only for those who may see their members', async () => {
    expect(await ids(insider, `/api/v1/communities?organisation=${orgA}`)).toEqual([open, closed].sort());
    expect(await ids(secretariat, `/api/v1/communities?organisation=${orgA}`)).toEqual([open, closed].sort());
    expect(await ids(outsider, `/api/v1/communities?organisation=${orgA}`)).toEqual([open]);
    // Without the filter the list is unchanged: every approved community, the members-only one by name.
    expect(await ids(outsider, '/api/v1/communities')).toEqual(expect.arrayContaining([open, closed, other]));
    expect((await outsider.get('/api/v1/communities?organisation=not-a-uuid')).statusCode).toBe(400);
    expect((await outsider.get('/api/v1/communities?other=1')).statusCode).toBe(400);
  });
});
