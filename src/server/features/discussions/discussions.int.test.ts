import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { sendDiscussionDigests } from './notify.js';

let t: TestApp;
let orgA: string, orgB: string, orgOut: string, community: string;
let author: Client, member: Client, outsider: Client, secretariat: Client;
let authorP: { id: string; email: string }, memberP: { id: string; email: string }, outsiderP: { id: string; email: string }, colleagueP: { id: string; email: string };

const MAX = 4096;

beforeAll(async () => {
  t = await createTestApp({ env: { PUENTE_ATTACHMENT_MAX_BYTES: String(MAX) } });
  orgA = await makeOrganisation(t.db, { country: 'BR' });
  orgB = await makeOrganisation(t.db, { country: 'ES' });
  orgOut = await makeOrganisation(t.db, { country: 'MX' });
  const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
  authorP = await makePerson(t.db, orgA, { name: 'Ana Autora' });
  colleagueP = await makePerson(t.db, orgA, { name: 'Carla Colega' });
  memberP = await makePerson(t.db, orgB, { name: 'Mario Miembro' });
  outsiderP = await makePerson(t.db, orgOut, { name: 'Otto Outsider' });
  const s = await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] });
  community = await makeCommunity(t.db, { organisations: [orgA, orgB] });
  [author, member, outsider, secretariat] = await Promise.all([authorP, memberP, outsiderP, s].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

async function topic(c: Client, body: Record<string, unknown> = {}) {
  const res = await c.post(`/api/v1/communities/${community}/topics`, { title: 'A topic', body: 'Some *text*', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('topics and replies', () => {
  it('default to TLP:AMBER for the community; only members post; outsiders get 404', async () => {
    const tp = await topic(author, { title: 'Phishing wave' });
    expect(tp).toMatchObject({ tlp: 'AMBER', audience: { communities: [community], organisations: [], people: [] }, bodyHtml: '<p>Some <em>text</em></p>\n' });
    expect((await member.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(200);
    const hidden = await outsider.get(`/api/v1/topics/${tp.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual((await outsider.get('/api/v1/topics/01900000-0000-7000-8000-000000000000')).json());
    // The secretariat has no bypass and is not a member here.
    expect((await secretariat.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(404);
    expect((await outsider.post(`/api/v1/communities/${community}/topics`, { title: 'x', body: 'y', tlp: 'GREEN' })).statusCode).toBe(403);
    const reply = await member.post(`/api/v1/topics/${tp.id}/replies`, { body: 'Seen it too' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().replies.map((r: { bodyHtml: string }) => r.bodyHtml)).toEqual(['<p>Seen it too</p>\n']);
    expect((await outsider.post(`/api/v1/topics/${tp.id}/replies`, { body: 'x' })).statusCode).toBe(404);
    const list = (await outsider.get(`/api/v1/communities/${community}/topics`)).json().items;
    expect(list.some((x: { id: string }) => x.id === tp.id)).toBe(false);
    const listed = (await member.get(`/api/v1/communities/${community}/topics`)).json().items.find((x: { id: string }) => x.id === tp.id);
    expect(listed).toMatchObject({ replyCount: 1, tlp: 'AMBER' });
  });

  it('GREEN is for every vetted member; RED only for the people named; AMBER+STRICT refuses communities', async () => {
    const green = await topic(author, { tlp: 'GREEN' });
    expect((await outsider.get(`/api/v1/topics/${green.id}`)).statusCode).toBe(200);
    // outsider may read GREEN but may not reply: not a member
    expect((await outsider.post(`/api/v1/topics/${green.id}/replies`, { body: 'x' })).statusCode).toBe(403);
    const red = await topic(author, { tlp: 'RED', audience: { people: [memberP.id] } });
    expect((await member.get(`/api/v1/topics/${red.id}`)).statusCode).toBe(200);
    expect((await (await login(t.app, colleagueP.email)).get(`/api/v1/topics/${red.id}`)).statusCode).toBe(404);
    const strict = await author.post(`/api/v1/communities/${community}/topics`, { title: 'x', body: 'y', tlp: 'AMBER+STRICT', audience: { communities: [community] } });
    expect(strict.statusCode).toBe(400);
    expect(strict.json().error.code).toBe('INVALID_MARKING');
    expect((await author.post(`/api/v1/communities/${community}/topics`, { title: 'x', body: 'y', tlp: 'CLEAR' })).statusCode).toBe(400);
  });
});

describe('sanitisation', () => {
  it('strips scripts, raw HTML, event handlers and javascript: links', async () => {
    const md = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[x](javascript:alert(1))',
      '[ok](https://example.org "t")',
      '<a href="javascript:alert(2)" onclick="alert(3)">raw</a>',
      '[d](data:text/html;base64,PHNjcmlwdD4=)',
      '![img](https://evil.example/p.png)',
    ].join('\n\n');
    const html = (await author.post('/api/v1/discussions/preview', { markdown: md })).json().html as string;
    // Raw HTML survives only as escaped text: no real tag, handler attribute or script URL.
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(html).not.toMatch(/<a [^>]*href="(javascript|data):/i);
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).not.toMatch(/<a[^>]*>x<\/a>/);
    expect(html).toContain('<a href="https://example.org" title="t" rel="noopener noreferrer nofollow">ok</a>');
    expect(html).toContain('&lt;script&gt;');
    const tp = await topic(author, { body: md });
    expect(tp.bodyHtml).toBe(html);
    expect(tp.bodyMarkdown).toBe(md);
  });
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDRdata')]);
const upload = (c: Client, topicId: string, name: string, body: Buffer, type = "application/octet-stream") =>
  t.app.inject({ method: 'POST', url: `/api/v1/topics/${topicId}/attachments?name=${encodeURIComponent(name)}`, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': type }, payload: body });

describe('attachments', () => {
  it('round-trip byte-identical, are refused when too big (413) or of the wrong type (415), and download only for the audience', async () => {
    const tp = await topic(author);
    const files: [string, Buffer, string][] = [
      ['report.pdf', PDF, 'application/pdf'],
      ['shot.png', PNG, 'image/png'],
      ['notes.txt', Buffer.from('Olá, São Paulo ✓\n'), 'text/plain; charset=utf-8'],
      ['iocs.csv', Buffer.from('ip,first_seen\n192.0.2.1,2026-01-01\n'), 'text/csv; charset=utf-8'],
      ['bundle.json', Buffer.from(JSON.stringify({ type: 'bundle', id: 'bundle--0a9a0b7c-0000-4000-8000-000000000000', objects: [] })), 'application/stix+json;version=2.1'],
      ['data.json', Buffer.from('{"a":1}'), 'application/json'],
      ['memo.docx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('[Content_Types].xml....word/document.xml')]), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['sheet.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('[Content_Types].xml....xl/workbook.xml')]), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['text.odt', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(26), Buffer.from('mimetypeapplication/vnd.oasis.opendocument.text')]), 'application/vnd.oasis.opendocument.text'],
      ['pic.gif', Buffer.from('GIF89a\u0001\u0000\u0001\u0000'), 'image/gif'],
    ];
    for (const [name, bytes, type] of files) {
      const res = await upload(author, tp.id, name, bytes, name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ fileName: name, contentType: type, sizeBytes: bytes.length });
      const dl = await member.get(`/api/v1/attachments/${res.json().id}`);
      expect(dl.statusCode).toBe(200);
      expect(dl.rawPayload.equals(bytes)).toBe(true);
      expect(dl.headers['content-type']).toBe(type);
      expect(dl.headers['x-content-type-options']).toBe('nosniff');
      expect(String(dl.headers['content-disposition'])).toMatch(/^attachment; filename="/);
      expect((await outsider.get(`/api/v1/attachments/${res.json().id}`)).statusCode).toBe(404);
    }
    const before = await tableCounts(t.db);
    const big = await upload(author, tp.id, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(MAX)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: MAX } });
    for (const [name, bytes] of [
      ['fake.pdf', PNG],
      ['page.html', Buffer.from('<html><script>alert(1)</script></html>')],
      ['evil.txt', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03])],
      ['bad.json', Buffer.from('{not json')],
      ['doc.docx', Buffer.from('PK\u0003\u0004 nothing office here')],
    ] as [string, Buffer][]) {
      const res = await upload(author, tp.id, name, bytes);
      expect(res.statusCode, name).toBe(415);
      expect(res.json().error.code).toBe('ATTACHMENT_TYPE_REFUSED');
    }
    expect((await upload(member, tp.id, 'x.pdf', PDF)).statusCode).toBe(403);
    expect((await upload(outsider, tp.id, 'x.pdf', PDF)).statusCode).toBe(404);
    const after = await tableCounts(t.db);
    expect(after.audit_log).toBe(before.audit_log);
    expect(Number((await t.db.selectFrom('discussion_attachments').select((eb) => eb.fn.countAll().as('n')).where('topic_id', '=', tp.id).executeTakeFirstOrThrow()).n)).toBe(files.length);
  });
});

describe('mentions', () => {
  it('notify only the mentioned people who may see the topic', async () => {
    const colleague = await login(t.app, colleagueP.email);
    void colleague;
    // AMBER+STRICT to orgA only: memberP (orgB) is mentioned but may not see it.
    const mark = await t.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const tp = await topic(author, { tlp: 'AMBER+STRICT', audience: { organisations: [] }, mentions: [memberP.id, colleagueP.id] });
    expect(tp.mentions.map((m: { id: string }) => m.id).sort()).toEqual([memberP.id, colleagueP.id].sort());
    const mails = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'discussion_mention').orderBy('created_at').execute();
    const to = mails.map((m) => m.to_address);
    expect(to).toContain(colleagueP.email);
    expect(to).not.toContain(memberP.email);
    expect(Number(mark.n)).toBeLessThan(Number((await t.db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
    const events = await t.db.selectFrom('events').selectAll().where('type', '=', 'discussion.mentioned').where('subject_id', '=', tp.id).execute();
    expect(events.map((e) => e.audience_people)).toEqual([[colleagueP.id]]);
    // Mentioning someone outside the community is refused.
    const bad = await author.post(`/api/v1/communities/${community}/topics`, { title: 'x', body: 'y', mentions: [outsiderP.id] });
    expect(bad.statusCode).toBe(400);
  });
});

describe('subscriptions', () => {
  it('send notices and digests only for what the subscriber may see', async () => {
    const c2 = await makeCommunity(t.db, { organisations: [orgA, orgB] });
    expect((await outsider.put(`/api/v1/communities/${c2}/subscription`, { mode: 'immediate' })).statusCode).toBe(403);
    expect((await member.put(`/api/v1/communities/${c2}/subscription`, { mode: 'immediate' })).json()).toEqual({ mode: 'immediate' });
    const colleague = await login(t.app, colleagueP.email);
    expect((await colleague.put(`/api/v1/communities/${c2}/subscription`, { mode: 'daily' })).statusCode).toBe(200);
    const post = (body: object) => author.post(`/api/v1/communities/${c2}/topics`, { title: 'T', body: 'b', ...body }).then((r) => r.json());
    const visible = await post({ title: 'Visible to B', tlp: 'AMBER' });
    const secret = await post({ title: 'Secret of A', tlp: 'AMBER+STRICT' });
    const notices = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'discussion_notice').where('to_address', '=', memberP.email).execute();
    expect(notices.map((m) => m.subject).join('|')).toContain('Visible to B');
    expect(notices.map((m) => `${m.subject} ${m.text_body}`).join('|')).not.toContain('Secret of A');
    await member.post(`/api/v1/topics/${visible.id}/replies`, { body: 'reply' });
    void secret;
    const sent = await sendDiscussionDigests({ db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' }, new Date(Date.now() + 1000));
    expect(sent).toBeGreaterThanOrEqual(1);
    const digest = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'discussion_digest').where('to_address', '=', colleagueP.email).executeTakeFirstOrThrow();
    expect(digest.text_body).toContain('Visible to B');
    expect(digest.text_body).toContain('Secret of A'); // colleague is in orgA
    // A subscriber from orgB on the digest sees only the AMBER one.
    await member.put(`/api/v1/communities/${c2}/subscription`, { mode: 'daily' });
    await sendDiscussionDigests({ db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' }, new Date(Date.now() + 1000));
    const d2 = await t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'discussion_digest').where('to_address', '=', memberP.email).executeTakeFirstOrThrow();
    expect(d2.text_body).toContain('Visible to B');
    expect(d2.text_body).not.toContain('Secret of A');
    // Nothing in the window: no mail.
    expect(await sendDiscussionDigests({ db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' }, new Date(Date.now() + 3 * 86_400_000))).toBe(0);
  });
});
