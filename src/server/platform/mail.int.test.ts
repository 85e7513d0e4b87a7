/**
 * Mail through a real SMTP server (src/server/test/smtp-sink.ts, a child process),
 * the outbox without SMTP, and the transactional outbox: a change that rolls back
 * queues no mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, platformOf } from './deps.js';
import { createTestApp, login, makeOrganisation, makePerson, tableCounts, TEST_PASSWORD, type TestApp } from '../test/harness.js';
import { startSink, waitFor } from '../test/smtp.js';

const NEW_PASSWORD = 'a brand-new passphrase 42';

// ---------- a small MIME reader (mailparser is not installed) ----------

function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i];
    if (c === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(v: string): string {
  return v.replace(/=\?([^?]+)\?([BQbq])\?([^?]*)\?=/g, (_m, _cs, enc: string, text: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

interface Part {
  headers: Record<string, string>;
  text: string;
}

function parsePart(raw: string): Part {
  const sep = raw.search(/\r?\n\r?\n/);
  const head = sep < 0 ? raw : raw.slice(0, sep);
  const body = sep < 0 ? '' : raw.slice(sep).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text = cte === 'quoted-printable' ? decodeQuotedPrintable(body) : cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { headers, text };
}

/** Headers of the message and the text of its text/plain part. */
function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const top = parsePart(raw);
  const ct = top.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (!ct.toLowerCase().startsWith('multipart/') || !boundary) return top;
  const sep = raw.search(/\r?\n\r?\n/);
  const parts = raw
    .slice(sep)
    .split(`--${boundary}`)
    .slice(1)
    .filter((p) => !p.startsWith('--'))
    .map((p) => parsePart(p.replace(/^\r?\n/, '')));
  const plain = parts.find((p) => (p.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith('text/plain'));
  return { headers: top.headers, text: plain?.text ?? '' };
}

// ---------- with SMTP ----------

describe('mail through a real SMTP server', () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  let t: TestApp;
  let email: string;

  beforeAll(async () => {
    sink = await startSink();
    t = await createTestApp({ env: { PUENTE_SMTP_URL: `smtp://127.0.0.1:${sink.port}`, PUENTE_MAIL_FROM: 'Puente Test <no-reply@puente.test>' }, jobs: true });
    const org = await makeOrganisation(t.db);
    ({ email } = await makePerson(t.db, org, { name: 'Zoë Ñandú' }));
  });
  afterAll(async () => {
    await t?.close();
    await sink?.stop();
  });

  it('a password reset is delivered over SMTP, and its link sets a new password', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: email.toUpperCase() } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });

    const mail = await waitFor('the reset mail at the sink', () => sink.mails.find((m) => m.to.includes(email)));
    expect(mail.to).toEqual([email]);
    expect(mail.from).toBe('no-reply@puente.test');
    const parsed = parseMail(mail.raw);
    expect(parsed.headers.subject).toBe('Reset your Puente password');
    expect(parsed.headers.to).toContain(email);
    expect(parsed.text).toContain('Hello Zoë Ñandú,');
    expect(parsed.text).toContain('http://puente.test/reset-password?token=');
    const token = /http:\/\/puente\.test\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(parsed.text)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    // The outbox row is marked sent.
    const row = await waitFor('sent_at on the outbox row', async () => {
      const r = await t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).executeTakeFirst();
      return r?.sent_at ? r : null;
    });
    expect(row.purpose).toBe('password_reset');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeNull();
    // Delivered: the body (and its link) is not kept.
    expect(row.text_body).toBeNull();
    expect(row.body_purged_at).not.toBeNull();

    // A signed-in session exists before the reset; the reset ends it.
    const before = await login(t.app, email);
    const done = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: NEW_PASSWORD } });
    expect(done.statusCode, done.body).toBe(204);
    expect((await before.get('/api/v1/me')).statusCode).toBe(401);

    await login(t.app, email, NEW_PASSWORD);
    const old = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('INVALID_CREDENTIALS');

    // The link works once.
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: 'yet another passphrase 7' } });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('GONE');
    await login(t.app, email, NEW_PASSWORD);

    const actions = (await t.db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toContain('auth.password_reset_requested');
    expect(actions).toContain('auth.password_reset');
  });

  it('a password reset for an unknown address queues and sends nothing', async () => {
    const before = await tableCounts(t.db);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'nobody-here@example.test' } });
    // The same answer as for a known address.
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });
    // Once the job has handled the recorded request, nothing is left of it.
    await waitFor('the request handled', async () => (await tableCounts(t.db)).password_reset_requests === 0);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a reset request does the same database work for a known and an unknown address; the job then mails the known one', async () => {
    const { email: known } = await makePerson(t.db, await makeOrganisation(t.db), { name: 'Known Person' });
    const jobs = t.deps.jobs!;
    const send = jobs.send;
    const held: [string, Record<string, unknown>][] = [];
    // Hold the jobs the answers queue, to see what the answers alone wrote.
    jobs.send = async (name, data) => {
      held.push([name, data]);
      return null;
    };
    const written: Record<string, number>[] = [];
    try {
      for (const address of [known, 'nobody-else@example.test']) {
        const before = await tableCounts(t.db);
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: address } });
        expect(res.statusCode).toBe(202);
        expect(res.json()).toEqual({ status: 'accepted' });
        const after = await tableCounts(t.db);
        written.push(Object.fromEntries(Object.keys(after).filter((k) => after[k] !== before[k]).map((k) => [k, after[k] - before[k]])));
      }
    } finally {
      jobs.send = send;
    }
    expect(written[0]).toEqual({ password_reset_requests: 1 });
    expect(written[1]).toEqual(written[0]);
    expect(held.map(([name]) => name)).toEqual(['auth.password_reset', 'auth.password_reset']);
    const rows = await t.db.selectFrom('password_reset_requests').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('nobody-else@example.test');

    for (const [name, data] of held) await jobs.send(name, data);
    const mail = await waitFor('the reset mail of the known address', () => sink.mails.find((m) => m.to.includes(known)));
    expect(parseMail(mail.raw).text).toContain('Hello Known Person,');
    await waitFor('both requests handled', async () => (await tableCounts(t.db)).password_reset_requests === 0);
    expect(await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'nobody-else@example.test').execute()).toEqual([]);
  });

  it('a rolled-back change queues no mail; a committed one is delivered', async () => {
    const p = platformOf(t.deps);
    const before = await tableCounts(t.db);
    await expect(
      change(p, async (c) => {
        await c.mail({ to: 'rolled-back@example.test', subject: 'never', text: 'must not be sent', purpose: 'test', content: { marking: null } });
        throw new Error('abort the change');
      }),
    ).rejects.toThrow('abort the change');
    expect(await tableCounts(t.db)).toEqual(before);

    await change(p, (c) => c.mail({ to: 'committed@example.test', subject: 'Hola — ¿qué tal?', text: 'Texto con acentos: áéíóú ñ 🌎', purpose: 'test', content: { marking: null } }));
    const m = await waitFor('the committed mail', () => sink.mails.find((x) => x.to.includes('committed@example.test')));
    const parsed = parseMail(m.raw);
    expect(parsed.headers.subject).toBe('Hola — ¿qué tal?');
    expect(parsed.text).toContain('Texto con acentos: áéíóú ñ 🌎');
    expect(sink.mails.some((x) => x.to.includes('rolled-back@example.test'))).toBe(false);
    expect(await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'rolled-back@example.test').execute()).toEqual([]);
  });
});

