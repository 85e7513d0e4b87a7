import { runLoad, type LoadResult } from '../load.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';

function row(ctx: ModeContext, target: string, r: LoadResult, bare: LoadResult | null, comparable = true): Row {
  const failures = r.non2xx || r.errors ? `${r.non2xx}${r.firstBadStatus ? ` (${r.firstBadStatus})` : ''} / ${r.errors}` : '0 / 0';
  return [
    ctx.label,
    target,
    fmt.int(r.rps),
    fmt.ms(r.p50Ms),
    fmt.ms(r.p99Ms),
    fmt.ms(r.maxMs),
    failures,
    !comparable ? '—' : bare ? fmt.ratio(r.rps / bare.rps) : '1 (baseline)',
    !comparable ? '—' : bare ? fmt.ratio(r.p99Ms / bare.p99Ms) : '1 (baseline)',
  ];
}

/** GET /api/v1/me (session cookie) beside a bare Fastify route and Puente's DB-free /healthz. */
export const httpThroughput: Benchmark = {
  id: 'http',
  title: 'Request throughput: `GET /api/v1/me` against a bare Fastify route',
  intro: (s) =>
    [
      `Closed-loop load from \`bench/load.ts\`: ${s.connections} keep-alive connections, each sending the next request as soon as the previous response is complete; ` +
        `${s.warmupMs / 1000} s warm-up (not counted), then ${s.durationMs / 1000} s measured per target, one target at a time. Latency is per request, in ms.`,
      '',
      '- **bare Fastify** — a separate process (`bench/bare-server.ts`) with one route `GET /` returning `{"ok":true}`, started the same way as Puente (`node --import tsx`).',
      '- **`/healthz`** — Puente\'s liveness route: the whole plugin stack (helmet, CORS, cookies, auth hook, metrics hook) without a database query.',
      '- **`/api/v1/me`, 1 connection** — the same request without concurrency: the cost of one request when nothing queues (no ratio: the baseline ran with ' + s.connections + ' connections).',
      '- **`/api/v1/me`** — signed in with the session cookie of a demo account: one query for the session, the person, their organisation and communities; the rate-limit counter (counted in the instance, added to PostgreSQL every 250 ms); response serialisation.',
      '',
      'Ratios are Puente ÷ bare from the same run: below 1× for req/s and above 1× for p99 means slower than bare. "non-2xx / errors" must be 0 / 0 for a row to mean anything.',
    ].join('\n'),
  columns: ['Database', 'Target', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx / errors', 'req/s vs bare', 'p99 vs bare'],
  async run(ctx) {
    const { connections, warmupMs, durationMs } = ctx.settings;
    const cookie = await ctx.login();
    // Check the request the load test will repeat before measuring it.
    const probe = await fetch(`${ctx.puente.origin}/api/v1/me`, { headers: { cookie } });
    const me = (await probe.json()) as { email?: string };
    if (probe.status !== 200 || me.email !== ctx.demo.email) throw new Error(`GET /api/v1/me answered ${probe.status}: ${JSON.stringify(me).slice(0, 200)}`);

    const bare = await runLoad({ origin: ctx.bare.origin, path: '/', connections, warmupMs, durationMs });
    const health = await runLoad({ origin: ctx.puente.origin, path: '/healthz', connections, warmupMs, durationMs });
    const meRun = await runLoad({ origin: ctx.puente.origin, path: '/api/v1/me', headers: { cookie }, connections, warmupMs, durationMs });
    const meSerial = await runLoad({ origin: ctx.puente.origin, path: '/api/v1/me', headers: { cookie }, connections: 1, warmupMs, durationMs });
    return [
      row(ctx, 'bare Fastify `GET /`', bare, null),
      row(ctx, 'Puente `GET /healthz`', health, bare),
      row(ctx, 'Puente `GET /api/v1/me`', meRun, bare),
      row(ctx, 'Puente `GET /api/v1/me`, 1 connection', meSerial, bare, false),
    ];
  },
};
