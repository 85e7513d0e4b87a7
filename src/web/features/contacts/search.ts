/**
 * The directory's search parameters, apart from the page so that the router can check them
 * without loading the directory's code (the page is a chunk of its own).
 */
import { qs } from '../../api/client';
import { DIRECTORY_FILTER_KEYS, type DirectoryFilterKey } from '#shared/filters';

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

/** The directory's page of 25 entries for these search parameters (the page and main.tsx ask for the same). */
export function directoryListPath(search: DirectorySearch): string {
  return `/api/v1/contacts${qs({ ...search, page: Math.max(1, Number(search.page) || 1), pageSize: 25 })}`;
}

/** How many filters are in use (the phone's folded filter panel says so). */
export function activeDirectoryFilters(search: DirectorySearch): number {
  return DIRECTORY_FILTER_KEYS.filter((k) => search[k] !== undefined).length;
}
