import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

type Cb = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** Add `n` hits to a fixed-window counter shared by every instance; returns the new total and time left. */
async function addHits(db: Kysely<DB>, key: string, n: number, timeWindow: number) {
  const r = await sql<{ count: number; ttl: number }>`
    INSERT INTO rate_limits (key, count, reset_at)
    VALUES (${key}, ${n}, now() + make_interval(secs => ${timeWindow / 1000}))
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.reset_at <= now() THEN ${n} ELSE rate_limits.count + ${n} END,
      reset_at = CASE WHEN rate_limits.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END
    RETURNING count, GREATEST(0, ceil(extract(epoch FROM reset_at - now()) * 1000))::int AS ttl`.execute(db);
  return r.rows[0];
}

/**
 * Counters for the general API limit, kept in PostgreSQL but written in
 * batches: each instance counts locally and adds its hits to the shared row
 * every FLUSH_MS. A write per request would cost more than the request itself;
 * the price is that a client may overshoot the limit by what it sends to each
 * instance within one flush interval.
 */
export class BatchedCounters {
  static FLUSH_MS = 250;
  /** shared: the total the database last answered; sending: hits on their way to it; pending: hits not sent yet. */
  private readonly keys = new Map<string, { shared: number; sending: number; pending: number; resetAt: number; window: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly db: Kysely<DB>) {}

  hit(key: string, timeWindow: number): { current: number; ttl: number } {
    const now = Date.now();
    let k = this.keys.get(key);
    if (!k || k.resetAt <= now) {
      k = { shared: 0, sending: 0, pending: 0, resetAt: now + timeWindow, window: timeWindow };
      this.keys.set(key, k);
    }
    k.pending++;
    this.timer ??= setTimeout(() => void this.flush(), BatchedCounters.FLUSH_MS).unref();
    return { current: k.shared + k.sending + k.pending, ttl: k.resetAt - now };
  }

  async flush(): Promise<void> {
    this.timer = null;
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      for (const [key, k] of this.keys) {
        if (k.pending === 0) {
          if (k.resetAt <= Date.now()) this.keys.delete(key);
          continue;
        }
        const n = k.pending;
        k.pending = 0;
        // Counted while on their way, so that a hit arriving meanwhile sees them.
        k.sending = n;
        try {
          const row = await addHits(this.db, key, n, k.window);
          // The database's total includes them (and every other instance's hits).
          k.shared = row.count;
          k.resetAt = Date.now() + row.ttl;
        } catch {
          k.pending += n; // database busy or gone: keep counting locally, retry next time
        } finally {
          k.sending = 0;
        }
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush().catch(() => {});
  }
}

/**
 * A @fastify/rate-limit store on PostgreSQL, so that every instance behind the
 * load balancer counts against the same limit. The global API limit goes
 * through BatchedCounters; the strict per-route limits (sign-in, join requests)
 * write every hit at once.
 */
export function postgresRateLimitStore(db: Kysely<DB>, batched: BatchedCounters) {
  return class PostgresStore {
    constructor(private readonly options: { nameSpace?: string; exact?: boolean } = {}) {}

    incr(key: string, cb: Cb, timeWindow: number) {
      const k = `${this.options.nameSpace ?? 'api'}:${key}`;
      if (!this.options.exact) {
        cb(null, batched.hit(k, timeWindow));
        return;
      }
      addHits(db, k, 1, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.ttl }),
        (e: Error) => cb(e),
      );
    }

    child(routeOptions: { routeInfo?: { method?: string; url?: string } }) {
      const route = routeOptions.routeInfo ? `${routeOptions.routeInfo.method}${routeOptions.routeInfo.url}` : 'route';
      return new PostgresStore({ nameSpace: `route:${route}`, exact: true });
    }
  };
}

/** Drop windows that ended; run from the hourly clean-up job. */
export async function pruneRateLimits(db: Kysely<DB>) {
  await db.deleteFrom('rate_limits').where('reset_at', '<', new Date(Date.now() - 60_000)).execute();
}
