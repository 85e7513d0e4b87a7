import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, tableCounts, type Client, type TestApp } from '../../test/harness.js';
import { sendDiscussionDigests } from './notify.js';

let t: TestApp;
let orgA: string, orgB: string, orgC: string, community: string;
let author: Client, colleague: Client, orgAdminA: Client, member: Client, modB: Client, outsider: Client;
let authorP: { id: string; email: string }, memberP: { id: string; email: string }, colleagueP: { id: string; email: string }, cMemberP: { id: string; email: string };

beforeAll(async () => {
  t = await createTestApp();
  orgA = await makeOrganisation(t.db, { country: 'BR' });
  orgB = await makeOrganisation(t.db, { country: 'ES' });
  orgC = await makeOrganisation(t.db, { country: 'PT' });
  const orgOut = await makeOrganisation(t.db, { country: 'MX' });
  authorP = await makePerson(t.db, orgA, { name: 'Ana Autora' });
  colleagueP = await makePerson(t.db, orgA, { name: 'Carla Colega' });
  const adminA = await makePerson(t.db, orgA, { name: 'Abel Admin', roles: ['member', 'org_admin'] });
  memberP = await makePerson(t.db, orgB, { name: 'Mario Miembro' });
  const modP = await makePerson(t.db, orgB, { name: 'Marta Moderadora' });
  cMemberP = await makePerson(t.db, orgC, { name: 'Carlos C' });
  const outP = await makePerson(t.db, orgOut, { name: 'Otto Outsider' });
  community = await makeCommunity(t.db, { organisations: [orgA, orgB, orgC], people: [{ id: modP.id, isAdmin: true }] });
  [author, colleague, orgAdminA, member, modB, outsider] = await Promise.all([authorP, colleagueP, adminA, memberP, modP, outP].map((p) => login(t.app, p.email)));
});
afterAll(async () => t?.close());

