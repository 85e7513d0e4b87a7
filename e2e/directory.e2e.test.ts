// The directory in a real browser: filters that live in the URL, accent-folded and fuzzy name
// search, the age and stale marker of each entry, the contact card (copy / download vCard,
// download key), the coverage map, the communication-check launcher and report, and a community
// discussion with sanitised Markdown and attachments. Keyboard-only search; axe on every page;
// the same pages in Spanish without raw i18n keys.
import fs from 'node:fs';
import ICAL from 'ical.js';
import * as openpgp from 'openpgp';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import checksEn from '../src/web/features/checks/locales/en.json';
import checksEs from '../src/web/features/checks/locales/es.json';
import discussionsEn from '../src/web/features/communities/locales/en.json';
import discussionsEs from '../src/web/features/communities/locales/es.json';
import contactsEn from '../src/web/features/contacts/locales/en.json';
import contactsEs from '../src/web/features/contacts/locales/es.json';
import contactsFr from '../src/web/features/contacts/locales/fr.json';
import contactsPt from '../src/web/features/contacts/locales/pt.json';
import orgProfileEn from '../src/web/features/organisations/locales/en.json';
import baseEn from '../src/web/locales/en.json';
import baseEs from '../src/web/locales/es.json';
import { parseCsv } from '../src/server/platform/csv';
import { expectNoSeriousViolations } from './support/axe';
import { chooseLanguage, cspErrors, pickOption } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const en = { ...baseEn, ...contactsEn, ...checksEn, ...discussionsEn };
const es = { ...baseEs, ...contactsEs, ...checksEs, ...discussionsEs };

const WAIT = { timeout: 15_000 };
const POLL = { timeout: 15_000, interval: 200 };

const e2e = useServerAndBrowser();
const signedIn = (email: string, lang: 'en' | 'es' = 'en') => e2e.signedIn(email, { lang, timeout: WAIT.timeout, context: { acceptDownloads: true } });

async function heading(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor(WAIT);
}

/** i18n keys that were not translated show up as the key itself ("contacts.kinds.technical"). */
const RAW_KEY = /\b(?:contacts|checks|discussions|common|nav|errors|countries|regions|orgProfile)\.[a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_+]+)*/;

async function expectNoRawKeys(page: Page, where: string) {
  const text = await page.evaluate(() => {
    const attrs = Array.from(document.querySelectorAll('[aria-label],[title],[placeholder]')).flatMap((el) => ['aria-label', 'title', 'placeholder'].map((a) => el.getAttribute(a) ?? ''));
    return [document.title, document.body.innerText, ...attrs].join('\n');
  });
  expect(text.match(RAW_KEY)?.[0] ?? null, `${where}: a raw i18n key is shown`).toBeNull();
}

/** Pick an option of a Mantine Select / MultiSelect found by its label. */
async function pick(scope: Page | Locator, page: Page, labelText: string, option: string, type?: string) {
  await pickOption(page, labelText, type ?? '', option, { scope, keepOpen: true });
}

async function download(page: Page, trigger: Locator): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download', WAIT), trigger.click()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** The cards of a vCard text, as ical.js (an independent parser) reads them. */
function vcards(text: string): unknown[][][] {
  const parsed = ICAL.parse(text) as unknown[];
  const list = (parsed[0] === 'vcard' ? [parsed] : parsed) as unknown[][];
  return list.map((c) => {
    expect(c[0]).toBe('vcard');
    return c[1] as unknown[][];
  });
}
const prop = (card: unknown[][], name: string) => card.filter((p) => p[0] === name).map((p) => p[3]);

async function closeAll(...contexts: BrowserContext[]) {
  await Promise.all(contexts.map((c) => c.close()));
}

const rows = (page: Page) => page.getByTestId('contact-row');

/**
 * A search parameter as the app reads it: TanStack Router writes a string that would read as
 * another JSON type with quotes (stale="true"), and reads both forms back as the same value.
 */
function param(u: URL, key: string): string | null {
  const v = u.searchParams.get(key);
  if (v === null) return null;
  try {
    const j = JSON.parse(v) as unknown;
    return typeof j === 'object' && j !== null ? v : String(j);
  } catch {
    return v;
  }
}

