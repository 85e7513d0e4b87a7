/**
 * Search over every language version (migration 0017), on PGlite and PostgreSQL: each
 * version stemmed in its own language, accents folded on both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openTestDatabase } from '../test/harness.js';
import type { Database } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
  await migrate(db.pool);
});
afterAll(async () => db?.close());

const matches = async (lang: string, source: Record<string, string>, translations: Record<string, unknown>, q: string) => {
  const r = await sql<{ m: boolean }>`SELECT puente_translatable_tsvector(${lang}, ${JSON.stringify(source)}::jsonb, ${JSON.stringify(translations)}::jsonb) @@ puente_text_tsquery(${q}) AS m`.execute(db.db);
  return r.rows[0]!.m;
};

describe('search across language versions', () => {
  it('stems each language its own way and folds accents', async () => {
    expect(await matches('es', { title: 'Prevención de ciberataques' }, {}, 'ciberataque')).toBe(true);
    expect(await matches('es', { body: 'Gestión de vulnerabilidades' }, {}, 'vulnerabilidad')).toBe(true);
    expect(await matches('pt-BR', { title: 'Guia de seguranca' }, {}, 'segurança')).toBe(true);
    expect(await matches('pt-BR', { title: 'Guia de segurança' }, {}, 'seguranca')).toBe(true);
    expect(await matches('fr', { title: 'Les stratégies nationales' }, {}, 'stratégie')).toBe(true);
    expect(await matches('en', { title: 'Incident response' }, {}, 'ciberataque')).toBe(false);
  });

  it('finds a record by the words of a translation, in that translation\'s language', async () => {
    const tr = { fr: { fields: { title: 'Les stratégies de cybersécurité' }, basedOn: 1, machine: false, at: '2026-01-01T00:00:00Z', by: null } };
    expect(await matches('en', { title: 'National plans' }, tr, 'stratégie')).toBe(true);
    expect(await matches('en', { title: 'National plans' }, tr, 'cybersecurite')).toBe(true);
    expect(await matches('qu', { title: 'Allin kawsay' }, {}, 'kawsay')).toBe(true);
  });

  it('weights fields as asked', async () => {
    const r = await sql<{ v: string }>`SELECT puente_translatable_tsvector('en', '{"title":"alpha","body":"beta"}'::jsonb, '{}'::jsonb, '{"title":"A"}'::jsonb)::text AS v`.execute(db.db);
    expect(r.rows[0]!.v).toMatch(/'alpha':\d+A/);
    expect(r.rows[0]!.v).toMatch(/'beta':\d+(?![A-C])/);
  });
});
