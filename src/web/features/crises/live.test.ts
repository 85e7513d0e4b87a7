import { describe, expect, it } from 'vitest';
import { isAboutCrisis } from './live';

describe('the room’s live updates', () => {
  it('react to events naming this crisis only', () => {
    expect(isAboutCrisis(JSON.stringify({ type: 'sitrep.submitted', payload: { crisisId: 'a', sitrepId: 'b' } }), 'a')).toBe(true);
    expect(isAboutCrisis(JSON.stringify({ type: 'sitrep.submitted', payload: { crisisId: 'c' } }), 'a')).toBe(false);
    expect(isAboutCrisis('not json', 'a')).toBe(false);
  });
});
