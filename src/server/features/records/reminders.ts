import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { canSee, markingOf } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { isUiLanguage } from '../../platform/i18n.js';
import type { Mailer, OutgoingMail } from '../../platform/mail.js';
import { renderMail } from '../../platform/mail.js';
import { adminsOf, commitmentsToRemind, markReminded } from './repository.js';

export const COMMITMENT_REMINDER_JOB = 'records.commitment_reminders';
/** Daily, early morning UTC. */
export const COMMITMENT_REMINDER_CRON = '50 5 * * *';
/** How long before its due date a commitment's owners hear of it. */
export const REMIND_BEFORE_DAYS = 14;

export interface CommitmentReminderDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  baseUrl: string;
  /** Today (UTC, YYYY-MM-DD); tests set it. */
  today?: string;
}

/**
 * Remind the owners of commitments: two weeks before the due date, and once when it has passed
 * without the commitment being done (or dropped). The owners are the admins of the member
 * organisations the commitment names, else the admins of the record's organisation — and of
 * those only the ones who may read the record (its marking decides; a mail never carries a
 * commitment to someone who could not open it). Each reminder is sent once and recorded in the
 * same transaction as its mails. Returns the number of mails queued.
 */
export async function sendCommitmentReminders(d: CommitmentReminderDeps): Promise<number> {
  const today = d.today ?? new Date().toISOString().slice(0, 10);
  let queued = 0;
  for (const c of await commitmentsToRemind(d.db, today, REMIND_BEFORE_DAYS)) {
    const which: 'before' | 'after' = c.due < today ? 'after' : 'before';
    const marking = markingOf(c);
    const owners = await adminsOf(d.db, c.owner_organisations.length ? c.owner_organisations : c.author_org_id ? [c.author_org_id] : []);
    const mails: OutgoingMail[] = [];
    for (const o of owners) {
      const parts = await loadPrincipalParts(d.db, o.id);
      if (!parts || !parts.viewer.vetted || !canSee(parts.viewer, marking)) continue;
      const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
      const m = renderMail(lang, which === 'before' ? 'commitment_due' : 'commitment_overdue', {
        name: parts.person.name,
        commitment: c.text.length > 200 ? `${c.text.slice(0, 199)}…` : c.text,
        record: c.record_title,
        due: c.due,
        progress: String(c.progress),
        link: `${d.baseUrl.replace(/\/$/, '')}/commitments?record=${c.record_id}`,
      });
      mails.push({ to: parts.person.email, ...m, ...(which === 'before' ? { purpose: 'commitment_due' } : { purpose: 'commitment_overdue' }), content: { marking } });
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      for (const m of mails) ids.push(await d.mailer.queue(trx, m));
      // Marked as reminded even when nobody could be told (no admin who may read it): asking again tomorrow would change nothing.
      await markReminded(trx, c.id, which, today);
    });
    if (ids.length) await d.mailer.flush(ids);
    queued += ids.length;
  }
  return queued;
}
