/**
 * Discussions follow the access policy for random markings and random viewers:
 * topic reads, topic lists, replies, attachment downloads and the notices and
 * mention mails all agree with the TLP table (the oracle of test/worlds.ts, not
 * the code's own canSee), for every person of a small fixed world (members of the
 * community through their organisation or in person, a member of another
 * community, an outsider, the secretariat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Tlp } from '../../platform/access/policy.js';
import { createTestApp, login, makeCommunity, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { tlpOracle, type Mark, type Society } from '../../test/worlds.js';

/** The world below, as the oracle sees it: community 0 is K, 1 is L. */
const SOCIETY: Society = {
  orgs: [{ approved: true }, { approved: true }, { approved: true }, { approved: true }],
  people: [{ org: 0 }, { org: 0 }, { org: 1 }, { org: 2 }, { org: 2 }, { org: 3 }],
  communities: [
    { orgs: [0, 1], people: [3] },
    { orgs: [2], people: [] },
  ],
};

let t: TestApp;
let orgs: string[] = [];
let people: { id: string; email: string; client: Client }[] = [];
let k: string, l: string;
let posters: number[] = [];

beforeAll(async () => {
  t = await createTestApp();
  orgs = [await makeOrganisation(t.db), await makeOrganisation(t.db, { country: 'ES' }), await makeOrganisation(t.db, { country: 'MX' }), await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' })];
  const spec: [number, ('member' | 'org_admin' | 'secretariat')[]][] = [[0, ['member']], [0, ['member']], [1, ['member']], [2, ['member']], [2, ['member']], [3, ['member', 'secretariat']]];
  const made = [];
  for (const [o, roles] of spec) made.push(await makePerson(t.db, orgs[o]!, { roles }));
  // K: organisations 0 and 1, and person 3 in person (org 2 is not a member). L: organisation 2.
  k = await makeCommunity(t.db, { organisations: [orgs[0]!, orgs[1]!], people: [{ id: made[3]!.id }] });
  l = await makeCommunity(t.db, { organisations: [orgs[2]!] });
  people = await Promise.all(made.map(async (m) => ({ ...m, client: await login(t.app, m.email) })));
  posters = [0, 1, 2, 3];
  // Every member of K follows it; non-members are refused.
  for (const [i, p] of people.entries()) {
    const res = await p.client.put(`/api/v1/communities/${k}/subscription`, { mode: 'immediate' });
    expect(res.statusCode).toBe(posters.includes(i) ? 200 : 403);
  }
});
afterAll(async () => t?.close());

const postArb = fc.record({
  author: fc.constantFrom(0, 1, 2, 3),
  replier: fc.constantFrom(0, 1, 2, 3),
  tlp: fc.constantFrom<Tlp>('GREEN', 'AMBER', 'AMBER+STRICT', 'RED'),
  orgs: fc.subarray([0, 1, 2, 3]),
  comms: fc.subarray(['k', 'l'] as const),
  people: fc.subarray([0, 1, 2, 3, 4, 5]),
  mentions: fc.subarray([0, 1, 2, 3]),
  defaultAudience: fc.boolean(),
});

let run = 0;

describe('discussions under the access policy (property)', () => {
  it('reads, lists, replies, attachments and mails agree with the TLP table for every viewer', async () => {
    await fc.assert(
      fc.asyncProperty(postArb, async (g) => {
        run++;
        const title = `Topic run ${run} ${Math.random().toString(36).slice(2)}`;
        const audience =
          g.tlp === 'AMBER'
            ? { organisations: g.orgs.map((i) => orgs[i]!), communities: g.comms.map((c) => (c === 'k' ? k : l)) }
            : g.tlp === 'AMBER+STRICT'
              ? { organisations: g.orgs.map((i) => orgs[i]!) }
              : g.tlp === 'RED'
                ? { people: g.people.map((i) => people[i]!.id) }
                : undefined;
        const author = people[g.author]!;
        const res = await author.client.post(`/api/v1/communities/${k}/topics`, {
          title,
          body: `Body of ${title}`,
          tlp: g.tlp,
          ...(g.defaultAudience || !audience ? {} : { audience }),
          mentions: g.mentions.map((i) => people[i]!.id),
        });
        expect(res.statusCode, res.body).toBe(201);
        const topic = res.json();
        // What the topic should carry, worked out from the request alone: AMBER by default reaches the community it is in.
        const given = !g.defaultAudience && audience;
        const mark: Mark = {
          tlp: g.tlp,
          orgs: given && g.tlp !== 'RED' ? [...g.orgs] : [],
          comms: g.tlp === 'AMBER' ? (given ? g.comms.map((c) => (c === 'k' ? 0 : 1)) : [0]) : [],
          people: given && g.tlp === 'RED' ? [...g.people] : [],
        };
        const oracle = (viewer: number) => tlpOracle(SOCIETY, viewer, g.author, mark);
        const up = await t.app.inject({
          method: 'POST',
          url: `/api/v1/topics/${topic.id}/attachments?name=a.txt`,
          headers: { cookie: author.client.cookie, 'x-csrf-token': author.client.csrf, 'content-type': 'text/plain' },
          payload: Buffer.from(`attachment of ${title}`),
        });
        expect(up.statusCode).toBe(201);
        const replier = people[g.replier]!;
        const replierSees = oracle(g.replier);
        const rep = await replier.client.post(`/api/v1/topics/${topic.id}/replies`, { body: 'a reply' });
        expect(rep.statusCode).toBe(replierSees ? 201 : 404);

        const mails = await t.db.selectFrom('mail_outbox').select(['to_address', 'purpose', 'subject', 'text_body']).where('subject', 'like', `%${title}%`).execute();
        for (const [i, p] of people.entries()) {
          const sees = oracle(i);
          const one = await p.client.get(`/api/v1/topics/${topic.id}`);
          expect(one.statusCode, `person ${i} ${g.tlp}`).toBe(sees ? 200 : 404);
          if (sees) expect(one.json().replies.length).toBe(replierSees ? 1 : 0);
          const listed = (await p.client.get(`/api/v1/communities/${k}/topics`)).json().items.some((x: { id: string }) => x.id === topic.id);
          expect(listed).toBe(sees);
          expect((await p.client.get(`/api/v1/attachments/${up.json().id}`)).statusCode).toBe(sees ? 200 : 404);
          const got = mails.filter((m) => m.to_address === p.email);
          if (!sees) expect(got).toEqual([]);
          const mentioned = g.mentions.includes(i) && i !== g.author;
          // Followers hear of the topic (unless they wrote it) and of the reply (unless they wrote that).
          const subscribed = posters.includes(i) && (i !== g.author || (replierSees && i !== g.replier));
          // Those who may see it and are mentioned or subscribed hear of it (once per post).
          if (sees && (mentioned || subscribed)) expect(got.length).toBeGreaterThanOrEqual(1);
          if (!mentioned && !subscribed) expect(got).toEqual([]);
        }
      }),
      { numRuns: 20 },
    );
  });
});
