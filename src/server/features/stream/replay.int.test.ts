/**
 * Issue 9, hole 6: replaying the stream (Last-Event-ID) decides with each record's
 * current marking. Someone who could see a note, topic or reply once, but not since
 * its marking was narrowed or it was deleted, gets none of its earlier events — no
 * title — in a replay; a deleted record's removal is announced with ids only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { SseClient } from '../../test/sse.js';

let t: TestApp;
let base: string;
const streams: SseClient[] = [];
let author: Client, reader: Client;
let readerCookie: string;
let authorOrg: string, community: string, readerPerson: { id: string };

async function replayFromStart() {
  const s = await SseClient.open(base, { cookie: readerCookie, 'last-event-id': '0' });
  streams.push(s);
  // A sentinel shared with everyone, written now: once it arrives the replay is over.
  const sentinel = await author.post('/api/v1/notes', { title: `Sentinel ${Date.now()}`, body: 'x', language: 'en', tlp: 'GREEN', pap: 'GREEN' });
  await s.waitForSubject(sentinel.json().id);
  return s;
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;
  authorOrg = await makeOrganisation(t.db, { name: 'CSIRT Author' });
  const readerOrg = await makeOrganisation(t.db, { name: 'CSIRT Reader' });
  const a = await makePerson(t.db, authorOrg, { roles: ['member', 'org_admin'] });
  readerPerson = await makePerson(t.db, readerOrg);
  community = await makeCommunity(t.db, { organisations: [authorOrg, readerOrg] });
  author = await login(t.app, a.email);
  reader = await login(t.app, (readerPerson as { email: string } & { id: string }).email);
  readerCookie = reader.cookie;
});
afterAll(async () => {
  for (const s of streams) await s.close().catch(() => {});
  await t?.close();
});

describe('replay after a marking change or a deletion (hole 6)', () => {
  it('a narrowed note: none of its earlier events is replayed to someone it no longer allows', async () => {
    const res = await author.post('/api/v1/notes', { title: 'CANARY-NOTE-5521 plan', body: 'x', language: 'en', tlp: 'AMBER', pap: 'GREEN', audience: { communities: [community] } });
    const id = res.json().id as string;
    expect((await reader.get(`/api/v1/notes/${id}`)).statusCode).toBe(200);
    expect((await author.put(`/api/v1/notes/${id}/marking`, { tlp: 'AMBER+STRICT', pap: 'GREEN', audience: { organisations: [] } })).statusCode).toBe(200);
    expect((await reader.get(`/api/v1/notes/${id}`)).statusCode).toBe(404);
    const s = await replayFromStart();
    expect(s.events.filter((e) => e.data?.subjectId === id)).toEqual([]);
    expect(JSON.stringify(s.events)).not.toContain('CANARY-NOTE-5521');
  });

  it('a deleted note: only its removal is replayed, with ids and no title', async () => {
    const res = await author.post('/api/v1/notes', { title: 'CANARY-DELETED-7730', body: 'x', language: 'en', tlp: 'AMBER', pap: 'GREEN', audience: { communities: [community] } });
    const id = res.json().id as string;
    expect((await author.del(`/api/v1/notes/${id}`)).statusCode).toBe(204);
    const s = await replayFromStart();
    expect(s.events.filter((e) => e.data?.subjectId === id).map((e) => e.event)).toEqual(['note.deleted']);
    expect(JSON.stringify(s.events)).not.toContain('CANARY-DELETED-7730');
  });

  it('a narrowed topic: its creation, replies and mentions are not replayed; a deleted one leaves its removal only', async () => {
    const topic = await author.post(`/api/v1/communities/${community}/topics`, { title: 'CANARY-TOPIC-9012', body: 'x', tlp: 'AMBER', audience: { communities: [community] }, mentions: [readerPerson.id] });
    expect(topic.statusCode, topic.body).toBe(201);
    const id = topic.json().id as string;
    expect((await reader.post(`/api/v1/topics/${id}/replies`, { body: 'seen' })).statusCode).toBe(201);
    // Replies exist, so the topic may only narrow: to the author's organisation.
    expect((await author.put(`/api/v1/topics/${id}/marking`, { tlp: 'AMBER+STRICT', audience: { organisations: [] } })).statusCode).toBe(200);
    const s = await replayFromStart();
    expect(s.events.filter((e) => e.data?.subjectId === id)).toEqual([]);
    expect(JSON.stringify(s.events)).not.toContain('CANARY-TOPIC-9012');

    const gone = await author.post(`/api/v1/communities/${community}/topics`, { title: 'CANARY-TOPIC-GONE-3319', body: 'x', tlp: 'AMBER', audience: { communities: [community] } });
    const goneId = gone.json().id as string;
    expect((await author.del(`/api/v1/topics/${goneId}`)).statusCode).toBe(204);
    const again = await replayFromStart();
    expect(again.events.filter((e) => e.data?.subjectId === goneId).map((e) => e.event)).toEqual(['discussion.topic_deleted']);
    expect(JSON.stringify(again.events)).not.toContain('CANARY-TOPIC-GONE-3319');
  });

  it('what the reader may still see is replayed as before', async () => {
    const res = await author.post('/api/v1/notes', { title: 'Still shared', body: 'x', language: 'en', tlp: 'AMBER', pap: 'GREEN', audience: { communities: [community] } });
    const s = await replayFromStart();
    expect(s.subjects()).toContain(res.json().id);
  });
});
