import { sql } from 'kysely';
import type { Database } from '../../src/server/db/connect.js';
import { openEmbedded, openPostgres } from '../../src/server/db/connect.js';
import { createSession } from '../../src/server/platform/auth/sessions.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';
import { sleep, startPuente, type Server } from '../servers.js';
import { ownStore, pct } from './search-bench.js';

// Issue 13: a situation report reaches everyone in its crisis room at once. The delay from a
// sitrep's save to its arrival at many connected event-stream clients, on one instance and, on
// PostgreSQL, across two instances of one database (each LISTENs and fans out to its own clients).
// Sizes can be made smaller for a quick check while developing (the defaults are the issue's).
const CLIENTS = Number(process.env.BENCH_SITREP_CLIENTS ?? 500);
const SITREPS = Number(process.env.BENCH_SITREP_COUNT ?? 20);
/** Pause between one sitrep's last delivery and the next POST, so deliveries of two sitreps never overlap. */
const SPACING_MS = Number(process.env.BENCH_SITREP_SPACING_MS ?? 250);
/** A sitrep not delivered to a client by then is lost. */
const LOST_AFTER_MS = 15_000;
/** Streams opened at once while connecting the clients (each is a session lookup on the server). */
const OPEN_AT_ONCE = 25;
const TARGET_MS = 1_000;
const BATCH = 500;
const EVENT_TYPE = 'sitrep.submitted';

const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

interface Member {
  cookie: string;
  csrf: string;
}

/**
 * CLIENTS people in approved organisations of their own (no two-step sign-in required), each in
 * the roster and the room community of the demo's open crisis, each with a session of their own:
 * every stream is a distinct person who may see the room's sitreps, as in a real room.
 */
async function seedRoom(database: Database): Promise<{ crisisId: string; members: Member[] }> {
  const db = database.db;
  const crisis = await db.selectFrom('crises').select(['id', 'room_community_id']).where('status', '=', 'open').where('exercise', '=', false).orderBy('declared_at').executeTakeFirst();
  if (!crisis) throw new Error('the demo has no open crisis');
  const perOrg = 25;
  const orgs = Math.ceil(CLIENTS / perOrg);
  const countries = ['CO', 'CL', 'DO', 'BR', 'ES', 'EE', 'FR', 'PT'];
  const insertAll = async (table: string, rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += BATCH) await db.insertInto(table as never).values(rows.slice(i, i + BATCH) as never).execute();
  };
  await insertAll(
    'organisations',
    Array.from({ length: orgs }, (_, i) => ({ id: uuid(0x900, i), name: `Bench crisis organisation ${i}`, country_code: countries[i % countries.length], type: 'national_csirt', status: 'approved' })),
  );
  const people = Array.from({ length: CLIENTS }, (_, i) => ({ id: uuid(0x901, i), organisation_id: uuid(0x900, Math.floor(i / perOrg)), email: `bench-room-${i}@bench.puente.test`, name: `Bench room member ${i}` }));
  await insertAll('people', people);
  await insertAll('community_people', people.map((p) => ({ community_id: crisis.room_community_id, person_id: p.id })));
  await insertAll('crisis_members', people.map((p) => ({ crisis_id: crisis.id, person_id: p.id, role: 'member', source: 'added' })));
  const members: Member[] = [];
  for (const p of people) {
    const s = await createSession(db, p.id, { idleMinutes: 120, absoluteHours: 12 }, {});
    members.push({ cookie: `puente_session=${s.id}`, csrf: s.csrfToken });
  }
  for (const t of ['people', 'sessions', 'community_people', 'crisis_members']) await sql`ANALYZE ${sql.table(t)}`.execute(db);
  return { crisisId: crisis.id, members };
}

/** One signed-in event stream; records when each sitrep's event arrived (wall clock, ms). */
class StreamClient {
  readonly arrived = new Map<string, { at: number; eventAt: number }>();
  ended = false;
  private readonly controller = new AbortController();
  private done: Promise<void> = Promise.resolve();

  static async open(origin: string, m: Member): Promise<StreamClient> {
    const c = new StreamClient();
    const res = await fetch(`${origin}/api/v1/stream`, { headers: { accept: 'text/event-stream', cookie: m.cookie }, signal: c.controller.signal });
    if (res.status !== 200 || !res.body) throw new Error(`the stream answered ${res.status}`);
    let ready!: () => void;
    const preamble = new Promise<void>((r) => (ready = r));
    c.done = c.read(res.body, ready);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no stream preamble within 30 s')), 30_000)));
    try {
      await Promise.race([preamble, late]);
    } finally {
      clearTimeout(timer);
    }
    return c;
  }

