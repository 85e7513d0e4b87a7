import { useEffect, useState } from 'react';
import { api, ApiError } from './client';
import { useApi, type ApiState } from './useApi';

/** A page of a list the API pages with an opaque cursor. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPages<T, P extends CursorPage<T>> {
  /** The first page's request: its data, error, loading and reload. */
  first: ApiState<P>;
  /** The first page's items and every page "Show more" appended. */
  items: T[];
  /** There is a page after the last one shown. */
  hasMore: boolean;
  loadMore: () => Promise<void>;
  /** A page after the first is being fetched. */
  busy: boolean;
  /** Why the last "Show more" failed (the items shown stay). */
  moreError: ApiError | null;
}

/**
 * A list read page by page: the first page at `firstUrl` (through useApi, so it takes an early
 * answer and renders in a transition), the next ones at `urlFor(cursor)` when asked for. The
 * pages after the first are dropped when `firstUrl` changes (a new search starts over).
 */
export function useCursorPages<T, P extends CursorPage<T> = CursorPage<T>>(
  firstUrl: string,
  urlFor: (cursor: string) => string,
  options: { quiet401?: boolean } = {},
): CursorPages<T, P> {
  const first = useApi<P>(firstUrl, options);
  const [more, setMore] = useState<{ items: T[]; nextCursor: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  useEffect(() => {
    setMore(null);
    setMoreError(null);
  }, [firstUrl]);
  const next = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    setMoreError(null);
    try {
      const page = await api.get<P>(urlFor(next), { quiet401: options.quiet401 });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setMoreError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { first, items: [...(first.data?.items ?? []), ...(more?.items ?? [])], hasMore: !!next, loadMore, busy, moreError };
}
