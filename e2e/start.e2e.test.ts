// Per-person starting points: the home page and the menu fit the person. A diplomat sees no
// STIX/TAXII jargon; an analyst starts from what members shared; a capacity-building provider
// from its offers and the requests, then communities and partners; the secretariat from a to-do panel whose counts are those of
// the lists it works through, also shown in the menu. Anyone can switch the view. The landing
// page promises only what exists.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import homeEn from '../src/web/features/home/locales/en.json';
import intelEn from '../src/web/features/intel/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();

/** Signed in, the language stored by the server too (support/harness.ts). */
const signedIn = (email: string, options: Parameters<typeof e2e.signedIn>[1] = {}) => e2e.signedInSettled(email, options);
const WAIT = { timeout: 15_000 };
const start = homeEn.start;

/** Words of the threat-intelligence trade that mean nothing to a diplomat. */
const JARGON = /\b(STIX|TAXII|MISP|CSAF|KEV)\b|ATT&CK/;

async function homeView(page: Page, persona: string) {
  await page.goto('/');
  await page.locator(`[data-testid="home-view"][data-persona="${persona}"]`).waitFor(WAIT);
  // Cards fill in as their lists arrive.
  await page.waitForTimeout(500);
}

const primaryLinks = (page: Page) =>
  page
    .getByRole('navigation', { name: en.nav.primary })
    .locator('.primary-nav-links > a')
    .evaluateAll((links) => links.map((l) => (l as HTMLElement).innerText.trim()));

