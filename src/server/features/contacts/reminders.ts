import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit } from '../../platform/audit.js';
import { canSee, markingOf } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { isUiLanguage, t } from '../../platform/i18n.js';
import type { Mailer, MailContent } from '../../platform/mail.js';
import { renderMail } from '../../platform/mail.js';
import { COUNTRY_KINDS, ORGANISATION_KINDS } from './service.js';
import { STALE_INTERVAL } from './repository.js';
import './tables.js';

export const REMINDER_JOB = 'contacts.stale_reminders';
/** Daily, early morning UTC. */
export const REMINDER_CRON = '40 5 * * *';
/** A stale entry's owners are reminded again after this long if nobody confirmed it. */
const REMIND_AGAIN = '30 days';

export interface ReminderDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  baseUrl: string;
}

/**
 * Remind the owners of stale entries (not confirmed for 12 months): the national
 * focal points of the country for diplomatic and crisis-management entries, the
 * organisation's admins for the others. One mail per owner and entry, in the
 * owner's language; the entry's name only to owners who may see the entry.
 * Returns the number of mails queued.
 */
export async function sendStaleReminders(d: ReminderDeps): Promise<number> {
  const due = await d.db
    .selectFrom('contacts as c')
    .selectAll('c')
    .select(sql<number>`floor(extract(epoch FROM now() - c.last_confirmed_at) / 86400)::int`.as('age_days'))
    .where('c.status', '=', 'active')
    .where(sql<boolean>`c.last_confirmed_at < now() - ${sql.lit(STALE_INTERVAL)}::interval`)
    .where((eb) => eb.or([eb('c.last_reminded_at', 'is', null), sql<boolean>`c.last_reminded_at < now() - ${sql.lit(REMIND_AGAIN)}::interval`]))
    .orderBy('c.last_confirmed_at')
    .limit(1000)
    .execute();
  let queued = 0;
  for (const c of due) {
    const owners = new Set<string>();
    if (c.kinds.some((k) => (COUNTRY_KINDS as readonly string[]).includes(k))) {
      const fps = await d.db.selectFrom('country_focal_points').select('person_id').where('country_code', '=', c.country_code).execute();
      fps.forEach((f) => owners.add(f.person_id));
    }
    if (c.kinds.some((k) => (ORGANISATION_KINDS as readonly string[]).includes(k))) {
      const admins = await d.db
        .selectFrom('people')
        .select('id')
        .where('organisation_id', '=', c.organisation_id)
        .where('status', '=', 'active')
        .where(sql<boolean>`roles @> ARRAY['org_admin']::text[]`)
        .execute();
      admins.forEach((a) => owners.add(a.id));
    }
    const mails: { to: string; subject: string; text: string; content: MailContent }[] = [];
    for (const ownerId of owners) {
      const parts = await loadPrincipalParts(d.db, ownerId);
      if (!parts || !parts.viewer.vetted) continue;
      const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
      // The name travels only to an owner the policy lets see the entry.
      const named = canSee(parts.viewer, markingOf(c));
      const name = named ? c.full_name : t(lang, 'mail.contact_reminder.unnamed');
      const m = renderMail(lang, 'contact_reminder', {
        name: parts.person.name,
        contact: name,
        months: String(Math.floor(Number(c.age_days) / 30)),
        days: String(c.age_days),
        link: `${d.baseUrl.replace(/\/$/, '')}/contacts/${c.id}`,
      });
      mails.push({ to: parts.person.email, ...m, content: { marking: named ? markingOf(c) : null } });
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      for (const m of mails) ids.push(await d.mailer.queue(trx, { ...m, purpose: 'contact_reminder' }));
      await trx.updateTable('contacts').set({ last_reminded_at: new Date() }).where('id', '=', c.id).execute();
      await appendAudit(trx, { action: 'contact.reminder_sent', organisationId: c.organisation_id, targetType: 'contact', targetId: c.id, details: { recipients: mails.length, ageDays: Number(c.age_days) } });
    });
    if (ids.length) await d.mailer.flush(ids);
    queued += ids.length;
  }
  return queued;
}