describe('directory', () => {
  it('filters live in the URL and survive a reload; entries show their age and a stale marker', async () => {
    const { context, page, errors } = await signedIn('analyst.br@demo.puente.test');
    try {
      await page.goto('/contacts');
      await heading(page, en.contacts.title);
      await rows(page).first().waitFor(WAIT);
      await expectNoSeriousViolations(page, 'directory');

      const filters = page.getByRole('search', { name: en.contacts.filters });
      await pick(filters, page, en.contacts.country, 'Estonia', 'Eston');
      await pick(filters, page, en.contacts.kind, en.contacts.kinds.technical);
      await page.waitForURL((u) => param(u, 'country') === 'EE' && param(u, 'kind') === 'technical', WAIT);
      await expect.poll(() => rows(page).allInnerTexts(), POLL).toEqual([expect.stringContaining('Kadri Tamm'), expect.stringContaining('RKK Incident Desk')]);

      // Kadri Tamm was confirmed 14 months ago: age in words, and a marker with text and icon.
      const kadri = rows(page).filter({ hasText: 'Kadri Tamm' });
      expect(await kadri.getByTestId('contact-age').innerText()).toBe(en.contacts.confirmedAgo.replace('{{ago}}', '14 months ago'));
      const marker = kadri.getByTestId('stale-marker');
      expect((await marker.innerText()).trim()).toBe(en.contacts.staleShort);
      expect(await marker.locator('svg').count()).toBe(1);
      const rkk = rows(page).filter({ hasText: 'RKK Incident Desk' });
      expect(await rkk.getByTestId('contact-age').innerText()).toMatch(/^confirmed \d+ days ago$/);
      expect(await rkk.getByTestId('stale-marker').count()).toBe(0);

      // The same view after a reload: the URL carries the filters.
      const url = page.url();
      await page.reload();
      await heading(page, en.contacts.title);
      expect(page.url()).toBe(url);
      await expect.poll(() => rows(page).allInnerTexts(), POLL).toEqual([expect.stringContaining('Kadri Tamm'), expect.stringContaining('RKK Incident Desk')]);
      expect(await filters.getByLabel(en.contacts.country, { exact: true }).inputValue()).toBe('Estonia');
      expect(await filters.getByLabel(en.contacts.kind, { exact: true }).inputValue()).toBe(en.contacts.kinds.technical);

      // "Only entries not confirmed for 12 months" narrows it to Kadri Tamm, still in the URL.
      await pick(filters, page, en.contacts.confirmation, en.contacts.staleOnly);
      await page.waitForURL((u) => param(u, 'stale') === 'true' && param(u, 'country') === 'EE', WAIT);
      await expect.poll(() => rows(page).allInnerTexts(), POLL).toEqual([expect.stringContaining('Kadri Tamm')]);
      await expectNoSeriousViolations(page, 'directory, filtered');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await closeAll(context);
    }
  });

  it('finds names without accents and with a one-letter typo, and nothing for nonsense', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test');
    try {
      await page.goto('/contacts');
      await heading(page, en.contacts.title);
      const search = page.getByRole('searchbox', { name: en.contacts.searchLabel });
      const searchFor = async (q: string) => {
        await search.fill(q);
        await page.waitForURL((u) => param(u, 'q') === q, WAIT);
      };
      // Accent folding: "Maria ... Pena" finds "María Fernanda Peña".
      await searchFor('Maria Fernanda Pena');
      await expect.poll(() => rows(page).first().innerText(), POLL).toContain('María Fernanda Peña');
      // Fuzzy: "Olivera" (one letter missing) finds "Rafael Oliveira Santos".
      await searchFor('Rafael Olivera Santos');
      await expect.poll(() => rows(page).first().innerText(), POLL).toContain('Rafael Oliveira Santos');
      // The search is a filter, not a list of everything.
      await searchFor('Zzyxq Wqrtp');
      await expect.poll(() => rows(page).count(), POLL).toBe(0);
      await page.getByRole('cell', { name: en.common.noResults }).waitFor(WAIT);
    } finally {
      await closeAll(context);
    }
  });

  it('keyboard only: search and open a contact card', async () => {
    const { context, page } = await signedIn('analyst.cl@demo.puente.test');
    try {
      await page.goto('/contacts');
      await heading(page, en.contacts.title);
      await rows(page).first().waitFor(WAIT);
      const active = () => page.evaluate(() => ({ tag: document.activeElement?.tagName ?? '', type: document.activeElement?.getAttribute('type') ?? '', text: (document.activeElement as HTMLElement | null)?.innerText ?? '' }));
      let found = false;
      for (let i = 0; i < 60 && !found; i++) {
        await page.keyboard.press('Tab');
        found = (await active()).type === 'search';
      }
      expect(found, 'the search field is reachable with Tab').toBe(true);
      await page.keyboard.type('Camila');
      await page.waitForURL((u) => param(u, 'q') === 'Camila', WAIT);
      await expect.poll(() => rows(page).allInnerTexts(), POLL).toEqual([expect.stringContaining('Camila Rojas Fuentes')]);
      found = false;
      for (let i = 0; i < 40 && !found; i++) {
        await page.keyboard.press('Tab');
        const a = await active();
        found = a.tag === 'A' && a.text.trim() === 'Camila Rojas Fuentes';
      }
      expect(found, 'the contact link is reachable with Tab').toBe(true);
      await page.keyboard.press('Enter');
      await heading(page, 'Camila Rojas Fuentes');
      expect(new URL(page.url()).pathname).toMatch(/^\/contacts\/[0-9a-f-]{36}$/);
      await expectNoSeriousViolations(page, 'contact card');
    } finally {
      await closeAll(context);
    }
  });

  it('contact card: copy as vCard, download the vCard and the OpenPGP key', async () => {
    const { context, page, errors } = await signedIn('analyst.cl@demo.puente.test');
    try {
      await context.grantPermissions(['clipboard-write'], { origin: e2e.server.baseUrl });
      // The page may write to the clipboard but not read it (Permissions-Policy: clipboard-read is off):
      // what it writes is recorded as it goes through.
      await page.addInitScript(() => {
        const write = navigator.clipboard.writeText.bind(navigator.clipboard);
        navigator.clipboard.writeText = async (text: string) => {
          await write(text);
          (window as unknown as { copied: string }).copied = text;
        };
      });
      await page.goto('/contacts?q=ENRI-CL');
      await heading(page, en.contacts.title);
      await rows(page).getByRole('link', { name: 'ENRI-CL Mesa de Turno' }).click();
      await heading(page, 'ENRI-CL Mesa de Turno');
      await expectNoSeriousViolations(page, 'contact card with key');
      const fingerprint = (await page.locator('code.fingerprint').innerText()).replace(/\s+/g, '').toLowerCase();
      expect(fingerprint).toMatch(/^[0-9a-f]{40}$/);

      await page.getByRole('button', { name: en.contacts.exchange.copyVcard }).click();
      await page.getByText(en.contacts.exchange.copied).waitFor(WAIT);
      const copied = await page.evaluate(() => (window as unknown as { copied: string }).copied);
      const checkCard = (text: string) => {
        expect(text.startsWith('BEGIN:VCARD\r\n')).toBe(true);
        expect(text.trimEnd().endsWith('END:VCARD')).toBe(true);
        const [card, ...more] = vcards(text);
        expect(more).toHaveLength(0);
        expect(prop(card!, 'version')).toEqual(['4.0']);
        expect(prop(card!, 'fn')).toEqual(['ENRI-CL Mesa de Turno']);
        expect(prop(card!, 'email')).toContain('soc@enri-cl.demo.puente.test');
        // The key travels inside the card as a data URI.
        const [uri] = prop(card!, 'key') as string[];
        expect(uri).toMatch(/^data:application\/pgp-keys;base64,/);
        return Buffer.from(uri!.replace(/^data:[^,]*,/, ''), 'base64').toString('utf8');
      };
      const keyInCard = checkCard(copied);
      expect(keyInCard).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');

      const vcf = await download(page, page.getByRole('link', { name: en.contacts.exchange.downloadVcard }));
      expect(vcf.name).toMatch(/\.vcf$/);
      checkCard(vcf.text);
      expect(vcf.text).toBe(copied);

      const asc = await download(page, page.getByRole('link', { name: en.contacts.downloadKey }));
      expect(asc.name).toMatch(/\.asc$/);
      expect(asc.text).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\r?\n/);
      expect(asc.text.trimEnd()).toMatch(/-----END PGP PUBLIC KEY BLOCK-----$/);
      const key = await openpgp.readKey({ armoredKey: asc.text });
      expect(key.isPrivate()).toBe(false);
      expect(key.getFingerprint()).toBe(fingerprint);
      expect((await openpgp.readKey({ armoredKey: keyInCard })).getFingerprint()).toBe(fingerprint);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await closeAll(context);
    }
  });

  it('coverage map: 60 named country shapes, the same in the table, Enter opens a country', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test');
    try {
      await page.goto('/contacts/coverage');
      await heading(page, en.contacts.coverage.title);
      const shapes = page.locator('svg.puente-coverage-map path[data-country]');
      await expect.poll(() => shapes.count(), POLL).toBe(60);
      const described = await shapes.evaluateAll((els) => els.map((el) => ({ code: el.getAttribute('data-country'), role: el.getAttribute('role'), label: el.getAttribute('aria-label') ?? '', tab: el.getAttribute('tabindex') })));
      expect(new Set(described.map((d) => d.code)).size).toBe(60);
      for (const d of described) {
        expect(d.role, d.code ?? '').toBe('link');
        expect(d.tab, d.code ?? '').toBe('0');
        expect(d.label, d.code ?? '').toMatch(/^[^:]{3,}: .+ — diplomatic \d+, technical \d+, 24\/7 \d+$/);
      }
      const chile = page.getByRole('link', { name: /^Chile: / });
      expect(await chile.count()).toBe(1);
      expect(await chile.getAttribute('aria-label')).toMatch(/technical [1-9]\d*, 24\/7 [1-9]\d*$/);

      const table = page.getByRole('table', { name: en.contacts.coverage.tableCaption });
      expect(await table.locator('tbody tr').count()).toBe(60);
      const chileRow = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: 'Chile', exact: true }) });
      expect(await chileRow.count()).toBe(1);
      expect(await chileRow.innerText()).toContain(en.contacts.coverage.yes.replace('{{n}}', '2'));
      await expectNoSeriousViolations(page, 'coverage');

      await chile.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/contacts' && param(u, 'country') === 'CL', WAIT);
      await expect.poll(() => rows(page).allInnerTexts(), POLL).toEqual([expect.stringContaining('Camila Rojas Fuentes'), expect.stringContaining('ENRI-CL Mesa de Turno')]);
    } finally {
      await closeAll(context);
    }
  });

  it('communication check: the secretariat chooses a set, sees the count, launches, reads the report and its CSV', async () => {
    const { context, page, errors } = await signedIn('admin@demo.puente.test');
    try {
      // What the check should reach, from the API: active 24/7 contacts with an e-mail in Latin America.
      const expected = await page.evaluate(async () => {
        const countries = (await (await fetch('/api/v1/countries')).json()) as { code: string; region: string }[];
        const lac = new Set(countries.filter((c) => c.region === 'LAC').map((c) => c.code));
        const res = (await (await fetch('/api/v1/contacts?kind=operational_24_7&pageSize=100')).json()) as { items: { fullName: string; country: string; emails?: string[] }[] };
        return res.items.filter((c) => lac.has(c.country) && (c.emails ?? []).length > 0).map((c) => ({ name: c.fullName, country: c.country }));
      });
      expect(expected.length).toBeGreaterThan(0);

      await page.goto('/communication-checks');
      await heading(page, en.checks.title);
      await expectNoSeriousViolations(page, 'checks list');
      await page.getByTestId('launch-check').click();
      await heading(page, en.checks.launchTitle);
      const preview = page.getByTestId('preview');
      await expect.poll(() => preview.innerText(), POLL).toMatch(/reach \d+ contacts/);
      const everyone = Number((await preview.innerText()).match(/reach (\d+) contacts/)![1]);

      const title = `Ping 24/7 LAC ${Date.now().toString(36)}`;
      await page.getByLabel(en.checks.checkTitle).fill(title);
      await pick(page, page, en.checks.kinds, en.contacts.kinds.operational_24_7);
      await page.keyboard.press('Escape');
      await pick(page, page, en.checks.region, en.checks.regions.LAC);
      const want = (expected.length === 1 ? en.checks.previewCount_one : en.checks.previewCount_other).replace('{{count}}', String(expected.length));
      await expect.poll(() => preview.innerText(), POLL).toContain(want);
      expect(expected.length).toBeLessThan(everyone);
      await expectNoSeriousViolations(page, 'check launcher');

      const launch = page.getByTestId('launch-submit');
      expect(await launch.innerText()).toBe((expected.length === 1 ? en.checks.launchButton_one : en.checks.launchButton_other).replace('{{count}}', String(expected.length)));
      await launch.click();
      // Nothing goes out before the confirmation, which lists the recipients.
      await page.getByTestId('launch-confirm').waitFor(WAIT);
      await page.getByTestId('launch-confirm-send').click();
      await heading(page, title);
      await page.waitForURL((u) => /^\/communication-checks\/[0-9a-f-]{36}$/.test(u.pathname), WAIT);

      // Report: per-country table with one row per country, every contact listed, nobody answered yet.
      const byCountry = page.getByTestId('by-country');
      const countries = new Set(expected.map((e) => e.country));
      expect(await byCountry.locator('tbody tr').count()).toBe(countries.size);
      const perContact = page.getByTestId('per-contact');
      expect(await perContact.locator('tbody tr').count()).toBe(expected.length);
      for (const e of expected) await perContact.getByRole('link', { name: e.name, exact: true }).waitFor(WAIT);
      expect(await page.getByTestId('overall').locator('tbody tr').innerText()).toMatch(new RegExp(`${en.checks.allContacts}\\s+${expected.length}\\s+0\\s+0 %`));
      await expectNoSeriousViolations(page, 'check report');

      const csv = await download(page, page.getByRole('link', { name: en.checks.downloadCsv }));
      expect(csv.name).toMatch(/\.csv$/);
      const [head, ...records] = parseCsv(csv.text.replace(/^\uFEFF/, '')).filter((r) => r.some((cell) => cell !== ''));
      expect(head).toEqual(['contact', 'organisation', 'email', 'country', 'acknowledged', 'acknowledged_at', 'channel', 'seconds_to_acknowledge', 'encrypted', 'flagged']);
      expect(records.map((r) => r[0]).sort()).toEqual(expected.map((e) => e.name).sort());
      expect(records.map((r) => r[4])).toEqual(expected.map(() => 'no'));

      // The demo's completed check: answers from several countries.
      await page.goto('/communication-checks');
      await page.getByRole('link', { name: 'Quarterly communication check' }).click();
      await heading(page, 'Quarterly communication check');
      expect(await page.getByTestId('by-country').locator('tbody tr').count()).toBeGreaterThan(2);
      expect(await page.getByTestId('overall').innerText()).toMatch(/\d+(\.\d)? %/);
      expect(cspErrors(errors)).toEqual([]);

      // In Spanish, the countries are named in Spanish (they were the directory's English names).
      const report = new URL(page.url()).pathname;
      const es = await e2e.signedIn('admin@demo.puente.test', { lang: 'es' });
      try {
        await es.page.goto(report);
        await heading(es.page, 'Quarterly communication check');
        const { want, english } = await es.page.evaluate(async (path) => {
          const r = (await (await fetch(`/api/v1${path}`)).json()) as { byCountry: { country: string; countryName: string }[] };
          const names = new Intl.DisplayNames(['es'], { type: 'region' });
          return { want: r.byCountry.map((b) => names.of(b.country)), english: r.byCountry.map((b) => b.countryName) };
        }, report);
        expect(want).not.toEqual(english);
        expect(await es.page.getByTestId('by-country').locator('tbody th').allInnerTexts()).toEqual(want);
        // And in the per-contact table, each contact's country.
        const perContactCountries = new Set((await es.page.getByTestId('per-contact').locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLTableRowElement).cells[1]!.innerText.trim()))));
        expect([...perContactCountries].sort()).toEqual([...new Set(want)].sort());
      } finally {
        await es.context.close();
      }
    } finally {
      await closeAll(context);
    }
  });

  it('community discussion: Markdown with <script> is shown as text, attachments download', async () => {
    const { context, page } = await signedIn('admin@demo.puente.test');
    try {
      const community = await page.evaluate(async () => {
        const res = (await (await fetch('/api/v1/communities')).json()) as { items: { id: string; slug: string; name: string }[] };
        return res.items.find((c) => c.slug === 'cyber-diplomats') ?? null;
      });
      expect(community).not.toBeNull();
      await page.goto(`/communities/${community!.id}`);
      await heading(page, community!.name);
      const topicTitle = 'Preparación de la reunión anual UE-ALC de ciberdiplomáticos';
      await page.getByRole('link', { name: topicTitle }).click();
      await heading(page, topicTitle);
      await expectNoSeriousViolations(page, 'topic');

      // The demo's attachment downloads with its contents.
      const demoFile = await download(page, page.getByRole('link', { name: 'orden-del-dia.txt' }));
      expect(demoFile.text).toContain('Orden del día');

      const stamp = Date.now().toString(36);
      const body = `**Agreed** on item ${stamp}.\n\n<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2">\n\n- point one\n- point two`;
      await page.getByLabel(en.discussions.replyBody).fill(body);
      await page.locator('input[type="file"]').setInputFiles({ name: `notes-${stamp}.txt`, mimeType: 'text/plain', buffer: Buffer.from(`Notes ${stamp}\n`) });
      await page.getByRole('button', { name: en.discussions.sendReply }).click();

      const reply = page.getByRole('article', { name: en.discussions.replyBy.replace('{{name}}', 'Sofia Marchetti') }).filter({ hasText: stamp });
      await reply.waitFor(WAIT);
      await reply.getByRole('link', { name: `notes-${stamp}.txt` }).waitFor(WAIT);
      const html = reply.locator('.discussion-body');
      expect(await html.locator('strong').innerText()).toBe('Agreed');
      expect(await html.locator('li').count()).toBe(2);
      // The raw HTML is text, not markup: no script or img element, no handler ran.
      expect(await html.innerText()).toContain('<script>window.__pwned = 1</script>');
      expect(await html.locator('script, img, [onerror]').count()).toBe(0);
      expect(await page.evaluate(() => document.querySelectorAll('.discussion-body script, .discussion-body [onerror]').length)).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();

      const mine = await download(page, reply.getByRole('link', { name: `notes-${stamp}.txt` }));
      expect(mine.text).toBe(`Notes ${stamp}\n`);
      await expectNoSeriousViolations(page, 'topic with reply');
    } finally {
      await closeAll(context);
    }
  });

  it('the same pages in Spanish show no raw i18n keys and no serious accessibility violations', async () => {
    const { context, page } = await signedIn('admin@demo.puente.test', 'es');
    try {
      const visit = async (path: string, title: string | null, where: string) => {
        await page.goto(path);
        if (title) await heading(page, title);
        else await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
        await page.getByRole('status').filter({ hasText: es.common.loading }).waitFor({ state: 'detached', timeout: 15_000 });
        await expectNoRawKeys(page, where);
        await expectNoSeriousViolations(page, `${where} (es)`);
      };
      await visit('/contacts?country=EE', es.contacts.title, 'directory');
      await expect.poll(() => rows(page).count(), POLL).toBeGreaterThan(0);
      expect(await rows(page).filter({ hasText: 'Kadri Tamm' }).getByTestId('contact-age').innerText()).toBe('confirmado hace 14 meses');
      expect((await rows(page).filter({ hasText: 'Kadri Tamm' }).getByTestId('stale-marker').innerText()).trim()).toBe(es.contacts.staleShort);
      await rows(page).getByRole('link', { name: 'Kadri Tamm' }).click();
      await heading(page, 'Kadri Tamm');
      await expectNoRawKeys(page, 'contact card');
      await expectNoSeriousViolations(page, 'contact card (es)');
      await visit('/contacts/coverage', es.contacts.coverage.title, 'coverage');
      await visit('/communication-checks', es.checks.title, 'checks');
      await visit('/communication-checks/new', es.checks.launchTitle, 'launcher');
      await page.goto('/communication-checks');
      await page.getByRole('link', { name: 'Quarterly communication check' }).click();
      await heading(page, 'Quarterly communication check');
      await expectNoRawKeys(page, 'check report');
      await expectNoSeriousViolations(page, 'check report (es)');
      const topic = await page.evaluate(async () => {
        const cs = (await (await fetch('/api/v1/communities')).json()) as { items: { id: string; slug: string }[] };
        const c = cs.items.find((x) => x.slug === 'cyber-diplomats')!;
        const ts = (await (await fetch(`/api/v1/communities/${c.id}/topics`)).json()) as { items: { id: string; title: string }[] };
        return { community: c.id, topic: ts.items[0]! };
      });
      await visit(`/communities/${topic.community}/topics/${topic.topic.id}`, topic.topic.title, 'topic');
      expect(await page.getByRole('button', { name: es.discussions.sendReply }).count()).toBe(1);
    } finally {
      await closeAll(context);
    }
  });
  it('contact-type badges show whole in every language, on a phone and on a desktop', async () => {
    const { context, page } = await signedIn('analyst.br@demo.puente.test');
    try {
      /** Badges whose words do not fit their box (cut off or ending in "…"), by their text. */
      const cut = () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('.puente-badge')).flatMap((badge) => {
            const label = badge.querySelector('.puente-badge-label') ?? badge;
            const over = (el: Element) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
            return over(badge) || over(label) ? [(badge as HTMLElement).innerText] : [];
          }),
        );
      const kinds = { en: contactsEn, es: contactsEs, pt: contactsPt, fr: contactsFr } as const;
      for (const lang of ['en', 'es', 'pt', 'fr'] as const) {
        if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await chooseLanguage(page, lang);
        for (const [width, height] of [
          [390, 844],
          [1280, 800],
        ] as const) {
          const where = `${lang} at ${width} px`;
          await page.setViewportSize({ width, height });
          // The 24/7 desks carry the longest words ("Operacional 24/7", "Opérationnel 24/7") beside a second kind.
          await page.goto('/contacts?kind=operational_24_7');
          await rows(page).first().waitFor(WAIT);
          const badges = page.locator('[data-testid="contact-row"] .puente-badge');
          expect(await badges.count(), where).toBeGreaterThan(0);
          const label = kinds[lang].contacts.kinds.operational_24_7.toUpperCase();
          expect((await badges.allInnerTexts()).map((x) => x.replace(/\s+/g, ' ')), where).toContain(label);
          expect(await cut(), where).toEqual([]);
          if (lang === 'pt' && width === 390) {
            // The check does see a cut badge: with Mantine's one-line badge back (and narrow, as in a
            // table column; on a phone the list is cards, where a one-line badge fits), some are.
            const undo = await page.addStyleTag({ content: '.puente-badge{height:var(--badge-height)!important;overflow:hidden!important;max-width:5rem!important}.puente-badge-label{white-space:nowrap!important;overflow:hidden!important;text-overflow:ellipsis!important}' });
            expect((await cut()).length, 'the measure finds truncation when there is some').toBeGreaterThan(0);
            await undo.evaluate((el) => (el as Element).remove());
          }
          // The contact card, with its kinds and other badges.
          await rows(page).getByRole('link', { name: 'RKK Incident Desk' }).click();
          await heading(page, 'RKK Incident Desk');
          expect(await page.locator('.puente-badge').count(), where).toBeGreaterThan(1);
          expect(await cut(), `${where}, contact card`).toEqual([]);
        }
      }
      await expectNoSeriousViolations(page, 'contact card (fr, desktop)');
    } finally {
      await closeAll(context);
    }
  });

  it('the contact card starts with phone, emergency phone and local time; the organisation links to its contacts, communities and intelligence', async () => {
    const { context, page, errors } = await signedIn('analyst.br@demo.puente.test');
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto('/contacts?q=RKK');
      await rows(page).getByRole('link', { name: 'RKK Incident Desk' }).click();
      await heading(page, 'RKK Incident Desk');
      const top = page.getByTestId('contact-top-facts');
      const fact = (k: string) => top.locator(`[data-fact="${k}"]`);
      expect(await fact('phone').locator('dt').innerText()).toBe(en.contacts.fields.phone);
      expect(await fact('phone').getByRole('link').getAttribute('href')).toBe('tel:+3725550150');
      expect(await fact('emergencyPhone').locator('dt').innerText()).toBe(en.contacts.fields.emergencyPhone);
      expect(await fact('emergencyPhone').getByRole('link').innerText()).toBe('+372 5555 0151');
      expect(await fact('emergencyPhone').getByRole('link').getAttribute('href')).toBe('tel:+37255550151');
      // The local time in Tallinn, labelled with the zone and its offset from UTC.
      expect(await fact('localTime').locator('dt').innerText()).toBe(en.contacts.localTime);
      const shown = (await fact('localTime').locator('dd').innerText()).replace(/\s+/g, ' ');
      const at = (d: Date) => ({
        time: new Intl.DateTimeFormat('en', { timeZone: 'Europe/Tallinn', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(d).replace(/\s+/g, ' '),
        offset: new Intl.DateTimeFormat('en', { timeZone: 'Europe/Tallinn', timeZoneName: 'shortOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')!.value.replace(/^GMT/, 'UTC'),
      });
      const now = Date.now();
      const expected = [at(new Date(now - 60_000)), at(new Date(now)), at(new Date(now + 60_000))].map((x) => `${x.time} (Europe/Tallinn, ${x.offset})`);
      expect(expected).toContain(shown);
      // At the top: before the rest of the card, within the first screen.
      const topBox = (await top.boundingBox())!;
      const restBox = (await page.locator('dl.contact-card').boundingBox())!;
      expect(topBox.y + topBox.height).toBeLessThanOrEqual(restBox.y);
      expect(topBox.y + topBox.height).toBeLessThan(800);
      await expectNoSeriousViolations(page, 'contact card with its top facts');

      // The organisation's profile links to its contacts, its communities and the intelligence it shared.
      await page.locator('dl.contact-card').getByRole('link').first().click();
      await page.getByTestId('organisation-links').waitFor(WAIT);
      const links = page.getByTestId('organisation-links');
      expect(await links.getByRole('heading', { level: 2 }).innerText()).toBe(orgProfileEn.orgProfile.linksTitle);
      await links.getByTestId('organisation-communities').getByRole('link').first().waitFor(WAIT);
      expect(await links.getByTestId('organisation-communities').getByRole('link').count()).toBeGreaterThan(0);
      const orgId = new URL(page.url()).pathname.split('/').pop()!;
      await expectNoSeriousViolations(page, 'organisation profile with its links');
      await links.getByTestId('organisation-contacts-link').click();
      await page.waitForURL((u) => u.pathname === '/contacts' && param(u, 'organisation') === orgId, WAIT);
      await expect.poll(() => rows(page).allInnerTexts(), POLL).toEqual(expect.arrayContaining([expect.stringContaining('RKK Incident Desk'), expect.stringContaining('Kadri Tamm')]));
      await page.goBack();
      await page.getByTestId('organisation-intel-link').click();
      await page.waitForURL((u) => u.pathname === '/intel' && param(u, 'organisation') === orgId, WAIT);
      await page.getByTestId('intel-row').filter({ hasText: 'Shared C2 address' }).waitFor(WAIT);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await closeAll(context);
    }
  });
});
