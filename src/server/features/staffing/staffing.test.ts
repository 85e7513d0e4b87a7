import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { STAFF_ROLES, STAFF_STATUSES } from '#shared/capacity';

const migration = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations/0038_session_staff.sql'), 'utf8');
const checked = (column: string) => [...(new RegExp(`\\n\\s*${column} text[^\\n]*CHECK \\(${column} IN \\(([^)]*)\\)`).exec(migration)?.[1] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]);

describe('the staffing lists and the database', () => {
  it('allow the same roles and statuses: a value one side offers and the other refuses would only show as a failed write', () => {
    expect(checked('role')).toEqual([...STAFF_ROLES]);
    expect(checked('status')).toEqual([...STAFF_STATUSES]);
  });
});
