import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTlp, mostRestrictive, TLP_LEVELS, tlpAtLeast, tlpRank, TOPIC_TLP_LEVELS } from './tlp.js';

const tlp = fc.constantFrom(...TLP_LEVELS);

describe('TLP ranks', () => {
  it('rank the levels from the widest sharing to the narrowest', () => {
    expect(TLP_LEVELS.map(tlpRank)).toEqual([0, 1, 2, 3, 4]);
    expect(tlpRank('AMBER+STRICT')).toBeGreaterThan(tlpRank('AMBER'));
    expect(tlpRank('RED')).toBeGreaterThan(tlpRank('AMBER+STRICT'));
  });

  it('merge two markings into the one that shares less, whatever the order', () => {
    expect(mostRestrictive('GREEN', 'AMBER+STRICT')).toBe('AMBER+STRICT');
    expect(mostRestrictive('RED', 'CLEAR')).toBe('RED');
    fc.assert(
      fc.property(tlp, tlp, tlp, (a, b, c) => {
        const m = mostRestrictive(a, b);
        expect(m).toBe(mostRestrictive(b, a));
        expect(tlpRank(m)).toBe(Math.max(tlpRank(a), tlpRank(b)));
        expect(mostRestrictive(m, c)).toBe(mostRestrictive(a, mostRestrictive(b, c)));
        expect(mostRestrictive(a, a)).toBe(a);
      }),
    );
  });

  it('list the levels at least as narrow as a floor', () => {
    expect(tlpAtLeast('CLEAR')).toEqual([...TLP_LEVELS]);
    expect(tlpAtLeast('AMBER')).toEqual(['AMBER', 'AMBER+STRICT', 'RED']);
    expect(tlpAtLeast('RED')).toEqual(['RED']);
    // A discussion topic may take any level but CLEAR.
    expect([...TOPIC_TLP_LEVELS]).toEqual(tlpAtLeast('GREEN'));
    fc.assert(
      fc.property(tlp, tlp, (floor, t) => {
        expect(tlpAtLeast(floor).includes(t)).toBe(tlpRank(t) >= tlpRank(floor));
      }),
    );
  });

  it('know the levels and nothing else', () => {
    for (const t of TLP_LEVELS) expect(isTlp(t)).toBe(true);
    for (const x of ['amber', 'AMBER STRICT', 'WHITE', '', null, 3]) expect(isTlp(x), String(x)).toBe(false);
  });
});
