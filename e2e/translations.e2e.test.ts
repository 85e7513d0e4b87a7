// Content in several languages: the welcome note and the demo communities are read in
// each reader's language, with `lang` on the content; a reader switches to another
// version; the author adds a translation, and a reader whose language is missing is told.
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();

describe('content in several languages', () => {
  it('a Spanish reader gets the welcome note and the communities in Spanish, and can switch', async () => {
    const { context, page, errors } = await e2e.signedIn('diplomat.es@demo.puente.test', { lang: 'es' });
    try {
      await page.goto('/notes');
      const card = page.getByTestId('note-card').filter({ hasText: 'Bienvenidos a Puente' });
      await card.waitFor();
      expect(await card.getByRole('heading').getAttribute('lang')).toBe('es');
      await card.getByRole('link', { name: 'Bienvenidos a Puente' }).click();
      const h1 = page.getByRole('heading', { level: 1, name: 'Bienvenidos a Puente' });
      await h1.waitFor();
      expect(await h1.getAttribute('lang')).toBe('es');
      expect(await page.locator('.note-body').getAttribute('lang')).toBe('es');
      await expectNoSeriousViolations(page, 'note in Spanish');
      // The other versions, the original among them.
      const notice = page.getByTestId('translation-notice');
      await notice.getByRole('button', { name: 'English' }).or(notice.getByRole('button', { name: 'inglés' })).first().click();
      await page.getByRole('heading', { level: 1, name: 'Welcome to Puente' }).waitFor();
      expect(await page.getByRole('heading', { level: 1 }).getAttribute('lang')).toBe('en');

      await page.goto('/communities');
      const community = page.getByRole('heading', { name: 'Diplomáticos del ciberespacio' });
      await community.waitFor();
      expect(await community.getAttribute('lang')).toBe('es');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the author adds a translation; a reader whose language is missing is told which one is shown', async () => {
    const author = await e2e.signedIn('analyst.cl@demo.puente.test', { lang: 'en' });
    const reader = await e2e.signedIn('analyst.ee@demo.puente.test', { lang: 'en' });
    try {
      const title = `Aviso de prueba ${Date.now().toString(36)}`;
      await author.page.goto('/notes/new');
      await expect.poll(() => author.page.locator('h1').allInnerTexts(), { timeout: 30_000 }).toEqual([en.notes.new]);
      await author.page.getByLabel(label(en.notes.titleField)).fill(title);
      await author.page.getByLabel(label(en.notes.body)).fill('Texto de la nota en español.');
      await author.page.getByRole('textbox', { name: en.notes.language }).or(author.page.getByRole('combobox', { name: en.notes.language })).first().click();
      await author.page.getByRole('option', { name: /Spanish|español/i }).first().click();
      await author.page.locator('input[type="radio"][value="GREEN"]').check();
      await author.page.getByRole('button', { name: en.notes.share }).click();
      await author.page.getByRole('heading', { level: 1, name: title }).waitFor();
      const url = author.page.url();

      // The reader reads Estonian and English: there is no version in either yet.
      await reader.page.goto(url);
      await reader.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await reader.page.getByTestId('translation-notice').getByRole('alert').or(reader.page.getByTestId('translation-notice').locator('.mantine-Alert-root')).first().waitFor();

      await author.page.getByRole('button', { name: en.translation.translate }).click();
      const editor = author.page.locator('form').filter({ has: author.page.getByRole('heading', { name: /^A version in another language/ }) });
      await editor.getByLabel(label(en.translation.language)).click();
      await author.page.getByRole('option', { name: /^English$/ }).click();
      await editor.getByLabel(label(en.notes.titleField)).fill(`Test notice ${title.slice(-6)}`);
      await editor.getByLabel(label(en.notes.body)).fill('Text of the note in English.');
      await editor.getByRole('button', { name: en.translation.add }).click();
      await author.page.getByRole('heading', { level: 1, name: `Test notice ${title.slice(-6)}` }).waitFor();

      await reader.page.reload();
      const h1 = reader.page.getByRole('heading', { level: 1, name: `Test notice ${title.slice(-6)}` });
      await h1.waitFor();
      expect(await h1.getAttribute('lang')).toBe('en');
      expect(await reader.page.getByTestId('translation-notice').locator('.mantine-Alert-root').count()).toBe(0);
      await expectNoSeriousViolations(reader.page, 'note in English');
    } finally {
      await author.context.close();
      await reader.context.close();
    }
  });
});
