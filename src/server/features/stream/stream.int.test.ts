/**
 * The event stream on one instance (PGlite and PostgreSQL): live delivery of
 * visible events, withholding of events the viewer may not see, and sign-out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { SseClient } from '../../test/sse.js';

// ---------- the world ----------

let t: TestApp;
let base: string;
const streams: SseClient[] = [];

let orgV: string, orgW: string;
let v: { id: string; email: string }, w: { id: string; email: string }, w2: { id: string; email: string };
let vClient: Client, wClient: Client;

async function stream(cookie: string) {
  const s = await SseClient.open(base, { cookie });
  streams.push(s);
  return s;
}

let counter = 0;
async function note(c: Client, tlp: string, audience?: Record<string, string[]>) {
  const res = await c.post('/api/v1/notes', { title: `Note ${++counter} ${tlp}`, body: 'Details inside.', language: 'en', tlp, pap: 'GREEN', ...(audience && { audience }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function streamClientsMetric() {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  const m = /^puente_event_stream_clients (\d+)$/m.exec(res.body);
  return m ? Number(m[1]) : NaN;
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;
  orgV = await makeOrganisation(t.db, { name: 'CSIRT Viewer' });
  orgW = await makeOrganisation(t.db, { name: 'CSIRT Writer' });
  v = await makePerson(t.db, orgV, { email: 'v@v.test' });
  w = await makePerson(t.db, orgW, { email: 'w@w.test' });
  w2 = await makePerson(t.db, orgW, { email: 'w2@w.test' });
  vClient = await login(t.app, v.email);
  wClient = await login(t.app, w.email);
});

afterAll(async () => {
  for (const s of streams) await s.close().catch(() => {});
  await t?.close();
});

describe('event stream', () => {
  it('answers 401 without a session', async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('delivers a GREEN note shared by a member of another organisation', async () => {
    const vs = await stream(vClient.cookie);
    expect(vs.status).toBe(200);
    const id = await note(wClient, 'GREEN');
    await vs.waitForSubject(id);
    const e = vs.events.find((x) => x.data?.subjectId === id)!;
    expect(e).toMatchObject({ event: 'note.created', data: { type: 'note.created', subjectType: 'note', payload: { tlp: 'GREEN' } } });
    expect(e.id).toBe(e.data!.id);
    await vs.close();
  });

  it('names the author of a new note, so that the author is not notified of their own note', async () => {
    const ws = await stream(wClient.cookie);
    const id = await note(wClient, 'GREEN');
    await ws.waitForSubject(id);
    const e = ws.events.find((x) => x.data?.subjectId === id)!;
    expect(e.data?.payload).toMatchObject({ authorId: w.id, tlp: 'GREEN' });
    await ws.close();
  });

  it('withholds a marking change to RED from a viewer outside the new audience', async () => {
    const vs = await stream(vClient.cookie);
    const ws = await stream(wClient.cookie);
    expect(await streamClientsMetric()).toBe(2);

    const id = await note(wClient, 'AMBER', { organisations: [orgV] });
    await vs.waitForSubject(id);

    const changed = await wClient.put(`/api/v1/notes/${id}/marking`, { tlp: 'RED', pap: 'RED', audience: { people: [w2.id] } });
    expect(changed.statusCode, changed.body).toBe(200);
    // The author, who may see the RED note, hears of the change: the event exists.
    await ws.waitForSubject(id, 'note.marking_changed');
    const barrier = await note(wClient, 'GREEN');
    await vs.waitForSubject(barrier);

    expect(vs.subjects('note.marking_changed')).toEqual([]);
    expect(vs.events.map((e) => [e.event, e.data?.subjectId])).toEqual([
      ['note.created', id],
      ['note.created', barrier],
    ]);
    // And the note itself is no longer readable for the viewer.
    expect((await vClient.get(`/api/v1/notes/${id}`)).statusCode).toBe(404);

    await vs.close();
    await ws.close();
    const deadline = Date.now() + 10_000;
    while ((await streamClientsMetric()) !== 0) {
      if (Date.now() > deadline) throw new Error('stream clients were not released');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('after logout-everywhere the session can no longer open a stream', async () => {
    const client = await login(t.app, v.email);
    const vs = await stream(client.cookie);
    expect(vs.status).toBe(200);
    const out = await client.post('/api/v1/auth/logout-everywhere');
    expect(out.statusCode).toBe(204);
    const rows = await t.db.selectFrom('sessions').select('id_hash').where('person_id', '=', v.id).execute();
    expect(rows).toEqual([]);
    // (The open stream itself ends at the next recheck, every 30 s: too slow to wait for here.)
    for (const cookie of [client.cookie, vClient.cookie]) {
      const res = await fetch(`${base}/api/v1/stream`, { headers: { cookie } });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    }
    await vs.close();
  });
});
