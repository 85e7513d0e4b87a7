/**
 * Per-field sharing of points of contact, on random worlds: random
 * organisations, people, communities and entries whose entry marking and
 * per-field markings are arbitrary (including combinations the API refuses,
 * such as a field wider than its entry), and random viewers including the
 * public. Through list, get and search, no viewer ever receives a field (or its
 * value anywhere in the answer) that the TLP table below denies; the public gets
 * 401 and nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newId } from '../../platform/ids.js';
import { createSession } from '../../platform/auth/sessions.js';
import { clientFor, createTestApp, testPasswordHash, type Client, type TestApp } from '../../test/harness.js';
import { fitTo, insertSociety, markArb, societyArb, tlpOracle, type Mark, type Society } from '../../test/worlds.js';
import { FIELDS, type Field } from './service.js';

type M = Mark;
interface World extends Society {
  entries: { author: number; entry: M; fields: Partial<Record<Field, M>> }[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    society: societyArb({ maxPeople: 6 }),
    entries: fc.array(
      fc.record({
        author: fc.nat(),
        entry: markArb,
        fields: fc.record(Object.fromEntries(FIELDS.map((f) => [f, markArb])) as Record<Field, typeof markArb>, { requiredKeys: [] }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map((w) => {
    const fit = fitTo(w.society);
    return {
      ...fit.society,
      entries: w.entries.map((e) => ({
        author: fit.person(e.author),
        entry: fit.mark(e.entry),
        fields: Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [k, fit.mark(m as M)])) as Partial<Record<Field, M>>,
      })),
    };
  });

const oracle = (w: World, viewer: number | null, authorPerson: number, m: M): boolean => tlpOracle(w, viewer, authorPerson, m);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('per-field sharing of points of contact', () => {
  it('no viewer receives a field the policy denies, through list, get and search', async () => {
    const hash = await testPasswordHash();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        run++;
        const { orgIds, personIds, commIds } = await insertSociety(t.db, w, { country: 'BR', label: String(run), passwordHash: hash });
        const entryIds = w.entries.map(() => newId());
        // Every field carries a distinctive secret value, so that a leak shows anywhere in an answer.
        const secret = (e: number, f: Field) => `s${run}x${e}x${f}`.toLowerCase();
        for (const [i, e] of w.entries.entries()) {
          const author = e.author;
          const mk = (m: M) => ({ tlp: m.tlp, audience: { organisations: m.orgs.map((o) => orgIds[o]), communities: m.comms.map((c) => commIds[c]), people: m.people.map((p) => personIds[p]) } });
          await t.db
            .insertInto('contacts')
            .values({
              id: entryIds[i],
              organisation_id: orgIds[w.people[author].org],
              country_code: 'BR',
              kinds: ['technical'],
              full_name: `Contact ${run} ${i}`,
              position: 'Analyst',
              emails: [`${secret(i, 'emails')}@example.test`],
              phone: `+1 ${secret(i, 'phone')}`,
              emergency_phone: `+1 ${secret(i, 'emergencyPhone')}`,
              availability: secret(i, 'availability'),
              secure_channels: JSON.stringify([{ type: 'signal', address: secret(i, 'secureChannels') }]),
              pgp_key: secret(i, 'openpgpKey'),
              pgp_fingerprint: secret(i, 'openpgpKey').toUpperCase(),
              pgp_algorithm: 'RSA 2048',
              field_markings: JSON.stringify(Object.fromEntries(Object.entries(e.fields).map(([f, m]) => [f, mk(m as M)]))),
              status: 'active',
              tlp: e.entry.tlp,
              pap: 'GREEN',
              author_id: personIds[author],
              author_org_id: orgIds[w.people[author].org],
              audience_organisations: e.entry.orgs.map((o) => orgIds[o]),
              audience_communities: e.entry.comms.map((c) => commIds[c]),
              audience_people: e.entry.people.map((p) => personIds[p]),
            })
            .execute();
        }
        const viewers: [number | null, Client][] = [[null, clientFor(t.app, '', '')]];
        for (const [i, id] of personIds.entries()) {
          const s = await createSession(t.db, id, t.deps.config.session, {});
          viewers.push([i, clientFor(t.app, `puente_session=${s.id}`, s.csrfToken)]);
        }
        try {
          for (const [v, client] of viewers) {
            const list = await client.get(`/api/v1/contacts?pageSize=100&q=${encodeURIComponent(`Contact ${run}`)}`);
            const search = await client.get(`/api/v1/contacts?pageSize=100&q=${encodeURIComponent(`contact ${run} 0`)}&kind=technical&country=BR`);
            if (v === null) {
              expect(list.statusCode).toBe(401);
              expect(list.body).not.toMatch(/Contact /);
            }
            for (const [i, e] of w.entries.entries()) {
              const entryVisible = oracle(w, v, e.author, e.entry);
              const one = await client.get(`/api/v1/contacts/${entryIds[i]}`);
              const inList = list.statusCode === 200 ? list.json().items.find((x: { id: string }) => x.id === entryIds[i]) : undefined;
              const inSearch = search.statusCode === 200 ? search.json().items.find((x: { id: string }) => x.id === entryIds[i]) : undefined;
              if (v === null) expect(one.statusCode).toBe(401);
              else expect({ i, v, status: one.statusCode }).toEqual({ i, v, status: entryVisible ? 200 : 404 });
              expect({ i, v, inList: !!inList }).toEqual({ i, v, inList: v !== null && entryVisible });
              for (const [answer, body] of [
                [one.statusCode === 200 ? one.json() : undefined, one.body],
                [inList, JSON.stringify(inList ?? {})],
                [inSearch, JSON.stringify(inSearch ?? {})],
              ] as const) {
                for (const f of FIELDS) {
                  const fm = e.fields[f];
                  const fieldVisible = entryVisible && (fm ? oracle(w, v, e.author, fm) : true);
                  if (!fieldVisible) expect({ i, v, f, leaked: body.toLowerCase().includes(secret(i, f)) }).toEqual({ i, v, f, leaked: false });
                  if (answer) {
                    expect({ i, v, f, present: f in answer }).toEqual({ i, v, f, present: fieldVisible });
                    expect({ i, v, f, withheld: answer.withheld.includes(f) }).toEqual({ i, v, f, withheld: !fieldVisible });
                  }
                }
              }
              // Search must not match on a field (whatever its marking): probe with one field's secret, cycling with the run.
              if (v !== null) {
                const probe = await client.get(`/api/v1/contacts?q=${encodeURIComponent(secret(i, FIELDS[run % FIELDS.length]))}`);
                expect(probe.json().items.some((x: { id: string }) => x.id === entryIds[i])).toBe(false);
              }
            }
          }
        } finally {
          await t.db.deleteFrom('contacts').where('id', 'in', entryIds).execute();
          await t.db.deleteFrom('sessions').where('person_id', 'in', personIds).execute();
        }
      }),
      { numRuns: 20 },
    );
  });
});
