// Shared by the vulnerability import tests (not a test file itself).

/** Paths of empty lists and nulls anywhere in an object (STIX prohibits empty lists; nulls say nothing). */
export function emptyOrNull(v: unknown, at = '$'): string[] {
  if (v === null) return [at];
  if (Array.isArray(v)) return v.length ? v.flatMap((x, i) => emptyOrNull(x, `${at}[${i}]`)) : [at];
  if (typeof v === 'object') return Object.entries(v as object).flatMap(([k, x]) => emptyOrNull(x, `${at}.${k}`));
  return [];
}
