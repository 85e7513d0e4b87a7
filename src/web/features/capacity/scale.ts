/** Five steps of one hue, light to dark; zero has a pattern of its own on the map, so that no meaning rests on colour alone. */
export const SHADES = ['#d0ebff', '#74c0fc', '#339af0', '#1971c2', '#0b3d75'];

/**
 * The map's classes over the values above zero: up to five, each holding about as many of the
 * distinct values as the others (a few large figures do not wash every other country out).
 */
export function classesOf(values: readonly number[]): { min: number; max: number }[] {
  const xs = [...new Set(values.filter((v) => v > 0))].sort((a, b) => a - b);
  if (!xs.length) return [];
  const n = Math.min(SHADES.length, xs.length);
  const out: { min: number; max: number }[] = [];
  for (let i = 0; i < n; i++) out.push({ min: xs[Math.floor((i * xs.length) / n)]!, max: xs[Math.floor(((i + 1) * xs.length) / n) - 1]! });
  return out;
}
