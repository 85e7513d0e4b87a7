/**
 * Issue 9, hole 4: audit entries about marked records carry identifiers, never their
 * content. An attachment's file name and hash on a RED topic do not reach the audit
 * log, which the secretariat and organisation admins read. (The side-channel property
 * test checks every entry written for random notes and topics the same way.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let author: Client, secretariat: Client, admin: Client;
let community: string, orgA: string;

async function auditText(c: Client) {
  const res = await c.get('/api/v1/audit?limit=500');
  expect(res.statusCode, res.body).toBe(200);
  return res.body;
}

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'AR' });
  const sec = await makeOrganisation(t.db, { country: 'BE' });
  const a = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const a2 = await makePerson(t.db, orgA, { roles: ['member', 'org_admin'] });
  const s = await makePerson(t.db, sec, { roles: ['member', 'secretariat'] });
  community = await makeCommunity(t.db, { organisations: [orgA] });
  [author, admin, secretariat] = await Promise.all([a, a2, s].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

describe('the audit log carries identifiers, not content (hole 4)', () => {
  it('an attachment of a RED topic: no file name and no hash in the log', async () => {
    const topic = await author.post(`/api/v1/communities/${community}/topics`, { title: 'Private', body: 'x', tlp: 'RED', audience: { people: [] } });
    expect(topic.statusCode, topic.body).toBe(201);
    const body = Buffer.from('the incident report, in full');
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/v1/topics/${topic.json().id}/attachments?name=${encodeURIComponent('CANARY-8841 ministry breach.txt')}`,
      headers: { cookie: author.cookie, 'x-csrf-token': author.csrf, 'content-type': 'text/plain' },
      payload: body,
    });
    expect(up.statusCode, up.body).toBe(201);
    const sha = up.json().sha256 as string;
    for (const reader of [secretariat, admin]) {
      const log = await auditText(reader);
      expect(log).toContain(up.json().id);
      expect(log).not.toContain('CANARY-8841');
      expect(log).not.toContain(sha);
    }
  });
});
