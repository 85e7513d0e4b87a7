// Every page of the web app has its words in English. A feature's English strings travel in the
// chunks of the code that names its keys (vite.config.ts, `englishStrings`), so a page whose
// chunks lacked a catalogue would show raw keys ("contacts.card.phone"). The secretariat's
// administrator (every role) opens each page of router.tsx by its address, in a fresh load as a
// bookmark would, then one address of every parameterised page found in the links of those pages;
// no text or label on any of them may be a key of the catalogues, and no page may report a string
// missing (i18n.ts logs one as a console error).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { flatten, loadCatalogue, PLURAL_SUFFIX } from '../src/web/locales/catalogues.test-helpers';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();

const ROUTES = [...readFileSync(new URL('../src/web/router.tsx', import.meta.url), 'utf8').matchAll(/createRoute\(\{[^}]*?path: '([^']+)'/g)].map((m) => m[1]!);
/** Pages without the signed-in shell, or that act on opening (a one-time token). */
const SKIPPED = new Set(['/sign-in', '/forgot-password', '/reset-password', '/invitation', '/mfa-required', '/ack', '/join']);

const pattern = (route: string) => new RegExp(`^${route.replace(/\$\w+/g, '[^/]+')}$`);
/** The route a path is a page of: fixed segments win over parameters (as the router decides). */
function routeOf(pathname: string): string | null {
  const matches = ROUTES.filter((r) => pattern(r).test(pathname));
  return matches.sort((a, b) => (b.match(/\/[^$/][^/]*/g)?.length ?? 0) - (a.match(/\/[^$/][^/]*/g)?.length ?? 0))[0] ?? null;
}

const keys = new Set<string>();
for (const key of flatten(loadCatalogue('en')).keys()) keys.add(key).add(key.replace(PLURAL_SUFFIX, ''));

/** The words a page shows or names (text, labels, placeholders, titles) that are keys of the catalogue. */
async function rawKeys(page: Page): Promise<string[]> {
  const words = await page.evaluate(() => {
    const parts = [document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) for (const a of ['aria-label', 'placeholder', 'title', 'alt']) parts.push(el.getAttribute(a) ?? '');
    parts.push(document.title);
    return parts.join('\n').split(/[\s,;:()"'«»“”]+/);
  });
  return [...new Set(words.map((w) => w.replace(/[.…]+$/, '')).filter((w) => keys.has(w)))];
}

async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout: 15_000 });
  await expect.poll(() => page.locator('main [role="status"] .mantine-Loader-root').count(), { timeout: 15_000 }).toBe(0);
}

describe('the words of every page', () => {
  it('no page shows a raw string key or reports a missing string, in English, from a fresh load', async () => {
    const { context, page, errors } = await e2e.signedIn('admin@demo.puente.test');
    try {
      const queue = ROUTES.filter((r) => !r.includes('$') && !SKIPPED.has(r));
      const seen = new Set(queue);
      const found: Record<string, string[]> = {};
      const rendered = new Set<string>();
      for (let address = queue.shift(); address; address = queue.shift()) {
        await page.goto(address);
        await settled(page);
        const route = routeOf(new URL(page.url()).pathname);
        if (route) rendered.add(route);
        const raw = await rawKeys(page);
        if (raw.length) found[address] = raw;
        // One address of each page not reached yet, from this page's links.
        const links = await page.locator('main a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
        for (const href of links) {
          const pathname = new URL(href, 'http://x').pathname;
          const r = routeOf(pathname);
          if (!r || SKIPPED.has(r) || seen.has(r)) continue;
          seen.add(r);
          queue.push(pathname);
        }
      }
      expect(found).toEqual({});
      expect(errors.filter((e) => /no English string/.test(e))).toEqual([]);
      // Not vacuous: most pages were reached and rendered, parameterised ones included.
      expect(rendered.size).toBeGreaterThan(ROUTES.length * 0.7);
      expect([...rendered].filter((r) => r.includes('$')).length).toBeGreaterThan(15);
    } finally {
      await context.close();
    }
  }, 600_000);
});
