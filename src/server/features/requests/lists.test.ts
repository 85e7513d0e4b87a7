// The request's code lists are what migration 0030's CHECKs allow: a value the API takes and the
// database refuses would only show as a failed write (a 500).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OFFER_FORMATS, REQUEST_STATUSES, TARGET_AUDIENCES, URGENCIES } from '#shared/capacity';
import { NEXT } from './service.js';

const sqlText = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations/0030_requests.sql'), 'utf8');
const quoted = (s: string) => [...s.matchAll(/'([^']*)'/g)].map((m) => m[1]);
const check = (re: RegExp) => quoted(re.exec(sqlText)![1]!);

describe('request code lists and migration 0030', () => {
  it('allow the same statuses, urgencies, formats and audiences', () => {
    expect(check(/\n  status text NOT NULL DEFAULT 'submitted' CHECK \(status IN \(([^)]*)\)/)).toEqual([...REQUEST_STATUSES]);
    expect(check(/urgency IN \(([^)]*)\)/)).toEqual([...URGENCIES]);
    expect(check(/format IN \(([^)]*)\)/)).toEqual([...OFFER_FORMATS]);
    expect(check(/audiences <@ ARRAY\[([^\]]*)\]/)).toEqual([...TARGET_AUDIENCES]);
  });

  it('move every status forward by one step only, and end at evaluated', () => {
    for (const [i, s] of REQUEST_STATUSES.entries()) expect(NEXT[s]).toEqual(i + 1 < REQUEST_STATUSES.length ? [REQUEST_STATUSES[i + 1]] : []);
  });
});
