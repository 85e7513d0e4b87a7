import { sql } from 'kysely';
import { openEmbedded, openPostgres, type Database } from '../../src/server/db/connect.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';
import { startPuente, type Server } from '../servers.js';
import { ownStore } from './search-bench.js';
import { startSink } from '../../src/server/test/smtp.js';

const TARGETS = Number(process.env.BENCH_CHECKS_CONTACTS ?? 5_000);
const ORGS = 50;
/** Give up waiting for the mails after this long (the figure is then the rate so far). */
const TIMEOUT_S = Number(process.env.BENCH_CHECKS_TIMEOUT_S ?? 300);

/** A deterministic uuid for the n-th seeded row of a kind (3 = organisation, 4 = contact). */
const uuidOf = (kind: number, n: string) => sql.raw(`('00000000-0000-4000-800${kind}-' || lpad(to_hex(${n}), 12, '0'))::uuid`);
const orgId = (n: number) => `00000000-0000-4000-8003-${n.toString(16).padStart(12, '0')}`;

/** 50 approved organisations with 100 GREEN, active 24/7 contacts each, every one with an e-mail and no OpenPGP key. */
async function seed(database: Database) {
  await sql`
    INSERT INTO organisations (id, name, acronym, country_code, type, sectors, status, description)
    SELECT ${uuidOf(3, 'g')}, 'Check Bench CSIRT ' || g, 'CB' || g, s.codes[1 + g % cardinality(s.codes)], 'national_csirt', '{}', 'approved', ''
    FROM generate_series(1, ${sql.lit(ORGS)}) AS g,
         (SELECT array_agg(code ORDER BY code) AS codes FROM countries WHERE kind = 'state') AS s`.execute(database.db);
  await sql`
    INSERT INTO contacts (id, organisation_id, country_code, kinds, full_name, position, languages, emails, tlp, author_org_id, status)
    SELECT ${uuidOf(4, 'g')}, o.id, o.country_code, ARRAY['operational_24_7'], 'Duty Officer ' || g, 'Duty officer',
           ARRAY[(ARRAY['en', 'es', 'pt', 'fr'])[1 + g % 4]],
           ARRAY['duty' || g || '@check-bench.example.test'], 'GREEN', o.id, 'active'
    FROM generate_series(1, ${sql.lit(TARGETS)}) AS g
    JOIN organisations o ON o.id = ${uuidOf(3, `(1 + g % ${ORGS})`)}`.execute(database.db);
  await sql`ANALYZE contacts`.execute(database.db);
}

/** The session cookie and the CSRF token a write needs. */
async function login(origin: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { csrfToken?: string };
  if (res.status !== 200 || !body.csrfToken) throw new Error(`login answered ${res.status}`);
  const session = res.headers.getSetCookie().find((c) => c.startsWith('puente_session='));
  if (!session) throw new Error('login set no puente_session cookie');
  return { cookie: session.split(';')[0], csrf: body.csrfToken };
}

