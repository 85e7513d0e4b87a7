import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentListItem, IncidentReport } from '#shared/incidents';
import { ANONYMOUS, markingOf } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { createSession } from '../../platform/auth/sessions.js';
import { platformOf } from '../../platform/deps.js';
import { publishEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { clientFor, createTestApp, testPasswordHash, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { ingestObjects } from '../intel/store.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** A marking as a table stores it: audiences only where the level has them. */
const stored = (m: Mark): Mark => ({
  tlp: m.tlp,
  orgs: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? m.orgs : [],
  comms: m.tlp === 'AMBER' ? m.comms : [],
  people: m.tlp === 'RED' ? m.people : [],
});

interface EntrySpec {
  author: number;
  mark: Mark;
}
interface IncidentSpec {
  author: number;
  /** Handed over to the organisation of this person (else owned by the author's organisation). */
  owner: number | null;
  mark: Mark;
  exercise: boolean;
  entries: EntrySpec[];
  /** Indices of the objects linked. */
  links: number[];
}

describe('incident reports (property)', () => {
  it('every reader gets exactly what the oracle allows: the list and its filters, the report, its timeline entries, its links, and the event stream', async () => {
    const hash = await testPasswordHash();
    const p = platformOf(t.deps);
    let run = 0;
    let seen = 0;
    const worldArb = fc
      .record({
        society: societyArb({ maxOrgs: 3, maxPeople: 4, maxCommunities: 2 }),
        objects: fc.array(fc.record({ author: fc.nat(), mark: markArb }), { maxLength: 3 }),
        incidents: fc.array(
          fc.record({
            author: fc.nat(),
            owner: fc.option(fc.nat(), { nil: null }),
            mark: markArb,
            exercise: fc.boolean(),
            entries: fc.array(fc.record({ author: fc.nat(), mark: markArb }), { maxLength: 3 }),
            links: fc.array(fc.nat(), { maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
      })
      .map((w) => {
        const fit = fitTo(w.society);
        const n = w.objects.length;
        return {
          society: fit.society,
          objects: w.objects.map((o) => ({ author: fit.person(o.author), mark: stored(fit.mark(o.mark)) })),
          incidents: w.incidents.map(
            (i): IncidentSpec => ({
              author: fit.person(i.author),
              owner: i.owner === null ? null : fit.person(i.owner),
              mark: stored(fit.mark(i.mark)),
              exercise: i.exercise,
              entries: i.entries.map((e) => ({ author: fit.person(e.author), mark: stored(fit.mark(e.mark)) })),
              links: n ? [...new Set(i.links.map((x) => x % n))] : [],
            }),
          ),
        };
      });
    await fc.assert(
      fc.asyncProperty(worldArb, async ({ society: w, objects, incidents }) => {
        run++;
        const word = `basalt${run}q`;
        const ids = await insertSociety(t.db, w, { country: 'CO', label: `inc${run}`, passwordHash: hash });
        const orgOf = (person: number) => ids.orgIds[w.people[person]!.org]!;
        const aud = (m: Mark) => ({ organisations: m.orgs.map((x) => ids.orgIds[x]!), communities: m.comms.map((x) => ids.commIds[x]!), people: m.people.map((x) => ids.personIds[x]!) });
        const lastEvent = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);

        // Objects of the STIX store, each with its own marking as the store keeps it.
        const stixIds = objects.map(() => `malware--${crypto.randomUUID()}`);
        const objectMarks: Mark[] = [];
        for (const [k, o] of objects.entries()) {
          const at = '2026-01-01T00:00:00.000Z';
          const r = await ingestObjects(p, [{ type: 'malware', spec_version: '2.1', id: stixIds[k], created: at, modified: at, name: `m${run}-${k}`, is_family: true }], {
            source: 'test',
            actor: { personId: ids.personIds[o.author]!, organisationId: orgOf(o.author), viewer: null },
            defaultTlp: o.mark.tlp,
            audience: aud(o.mark),
          });
          expect(r.results[0]!.status).toBe('accepted');
          const row = await t.db.selectFrom('intel_objects').select(['tlp', 'audience_organisations', 'audience_communities', 'audience_people']).where('stix_id', '=', stixIds[k]!).executeTakeFirstOrThrow();
          objectMarks.push({
            tlp: row.tlp as Mark['tlp'],
            orgs: row.audience_organisations.map((x) => ids.orgIds.indexOf(x)),
            comms: row.audience_communities.map((x) => ids.commIds.indexOf(x)),
            people: row.audience_people.map((x) => ids.personIds.indexOf(x)),
          });
        }

        // Reports as the service stores them: the owner in the audience of AMBER and AMBER+STRICT.
        const made: { id: string; spec: IncidentSpec; mark: Mark; entryIds: { id: string; mark: Mark; author: number; link?: number }[] }[] = [];
        for (const [n, i] of incidents.entries()) {
          const id = newId();
          const owner = i.owner ?? i.author;
          const ownerOrg = w.people[owner]!.org;
          const mark: Mark = i.mark.tlp === 'AMBER' || i.mark.tlp === 'AMBER+STRICT' ? { ...i.mark, orgs: [...new Set([...i.mark.orgs, ownerOrg])] } : i.mark;
          const row = {
            id,
            stix_id: `incident--${id}`,
            title: `Incident ${word} ${n}`,
            description: 'x',
            language: 'en',
            translations: '{}',
            rsit_class: n % 2 ? 'availability/ddos' : 'malicious-code/infected-system',
            sectors: n % 2 ? ['energy'] : ['health'],
            countries: n % 2 ? ['CO'] : ['CL'],
            aware_at: new Date(Date.now() - (n + 1) * 3_600_000),
            owner_org_id: ids.orgIds[ownerOrg]!,
            exercise: i.exercise,
            tlp: mark.tlp,
            pap: 'AMBER',
            author_id: ids.personIds[i.author]!,
            author_org_id: orgOf(i.author),
            ...((a) => ({ audience_organisations: a.organisations, audience_communities: a.communities, audience_people: a.people }))(aud(mark)),
          };
          await t.db.insertInto('incident_reports').values(row).execute();
          await publishEvent(t.db, { type: 'incident.created', subjectType: 'incident', subjectId: id, payload: { id, title: row.title }, marking: markingOf(row) });
          const entryIds: (typeof made)[number]['entryIds'] = [];
          const entry = async (e: { author: number; mark: Mark }, action: string, detail: Record<string, unknown>, link?: number) => {
            const eid = newId();
            const er = {
              id: eid,
              incident_id: id,
              action,
              detail: JSON.stringify(detail),
              text: `entry ${word}`,
              pap: 'AMBER',
              tlp: e.mark.tlp,
              author_id: ids.personIds[e.author]!,
              author_org_id: orgOf(e.author),
              ...((a) => ({ audience_organisations: a.organisations, audience_communities: a.communities, audience_people: a.people }))(aud(e.mark)),
            };
            await t.db.insertInto('incident_entries').values(er).execute();
            entryIds.push({ id: eid, mark: e.mark, author: e.author, link });
            if (action === 'update') await publishEvent(t.db, { type: 'incident.update_added', subjectType: 'incident', subjectId: id, payload: { id, entryId: eid }, marking: markingOf(er) });
          };
          for (const e of i.entries) await entry(e, 'update', {});
          for (const k of i.links) {
            await t.db.insertInto('incident_links').values({ incident_id: id, stix_id: stixIds[k]!, relationship: 'related-to' }).execute();
            // The link's entry carries the report's marking; it names the object.
            await entry({ author: i.author, mark }, 'link', { stixId: stixIds[k] }, k);
          }
          made.push({ id, spec: i, mark, entryIds });
        }

        // Independent of the code under test: the TLP table of DESIGN.md §3 (worlds.ts).
        const sees = (v: number | null, m: (typeof made)[number]) => tlpOracle(w, v, m.spec.author, m.mark);
        const mine = (xs: string[]) => xs.filter((x) => made.some((m) => m.id === x)).sort();
        for (const v of [null, ...w.people.keys()]) {
          let get: (url: string) => Promise<{ statusCode: number; json: () => unknown }>;
          if (v === null) get = (url) => t.app.inject({ method: 'GET', url });
          else {
            const s = await createSession(t.db, ids.personIds[v]!, t.deps.config.session, {});
            const client = clientFor(t.app, `puente_session=${s.id}`, s.csrfToken);
            get = (url) => client.get(url);
          }
          const may = made.filter((m) => sees(v, m));
          seen += may.length;
          const want = (pick: (m: (typeof made)[number]) => boolean) => may.filter(pick).map((m) => m.id).sort();
          const listed = async (query: string) => mine(((await get(`/api/v1/incidents?q=${word}&limit=200&${query}`)).json() as { items?: IncidentListItem[] }).items?.map((x) => x.id) ?? []);
          expect({ v, list: await listed('') }).toEqual({ v, list: want((m) => !m.spec.exercise) });
          expect({ v, list: await listed('exercise=true') }).toEqual({ v, list: want((m) => m.spec.exercise) });
          expect({ v, list: await listed('country=CO&sector=energy&rsit=availability') }).toEqual({ v, list: want((m) => !m.spec.exercise && made.indexOf(m) % 2 === 1) });
          for (const m of made) {
            const res = await get(`/api/v1/incidents/${m.id}`);
            expect({ v, id: m.id, status: res.statusCode }).toEqual({ v, id: m.id, status: sees(v, m) ? 200 : 404 });
            if (res.statusCode !== 200) continue;
            const r = res.json() as IncidentReport;
            // Each entry needs its own marking and the report's; a link's entry also the object's.
            const entries = m.entryIds.filter((e) => tlpOracle(w, v, e.author, e.mark) && (e.link === undefined || tlpOracle(w, v, objects[e.link]!.author, objectMarks[e.link]!)));
            expect({ v, id: m.id, entries: r.timeline.map((e) => e.id).sort() }).toEqual({ v, id: m.id, entries: entries.map((e) => e.id).sort() });
            const links = m.spec.links.filter((k) => tlpOracle(w, v, objects[k]!.author, objectMarks[k]!)).map((k) => stixIds[k]!);
            expect({ v, id: m.id, links: r.links.map((l) => l.stixId).sort() }).toEqual({ v, id: m.id, links: links.sort() });
          }
          // The event stream's replay: a report's events reach who may see the report (and an update's, its entry too).
          const parts = v === null ? null : await loadPrincipalParts(t.db, ids.personIds[v]!);
          const events = await t.deps.hub.since(parts?.viewer ?? ANONYMOUS, lastEvent, 1000);
          const got = events.filter((e) => e.subjectType === 'incident' && made.some((m) => m.id === e.subjectId));
          const expected = may.flatMap((m) => [`${m.id}:created`, ...m.entryIds.filter((e) => e.link === undefined && tlpOracle(w, v, e.author, e.mark)).map((e) => `${m.id}:${e.id}`)]);
          expect({ v, events: got.map((e) => `${e.subjectId}:${(e.payload.entryId as string | undefined) ?? 'created'}`).sort() }).toEqual({ v, events: expected.sort() });
        }
      }),
      { numRuns: 15 },
    );
    expect(seen).toBeGreaterThan(10);
  }, 400_000);
});
