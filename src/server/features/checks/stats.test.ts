import { describe, expect, it } from 'vitest';
import { median, percentile, summarise } from './stats.js';

describe('check statistics', () => {
  it('median and nearest-rank p90', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(90);
    expect(percentile([7], 90)).toBe(7);
    expect(summarise([{ seconds: 60 }, { seconds: null }, { seconds: 120 }, { seconds: 600 }])).toEqual({
      targets: 4,
      acknowledged: 3,
      responseRate: 0.75,
      medianSeconds: 120,
      p90Seconds: 600,
    });
  });
});
