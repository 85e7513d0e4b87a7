import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

type Cb = (err: Error | null, res?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store that keeps fixed-window counters in PostgreSQL, so
 * that every instance behind the load balancer counts against the same limit.
 * One upsert per counted request.
 */
export function postgresRateLimitStore(db: Kysely<DB>) {
  return class PostgresStore {
    constructor(private readonly options: { nameSpace?: string } = {}) {}

    incr(key: string, cb: Cb, timeWindow: number) {
      const k = `${this.options.nameSpace ?? 'rl'}:${key}`;
      sql<{ count: number; ttl: number }>`
        INSERT INTO rate_limits (key, count, reset_at)
        VALUES (${k}, 1, now() + make_interval(secs => ${timeWindow / 1000}))
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
          reset_at = CASE WHEN rate_limits.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END
        RETURNING count, GREATEST(0, ceil(extract(epoch FROM reset_at - now()) * 1000))::int AS ttl`
        .execute(db)
        .then((r) => cb(null, { current: r.rows[0].count, ttl: r.rows[0].ttl }))
        .catch((e: Error) => cb(e));
    }

    read(key: string, cb: Cb) {
      const k = `${this.options.nameSpace ?? 'rl'}:${key}`;
      sql<{ count: number; ttl: number }>`
        SELECT count, GREATEST(0, ceil(extract(epoch FROM reset_at - now()) * 1000))::int AS ttl
        FROM rate_limits WHERE key = ${k} AND reset_at > now()`
        .execute(db)
        .then((r) => cb(null, r.rows[0] ? { current: r.rows[0].count, ttl: r.rows[0].ttl } : { current: 0, ttl: 0 }))
        .catch((e: Error) => cb(e));
    }

    child(routeOptions: { routeInfo?: { method?: string; url?: string } }) {
      const route = routeOptions.routeInfo ? `${routeOptions.routeInfo.method}${routeOptions.routeInfo.url}` : 'route';
      return new PostgresStore({ nameSpace: `rl:${route}` });
    }
  };
}

/** Drop windows that ended; run from the hourly clean-up job. */
export async function pruneRateLimits(db: Kysely<DB>) {
  await db.deleteFrom('rate_limits').where('reset_at', '<', new Date(Date.now() - 60_000)).execute();
}
