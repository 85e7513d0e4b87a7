/**
 * `puente intel load-attack|load-kev` on an embedded database: the command reads the
 * file, hands the objects to the intel service's loadReference (the same path as the
 * first start and the secretariat's KEV import) and reports what happened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { killAll, runCli } from '../server/test/process.js';
import { openEmbedded } from '../server/db/connect.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'puente-cli-reference-'));
const env = { PUENTE_DATA_DIR: path.join(dir, 'data') };
afterAll(async () => {
  await killAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

const at = '2024-01-01T00:00:00.000Z';
const pattern = (n: number) => ({ type: 'attack-pattern', spec_version: '2.1', id: `attack-pattern--0a1b2c3d-1111-4222-8333-44445555666${n}`, created: at, modified: at, name: `Technique ${n}` });
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('puente intel load-attack / load-kev', () => {
  it('loads, finds duplicates the second time, lists refusals, and says which file it cannot read', async () => {
    const bundle = write('techniques.json', JSON.stringify({ type: 'bundle', id: 'bundle--0a1b2c3d-1111-4222-8333-444455556666', objects: [pattern(1), pattern(2)] }));
    const first = await runCli(['intel', 'load-attack', bundle], env, 120_000);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('techniques.json: 2 objects — 2 new, 0 already there, 0 rejected\n');
    const again = await runCli(['intel', 'load-attack', bundle], env);
    expect(again.stdout).toBe('techniques.json: 2 objects — 0 new, 2 already there, 0 rejected\n');

    const bad = write('bad.json', JSON.stringify({ objects: [{ type: 'indicator', id: 'indicator--bad' }] }));
    const refused = await runCli(['intel', 'load-attack', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^bad\.json: 1 objects — 0 new, 0 already there, 1 rejected\n {2}rejected indicator--bad: /);

    const notKev = await runCli(['intel', 'load-kev', bundle], env);
    expect(notKev.code).toBe(2);
    expect(notKev.stderr).toBe(`Cannot read ${bundle}: Not a valid CISA KEV catalogue: $.catalogVersion is required\n`);
    const missing = path.join(dir, 'missing.json');
    expect((await runCli(['intel', 'load-kev', missing], env)).stderr).toContain(`Cannot read ${missing}: ENOENT`);

    const database = await openEmbedded(env.PUENTE_DATA_DIR);
    try {
      const audit = await sql<{ action: string; actor_id: string | null; ip: string | null; details: Record<string, unknown> }>`
        SELECT action, actor_id, ip, details FROM audit_log ORDER BY seq`.execute(database.db);
      expect(audit.rows.map((r) => [r.action, r.actor_id, r.ip, r.details.via, r.details.file, r.details.accepted, r.details.rejected])).toEqual([
        ['intel.reference_loaded', null, null, 'cli', 'techniques.json', 2, 0],
        ['intel.reference_loaded', null, null, 'cli', 'techniques.json', 0, 0],
        ['intel.reference_loaded', null, null, 'cli', 'bad.json', 0, 1],
      ]);
      const stored = await database.db.selectFrom('intel_objects').select(['tlp', 'author_org_id']).execute();
      expect(stored).toEqual([
        { tlp: 'CLEAR', author_org_id: null },
        { tlp: 'CLEAR', author_org_id: null },
      ]);
    } finally {
      await database.close();
    }
  });
});
