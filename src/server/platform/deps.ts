import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/connect.js';
import type { DB } from '../db/schema.js';
import { appendAudit, type AuditEntry } from './audit.js';
import { publishEvent, type EventHub, type NewEvent } from './events.js';
import type { Jobs } from './jobs.js';
import type { Mailer, OutgoingMail } from './mail.js';
import type { Metrics } from './metrics.js';
import { SecretBox } from './secrets.js';

/** Everything a feature needs from the platform, handed to buildApp. */
export interface AppDeps {
  config: Config;
  database: Database;
  secret: string;
  mailer: Mailer;
  jobs: Jobs | null;
  hub: EventHub;
  metrics: Metrics;
}

export interface Platform extends AppDeps {
  db: Kysely<DB>;
  box: SecretBox;
}

export function platformOf(deps: AppDeps): Platform {
  return { ...deps, db: deps.database.db, box: new SecretBox(deps.secret) };
}

export interface Change {
  trx: Transaction<DB>;
  audit(e: AuditEntry): Promise<void>;
  event(e: NewEvent): Promise<number>;
  mail(m: OutgoingMail): Promise<string>;
  /** Many mails at once (multi-row inserts): for changes that write hundreds or thousands. */
  mails(ms: OutgoingMail[]): Promise<string[]>;
}

/**
 * Run a change in one transaction: the rows, its audit entries, its events and
 * the mails it causes commit together or not at all. Mails are handed to the
 * delivery job only after commit.
 */
export async function change<T>(p: Platform, fn: (c: Change) => Promise<T>): Promise<T> {
  const mailIds: string[] = [];
  const result = await p.db.transaction().execute(async (trx) =>
    fn({
      trx,
      audit: (e) => appendAudit(trx, e),
      event: (e) => publishEvent(trx, e),
      mail: async (m) => {
        const id = await p.mailer.queue(trx, m);
        mailIds.push(id);
        return id;
      },
      mails: async (ms) => {
        const ids = await p.mailer.queueMany(trx, ms);
        mailIds.push(...ids);
        return ids;
      },
    }),
  );
  if (mailIds.length) await p.mailer.flush(mailIds);
  return result;
}
