import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Database } from '../db/connect.js';
import { canSee, markingColumns, markingOf, visibleSql, type Marking, type Viewer } from './access/policy.js';
import { currentSubjectMarkings, type EventSubjectType } from './event-subjects.js';

export const EVENTS_CHANNEL = 'puente_events';

export interface NewEvent {
  type: string;
  /** What the event is about: its record's current marking is checked again at delivery and replay (event-subjects.ts). */
  subjectType: EventSubjectType;
  subjectId?: string;
  payload?: Record<string, unknown>;
  /** Who may receive the event: the same marking as the record it is about. */
  marking: Marking;
  pap?: string;
}

export interface StoredEvent {
  id: number;
  at: Date;
  type: string;
  subjectType: string | null;
  subjectId: string | null;
  payload: Record<string, unknown>;
  marking: Marking;
}

/**
 * Append an event inside the caller's transaction and NOTIFY its id. PostgreSQL
 * delivers the notification only when (and if) the transaction commits, so a
 * listener never hears of a change that was rolled back.
 */
export async function publishEvent(trx: Transaction<DB> | Kysely<DB>, e: NewEvent): Promise<number> {
  const row = await trx
    .insertInto('events')
    .values({
      type: e.type,
      subject_type: e.subjectType ?? null,
      subject_id: e.subjectId ?? null,
      payload: JSON.stringify(e.payload ?? {}),
      ...markingColumns(e.marking),
      pap: e.pap ?? 'GREEN',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${String(row.id)})`.execute(trx);
  return Number(row.id);
}

type EventRow = DB['events'] extends infer T ? { [K in keyof T]: unknown } : never;

function toStored(r: Record<string, unknown>): StoredEvent {
  return {
    id: Number(r.id),
    at: r.at as Date,
    type: r.type as string,
    subjectType: (r.subject_type as string | null) ?? null,
    subjectId: (r.subject_id as string | null) ?? null,
    payload: (r.payload as Record<string, unknown>) ?? {},
    marking: markingOf(r as Parameters<typeof markingOf>[0]),
  };
}

export interface Subscriber {
  viewer: Viewer;
  send(e: StoredEvent): void;
}

/**
 * Each process LISTENs once and fans notifications out to its own stream
 * clients, checking every event against each viewer with the access policy.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: (() => Promise<void>) | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly database: Database) {}

  get clientCount() {
    return this.subscribers.size;
  }

  async start() {
    this.unlisten = await this.database.listen(EVENTS_CHANNEL, (payload) => {
      const id = Number(payload);
      if (!Number.isSafeInteger(id)) return;
      // Serialise loads so events reach clients in notification order.
      this.queue = this.queue.then(() => this.deliver(id)).catch(() => {});
    });
  }

  async stop() {
    await this.unlisten?.();
    this.unlisten = null;
    this.subscribers.clear();
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  private async deliver(id: number) {
    if (this.subscribers.size === 0) return;
    const row = await this.database.db.selectFrom('events').selectAll().where('id', '=', String(id)).executeTakeFirst();
    if (!row) return;
    const event = toStored(row as unknown as Record<string, unknown>);
    // Read now, not when the event was written: a record narrowed or deleted meanwhile decides.
    const [now] = await currentSubjectMarkings(this.database.db, [event]);
    if (now === null) return;
    for (const s of this.subscribers) {
      if (canSee(s.viewer, event.marking) && (now === undefined || canSee(s.viewer, now))) s.send(event);
    }
  }

  /**
   * Events after `afterId` that this viewer may see, for resuming with Last-Event-ID: by the
   * event's own marking and by its record's marking now (an event about a record narrowed or
   * deleted since is not replayed to whom the record no longer allows).
   */
  async since(viewer: Viewer, afterId: number, limit = 500): Promise<StoredEvent[]> {
    const rows = await this.database.db
      .selectFrom('events as e')
      .selectAll()
      .where('e.id', '>', String(afterId))
      .where(visibleSql(viewer, 'e'))
      .orderBy('e.id')
      .limit(limit)
      .execute();
    const events = rows.map((r) => toStored(r as unknown as Record<string, unknown>));
    const now = await currentSubjectMarkings(this.database.db, events);
    return events.filter((_, i) => now[i] !== null && (now[i] === undefined || canSee(viewer, now[i]!)));
  }
}

export type { EventRow };