async function topic(c: Client, body: Record<string, unknown> = {}) {
  const res = await c.post(`/api/v1/communities/${community}/topics`, { title: 'A topic', body: 'Some *text*', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const auditOf = (action: string, target: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', target).execute();

describe('editing', () => {
  it('the author edits a topic and a reply; the HTML is sanitised again; audited; others may not', async () => {
    const tp = await topic(author);
    expect(tp).toMatchObject({ canEdit: true, canDelete: true, canChangeMarking: true, editedAt: null });
    const ed = await author.patch(`/api/v1/topics/${tp.id}`, { title: 'Renamed', body: 'Now **bold** <script>alert(1)</script> [x](javascript:alert(2))' });
    expect(ed.statusCode, ed.body).toBe(200);
    expect(ed.json().title).toBe('Renamed');
    expect(ed.json().bodyHtml).toContain('<strong>bold</strong>');
    expect(ed.json().bodyHtml).not.toMatch(/<script|href="javascript:/i);
    expect(ed.json().editedAt).not.toBeNull();
    expect((await auditOf('discussion.topic_edited', tp.id)).map((a) => a.details)).toEqual([{ changed: ['title', 'body'] }]);
    // Not the author: refused, and nothing changes (the same for an org admin and a community admin).
    const before = await tableCounts(t.db);
    for (const c of [member, orgAdminA, modB]) expect((await c.patch(`/api/v1/topics/${tp.id}`, { title: 'Mine now' })).statusCode).toBe(403);
    expect((await outsider.patch(`/api/v1/topics/${tp.id}`, { title: 'x' })).statusCode).toBe(404);
    expect(await tableCounts(t.db)).toEqual(before);

    const r = await member.post(`/api/v1/topics/${tp.id}/replies`, { body: 'first' });
    const replyId = r.json().replyId;
    expect(r.json().replies[0]).toMatchObject({ canEdit: true, canDelete: true, editedAt: null });
    expect((await author.get(`/api/v1/topics/${tp.id}`)).json().replies[0]).toMatchObject({ canEdit: false, canDelete: false });
    expect((await modB.get(`/api/v1/topics/${tp.id}`)).json().replies[0]).toMatchObject({ canEdit: false, canDelete: true });
    const re = await member.patch(`/api/v1/replies/${replyId}`, { body: 'second <img src=x onerror=alert(1)>' });
    expect(re.statusCode, re.body).toBe(200);
    const reply = re.json().replies.find((x: { id: string }) => x.id === replyId);
    expect(reply.bodyMarkdown).toBe('second <img src=x onerror=alert(1)>');
    expect(reply.bodyHtml).not.toMatch(/<img|<[^>]*onerror/i);
    expect(reply.bodyHtml).toContain('&lt;img');
    expect(reply.editedAt).not.toBeNull();
    expect((await author.patch(`/api/v1/replies/${replyId}`, { body: 'hijack' })).statusCode).toBe(403);
    expect((await outsider.patch(`/api/v1/replies/${replyId}`, { body: 'x' })).statusCode).toBe(404);
    expect((await auditOf('discussion.reply_edited', tp.id)).length).toBe(1);
  });

  it('an edit that adds a mention tells only the newly mentioned who may see the topic', async () => {
    const tp = await topic(author, { tlp: 'AMBER+STRICT', audience: { organisations: [] }, mentions: [colleagueP.id] });
    const mark = (await t.db.selectFrom('mail_outbox').select('id').where('purpose', '=', 'discussion_mention').execute()).length;
    const ed = await author.patch(`/api/v1/topics/${tp.id}`, { mentions: [colleagueP.id, memberP.id] });
    expect(ed.statusCode, ed.body).toBe(200);
    // colleague was already mentioned; member (orgB) may not see AMBER+STRICT of orgA.
    expect((await t.db.selectFrom('mail_outbox').select('id').where('purpose', '=', 'discussion_mention').execute()).length).toBe(mark);
    const ed2 = await author.patch(`/api/v1/topics/${tp.id}`, { mentions: [] });
    expect(ed2.json().mentions).toEqual([]);
    const orgAdminId = (await t.db.selectFrom('people').select('id').where('name', '=', 'Abel Admin').executeTakeFirstOrThrow()).id;
    await author.patch(`/api/v1/topics/${tp.id}`, { mentions: [orgAdminId] });
    const mails = await t.db.selectFrom('mail_outbox').select('to_address').where('purpose', '=', 'discussion_mention').execute();
    expect(mails.length).toBe(mark + 1);
  });
});

describe('deleting', () => {
  it('the author or a community admin deletes; an org admin who is not one may not; audited; gone for everyone', async () => {
    const tp = await topic(author);
    const r1 = (await member.post(`/api/v1/topics/${tp.id}/replies`, { body: 'one' })).json().replyId;
    const r2 = (await colleague.post(`/api/v1/topics/${tp.id}/replies`, { body: 'two' })).json().replyId;
    expect((await author.request('DELETE', `/api/v1/replies/${r1}`)).statusCode).toBe(403);
    expect((await orgAdminA.request('DELETE', `/api/v1/replies/${r1}`)).statusCode).toBe(403);
    expect((await outsider.request('DELETE', `/api/v1/replies/${r1}`)).statusCode).toBe(404);
    const byMod = await modB.request('DELETE', `/api/v1/replies/${r1}`);
    expect(byMod.statusCode, byMod.body).toBe(200);
    expect(byMod.json().replies.map((r: { id: string }) => r.id)).toEqual([r2]);
    const byAuthor = await colleague.request('DELETE', `/api/v1/replies/${r2}`);
    expect(byAuthor.json().replies).toEqual([]);
    expect((await auditOf('discussion.reply_deleted', tp.id)).map((a) => (a.details as { as: string }).as).sort()).toEqual(['author', 'community_admin']);
    expect((await member.request('DELETE', `/api/v1/topics/${tp.id}`)).statusCode).toBe(403);
    expect((await orgAdminA.request('DELETE', `/api/v1/topics/${tp.id}`)).statusCode).toBe(403);
    const del = await modB.request('DELETE', `/api/v1/topics/${tp.id}`);
    expect(del.statusCode).toBe(204);
    expect((await author.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(404);
    expect((await auditOf('discussion.topic_deleted', tp.id)).map((a) => a.details)).toEqual([expect.objectContaining({ as: 'community_admin', replies: 0 })]);
    const own = await topic(author);
    expect((await author.request('DELETE', `/api/v1/topics/${own.id}`)).statusCode).toBe(204);
  });
});

describe('changing the marking', () => {
  it('the author or their organisation admins change it; the event carries the new marking; members of other organisations may not', async () => {
    const tp = await topic(author, { tlp: 'AMBER+STRICT', audience: { organisations: [] } });
    expect((await member.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(404);
    expect((await colleague.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'AMBER' })).statusCode).toBe(403);
    expect((await colleague.get(`/api/v1/topics/${tp.id}`)).json().canChangeMarking).toBe(false);
    expect((await orgAdminA.get(`/api/v1/topics/${tp.id}`)).json().canChangeMarking).toBe(true);
    const wider = await orgAdminA.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'AMBER' });
    expect(wider.statusCode, wider.body).toBe(200);
    // AMBER by default for the community.
    expect(wider.json()).toMatchObject({ tlp: 'AMBER', audience: { communities: [community] } });
    expect((await member.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(200);
    const ev = await t.db.selectFrom('events').selectAll().where('type', '=', 'discussion.topic_marking_changed').where('subject_id', '=', tp.id).execute();
    expect(ev.map((e) => [e.tlp, e.audience_communities])).toEqual([['AMBER', [community]]]);
    expect((await auditOf('discussion.topic_marking_changed', tp.id)).map((a) => (a.details as { from: { tlp: string }; to: { tlp: string } })).map((d) => [d.from.tlp, d.to.tlp])).toEqual([['AMBER+STRICT', 'AMBER']]);
    expect((await member.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'RED' })).statusCode).toBe(403);
    expect((await author.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'CLEAR' })).statusCode).toBe(400);
    expect((await author.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'AMBER', audience: { organisations: ['01900000-0000-7000-8000-000000000000'] } })).statusCode).toBe(400);
  });

  it('once others replied it may only narrow: widening is refused and changes nothing', async () => {
    const tp = await topic(author, { tlp: 'AMBER', audience: { organisations: [orgB] } });
    await member.post(`/api/v1/topics/${tp.id}/replies`, { body: 'for orgB eyes' });
    const before = await tableCounts(t.db);
    for (const m of [{ tlp: 'GREEN' }, { tlp: 'AMBER' }, { tlp: 'AMBER', audience: { organisations: [orgB, orgC] } }, { tlp: 'RED', audience: { people: [cMemberP.id] } }]) {
      const r = await author.put(`/api/v1/topics/${tp.id}/marking`, m);
      expect(r.statusCode, JSON.stringify(m)).toBe(400);
      expect(r.json().error.code).toBe('INVALID_MARKING');
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await outsider.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(404);
    // Narrower: RED to one person of orgB, then the member of orgC cannot see it.
    const red = await author.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'RED', audience: { people: [memberP.id] } });
    expect(red.statusCode, red.body).toBe(200);
    expect((await colleague.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(404);
    expect((await member.get(`/api/v1/topics/${tp.id}`)).statusCode).toBe(200);
  });
});

describe('daily digest windows', () => {
  it('remembers what it sent: a rerun repeats nothing, a missed run drops nothing', async () => {
    const c2 = await makeCommunity(t.db, { organisations: [orgA, orgB] });
    expect((await member.put(`/api/v1/communities/${c2}/subscription`, { mode: 'daily' })).statusCode).toBe(200);
    const digests = () => t.db.selectFrom('mail_outbox').selectAll().where('purpose', '=', 'discussion_digest').where('to_address', '=', memberP.email).orderBy('created_at').execute();
    const post = async (title: string, at: Date) => {
      const tp = (await author.post(`/api/v1/communities/${c2}/topics`, { title, body: 'b' })).json();
      await t.db.updateTable('discussion_topics').set({ created_at: at }).where('id', '=', tp.id).execute();
      return tp;
    };
    const deps = { db: t.db, mailer: t.deps.mailer, baseUrl: 'http://puente.test' };
    const day = 86_400_000;
    const d0 = new Date(Date.now() + 10 * day);
    await post('Day one', new Date(d0.getTime() - 2 * 3600_000));
    expect(await sendDiscussionDigests(deps, d0)).toBeGreaterThanOrEqual(1);
    expect((await digests()).map((m) => (m.text_body ?? "").includes('Day one'))).toEqual([true]);
    // The same run again: nothing new, no mail.
    await sendDiscussionDigests(deps, d0);
    expect((await digests()).length).toBe(1);
    // The next day's run is missed; the one after covers both days.
    await post('Day two', new Date(d0.getTime() + day - 3600_000));
    await post('Day three', new Date(d0.getTime() + 2 * day - 3600_000));
    await sendDiscussionDigests(deps, new Date(d0.getTime() + 2 * day));
    const all = await digests();
    expect(all.length).toBe(2);
    expect(all[1].text_body).toContain('Day two');
    expect(all[1].text_body).toContain('Day three');
    expect(all[1].text_body).not.toContain('Day one');
    const sub = await t.db.selectFrom('discussion_subscriptions').select('last_digest_at').where('community_id', '=', c2).where('person_id', '=', memberP.id).executeTakeFirstOrThrow();
    expect(sub.last_digest_at?.getTime()).toBe(d0.getTime() + 2 * day);
    // A run with an earlier clock does not move the window back.
    await sendDiscussionDigests(deps, d0);
    const again = await t.db.selectFrom('discussion_subscriptions').select('last_digest_at').where('community_id', '=', c2).where('person_id', '=', memberP.id).executeTakeFirstOrThrow();
    expect(again.last_digest_at?.getTime()).toBe(d0.getTime() + 2 * day);
    expect((await digests()).length).toBe(2);
  });
});

describe('property: who may edit, delete and re-mark', () => {
  it('for random actors, markings and actions, the answer follows the rules and a refusal changes nothing', async () => {
    // The actors: the topic's author (orgA), a colleague (orgA), orgA's admin, a member of orgB,
    // the community admin (orgB, named admin), an outsider.
    const actors = () => [author, colleague, orgAdminA, member, modB, outsider];
    const [AUTHOR, COLLEAGUE, ORGADMIN, MOD] = [0, 1, 2, 4];
    const sees = (tlp: string, who: number) =>
      tlp === 'GREEN' ? true : tlp === 'AMBER' ? who !== 5 : tlp === 'AMBER+STRICT' ? [AUTHOR, COLLEAGUE, ORGADMIN].includes(who) : who === AUTHOR;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GREEN', 'AMBER', 'AMBER+STRICT', 'RED'),
        fc.constantFrom(0, 1, 2, 3, 4, 5),
        fc.constantFrom('editTopic', 'deleteTopic', 'remark', 'editReply', 'deleteReply'),
        async (tlp, who, action) => {
          n++;
          const tp = await topic(author, { title: `P${n}`, tlp, ...(tlp === 'AMBER+STRICT' ? { audience: { organisations: [] } } : {}) });
          // The author replies to their own topic (so nobody else has replied: any marking change is allowed).
          const replyId = (await author.post(`/api/v1/topics/${tp.id}/replies`, { body: 'own reply' })).json().replyId;
          const c = actors()[who]!;
          const before = await tableCounts(t.db);
          const res =
            action === 'editTopic'
              ? await c.patch(`/api/v1/topics/${tp.id}`, { title: 'changed' })
              : action === 'deleteTopic'
                ? await c.request('DELETE', `/api/v1/topics/${tp.id}`)
                : action === 'remark'
                  ? await c.put(`/api/v1/topics/${tp.id}/marking`, { tlp: 'GREEN' })
                  : action === 'editReply'
                    ? await c.patch(`/api/v1/replies/${replyId}`, { body: 'changed' })
                    : await c.request('DELETE', `/api/v1/replies/${replyId}`);
          const allowed =
            action === 'editTopic' || action === 'editReply' ? who === AUTHOR : action === 'remark' ? who === AUTHOR || who === ORGADMIN : who === AUTHOR || who === MOD;
          const expected = !sees(tlp, who) ? 404 : allowed ? (action === 'deleteTopic' ? 204 : 200) : 403;
          expect(res.statusCode, `${action} by ${who} on ${tlp}: ${res.body}`).toBe(expected);
          if (expected !== 200 && expected !== 204) expect(await tableCounts(t.db)).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe('abilities: what `can` reports is what the API allows', () => {
  it('for every viewer and every write on topics and replies, the write succeeds exactly when `can` says so', async () => {
    const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const orgU = await makeOrganisation(t.db, { country: 'AR' });
    await t.db.insertInto('community_organisations').values({ community_id: community, organisation_id: orgU }).execute();
    const [adminB, secretariat, unvetted] = await Promise.all(
      [
        makePerson(t.db, orgB, { roles: ['member', 'org_admin'] }),
        makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] }),
        makePerson(t.db, orgU, { roles: ['member', 'org_admin'] }),
      ].map(async (p) => login(t.app, (await p).email)),
    );
    // A member of the community whose organisation is suspended: signed in, no longer vetted.
    await t.db.updateTable('organisations').set({ status: 'suspended' }).where('id', '=', orgU).execute();
    const viewers: Record<string, Client> = { author, colleague, orgAdminA, member, modB, adminB, secretariat, outsider, unvetted };
    const upload = (c: Client, topicId: string, replyId?: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/topics/${topicId}/attachments?name=note.txt${replyId ? `&replyId=${replyId}` : ''}`,
        headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'text/plain' },
        payload: 'a line of text',
      });
    const reply = async (c: Client, topicId: string) => {
      const r = await c.post(`/api/v1/topics/${topicId}/replies`, { body: 'a reply' });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().replyId as string;
    };
    const topicWrites: Record<string, (c: Client, id: string) => Promise<{ statusCode: number; body: string }>> = {
      edit: (c, id) => c.patch(`/api/v1/topics/${id}`, { title: 'Edited' }),
      changeMarking: (c, id) => c.put(`/api/v1/topics/${id}/marking`, { tlp: 'AMBER' }),
      delete: (c, id) => c.request('DELETE', `/api/v1/topics/${id}`),
      reply: (c, id) => c.post(`/api/v1/topics/${id}/replies`, { body: 'mine' }),
      attach: (c, id) => upload(c, id),
    };
    const replyWrites: Record<string, (c: Client, topicId: string, replyId: string) => Promise<{ statusCode: number; body: string }>> = {
      edit: (c, _t, id) => c.patch(`/api/v1/replies/${id}`, { body: 'edited' }),
      delete: (c, _t, id) => c.request('DELETE', `/api/v1/replies/${id}`),
      attach: (c, topicId, id) => upload(c, topicId, id),
    };
    const none: Record<string, boolean> = { edit: false, changeMarking: false, delete: false, moderate: false, reply: false, attach: false };
    /** The topic as the viewer reads it, checked against the community's list; nothing when they may not read it. */
    async function read(c: Client, id: string) {
      const one = await c.get(`/api/v1/topics/${id}`);
      if (one.statusCode !== 200) return null;
      const listed = (await c.get(`/api/v1/communities/${community}/topics`)).json().items.find((x: { id: string }) => x.id === id);
      expect(listed.can).toEqual(one.json().can);
      const tp = one.json();
      expect([tp.canEdit, tp.canDelete, tp.canChangeMarking, tp.canPost, tp.canAttach]).toEqual([tp.can.edit, tp.can.delete, tp.can.changeMarking, tp.can.reply, tp.can.attach]);
      return tp as { can: Record<string, boolean>; replies: { id: string; canEdit: boolean; canDelete: boolean; can: Record<string, boolean> }[] };
    }
    const allowed: Record<string, string[]> = {};
    const check = async (what: string, name: string, can: boolean, res: { statusCode: number; body: string }, before: Record<string, number>) => {
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      expect(ok, `${what} by ${name}: can says ${can}, the API answered ${res.statusCode} ${res.body}`).toBe(can);
      if (!ok) expect(await tableCounts(t.db)).toEqual(before);
      else (allowed[what] ??= []).push(name);
    };
    for (const [name, c] of Object.entries(viewers)) {
      for (const [action, write] of Object.entries(topicWrites)) {
        const tp = await topic(author, { tlp: 'GREEN' });
        const can = (await read(c, tp.id))?.can ?? none;
        const before = await tableCounts(t.db);
        await check(`topic.${action}`, name, can[action]!, await write(c, tp.id), before);
      }
      for (const [action, write] of Object.entries(replyWrites)) {
        const tp = await topic(author, { tlp: 'GREEN' });
        const replyId = await reply(colleague, tp.id);
        const r = (await read(c, tp.id))?.replies.find((x) => x.id === replyId);
        if (r) expect([r.canEdit, r.canDelete]).toEqual([r.can.edit, r.can.delete]);
        const before = await tableCounts(t.db);
        await check(`reply.${action}`, name, r?.can[action] ?? false, await write(c, tp.id, replyId), before);
      }
      // Moderating: deleting a reply someone else wrote.
      const tp = await topic(author, { tlp: 'GREEN' });
      const replyId = await reply(name === 'colleague' ? member : colleague, tp.id);
      const can = (await read(c, tp.id))?.can ?? none;
      const before = await tableCounts(t.db);
      await check('topic.moderate', name, can.moderate!, await c.request('DELETE', `/api/v1/replies/${replyId}`), before);
    }
    // Not vacuous: the rules as documented.
    expect(allowed).toEqual({
      'topic.edit': ['author'],
      'topic.changeMarking': ['author', 'orgAdminA'],
      'topic.delete': ['author', 'modB'],
      'topic.reply': ['author', 'colleague', 'orgAdminA', 'member', 'modB', 'adminB'],
      'topic.attach': ['author'],
      'reply.edit': ['colleague'],
      'reply.delete': ['colleague', 'modB'],
      'reply.attach': ['colleague'],
      'topic.moderate': ['modB'],
    });
  }, 180_000);
});
