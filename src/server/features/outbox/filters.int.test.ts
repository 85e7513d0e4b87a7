// GET /api/v1/outbox with filters by purpose and by delivery status, among the mail the
// secretariat may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { newId } from '../../platform/ids.js';

let t: TestApp;
let secretariat: Client;

async function mail(purpose: string, state: 'queued' | 'sent' | 'failed') {
  const id = newId();
  await t.db
    .insertInto('mail_outbox')
    .values({
      id,
      to_address: `${purpose}-${id.slice(-6)}@example.test`,
      subject: `About ${purpose}`,
      text_body: 'Hello',
      purpose,
      sent_at: state === 'sent' ? new Date() : null,
      last_error: state === 'failed' ? 'connection refused' : null,
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  secretariat = await login(t.app, s.email);
  await mail('join_received', 'sent');
  await mail('join_received', 'queued');
  await mail('contact_reminder', 'failed');
  await mail('contact_reminder', 'sent');
});
afterAll(async () => t?.close());

const list = async (query: string) => {
  const res = await secretariat.get(`/api/v1/outbox${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { purpose: string; sentAt: string | null; lastError: string | null }[];
};

describe('outbox filters', () => {
  it('by purpose and by status, alone and together', async () => {
    expect((await list('?purpose=join_received')).map((m) => m.purpose)).toEqual(['join_received', 'join_received']);
    const sent = await list('?status=sent');
    expect(sent.length).toBe(2);
    expect(sent.every((m) => m.sentAt !== null)).toBe(true);
    const failed = await list('?status=failed');
    expect(failed.map((m) => [m.purpose, m.lastError])).toEqual([['contact_reminder', 'connection refused']]);
    const queued = await list('?status=queued&purpose=join_received');
    expect(queued.length).toBe(1);
    expect(queued[0]).toMatchObject({ sentAt: null, lastError: null });
    expect(await list('?status=failed&purpose=join_received')).toEqual([]);
    expect((await list('')).length).toBe(4);
  });

  it('refuses an unknown status or a malformed purpose', async () => {
    expect((await secretariat.get('/api/v1/outbox?status=lost')).statusCode).toBe(400);
    expect((await secretariat.get('/api/v1/outbox?purpose=DROP%20TABLE')).statusCode).toBe(400);
  });
});
