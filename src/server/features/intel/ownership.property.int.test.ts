/**
 * Issue 9, holes 8 and 9, on random worlds against the one oracle (test/worlds.ts):
 *
 * - versions: another organisation posts a newer version of an object (any marking).
 *   Every viewer sees the line of the first holder they may see: the original when
 *   they may see it, else the other organisation's copy when they may see that; a
 *   newer version by the same organisation replaces the original for who may see it.
 * - sightings: a STIX sighting, with any marking, of an object with any marking, is
 *   seen exactly by who may see both.
 *
 * Paths: the REST object and list, the STIX export and the TAXII "everything" collection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { platformOf } from '../../platform/deps.js';
import { createSession } from '../../platform/auth/sessions.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../test/worlds.js';
import { ingestObjects } from './store.js';
import { EVERYTHING_COLLECTION_ID } from './taxii/service.js';

interface World {
  orgs: { approved: boolean }[];
  people: { org: number }[];
  communities: { orgs: number[]; people: number[] }[];
  objects: { author: number; mark: Mark; newer: { author: number; mark: Mark } | null }[];
  sightings: { reporter: number; of: number; mark: Mark }[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxPeople: 5 }),
    objects: fc.array(fc.record({ author: fc.nat(), mark: markArb, newer: fc.option(fc.record({ author: fc.nat(), mark: markArb }), { nil: null }) }), { minLength: 1, maxLength: 4 }),
    sightings: fc.array(fc.record({ reporter: fc.nat(), of: fc.nat(), mark: markArb }), { maxLength: 4 }),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    return {
      ...fit.society,
      objects: w.objects.map((o) => ({ author: fit.person(o.author), mark: fit.mark(o.mark), newer: o.newer && { author: fit.person(o.newer.author), mark: fit.mark(o.newer.mark) } })),
      sightings: w.sightings.map((s) => ({ reporter: fit.person(s.reporter), of: s.of % w.objects.length, mark: fit.mark(s.mark) })),
    };
  });

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('versions and sightings under the access policy (property)', () => {
  it('every viewer sees the first holder\'s line, and a sighting only with its subject', async () => {
    const hash = await testPasswordHash();
    const p = platformOf(t.deps);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const { orgIds, personIds, commIds } = await insertSociety(t.db, w, { country: 'UY', label: `o${run}`, passwordHash: hash });
        const aud = (m: Mark) => ({ organisations: m.orgs.map((o) => orgIds[o]!), communities: m.comms.map((c) => commIds[c]!), people: m.people.map((x) => personIds[x]!) });
        const actor = (person: number) => ({ personId: personIds[person]!, organisationId: orgIds[w.people[person]!.org]!, viewer: null });
        const ids = w.objects.map(() => `indicator--${crypto.randomUUID()}`);
        const name = (i: number, which: 'original' | 'newer') => `zq${run}o${i}${which}`;
        const base = (i: number) => ({
          type: 'indicator',
          spec_version: '2.1',
          id: ids[i],
          created: '2026-01-01T00:00:00.000Z',
          pattern: `[domain-name:value = 'o${i}.r${run}.example']`,
          pattern_type: 'stix',
          valid_from: '2026-01-01T00:00:00Z',
        });
        for (const [i, o] of w.objects.entries()) {
          const r = await ingestObjects(p, [{ ...base(i), modified: '2026-01-01T00:00:00.000Z', name: name(i, 'original') }], { source: 'test', actor: actor(o.author), defaultTlp: o.mark.tlp, audience: aud(o.mark) });
          expect(r.results[0]!.status).toBe('accepted');
        }
        for (const [i, o] of w.objects.entries()) {
          if (!o.newer) continue;
          const r = await ingestObjects(p, [{ ...base(i), modified: '2026-03-01T00:00:00.000Z', name: name(i, 'newer'), revoked: true }], { source: 'test', actor: actor(o.newer.author), defaultTlp: o.newer.mark.tlp, audience: aud(o.newer.mark) });
          expect(r.results[0]!.status).toBe('accepted');
        }
        const sightingIds = w.sightings.map(() => `sighting--${crypto.randomUUID()}`);
        for (const [k, s] of w.sightings.entries()) {
          const r = await ingestObjects(
            p,
            [{ type: 'sighting', spec_version: '2.1', id: sightingIds[k], created: '2026-02-01T00:00:00.000Z', modified: '2026-02-01T00:00:00.000Z', sighting_of_ref: ids[s.of], count: 7 }],
            { source: 'test', actor: actor(s.reporter), defaultTlp: s.mark.tlp, audience: aud(s.mark) },
          );
          expect(r.results[0]!.status).toBe('accepted');
        }

        for (const [v, id] of personIds.entries()) {
          const session = await createSession(t.db, id, t.deps.config.session, {});
          const client: Client = clientFor(t.app, `puente_session=${session.id}`, session.csrfToken);
          const tokenRes = await client.post('/api/v1/tokens', { name: 'p', scope: 'read', expiresInDays: 1 });
          const vetted = w.orgs[w.people[v]!.org]!.approved;
          // What this viewer should see of object i: the name of the version shown, or null.
          const shown = (i: number): string | null => {
            const o = w.objects[i]!;
            const seesOriginal = tlpOracle(w, v, o.author, o.mark);
            const seesNewer = !!o.newer && tlpOracle(w, v, o.newer.author, o.newer.mark);
            const sameOrganisation = !!o.newer && w.people[o.newer.author]!.org === w.people[o.author]!.org;
            if (sameOrganisation) return seesNewer ? name(i, 'newer') : seesOriginal ? name(i, 'original') : null;
            return seesOriginal ? name(i, 'original') : seesNewer ? name(i, 'newer') : null;
          };
          const seesSighting = (k: number) => {
            const s = w.sightings[k]!;
            return tlpOracle(w, v, s.reporter, s.mark) && shown(s.of) !== null;
          };
          for (const [i, stixId] of ids.entries()) {
            const one = await client.get(`/api/v1/intel/objects/${stixId}`);
            const want = shown(i);
            expect({ v, i, status: one.statusCode }).toEqual({ v, i, status: want ? 200 : 404 });
            if (want) expect({ v, i, name: one.json().object.name }).toEqual({ v, i, name: want });
          }
          const list = (await client.get('/api/v1/intel/objects?limit=500')).json().items as { id: string; name: string }[];
          const listed = list.filter((x) => ids.includes(x.id)).map((x) => x.name).sort();
          expect({ v, listed }).toEqual({ v, listed: ids.map((_, i) => shown(i)).filter((x): x is string => x !== null).sort() });
          const sightingsListed = list.filter((x) => sightingIds.includes(x.id)).map((x) => x.id).sort();
          expect({ v, sightingsListed }).toEqual({ v, sightingsListed: sightingIds.filter((_, k) => seesSighting(k)).sort() });
          if (!vetted) continue;
          const exported = JSON.parse((await client.get('/api/v1/intel/export?format=stix')).body).objects as { id: string; name?: string }[];
          expect({ v, exported: exported.filter((x) => ids.includes(x.id)).map((x) => x.name).sort() }).toEqual({ v, exported: listed });
          expect({ v, exportedSightings: exported.filter((x) => sightingIds.includes(x.id)).map((x) => x.id).sort() }).toEqual({ v, exportedSightings: sightingsListed });
          const taxii = await t.app.inject({
            method: 'GET',
            url: `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/objects/?limit=1000`,
            headers: { authorization: `Bearer ${tokenRes.json().token}`, accept: 'application/taxii+json;version=2.1' },
          });
          const got = (taxii.json().objects ?? []) as { id: string; name?: string }[];
          expect({ v, taxii: got.filter((x) => ids.includes(x.id)).map((x) => x.name).sort() }).toEqual({ v, taxii: listed });
          expect({ v, taxiiSightings: got.filter((x) => sightingIds.includes(x.id)).map((x) => x.id).sort() }).toEqual({ v, taxiiSightings: sightingsListed });
        }
      }),
      { numRuns: 10 },
    );
  }, 300_000);
});
