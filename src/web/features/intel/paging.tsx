import { Button, Group } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { useDebounced } from '../../components/useDebounced';

/** The search box's text; written to the URL (through commit) 300 ms after the last keystroke. */
export function useDebouncedQuery(current: string | undefined, commit: (q: string | undefined) => void) {
  const [q, setQ] = useState(current ?? '');
  const dq = useDebounced(q, 300);
  useEffect(() => {
    if ((current ?? '') !== dq.trim()) commit(dq.trim() || undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq]);
  return [q, setQ] as const;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list read page by page: the first page from firstUrl, further ones appended on loadMore().
 * The pages loaded so far are dropped when key (the search) changes.
 */
export function useCursorList<T>(firstUrl: string, key: string, pageUrl: (cursor: string) => string) {
  const first = useApi<CursorPage<T>>(firstUrl);
  const [more, setMore] = useState<CursorPage<T> | null>(null);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  useEffect(() => {
    setMore(null);
    setMoreError(null);
  }, [key]);
  const items = useMemo(() => [...(first.data?.items ?? []), ...(more?.items ?? [])], [first.data, more]);
  const next = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    setMoreError(null);
    try {
      const page = await api.get<CursorPage<T>>(pageUrl(next));
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (e) {
      setMoreError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { first, items, next, busy, error: first.error ?? moreError, loadMore };
}

/** "Load more" under a paged list, while there is more. */
export function LoadMore({ list, testId }: { list: { next: string | null; busy: boolean; loadMore: () => Promise<void> }; testId?: string }) {
  const { t } = useTranslation();
  if (!list.next) return null;
  return (
    <Group>
      <Button variant="default" onClick={() => void list.loadMore()} loading={list.busy} data-testid={testId}>
        {t('intel.list.more')}
      </Button>
    </Group>
  );
}
