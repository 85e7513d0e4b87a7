/**
 * What leaves a crisis room besides its own reads, on random societies (issue 13's leak bar): the
 * alert mails (purpose `crisis_alert`: a level raised, a sitrep addressed to someone) and the
 * coordinators' reminders (`sitrep_due`, job `crises.sitrep_reminders`), the secretariat's view of
 * the outbox, the event stream's replay after the roster changed (people added after the sitreps),
 * the translation queue of the coordinators, and the crisis list's separation of exercises from real
 * crises. Each is compared with the TLP table of test/worlds.ts (not the code's canSee): the room is one
 * more community of the society (its people and invited organisations) and a sitrep is seen by who
 * sees the room and the sitrep's own marking.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { createSession } from '../../platform/auth/sessions.js';
import { platformOf } from '../../platform/deps.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';
import { remindDueSitreps } from './service.js';
import './tables.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const SITREP = { impactSeverity: 'yellow', outlook: 'stable', language: 'en' };
const email = (id: string) => `p-${id}@example.test`;

interface World {
  society: Society;
  /** The secretariat that reads the outbox: the last person, in an approved organisation of its own. */
  secretariat: number;
  exercise: boolean;
  members: number[];
  /** Added to the room after the sitreps were written. */
  late: number[];
  invited: number[];
  sitreps: { author: number; mark: Mark }[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
    exercise: fc.boolean(),
    members: fc.array(fc.nat(), { maxLength: 3 }),
    late: fc.array(fc.nat(), { maxLength: 2 }),
    invited: fc.array(fc.nat(), { maxLength: 2 }),
    sitreps: fc.array(fc.record({ author: fc.nat(), mark: markArb }), { minLength: 1, maxLength: 3 }),
  })
  .map((w) => {
    // The declarer is person 0, in organisation 0, which is approved; the secretariat reading the outbox is one more person.
    const raw: Society = { ...w.society, orgs: [{ approved: true }, ...w.society.orgs.slice(1)], people: w.society.people.map((p, i) => (i === 0 ? { ...p, org: 0 } : p)) };
    const fit = fitTo(raw);
    const s: Society = { ...fit.society, orgs: [...fit.society.orgs, { approved: true }], people: [...fit.society.people, { org: fit.society.orgs.length }] };
    const n = s.people.length;
    const approved = (o: number) => s.orgs[o]!.approved;
    const fitPerson = (x: number) => x % n;
    const members = [...new Set(w.members.map(fitPerson))].filter((x) => x !== 0 && approved(s.people[x]!.org));
    const late = [...new Set(w.late.map(fitPerson))].filter((x) => x !== 0 && !members.includes(x) && approved(s.people[x]!.org));
    const invited = [...new Set(w.invited.map((o) => o % s.orgs.length))].filter(approved);
    const roster = [0, ...members];
    // Sitrep audiences may name anyone of the society, the secretariat's organisation and people outside the room included.
    const sitreps = w.sitreps.map((x) => {
      const tlp = x.mark.tlp === 'CLEAR' || x.mark.tlp === 'GREEN' ? 'AMBER' : x.mark.tlp;
      const orgs = [...new Set(x.mark.orgs.map((o) => o % s.orgs.length))].filter(approved);
      const people = [...new Set(x.mark.people.map(fitPerson))];
      const comms = s.communities.length ? [...new Set(x.mark.comms.map((c) => c % s.communities.length))] : [];
      const mark: Mark = tlp === 'RED' ? { tlp, orgs: [], comms: [], people } : { tlp, orgs, comms: tlp === 'AMBER' ? comms : [], people: [] };
      return { author: roster[x.author % roster.length]!, mark };
    });
    return { society: s, secretariat: n - 1, exercise: w.exercise, members, late, invited, sitreps };
  });

/**
 * A world the random ones reach only now and then, run first: an AMBER sitrep addressed to a room member's
 * organisation that also names the secretariat's organisation, outside the room (its alert mail must not
 * show in the secretariat's outbox), and a RED one naming the secretariat (it gets no alert: it cannot see the room).
 */
const NAMING_OUTSIDERS: World = {
  society: { orgs: [{ approved: true }, { approved: true }, { approved: true }], people: [{ org: 0 }, { org: 1 }, { org: 2 }], communities: [] },
  secretariat: 2,
  exercise: false,
  members: [1],
  late: [],
  invited: [],
  sitreps: [
    { author: 1, mark: { tlp: 'AMBER', orgs: [0, 2], comms: [], people: [] } },
    { author: 1, mark: { tlp: 'RED', orgs: [], comms: [], people: [0, 2] } },
  ],
};

const seen = { mails: 0, sitrepMails: 0, dueMails: 0, exercises: 0, inOutbox: 0, replayedLate: 0, queued: 0 };

