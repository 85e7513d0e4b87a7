// What a page shows first, by route: the API paths it asks for, for its search parameters. Kept
// apart from router.tsx (no React, no page code) so that the build can read it too.
import { directoryListPath, validateDirectorySearch } from './features/contacts/search';
import { listUrl, validateIntelSearch } from './features/intel/filters';

export const FOCAL_POINTS_PATH = '/api/v1/focal-points';

/** What every page of someone signed in asks for first: how the menu is arranged for them (persona.tsx). */
export const START_PATH = '/api/v1/me/start';

/**
 * For someone signed in, these answers are asked for before the page's script has run: main.tsx
 * asks for them at once for the search parameters in the address (router.tsx `staticData`), and
 * the server names those of a page opened without any in its HTML as preloads, with START_PATH
 * on every page (vite.config.ts
 * `routeHints`, platform/web-app.ts), fetched beside the main script rather than after it. Each
 * must be the very path the page's `useApi` asks for.
 */
export const FIRST_DATA: Record<string, (search: Record<string, unknown>) => string[]> = {
  // The list, and the countries whose focal point the reader is (their rows' badges, contacts/badges.tsx).
  '/contacts': (search) => [directoryListPath(validateDirectorySearch(search)), FOCAL_POINTS_PATH],
  '/intel': (search) => [listUrl(validateIntelSearch(search))],
};
