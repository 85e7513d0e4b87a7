// What the web app says: a list that fails shows the error and no "nothing here yet"; errors
// name the field that is wrong in the person's language (never a password rule for something
// else); times are shown in the person's time zone, labelled; nobody is told of their own new
// note; the communication-check launcher names countries; the contact editor picks time zones
// as the account page does and its marking speaks of the entry, not of a note.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import checksEn from '../src/web/features/checks/locales/en.json';
import contactsEn from '../src/web/features/contacts/locales/en.json';
import intelPt from '../src/web/features/intel/locales/pt.json';
import baseEn from '../src/web/locales/en.json';
import pt from '../src/web/locales/pt.json';
import { expectNoSeriousViolations } from './support/axe';
import { label } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const en = { ...baseEn, ...checksEn, ...contactsEn };
const e2e = useServerAndBrowser();

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

describe('what the web app says', () => {
  it('a list that fails shows the error and no empty state', async () => {
    const { context, page } = await e2e.signedIn('analyst.ee@demo.puente.test');
    try {
      await page.route(/\/api\/v1\/notes(\?|$)/, (route) =>
        route.request().method() === 'GET'
          ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side', details: null } }) })
          : route.continue(),
      );
      await page.goto('/notes');
      await heading(page, en.notes.title);
      await page.getByRole('alert').filter({ hasText: en.errors.INTERNAL }).waitFor();
      expect(await page.getByText(en.notes.none).count()).toBe(0);
      await expectNoSeriousViolations(page, 'failed list');

      // The home page's latest notes likewise.
      await page.goto('/');
      await page.getByRole('alert').filter({ hasText: en.errors.INTERNAL }).first().waitFor();
      expect(await page.getByText(en.notes.none).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('a validation error names the field in the person’s language, never a password rule', async () => {
    const { context, page } = await e2e.signedIn('analyst.br@demo.puente.test', { lang: 'pt' });
    try {
      // A STIX upload of a file that is not a bundle.
      await page.goto('/intel/upload');
      await heading(page, intelPt.intel.upload.title);
      await page.locator('input[type="file"]').setInputFiles({ name: 'not-a-bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ hello: 'world' })) });
      await page.getByTestId('stix-send').click();
      const alert = page.getByRole('alert').filter({ hasText: intelPt.intel.upload.stixNotValid });
      await alert.waitFor();
      expect(await alert.innerText()).not.toMatch(/senha|12|256/i);

      // A field the server refuses: a name longer than it takes.
      await page.goto('/account');
      await heading(page, pt.account.title);
      await page.getByLabel(label(pt.account.name)).fill('a'.repeat(201));
      await page.getByRole('button', { name: pt.common.save }).click();
      const said = pt.errors.validation.tooLong_other.replace('{{field}}', pt.errors.fields.name).replace('{{count}}', '200');
      await page.getByRole('alert').filter({ hasText: said }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows times in the person’s time zone, labelled, whatever the browser’s; the account page picks the zone', async () => {
    // Andrés Felipe Gómez works in America/Bogota (UTC-5 all year); the browser says Tokyo.
    const { context, page } = await e2e.signedIn('energy.co@demo.puente.test', { context: { timezoneId: 'Asia/Tokyo' } });
    try {
      await page.goto('/notes');
      await heading(page, en.notes.title);
      const card = page.getByTestId('note-card').first();
      await expect.poll(() => card.innerText()).toMatch(/GMT-5/);
      expect(await card.innerText()).not.toMatch(/GMT\+9/);

      await page.goto('/account');
      await heading(page, en.account.title);
      const zone = page.getByLabel(label(en.account.timeZone)).first();
      await zone.click();
      await zone.fill('Tokyo');
      await page.getByRole('option', { name: /^Asia\/Tokyo \(GMT\+9\)$/ }).click();
      await page.getByRole('button', { name: en.common.save }).click();
      await page.getByRole('status').filter({ hasText: en.common.saved }).waitFor();
      await page.goto('/notes');
      await heading(page, en.notes.title);
      await expect.poll(() => page.getByTestId('note-card').first().innerText()).toMatch(/GMT\+9/);
    } finally {
      await context.close();
    }
  });

  it('does not tell the author of their own new note, and refreshes their open list', async () => {
    const author = await e2e.signedIn('analyst.br@demo.puente.test');
    const reader = await e2e.signedIn('analyst.cl@demo.puente.test');
    try {
      const list = author.page;
      await list.goto('/notes');
      await heading(list, en.notes.title);
      await reader.page.goto('/notes');
      await heading(reader.page, en.notes.title);

      // The author writes the note in another tab.
      const writer = await author.context.newPage();
      await writer.goto('/notes');
      await heading(writer, en.notes.title);
      const title = `Own note ${Date.now().toString(36)}`;
      const status = await writer.evaluate(async (t) => {
        const me = await (await fetch('/api/v1/me')).json();
        const res = await fetch('/api/v1/notes', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify({ title: t, body: 'x', language: 'en', tlp: 'GREEN', pap: 'GREEN' }),
        });
        return res.status;
      }, title);
      expect(status).toBe(201);

      // The reader is told; the author's open list shows it, with no notice.
      await reader.page.getByTestId('live-notice').filter({ hasText: title }).waitFor({ timeout: 20_000 });
      await list.getByTestId('note-card').filter({ hasText: title }).waitFor({ timeout: 20_000 });
      expect(await list.getByTestId('live-notice').filter({ hasText: title }).count()).toBe(0);
      expect(await writer.getByTestId('live-notice').filter({ hasText: title }).count()).toBe(0);
    } finally {
      await Promise.all([author.context.close(), reader.context.close()]);
    }
  });

  it('the communication-check launcher names countries; the contact editor uses the account page’s time-zone picker and speaks of the entry', async () => {
    const { context, page } = await e2e.signedIn('admin@demo.puente.test');
    try {
      await page.goto('/communication-checks/new');
      await heading(page, en.checks.launchTitle);
      const countries = page.getByLabel(label(en.checks.countries)).first();
      await countries.click();
      await countries.fill('Chi');
      await page.getByRole('option', { name: 'Chile', exact: true }).waitFor();
      expect(await page.getByRole('option', { name: 'CL', exact: true }).count()).toBe(0);
      await page.keyboard.press('Escape');

      await page.goto('/contacts/new');
      await heading(page, en.contacts.addTitle);
      expect(await page.getByRole('main').innerText()).not.toMatch(/this note/i);
      await page.getByText(en.notes.tlpHelp).first().waitFor();
      const zone = page.getByLabel(label(en.contacts.timeZone)).first();
      await zone.click();
      await zone.fill('Santiago');
      await page.getByRole('option', { name: /^America\/Santiago \(GMT-[34]\)$/ }).click();
      expect(await zone.inputValue()).toMatch(/^America\/Santiago/);
      await expectNoSeriousViolations(page, 'contact editor');
    } finally {
      await context.close();
    }
  });
});
