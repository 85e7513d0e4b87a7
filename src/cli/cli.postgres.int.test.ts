/**
 * The `puente` command on PostgreSQL: migrate, demo load, backup (pg_dump),
 * restore (pg_restore) over a changed database, and the audit chain afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../server/test/harness.js';
import { killAll, runCli } from '../server/test/process.js';
import type { Database } from '../server/db/connect.js';

let database: Database & { url?: string };
let env: Record<string, string>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-cli-'));

beforeAll(async () => {
  database = await openTestDatabase();
  env = { PUENTE_DATABASE_URL: database.url!, PUENTE_DEMO_PASSWORD: 'demo-password-for-cli-1' };
});
afterAll(async () => {
  await killAll();
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = async (table: 'notes' | 'organisations' | 'audit_log') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('puente CLI on PostgreSQL', () => {
  it('migrates, loads the demo, backs up, restores over a changed database, and the audit chain holds', async () => {
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/up to date|Applied/);

    const demo = await runCli(['demo', 'load'], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('admin@demo.puente.test');
    const notes = await count('notes');
    const organisations = await count('organisations');
    expect(notes).toBeGreaterThan(0);

    const file = path.join(dir, 'puente.dump');
    const backup = await runCli(['backup', file], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    // Lose data after the backup.
    await database.db.deleteFrom('notes').execute();
    expect(await count('notes')).toBe(0);

    const refused = await runCli(['restore', file], env);
    expect(refused.code).not.toBe(0);

    const restored = await runCli(['restore', '--force', file], env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(await count('notes')).toBe(notes);
    expect(await count('organisations')).toBe(organisations);

    const verify = await runCli(['audit', 'verify'], env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/Audit chain intact: \d+ entries verified/);
  });

  it('creates a secretariat account, and refuses a second one with the same e-mail', async () => {
    const made = await runCli(['admin', 'create', '--email', 'ops@example.test', '--name', 'Ops Person', '--password', 'a long enough password'], env);
    expect(made.code, made.stderr).toBe(0);
    const person = await database.db.selectFrom('people').select(['roles', 'status']).where('email', '=', 'ops@example.test').executeTakeFirstOrThrow();
    expect(person.roles).toContain('secretariat');
    const again = await runCli(['admin', 'create', '--email', 'ops@example.test', '--name', 'Ops Person', '--password', 'a long enough password'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists already');
  });

  it('answers --help with every command', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    for (const c of ['serve', 'migrate', 'admin', 'backup', 'restore', 'audit', 'demo']) expect(help.stdout).toContain(c);
  });
});
