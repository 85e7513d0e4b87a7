import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { canSee, markingOf } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { isUiLanguage, t } from '../../platform/i18n.js';
import type { Mailer, OutgoingMail } from '../../platform/mail.js';
import { markClockReminded, membersOf, reportsToRemind } from './repository.js';

export const REPORT_REMINDER_JOB = 'incidents.report_reminders';
/** Every ten minutes: a 24-hour clock leaves no room for a daily run. */
export const REPORT_REMINDER_CRON = '*/10 * * * *';
/** How long before its due time the owner hears of a report. */
export const REMIND_BEFORE_HOURS = 6;

export interface ReportReminderDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  baseUrl: string;
  /** Now; tests set it. */
  now?: Date;
}

/** The due time in the reader's language and time zone (UTC when theirs is not known to Intl), the zone named. */
function when(d: Date, lang: string, timeZone: string) {
  const o: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  try {
    return new Intl.DateTimeFormat(lang === 'pt' ? 'pt-BR' : lang, { ...o, timeZone: timeZone || 'UTC' }).format(d);
  } catch {
    return new Intl.DateTimeFormat(lang === 'pt' ? 'pt-BR' : lang, { ...o, timeZone: 'UTC' }).format(d);
  }
}

const short = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

/**
 * Remind the owner organisation of NIS2 reports due: once when one comes within six hours of its
 * due time, once more when it falls due unsubmitted (reminded_at tells the two apart). The mail goes
 * to the owner's active members who may read the report under its marking now, and is marked as the
 * report (the outbox shows it to no one else); a RED report's title stays out of the subject, which
 * travels and is shown where the body is not. Each reminder is recorded with its mails in one
 * transaction. Returns the number of mails queued.
 */
export async function sendReportReminders(d: ReportReminderDeps): Promise<number> {
  const now = d.now ?? new Date();
  let queued = 0;
  for (const r of await reportsToRemind(d.db, now, REMIND_BEFORE_HOURS)) {
    const overdue = r.due_at <= now;
    const marking = markingOf(r);
    const mails: OutgoingMail[] = [];
    for (const m of await membersOf(d.db, r.owner_org_id)) {
      const parts = await loadPrincipalParts(d.db, m.id);
      if (!parts || !parts.viewer.vetted || !canSee(parts.viewer, marking)) continue;
      const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
      const dueAt = when(r.due_at, lang, parts.person.timeZone);
      const vars = {
        name: parts.person.name,
        kind: t(lang, `mail.incident_report_due.kinds.${r.kind}`),
        title: short(r.title),
        due: dueAt,
        tlp: r.tlp,
        link: `${d.baseUrl.replace(/\/$/, '')}/incidents/${r.incident_id}`,
        exercise: r.exercise ? t(lang, 'mail.incident_report_due.exercise') : '',
      };
      const which = overdue ? 'overdue' : 'soon';
      const subject = t(lang, `mail.incident_report_due.subject_${which}${r.tlp === 'RED' ? '_red' : ''}`, vars);
      const text = t(lang, `mail.incident_report_due.body_${which}`, vars);
      mails.push({ to: parts.person.email, subject, text, purpose: 'incident_report_due', content: { marking } });
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      for (const m of mails) ids.push(await d.mailer.queue(trx, m));
      // Recorded even when nobody could be told: asking again in ten minutes would change nothing.
      await markClockReminded(trx, r.id, now);
    });
    if (ids.length) await d.mailer.flush(ids);
    queued += ids.length;
  }
  return queued;
}
