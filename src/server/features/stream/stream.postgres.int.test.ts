/**
 * Two app instances on one PostgreSQL database: a change made through instance A
 * reaches the stream clients of instance B through LISTEN/NOTIFY, filtered by the
 * access policy for each viewer, and a client resuming with Last-Event-ID gets
 * exactly the visible events it missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from '../../db/connect.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, openTestDatabase, type Client, type TestApp } from '../../test/harness.js';
import { SseClient } from '../../test/sse.js';

// ---------- the world ----------

let db1: Database & { url?: string };
let db2: Database;
let A: TestApp;
let B: TestApp;
let baseB: string;
const streams: SseClient[] = [];

let orgA: string, orgB: string, orgC: string, K: string;
let a1: { id: string; email: string }, a2: { id: string; email: string }, b1: { id: string; email: string }, c1: { id: string; email: string };
let a1Client: Client;
let cookies: Record<'a2' | 'b1' | 'c1', string>;

async function stream(cookie: string, headers: Record<string, string> = {}) {
  const s = await SseClient.open(baseB, { cookie, ...headers });
  streams.push(s);
  return s;
}

let counter = 0;
async function note(tlp: string, audience?: Record<string, string[]>) {
  const res = await a1Client.post('/api/v1/notes', { title: `Note ${++counter} ${tlp}`, body: 'Indicators attached.', language: 'en', tlp, pap: 'GREEN', ...(audience && { audience }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

beforeAll(async () => {
  db1 = await openTestDatabase();
  if (!db1.url) throw new Error('this file needs PostgreSQL (int-postgres)');
  db2 = await openPostgres(db1.url, 5);
  A = await createTestApp({ database: db1 });
  B = await createTestApp({ database: db2 });
  await A.app.listen({ port: 0, host: '127.0.0.1' });
  await B.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = B.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  baseB = `http://127.0.0.1:${addr.port}`;

  orgA = await makeOrganisation(A.db, { name: 'CERT A' });
  orgB = await makeOrganisation(A.db, { name: 'CERT B' });
  orgC = await makeOrganisation(A.db, { name: 'CERT C' });
  a1 = await makePerson(A.db, orgA, { email: 'a1@a.test' });
  a2 = await makePerson(A.db, orgA, { email: 'a2@a.test' });
  b1 = await makePerson(A.db, orgB, { email: 'b1@b.test' });
  c1 = await makePerson(A.db, orgC, { email: 'c1@c.test' });
  K = await makeCommunity(A.db, { organisations: [orgB] });

  a1Client = await login(A.app, a1.email);
  // Sign in through instance B: the sessions live in the shared database either way.
  cookies = {
    a2: (await login(B.app, a2.email)).cookie,
    b1: (await login(B.app, b1.email)).cookie,
    c1: (await login(B.app, c1.email)).cookie,
  };
});

afterAll(async () => {
  for (const s of streams) await s.close().catch(() => {});
  await A?.close();
  await B?.close();
  await db2?.close();
  await db1?.close();
});

describe('event stream across two instances', () => {
  it('refuses a stream without a session', async () => {
    const res = await fetch(`${baseB}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  let lastSeenByB1 = 0;
  let b1Stream: SseClient;

  it('delivers each event from instance A only to the viewers of instance B allowed to see it', async () => {
    b1Stream = await stream(cookies.b1);
    const c1Stream = await stream(cookies.c1);
    const a2Stream = await stream(cookies.a2);
    expect(b1Stream.status).toBe(200);

    const amber = await note('AMBER', { communities: [K] });
    const red = await note('RED', { people: [a2.id] });
    // Created last: once a viewer has it, every earlier event has been decided for that viewer
    // (instance B delivers in notification order).
    const barrier = await note('GREEN');

    await b1Stream.waitForSubject(amber);
    await b1Stream.waitForSubject(barrier);
    await c1Stream.waitForSubject(barrier);
    await a2Stream.waitForSubject(barrier);

    expect(b1Stream.subjects()).toEqual([amber, barrier]);
    expect(c1Stream.subjects()).toEqual([barrier]);
    // a2 (named on the RED note, and in the author's organisation) sees all three: the
    // events were there to be delivered, and were withheld by the policy alone.
    expect(a2Stream.subjects()).toEqual([amber, red, barrier]);

    const amberEvent = b1Stream.events.find((e) => e.data?.subjectId === amber)!;
    expect(amberEvent.id).toBe(amberEvent.data!.id);
    expect(amberEvent.data).toMatchObject({ type: 'note.created', subjectType: 'note', payload: { tlp: 'AMBER' } });
    const ids = b1Stream.events.map((e) => e.id!);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    lastSeenByB1 = ids[ids.length - 1];
  });

  it('resumes with Last-Event-ID: exactly the missed visible events, in order', async () => {
    expect(lastSeenByB1).toBeGreaterThan(0);
    await b1Stream.close();
    expect(b1Stream.ended).toBe(true);

    const missed1 = await note('AMBER', { communities: [K] });
    const hiddenRed = await note('RED', { people: [a2.id] });
    const hiddenOrg = await note('AMBER', { organisations: [orgC] });
    const missed2 = await note('AMBER', { communities: [K] });

    const resumed = await stream(cookies.b1, { 'last-event-id': String(lastSeenByB1) });
    expect(resumed.status).toBe(200);
    await resumed.waitForSubject(missed2);
    // A live event after the replay: the stream continues, and nothing else was queued before it.
    const barrier = await note('GREEN');
    await resumed.waitForSubject(barrier);

    expect(resumed.subjects()).toEqual([missed1, missed2, barrier]);
    expect(resumed.subjects()).not.toContain(hiddenRed);
    expect(resumed.subjects()).not.toContain(hiddenOrg);
    const ids = resumed.events.map((e) => e.id!);
    expect(ids[0]).toBeGreaterThan(lastSeenByB1);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
