/**
 * Who a communication check reaches, on random worlds: a contact is targeted
 * exactly when the launcher may see the entry AND its e-mail field (an oracle
 * written from the TLP 2.0 table, independent of policy.ts); the others are
 * counted by reason, and no target row or mail exists for them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, makeOrganisation, makePerson, type Client, type TestApp } from '../../test/harness.js';
import { tlpOracle, type Society } from '../../test/worlds.js';
import { newId } from '../../platform/ids.js';
import './tables.js';
import '../contacts/tables.js';

type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
interface M {
  tlp: Tlp;
  byLauncherOrg: boolean;
  namesLauncherOrg: boolean;
  namesLauncher: boolean;
}
const markArb: fc.Arbitrary<M> = fc.record({
  tlp: fc.constantFrom<Tlp>('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'),
  byLauncherOrg: fc.boolean(),
  namesLauncherOrg: fc.boolean(),
  namesLauncher: fc.boolean(),
});

/**
 * The one oracle (test/worlds.ts) on this world: the launcher (person 0, organisation 0) and
 * the entries' authors, who are nobody in particular in the launcher's organisation (person 1)
 * or in the other one (person 2).
 */
const SOCIETY: Society = { orgs: [{ approved: true }, { approved: true }], people: [{ org: 0 }, { org: 0 }, { org: 1 }], communities: [] };
function oracle(m: M): boolean {
  return tlpOracle(SOCIETY, 0, m.byLauncherOrg ? 1 : 2, { tlp: m.tlp, orgs: m.namesLauncherOrg ? [0] : [], comms: [], people: m.namesLauncher ? [0] : [] });
}

let t: TestApp;
let launcher: Client;
let launcherId: string;
let launcherOrg: string;
let otherOrg: string;

beforeAll(async () => {
  t = await createTestApp();
  launcherOrg = await makeOrganisation(t.db, { country: 'PT' });
  otherOrg = await makeOrganisation(t.db, { country: 'MX' });
  const p = await makePerson(t.db, launcherOrg, { roles: ['member', 'secretariat'] });
  launcherId = p.id;
  launcher = await login(t.app, p.email);
}, 60_000);
afterAll(async () => t?.close());

describe('communication-check targets follow the access policy', () => {
  it('targets exactly the contacts whose entry and e-mail the launcher may see', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ entry: markArb, email: fc.option(markArb, { nil: null }) }), { minLength: 1, maxLength: 5 }), async (world) => {
        const owner = await makeOrganisation(t.db, { country: 'BR' });
        const audience = (m: M) => ({
          organisations: m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT' ? (m.namesLauncherOrg ? [launcherOrg] : [otherOrg]) : [],
          communities: [],
          people: m.tlp === 'RED' && m.namesLauncher ? [launcherId] : [],
        });
        const ids: string[] = [];
        for (const [i, w] of world.entries()) {
          const id = newId();
          ids.push(id);
          const a = audience(w.entry);
          await t.db
            .insertInto('contacts')
            .values({
              id,
              organisation_id: owner,
              country_code: 'BR',
              kinds: ['technical'],
              full_name: `P ${i}`,
              emails: [`p${i}-${id.slice(-6)}@example.test`],
              status: 'active',
              tlp: w.entry.tlp,
              pap: 'GREEN',
              author_id: null,
              author_org_id: w.entry.byLauncherOrg ? launcherOrg : otherOrg,
              audience_organisations: a.organisations,
              audience_people: a.people,
              // A field marking carries its own tlp and audience; author and author organisation are the entry's.
              field_markings: JSON.stringify(w.email ? { emails: { tlp: w.email.tlp, audience: audience({ ...w.email, byLauncherOrg: w.entry.byLauncherOrg }) } } : {}),
            })
            .execute();
        }
        const entryOk = world.map((w) => oracle(w.entry));
        const emailOk = world.map((w, i) => entryOk[i] && (!w.email || oracle({ ...w.email, byLauncherOrg: w.entry.byLauncherOrg })));
        const expected = ids.filter((_, i) => emailOk[i]).sort();
        const before = await t.db.selectFrom('mail_outbox').select('id').execute();
        const r = await launcher.post('/api/v1/communication-checks', { title: 'Property ping', deadline: new Date(Date.now() + 86_400_000).toISOString(), filters: { organisations: [owner] } });
        if (!expected.length) {
          expect(r.statusCode).toBe(400);
          expect((await t.db.selectFrom('mail_outbox').select('id').execute()).length).toBe(before.length);
          return;
        }
        expect(r.statusCode, r.body).toBe(201);
        const got = (await t.db.selectFrom('communication_check_targets').select('contact_id').where('check_id', '=', r.json().id).execute()).map((x) => x.contact_id).sort();
        expect(got).toEqual(expected);
        // Left out are counted among the entries the launcher may see only: nothing counts hidden entries (issue 9, hole 5).
        expect(r.json().excluded).toEqual({ emailWithheld: entryOk.filter((x, i) => x && !emailOk[i]).length, noEmail: 0 });
        const preview = await launcher.post('/api/v1/communication-checks/preview', { filters: { organisations: [owner] } });
        expect(preview.json().excluded).toEqual(r.json().excluded);
        const report = (await launcher.get(`/api/v1/communication-checks/${r.json().id}`)).json();
        expect(report.overall.targets).toBe(expected.length);
        const mails = await t.db.selectFrom('mail_outbox').select('to_address').where('purpose', '=', 'communication_check').execute();
        for (const i of world.keys()) if (!emailOk[i]) expect(mails.some((m) => m.to_address.startsWith(`p${i}-${ids[i].slice(-6)}`))).toBe(false);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
