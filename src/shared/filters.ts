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