export const checksDelivery: Benchmark = {
  id: 'checks',
  title: `Communication check: ${fmt.int(TARGETS)} contacts delivered to a local SMTP server`,
  intro: () =>
    `A Puente server of its own, on a store of its own, with \`PUENTE_SMTP_URL\` pointing at the test SMTP server (\`src/server/test/smtp-sink.ts\`, a separate node process on 127.0.0.1 ` +
    'that accepts every message and prints it). Started once (migrations + demo), stopped, then ' +
    `${ORGS} approved organisations and ${fmt.int(TARGETS)} active GREEN 24/7 contacts (one e-mail each, no OpenPGP key, languages en/es/pt/fr) are added with \`INSERT … SELECT generate_series\`, and the server is started again. ` +
    `Signed in as the demo secretariat admin, one \`POST /api/v1/communication-checks\` targets those ${ORGS} organisations: the launch resolves the targets through the access policy, ` +
    'writes the check, its targets and one outbox mail per target in one transaction, and hands the mails to the pg-boss delivery job, which sends them through nodemailer. ' +
    `Timed from sending the launch request to the SMTP server accepting the ${fmt.int(TARGETS)}th message (each accepted message is one line from the sink, timed on arrival). ` +
    `Target: ≤ 60 s (reported, not asserted). The wait is cut at ${TIMEOUT_S} s; the rate is then over the mails accepted so far.`,
  columns: ['Database', 'targets', 'launch request', 'mails accepted', 'launch → last mail', 'mails/s (overall)', 'mails/s (after the launch answered)', 'outbox rows sent'],
  async run(ctx: ModeContext) {
    const own = await ownStore(ctx, 'puente_bench_checks');
    const sink = await startSink({ keep: false });
    let server: Server | null = null;
    try {
      const start = (n: number) =>
        startPuente({ name: `Puente (${ctx.mode}, checks ${n})`, store: own.store, demoPassword: ctx.demo.password, env: { PUENTE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUENTE_MAIL_FROM: 'Puente Bench <no-reply@puente.test>' } });
      server = await start(1);
      await server.stop();
      server = null;
      const open = () => (own.store.kind === 'embedded' ? openEmbedded(own.store.dataDir) : openPostgres(own.store.url, 2));
      let database = await open();
      try {
        await seed(database);
      } finally {
        await database.close();
      }
      server = await start(2);
      const { cookie, csrf } = await login(server.origin, ctx.demo.email, ctx.demo.password);
      // Mail sent before the launch (demo, sign-in notices) is not counted.
      await new Promise((r) => setTimeout(r, 1500));
      const before = sink.arrivals.length;
      const organisations = Array.from({ length: ORGS }, (_, i) => orgId(i + 1));
      const t0 = performance.now();
      const res = await fetch(`${server.origin}/api/v1/communication-checks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify({ title: 'Bench communication check', message: 'Please acknowledge.', deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(), filters: { organisations } }),
      });
      const body = (await res.json()) as { overall?: { targets?: number } };
      const launchMs = performance.now() - t0;
      if (res.status !== 200 && res.status !== 201) throw new Error(`launch answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      const targets = body.overall?.targets ?? NaN;
      const want = before + TARGETS;
      const deadline = t0 + TIMEOUT_S * 1000;
      while (sink.arrivals.length < want && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const got = sink.arrivals.length - before;
      const lastAt = got > 0 ? sink.arrivals[before + got - 1] : NaN;
      const doneMs = lastAt - t0;
      const afterLaunch = sink.arrivals.slice(before).filter((a) => a > t0 + launchMs).length;
      // The outbox rows marked sent (PostgreSQL only: the running embedded server holds its store).
      let sent = NaN;
      if (own.store.kind === 'postgres') {
        database = await open();
        try {
          // Rows are marked sent in small batches after the server accepted them: wait (bounded) for the last batch.
          for (let i = 0; i < 50; i++) {
            const r = await sql<{ n: string }>`SELECT count(*) AS n FROM mail_outbox WHERE purpose = 'communication_check' AND sent_at IS NOT NULL`.execute(database.db);
            sent = Number(r.rows[0].n);
            if (sent >= TARGETS) break;
            await new Promise((res) => setTimeout(res, 100));
          }
        } finally {
          await database.close().catch(() => {});
        }
      }
      const complete = got >= TARGETS;
      ctx.note(
        `checks: ${complete ? `all ${fmt.int(TARGETS)} mails accepted ${fmt.s(doneMs)} after the launch request (target ≤ 60 s)` : `only ${fmt.int(got)} of ${fmt.int(TARGETS)} mails accepted within ${TIMEOUT_S} s`}; ` +
          `the launch request itself took ${fmt.s(launchMs)}; ${fmt.int(afterLaunch)} of the mails arrived after it answered.`,
      );
      return [
        [
          ctx.label,
          fmt.int(targets),
          fmt.s(launchMs),
          `${fmt.int(got)}${complete ? '' : ` (cut at ${TIMEOUT_S} s)`}`,
          complete ? fmt.s(doneMs) : `> ${TIMEOUT_S} s`,
          fmt.int((got / (complete ? doneMs : TIMEOUT_S * 1000)) * 1000),
          afterLaunch > 0 && complete ? fmt.int((afterLaunch / (doneMs - launchMs)) * 1000) : 'n/a',
          Number.isFinite(sent) ? fmt.int(sent) : 'n/a (embedded store in use)',
        ] as Row,
      ];
    } finally {
      await server?.stop();
      await sink.stop();
      await own.dispose().catch(() => {});
    }
  },
};
