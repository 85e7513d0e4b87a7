// On a phone (390 × 844): the menu folds behind a burger button and works from the keyboard,
// the header stays short, no page scrolls sideways, and tables show their rows as cards.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import intelEn from '../src/web/features/intel/locales/en.json';
import contactsEn from '../src/web/features/contacts/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();

/** Signed in, the language stored by the server too (support/harness.ts). */
const signedIn = (email: string, options: Parameters<typeof e2e.signedIn>[1] = {}) => e2e.signedInSettled(email, options);
const PHONE = { viewport: { width: 390, height: 844 } };
const WAIT = { timeout: 15_000 };

/** Open a page and wait until it has drawn its heading and finished loading its lists. */
async function visit(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1 }).first().waitFor(WAIT);
  await page.waitForFunction(() => !Array.from(document.querySelectorAll('[role="status"]')).some((el) => /Loading/.test(el.textContent ?? '')), undefined, WAIT);
  // Lists, maps and badges settle after their data arrives.
  await page.waitForTimeout(400);
}

/** How far the page scrolls sideways (0: not at all), and the widest element that sticks out. */
function sideways(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const over = doc.scrollWidth - doc.clientWidth;
    let culprit = '';
    if (over > 0) {
      // The element that sticks out furthest, leaving out those inside a box that scrolls on its own.
      const clipped = (el: Element) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
        return false;
      };
      let furthest = doc.clientWidth + 1;
      for (const el of Array.from(document.querySelectorAll('body *'))) {
        const r = el.getBoundingClientRect();
        if (r.right > furthest && r.width > 0 && !clipped(el)) {
          furthest = r.right;
          culprit = `${el.tagName.toLowerCase()}.${String((el as HTMLElement).className).slice(0, 80)} (${Math.round(r.right)} px)`;
        }
      }
    }
    return { over, culprit };
  });
}

async function expectNoSidewaysScroll(page: Page, paths: string[]) {
  for (const path of paths) {
    await visit(page, path);
    const s = await sideways(page);
    expect(s, `${path} scrolls sideways`).toEqual({ over: 0, culprit: '' });
  }
}

