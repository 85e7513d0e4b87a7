/**
 * TAXII leaks, on random worlds: random organisations (approved or not), people,
 * communities, and objects with several versions whose TLP markings and
 * audiences differ from version to version, ingested through ingestObjects.
 * Every viewer (and the public) then reads through every TAXII path — objects
 * (last, first, all; paged), object by id, versions, manifest, and the
 * community and organisation collections — and gets exactly what the TLP table
 * (tlpOracle, written independently of the policy) allows: nothing more, nothing less.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Tlp } from '../../../platform/access/policy.js';
import { newId, randomToken, sha256 } from '../../../platform/ids.js';
import { TOKEN_PREFIX } from '../../../platform/auth/sessions.js';
import { loadPrincipalParts } from '../../../platform/auth/principal.js';
import { platformOf } from '../../../platform/deps.js';
import { createTestApp, testPasswordHash, type TestApp } from '../../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark } from '../../../test/worlds.js';
import { ingestObjects } from '../store.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { communityCollectionId, EVERYTHING_COLLECTION_ID, organisationCollectionId } from './service.js';

const TAXII = 'application/taxii+json;version=2.1';

interface Version {
  day: number;
  mark: Mark;
}
interface World {
  orgs: { approved: boolean }[];
  people: { org: number }[];
  communities: { orgs: number[]; people: number[] }[];
  objects: { author: number; versions: Version[] }[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxOrgs: 3, minPeople: 2, maxPeople: 5 }),
    objects: fc.array(
      fc.record({
        author: fc.nat(),
        versions: fc.uniqueArray(fc.record({ day: fc.integer({ min: 1, max: 28 }), mark: markArb }), { minLength: 1, maxLength: 3, selector: (v) => v.day }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    return {
      ...fit.society,
      objects: w.objects.map((o) => ({ author: fit.person(o.author), versions: o.versions.map((v) => ({ day: v.day, mark: fit.mark(v.mark) })) })),
    };
  });

const modifiedOf = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { PUENTE_TAXII_MAX_PAGE: '3' } });
});
afterAll(async () => t?.close());

describe('TAXII reads follow the TLP table', () => {
  it('every viewer gets exactly what the oracle allows, through every TAXII read path', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const { orgIds, personIds, commIds } = await insertSociety(t.db, w, { country: 'BR', label: `taxii${run}`, passwordHash: hash });
        const ids = w.objects.map(() => `indicator--${crypto.randomUUID()}`);
        const secret = (i: number, k: number) => `secret-${run}-${i}-${k}`;
        // Ingest every version as its author, in the order generated (not the order of `modified`).
        for (const [i, o] of w.objects.entries()) {
          const parts = await loadPrincipalParts(t.db, personIds[o.author]!);
          for (const [k, v] of o.versions.entries()) {
            const obj = {
              type: 'indicator',
              spec_version: '2.1',
              id: ids[i],
              created: '2026-01-01T00:00:00.000Z',
              modified: modifiedOf(v.day),
              name: secret(i, k),
              pattern: "[ipv4-addr:value = '198.51.100.9']",
              pattern_type: 'stix',
              valid_from: '2026-01-01T00:00:00Z',
              object_marking_refs: [TLP2_IDS[v.mark.tlp as Tlp]],
            };
            const r = await ingestObjects(platformOf(t.deps), [obj], {
              source: 'test',
              actor: { personId: personIds[o.author]!, organisationId: orgIds[w.people[o.author]!.org]!, viewer: parts!.viewer },
              defaultTlp: 'AMBER',
              audience: { organisations: v.mark.orgs.map((x) => orgIds[x]!), communities: v.mark.comms.map((x) => commIds[x]!), people: v.mark.people.map((x) => personIds[x]!) },
            });
            expect(r.accepted).toBe(1);
          }
        }
        const tokens = personIds.map(() => `${TOKEN_PREFIX}${randomToken(32)}`);
        await t.db
          .insertInto('api_tokens')
          .values(personIds.map((id, i) => ({ id: newId(), person_id: id, name: 'prop', scope: 'read', token_hash: sha256(tokens[i]!), prefix: tokens[i]!.slice(0, 12), expires_at: new Date(Date.now() + 3_600_000) })))
          .execute();

        // The oracle: the versions of object i viewer v may see, in `modified` order.
        const seen = (v: number, i: number) => [...w.objects[i]!.versions].filter((x) => tlpOracle(w, v, w.objects[i]!.author, x.mark)).sort((a, b) => a.day - b.day);
        const key = (i: number, day: number) => `${ids[i]}|${modifiedOf(day)}`;
        const inRun = ids.join(',');
        const limit = 1 + (run % 3);

        const get = (token: string | null, url: string) =>
          t.app.inject({ method: 'GET', url, headers: { accept: TAXII, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
        async function walk(token: string, url: string, prop: 'objects' | 'versions') {
          const out: unknown[] = [];
          let next: string | undefined;
          for (let n = 0; n < 200; n++) {
            const res = await get(token, `${url}&limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
            expect(res.statusCode, res.body).toBe(200);
            const body = res.json();
            out.push(...(body[prop] ?? []));
            if (!body.more) return { out, texts: res.body };
            next = body.next;
          }
          throw new Error('endless paging');
        }
        const keysOf = (objs: unknown[]) => (objs as { id: string; modified: string }[]).map((o) => `${o.id}|${o.modified}`).sort();
        const noLeak = (v: number, text: string) => {
          for (const [i, o] of w.objects.entries())
            for (const [k, x] of o.versions.entries()) if (!tlpOracle(w, v, o.author, x.mark)) expect({ v, i, k, leaked: text.includes(secret(i, k)) }).toEqual({ v, i, k, leaked: false });
        };

        try {
          // The public: nothing at all.
          for (const url of ['/taxii2/', `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/objects/`, `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}/objects/${ids[0]}/`]) {
            const res = await get(null, url);
            expect(res.statusCode).toBe(401);
            expect(res.body).not.toContain('secret-');
          }
          for (const [v, token] of tokens.entries()) {
            const everything = `/taxii2/api/collections/${EVERYTHING_COLLECTION_ID}`;
            const all = w.objects.flatMap((_, i) => seen(v, i).map((x) => key(i, x.day))).sort();
            const last = w.objects.flatMap((_, i) => seen(v, i).slice(-1).map((x) => key(i, x.day))).sort();
            const first = w.objects.flatMap((_, i) => seen(v, i).slice(0, 1).map((x) => key(i, x.day))).sort();
            const lastObjs = await walk(token, `${everything}/objects/?match[id]=${inRun}`, 'objects');
            expect({ v, got: keysOf(lastObjs.out) }).toEqual({ v, got: last });
            const allObjs = await walk(token, `${everything}/objects/?match[id]=${inRun}&match[version]=all`, 'objects');
            expect({ v, got: keysOf(allObjs.out) }).toEqual({ v, got: all });
            noLeak(v, JSON.stringify(allObjs.out));
            const firstObjs = await walk(token, `${everything}/objects/?match[id]=${inRun}&match[version]=first`, 'objects');
            expect({ v, got: keysOf(firstObjs.out) }).toEqual({ v, got: first });
            const manifest = await walk(token, `${everything}/manifest/?match[id]=${inRun}&match[version]=all`, 'objects');
            expect({ v, got: (manifest.out as { id: string; version: string }[]).map((m) => `${m.id}|${m.version}`).sort() }).toEqual({ v, got: all });
            for (const [i] of w.objects.entries()) {
              const mine = seen(v, i);
              const one = await get(token, `${everything}/objects/${ids[i]}/`);
              const versions = await get(token, `${everything}/objects/${ids[i]}/versions/`);
              if (!mine.length) {
                expect({ v, i, one: one.statusCode, versions: versions.statusCode }).toEqual({ v, i, one: 404, versions: 404 });
              } else {
                expect({ v, i, got: keysOf(one.json().objects) }).toEqual({ v, i, got: [key(i, mine[mine.length - 1]!.day)] });
                expect({ v, i, got: [...versions.json().versions].sort() }).toEqual({ v, i, got: mine.map((x) => modifiedOf(x.day)) });
                const byTime = await get(token, `${everything}/objects/${ids[i]}/?match[version]=${mine.map((x) => modifiedOf(x.day)).join(',')}`);
                expect({ v, i, got: keysOf(byTime.json().objects) }).toEqual({ v, i, got: mine.map((x) => key(i, x.day)).sort() });
              }
              noLeak(v, one.body + versions.body);
            }

            // Community and organisation collections: the viewer's own only, and within them only what the oracle allows.
            const approved = w.orgs[w.people[v]!.org]!.approved;
            const listed = (await get(token, '/taxii2/api/collections/')).json().collections.map((c: { id: string }) => c.id);
            const myComms = w.communities.flatMap((c, ci) => (approved && (c.orgs.includes(w.people[v]!.org) || c.people.includes(v)) ? [ci] : []));
            const orgColl = organisationCollectionId(orgIds[w.people[v]!.org]!);
            expect(new Set(listed)).toEqual(new Set([EVERYTHING_COLLECTION_ID, ...myComms.map((ci) => communityCollectionId(commIds[ci]!)), ...(approved ? [orgColl] : [])]));
            for (const [ci, cid] of commIds.entries()) {
              const url = `/taxii2/api/collections/${communityCollectionId(cid)}/objects/?match[id]=${inRun}&match[version]=all`;
              if (!myComms.includes(ci)) {
                const res = await get(token, url);
                expect({ v, ci, status: res.statusCode }).toEqual({ v, ci, status: 404 });
                expect(res.body).not.toContain('secret-');
                continue;
              }
              const inColl = (i: number) => seen(v, i).filter((x) => x.mark.tlp === 'AMBER' && x.mark.comms.includes(ci));
              const got = await walk(token, url, 'objects');
              expect({ v, ci, got: keysOf(got.out) }).toEqual({ v, ci, got: w.objects.flatMap((_, i) => inColl(i).map((x) => key(i, x.day))).sort() });
              // "last" is the latest version in this collection, never one outside it.
              const latest = await walk(token, url.replace('&match[version]=all', ''), 'objects');
              expect({ v, ci, got: keysOf(latest.out) }).toEqual({ v, ci, got: w.objects.flatMap((_, i) => inColl(i).slice(-1).map((x) => key(i, x.day))).sort() });
            }
            if (approved) {
              const got = await walk(token, `/taxii2/api/collections/${orgColl}/objects/?match[id]=${inRun}&match[version]=all`, 'objects');
              const ours = (i: number) => (w.people[w.objects[i]!.author]!.org === w.people[v]!.org ? seen(v, i) : []);
              expect({ v, got: keysOf(got.out) }).toEqual({ v, got: w.objects.flatMap((_, i) => ours(i).map((x) => key(i, x.day))).sort() });
              const latest = await walk(token, `/taxii2/api/collections/${orgColl}/objects/?match[id]=${inRun}&match[version]=first`, 'objects');
              expect({ v, got: keysOf(latest.out) }).toEqual({ v, got: w.objects.flatMap((_, i) => ours(i).slice(0, 1).map((x) => key(i, x.day))).sort() });
            } else {
              expect((await get(token, `/taxii2/api/collections/${orgColl}/objects/`)).statusCode).toBe(404);
            }
          }
        } finally {
          await t.db.deleteFrom('api_tokens').where('person_id', 'in', personIds).execute();
        }
      }),
      { numRuns: 20 },
    );
  });
});
