// Per-person starting points: GET /api/v1/me/start (the view the home page opens in) and
// GET /api/v1/secretariat/todo (what waits for the secretariat). The to-do counts only what the
// secretariat may see: a nomination marked beyond it is neither counted nor listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { newId } from '../../platform/ids.js';
import { makeContact } from '../contacts/contacts.test-helpers.js';

let t: TestApp;
let secretariat: Client, diplomat: Client, analyst: Client, provider: Client, namedAnalyst: Client, hiddenDiplomat: Client;
let csirt: string, mfa: string;

/** A point of contact naming `personId` as its account. */
async function contactFor(personId: string, org: string, kinds: string[], tlp: 'GREEN' | 'RED' = 'GREEN', extra: { author?: string | null; audiencePeople?: string[] } = {}) {
  const id = await makeContact(t.db, { organisation: org, country: 'CL', name: `Contact ${newId().slice(-6)}`, email: `c-${newId().slice(-8)}@example.test`, tlp, author: extra.author ?? null, audience: { people: extra.audiencePeople ?? [] } });
  await t.db.updateTable('contacts').set({ person_id: personId, kinds }).where('id', '=', id).execute();
  return id;
}

/** A nomination (waiting for the secretariat) of an organisation, with its marking. */
async function nomination(org: string, tlp: 'GREEN' | 'AMBER' | 'RED', audiencePeople: string[] = []) {
  const id = await makeContact(t.db, { organisation: org, country: 'CL', name: `Nominee ${newId().slice(-6)}`, email: `n-${newId().slice(-8)}@example.test`, tlp, audience: { people: audiencePeople } });
  await t.db.updateTable('contacts').set({ status: 'nominated', kinds: ['diplomatic'] }).where('id', '=', id).execute();
  return id;
}

async function proposal(org: string, status: 'proposed' | 'approved' | 'rejected') {
  const id = newId();
  await t.db.insertInto('communities').values({ id, slug: `p-${id.slice(-12)}`, name: `Proposal ${id.slice(-6)}`, status, proposed_by_org: org }).execute();
  return id;
}

const todo = async (c: Client) => {
  const res = await c.get('/api/v1/secretariat/todo');
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { organisations: number; nominations: number; proposals: number; requests: number };
};

beforeAll(async () => {
  t = await createTestApp();
  const sec = await makeOrganisation(t.db, { country: 'BE', type: 'international_organisation' });
  mfa = await makeOrganisation(t.db, { country: 'ES', type: 'mfa' });
  csirt = await makeOrganisation(t.db, { country: 'CL', type: 'national_csirt' });
  const agency = await makeOrganisation(t.db, { country: 'BE', type: 'team_europe_agency' });
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  const d = await makePerson(t.db, mfa, { roles: ['member', 'org_admin'] });
  const a = await makePerson(t.db, csirt);
  const pv = await makePerson(t.db, agency);
  // A CSIRT analyst who is also their country's diplomatic point of contact.
  const na = await makePerson(t.db, csirt);
  // A ministry person named by a RED entry of another organisation that they may not read.
  const hd = await makePerson(t.db, mfa);
  const other = await makePerson(t.db, csirt);
  await contactFor(na.id, csirt, ['diplomatic']);
  await contactFor(hd.id, csirt, ['technical'], 'RED', { author: other.id, audiencePeople: [other.id] });
  [secretariat, diplomat, analyst, provider, namedAnalyst, hiddenDiplomat] = await Promise.all([s, d, a, pv, na, hd].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

describe('GET /api/v1/me/start', () => {
  const start = async (c: Client) => {
    const res = await c.get('/api/v1/me/start');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('the secretariat by role, the others by their organisation type', async () => {
    expect(await start(secretariat)).toMatchObject({ persona: 'secretariat', basis: 'role' });
    expect(await start(diplomat)).toEqual({ persona: 'diplomat', basis: 'organisation', organisationType: 'mfa', contactKinds: [] });
    expect(await start(analyst)).toMatchObject({ persona: 'analyst', basis: 'organisation', organisationType: 'national_csirt' });
    expect(await start(provider)).toMatchObject({ persona: 'capacity', basis: 'organisation' });
  });

  it('the kinds of the points of contact naming the person come before the organisation type', async () => {
    expect(await start(namedAnalyst)).toEqual({ persona: 'diplomat', basis: 'contact', organisationType: 'national_csirt', contactKinds: ['diplomatic'] });
  });

  it('an entry the person may not see says nothing about them', async () => {
    expect(await start(hiddenDiplomat)).toEqual({ persona: 'diplomat', basis: 'organisation', organisationType: 'mfa', contactKinds: [] });
  });

  it('needs a signed-in person', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me/start' })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/secretariat/todo', () => {
  it('counts join requests, the nominations the secretariat may see and waiting proposals', async () => {
    const before = await todo(secretariat);
    const lister = async () => (await secretariat.get('/api/v1/contacts/nominations')).json().items.length as number;
    expect(before.nominations).toBe(await lister());

    await makeOrganisation(t.db, { status: 'requested' });
    await makeOrganisation(t.db, { status: 'requested' });
    await makeOrganisation(t.db, { status: 'rejected' });
    await nomination(mfa, 'GREEN');
    await proposal(csirt, 'proposed');
    await proposal(csirt, 'approved');
    await proposal(mfa, 'rejected');

    expect(await todo(secretariat)).toEqual({ organisations: before.organisations + 2, nominations: before.nominations + 1, proposals: before.proposals + 1, requests: before.requests });
    // The count is the length of the list the secretariat works through.
    expect((await todo(secretariat)).nominations).toBe(await lister());
    expect((await todo(secretariat)).proposals).toBe((await secretariat.get('/api/v1/communities/proposals')).json().items.length);
    expect((await todo(secretariat)).organisations).toBe((await secretariat.get('/api/v1/organisations?status=requested')).json().items.length);
  });

  it('a nomination marked beyond the secretariat is not counted', async () => {
    const before = await todo(secretariat);
    const author = await makePerson(t.db, csirt);
    // AMBER of the CSIRT, RED for its author: the secretariat is in neither audience.
    await nomination(csirt, 'AMBER');
    await nomination(csirt, 'RED', [author.id]);
    expect(await todo(secretariat)).toEqual(before);
    expect((await todo(secretariat)).nominations).toBe((await secretariat.get('/api/v1/contacts/nominations')).json().items.length);
    // The rows are there: a count of all would have seen them.
    expect(Number((await t.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'nominated').executeTakeFirstOrThrow()).n)).toBe(before.nominations + 2);
  });

  it('is for the secretariat only', async () => {
    for (const c of [diplomat, analyst]) expect((await c.get('/api/v1/secretariat/todo')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/secretariat/todo' })).statusCode).toBe(401);
  });
});
