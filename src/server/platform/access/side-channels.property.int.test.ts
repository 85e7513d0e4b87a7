/**
 * The side channels of the access policy, on random worlds (issue 9): records are
 * written, narrowed and deleted through the API as members would, with a unique
 * marker in their titles, bodies and attachment names, and then every channel that
 * carries something of them is read by every viewer and compared with the one
 * oracle (test/worlds.ts):
 *
 * - the audit log, as the secretariat and each organisation admin read it, carries
 *   identifiers only: no marker, ever;
 * - the outbox, as the secretariat reads it, carries a record's marker only if the
 *   secretariat may see that record (mail goes out under the marking of its time),
 *   and never a credential;
 * - the event stream's replay carries a record's marker only to who may see it both
 *   as it was written and as it is now (nothing of a deleted one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ANONYMOUS } from './policy.js';
import { loadPrincipalParts } from '../auth/principal.js';
import { createSession } from '../auth/sessions.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';

interface RecordSpec {
  kind: 'note' | 'topic';
  author: number;
  mark: Mark;
  then: 'keep' | 'narrow' | 'delete';
  community: number;
  mention: number;
}
interface World extends Society {
  records: RecordSpec[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxOrgs: 3, maxPeople: 5, maxCommunities: 2 }),
    records: fc.array(
      fc.record({
        kind: fc.constantFrom('note' as const, 'topic' as const),
        author: fc.nat(),
        mark: markArb,
        then: fc.constantFrom('keep' as const, 'narrow' as const, 'delete' as const),
        community: fc.nat(),
        mention: fc.nat(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    // The secretariat: one more person, in an approved organisation of its own.
    const society: Society = { ...fit.society, orgs: [...fit.society.orgs, { approved: true }], people: [...fit.society.people, { org: fit.society.orgs.length }] };
    return { ...society, records: w.records.map((r) => ({ ...r, author: fit.person(r.author), mark: fit.mark(r.mark) })) };
  });

/** The marking as the API takes it (an audience only where the level has one). */
function apiMarking(m: Mark, ids: { orgIds: string[]; commIds: string[]; personIds: string[] }, tlp = m.tlp) {
  if (tlp === 'CLEAR' || tlp === 'GREEN') return { tlp };
  if (tlp === 'RED') return { tlp, audience: { people: m.people.map((p) => ids.personIds[p]!) } };
  if (tlp === 'AMBER+STRICT') return { tlp, audience: { organisations: m.orgs.map((o) => ids.orgIds[o]!) } };
  return { tlp, audience: { organisations: m.orgs.map((o) => ids.orgIds[o]!), communities: m.comms.map((c) => ids.commIds[c]!) } };
}

/** The mark the oracle reads for what the API stored: only the parts of the audience its level has. */
function storedMark(m: Mark, tlp = m.tlp): Mark {
  if (tlp === 'CLEAR' || tlp === 'GREEN') return { tlp, orgs: [], comms: [], people: [] };
  if (tlp === 'RED') return { tlp, orgs: [], comms: [], people: m.people };
  if (tlp === 'AMBER+STRICT') return { tlp, orgs: m.orgs, comms: [], people: [] };
  return { tlp, orgs: m.orgs, comms: m.comms, people: [] };
}

const NARROWED: Mark = { tlp: 'RED', orgs: [], comms: [], people: [] };

/**
 * A world that reaches every channel the coverage check below asks for, run before the random
 * ones: a GREEN topic that mentions a fellow member (its mail is one the secretariat may read),
 * a note narrowed to RED and a topic deleted. Random worlds reach them only most of the time.
 */
