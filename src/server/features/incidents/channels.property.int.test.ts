/**
 * The other ways an incident report leaves Puente, on random societies (issue 13's leak bar): reports
 * written through the API (so that the service stores their STIX `incident` in the intel store, announces
 * them, clocks them), some re-marked afterwards, with narrative updates and links to objects of the
 * STIX store under markings of their own. Then every reader — the public, every person, a secretariat
 * of its own organisation — is compared with the TLP table of test/worlds.ts (not the code's canSee):
 *
 * - the STIX bundle (`GET …/stix`): the report only to who may see it, with exactly the linked objects
 *   the reader may see, and no trace (id, text) of an object or a timeline entry they may not;
 * - TAXII 2.1: the stored `incident` objects in the reader's view of the store, each version under the
 *   marking it was stored with (the intel store's rule), exercise reports labelled `exercise`;
 * - the event stream's replay (what a client resuming with Last-Event-ID gets: hub.since, as the stream
 *   route replays): each event only to who may see it and the report as it is marked now;
 * - the NIS2 reminders (job `incidents.report_reminders`, purpose `incident_report_due`): to the owner's
 *   members the report allows, no one else; no RED title in a subject; and the secretariat's outbox
 *   shows a reminder only when it may see the report;
 * - the translation queue and XLIFF: a report only to the owner's members who may see it, no exercise.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentReport } from '#shared/incidents';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { createSession, TOKEN_PREFIX } from '../../platform/auth/sessions.js';
import { platformOf } from '../../platform/deps.js';
import { publishEvent } from '../../platform/events.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { SseClient } from '../../test/sse.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';
import { ingestObjects } from '../intel/store.js';
import { EVERYTHING_COLLECTION_ID } from '../intel/taxii/service.js';
import { sendReportReminders } from './reminders.js';
import { PUENTE_INCIDENT_EXTENSION_ID } from './stix.js';

const TAXII = 'application/taxii+json;version=2.1';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => t?.close());

/** A client reconnecting with Last-Event-ID: what GET /api/v1/stream replays to it, up to a sentinel everyone sees. */
async function reconnect(cookie: string, lastEventId: number) {
  const s = await SseClient.open(base, { cookie, 'last-event-id': String(lastEventId) });
  if (s.status !== 200) return null;
  try {
    const sentinel = newId();
    await publishEvent(t.db, { type: 'organisation.updated', subjectType: 'organisation', subjectId: sentinel, payload: {}, marking: { tlp: 'CLEAR', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: [] } } });
    await s.waitForSubject(sentinel, 'organisation.updated');
    return s.events.flatMap((e) => (e.data ? [e.data] : []));
  } finally {
    await s.close();
  }
}

type Ids = { orgIds: string[]; commIds: string[]; personIds: string[] };

/** The marking as the API takes it (an audience only where the level has one). */
function apiMarking(m: Mark, ids: Ids) {
  if (m.tlp === 'CLEAR' || m.tlp === 'GREEN') return { tlp: m.tlp };
  if (m.tlp === 'RED') return { tlp: m.tlp, audience: { people: m.people.map((p) => ids.personIds[p]!) } };
  if (m.tlp === 'AMBER+STRICT') return { tlp: m.tlp, audience: { organisations: m.orgs.map((o) => ids.orgIds[o]!) } };
  return { tlp: m.tlp, audience: { organisations: m.orgs.map((o) => ids.orgIds[o]!), communities: m.comms.map((c) => ids.commIds[c]!) } };
}

/** What a row stores, as indices of the society, for the oracle. */
function markOf(row: { tlp: string; audience_organisations: string[]; audience_communities: string[]; audience_people: string[] }, ids: Ids): Mark {
  return {
    tlp: row.tlp as Mark['tlp'],
    orgs: row.audience_organisations.map((x) => ids.orgIds.indexOf(x)),
    comms: row.audience_communities.map((x) => ids.commIds.indexOf(x)),
    people: row.audience_people.map((x) => ids.personIds.indexOf(x)),
  };
}
const sameMark = (a: Mark, b: Mark) => JSON.stringify([a.tlp, [...a.orgs].sort(), [...a.comms].sort(), [...a.people].sort()]) === JSON.stringify([b.tlp, [...b.orgs].sort(), [...b.comms].sort(), [...b.people].sort()]);

