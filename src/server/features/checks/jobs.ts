import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { appendAudit } from '../../platform/audit.js';
import { isUiLanguage, t } from '../../platform/i18n.js';
import { canSee, markingOf } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import type { Mailer, OutgoingMail } from '../../platform/mail.js';
import type { SecretBox } from '../../platform/secrets.js';
import { COUNTRY_KINDS, fieldMarking, ORGANISATION_KINDS } from '../contacts/service.js';
import { unacknowledgedTargets, unansweredContacts } from './repository.js';
import { buildMail } from './mail.js';
import './tables.js';
import '../contacts/tables.js';

// ---------- jobs ----------

export const REMINDERS_JOB = 'checks.reminders';
export const CLOSE_JOB = 'checks.close';

export interface JobDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  baseUrl: string;
  box: SecretBox;
}

/** Send the reminders that are due, to targets that have not acknowledged. Returns the number of mails queued. */
export async function sendDueReminders(d: JobDeps, now = new Date()): Promise<number> {
  const open = await d.db.selectFrom('communication_checks').selectAll().where('status', '=', 'open').where('deadline', '>', now).execute();
  let queued = 0;
  for (const ch of open) {
    const due = ch.reminder_at.filter((x) => new Date(x).getTime() <= now.getTime()).length;
    if (due <= ch.reminders_sent) continue;
    const targets = await unacknowledgedTargets(d.db, ch.id);
    const mails: { contactId: string; mail: OutgoingMail }[] = [];
    for (const tg of targets) {
      const token = d.box.open(tg.token_sealed);
      // The same treatment as the first mail: encrypted if it was.
      const { mail } = await buildMail(d.baseUrl, 'communication_check_reminder', {
        to: tg.email,
        marking: fieldMarking(tg, 'emails'),
        lang: isUiLanguage(tg.language) ? tg.language : 'en',
        key: tg.encrypted ? tg.pgp_key : null,
        name: tg.full_name,
        title: ch.title,
        message: ch.message,
        deadline: ch.deadline,
        token,
      });
      mails.push({ contactId: tg.contact_id, mail });
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      const claimed = await trx.updateTable('communication_checks').set({ reminders_sent: due }).where('id', '=', ch.id).where('reminders_sent', '=', ch.reminders_sent).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return; // another worker sent it
      for (const m of mails) {
        ids.push(await d.mailer.queue(trx, m.mail));
        await trx.updateTable('communication_check_targets').set((eb) => ({ reminders_sent: eb('reminders_sent', '+', 1) })).where('check_id', '=', ch.id).where('contact_id', '=', m.contactId).execute();
      }
      await appendAudit(trx, { action: 'communication_check.reminders_sent', targetType: 'communication_check', targetId: ch.id, details: { recipients: mails.length, reminder: due } });
    });
    if (ids.length) await d.mailer.flush(ids);
    queued += ids.length;
  }
  return queued;
}

/** Owners of a contact entry: the country's focal points for country kinds, the organisation's admins for the others. */
async function ownersOf(db: Kysely<DB>, c: { kinds: string[]; country_code: string; organisation_id: string }) {
  const owners = new Set<string>();
  if (c.kinds.some((k) => (COUNTRY_KINDS as readonly string[]).includes(k)))
    (await db.selectFrom('country_focal_points').select('person_id').where('country_code', '=', c.country_code).execute()).forEach((f) => owners.add(f.person_id));
  if (c.kinds.some((k) => (ORGANISATION_KINDS as readonly string[]).includes(k)))
    (
      await db
        .selectFrom('people')
        .select('id')
        .where('organisation_id', '=', c.organisation_id)
        .where('status', '=', 'active')
        .where(sql<boolean>`roles @> ARRAY['org_admin']::text[]`)
        .execute()
    ).forEach((a) => owners.add(a.id));
  return owners;
}

/**
 * Close the checks whose deadline has passed. A contact that has now failed two
 * checks in a row (this one and its previous closed one) is flagged and its
 * owners are told by e-mail. Returns the ids of the checks closed.
 */
export async function closeDueChecks(d: JobDeps, now = new Date()): Promise<string[]> {
  const due = await d.db.selectFrom('communication_checks').select(['id', 'title', 'deadline', 'created_at']).where('status', '=', 'open').where('deadline', '<=', now).execute();
  const closed: string[] = [];
  for (const ch of due) {
    const misses = await unansweredContacts(d.db, ch.id);
    const toFlag: typeof misses = [];
    for (const c of misses) {
      const prev = await d.db
        .selectFrom('communication_check_targets as t')
        .innerJoin('communication_checks as x', 'x.id', 't.check_id')
        .select(['t.acknowledged_at'])
        .where('t.contact_id', '=', c.id)
        .where('x.id', '<>', ch.id)
        .where('x.status', '=', 'closed')
        .where('x.created_at', '<', ch.created_at)
        .orderBy('x.created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (prev && prev.acknowledged_at === null) toFlag.push(c);
    }
    const mails: OutgoingMail[] = [];
    for (const c of toFlag) {
      for (const ownerId of await ownersOf(d.db, c)) {
        const parts = await loadPrincipalParts(d.db, ownerId);
        if (!parts || !parts.viewer.vetted) continue;
        const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
        const named = canSee(parts.viewer, markingOf(c));
        const contact = named ? c.full_name : t(lang, 'mail.contact_reminder.unnamed');
        mails.push({
          content: { marking: named ? markingOf(c) : null },
          to: parts.person.email,
          subject: t(lang, 'mail.communication_check_flag.subject', { contact }),
          text: t(lang, 'mail.communication_check_flag.body', { name: parts.person.name, contact, link: `${d.baseUrl.replace(/\/$/, '')}/contacts/${c.id}` }),
          purpose: 'communication_check_flag',
        });
      }
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      const done = await trx.updateTable('communication_checks').set({ status: 'closed', closed_at: now }).where('id', '=', ch.id).where('status', '=', 'open').executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) return;
      for (const c of toFlag) {
        const ins = await trx.insertInto('contact_check_flags').values({ contact_id: c.id, check_id: ch.id, flagged_at: now }).onConflict((oc) => oc.doNothing()).returning('contact_id').executeTakeFirst();
        if (ins) await appendAudit(trx, { action: 'communication_check.contact_flagged', organisationId: c.organisation_id, targetType: 'contact', targetId: c.id, details: { checkId: ch.id } });
      }
      for (const m of mails) ids.push(await d.mailer.queue(trx, m));
      await appendAudit(trx, { action: 'communication_check.closed', targetType: 'communication_check', targetId: ch.id, details: { unanswered: misses.length, flagged: toFlag.length } });
      closed.push(ch.id);
    });
    if (ids.length) await d.mailer.flush(ids);
  }
  return closed;
}