const GREEN: Mark = { tlp: 'GREEN', orgs: [], comms: [], people: [] };
const COVERING_WORLD: World = {
  orgs: [{ approved: true }, { approved: true }],
  people: [{ org: 0 }, { org: 0 }, { org: 1 }],
  communities: [{ orgs: [0], people: [] }],
  records: [
    { kind: 'topic', author: 0, mark: GREEN, then: 'keep', community: 0, mention: 0 },
    { kind: 'note', author: 1, mark: GREEN, then: 'narrow', community: 0, mention: 0 },
    { kind: 'topic', author: 1, mark: GREEN, then: 'delete', community: 0, mention: 0 },
  ],
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('side channels of the access policy (property)', () => {
  it('audit, outbox and stream replay carry nothing a reader may not see', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    // Not vacuous: records were written, narrowed and deleted, and the channels did carry markers.
    const seen = { made: 0, narrowed: 0, deleted: 0, topics: 0, inOutbox: 0, inReplay: 0 };
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const startEvent = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        const startAudit = Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst())?.m ?? 0);
        const startMail = new Date(Date.now() - 1);
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `s${run}`, passwordHash: hash });
        const secretariat = w.people.length - 1;
        await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', '=', ids.personIds[secretariat]!).execute();
        // The first person of each organisation administers it.
        const admins = w.orgs.map((_, o) => w.people.findIndex((p) => p.org === o)).filter((i) => i >= 0 && i !== secretariat);
        for (const a of admins) await t.db.updateTable('people').set({ roles: ['member', 'org_admin'] }).where('id', '=', ids.personIds[a]!).execute();
        const clients: Client[] = [];
        for (const id of ids.personIds) {
          const s = await createSession(t.db, id, t.deps.config.session, {});
          clients.push(clientFor(t.app, `puente_session=${s.id}`, s.csrfToken));
        }
        const vetted = (p: number) => w.orgs[w.people[p]!.org]!.approved;
        const inCommunity = (p: number, c: number) => w.communities[c]!.orgs.includes(w.people[p]!.org) || w.communities[c]!.people.includes(p);
        const marker = (k: number) => `zc${run}r${k}q`;

        // Written as members would; what the API refuses (a topic outside one's communities…) is simply not there.
        const made: { k: number; id: string; spec: RecordSpec; original: Mark; now: Mark | null }[] = [];
        for (const [k, r] of w.records.entries()) {
          if (!vetted(r.author)) continue;
          const c = clients[r.author]!;
          if (r.kind === 'note') {
            const res = await c.post('/api/v1/notes', { title: `${marker(k)} note`, body: `body ${marker(k)}`, language: 'en', pap: 'GREEN', ...apiMarking(r.mark, ids) });
            if (res.statusCode !== 201) continue;
            made.push({ k, id: res.json().id, spec: r, original: storedMark(r.mark), now: storedMark(r.mark) });
          } else {
            if (!w.communities.length) continue;
            const community = r.community % w.communities.length;
            if (!inCommunity(r.author, community)) continue;
            const tlp = r.mark.tlp === 'CLEAR' ? 'GREEN' : r.mark.tlp;
            const members = w.people.map((_, i) => i).filter((i) => i !== r.author && inCommunity(i, community) && vetted(i));
            const mention = members.length ? [ids.personIds[members[r.mention % members.length]!]!] : [];
            const res = await c.post(`/api/v1/communities/${ids.commIds[community]}/topics`, { title: `${marker(k)} topic`, body: `body ${marker(k)}`, mentions: mention, ...apiMarking(r.mark, ids, tlp) });
            if (res.statusCode !== 201) continue;
            const id = res.json().id as string;
            const up = await t.app.inject({
              method: 'POST',
              url: `/api/v1/topics/${id}/attachments?name=${marker(k)}.txt`,
              headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'text/plain' },
              payload: Buffer.from(`attachment ${marker(k)}`),
            });
            expect(up.statusCode, up.body).toBe(201);
            made.push({ k, id, spec: r, original: storedMark(r.mark, tlp), now: storedMark(r.mark, tlp) });
          }
        }
        for (const m of made) {
          const c = clients[m.spec.author]!;
          const path = m.spec.kind === 'note' ? `/api/v1/notes/${m.id}` : `/api/v1/topics/${m.id}`;
          if (m.spec.then === 'narrow') {
            const res = await c.put(`${path}/marking`, { tlp: 'RED', ...(m.spec.kind === 'note' ? { pap: 'GREEN' } : {}), audience: { people: [] } });
            expect(res.statusCode, res.body).toBe(200);
            m.now = NARROWED;
          } else if (m.spec.then === 'delete') {
            expect((await c.del(path)).statusCode).toBe(204);
            m.now = null;
          }
        }

        seen.made += made.length;
        seen.topics += made.filter((m) => m.spec.kind === 'topic').length;
        seen.narrowed += made.filter((m) => m.spec.then === 'narrow').length;
        seen.deleted += made.filter((m) => m.spec.then === 'delete').length;

        // The audit log: no marker at all, for any reader.
        for (const reader of [secretariat, ...admins]) {
          if (!vetted(reader)) continue;
          let before: number | null = null;
          for (;;) {
            const res = await clients[reader]!.get(`/api/v1/audit?limit=500${before ? `&before=${before}` : ''}`);
            expect(res.statusCode, res.body).toBe(200);
            const page = res.json() as { items: { seq: number }[]; nextBefore: number | null };
            const fresh = page.items.filter((e) => e.seq > startAudit);
            expect({ reader, leaked: made.filter((m) => JSON.stringify(fresh).includes(marker(m.k))).map((m) => m.k) }).toEqual({ reader, leaked: [] });
            if (!page.nextBefore || page.nextBefore <= startAudit) break;
            before = page.nextBefore;
          }
        }

        // The outbox, as the secretariat reads it.
        const outbox = await clients[secretariat]!.get('/api/v1/outbox?limit=500');
        expect(outbox.statusCode).toBe(200);
        const mails = JSON.stringify((outbox.json().items as { createdAt: string }[]).filter((m) => new Date(m.createdAt) >= startMail));
        expect(mails).not.toMatch(/token=/);
        for (const m of made) {
          if (mails.includes(marker(m.k))) seen.inOutbox++;
          if (mails.includes(marker(m.k))) expect({ k: m.k, mayRead: tlpOracle(w, secretariat, m.spec.author, m.original) }).toEqual({ k: m.k, mayRead: true });
        }

        // The stream's replay (what a client resuming with Last-Event-ID receives), for everyone.
        for (const v of [null, ...w.people.keys()]) {
          const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
          const replay = JSON.stringify(await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, startEvent, 10_000));
          for (const m of made) {
            if (!replay.includes(marker(m.k))) continue;
            seen.inReplay++;
            const allowed = m.now !== null && tlpOracle(w, v, m.spec.author, m.original) && tlpOracle(w, v, m.spec.author, m.now);
            expect({ v, k: m.k, then: m.spec.then, allowed }).toEqual({ v, k: m.k, then: m.spec.then, allowed: true });
          }
        }
      }),
      { numRuns: 25, examples: [[COVERING_WORLD]] },
    );
    expect(seen.made).toBeGreaterThan(20);
    for (const k of ['narrowed', 'deleted', 'topics', 'inOutbox', 'inReplay'] as const) expect({ k, n: seen[k] > 0 }).toEqual({ k, n: true });
  }, 300_000);
});