describe('on a phone', () => {
  it('the menu opens from a burger button and is used with the keyboard; the header is short', async () => {
    const { context, page, errors } = await signedIn('analyst.br@demo.puente.test', { context: PHONE });
    try {
      await visit(page, '/');
      const header = await page.getByRole('banner').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(90);
      const nav = page.getByRole('navigation', { name: en.nav.primary });
      const burger = page.getByRole('button', { name: en.nav.menu, exact: true });
      // Folded: the burger is there, the links are not.
      expect(await burger.isVisible()).toBe(true);
      expect(await burger.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.isVisible()).toBe(false);

      // Open it with the keyboard; Tab walks its links in the analyst's order.
      await burger.focus();
      await page.keyboard.press('Enter');
      await nav.waitFor({ state: 'visible' });
      expect(await burger.getAttribute('aria-expanded')).toBe('true');
      await expectNoSeriousViolations(page, 'phone, menu open');
      const focused = async () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText.trim() ?? '');
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(en.nav.home);
      await page.keyboard.press('Tab');
      expect(await focused()).toBe(en.nav.intel);
      // Escape folds it again and gives the focus back to the burger.
      await page.keyboard.press('Escape');
      await nav.waitFor({ state: 'hidden' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-controls'))).toBe('primary-nav');
      // Enter on a link goes there and folds the menu.
      await page.keyboard.press('Space');
      await nav.waitFor({ state: 'visible' });
      await nav.getByRole('link', { name: en.nav.contacts }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/contacts', WAIT);
      await nav.waitFor({ state: 'hidden' });
      expect(await burger.getAttribute('aria-expanded')).toBe('false');

      // A wide screen shows the links and no burger.
      await page.setViewportSize({ width: 1280, height: 800 });
      await nav.waitFor({ state: 'visible' });
      expect(await burger.isVisible()).toBe(false);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a table shows its rows as cards, each value under its column name', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test', { context: PHONE });
    try {
      await visit(page, '/contacts');
      const table = page.locator('table[data-layout]').first();
      await table.waitFor(WAIT);
      expect(await table.getAttribute('data-layout')).toBe('cards');
      const layout = await table.evaluate((t) => {
        const tbl = t as HTMLTableElement;
        const heads = Array.from(tbl.tHead!.rows[0]!.cells).map((c) => c.textContent!.trim());
        const row = tbl.tBodies[0]!.rows[0]!;
        const cells = Array.from(row.cells);
        return {
          heads,
          labels: cells.map((c) => c.getAttribute('data-label')),
          before: cells.map((c) => getComputedStyle(c, '::before').content),
          rowDisplay: getComputedStyle(row).display,
          cellDisplay: getComputedStyle(cells[0]!).display,
          headHidden: tbl.tHead!.getBoundingClientRect().height <= 1,
          rowWidth: row.getBoundingClientRect().width,
          role: tbl.getAttribute('role'),
        };
      });
      expect(layout.rowDisplay).toBe('block');
      expect(layout.cellDisplay).toBe('block');
      expect(layout.headHidden).toBe(true);
      expect(layout.role).toBe('table');
      expect(layout.rowWidth).toBeLessThanOrEqual(390);
      // Each cell says which column it belongs to.
      const named = layout.heads.map((h, i) => [h, layout.labels[i]] as const).filter(([h]) => h);
      expect(named.length).toBeGreaterThan(1);
      for (const [h, l] of named) expect(l).toBe(h);
      expect(layout.before.filter((b) => b !== 'none' && b !== 'normal').length).toBe(named.length);
      // The table keeps its semantics: rows and cells, named by their column.
      expect(await page.getByRole('row').count()).toBeGreaterThan(1);
      await expectNoSeriousViolations(page, 'contacts as cards');

      // On a wide screen the same table is a table.
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(() => table.getAttribute('data-layout')).toBe('table');
    } finally {
      await context.close();
    }
  });

  it('a list’s filters fold behind a button that says how many are in use', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test', { context: PHONE });
    try {
      await visit(page, '/intel');
      const toggle = page.getByRole('button', { name: en.common.filtersShow });
      await toggle.waitFor(WAIT);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      // Folded: the search form is not there, the list is.
      expect(await page.getByRole('search').count()).toBe(0);
      await toggle.click();
      const form = page.getByRole('search', { name: intelEn.intel.list.filters });
      await form.waitFor(WAIT);
      expect(await page.getByRole('button', { name: en.common.filtersHide }).getAttribute('aria-expanded')).toBe('true');
      await expectNoSeriousViolations(page, 'intel filters unfolded on a phone');

      // Filters in the address are counted while folded, and used.
      await visit(page, '/contacts?country=BR&kind=operational_24_7');
      await page.getByText(en.common.filtersActive_other.replace('{{count}}', '2')).waitFor(WAIT);
      expect(await page.getByRole('search').count()).toBe(0);
      await page.getByRole('button', { name: en.common.filtersShow }).click();
      await page.getByRole('search', { name: contactsEn.contacts.filters }).waitFor(WAIT);
    } finally {
      await context.close();
    }
  });

  it('no page scrolls sideways: a member’s pages', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test', { context: PHONE });
    try {
      await expectNoSidewaysScroll(page, [
        '/',
        '/notes',
        '/notes/new',
        '/intel',
        '/intel/upload',
        '/intel/vulnerabilities',
        '/intel/attack',
        '/intel/subscriptions',
        '/communities',
        '/organisations',
        '/contacts',
        '/contacts/coverage',
        '/account',
        '/org-admin',
      ]);
      // Pages of one record: a contact card, an organisation's profile, a threat-intel object, a topic.
      const one = await page.evaluate(async () => {
        const get = async (url: string) => (await fetch(url)).json();
        const contact = (await get('/api/v1/contacts?pageSize=1')).items[0].id as string;
        const organisation = (await get('/api/v1/organisations')).items[0].id as string;
        const object = (await get('/api/v1/intel/objects?origin=members&type=indicator&limit=1')).items[0].id as string;
        const community = ((await get('/api/v1/communities')).items as { id: string; isMember: boolean }[]).find((c) => c.isMember)!.id;
        const topic = (await get(`/api/v1/communities/${community}/topics`)).items[0]?.id as string | undefined;
        return { contact, organisation, object, community, topic };
      });
      await expectNoSidewaysScroll(page, [
        `/contacts/${one.contact}`,
        `/organisations/${one.organisation}`,
        `/intel/objects/${one.object}`,
        `/communities/${one.community}`,
        ...(one.topic ? [`/communities/${one.community}/topics/${one.topic}`] : []),
      ]);
    } finally {
      await context.close();
    }
  });

  it('no page scrolls sideways: the secretariat’s pages and the public ones', async () => {
    const { context, page } = await signedIn('admin@demo.puente.test', { context: PHONE });
    try {
      await expectNoSidewaysScroll(page, [
        '/',
        '/secretariat',
        '/secretariat?tab=people',
        '/secretariat?tab=communities',
        '/secretariat?tab=audit',
        '/secretariat?tab=outbox',
        '/communication-checks',
        '/communication-checks/new',
        '/contacts/nominations',
        '/contacts/focal-points',
        '/communities/proposals',
      ]);
      const check = await page.evaluate(async () => ((await (await fetch('/api/v1/communication-checks')).json()).items as { id: string }[])[0]?.id);
      if (check) await expectNoSidewaysScroll(page, [`/communication-checks/${check}`]);
      await expectNoSeriousViolations(page, 'proposals on a phone');
    } finally {
      await context.close();
    }
    const visitor = await e2e.newContext(PHONE);
    try {
      const page = await visitor.newPage();
      await expectNoSidewaysScroll(page, ['/', '/sign-in', '/join', '/organisations', '/records', '/vocabularies', '/vocabularies/takeaways']);
      const header = await page.getByRole('banner').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(90);
    } finally {
      await visitor.close();
    }
  });
});
