/**
 * The record an event's minutes become carries the event's marking, and is seen by exactly those
 * who may see the event — for random worlds (test/worlds.ts) and every viewer including the
 * public, compared with the independent oracle `tlpOracle`: as a draft, by those of the writing
 * organisation the event allows; once published, by everyone the event allows. The event's link
 * to the record and the list's `record` filter follow the same rule.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../platform/auth/sessions.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

interface EventSpec {
  author: number;
  mark: Mark;
  /** Written by an admin of the author's organisation (another person of it), not the author. */
  byAdmin: boolean;
}

const audienceOf = (m: Mark, ids: { orgIds: string[]; commIds: string[]; personIds: string[] }) => ({
  audience_organisations: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs.map((o) => ids.orgIds[o]!) : [],
  audience_communities: m.tlp === 'AMBER' ? m.comms.map((k) => ids.commIds[k]!) : [],
  audience_people: m.tlp === 'RED' ? m.people.map((p) => ids.personIds[p]!) : [],
});

describe('the record of an event’s minutes under the access policy (property)', () => {
  it('carries the event’s marking and is seen by exactly those who may see the event', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    let made = 0;
    let seen = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 5, maxCommunities: 2 }),
        events: fc.array(fc.record({ author: fc.nat(), mark: markArb, byAdmin: fc.boolean() }), { minLength: 1, maxLength: 3 }),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        return { society: fit.society, events: w.events.map((e): EventSpec => ({ author: fit.person(e.author), mark: fit.mark(e.mark), byAdmin: e.byAdmin })) };
      });
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, events }) => {
        run++;
        const ids = await insertSociety(t.db, w, { country: 'PA', label: `mn${run}`, passwordHash: hash });
        const clients = new Map<number, { get: (url: string) => Promise<LightMyRequestResponse>; post: (url: string, body: unknown) => Promise<LightMyRequestResponse> }>();
        const as = async (v: number) => {
          if (!clients.has(v)) {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            clients.set(v, clientFor(t.app, `puente_session=${s.id}`, s.csrfToken));
          }
          return clients.get(v)!;
        };
        const records: { event: string; record: string; spec: EventSpec }[] = [];
        for (const [n, e] of events.entries()) {
          const id = newId();
          const authorOrg = w.people[e.author]!.org;
          await t.db
            .insertInto('event_items')
            .values({
              id,
              kind: 'exercise',
              title: `Exercise ${run}-${n}`,
              language: 'en',
              translations: '{}',
              place: 'Panamá',
              country_code: 'PA',
              // Over: its minutes may be written.
              starts_at: new Date('2025-06-01T14:00:00Z'),
              ends_at: new Date('2025-06-02T18:00:00Z'),
              time_zone: 'America/Panama',
              organiser_org_id: ids.orgIds[authorOrg]!,
              status: 'published',
              questions: '[]',
              tlp: e.mark.tlp,
              pap: 'AMBER',
              author_id: ids.personIds[e.author]!,
              author_org_id: ids.orgIds[authorOrg]!,
              ...audienceOf(e.mark, ids),
            })
            .execute();
          const colleague = w.people.findIndex((p, i) => i !== e.author && p.org === authorOrg);
          const writer = e.byAdmin && colleague >= 0 ? colleague : e.author;
          if (writer !== e.author) await t.db.updateTable('people').set({ roles: ['member', 'org_admin'] }).where('id', '=', ids.personIds[writer]!).execute();
          if (!w.orgs[authorOrg]!.approved) continue;
          const res = await (await as(writer)).post(`/api/v1/events/${id}/record`, { minutes: `Minutes of exercise ${run}-${n}.` });
          // An admin the marking leaves out (RED) does not even see the event.
          const writerSees = tlpOracle(w, writer, e.author, e.mark);
          expect({ writer, status: res.statusCode }).toEqual({ writer, status: writerSees ? 201 : 404 });
          if (!writerSees) continue;
          const record = res.json().id as string;
          made++;
          // The event's marking, as it stands in both tables.
          const [ev, rec] = await Promise.all([
            t.db.selectFrom('event_items').select(['tlp', 'pap', 'author_id', 'author_org_id', 'audience_organisations', 'audience_communities', 'audience_people', 'record_id']).where('id', '=', id).executeTakeFirstOrThrow(),
            t.db.selectFrom('activity_records').select(['tlp', 'pap', 'author_id', 'author_org_id', 'audience_organisations', 'audience_communities', 'audience_people', 'status']).where('id', '=', record).executeTakeFirstOrThrow(),
          ]);
          const { record_id, ...marking } = ev;
          expect(record_id).toBe(record);
          expect({ ...rec, status: undefined }).toEqual({ ...marking, status: undefined });
          expect(rec.status).toBe('draft');
          records.push({ event: id, record, spec: e });
        }

        const viewers: (number | null)[] = [null, ...w.people.map((_, i) => i)];
        const check = async (published: boolean) => {
          for (const v of viewers) {
            const get = v === null ? (url: string) => t.app.inject({ url }) : (await as(v)).get;
            for (const r of records) {
              const seesEvent = tlpOracle(w, v, r.spec.author, r.spec.mark);
              // A draft stays within the organisation that wrote the event (and within its marking).
              const want = seesEvent && (published || (v !== null && w.people[v]!.org === w.people[r.spec.author]!.org));
              if (want) seen++;
              const one = await get(`/api/v1/records/${r.record}`);
              expect({ v, published, record: one.statusCode }).toEqual({ v, published, record: want ? 200 : 404 });
              const event = await get(`/api/v1/events/${r.event}`);
              expect({ v, published, event: event.statusCode }).toEqual({ v, published, event: seesEvent ? 200 : 404 });
              if (seesEvent) expect({ v, published, link: (event.json() as { record: { id: string } | null }).record?.id ?? null }).toEqual({ v, published, link: want ? r.record : null });
              const listed = (await get(`/api/v1/events?record=${r.record}`)).json() as { items: { id: string }[] };
              expect({ v, published, listed: listed.items.map((x) => x.id) }).toEqual({ v, published, listed: seesEvent ? [r.event] : [] });
            }
          }
        };
        await check(false);
        // Published (the secretariat's step in the records workflow): the event's audience, exactly.
        if (records.length) await t.db.updateTable('activity_records').set({ status: 'published', published_at: new Date() }).where('id', 'in', records.map((r) => r.record)).execute();
        await check(true);
      }),
      { numRuns: 15 },
    );
    // The property looked at something: records were made, and seen by someone.
    expect(made).toBeGreaterThan(0);
    expect(seen).toBeGreaterThan(0);
  });
});
