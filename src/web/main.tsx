// Mantine's styles for the first page (the others come with the pages' chunks, router.tsx).
import './mantine.css';
import './styles.css';
import { Anchor, createTheme, MantineProvider, PasswordInput, type CSSVariablesResolver } from '@mantine/core';
import { RouterProvider } from '@tanstack/react-router';
import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { currentLanguage, i18nReady } from './i18n';
import { router } from './router';
import { probeSession } from './session';
import { fetchEarly } from './api/prefetch';

const theme = createTheme({
  primaryColor: 'puente',
  primaryShade: 8,
  colors: {
    puente: ['#e8f0fb', '#cfdff5', '#9dbdeb', '#6899e1', '#3f7bd8', '#2767d3', '#1a5cd2', '#0d4cbb', '#0a43a7', '#003a94'],
  },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  // Dialogs, menus and drawers appear without their fade and slide for someone whose system asks
  // for less motion (WCAG 2.3.3).
  respectReducedMotion: true,
  components: {
    // Links inside text must not be told apart by colour alone.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // The show-password button is reached with Tab like any other control.
    PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleFocusable: true } }),
  },
});

// Error text and borders: Mantine's red.6 (#fa5252) is 3.3:1 on white; red.9 (#c92a2a) is 5.5:1 (WCAG AA).
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});

// What the first render needs is fetched at once, side by side: the strings of the language in
// use when not English (a chunk, i18n.ts), who is signed in (session.tsx; the HTML preloads the
// answer) and the chunk of the page asked for. Rendering after the first two shows the right
// header, page and language at once: nothing moves when they arrive.
// Someone signed in also gets the first page's data asked for at once (the routes' `firstData`,
// router.tsx), beside the page's chunk rather than after it.
// The first render waits for the router to have loaded the page (`router.load()`, which finds
// that chunk already on its way): the header and the page appear together, in one sliced render,
// rather than the page a moment after the header in one blocking render of its own.
const firstMatches = router.matchRoutes(router.state.location);
for (const match of firstMatches) void router.loadRouteChunk(router.routesById[match.routeId as keyof typeof router.routesById])?.catch(() => {});
/**
 * A member's pages name countries and show times: the first Intl.DisplayNames and
 * Intl.DateTimeFormat of a page load the browser's data for them (about 15 ms each on a laptop,
 * 60 on a slow phone). Built here, while the page's files and data are still on their way, that
 * work is done when the main thread would be idle, not inside the first render of a table.
 */
const warmIntl = () => {
  try {
    new Intl.DisplayNames([currentLanguage()], { type: 'region' }).of('CO');
    new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(0);
  } catch {
    // An old browser without them: the labels fall back to codes (components/labels.ts).
  }
};
const fetchFirstData = () => {
  setTimeout(warmIntl, 0);
  for (const match of firstMatches)
    for (const path of router.routesById[match.routeId as keyof typeof router.routesById]?.options.staticData?.firstData?.(match.search as Record<string, unknown>) ?? []) fetchEarly(path);
};
// The first render is a transition too: React renders it in slices, never one long task.
const render = () =>
  startTransition(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
          <RouterProvider router={router} />
        </MantineProvider>
      </StrictMode>,
    ),
  );
void Promise.all([i18nReady, probeSession(i18nReady, fetchFirstData)])
  .then(() => router.load())
  .then(render, render);
