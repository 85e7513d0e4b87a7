import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { newId } from './ids.js';
import type { Jobs } from './jobs.js';
import { t, type UiLanguage } from './i18n.js';
import { markingColumns, type Marking } from './access/policy.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is for (invitation, password_reset, …): shown in the outbox. */
  purpose: string;
  /** What the mail carries, which decides who besides its recipient may ever read it. Required: see MailContent. */
  content: MailContent;
  /** An iTIP message (RFC 5546) sent with it as text/calendar: an invitation or update (REQUEST) or a cancellation (CANCEL); platform/calendar.ts writes it. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; ics: string };
}

/**
 * What a mail carries. The outbox is a read path like any other: its readers (the
 * secretariat) see a mail's recipient, subject and body only where the access policy
 * lets them see what the mail is about, and never a personal credential.
 */
export interface MailContent {
  /**
   * The marking of the shared content in the mail (a topic's title, a contact's name
   * and address: the narrowest marking among them), or null for mail about the
   * recipient's own account or organisation, which carries no shared content.
   * A mail gathering several records (a digest) takes personalMarking(recipient).
   */
  marking: Marking | null;
  /** The body holds a personal credential (reset, invitation, acknowledgement link) valid until then: nobody but the recipient reads it. */
  credentialUntil?: Date;
}

/** Content only its recipient may see: a mail gathering several records of different markings. */
export function personalMarking(personId: string): Marking {
  return { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: [personId] } };
}

/** How long an undelivered body is kept at most (a credential's own expiry when sooner). */
const DEFAULT_BODY_RETENTION_MS = 72 * 3_600_000;

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
  /** Undelivered bodies are purged after this long (PUENTE_MAIL_BODY_RETENTION_HOURS). */
  bodyRetentionMs?: number;
  /** Rows (recipient, subject, status) are deleted after this long (PUENTE_OUTBOX_RETENTION_DAYS). */
  outboxRetentionMs?: number;
  /** Without SMTP, write each mail to standard output instead of keeping it unsent (PUENTE_MAIL_LOG; for demos). */
  log?: boolean;
}

/** One row for mail_outbox: the content's marking in the standard marking columns. */
function outboxRow(mail: OutgoingMail, bodyRetentionMs: number) {
  const m = mail.content.marking;
  const retention = new Date(Date.now() + bodyRetentionMs);
  const until = mail.content.credentialUntil && mail.content.credentialUntil < retention ? mail.content.credentialUntil : retention;
  return {
    id: newId(),
    to_address: mail.to,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    calendar_method: mail.calendar?.method ?? null,
    calendar_ics: mail.calendar?.ics ?? null,
    purpose: mail.purpose,
    credential: mail.content.credentialUntil !== undefined,
    // No shared content: no marking (tlp null), so the mail is about its recipient's own account.
    ...(m ? markingColumns(m) : { tlp: null, author_id: null, author_org_id: null, audience_organisations: [], audience_communities: [], audience_people: [] }),
    body_expires_at: until,
  };
}

