import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let author: Client, colleague: Client, partner: Client, communityMember: Client, outsider: Client, secretariat: Client, redFriend: Client;
let orgA: string, orgB: string, community: string, redFriendId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'BR' });
  orgB = await makeOrganisation(t.db, { country: 'EE' });
  const orgC = await makeOrganisation(t.db, { country: 'MX' });
  const orgD = await makeOrganisation(t.db, { country: 'GT' });
  const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
  const a1 = await makePerson(t.db, orgA);
  const a2 = await makePerson(t.db, orgA);
  const b1 = await makePerson(t.db, orgB);
  const c1 = await makePerson(t.db, orgC);
  const d1 = await makePerson(t.db, orgD);
  const s1 = await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] });
  const f1 = await makePerson(t.db, orgD);
  redFriendId = f1.id;
  community = await makeCommunity(t.db, { organisations: [orgC] });
  [author, colleague, partner, communityMember, outsider, secretariat, redFriend] = await Promise.all([a1, a2, b1, c1, d1, s1, f1].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

async function share(tlp: string, audience: object = {}) {
  const res = await author.post('/api/v1/notes', { title: `${tlp} note`, body: `About ${tlp}`, language: 'en', tlp, pap: 'AMBER', audience });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

async function whoSees(id: string) {
  const all = { author, colleague, partner, communityMember, outsider, secretariat, redFriend };
  const out: Record<string, boolean> = {};
  for (const [name, c] of Object.entries(all)) {
    const one = await c.get(`/api/v1/notes/${id}`);
    const inList = (await c.get('/api/v1/notes')).json().items.some((n: { id: string }) => n.id === id);
    expect(one.statusCode === 200).toBe(inList);
    out[name] = inList;
  }
  return out;
}

describe('who sees a shared note', () => {
  it('GREEN: every vetted member', async () => {
    const id = await share('GREEN');
    expect(Object.values(await whoSees(id)).every(Boolean)).toBe(true);
  });

  it('AMBER: the author’s organisation, named organisations and named communities — not the secretariat', async () => {
    const id = await share('AMBER', { organisations: [orgB], communities: [community] });
    expect(await whoSees(id)).toEqual({ author: true, colleague: true, partner: true, communityMember: true, outsider: false, secretariat: false, redFriend: false });
  });

  it('AMBER+STRICT: never a whole community; a community in the audience is refused', async () => {
    const refused = await author.post('/api/v1/notes', { title: 'x', body: 'y', language: 'en', tlp: 'AMBER+STRICT', pap: 'AMBER', audience: { communities: [community] } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('INVALID_MARKING');
    const id = await share('AMBER+STRICT', { organisations: [orgB] });
    expect(await whoSees(id)).toEqual({ author: true, colleague: true, partner: true, communityMember: false, outsider: false, secretariat: false, redFriend: false });
  });

  it('RED: the author and the people named, not even the author’s colleagues', async () => {
    const id = await share('RED', { people: [redFriendId] });
    expect(await whoSees(id)).toEqual({ author: true, colleague: false, partner: false, communityMember: false, outsider: false, secretariat: false, redFriend: true });
  });

  it('CLEAR: every member, and anyone without signing in (GREEN: no one without signing in)', async () => {
    const id = await share('CLEAR');
    expect(Object.values(await whoSees(id)).every(Boolean)).toBe(true);
    const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
    expect((await anonymous(`/api/v1/notes/${id}`)).statusCode).toBe(200);
    expect((await anonymous('/api/v1/notes')).json().items.map((n: { id: string }) => n.id)).toContain(id);
    const green = await share('GREEN');
    expect((await anonymous(`/api/v1/notes/${green}`)).statusCode).toBe(404);
    expect((await anonymous('/api/v1/notes')).json().items.map((n: { id: string }) => n.id)).not.toContain(green);
  });

  it('a hidden note answers exactly like a missing one', async () => {
    const id = await share('RED', { people: [] });
    const hidden = await outsider.get(`/api/v1/notes/${id}`);
    const missing = await outsider.get('/api/v1/notes/01900000-0000-7000-8000-000000000000');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
  });

  it('refuses audiences naming unknown or unapproved organisations, and writes nothing', async () => {
    const requested = await makeOrganisation(t.db, { status: 'requested' });
    const before = await tableCounts(t.db);
    const res = await author.post('/api/v1/notes', { title: 'x', body: 'y', language: 'en', tlp: 'AMBER', pap: 'AMBER', audience: { organisations: [requested] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_MARKING', details: { unknown: [requested] } });
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('changing a marking', () => {
  it('is for the author (or their organisation admins), is audited with before and after, and applies at once', async () => {
    const id = await share('GREEN');
    expect((await outsider.put(`/api/v1/notes/${id}/marking`, { tlp: 'CLEAR', pap: 'CLEAR' })).statusCode).toBe(403);
    const res = await author.put(`/api/v1/notes/${id}/marking`, { tlp: 'AMBER', pap: 'AMBER', audience: { organisations: [orgB] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tlp: 'AMBER', pap: 'AMBER', audience: { organisations: [orgB], communities: [], people: [] } });
    expect((await outsider.get(`/api/v1/notes/${id}`)).statusCode).toBe(404);
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'note.marking_changed').where('target_id', '=', id).executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ from: { tlp: 'GREEN' }, to: { tlp: 'AMBER', pap: 'AMBER' } });
    const events = await t.db.selectFrom('events').selectAll().where('subject_id', '=', id).orderBy('id').execute();
    expect(events.map((e) => [e.type, e.tlp])).toEqual([
      ['note.created', 'GREEN'],
      ['note.marking_changed', 'AMBER'],
    ]);
  });

  it('deletes for the author only', async () => {
    const id = await share('GREEN');
    expect((await colleague.del(`/api/v1/notes/${id}`)).statusCode).toBe(403);
    expect((await author.del(`/api/v1/notes/${id}`)).statusCode).toBe(204);
    expect((await author.get(`/api/v1/notes/${id}`)).statusCode).toBe(404);
  });
});

describe('search', () => {
  it('folds accents and case, and only searches what the viewer may see', async () => {
    await author.post('/api/v1/notes', { title: 'Campanha de phishing em São Paulo', body: 'Alerta', language: 'pt', tlp: 'GREEN', pap: 'GREEN' });
    await author.post('/api/v1/notes', { title: 'Segredo de São Paulo', body: 'x', language: 'pt', tlp: 'RED', pap: 'RED' });
    const found = (await outsider.get('/api/v1/notes?q=SAO%20PAULO')).json().items.map((n: { title: string }) => n.title);
    expect(found).toEqual(['Campanha de phishing em São Paulo']);
  });
});

describe('abilities: what `can` reports is what the API allows', () => {
  it('the OpenAPI document declares `can` on notes, topics, replies, contacts and STIX objects', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const answer = (path: string) => JSON.stringify(doc.paths[path].get.responses['200']);
    for (const path of ['/api/v1/notes', '/api/v1/notes/{id}', '/api/v1/communities/{id}/topics', '/api/v1/contacts', '/api/v1/contacts/{id}', '/api/v1/intel/objects/{id}'])
      expect(answer(path), path).toMatch(/"can":\{"type":"object".*"description":"What this viewer may do with the/);
    // A topic's replies carry their own.
    expect(answer('/api/v1/topics/{id}')).toContain('What this viewer may do with the reply');
  });

  it('for every viewer, changing the marking and deleting succeed exactly when `can` says so, in the note and in the list', async () => {
    const orgAdminA = await login(t.app, (await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] })).email);
    const adminB = await login(t.app, (await makePerson(t.db, orgB, { roles: ['member', 'org_admin'] })).email);
    // An author and admin whose organisation is suspended after they shared: still the author, no longer vetted.
    const orgU = await makeOrganisation(t.db, { country: 'AR' });
    const unvetted = await login(t.app, (await makePerson(t.db, orgU, { roles: ['member', 'org_admin'] })).email);
    const setU = (status: 'approved' | 'suspended') => t.db.updateTable('organisations').set({ status }).where('id', '=', orgU).execute();
    await setU('suspended');
    const anonymous: Client = { ...author, cookie: '', request: (m, u, b) => t.app.inject({ method: m as 'GET', url: u, ...(b !== undefined && { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(b) }) }) } as Client;
    const viewers: Record<string, Client> = { author, colleague, orgAdminA, adminB, partner, outsider, secretariat, unvetted, anonymous };
    const shareAs = async (c: Client, tlp: string) => {
      const res = await c.request('POST', '/api/v1/notes', { title: `${tlp} note`, body: 'text', language: 'en', tlp, pap: 'GREEN' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    // The author's GREEN note (every vetted member sees it), and the unvetted author's own CLEAR note (everyone sees it).
    const sources = {
      green: () => shareAs(author, 'GREEN'),
      unvettedOwn: async () => {
        await setU('approved');
        const id = await shareAs(unvetted, 'CLEAR');
        await setU('suspended');
        return id;
      },
    };
    const attempts = {
      changeMarking: (c: Client, id: string, tlp: string) => c.request('PUT', `/api/v1/notes/${id}/marking`, { tlp, pap: 'GREEN' }),
      delete: (c: Client, id: string) => c.request('DELETE', `/api/v1/notes/${id}`),
    };
    const allowed: Record<string, string[]> = {};
    for (const [source, make] of Object.entries(sources))
      for (const [action, attempt] of Object.entries(attempts))
        for (const [name, c] of Object.entries(viewers)) {
          const id = await make();
          const one = await c.request('GET', `/api/v1/notes/${id}`);
          const listed = (await c.request('GET', '/api/v1/notes?limit=500')).json().items.find((n: { id: string }) => n.id === id);
          // A note the viewer may not see reports nothing, and every write on it must fail.
          const can = (one.statusCode === 200 ? one.json().can : { changeMarking: false, delete: false }) as Record<string, boolean>;
          if (one.statusCode === 200) {
            expect(listed.can, `${name}: the list reports what the note reports`).toEqual(can);
            expect(one.json().canEdit).toBe(can.changeMarking || can.delete);
          } else expect([one.statusCode, listed]).toEqual([404, undefined]);
          const before = await tableCounts(t.db);
          const res = await attempt(c, id, source === 'green' ? 'AMBER' : 'GREEN');
          const ok = res.statusCode === 200 || res.statusCode === 204;
          expect(ok, `${action} of the ${source} note by ${name}: can says ${can[action]}, the API answered ${res.statusCode} ${res.body}`).toBe(can[action]);
          if (!ok) expect(await tableCounts(t.db)).toEqual(before);
          if (ok) (allowed[`${source}.${action}`] ??= []).push(name);
        }
    // Not vacuous: the rule as documented.
    expect(allowed).toEqual({ 'green.changeMarking': ['author', 'orgAdminA'], 'green.delete': ['author', 'orgAdminA'] });
  });
});
