import { api } from './client';

/** An answer asked for ahead of the component that reads it, and when. */
const early = new Map<string, { answer: Promise<unknown>; at: number }>();
/** An early answer older than this is not used: the page fetches afresh. */
const FRESH_MS = 10_000;

/**
 * Ask for `path` now, before the page that shows it has loaded: the first page's data then
 * travels beside the page's script instead of after it (main.tsx, for the routes that name
 * what they show first in `staticData.firstData`). The page's `useApi` of the same path takes
 * the answer (`takeEarly`), once.
 */
export function fetchEarly(path: string): void {
  if (early.has(path)) return;
  const answer = api.get<unknown>(path, { quiet401: true });
  // A failed early answer is asked for again by the page (useApi); none is unhandled meanwhile.
  answer.catch(() => {});
  early.set(path, { answer, at: Date.now() });
}

/** The early answer for `path`, if it was asked for and is fresh; it is handed out once. */
export function takeEarly<T>(path: string): Promise<T> | undefined {
  const hit = early.get(path);
  if (!hit) return undefined;
  early.delete(path);
  return Date.now() - hit.at <= FRESH_MS ? (hit.answer as Promise<T>) : undefined;
}
