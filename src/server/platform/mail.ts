import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { newId } from './ids.js';
import type { Jobs } from './jobs.js';
import { t, type UiLanguage } from './i18n.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is for (invitation, password_reset, …): shown in the outbox. */
  purpose: string;
}

const DELIVER = 'mail.deliver';
const SWEEP = 'mail.sweep';
const MAX_ATTEMPTS = 8;

/**
 * Every mail is first written to mail_outbox in the transaction of the change
 * that causes it, so nothing is sent for a change that rolled back and nothing
 * is lost if the process dies before sending. With PUENTE_SMTP_URL set a job
 * delivers it through nodemailer (a sweep picks up any it missed); without SMTP
 * the outbox is where the secretariat reads it.
 */
export class Mailer {
  private transport: Transporter | null;
  private jobs: Jobs | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly smtpUrl: string | null,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  get delivering() {
    return this.transport !== null;
  }

  async attach(jobs: Jobs) {
    this.jobs = jobs;
    if (!this.transport) return;
    await jobs.register(DELIVER, async (data) => {
      await this.deliver(String(data.id));
    });
    await jobs.register(SWEEP, async () => this.sweep(), { cron: '* * * * *' });
  }

  /** Queue a mail within the caller's transaction. Call `flush` with the ids after commit. */
  async queue(trx: Transaction<DB> | Kysely<DB>, mail: OutgoingMail): Promise<string> {
    const id = newId();
    await trx
      .insertInto('mail_outbox')
      .values({ id, to_address: mail.to, subject: mail.subject, text_body: mail.text, html_body: mail.html ?? null, purpose: mail.purpose })
      .execute();
    return id;
  }

  /** Hand committed mails to the delivery job (best effort: the sweep catches the rest). */
  async flush(ids: string[]) {
    if (!this.transport || !this.jobs) return;
    for (const id of ids) await this.jobs.send(DELIVER, { id }, { singletonKey: id, retryLimit: 5, retryBackoff: true }).catch(() => {});
  }

  async deliver(id: string): Promise<boolean> {
    if (!this.transport) return false;
    const m = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).where('sent_at', 'is', null).executeTakeFirst();
    if (!m || m.attempts >= MAX_ATTEMPTS) return false;
    try {
      await this.transport.sendMail({ from: this.from, to: m.to_address, subject: m.subject, text: m.text_body, html: m.html_body ?? undefined });
      await this.db.updateTable('mail_outbox').set({ sent_at: new Date(), attempts: m.attempts + 1, last_error: null }).where('id', '=', id).execute();
      return true;
    } catch (e) {
      await this.db
        .updateTable('mail_outbox')
        .set({ attempts: m.attempts + 1, last_error: String((e as Error).message).slice(0, 500) })
        .where('id', '=', id)
        .execute();
      throw e;
    }
  }

  /** Deliver anything still unsent (e.g. queued just before a crash). */
  async sweep() {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .orderBy('created_at')
      .limit(200)
      .execute();
    for (const r of rows) await this.deliver(r.id).catch(() => {});
  }

  close() {
    this.transport?.close();
  }
}

/** Build a localised mail from a template in src/server/locales. */
export function renderMail(lang: UiLanguage, key: string, vars: Record<string, string>): { subject: string; text: string } {
  return { subject: t(lang, `mail.${key}.subject`, vars), text: t(lang, `mail.${key}.body`, vars) };
}