const PURGE = 'mail.purge';

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
    smtpUrl: string | null,
    private readonly from: string,
    opts: MailerOptions = {},
  ) {
    this.connections = Math.max(1, opts.connections ?? 5);
    this.bodyRetentionMs = opts.bodyRetentionMs ?? DEFAULT_BODY_RETENTION_MS;
    this.outboxRetentionMs = opts.outboxRetentionMs ?? 30 * 86_400_000;
    if (smtpUrl) this.transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: this.connections, maxMessages: 1000 } as Parameters<typeof nodemailer.createTransport>[0]);
    else if (opts.log) {
      // The demo's mail: printed where whoever started the server reads it, then handled as delivered.
      this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.logMail = true;
    } else this.transport = null;
  }

  private readonly bodyRetentionMs: number;
  private readonly outboxRetentionMs: number;
  private logMail = false;

  get delivering() {
    return this.transport !== null;
  }

  async attach(jobs: Jobs) {
    this.jobs = jobs;
    await jobs.register(PURGE, async () => void (await this.purge()), { cron: '*/10 * * * *' });
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
    const row = outboxRow(mail, this.bodyRetentionMs);
    await trx.insertInto('mail_outbox').values(row).execute();
    return row.id;
  }

  /** Queue many mails within the caller's transaction, a few hundred rows per INSERT. */
  async queueMany(trx: Transaction<DB> | Kysely<DB>, mails: OutgoingMail[]): Promise<string[]> {
    const rows = mails.map((m) => outboxRow(m, this.bodyRetentionMs));
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
    const m = await this.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).where('sent_at', 'is', null).where('text_body', 'is not', null).executeTakeFirst();
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
      .where('text_body', 'is not', null)
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
          // Delivered: the body has done its job and is not kept (credentials above all).
          .set((eb) => ({ sent_at: new Date(), attempts: eb('attempts', '+', 1), last_error: null, text_body: null, html_body: null, calendar_ics: null, body_purged_at: new Date() }))
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
  private async sendOnly(m: { id: string; to_address: string; subject: string; text_body: string | null; html_body: string | null; attempts: number; calendar_method?: string | null; calendar_ics?: string | null }) {
    try {
      // nodemailer sends an iTIP message as a text/calendar alternative with its method, as calendar clients expect.
      const icalEvent = m.calendar_ics && m.calendar_method ? { method: m.calendar_method, content: m.calendar_ics, filename: m.calendar_method === 'CANCEL' ? 'cancel.ics' : 'invite.ics' } : undefined;
      const info = await this.transport!.sendMail({ from: this.from, to: m.to_address, subject: m.subject, text: m.text_body ?? '', html: m.html_body ?? undefined, ...(icalEvent ? { icalEvent } : {}) });
      if (this.logMail) process.stdout.write(`\n----- mail (PUENTE_MAIL_LOG=on; no SMTP relay configured) -----\n${String((info as { message?: Buffer }).message ?? '')}\n----- end of mail -----\n`);
    } catch (e) {
      await this.db
        .updateTable('mail_outbox')
        .set({ attempts: m.attempts + 1, last_error: String((e as Error).message).slice(0, 500) })
        .where('id', '=', m.id)
        .execute();
      throw e;
    }
  }

  private async send(m: { id: string; to_address: string; subject: string; text_body: string | null; html_body: string | null; attempts: number; calendar_method?: string | null; calendar_ics?: string | null }) {
    await this.sendOnly(m);
    await this.db
      .updateTable('mail_outbox')
      .set({ sent_at: new Date(), attempts: m.attempts + 1, last_error: null, text_body: null, html_body: null, calendar_ics: null, body_purged_at: new Date() })
      .where('id', '=', m.id)
      .execute();
  }

  /** Deliver anything still unsent (e.g. queued just before a crash), a few hundred at a time. */
  async sweep() {
    const rows = await this.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('sent_at', 'is', null)
      .where('text_body', 'is not', null)
      .where('attempts', '<', MAX_ATTEMPTS)
      .orderBy('created_at')
      .limit(200)
      .execute();
    await this.deliverMany(rows.map((r) => r.id).filter((id) => !this.inFlight.has(id)));
  }

  /**
   * Bodies past their expiry go (an undelivered credential is useless and dangerous), and
   * rows older than the outbox retention go whole. Returns how many bodies were purged.
   */
  async purge(now = new Date()): Promise<number> {
    const purged = await this.db
      .updateTable('mail_outbox')
      .set({ text_body: null, html_body: null, calendar_ics: null, body_purged_at: now })
      .where('body_purged_at', 'is', null)
      .where('body_expires_at', '<=', now)
      .executeTakeFirst();
    await this.db.deleteFrom('mail_outbox').where('created_at', '<', new Date(now.getTime() - this.outboxRetentionMs)).execute();
    return Number(purged.numUpdatedRows);
  }

  close() {
    this.transport?.close();
  }
}

/** Build a localised mail from a template in src/server/locales. */
export function renderMail(lang: UiLanguage, key: string, vars: Record<string, string>): { subject: string; text: string } {
  return { subject: t(lang, `mail.${key}.subject`, vars), text: t(lang, `mail.${key}.body`, vars) };
}
