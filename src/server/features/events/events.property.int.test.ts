/**
 * Events follow the access policy on every read path, for random worlds (test/worlds.ts) and
 * every viewer including the public: the list, the event, its calendar (.ics), its participant
 * list, its delegations, its materials (each also under its own marking), each person's
 * subscription feed, the mails an update sends, and the event stream's replay — each compared
 * with the independent oracle `tlpOracle`, never with the code's own canSee.
 */
import { sql } from 'kysely';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { systemActor } from '../../platform/actor.js';
import { loadPrincipalParts, type Principal } from '../../platform/auth/principal.js';
import { createSession } from '../../platform/auth/sessions.js';
import { platformOf } from '../../platform/deps.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { updateEvent } from './service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface EventSpec {
  author: number;
  mark: Mark;
  material: Mark;
}

const audienceOf = (m: Mark, ids: { orgIds: string[]; commIds: string[]; personIds: string[] }) => ({
  audience_organisations: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs.map((o) => ids.orgIds[o]!) : [],
  audience_communities: m.tlp === 'AMBER' ? m.comms.map((k) => ids.commIds[k]!) : [],
  audience_people: m.tlp === 'RED' ? m.people.map((p) => ids.personIds[p]!) : [],
});

describe('events under the access policy (property)', () => {
  it('list, event, calendar, participants, delegations, materials, feeds, mails and the stream agree with the TLP table for every viewer', async () => {
    const hash = await testPasswordHash();
    const p = platformOf(t.deps);
    let run = 0;
    let checked = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        events: fc.array(fc.record({ author: fc.nat(), mark: markArb, material: markArb }), { minLength: 1, maxLength: 3 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return { society: fit.society, events: w.events.map((e): EventSpec => ({ author: fit.person(e.author), mark: fit.mark(e.mark), material: fit.mark(e.material) })) };
      });
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, events }) => {
        run++;
        const word = `quetzal${run}x`;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `ev${run}`, passwordHash: hash });
        // Every person is a focal point of Panama: the delegation's names are theirs to see, when they may see the event.
        await t.db.insertInto('country_focal_points').values(ids.personIds.map((id) => ({ country_code: 'PA', person_id: id }))).execute();
        const startEvent = Number((await sql<{ n: string | null }>`SELECT max(id) AS n FROM events`.execute(t.db)).rows[0]!.n ?? 0);
        const made: { id: string; material: string; spec: EventSpec }[] = [];
        for (const [n, e] of events.entries()) {
          const id = newId();
          const authorOrg = ids.orgIds[w.people[e.author]!.org]!;
          await t.db
            .insertInto('event_items')
            .values({
              id,
              kind: 'policy-dialogue',
              title: `Dialogue ${word} ${n}`,
              description: `About ${word}`,
              language: 'en',
              translations: '{}',
              place: 'Panamá',
              country_code: 'PA',
              starts_at: new Date('2027-06-01T14:00:00Z'),
              ends_at: new Date('2027-06-01T18:00:00Z'),
              time_zone: 'America/Panama',
              organiser_org_id: authorOrg,
              status: 'published',
              registration_open: true,
              questions: '[]',
              tlp: e.mark.tlp,
              pap: 'GREEN',
              author_id: ids.personIds[e.author]!,
              author_org_id: authorOrg,
              ...audienceOf(e.mark, ids),
            })
            .execute();
          await t.db.insertInto('event_sessions').values({ id: newId(), event_id: id, title: `Session ${word}`, translations: '{}', starts_at: new Date('2027-06-01T14:00:00Z'), ends_at: new Date('2027-06-01T15:00:00Z') }).execute();
          const material = newId();
          await t.db
            .insertInto('event_materials')
            .values({
              id: material,
              event_id: id,
              session_id: null,
              title: `Slides ${word}`,
              url: null,
              file_name: 'slides.pdf',
              content_type: 'application/pdf',
              size_bytes: 9,
              content: Buffer.from('%PDF-1.4\n'),
              tlp: e.material.tlp,
              pap: 'GREEN',
              author_id: ids.personIds[e.author]!,
              author_org_id: authorOrg,
              ...audienceOf(e.material, ids),
            })
            .execute();
          // Everyone registered (as if when the event was wider), consenting, in Panama's delegation.
          const delegation = newId();
          await t.db.insertInto('event_delegations').values({ id: delegation, event_id: id, country_code: 'PA', quota: ids.personIds.length }).execute();
          await t.db
            .insertInto('event_registrations')
            .values(ids.personIds.map((pid, i) => ({ id: newId(), event_id: id, person_id: pid, organisation_id: ids.orgIds[w.people[i]!.org]!, status: 'confirmed', ticket: i + 1, delegation_id: delegation, consent_to_list: true, answers: '{}' })))
            .execute();
          made.push({ id, material, spec: e });
        }
        // An update by each event's author (when they may act): mails to registrants, and a stream event.
        for (const m of made) {
          const parts = await loadPrincipalParts(t.db, ids.personIds[m.spec.author]!);
          if (!parts?.viewer.vetted) continue;
          const actor = { ...systemActor({ ...parts, via: 'session', scope: 'write' } as Principal), readerLanguages: ['en'] };
          await updateEvent(p, actor, m.id, { place: `Ciudad de Panamá ${word}` });
        }

        const viewers: (number | null)[] = [null, ...w.people.map((_, i) => i)];
        for (const v of viewers) {
          const oracle = (mark: Mark, author: number) => tlpOracle(w, v, author, mark);
          const sees = (m: (typeof made)[number]) => oracle(m.spec.mark, m.spec.author);
          let get: (url: string) => Promise<LightMyRequestResponse>;
          if (v === null) get = (url) => t.app.inject({ url });
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const allowed = made.filter(sees).map((m) => m.id).sort();
          checked += allowed.length;
          const listed = (await get(`/api/v1/events?q=${word}&limit=100`)).json() as { items: { id: string }[] };
          expect({ v, listed: listed.items.map((i) => i.id).sort() }).toEqual({ v, listed: allowed });
          for (const m of made) {
            const want = sees(m) ? 200 : 404;
            const one = await get(`/api/v1/events/${m.id}`);
            expect({ v, e: m.id, status: one.statusCode }).toEqual({ v, e: m.id, status: want });
            const ics = await get(`/api/v1/events/${m.id}/calendar.ics`);
            expect({ v, ics: ics.statusCode }).toEqual({ v, ics: want });
            expect({ v, participants: (await get(`/api/v1/events/${m.id}/participants`)).statusCode }).toEqual({ v, participants: want });
            expect({ v, delegations: (await get(`/api/v1/events/${m.id}/delegations`)).statusCode }).toEqual({ v, delegations: want });
            const materialSeen = sees(m) && oracle(m.spec.material, m.spec.author);
            if (sees(m)) expect({ v, materials: (one.json() as { materials: { id: string }[] }).materials.map((x) => x.id) }).toEqual({ v, materials: materialSeen ? [m.material] : [] });
            expect({ v, download: (await get(`/api/v1/event-materials/${m.material}`)).statusCode }).toEqual({ v, download: materialSeen ? 200 : 404 });
          }
          if (v === null) continue;
          // The person's feed: everything they registered for, as far as they may see it now.
          const token = randomToken(32);
          await t.db.insertInto('calendar_feeds').values({ person_id: ids.personIds[v]!, token_hash: sha256(token) }).onConflict((oc) => oc.column('person_id').doUpdateSet({ token_hash: sha256(token) })).execute();
          const feed = await t.app.inject({ url: `/calendar/${token}.ics` });
          expect(feed.statusCode).toBe(200);
          const uids = [...feed.body.matchAll(/^UID:event-([0-9a-f-]{36})@/gm)].map((x) => x[1]).filter((id) => made.some((m) => m.id === id));
          expect({ v, feed: uids.sort() }).toEqual({ v, feed: allowed });
          // Mails about an update reach only those the event allows.
          const mailed = await t.db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('purpose', '=', 'event_updated').where('to_address', '=', `p-${ids.personIds[v]!}@example.test`).execute();
          const updated = made.filter((m) => mailed.some((x) => x.text_body?.includes(`Dialogue ${word} ${made.indexOf(m)}`)));
          for (const m of updated) expect({ v, mailed: m.id }).toEqual({ v, mailed: sees(m) ? m.id : 'none' });
          const authorsActed = made.filter((m) => sees(m) && w.orgs[w.people[m.spec.author]!.org]!.approved);
          expect(updated.length).toBe(authorsActed.length);
        }
        // The stream's replay: an event's update reaches only who may see it.
        for (const v of viewers) {
          const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
          const replay = await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, startEvent, 10_000);
          const got = made.filter((m) => replay.some((e) => e.subjectId === m.id)).map((m) => m.id).sort();
          const want = made.filter((m) => tlpOracle(w, v, m.spec.author, m.spec.mark) && w.orgs[w.people[m.spec.author]!.org]!.approved).map((m) => m.id).sort();
          expect({ v, stream: got }).toEqual({ v, stream: want });
        }
      }),
      { numRuns: 12 },
    );
    // The property looked at something: some events were visible to someone.
    expect(checked).toBeGreaterThan(0);
  });
});