// ---------- without SMTP ----------

describe('mail without SMTP stays in the outbox, its credentials unreadable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the reset mail is kept unsent; the secretariat sees that it waits, never its link', async () => {
    expect(t.deps.config.smtpUrl).toBeNull();
    const orgS = await makeOrganisation(t.db, { country: 'INT', type: 'international_organisation' });
    const org = await makeOrganisation(t.db);
    const sec = await makePerson(t.db, orgS, { roles: ['member', 'org_admin', 'secretariat'] });
    const admin = await makePerson(t.db, org, { roles: ['member', 'org_admin'] });
    const member = await makePerson(t.db, org, { roles: ['member'] });

    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: member.email } });
    expect(res.statusCode).toBe(202);
    // Without jobs the instance makes the mail right after answering.
    const rows = await waitFor('the reset mail in the outbox', async () => {
      const r = await t.db.selectFrom('mail_outbox').selectAll().execute();
      return r.length ? r : null;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ to_address: member.email, purpose: 'password_reset', sent_at: null, attempts: 0, last_error: null });
    expect(rows[0].text_body).toContain('http://puente.test/reset-password?token=');

    const s = await login(t.app, sec.email);
    const list = await s.get('/api/v1/outbox');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: rows[0].id, to: member.email, purpose: 'password_reset', sentAt: null, lastError: null, subject: 'Reset your Puente password', text: null, withheld: 'credential' });
    expect(list.body).not.toContain('reset-password?token=');

    // The link itself, for its recipient only, works.
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(rows[0].text_body ?? '')![1];
    const done = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: NEW_PASSWORD } });
    expect(done.statusCode, done.body).toBe(204);
    await login(t.app, member.email, NEW_PASSWORD);
    // Still unsent: nothing delivers without SMTP.
    const after = await t.db.selectFrom('mail_outbox').select('sent_at').where('id', '=', rows[0].id).executeTakeFirstOrThrow();
    expect(after.sent_at).toBeNull();

    for (const who of [admin.email, member.email]) {
      const c = await login(t.app, who, who === member.email ? NEW_PASSWORD : TEST_PASSWORD);
      const r = await c.get('/api/v1/outbox');
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('FORBIDDEN');
    }
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/outbox' });
    expect(anon.statusCode).toBe(401);
  });
});
