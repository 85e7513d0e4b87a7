import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH } from './audit.js';

describe('audit hashing', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
  it('changes when any field changes', () => {
    const base = { seq: 1, at: new Date('2026-01-01T00:00:00Z'), actor_id: null, actor_org_id: null, organisation_id: null, action: 'auth.login', target_type: null, target_id: null, ip: '127.0.0.1', details: { a: 1 }, prev_hash: GENESIS_HASH };
    const h = entryHash(base);
    expect(entryHash({ ...base })).toBe(h);
    for (const changed of [{ seq: 2 }, { action: 'auth.logout' }, { ip: '10.0.0.1' }, { details: { a: 2 } }, { prev_hash: 'f'.repeat(64) }, { at: new Date('2026-01-01T00:00:00.001Z') }])
      expect(entryHash({ ...base, ...changed })).not.toBe(h);
  });
});
