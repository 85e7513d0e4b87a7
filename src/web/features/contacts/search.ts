/**
 * The directory's search parameters, apart from the page so that the router can check them
 * without loading the directory's code (the page is a chunk of its own).
 */
import { DIRECTORY_FILTER_KEYS, type DirectoryFilterKey } from '../../../shared/filters';

/** Search parameters of the directory: all text, so that a link carries them unchanged. They go to the API as they are. */
export type DirectorySearch = Partial<Record<DirectoryFilterKey | 'page', string>>;
const SEARCH_KEYS = [...DIRECTORY_FILTER_KEYS, 'page'] as const;

export function validateDirectorySearch(search: Record<string, unknown>): DirectorySearch {
  const out: DirectorySearch = {};
  for (const k of SEARCH_KEYS) {
    const v = search[k];
    if (v !== undefined && v !== null && String(v) !== '') out[k] = String(v);
  }
  return out;
}
