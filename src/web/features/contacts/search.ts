/**
 * The directory's search parameters, apart from the page so that the router can check them
 * without loading the directory's code (the page is a chunk of its own).
 */

/** Search parameters of the directory: all text, so that a link carries them unchanged. */
export type DirectorySearch = { q?: string; country?: string; kind?: string; organisation?: string; sector?: string; language?: string; stale?: string; status?: string; page?: string };
const SEARCH_KEYS: (keyof DirectorySearch)[] = ['q', 'country', 'kind', 'organisation', 'sector', 'language', 'stale', 'status', 'page'];

export function validateDirectorySearch(search: Record<string, unknown>): DirectorySearch {
  const out: DirectorySearch = {};
  for (const k of SEARCH_KEYS) {
    const v = search[k];
    if (v !== undefined && v !== null && String(v) !== '') out[k] = String(v);
  }
  return out;
}
