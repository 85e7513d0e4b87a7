/**
 * The embedded database as an operator meets it: real server processes on a real
 * data directory. The lock, a clean SIGTERM, durability across SIGKILL, a damaged
 * directory and `puente restore`, `puente audit verify` on a hand-edited chain, and
 * the demo logins printed at start.
 *
 * The tests run in order and share one data directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openEmbedded } from './connect.js';
import { DEMO_ACCOUNTS } from '../demo/data.js';
import { DEMO_PASSWORD, killAll, runCli, runServerToExit, startServer, type Server } from '../test/process.js';

const SLOW = 180_000;
const NOTES = 20;

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  expect(body.status).toBe('ok');
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('puente_session='));
  expect(cookie).toBeDefined();
  return { cookie: cookie!, csrf: body.csrfToken };
}

async function noteTitles(baseUrl: string, s: Session): Promise<string[]> {
  const res = await fetch(`${baseUrl}/api/v1/notes?limit=500`, { headers: { cookie: s.cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()).items as { title: string }[]).map((n) => n.title);
}

describe('embedded data directory, real processes', () => {
  let dir: string;
  let dataDir: string;
  let backupFile: string;
  let server: Server | null = null;
  const env = () => ({ PUENTE_DATA_DIR: dataDir });
  const titles = Array.from({ length: NOTES }, (_, i) => `durable note ${String(i + 1).padStart(2, '0')} ${crypto.randomUUID()}`);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-embedded-'));
    dataDir = path.join(dir, 'data');
    backupFile = path.join(dir, 'backup.tar.gz');
  });
  afterAll(async () => {
    await killAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it(
    'starts on a new directory, prints the demo logins, and locks the directory against a second process',
    async () => {
      server = await startServer({ dataDir });
      const out = server.stdout();
      for (const a of DEMO_ACCOUNTS) expect(out).toContain(a.email);
      expect(out).toContain(DEMO_PASSWORD);
      expect(out).toContain(`embedded database in ${dataDir}`);
      const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'puente.lock'), 'utf8'));
      expect(lock.pid).toBe(server.proc.pid);

      const second = await runServerToExit({ dataDir });
      expect(second.code).not.toBe(0);
      expect(second.code).not.toBeNull();
      expect(second.stderr).toContain(dataDir);
      expect(second.stderr).toMatch(/in use/);
      expect(second.stderr).toContain(`pid ${server.proc.pid}`);
      // The first one is unharmed and still owns the lock.
      const h = await fetch(`${server.baseUrl}/healthz`);
      expect(h.status).toBe(200);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'puente.lock'), 'utf8')).pid).toBe(server.proc.pid);
    },
    SLOW,
  );

  it(
    'every acknowledged note survives SIGKILL; the stale lock is taken over',
    async () => {
      const s = await signIn(server!.baseUrl, 'diplomat.es@demo.puente.test');
      for (const title of titles) {
        const res = await fetch(`${server!.baseUrl}/api/v1/notes`, {
          method: 'POST',
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ title, body: `Body of ${title}`, language: 'en', tlp: 'GREEN', pap: 'GREEN' }),
        });
        expect(res.status, await res.clone().text()).toBe(201);
        expect((await res.json()).title).toBe(title);
      }
      const killedPid = server!.proc.pid;
      const e = await server!.stop('SIGKILL');
      expect(e.signal).toBe('SIGKILL');
      // The lock of the dead process is still there…
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'puente.lock'), 'utf8')).pid).toBe(killedPid);

      // …and is taken over by the next start.
      server = await startServer({ dataDir });
      const s2 = await signIn(server.baseUrl, 'diplomat.es@demo.puente.test');
      const found = await noteTitles(server.baseUrl, s2);
      for (const title of titles) expect(found).toContain(title);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'puente.lock'), 'utf8')).pid).toBe(server.proc.pid);
    },
    SLOW,
  );

  it(
    'SIGTERM: exit code 0 and the lock is removed; then `puente audit verify` passes and `puente backup` writes a file',
    async () => {
      const e = await server!.stop('SIGTERM');
      server = null;
      expect(e).toEqual({ code: 0, signal: null });
      expect(fs.existsSync(path.join(dataDir, 'puente.lock'))).toBe(false);

      const verify = await runCli(['audit', 'verify'], env());
      expect(verify.code, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/Audit chain intact: \d+ entries verified/);
      const checked = Number(/intact: (\d+)/.exec(verify.stdout)![1]);
      expect(checked).toBeGreaterThanOrEqual(NOTES);

      const backup = await runCli(['backup', backupFile], env());
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toContain(`Backup written to ${backupFile}`);
      expect(fs.statSync(backupFile).size).toBeGreaterThan(1000);
      expect(fs.existsSync(path.join(dataDir, 'puente.lock'))).toBe(false);
    },
    SLOW,
  );

  it(
    '`puente audit verify` exits 1 and names the entry edited by hand',
    async () => {
      const database = await openEmbedded(dataDir);
      try {
        const r = await sql`UPDATE audit_log SET action = 'tampered' WHERE seq = 2`.execute(database.db);
        expect(Number(r.numAffectedRows)).toBe(1);
      } finally {
        await database.close();
      }
      const verify = await runCli(['audit', 'verify'], env());
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain('entry 2');
      expect(verify.stdout).toMatch(/BROKEN/);
    },
    SLOW,
  );

  it(
    'a damaged directory refuses to start with a clear message; `puente restore --force` brings the backup back',
    async () => {
      const control = path.join(dataDir, 'pg', 'global', 'pg_control');
      expect(fs.existsSync(control)).toBe(true);
      fs.writeFileSync(control, crypto.randomBytes(fs.statSync(control).size));

      const refused = await runServerToExit({ dataDir });
      expect(refused.code).not.toBe(0);
      expect(refused.code).not.toBeNull();
      expect(refused.stderr).toMatch(/damaged/);
      expect(refused.stderr).toContain('puente restore');
      expect(refused.stderr).not.toMatch(/RuntimeError|Aborted\(|wasm-function/);
      // A refused start leaves no lock behind.
      expect(fs.existsSync(path.join(dataDir, 'puente.lock'))).toBe(false);

      // Without --force, restore does not replace what is there.
      const noForce = await runCli(['restore', backupFile], env());
      expect(noForce.code).not.toBe(0);
      expect(noForce.stderr).toMatch(/--force/);

      const restore = await runCli(['restore', backupFile, '--force'], env());
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain('Restored');
      // The damaged directory was moved aside, not deleted.
      expect(fs.readdirSync(dataDir).some((f) => f.startsWith('pg.before-restore-'))).toBe(true);

      server = await startServer({ dataDir });
      const s = await signIn(server.baseUrl, 'diplomat.es@demo.puente.test');
      const found = await noteTitles(server.baseUrl, s);
      for (const title of titles) expect(found).toContain(title);
      const e = await server.stop('SIGTERM');
      server = null;
      expect(e.code).toBe(0);

      // The backup predates the hand edit: its chain is intact.
      const verify = await runCli(['audit', 'verify'], env());
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    },
    SLOW,
  );
});