interface IncidentSpec {
  author: number;
  mark: Mark;
  exercise: boolean;
  /** Re-marked by its author after it was written (null: kept). */
  remark: Mark | null;
  updates: { by: number; mark: Mark }[];
  links: number[];
}
interface World {
  society: Society;
  secretariat: number;
  objects: { author: number; mark: Mark }[];
  incidents: IncidentSpec[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
    objects: fc.array(fc.record({ author: fc.nat(), mark: markArb }), { maxLength: 3 }),
    incidents: fc.array(
      fc.record({
        author: fc.nat(),
        mark: markArb,
        exercise: fc.boolean(),
        remark: fc.option(markArb, { nil: null, freq: 2 }),
        updates: fc.array(fc.record({ by: fc.nat(), mark: markArb }), { maxLength: 2 }),
        links: fc.array(fc.nat(), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    // The secretariat: one more person, in an approved organisation of its own, in no community.
    const society: Society = { ...fit.society, orgs: [...fit.society.orgs, { approved: true }], people: [...fit.society.people, { org: fit.society.orgs.length }] };
    const n = w.objects.length;
    return {
      society,
      secretariat: society.people.length - 1,
      objects: w.objects.map((o) => ({ author: fit.person(o.author), mark: fit.mark(o.mark) })),
      incidents: w.incidents.map((i) => ({
        author: fit.person(i.author),
        mark: fit.mark(i.mark),
        exercise: i.exercise,
        remark: i.remark && fit.mark(i.remark),
        updates: i.updates.map((u) => ({ by: fit.person(u.by), mark: fit.mark(u.mark) })),
        links: n ? [...new Set(i.links.map((x) => x % n))] : [],
      })),
    };
  });

const NONE = { orgs: [], comms: [], people: [] };
/**
 * A world that reaches every channel, run before the random ones (which reach each only most of the time):
 * an AMBER report to its organisation only, whose reader in a community must not get it over TAXII, linked to
 * an object shared with that community, with a RED update; an exercise report narrowed after it was written;
 * a RED report naming a reader elsewhere (its reminder names no title); a CLEAR one the secretariat may read.
 */
const COVERING_WORLD: World = {
  society: { orgs: [{ approved: true }, { approved: true }, { approved: true }], people: [{ org: 0 }, { org: 1 }, { org: 0 }, { org: 2 }], communities: [{ orgs: [], people: [1] }] },
  secretariat: 3,
  objects: [{ author: 1, mark: { tlp: 'AMBER', ...NONE, comms: [0] } }],
  incidents: [
    { author: 0, mark: { tlp: 'AMBER', ...NONE }, exercise: false, remark: null, updates: [{ by: 2, mark: { tlp: 'RED', ...NONE, people: [0] } }], links: [0] },
    { author: 0, mark: { tlp: 'GREEN', ...NONE }, exercise: true, remark: { tlp: 'AMBER+STRICT', ...NONE }, updates: [], links: [] },
    { author: 0, mark: { tlp: 'RED', ...NONE, people: [1] }, exercise: false, remark: null, updates: [], links: [] },
    { author: 2, mark: { tlp: 'CLEAR', ...NONE }, exercise: false, remark: null, updates: [], links: [] },
  ],
};

/** Reports the reader may see in the world where everything got through: the channels below must have carried something. */
const seen = { stix: 0, hidden: 0, linksShown: 0, linksHidden: 0, remarked: 0, taxii: 0, taxiiExercise: 0, replayed: 0, resumed: 0, reminders: 0, redReminders: 0, inOutbox: 0, queued: 0 };

describe('incident reports through STIX, TAXII, the stream replay, mail and the translation queue (property)', () => {
  it('every reader gets exactly what the TLP table allows', async () => {
    const hash = await testPasswordHash();
    const p = platformOf(t.deps);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, secretariat, objects, incidents }) => {
        run++;
        const marker = (k: number) => `zq${run}i${k}x`;
        const startEvent = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        const ids = await insertSociety(t.db, w, { country: 'CO', label: `ich${run}`, passwordHash: hash });
        await t.db.updateTable('people').set({ roles: ['member', 'secretariat'] }).where('id', '=', ids.personIds[secretariat]!).execute();
        const vetted = (x: number) => w.orgs[w.people[x]!.org]!.approved;
        const clients: Client[] = [];
        for (const id of ids.personIds) {
          const s = await createSession(t.db, id, t.deps.config.session, {});
          clients.push(clientFor(t.app, `puente_session=${s.id}`, s.csrfToken));
        }

        // Objects of the STIX store, each under its own marking (read back as the store keeps it).
        const stixIds = objects.map(() => `malware--${crypto.randomUUID()}`);
        const objectMarks: Mark[] = [];
        for (const [k, o] of objects.entries()) {
          const at = '2026-01-01T00:00:00.000Z';
          const r = await ingestObjects(p, [{ type: 'malware', spec_version: '2.1', id: stixIds[k], created: at, modified: at, name: `obj zq${run}o${k}x`, is_family: true }], {
            source: 'test',
            actor: { personId: ids.personIds[o.author]!, organisationId: ids.orgIds[w.people[o.author]!.org]!, viewer: null },
            defaultTlp: o.mark.tlp,
            audience: { organisations: o.mark.orgs.map((x) => ids.orgIds[x]!), communities: o.mark.comms.map((x) => ids.commIds[x]!), people: o.mark.people.map((x) => ids.personIds[x]!) },
          });
          expect(r.results[0]!.status).toBe('accepted');
          objectMarks.push(markOf(await t.db.selectFrom('intel_objects').select(['tlp', 'audience_organisations', 'audience_communities', 'audience_people']).where('stix_id', '=', stixIds[k]!).executeTakeFirstOrThrow(), ids));
        }
        const seesObject = (v: number | null, k: number) => tlpOracle(w, v, objects[k]!.author, objectMarks[k]!);

        // Reports as members write them; what the API refuses (an unvetted author, a wider update) is simply not there.
        const awareAt = new Date(Date.now() - 20 * 3_600_000).toISOString();
        const made: { k: number; id: string; stixId: string; spec: IncidentSpec; marks: Mark[]; now: Mark; updates: { id: string; text: string; by: number; mark: Mark }[] }[] = [];
        for (const [k, i] of incidents.entries()) {
          if (!vetted(i.author)) continue;
          const c = clients[i.author]!;
          const res = await c.post('/api/v1/incidents', {
            title: `Incident ${marker(k)}`,
            description: `What happened ${marker(k)}`,
            language: 'en',
            rsitClass: 'malicious-code/infected-system',
            awareAt,
            exercise: i.exercise,
            ...apiMarking(i.mark, ids),
          });
          // An audience naming an organisation not approved is refused: 400, and nothing is written.
          if (res.statusCode === 400) continue;
          expect(res.statusCode, res.body).toBe(201);
          const r = res.json() as IncidentReport;
          const row = () => t.db.selectFrom('incident_reports').select(['stix_id', 'tlp', 'audience_organisations', 'audience_communities', 'audience_people']).where('id', '=', r.id).executeTakeFirstOrThrow();
          const first = await row();
          const marks = [markOf(first, ids)];
          const updates: (typeof made)[number]['updates'] = [];
          for (const [u, x] of i.updates.entries()) {
            if (!vetted(x.by) || w.people[x.by]!.org !== w.people[i.author]!.org) continue;
            const text = `update zq${run}i${k}u${u}x`;
            const up = await clients[x.by]!.post(`/api/v1/incidents/${r.id}/updates`, { text, language: 'en', marking: { ...apiMarking(x.mark, ids), pap: 'AMBER' } });
            if (up.statusCode !== 201) continue;
            const entry = await t.db.selectFrom('incident_entries').select(['id', 'tlp', 'audience_organisations', 'audience_communities', 'audience_people']).where('incident_id', '=', r.id).where('text', '=', text).executeTakeFirstOrThrow();
            updates.push({ id: entry.id, text, by: x.by, mark: markOf(entry, ids) });
          }
          // Links made when the object was shared with the owner, whatever it is marked now.
          for (const l of i.links) await t.db.insertInto('incident_links').values({ incident_id: r.id, stix_id: stixIds[l]!, relationship: 'related-to' }).execute();
          if (i.remark) {
            const re = await c.patch(`/api/v1/incidents/${r.id}`, apiMarking(i.remark, ids));
            expect([200, 400], re.body).toContain(re.statusCode);
          }
          const now = markOf(await row(), ids);
          if (!sameMark(now, marks[0]!)) marks.push(now);
          made.push({ k, id: r.id, stixId: first.stix_id, spec: i, marks, now, updates });
        }
        seen.remarked += made.filter((m) => m.marks.length > 1).length;
        // The author wrote every report: the oracle reads each of its markings with them as author.
        const sees = (v: number | null, m: (typeof made)[number], mark = m.now) => tlpOracle(w, v, m.spec.author, mark);

        // The reminders the job sends now (early warnings due in four hours), read back from the outbox.
        const mailer = p.mailer;
        await sendReportReminders({ db: t.db, mailer, baseUrl: 'https://puente.example', now: new Date() });
        const mails = await t.db.selectFrom('mail_outbox').select(['id', 'to_address', 'subject', 'text_body', 'tlp']).where('purpose', '=', 'incident_report_due').where('to_address', 'in', ids.personIds.map((x) => `p-${x}@example.test`)).execute();
        for (const m of made) {
          const about = mails.filter((x) => x.text_body?.includes(`/incidents/${m.id}`));
          const ownerOrg = w.people[m.spec.author]!.org;
          const want = w.people.flatMap((x, i) => (x.org === ownerOrg && vetted(i) && sees(i, m) ? [`p-${ids.personIds[i]}@example.test`] : [])).sort();
          expect({ k: m.k, to: about.map((x) => x.to_address).sort() }).toEqual({ k: m.k, to: want });
          for (const x of about) {
            expect({ k: m.k, titleInSubject: x.subject.includes(marker(m.k)) }).toEqual({ k: m.k, titleInSubject: m.now.tlp !== 'RED' });
            expect({ k: m.k, exerciseInSubject: x.subject.includes('EXERCISE') }).toEqual({ k: m.k, exerciseInSubject: m.spec.exercise });
            expect(x.tlp).toBe(m.now.tlp);
            // A reminder speaks of its report only: nothing of another report, an update or a linked object.
            for (const o of made) if (o !== m) expect(`${x.subject}\n${x.text_body}`).not.toContain(marker(o.k));
            expect(`${x.subject}\n${x.text_body}`).not.toMatch(/update zq|obj zq/);
          }
          seen.reminders += about.length;
          if (m.now.tlp === 'RED') seen.redReminders += about.length;
        }
        // The secretariat administers the outbox and reads there only the reminders of reports it may see.
        const outbox = await clients[secretariat]!.get('/api/v1/outbox?limit=500&purpose=incident_report_due');
        expect(outbox.statusCode, outbox.body).toBe(200);
        const outboxText = JSON.stringify(outbox.json().items);
        for (const m of made) {
          const shown = outboxText.includes(`/incidents/${m.id}`) || outboxText.includes(marker(m.k));
          if (shown) seen.inOutbox++;
          if (shown) expect({ k: m.k, mayRead: sees(secretariat, m) }).toEqual({ k: m.k, mayRead: true });
        }

        const tokens = ids.personIds.map(() => `${TOKEN_PREFIX}${randomToken(32)}`);
        await t.db
          .insertInto('api_tokens')
          .values(ids.personIds.map((id, i) => ({ id: newId(), person_id: id, name: 'prop', scope: 'read', token_hash: sha256(tokens[i]!), prefix: tokens[i]!.slice(0, 12), expires_at: new Date(Date.now() + 3_600_000) })))
          .execute();
        try {
          for (const v of [null, ...w.people.keys()]) {
            const get = (url: string) => (v === null ? t.app.inject({ method: 'GET', url }) : clients[v]!.get(url));

            // The STIX bundle.
            for (const m of made) {
              const res = await get(`/api/v1/incidents/${m.id}/stix`);
              expect({ v, k: m.k, status: res.statusCode }).toEqual({ v, k: m.k, status: sees(v, m) ? 200 : 404 });
              if (res.statusCode !== 200) {
                seen.hidden++;
                expect(res.body).not.toContain(marker(m.k));
                continue;
              }
              seen.stix++;
              const objs = (res.json() as { objects: { id: string; type: string; labels?: string[]; extensions?: Record<string, { exercise?: boolean }> }[] }).objects;
              const incident = objs.filter((o) => o.type === 'incident');
              expect(incident.map((o) => o.id)).toEqual([m.stixId]);
              expect({ v, k: m.k, exercise: incident[0]!.extensions?.[PUENTE_INCIDENT_EXTENSION_ID]?.exercise ?? false }).toEqual({ v, k: m.k, exercise: m.spec.exercise });
              const shown = m.spec.links.filter((l) => seesObject(v, l));
              expect({ v, k: m.k, related: objs.filter((o) => o.type === 'malware').map((o) => o.id).sort() }).toEqual({ v, k: m.k, related: shown.map((l) => stixIds[l]!).sort() });
              seen.linksShown += shown.length;
              for (const l of m.spec.links.filter((x) => !seesObject(v, x))) {
                seen.linksHidden++;
                expect({ v, k: m.k, l, leaked: res.body.includes(stixIds[l]!) || res.body.includes(`zq${run}o${l}x`) }).toEqual({ v, k: m.k, l, leaked: false });
              }
              // The timeline is not exported: no update's id or text, whoever may read it.
              for (const u of m.updates) expect({ v, k: m.k, leaked: res.body.includes(u.id) || res.body.includes(u.text) }).toEqual({ v, k: m.k, leaked: false });
              for (const o of made) if (o !== m) expect(res.body).not.toContain(marker(o.k));
            }

            // The event stream's replay.
            const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
            const replay = (await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, startEvent, 10_000)).filter((e) => made.some((m) => m.id === e.subjectId));
            const got = replay.filter((e) => ['incident.created', 'incident.updated', 'incident.update_added'].includes(e.type)).map((e) => `${e.subjectId}:${e.type}:${e.type === 'incident.update_added' ? String(e.payload.entryId) : ''}`);
            const want = made.flatMap((m) =>
              !sees(v, m)
                ? []
                : [
                    ...(sees(v, m, m.marks[0]) ? [`${m.id}:incident.created:`] : []),
                    ...(m.marks.length > 1 ? [`${m.id}:incident.updated:`] : []),
                    ...m.updates.filter((u) => tlpOracle(w, v, u.by, u.mark)).map((u) => `${m.id}:incident.update_added:${u.id}`),
                  ],
            );
            expect({ v, events: got.sort() }).toEqual({ v, events: want.sort() });
            for (const e of replay) {
              const m = made.find((x) => x.id === e.subjectId)!;
              expect({ v, k: m.k, type: e.type, allowed: sees(v, m) }).toEqual({ v, k: m.k, type: e.type, allowed: true });
              expect(JSON.stringify(e.payload)).not.toMatch(/update zq|obj zq/);
            }
            seen.replayed += got.length;
            // The same through the stream route itself, as a client resuming with Last-Event-ID receives it.
            if (v !== null) {
              const resumed = await reconnect(clients[v]!.cookie, startEvent);
              if (resumed) {
                const overSse = resumed.filter((e) => made.some((m) => m.id === e.subjectId)).map((e) => `${e.subjectId}:${e.type}:${e.type === 'incident.update_added' ? String(e.payload.entryId) : ''}`);
                for (const e of resumed.filter((x) => made.some((m) => m.id === x.subjectId))) expect({ v, type: e.type, allowed: sees(v, made.find((m) => m.id === e.subjectId)!) }).toEqual({ v, type: e.type, allowed: true });
                expect({ v, sse: overSse.filter((x) => /:incident\.(created|updated|update_added):/.test(x)).sort() }).toEqual({ v, sse: want.sort() });
                seen.resumed++;
              }
            }

            if (v === null) {
              expect((await t.app.inject({ method: 'GET', url: `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/objects/` })).statusCode).toBe(401);
              continue;
            }

            // TAXII: the stored incident objects, each version under the marking it was stored with.
            if (made.length) {
              const taxii = await t.app.inject({
                method: 'GET',
                url: `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/objects/?match[id]=${made.map((m) => m.stixId).join(',')}&limit=100`,
                headers: { accept: TAXII, authorization: `Bearer ${tokens[v]}` },
              });
              expect(taxii.statusCode, taxii.body).toBe(200);
              const listed = ((taxii.json().objects ?? []) as { id: string; labels?: string[]; name: string }[]).filter((o) => o.id.startsWith('incident--'));
              const allowed = made.filter((m) => m.marks.some((x) => sees(v, m, x)));
              expect({ v, taxii: listed.map((o) => o.id).sort() }).toEqual({ v, taxii: allowed.map((m) => m.stixId).sort() });
              for (const o of listed) {
                const m = made.find((x) => x.stixId === o.id)!;
                expect({ v, k: m.k, exercise: (o.labels ?? []).includes('exercise') }).toEqual({ v, k: m.k, exercise: m.spec.exercise });
                if (m.spec.exercise) seen.taxiiExercise++;
              }
              seen.taxii += listed.length;
              const manifest = await t.app.inject({
                method: 'GET',
                url: `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/manifest/?match[id]=${made.map((m) => m.stixId).join(',')}&limit=100`,
                headers: { accept: TAXII, authorization: `Bearer ${tokens[v]}` },
              });
              expect(manifest.statusCode, manifest.body).toBe(200);
              expect({ v, manifest: [...new Set(((manifest.json().objects ?? []) as { id: string }[]).map((o) => o.id))].sort() }).toEqual({ v, manifest: allowed.map((m) => m.stixId).sort() });
            }

            // The translation queue and XLIFF: the owner's members translate what they may see; never an exercise.
            const queue = await get('/api/v1/translations/queue');
            if (!vetted(v)) {
              expect(queue.statusCode).toBe(403);
              continue;
            }
            expect(queue.statusCode, queue.body).toBe(200);
            const inQueue = (queue.json().items as { kind: string; id: string }[]).filter((x) => x.kind === 'incident' && made.some((m) => m.id === x.id)).map((x) => x.id);
            const translates = (m: (typeof made)[number]) => sees(v, m) && w.people[m.spec.author]!.org === w.people[v]!.org;
            expect({ v, queue: inQueue.sort() }).toEqual({ v, queue: made.filter((m) => translates(m) && !m.spec.exercise).map((m) => m.id).sort() });
            seen.queued += inQueue.length;
            for (const m of made) {
              const x = await get(`/api/v1/translations/incident/${m.id}/xliff?target=es`);
              expect({ v, k: m.k, status: x.statusCode }).toEqual({ v, k: m.k, status: translates(m) ? 200 : sees(v, m) ? 403 : 404 });
              if (x.statusCode !== 200) expect(x.body).not.toContain(marker(m.k));
            }
          }
        } finally {
          await t.db.deleteFrom('api_tokens').where('person_id', 'in', ids.personIds).execute();
        }
      }),
      { numRuns: 14, examples: [[COVERING_WORLD]] },
    );
    // Not vacuous: each channel carried something, and something was kept from someone.
    for (const [k, n] of Object.entries(seen)) expect({ k, some: n > 0 }).toEqual({ k, some: true });
  }, 600_000);
});
