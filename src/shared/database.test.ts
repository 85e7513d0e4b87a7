// The shared lists are what the database's constraints allow: a value one side offers and the
// other refuses would only show as a failed write.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTACT_KINDS, CONTACT_LIMITS, CONTACT_STATUSES } from './contacts.js';
import { MEMBERSHIPS, ORGANISATION_STATUSES, ORGANISATION_TYPES } from './organisations.js';
import { LOGO_TYPES, ORGANISATION_LIMITS } from './profile.js';
import { ROLES } from './roles.js';
import { SECTORS } from './sectors.js';
import { PAP_LEVELS, TLP_LEVELS } from './tlp.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/db/migrations');
const sqlText = readdirSync(dir)
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => readFileSync(path.join(dir, f), 'utf8'))
  .join('\n');

const quoted = (list: string) => [...list.matchAll(/'([^']*)'/g)].map((m) => m[1]);
/** Every list of values a CHECK gives for `column` (column IN (…) or column <@ ARRAY[…]). */
function checks(column: string): string[][] {
  const re = new RegExp(`\\b${column}\\s+(?:IN\\s*\\(([^)]*)\\)|<@\\s*ARRAY\\[([^\\]]*)\\])`, 'g');
  return [...sqlText.matchAll(re)].map((m) => quoted(m[1] ?? m[2]!));
}
/** The CHECK of a column in one table's CREATE TABLE. */
function tableCheck(table: string, column: string): string[] {
  const body = new RegExp(`CREATE TABLE ${table} \\(([\\s\\S]*?)\\n\\);`).exec(sqlText)?.[1];
  expect(body, table).toBeDefined();
  const m = new RegExp(`\\n\\s*${column} [^\\n]*CHECK \\(\\s*(?:[\\s\\S]*?AND\\s+)?${column}\\s+(?:IN\\s*\\(([^)]*)\\)|<@\\s*ARRAY\\[([^\\]]*)\\])`).exec(body!);
  expect(m, `${table}.${column}`).not.toBeNull();
  return quoted(m![1] ?? m![2]!);
}

describe('the shared lists and the database', () => {
  it('allow the same TLP and PAP levels in every marked table', () => {
    const tlps = checks('tlp');
    expect(tlps.length).toBeGreaterThanOrEqual(5);
    // An expert's profile is about a person and is never public (docs/experts.md): its table
    // refuses CLEAR itself, whatever the service lets through. Every other marked table takes all levels.
    const neverPublic = [...TLP_LEVELS].filter((l) => l !== 'CLEAR');
    expect(tableCheck('experts', 'tlp')).toEqual(neverPublic);
    expect(tlps.filter((c) => c.join() === neverPublic.join())).toHaveLength(1);
    for (const c of tlps.filter((c) => c.join() !== neverPublic.join())) expect(c).toEqual([...TLP_LEVELS]);
    const paps = checks('pap');
    expect(paps.length).toBeGreaterThanOrEqual(4);
    for (const c of paps) expect(c).toEqual([...PAP_LEVELS]);
  });

  it('allow the same roles: the latest CHECK on people.roles is the shared list', () => {
    const all = checks('roles');
    expect(all.at(-1)).toEqual([...ROLES]);
  });

  it('allow the same organisation types, statuses and memberships', () => {
    expect(tableCheck('organisations', 'type')).toEqual([...ORGANISATION_TYPES]);
    expect(tableCheck('organisations', 'status')).toEqual([...ORGANISATION_STATUSES]);
    expect(checks('memberships')).toEqual([[...MEMBERSHIPS]]);
    expect(checks('content_type')).toContainEqual([...LOGO_TYPES]);
    expect(sqlText).toContain(`name text NOT NULL CHECK (length(name) BETWEEN ${ORGANISATION_LIMITS.nameMin} AND ${ORGANISATION_LIMITS.name})`);
  });

  it('allow the same kinds and statuses of points of contact', () => {
    expect(tableCheck('contacts', 'kinds')).toEqual([...CONTACT_KINDS]);
    expect(tableCheck('contacts', 'status')).toEqual([...CONTACT_STATUSES]);
    expect(sqlText).toContain(`full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND ${CONTACT_LIMITS.fullName})`);
  });

  it('seed the same sectors, in the same order', () => {
    const insert = /INSERT INTO sectors \(code, annex, name, position\) VALUES([\s\S]*?);/.exec(sqlText)?.[1] ?? '';
    const rows = [...insert.matchAll(/\('([^']+)', '(I|II)', '[^']*', (\d+)\)/g)].map((m) => ({ code: m[1], position: Number(m[3]) }));
    expect(rows.sort((a, b) => a.position - b.position).map((r) => r.code)).toEqual([...SECTORS]);
  });
});
