import type { Platform } from '../../platform/deps.js';
import { markReminded, remindersDue } from './repository.js';
import { mailApplicant } from './service.js';

export const SESSION_REMINDER_JOB = 'applications.session_reminders';
/** Daily, early morning UTC. */
export const SESSION_REMINDER_CRON = '20 6 * * *';

/**
 * Remind seat holders a week and a day before their session. The day's reminder goes first; a
 * session less than a day away no longer gets the week's (it is marked sent with it). Each
 * reminder is sent once, recorded in the same transaction as its mail. Returns the mails queued.
 */
export async function sendSessionReminders(p: Platform, now = new Date()): Promise<number> {
  let queued = 0;
  for (const [which, days, marks] of [
    ['day', 1, ['day', 'week']],
    ['week', 7, ['week']],
  ] as const) {
    for (const a of await remindersDue(p.db, now, days, which)) {
      const ids: string[] = [];
      await p.db.transaction().execute(async (trx) => {
        await mailApplicant(p, trx, async (m) => ids.push(await p.mailer.queue(trx, m)), a.id, 'application_reminder', { vars: { days: String(days) } });
        await markReminded(trx, a.id, [...marks]);
      });
      if (ids.length) await p.mailer.flush(ids);
      queued += ids.length;
    }
  }
  return queued;
}