  private async read(body: ReadableStream<Uint8Array>, ready: () => void) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        // Taken before parsing: the moment the bytes reached this client.
        const at = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (block.startsWith('retry:')) ready();
          if (!block.includes(`event: ${EVENT_TYPE}\n`)) continue;
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const e = JSON.parse(data.slice(6)) as { subjectId: string; at: string };
          this.arrived.set(e.subjectId, { at, eventAt: Date.parse(e.at) });
        }
      }
    } catch {
      /* aborted */
    } finally {
      this.ended = true;
    }
  }

  async close() {
    this.controller.abort();
    await this.done;
  }
}

async function openClients(origins: string[], members: Member[]): Promise<StreamClient[]> {
  const clients: StreamClient[] = new Array(members.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(OPEN_AT_ONCE, members.length) }, async () => {
      // Half of the people on each instance when there are two: client i on origins[i % n].
      for (let i = next++; i < members.length; i = next++) clients[i] = await StreamClient.open(origins[i % origins.length]!, members[i]!);
    }),
  );
  return clients;
}

interface Measured {
  /** From just before the POST to the arrival, ms, sorted. */
  fromPost: number[];
  /** From the event's `at` (now() of the saving transaction) to the arrival, ms, sorted. */
  fromAt: number[];
  /** The POST's own answer time, ms, sorted. */
  post: number[];
  expected: number;
  lost: string[];
}

