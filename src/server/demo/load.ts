import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { appendAudit } from '../platform/audit.js';
import { newId, randomToken } from '../platform/ids.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { audienceColumns, normaliseAudience } from '../platform/access/policy.js';
import { DEMO_ACCOUNTS, DEMO_COMMUNITIES, DEMO_NOTES, DEMO_ORGANISATIONS } from './data.js';
import { FEATURES } from '../features/index.js';
import { withTranslation } from '../platform/translations.js';

export const DEMO_DOMAIN = '@demo.puente.test';

export interface DemoStatus {
  loadedNow: boolean;
  password: string;
  accounts: { email: string; role: string; organisation: string }[];
}

/** A readable random password for demo accounts when none was chosen. */
function demoPassword() {
  return `demo-${randomToken(9)}`;
}

async function accountList(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('people as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.email', 'p.roles', 'o.name'])
    .where('p.email', 'like', `%${DEMO_DOMAIN}`)
    .execute();
  const order = DEMO_ACCOUNTS.map((a) => a.email);
  return rows
    .sort((a, b) => order.indexOf(a.email) - order.indexOf(b.email))
    .map((r) => ({ email: r.email, role: r.roles.includes('secretariat') ? 'secretariat' : r.roles.includes('org_admin') ? 'organisation admin' : r.roles.includes('translator') ? 'translator' : 'member', organisation: r.name }));
}

/**
 * Load the demo community into an empty database (no organisations yet). On a
 * database that already has it, make the demo accounts' password match
 * PUENTE_DEMO_PASSWORD when that is set, and report the logins either way.
 */
export async function ensureDemo(db: Kysely<DB>, wanted: string | null): Promise<DemoStatus | null> {
  const stored = await db.selectFrom('settings').select('value').where('key', '=', 'demo_password').executeTakeFirst();
  const anyOrg = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  if (anyOrg && !stored) return null; // a real installation: never touch it
  if (stored) {
    if (wanted && wanted !== stored.value) {
      const hash = await hashPassword(wanted);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('people').set({ password_hash: hash }).where('email', 'like', `%${DEMO_DOMAIN}`).execute();
        await trx.updateTable('settings').set({ value: wanted, updated_at: new Date() }).where('key', '=', 'demo_password').execute();
      });
    }
    return { loadedNow: false, password: wanted ?? stored.value, accounts: await accountList(db) };
  }
  const password = wanted ?? demoPassword();
  await loadDemo(db, password);
  return { loadedNow: true, password, accounts: await accountList(db) };
}

export async function loadDemo(db: Kysely<DB>, password: string) {
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const orgIds = new Map<string, string>();
    for (const o of DEMO_ORGANISATIONS) {
      const id = newId();
      orgIds.set(o.key, id);
      await trx
        .insertInto('organisations')
        .values({
          id,
          name: o.name,
          acronym: o.acronym ?? null,
          country_code: o.country,
          type: o.type,
          sectors: o.sectors,
          website: o.website ?? null,
          description: o.description,
          status: o.status ?? 'approved',
          decided_at: o.status === 'requested' ? null : new Date(),
          requester_name: o.requester?.name ?? null,
          requester_email: o.requester?.email ?? null,
          requester_message: o.requester?.message ?? null,
        })
        .execute();
    }
    const personIds = new Map<string, string>();
    for (const a of DEMO_ACCOUNTS) {
      const id = newId();
      personIds.set(a.email, id);
      await trx
        .insertInto('people')
        .values({
          id,
          organisation_id: orgIds.get(a.org)!,
          email: a.email,
          name: a.name,
          password_hash: hash,
          languages: a.languages,
          ui_language: a.uiLanguage,
          time_zone: a.timeZone,
          roles: a.roles,
          status: 'active',
        })
        .execute();
    }
    const communityIds = new Map<string, string>();
    for (const c of DEMO_COMMUNITIES) {
      const id = newId();
      communityIds.set(c.slug, id);
      let translations = {};
      for (const [lang, t] of Object.entries(c.translations)) translations = withTranslation(translations, { language: 'en', source_rev: 1 }, lang, t, { by: null });
      await trx
        .insertInto('communities')
        .values({ id, slug: c.slug, name: c.name, description: c.description, language: 'en', translations: JSON.stringify(translations), created_by: personIds.get('admin@demo.puente.test')! })
        .execute();
      await trx
        .insertInto('community_organisations')
        .values(c.organisations.map((k) => ({ community_id: id, organisation_id: orgIds.get(k)! })))
        .execute();
      await trx
        .insertInto('community_people')
        .values(c.admins.map((e) => ({ community_id: id, person_id: personIds.get(e)!, is_admin: true })))
        .execute();
    }
    for (const n of DEMO_NOTES) {
      const author = DEMO_ACCOUNTS.find((a) => a.email === n.author)!;
      const audience = normaliseAudience(n.tlp, {
        organisations: (n.audience?.organisations ?? []).map((k) => orgIds.get(k)!),
        communities: (n.audience?.communities ?? []).map((k) => communityIds.get(k)!),
        people: (n.audience?.people ?? []).map((e) => personIds.get(e)!),
      });
      await trx
        .insertInto('notes')
        .values({
          id: newId(),
          title: n.title,
          body: n.body,
          language: n.language,
          translations: JSON.stringify(
            Object.entries(n.translations ?? {}).reduce((all, [lang, t]) => withTranslation(all, { language: n.language, source_rev: 1 }, lang, t, { by: personIds.get(n.author)! }), {}),
          ),
          tlp: n.tlp,
          pap: n.pap,
          author_id: personIds.get(n.author)!,
          author_org_id: orgIds.get(author.org)!,
          ...audienceColumns(audience),
        })
        .execute();
    }
    for (const feature of FEATURES) await feature.demo?.({ trx, orgIds, personIds, communityIds });
    await trx.insertInto('settings').values({ key: 'demo_password', value: password }).execute();
    await appendAudit(trx, { action: 'system.demo_loaded', details: { organisations: DEMO_ORGANISATIONS.length, accounts: DEMO_ACCOUNTS.length } });
  });
}
