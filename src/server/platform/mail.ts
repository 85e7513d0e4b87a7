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
/** Mails handed to one delivery job (a launch of 5,000 makes 10 jobs, not 5,000); large enough that a job outlasts the 1 s polling interval of the worker. */
const JOB_BATCH = 500;
/** Sent mails marked in one UPDATE. */
const SENT_BATCH = 25;

export interface MailerOptions {
  /** SMTP connections kept open and used in parallel (PUENTE_SMTP_CONNECTIONS). */
  connections?: number;
}

/**
 * Every mail is first written to mail_outbox in the transaction of the change
 * that causes it, so nothing is sent for a change that rolled back and nothing
 * is lost if the process dies before sending. With PUENTE_SMTP_URL set a job
 * delivers it through nodemailer (a sweep picks up any it missed); without SMTP
 * the outbox is where the secretariat reads it.
 *
 * Delivery uses a pool of SMTP connections (reused across mails, `connections`
 * of them in parallel); mails committed together go to the job queue in batches
 * of up to JOB_BATCH ids, and a job sends its batch over the pool. A mail being
 * sent by this process is not picked up again by the sweep or another job of it.
 */
export class Mailer {
  private transport: Transporter | null;
  private jobs: Jobs | null = null;
  private readonly connections: number;
  /** Outbox ids this process is sending right now. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly smtpUrl: string | null,
    private readonly from: string,
    opts: MailerOptions = {},
  ) {
    this.connections = Math.max(1, opts.connections ?? 5);
    this.transport = smtpUrl ? nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: this.connections, maxMessages: 1000 } as Parameters<typeof nodemailer.createTransport>[0]) : null;
  }

  get delivering() {
    return this.transport !== null;
  }

  async attach(jobs: Jobs) {
    this.jobs = jobs;
    if (!this.transport) return;
    await jobs.register(DELIVER, async (data) => {
      // { ids } since batching; { id } from jobs queued before it.
      const ids = Array.isArray(data.ids) ? data.ids.map(String) : data.id ? [String(data.id)] : [];
      const failed = await this.deliverMany(ids);
      // Let pg-boss retry the job when a mail failed (the sent ones are not sent again).
      if (failed) throw new Error(`${failed} of ${ids.length} mails could not be delivered`);
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

  /** Queue many mails within the caller's transaction, a few hundred rows per INSERT. */
  async queueMany(trx: Transaction<DB> | Kysely<DB>, mails: OutgoingMail[]): Promise<string[]> {
    const rows = mails.map((m) => ({ id: newId(), to_address: m.to, subject: m.subject, text_body: m.text, html_body: m.html ?? null, purpose: m.purpose }));
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('mail_outbox').values(rows.slice(i, i + 500)).execute();
    return rows.map((r) => r.id);
  }

  /** Hand committed mails to the delivery job (best effort: the sweep catches the rest). */
  async flush(ids: string[]) {
    if (!this.transport || !this.jobs) return;
    for (let i = 0; i < ids.length; i += JOB_BATCH) {
      const batch = ids.slice(i, i + JOB_BATCH);
      await this.jobs.send(DELIVER, { ids: batch }, { singletonKey: batch[0], retryLimit: 5, retryBackoff: true }).catch(() => {});
    }
  }

  /** Send one mail from the outbox (if still unsent); true when it was sent now. */
  async deliver(id: string): Promise<boolean> {
    if (!this.transport) return false;
    const m = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).where('sent_at', 'is', null).executeTakeFirst();
    if (!m || m.attempts >= MAX_ATTEMPTS || this.inFlight.has(id)) return false;
    this.inFlight.add(id);
    try {
      await this.send(m);
      return true;
    } finally {
      this.inFlight.delete(id);
    }
  }

  /**
   * Send the unsent mails among `ids` over the connection pool, `connections` at a
   * time; each is marked sent (or its error recorded) as soon as the server answers.
   * Returns how many failed.
   */
  async deliverMany(ids: string[]): Promise<number> {
    if (!this.transport || !ids.length) return 0;
    const rows = await this.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('id', 'in', ids)
      .where('sent_at', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .orderBy('created_at')
      .execute();
    // Claimed synchronously after the read: the sweep and other jobs of this process skip them.
    const mine = rows.filter((m) => !this.inFlight.has(m.id));
    for (const m of mine) this.inFlight.add(m.id);
    let next = 0;
    let failed = 0;
    // Sent mails are marked in batches (one UPDATE per SENT_BATCH, not one per mail).
    let sent: typeof mine = [];
    const markSent = async () => {
      const batch = sent;
      sent = [];
      if (batch.length)
        await this.db
          .updateTable('mail_outbox')
          .set((eb) => ({ sent_at: new Date(), attempts: eb('attempts', '+', 1), last_error: null }))
          .where('id', 'in', batch.map((m) => m.id))
          .execute();
    };
    const worker = async () => {
      while (next < mine.length) {
        const m = mine[next++];
        try {
          await this.sendOnly(m);
          sent.push(m);
          if (sent.length >= SENT_BATCH) await markSent();
        } catch {
          failed++;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.connections, mine.length) }, worker));
      await markSent();
    } finally {
      for (const m of mine) this.inFlight.delete(m.id);
    }
    return failed;
  }

  /** Send one mail; on failure record the error on its row and rethrow. Does not mark it sent. */
  private async sendOnly(m: { id: string; to_address: string; subject: string; text_body: string; html_body: string | null; attempts: number }) {
    try {
      await this.transport!.sendMail({ from: this.from, to: m.to_address, subject: m.subject, text: m.text_body, html: m.html_body ?? undefined });
    } catch (e) {
      await this.db
        .updateTable('mail_outbox')
        .set({ attempts: m.attempts + 1, last_error: String((e as Error).message).slice(0, 500) })
        .where('id', '=', m.id)
        .execute();
      throw e;
    }
  }

  private async send(m: { id: string; to_address: string; subject: string; text_body: string; html_body: string | null; attempts: number }) {
    await this.sendOnly(m);
    await this.db.updateTable('mail_outbox').set({ sent_at: new Date(), attempts: m.attempts + 1, last_error: null }).where('id', '=', m.id).execute();
  }

  /** Deliver anything still unsent (e.g. queued just before a crash), a few hundred at a time. */
  async sweep() {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .orderBy('created_at')
      .limit(200)
      .execute();
    await this.deliverMany(rows.map((r) => r.id).filter((id) => !this.inFlight.has(id)));
  }

  close() {
    this.transport?.close();
  }
}

/** Build a localised mail from a template in src/server/locales. */
export function renderMail(lang: UiLanguage, key: string, vars: Record<string, string>): { subject: string; text: string } {
  return { subject: t(lang, `mail.${key}.subject`, vars), text: t(lang, `mail.${key}.body`, vars) };
}
