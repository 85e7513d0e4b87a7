import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';

/**
 * Every read of the mail outbox starts here. A mail is listed only to a reader who may
 * see what it carries (its marking; mail about someone's own account carries none), so
 * the secretariat, which administers delivery, reads no recipient, subject or body of
 * mail about records it may not see, and no count of them. A credential's body is never
 * returned (see outboxView).
 */
export function visibleOutbox(db: Kysely<DB>, viewer: Viewer) {
  return db
    .selectFrom('mail_outbox as m')
    .select(['m.id', 'm.to_address', 'm.subject', 'm.text_body', 'm.purpose', 'm.created_at', 'm.sent_at', 'm.last_error', 'm.credential', 'm.tlp', 'm.body_purged_at'])
    .where(sql<SqlBool>`(m.tlp IS NULL OR ${visibleSql(viewer, 'm')})`);
}

export type OutboxRow = Awaited<ReturnType<ReturnType<typeof visibleOutbox>['execute']>>[number];

export type OutboxStatus = 'queued' | 'sent' | 'failed';

export interface OutboxFilters {
  /** The kind of mail (invitation, password_reset, communication_check, …). */
  purpose?: string;
  /** sent: delivered; failed: not delivered, the last attempt failed; queued: waiting for a first attempt. */
  status?: OutboxStatus;
}

/** The newest mail the viewer may see, of one purpose and one delivery status if asked. */
export function listOutbox(db: Kysely<DB>, viewer: Viewer, limit: number, f: OutboxFilters = {}) {
  let q = visibleOutbox(db, viewer);
  if (f.purpose) q = q.where('m.purpose', '=', f.purpose);
  if (f.status === 'sent') q = q.where('m.sent_at', 'is not', null);
  else if (f.status === 'failed') q = q.where('m.sent_at', 'is', null).where('m.last_error', 'is not', null);
  else if (f.status === 'queued') q = q.where('m.sent_at', 'is', null).where('m.last_error', 'is', null);
  return q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(limit).execute();
}

/**
 * How much mail waits for delivery, for /metrics. The one read here that does not start
 * from the policy: a single number over all mail, which says nothing of any mail's
 * recipient, subject or marking, served only to the metrics scraper.
 */
export async function countUnsentMail(db: Kysely<DB>): Promise<number> {
  const unsent = await db.selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('sent_at', 'is', null).executeTakeFirst();
  return Number(unsent?.n ?? 0);
}

/** What a reader gets of a mail they may see: a credential's body stays with its recipient. */
export function outboxView(m: OutboxRow) {
  return {
    id: m.id,
    to: m.to_address,
    subject: m.subject,
    text: m.credential ? null : m.text_body,
    withheld: m.credential ? ('credential' as const) : null,
    purpose: m.purpose,
    tlp: m.tlp,
    createdAt: m.created_at.toISOString(),
    sentAt: m.sent_at?.toISOString() ?? null,
    bodyPurgedAt: m.body_purged_at?.toISOString() ?? null,
    lastError: m.last_error,
  };
}