describe('crisis alerts, reminders, the outbox, the replay and the queue (property)', () => {
  it('reach exactly whom the TLP table allows, and exercises stay out of the real list', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: s, secretariat, exercise, members, late, invited, sitreps }) => {
        run++;
        const ids = await insertSociety(t.db, s, { country: 'PA', label: `crc${run}`, passwordHash: hash });
        await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', 'in', [ids.personIds[0]!, ids.personIds[secretariat]!]).execute();
        const clients: Client[] = [];
        for (const id of ids.personIds) {
          const sess = await createSession(t.db, id, t.deps.config.session, {});
          clients.push(clientFor(t.app, `puente_session=${sess.id}`, sess.csrfToken));
        }
        const start = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        const title = `Crisis zk${run}x`;
        const declared = await clients[0]!.post('/api/v1/crises', { title, language: 'en', level: 'elevated', countries: ['PA'], exercise });
        expect(declared.statusCode, declared.body).toBe(201);
        const crisisId = declared.json().id as string;
        for (const m of members) expect((await clients[0]!.post(`/api/v1/crises/${crisisId}/members`, { personId: ids.personIds[m], role: 'liaison' })).statusCode).toBe(200);
        for (const o of invited) expect((await clients[0]!.post(`/api/v1/crises/${crisisId}/members`, { organisationId: ids.orgIds[o] })).statusCode).toBe(200);
        // A raise alerts the room.
        expect((await clients[0]!.post(`/api/v1/crises/${crisisId}/level`, { level: 'crisis' })).statusCode).toBe(200);

        const ROOM = s.communities.length;
        const roomAt = (people: number[]): Society => ({ ...s, communities: [...s.communities, { orgs: invited, people }] });
        const made: { id: string; summary: string; author: number; mark: Mark }[] = [];
        for (const [k, x] of sitreps.entries()) {
          const summary = `Sitrep zk${run}s${k}x`;
          const r = await clients[x.author]!.post(`/api/v1/crises/${crisisId}/sitreps`, {
            ...SITREP,
            summary,
            tlp: x.mark.tlp,
            audience: { organisations: x.mark.orgs.map((o) => ids.orgIds[o]!), communities: x.mark.comms.map((c) => ids.commIds[c]!), people: x.mark.people.map((p) => ids.personIds[p]!) },
          });
          expect(r.statusCode, r.body).toBe(201);
          made.push({ id: r.json().id, summary, author: x.author, mark: x.mark.tlp === 'AMBER' ? { ...x.mark, comms: [...x.mark.comms, ROOM] } : x.mark });
        }
        // The coordinators' reminder, as the job would send it once the next sitrep is due.
        await remindDueSitreps(platformOf(t.deps), new Date(Date.now() + 2 * 86_400_000));
        // People added after all that: the roster changed; what is replayed to them follows the room now.
        for (const m of late) expect((await clients[0]!.post(`/api/v1/crises/${crisisId}/members`, { personId: ids.personIds[m], role: 'liaison' })).statusCode).toBe(200);

        const before = roomAt([0, ...members]);
        const now = roomAt([0, ...members, ...late]);
        const roomMark: Mark = { tlp: 'AMBER', orgs: [], comms: [ROOM], people: [] };
        const seesRoom = (w: Society, v: number | null) => tlpOracle(w, v, 0, roomMark);
        const seesSitrep = (w: Society, v: number | null, m: (typeof made)[number]) => seesRoom(w, v) && tlpOracle(w, v, m.author, m.mark);
        const label = `run ${run} exercise ${exercise} members ${members} late ${late} invited ${invited} sitreps ${JSON.stringify(made.map((m) => [m.author, m.mark]))}`;

        // The mails, as queued: each to someone who could see, when it was written, the room (and the sitrep it announces).
        const mails = await t.db
          .selectFrom('mail_outbox')
          .select(['to_address', 'subject', 'text_body', 'purpose'])
          .where('purpose', 'in', ['crisis_alert', 'sitrep_due'])
          .where('to_address', 'in', ids.personIds.map(email))
          .execute();
        const alerts = await t.db.selectFrom('crisis_alerts').select(['person_id', 'kind', 'sitrep_id']).where('crisis_id', '=', crisisId).execute();
        expect(mails.length, label).toBe(alerts.length);
        for (const mail of mails) {
          const v = ids.personIds.findIndex((x) => email(x) === mail.to_address);
          expect({ label, v, room: seesRoom(before, v) }).toEqual({ label, v, room: true });
          const text = `${mail.subject}\n${mail.text_body}`;
          // A mail names the crisis, never a sitrep's text.
          for (const m of made) expect(text, label).not.toContain(m.summary);
          expect({ label, exercise: mail.subject.includes('EXERCISE') }).toEqual({ label, exercise });
          if (mail.purpose === 'sitrep_due') seen.dueMails++;
        }
        for (const a of alerts) {
          const v = ids.personIds.indexOf(a.person_id);
          expect({ label, v, kind: a.kind, room: seesRoom(before, v) }).toEqual({ label, v, kind: a.kind, room: true });
          const m = made.find((x) => x.id === a.sitrep_id);
          if (m) {
            seen.sitrepMails++;
            expect({ label, v, sitrep: seesSitrep(before, v, m) }).toEqual({ label, v, sitrep: true });
          }
          if (a.kind === 'sitrep_due') expect({ label, v, coordinator: v }).toEqual({ label, v, coordinator: 0 });
        }
        seen.mails += mails.length;

        // The secretariat administers the outbox: the crisis's mails show there only if it may see the room.
        const outbox = await clients[secretariat]!.get('/api/v1/outbox?limit=500');
        expect(outbox.statusCode, outbox.body).toBe(200);
        const outboxText = JSON.stringify(outbox.json().items);
        const shown = outboxText.includes(title) || outboxText.includes(`/crises/${crisisId}`);
        if (shown) seen.inOutbox++;
        if (shown) expect({ label, mayRead: seesRoom(now, secretariat) }).toEqual({ label, mayRead: true });
        for (const m of made) expect(outboxText, label).not.toContain(m.summary);

        for (const v of [null, ...s.people.keys()]) {
          // The replay (Last-Event-ID from before the crisis): by the roster and markings as they are now.
          const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
          const events = (await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, start, 10_000)).filter((e) => e.subjectId === crisisId || made.some((m) => m.id === e.subjectId));
          for (const e of events) {
            const m = made.find((x) => x.id === e.subjectId);
            if (e.type === 'crisis.alert') expect((await t.db.selectFrom('crisis_alerts').select('person_id').where('id', '=', e.payload.alertId as string).executeTakeFirstOrThrow()).person_id, label).toBe(ids.personIds[v!]);
            expect({ label, v, type: e.type, allowed: m ? seesSitrep(now, v, m) : seesRoom(now, v) }).toEqual({ label, v, type: e.type, allowed: true });
          }
          const sitrepEvents = made.filter((m) => events.some((e) => e.type === 'sitrep.submitted' && e.subjectId === m.id));
          expect({ label, v, replayed: sitrepEvents.map((m) => m.id).sort() }).toEqual({ label, v, replayed: made.filter((m) => seesSitrep(now, v, m)).map((m) => m.id).sort() });
          if (v !== null && late.includes(v)) seen.replayedLate += sitrepEvents.length;
          if (v === null) continue;

          // The crisis list: exercises with ?exercise=true only, real crises with ?exercise=false only.
          const listed = async (q: string) => {
            const res = await clients[v]!.get(`/api/v1/crises?limit=200${q}`);
            return res.statusCode === 200 && (res.json().items as { id: string }[]).some((c) => c.id === crisisId);
          };
          expect({ label, v, real: await listed('&exercise=false'), exercises: await listed('&exercise=true'), all: await listed('') }).toEqual({
            label,
            v,
            real: seesRoom(now, v) && !exercise,
            exercises: seesRoom(now, v) && exercise,
            all: seesRoom(now, v),
          });
          if (exercise && seesRoom(now, v)) seen.exercises++;

          // The translation queue: the coordinators (and scribes) who may see the room.
          const queue = await clients[v]!.get('/api/v1/translations/queue');
          if (queue.statusCode !== 200) {
            expect({ label, v, status: queue.statusCode, vetted: s.orgs[s.people[v]!.org]!.approved }).toEqual({ label, v, status: 403, vetted: false });
            continue;
          }
          const inQueue = (queue.json().items as { kind: string; id: string }[]).some((x) => x.kind === 'crisis' && x.id === crisisId);
          expect({ label, v, inQueue }).toEqual({ label, v, inQueue: v === 0 });
          if (inQueue) seen.queued++;
          const xliff = await clients[v]!.get(`/api/v1/translations/crisis/${crisisId}/xliff?target=es`);
          expect({ label, v, status: xliff.statusCode }).toEqual({ label, v, status: v === 0 ? 200 : seesRoom(now, v) ? 403 : 404 });
          if (xliff.statusCode !== 200) expect(xliff.body, label).not.toContain(title);
        }
      }),
      { numRuns: 12, examples: [[NAMING_OUTSIDERS]] },
    );
    for (const [k, n] of Object.entries(seen)) expect({ k, some: n > 0 }).toEqual({ k, some: true });
  }, 600_000);
});
