/**
 * Query parameters the web app builds and the API reads. The API refuses a parameter it does not
 * know (400 VALIDATION_FAILED), so a key renamed on one side only would break a page: both sides
 * take their keys from here, and the server's query schemas must name exactly these.
 */

/** The threat-intelligence list's filters; the web keeps them in its address as they are. */
export const INTEL_FILTER_KEYS = ['q', 'type', 'tlp', 'organisation', 'country', 'sector', 'since', 'until', 'technique', 'confidence'] as const;
/** Every parameter of GET /api/v1/intel/objects (and, with format and id, of /intel/export). */
export const INTEL_LIST_PARAMS = [...INTEL_FILTER_KEYS, 'revoked', 'origin', 'excludeType', 'cursor', 'limit'] as const;
export type IntelListParam = (typeof INTEL_LIST_PARAMS)[number];

/** The contact directory's filters (GET /api/v1/contacts and its exports). */
export const DIRECTORY_FILTER_KEYS = ['q', 'country', 'kind', 'organisation', 'sector', 'language', 'stale', 'status'] as const;
export type DirectoryFilterKey = (typeof DIRECTORY_FILTER_KEYS)[number];
export const DIRECTORY_PARAMS = [...DIRECTORY_FILTER_KEYS, 'page', 'pageSize'] as const;
export type DirectoryParam = (typeof DIRECTORY_PARAMS)[number];

/**
 * A calendar day written YYYY-MM-DD that exists: 2027-02-30 does not (Date rolls it over) and
 * 2027-13-01 is not even a Date (toISOString would throw), so both are refused, not crashed on.
 */
export function isRealDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
