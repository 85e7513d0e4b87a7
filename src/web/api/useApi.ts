import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './client';
import { takeEarly } from './prefetch';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

/** GET `path` (null = do not fetch) and keep the answer; `reload()` fetches again. */
export function useApi<T>(path: string | null, options: { quiet401?: boolean } = {}): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState<boolean>(path !== null);
  const [tick, setTick] = useState(0);
  const quiet = useRef(options.quiet401);
  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    const fetchNow = () => api.get<T>(path, { signal: controller.signal, quiet401: quiet.current });
    // The first page's data may have been asked for while its script loaded (prefetch.ts); if that
    // failed, it is asked again here, so that the failure is handled like any other.
    (takeEarly<T>(path)?.catch(fetchNow) ?? fetchNow())
      // Rendering what arrived is a transition: React renders it in slices and keeps the page
      // answering input meanwhile (a list of 50 cards is otherwise one long task on a phone).
      .then((d) => {
        if (!controller.signal.aborted)
          startTransition(() => {
            setData(d);
            setLoading(false);
          });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        startTransition(() => {
          setError(err instanceof ApiError ? err : new ApiError(0, 'NETWORK_ERROR', String(err)));
          setLoading(false);
        });
      });
    return () => controller.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}
