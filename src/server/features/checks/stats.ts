/**
 * Response statistics. Median: the middle value, or the mean of the two middle
 * values for an even count. 90th percentile: nearest rank, the value at rank
 * ceil(0.9·n) of the sorted times. Times in seconds; null when nobody answered.
 */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

export interface Summary {
  targets: number;
  acknowledged: number;
  responseRate: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export function summarise(rows: { seconds: number | null }[]): Summary {
  const times = rows.map((r) => r.seconds).filter((x): x is number => x !== null);
  return {
    targets: rows.length,
    acknowledged: times.length,
    responseRate: rows.length ? Math.round((times.length / rows.length) * 10000) / 10000 : 0,
    medianSeconds: median(times),
    p90Seconds: percentile(times, 90),
  };
}


/** A duration for people: minutes under an hour, hours with a decimal above. */