describe('per-person starting points', () => {
  it('a diplomat: records, notes, communities and diplomatic contacts, no STIX/TAXII jargon; threat intelligence under More', async () => {
    const { context, page, errors } = await signedIn('diplomat.es@demo.puente.test');
    try {
      await homeView(page, 'diplomat');
      const text = await page.locator('body').innerText();
      expect(text.match(JARGON)?.[0] ?? null, 'jargon on the diplomat’s home page').toBeNull();
      expect(await page.getByTestId('home-intel').count()).toBe(0);
      await page.getByTestId('home-notes').waitFor();
      await page.getByTestId('home-contacts').getByRole('link', { name: start.diplomat.contacts }).waitFor();
      // Why this view: the points of contact naming them (Javier Ortega Ruiz is Spain's diplomatic contact).
      expect(await page.getByText(start.basis.contact).count()).toBe(1);
      // The menu starts from the library, the records, the countries, the roadmap, the offers and the events; threat intelligence waits under "More".
      await expect
        .poll(() => primaryLinks(page))
        .toEqual([en.nav.home, en.nav.practices, en.nav.records, en.nav.countries, en.nav.roadmap, en.nav.offers, en.nav.events, en.nav.notes, en.nav.communities, en.nav.contacts, en.nav.orgAdmin, en.nav.translations]);
      const more = page.getByTestId('nav-more');
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      await more.click();
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      const intelLink = page.getByRole('navigation', { name: en.nav.primary }).getByRole('link', { name: en.nav.intel });
      await intelLink.waitFor();
      await expectNoSeriousViolations(page, 'diplomat home, "More" open');
      await page.keyboard.press('Escape');
      await intelLink.waitFor({ state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-more');
      await expectNoSeriousViolations(page, 'diplomat home');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an analyst: the latest from members first (no reference content), intel first in the menu', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test');
    try {
      await homeView(page, 'analyst');
      const intel = page.getByTestId('home-intel');
      await intel.getByTestId('home-intel-item').first().waitFor(WAIT);
      // Members' submissions, each with its organisation: no ATT&CK or KEV reference rows, no relationships.
      const items = await intel.getByTestId('home-intel-item').allInnerTexts();
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) expect(item).not.toMatch(new RegExp(`${intelEn.intel.types.relationship}|${intelEn.intel.types['attack-pattern']}`));
      const api = await page.evaluate(async () => (await (await fetch('/api/v1/intel/objects?origin=members&excludeType=relationship,identity,marking-definition&limit=5')).json()).items.length as number);
      expect(items.length).toBe(api);
      await expect.poll(async () => (await primaryLinks(page)).slice(0, 2)).toEqual([en.nav.home, en.nav.intel]);
      // The records and vocabularies, which the analyst's view does not start from, are under More.
      expect(await page.getByTestId('nav-more').count()).toBe(1);
      await expectNoSeriousViolations(page, 'analyst home');
    } finally {
      await context.close();
    }
  });

  it('a capacity-building provider starts from the offers and the requests, then communities and partners', async () => {
    const { context, page } = await signedIn('provider.eu@demo.puente.test');
    try {
      await homeView(page, 'capacity');
      const first = await page.getByRole('heading', { level: 2 }).first().innerText();
      expect(first).toBe(en.workstreams.jointInitiatives.title);
      await page.getByTestId('home-contacts').getByRole('link', { name: start.capacity.contacts }).waitFor();
      await expect.poll(async () => (await primaryLinks(page)).slice(0, 3)).toEqual([en.nav.home, en.nav.offers, en.nav.requests]);
    } finally {
      await context.close();
    }
  });

  it('anyone can switch the view; the choice stays on this device', async () => {
    const { context, page } = await signedIn('diplomat.es@demo.puente.test');
    try {
      await homeView(page, 'diplomat');
      await page.getByTestId('persona-switch').click();
      await page.getByRole('option', { name: start.personas.analyst }).click();
      await page.locator('[data-testid="home-view"][data-persona="analyst"]').waitFor();
      await page.getByTestId('home-intel').waitFor();
      expect(await page.getByText(start.chosen).count()).toBe(1);
      // The secretariat's view needs the role: not offered.
      await page.getByTestId('persona-switch').click();
      expect(await page.getByRole('option', { name: start.personas.secretariat }).count()).toBe(0);
      await page.keyboard.press('Escape');
      await page.reload();
      await page.locator('[data-testid="home-view"][data-persona="analyst"]').waitFor(WAIT);
      await expect.poll(async () => (await primaryLinks(page))[1]).toBe(en.nav.intel);
      // Back to the suggestion.
      await page.getByTestId('persona-switch').click();
      await page.getByRole('option', { name: start.personas.diplomat }).click();
      await page.locator('[data-testid="home-view"][data-persona="diplomat"]').waitFor();
      expect(await page.getByText(start.chosen).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('the secretariat: a to-do panel with the counts of its lists, the total in the menu', async () => {
    const { context, page, errors } = await signedIn('admin@demo.puente.test');
    try {
      // A new join request, so that something waits.
      const stamp = Date.now().toString(36);
      const join = await fetch(`${e2e.server.baseUrl}/api/v1/organisations/join-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organisation: { name: `Agencia de Prueba ${stamp}`, country: 'PE', type: 'national_cyber_agency', sectors: [] }, requester: { name: 'Ana Prueba', email: `ana.${stamp}@example.org` } }),
      });
      expect(join.status).toBe(202);

      await homeView(page, 'secretariat');
      const panel = page.getByTestId('todo-panel');
      await panel.waitFor();
      const expected = await page.evaluate(async () => {
        const n = async (url: string) => ((await (await fetch(url)).json()).items as unknown[]).length;
        return { organisations: await n('/api/v1/organisations?status=requested'), nominations: await n('/api/v1/contacts/nominations'), proposals: await n('/api/v1/communities/proposals') };
      });
      expect(expected.organisations).toBeGreaterThan(0);
      for (const key of ['organisations', 'nominations', 'proposals'] as const) {
        const row = panel.getByTestId(`todo-${key}`);
        expect(Number(await row.getAttribute('data-count')), key).toBe(expected[key]);
        const words = (expected[key] === 1 ? start.todo[`${key}_one`] : start.todo[`${key}_other`]).replace('{{count}}', String(expected[key]));
        expect(await row.innerText()).toContain(words);
      }
      const total = expected.organisations + expected.nominations + expected.proposals;
      const nav = page.getByRole('navigation', { name: en.nav.primary });
      expect(await nav.getByTestId('nav-todo-count').innerText()).toBe(String(total));
      // The secretariat's menu entry says it in words too.
      const words = (total === 1 ? en.nav.todoCount_one : en.nav.todoCount_other).replace('{{count}}', String(total));
      expect(await nav.getByRole('link', { name: `${en.nav.secretariat} (${words})`, exact: true }).count()).toBe(1);
      await expectNoSeriousViolations(page, 'secretariat home');

      // The panel leads to the lists.
      await panel.getByRole('link', { name: start.todo.review.organisations }).click();
      await page.getByRole('heading', { level: 1, name: en.secretariat.title }).waitFor();
      await page.getByTestId('org-row').filter({ hasText: `Agencia de Prueba ${stamp}` }).waitFor(WAIT);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the threat-intel list opens on members’ submissions; a visible switch shows reference content and relationships; both live in the URL', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test');
    try {
      const hidden = new Set(['relationship', 'identity', 'marking-definition']);
      const rows = () =>
        page.getByTestId('intel-row').evaluateAll((trs) => trs.map((tr) => ({ type: tr.getAttribute('data-type'), organisation: (tr as HTMLTableRowElement).cells[4]?.innerText.trim() ?? '' })));
      await page.goto('/intel');
      await page.getByRole('heading', { level: 1, name: intelEn.intel.list.title }).waitFor(WAIT);
      await page.getByTestId('intel-row').first().waitFor(WAIT);
      const shown = await rows();
      expect(shown.length).toBeGreaterThan(0);
      for (const r of shown) {
        expect(hidden.has(r.type!), `${r.type} shown by default`).toBe(false);
        expect(r.organisation).not.toBe(intelEn.intel.list.reference);
      }
      const toggle = page.getByRole('switch', { name: intelEn.intel.list.showAll });
      expect(await toggle.isChecked()).toBe(false);
      await expectNoSeriousViolations(page, 'intel list, members’ submissions');

      await toggle.click();
      await expect.poll(() => new URL(page.url()).searchParams.get('show'), { timeout: 15_000 }).toBe('all');
      expect(await toggle.isChecked()).toBe(true);
      // Pages are of 25, newest first: the members' own come first, so read on until the others show.
      await expect
        .poll(
          async () => {
            if ((await rows()).some((r) => hidden.has(r.type!) || r.organisation === intelEn.intel.list.reference)) return true;
            const more = page.getByTestId('intel-more');
            if (await more.isEnabled().catch(() => false)) await more.click();
            return false;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      // The view and the filters survive a reload.
      await page.goto('/intel?show=all&type=relationship');
      await page.getByTestId('intel-row').first().waitFor(WAIT);
      await page.reload();
      await page.getByTestId('intel-row').first().waitFor(WAIT);
      expect(new Set((await rows()).map((r) => r.type))).toEqual(new Set(['relationship']));
      expect(await page.getByRole('switch', { name: intelEn.intel.list.showAll }).isChecked()).toBe(true);
      // Asking for a type shows it even in the default view; reference content stays out.
      await page.goto('/intel?type=relationship');
      await page.getByTestId('intel-row').first().waitFor(WAIT);
      for (const r of await rows()) expect(r).toEqual({ type: 'relationship', organisation: expect.not.stringMatching(new RegExp(`^${intelEn.intel.list.reference}$`)) });
    } finally {
      await context.close();
    }
  });

  it('the landing page describes what exists today and promises nothing else', async () => {
    const context = await e2e.newContext();
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.getByTestId('landing-today').waitFor();
      const text = await page.locator('main').innerText();
      for (const part of ['foundation', 'directory', 'intel'] as const) expect(text).toContain(en.landing.today[part].title);
      // Not built yet: no knowledge base, capacity-building catalogue or offers, crisis coordination.
      expect(text).not.toMatch(/knowledge base|build cyber capacity|capacity-building (catalogue|offers)|showcase and scale up|support each other in crises|crisis coordination/i);
      expect(text).not.toContain(en.workstreams.capacityBuilding.description);
      await expectNoSeriousViolations(page, 'landing');
    } finally {
      await context.close();
    }
  });
});