/** Post SITREPS sitreps to `origin` one after the other, each once every client has it (or LOST_AFTER_MS passed). */
async function measure(origin: string, crisisId: string, poster: Member, clients: StreamClient[]): Promise<Measured> {
  const out: Measured = { fromPost: [], fromAt: [], post: [], expected: SITREPS * clients.length, lost: [] };
  for (let n = 0; n < SITREPS; n++) {
    const sent = Date.now();
    const t = performance.now();
    const res = await fetch(`${origin}/api/v1/crises/${crisisId}/sitreps`, {
      method: 'POST',
      headers: { cookie: poster.cookie, 'x-csrf-token': poster.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ impactSeverity: 'yellow', outlook: 'stable', summary: `Bench situation report ${n + 1}`, conditions: 'Operations continue under the bench.', language: 'en' }),
    });
    const body = (await res.json()) as { id?: string };
    out.post.push(performance.now() - t);
    if (res.status !== 201 || !body.id) throw new Error(`the sitrep POST answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const id = body.id;
    const deadline = Date.now() + LOST_AFTER_MS;
    while (clients.some((c) => !c.arrived.has(id)) && Date.now() < deadline) await sleep(5);
    clients.forEach((c, i) => {
      const a = c.arrived.get(id);
      if (!a) out.lost.push(`sitrep ${n + 1} (${id}) to client ${i}${c.ended ? ' (its stream had ended)' : ''}`);
      else {
        out.fromPost.push(a.at - sent);
        out.fromAt.push(a.at - a.eventAt);
      }
    });
    await sleep(SPACING_MS);
  }
  for (const xs of [out.fromPost, out.fromAt, out.post]) xs.sort((a, b) => a - b);
  return out;
}

function row(ctx: ModeContext, setup: string, m: Measured): Row {
  const p99 = m.fromPost.length ? pct(m.fromPost, 99) : NaN;
  const delivered = m.fromPost.length;
  return [
    ctx.label,
    setup,
    `${fmt.int(delivered)} / ${fmt.int(m.expected)}${delivered < m.expected ? ' ✗' : ''}`,
    fmt.ms(pct(m.fromPost, 50)),
    fmt.ms(pct(m.fromPost, 95)),
    `${fmt.ms(p99)}${p99 > TARGET_MS ? ' ✗' : ''}`,
    fmt.ms(m.fromPost[m.fromPost.length - 1] ?? NaN),
    fmt.ms(pct(m.fromAt, 99)),
    fmt.ms(pct(m.post, 50)),
  ];
}

export const sitrepStream: Benchmark = {
  id: 'sitrep-stream',
  title: 'A sitrep reaching 500 connected clients: `POST /api/v1/crises/{id}/sitreps` to `GET /api/v1/stream`, on one instance and across two',
  intro: () =>
    `A Puente server of its own, on a store of its own: started once (migrations + demo), stopped, then ${fmt.int(CLIENTS)} people in approved organisations of their own are added to the roster and the room community of the demo's open crisis by SQL, with a session each; the server is started again. ` +
    `Each person opens the event stream (\`GET /api/v1/stream\`, ${OPEN_AT_ONCE} opened at a time; the stream has no per-person or per-address limit and is outside the API rate limit), so every client is a distinct room member who may see the sitrep. ` +
    `One of them then posts ${SITREPS} sitreps (AMBER to the room, no alert addressees) one after the other; after each, the bench waits until every client has its \`${EVENT_TYPE}\` event (at most ${LOST_AFTER_MS / 1000} s: one not there by then is lost and counted), then ${SPACING_MS} ms more. ` +
    'Delay per client and sitrep, in ms: from just before the POST was sent to the moment the event’s bytes reached the client (Date.now() in the bench process; all on one machine, one clock), and from the event’s `at` (PostgreSQL’s now() in the saving transaction: its start, before the commit) to the same moment. ' +
    'Embedded: one instance only (PGlite is one process’s database). PostgreSQL: one instance with all clients, then two instances on the same database with the clients split half and half and the sitreps posted to the first — the second hears of each by LISTEN/NOTIFY after the commit. ' +
    `The clients live in the bench process, which shares the cores with the servers and the database. Target (issue 13): p99 ≤ ${fmt.s(TARGET_MS)} from the save to the arrival (reported, not asserted; ✗ marks a miss, and a delivered count short of the expected one).`,
  columns: ['Database', 'instances, clients', 'delivered / expected', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'p99 ms from `at`', 'POST p50 ms'],
  async run(ctx: ModeContext) {
    const own = await ownStore(ctx, 'puente_bench_sitrep_stream');
    const servers: Server[] = [];
    let clients: StreamClient[] = [];
    try {
      const start = (n: string) => startPuente({ name: `Puente (${ctx.mode}, sitrep stream ${n})`, store: own.store, demoPassword: ctx.demo.password });
      const first = await start('seed');
      await first.stop();
      const database = own.store.kind === 'embedded' ? await openEmbedded(own.store.dataDir) : await openPostgres(own.store.url, 2);
      let seeded: Awaited<ReturnType<typeof seedRoom>>;
      try {
        seeded = await seedRoom(database);
      } finally {
        await database.close();
      }
      const rows: Row[] = [];
      const report = (setup: string, m: Measured) => {
        rows.push(row(ctx, setup, m));
        if (m.lost.length) ctx.note(`sitrep stream, ${setup}: ${m.lost.length} deliveries lost — ${m.lost.slice(0, 10).join('; ')}${m.lost.length > 10 ? '; …' : ''}`);
      };
      const [poster] = seeded.members;
      servers.push(await start('A'));
      clients = await openClients([servers[0]!.origin], seeded.members);
      report(`1, ${fmt.int(CLIENTS)}`, await measure(servers[0]!.origin, seeded.crisisId, poster!, clients));
      await Promise.all(clients.map((c) => c.close()));
      clients = [];
      if (ctx.mode === 'postgres') {
        servers.push(await start('B'));
        clients = await openClients([servers[0]!.origin, servers[1]!.origin], seeded.members);
        const both = await measure(servers[0]!.origin, seeded.crisisId, poster!, clients);
        report(`2 (posted to A), ${fmt.int(Math.ceil(CLIENTS / 2))} + ${fmt.int(Math.floor(CLIENTS / 2))}`, both);
        // Per instance as well: the second instance's share is the LISTEN/NOTIFY hop.
        for (const [k, name] of [
          [0, 'A'],
          [1, 'B'],
        ] as const) {
          const mine = clients.filter((_, i) => i % 2 === k);
          const ids = [...new Set(mine.flatMap((c) => [...c.arrived.keys()]))];
          const delays = mine.flatMap((c) => ids.flatMap((id) => (c.arrived.has(id) ? [c.arrived.get(id)!.at - c.arrived.get(id)!.eventAt] : []))).sort((a, b) => a - b);
          ctx.note(`sitrep stream, two instances: the clients on ${name} (${mine.length}) had p50 ${fmt.ms(pct(delays, 50))} ms, p99 ${fmt.ms(pct(delays, 99))} ms from the event's \`at\`.`);
        }
        await Promise.all(clients.map((c) => c.close()));
        clients = [];
      }
      return rows;
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      for (const s of servers) await s.stop();
      await own.dispose().catch(() => {});
    }
  },
};
