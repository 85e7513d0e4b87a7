// Shared notes: an AMBER note shared with another organisation reaches its reader live
// (server-sent events), shows its TLP badge, can be re-marked and deleted by its author.
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const signedIn = (email: string) => e2e.signedIn(email);

describe('shared notes', () => {
  it('an AMBER note reaches the named organisation live and can be re-marked and deleted', async () => {
    const author = await signedIn('analyst.br@demo.puente.test');
    const reader = await signedIn('analyst.cl@demo.puente.test');
    const outsider = await signedIn('ngo.gt@demo.puente.test');
    try {
      const errors = watchConsole(author.page);
      await reader.page.goto('/notes');
      await reader.page.getByRole('heading', { level: 1, name: en.notes.title }).waitFor();

      const title = `Indicators for substations ${Date.now().toString(36)}`;
      await author.page.goto('/notes/new');
      await author.page.getByRole('heading', { level: 1, name: en.notes.new }).waitFor();
      await expectNoSeriousViolations(author.page);
      await author.page.getByLabel(label(en.notes.titleField)).fill(title);
      await author.page.getByLabel(label(en.notes.body)).fill('Line one\n<b>not bold</b>');
      await author.page.locator('input[type="radio"][value="AMBER"]').check();
      const orgs = author.page.getByRole('combobox', { name: en.notes.audienceOrganisations });
      await orgs.click();
      await orgs.fill('Chile');
      await author.page.getByRole('option', { name: /Chile/ }).first().click();
      await author.page.keyboard.press('Escape');
      await author.page.getByRole('button', { name: en.notes.share }).click();
      await author.page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await author.page.locator('.tlp-badge').first().innerText()).toBe('TLP:AMBER');
      // The body is plain text, never HTML.
      expect(await author.page.locator('.note-body').innerText()).toContain('<b>not bold</b>');
      const noteUrl = author.page.url();

      // The reader in the named organisation is told at once, and the list shows the note.
      const notice = reader.page.getByTestId('live-notice').filter({ hasText: title });
      await notice.waitFor({ timeout: 20_000 });
      expect(await notice.innerText()).toContain(en.live.noteCreated.replace('{{title}}', title));
      await reader.page.getByTestId('note-card').filter({ hasText: title }).waitFor();

      // Someone outside the audience cannot open it.
      await outsider.page.goto(noteUrl);
      await outsider.page.getByRole('heading', { level: 1, name: en.notes.notFoundTitle }).waitFor();

      // Re-marked RED (only the author), the reader loses it.
      await author.page.getByRole('button', { name: en.notes.changeMarking }).click();
      await author.page.locator('input[type="radio"][value="RED"]').check();
      await author.page.getByRole('button', { name: en.common.save }).click();
      await author.page.locator('.tlp-badge', { hasText: 'TLP:RED' }).first().waitFor();
      await reader.page.goto(noteUrl);
      await reader.page.getByRole('heading', { level: 1, name: en.notes.notFoundTitle }).waitFor();

      await author.page.getByRole('button', { name: en.common.delete }).click();
      await author.page.getByRole('dialog').getByRole('button', { name: en.common.delete }).click();
      await author.page.getByRole('heading', { level: 1, name: en.notes.title }).waitFor();
      expect(await author.page.getByTestId('note-card').filter({ hasText: title }).count()).toBe(0);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await Promise.all([author.context.close(), reader.context.close(), outsider.context.close()]);
    }
  });
});
