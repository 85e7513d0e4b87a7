/**
 * Crisis rooms under the access policy, on random societies: the room (AMBER to its members-only
 * community) and each sitrep (AMBER to the room and more, AMBER+STRICT, RED) reach exactly whom
 * the TLP table allows (the oracle of test/worlds.ts, not the code's own canSee) — through the
 * crisis list, the room read, the sitreps in it, the alerts (mine and the room's
 * acknowledgements), the exports (the room's PDF and its sitreps' CSV) and the event stream's replay.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { mostRestrictive, type Tlp } from '#shared/tlp';
import { parseCsv } from '../../platform/csv.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { createSession } from '../../platform/auth/sessions.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';
import './tables.js';

let t: TestApp;
const pdftotext = spawnSync('sh', ['-c', 'command -v pdftotext']).stdout.toString().trim();
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const SITREP = { impactSeverity: 'yellow', outlook: 'stable', summary: 'Situation', language: 'en' };

describe('crisis rooms under the access policy (property)', () => {
  it('the list, the room, its sitreps, alerts and the stream agree with the TLP table', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 5, maxCommunities: 2 }),
        members: fc.array(fc.nat(), { maxLength: 3 }),
        invited: fc.array(fc.nat(), { maxLength: 2 }),
        sitreps: fc.array(fc.record({ author: fc.nat(), mark: markArb }), { minLength: 1, maxLength: 4 }),
      })
      .map((w) => {
        // The declarer is person 0, in organisation 0, which is approved.
        const raw: Society = { ...w.society, orgs: w.society.orgs.map((o, i) => (i === 0 ? { approved: true } : o)), people: w.society.people.map((p, i) => (i === 0 ? { ...p, org: 0 } : p)) };
        const fit = fitTo(raw);
        const s = fit.society;
        const approved = (o: number) => s.orgs[o]!.approved;
        const members = [...new Set(w.members.map(fit.person))].filter((x) => x !== 0 && approved(s.people[x]!.org));
        const invited = [...new Set(w.invited.map((o) => o % s.orgs.length))].filter(approved);
        const roster = [0, ...members];
        const sitreps = w.sitreps.map((x) => {
          const m = fit.mark(x.mark);
          const tlp = m.tlp === 'CLEAR' || m.tlp === 'GREEN' ? 'AMBER' : m.tlp;
          const mark: Mark = tlp === 'RED' ? { tlp, orgs: [], comms: [], people: m.people } : { tlp, orgs: m.orgs.filter(approved), comms: tlp === 'AMBER' ? m.comms : [], people: [] };
          return { author: roster[x.author % roster.length]!, mark };
        });
        return { society: s, members, invited, sitreps };
      });
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: s, members, invited, sitreps }) => {
        run++;
        const ids = await insertSociety(t.db, s, { country: 'PA', label: `cr${run}`, passwordHash: hash });
        await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', '=', ids.personIds[0]!).execute();
        const clients: Client[] = [];
        for (const id of ids.personIds) {
          const sess = await createSession(t.db, id, t.deps.config.session, {});
          clients.push(clientFor(t.app, `puente_session=${sess.id}`, sess.csrfToken));
        }
        const start = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        const declared = await clients[0]!.post('/api/v1/crises', { title: `Crisis ${run}`, language: 'en', level: 'crisis', countries: ['PA'] });
        expect(declared.statusCode, declared.body).toBe(201);
        const crisisId = declared.json().id as string;
        for (const m of members) expect((await clients[0]!.post(`/api/v1/crises/${crisisId}/members`, { personId: ids.personIds[m], role: 'liaison' })).statusCode).toBe(200);
        for (const o of invited) expect((await clients[0]!.post(`/api/v1/crises/${crisisId}/members`, { organisationId: ids.orgIds[o] })).statusCode).toBe(200);

        // The room is one more community of the society: its people and invited organisations.
        const world: Society = { ...s, communities: [...s.communities, { orgs: invited, people: [0, ...members] }] };
        const ROOM = s.communities.length;
        const roomMark: Mark = { tlp: 'AMBER', orgs: [], comms: [ROOM], people: [] };
        const seesRoom = (v: number | null) => tlpOracle(world, v, 0, roomMark);

        const made: { id: string; number: number; summary: string; author: number; mark: Mark; addressees: number[] }[] = [];
        for (const [k, x] of sitreps.entries()) {
          const mark: Mark = x.mark.tlp === 'AMBER' ? { ...x.mark, comms: [ROOM, ...x.mark.comms.filter((c) => c !== ROOM)] } : x.mark;
          const body = {
            ...SITREP,
            summary: `Sitrep-R${run}-N${k}-end`,
            tlp: mark.tlp,
            audience: {
              organisations: mark.orgs.map((o) => ids.orgIds[o]!),
              communities: mark.comms.filter((c) => c !== ROOM).map((c) => ids.commIds[c]!),
              people: mark.people.map((p) => ids.personIds[p]!),
            },
          };
          const r = await clients[x.author]!.post(`/api/v1/crises/${crisisId}/sitreps`, body);
          expect(r.statusCode, r.body).toBe(201);
          const roster = [0, ...members];
          const addressees = mark.tlp === 'RED' ? mark.people.filter((p) => p !== x.author) : roster.filter((p) => p !== x.author && mark.orgs.includes(s.people[p]!.org));
          made.push({ id: r.json().id, number: r.json().number, summary: body.summary, author: x.author, mark, addressees });
        }
        const seesSitrep = (v: number | null, m: (typeof made)[number]) => seesRoom(v) && tlpOracle(world, v, m.author, m.mark);

        const viewers: (number | null)[] = [null, ...s.people.map((_, i) => i)];
        for (const v of viewers) {
          const get = (url: string) => (v === null ? anonymous(url) : clients[v]!.get(url));
          const label = `run ${run} viewer ${v} members ${members} invited ${invited} sitreps ${JSON.stringify(made.map((m) => [m.author, m.mark]))}`;
          const room = await get(`/api/v1/crises/${crisisId}`);
          expect(room.statusCode, label).toBe(seesRoom(v) ? 200 : 404);
          const list = await get('/api/v1/crises');
          if (v !== null && list.statusCode === 200) expect(list.json().items.some((c: { id: string }) => c.id === crisisId), label).toBe(seesRoom(v));
          else expect(seesRoom(v), label).toBe(false);
          if (room.statusCode === 200) {
            const shown = room.json().sitreps.map((x: { id: string }) => x.id).sort();
            expect(shown, label).toEqual(made.filter((m) => seesSitrep(v, m)).map((m) => m.id).sort());
            // The room's acknowledgements list alerts of sitreps the reader may see, no others.
            for (const a of room.json().acknowledgements) {
              const alert = await t.db.selectFrom('crisis_alerts').select('sitrep_id').where('id', '=', a.id).executeTakeFirstOrThrow();
              const m = made.find((x) => x.id === alert.sitrep_id);
              if (m) expect(seesSitrep(v, m), label).toBe(true);
            }
          }
          // The exports: the CSV's lines and the PDF's reports (read back by poppler) are exactly the sitreps the oracle allows, under the strictest TLP among them.
          const csv = await get(`/api/v1/crises/${crisisId}/sitreps.csv`);
          expect(csv.statusCode, label).toBe(seesRoom(v) ? 200 : 404);
          const allowed = made.filter((m) => seesSitrep(v, m));
          if (csv.statusCode === 200) {
            const lines = parseCsv(csv.body.replace(/^\uFEFF/, '')).slice(1);
            expect(lines.map((l) => Number(l[2])).sort(), label).toEqual(allowed.map((m) => m.number).sort());
          }
          const pdf = await get(`/api/v1/crises/${crisisId}/report.pdf`);
          expect(pdf.statusCode, label).toBe(seesRoom(v) ? 200 : 404);
          if (pdf.statusCode === 200 && pdftotext) {
            const dir = mkdtempSync(path.join(os.tmpdir(), 'crisis-pdf-'));
            writeFileSync(path.join(dir, 'r.pdf'), pdf.rawPayload);
            const text = spawnSync(pdftotext, ['-enc', 'UTF-8', path.join(dir, 'r.pdf'), '-']).stdout.toString('utf8');
            for (const m of made) expect(text.includes(m.summary), `${label} pdf ${m.summary}`).toBe(allowed.includes(m));
            const banner = allowed.map((m) => m.mark.tlp as Tlp).reduce<Tlp>(mostRestrictive, 'AMBER');
            expect(text, label).toContain(`TLP:${banner}`);
          }
          // My alerts: a sitrep addressed to me that I may see, in a room I may see.
          if (v !== null) {
            const mine = await get('/api/v1/crises/alerts');
            if (mine.statusCode === 200) {
              const got = mine.json().items.filter((a: { crisis: { id: string } }) => a.crisis.id === crisisId).map((a: { sitrepId: string }) => a.sitrepId).sort();
              expect(got, label).toEqual(made.filter((m) => m.addressees.includes(v) && seesSitrep(v, m)).map((m) => m.id).sort());
            }
          }
          // The stream: every event about the room or its sitreps reaches only who may see it, and each sitrep's reaches all who may.
          const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
          const events = (await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, start, 10_000)).filter((e) => e.subjectId === crisisId || made.some((m) => m.id === e.subjectId));
          for (const e of events) {
            const m = made.find((x) => x.id === e.subjectId || x.id === e.payload.sitrepId);
            if (e.type === 'crisis.alert') expect((await t.db.selectFrom('crisis_alerts').select('person_id').where('id', '=', e.payload.alertId as string).executeTakeFirstOrThrow()).person_id, label).toBe(ids.personIds[v!]);
            if (m) expect(seesSitrep(v, m), `${label} ${e.type}`).toBe(true);
            else expect(seesRoom(v), `${label} ${e.type}`).toBe(true);
          }
          for (const m of made) expect(events.some((e) => e.type === 'sitrep.submitted' && e.subjectId === m.id), label).toBe(seesSitrep(v, m));
        }
      }),
      { numRuns: 12 },
    );
  });
});
