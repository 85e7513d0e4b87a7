/**
 * The leak test of the STIX store, on random worlds: random organisations
 * (approved or not), people, communities, objects with arbitrary markings and
 * audiences (also ones the API would narrow), values shared between objects,
 * sightings and a report. Every REST read path — list, get, full-text search,
 * correlations, sightings (per object and aggregated), exports (STIX, CSV,
 * MISP event), the MISP feed and the event stream — gives each viewer, the public included,
 * exactly what the TLP table of DESIGN.md §3 (test/worlds.ts) allows, and no
 * trace of the rest. TAXII has its own property test (taxii/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newId } from '../../platform/ids.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { platformOf } from '../../platform/deps.js';
import { createSession } from '../../platform/auth/sessions.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { ingestObjects } from './store.js';
import { TLP2_IDS } from './stix/tlp.js';

interface World {
  orgs: { approved: boolean }[];
  people: { org: number }[];
  communities: { orgs: number[]; people: number[] }[];
  objects: { author: number; mark: Mark; value: number; marked: boolean; rel: Mark | null }[];
  sightings: { reporter: number; of: number; count: number; country: 'CL' | 'ES'; mark: Mark }[];
  report: { author: number; mark: Mark };
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxPeople: 5 }),
    objects: fc.array(fc.record({ author: fc.nat(), mark: markArb, value: fc.nat({ max: 2 }), marked: fc.boolean(), rel: fc.option(markArb, { nil: null }) }), { minLength: 1, maxLength: 6 }),
    sightings: fc.array(fc.record({ reporter: fc.nat(), of: fc.nat(), count: fc.integer({ min: 1, max: 9 }), country: fc.constantFrom('CL' as const, 'ES' as const), mark: markArb }), { maxLength: 4 }),
    report: fc.record({ author: fc.nat(), mark: markArb }),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    return {
      ...fit.society,
      objects: w.objects.map((o) => ({ ...o, author: fit.person(o.author), mark: fit.mark(o.mark), rel: o.rel && fit.mark(o.rel) })),
      sightings: w.sightings.map((s) => ({ ...s, reporter: fit.person(s.reporter), of: s.of % w.objects.length, mark: fit.mark(s.mark) })),
      report: { author: fit.person(w.report.author), mark: fit.mark(w.report.mark) },
    };
  });

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('no read path of the STIX store leaks', () => {
  it('every viewer gets exactly what the TLP table allows, through every REST path', async () => {
    const hash = await testPasswordHash();
    const p = platformOf(t.deps);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const since = new Date(Date.now() - 5).toISOString();
        const { orgIds, personIds, commIds } = await insertSociety(t.db, w, { country: 'PY', label: `i${run}`, passwordHash: hash });
        const aud = (m: Mark) => ({ organisations: m.orgs.map((o) => orgIds[o]!), communities: m.comms.map((c) => commIds[c]!), people: m.people.map((x) => personIds[x]!) });
        const actor = (person: number) => ({ personId: personIds[person]!, organisationId: orgIds[w.people[person]!.org]!, viewer: null });
        const secret = (i: number) => `zq${run}x${i}secret`;
        const value = (k: number) => `v${k}.r${run}.example`;
        const ids = w.objects.map(() => `indicator--${crypto.randomUUID()}`);
        const submissions: string[] = [];
        const lastEvent = Number((await t.db.selectFrom('events').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
        // Marked through object_marking_refs, or unmarked with the TLP given as the submission's default.
        for (const [i, o] of w.objects.entries()) {
          const obj: Record<string, unknown> = {
            type: 'indicator',
            spec_version: '2.1',
            id: ids[i],
            created: '2026-01-01T00:00:00.000Z',
            modified: '2026-01-01T00:00:00.000Z',
            name: `${secret(i)} indicator`,
            pattern: `[domain-name:value = '${value(o.value)}']`,
            pattern_type: 'stix',
            valid_from: '2026-01-01T00:00:00Z',
            ...(o.marked ? { object_marking_refs: [TLP2_IDS[o.mark.tlp]] } : {}),
          };
          const r = await ingestObjects(p, [obj], { source: 'test', actor: actor(o.author), defaultTlp: o.mark.tlp, audience: aud(o.mark) });
          expect(r.results[0]!.status).toBe('accepted');
          submissions.push(r.submissionId);
        }
        // An ATT&CK-like technique (CLEAR) and, for some objects, a relationship to it with a marking of its own.
        const techniqueCode = `T${1000 + run}`;
        const techniqueId = `attack-pattern--${crypto.randomUUID()}`;
        await ingestObjects(
          p,
          [{ type: 'attack-pattern', spec_version: '2.1', id: techniqueId, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: `technique r${run}`, external_references: [{ source_name: 'mitre-ics-attack', external_id: techniqueCode }] }],
          { source: 'test', actor: { personId: null, organisationId: null, viewer: null }, defaultTlp: 'CLEAR', audience: { organisations: [], communities: [], people: [] } },
        );
        for (const [i, o] of w.objects.entries()) {
          if (!o.rel) continue;
          const rel = { type: 'relationship', spec_version: '2.1', id: `relationship--${crypto.randomUUID()}`, created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', relationship_type: 'indicates', source_ref: ids[i], target_ref: techniqueId };
          await ingestObjects(p, [rel], { source: 'test', actor: actor(o.author), defaultTlp: o.rel.tlp, audience: aud(o.rel) });
        }
        const reportId = `report--${crypto.randomUUID()}`;
        await ingestObjects(
          p,
          [{ type: 'report', spec_version: '2.1', id: reportId, created: '2026-01-02T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z', name: `report r${run}`, published: '2026-01-02T00:00:00Z', object_refs: ids }],
          { source: 'test', actor: actor(w.report.author), defaultTlp: w.report.mark.tlp, audience: aud(w.report.mark) },
        );
        const objectSeq = new Map((await t.db.selectFrom('intel_objects').select(['stix_id', 'seq']).where('stix_id', 'in', ids).execute()).map((r) => [r.stix_id, r.seq]));
        for (const s of w.sightings)
          await t.db
            .insertInto('intel_sightings')
            .values({
              id: newId(),
              object_seq: objectSeq.get(ids[s.of]!)!,
              sighting_of: ids[s.of]!,
              count: s.count,
              first_seen: since,
              last_seen: since,
              country: s.country,
              reporter_id: personIds[s.reporter]!,
              reporter_org_id: orgIds[w.people[s.reporter]!.org]!,
              tlp: s.mark.tlp,
              pap: 'CLEAR',
              author_id: personIds[s.reporter]!,
              author_org_id: orgIds[w.people[s.reporter]!.org]!,
              audience_organisations: s.mark.tlp === 'CLEAR' || s.mark.tlp === 'GREEN' ? [] : aud(s.mark).organisations,
              audience_communities: s.mark.tlp === 'AMBER' ? aud(s.mark).communities : [],
              audience_people: s.mark.tlp === 'RED' ? aud(s.mark).people : [],
            })
            .execute();

        const viewers: [number | null, Client][] = [[null, clientFor(t.app, '', '')]];
        for (const [i, id] of personIds.entries()) {
          const s = await createSession(t.db, id, t.deps.config.session, {});
          viewers.push([i, clientFor(t.app, `puente_session=${s.id}`, s.csrfToken)]);
        }
        for (const [v, client] of viewers) {
          const sees = (i: number) => tlpOracle(w, v, w.objects[i]!.author, w.objects[i]!.mark);
          const visible = ids.filter((_, i) => sees(i)).sort();
          const hidden = ids.map((id, i) => [id, i] as const).filter(([, i]) => !sees(i));
          const noTrace = (body: string, where: string) => {
            for (const [id, i] of hidden) expect({ v, where, id, leaked: body.includes(id) || body.includes(secret(i)) }).toEqual({ v, where, id, leaked: false });
          };
          // The event stream (its replay, which SSE resumes with; live delivery uses the same rule in memory).
          const streamViewer = v === null ? ANONYMOUS : (await loadPrincipalParts(t.db, personIds[v]!))!.viewer;
          const told = (await t.deps.hub.since(streamViewer, lastEvent, 10_000)).filter((e) => e.type === 'intel.objects_added' && submissions.includes(e.subjectId ?? '')).map((e) => e.subjectId).sort();
          expect({ v, told }).toEqual({ v, told: submissions.filter((_, i) => sees(i)).sort() });
          const list = await client.get(`/api/v1/intel/objects?type=indicator&since=${encodeURIComponent(since)}&limit=500`);
          expect(list.statusCode).toBe(200);
          const listed = list.json().items.map((x: { id: string }) => x.id).filter((x: string) => ids.includes(x)).sort();
          expect({ v, listed }).toEqual({ v, listed: visible });
          noTrace(list.body, 'list');
          for (const [i, id] of ids.entries()) {
            const one = await client.get(`/api/v1/intel/objects/${id}`);
            expect({ v, i, status: one.statusCode }).toEqual({ v, i, status: sees(i) ? 200 : 404 });
            if (one.statusCode === 200) {
              noTrace(one.body, `get ${i}`);
              // Correlations: exactly the other visible objects with the same value.
              const corr = one.json().correlations.flatMap((c: { objects: { stixId: string }[] }) => c.objects.map((o) => o.stixId)).filter((x: string) => ids.includes(x)).sort();
              const expected = ids.filter((other, j) => j !== i && sees(j) && w.objects[j]!.value === w.objects[i]!.value).sort();
              expect({ v, i, corr }).toEqual({ v, i, corr: expected });
              const s = await client.get(`/api/v1/intel/objects/${id}/sightings`);
              const want = w.sightings.filter((x) => x.of === i && tlpOracle(w, v, x.reporter, x.mark)).reduce((a, x) => a + x.count, 0);
              expect({ v, i, sighted: s.json().total.count }).toEqual({ v, i, sighted: want });
            } else {
              expect((await client.get(`/api/v1/intel/objects/${id}/sightings`)).statusCode).toBe(404);
            }
            const search = await client.get(`/api/v1/intel/objects?q=${secret(i)}`);
            expect({ v, i, found: search.json().items.some((x: { id: string }) => x.id === id) }).toEqual({ v, i, found: sees(i) });
          }
          // The technique filter follows only relationships the viewer may see.
          const byTechnique = (await client.get(`/api/v1/intel/objects?technique=${techniqueCode}&limit=500`)).json().items.map((x: { id: string }) => x.id).filter((x: string) => ids.includes(x)).sort();
          expect({ v, byTechnique }).toEqual({ v, byTechnique: ids.filter((_, i) => sees(i) && w.objects[i]!.rel !== null && tlpOracle(w, v, w.objects[i]!.author, w.objects[i]!.rel!)).sort() });
          // Aggregates count only sightings the viewer may see of objects the viewer may see.
          const agg = (await client.get(`/api/v1/intel/sightings/aggregate?since=${encodeURIComponent(since)}`)).json();
          for (const country of ['CL', 'ES'] as const) {
            const want = w.sightings.filter((x) => x.country === country && sees(x.of) && tlpOracle(w, v, x.reporter, x.mark)).reduce((a, x) => a + x.count, 0);
            const row = agg.byCountry.find((c: { country: string }) => c.country === country);
            // Earlier runs' sightings were last seen before this run's `since`.
            expect({ v, country, count: row?.count ?? 0 }).toEqual({ v, country, count: want });
          }
          if (v === null || !w.orgs[w.people[v]!.org]!.approved) {
            expect([401, 403]).toContain((await client.get(`/api/v1/intel/export?format=stix&since=${encodeURIComponent(since)}`)).statusCode);
            continue;
          }
          const stix = await client.get(`/api/v1/intel/export?format=stix&type=indicator&since=${encodeURIComponent(since)}`);
          expect(JSON.parse(stix.body).objects.map((o: { id: string }) => o.id).filter((x: string) => ids.includes(x)).sort()).toEqual(visible);
          noTrace(stix.body, 'stix export');
          const csv = await client.get(`/api/v1/intel/export?format=csv&type=indicator&since=${encodeURIComponent(since)}`);
          noTrace(csv.body, 'csv export');
          for (const id of visible) expect(csv.body).toContain(id);
          const misp = await client.get(`/api/v1/intel/export?format=misp&${ids.map((id) => `id=${id}`).join('&')}`);
          if (visible.length) noTrace(misp.body, 'misp export');
          else expect(misp.statusCode).toBe(404);
          const manifest = (await client.get('/api/v1/intel/misp-feed/manifest.json')).json();
          const reportVisible = tlpOracle(w, v, w.report.author, w.report.mark);
          const feedKey = reportId.slice('report--'.length);
          expect({ v, inFeed: feedKey in manifest }).toEqual({ v, inFeed: reportVisible });
          if (reportVisible) noTrace((await client.get(`/api/v1/intel/misp-feed/${feedKey}.json`)).body, 'misp feed event');
        }
      }),
      { numRuns: 12 },
    );
  });
});
