// The translation queue: an organisation admin sees their organisation's new Spanish note
// missing three languages, exports it as XLIFF, brings the translated file back, and the
// note reads in French.
import { describe, expect, it } from 'vitest';
import en from '../src/web/features/translations/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };

describe('the translation queue', () => {
  it('exports a note as XLIFF and takes the translated file back', async () => {
    const { context, page, errors } = await e2e.signedIn('diplomat.do@demo.puente.test');
    try {
      const title = `Nota sobre medidas de confianza ${Date.now()}`;
      const id = await page.evaluate(async (t) => {
        const me = await (await fetch('/api/v1/auth/session')).json();
        const res = await fetch('/api/v1/notes', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.me.csrfToken },
          body: JSON.stringify({ title: t, body: 'Cuerpo de la nota', language: 'es', tlp: 'GREEN', pap: 'GREEN' }),
        });
        return (await res.json()).id as string;
      }, title);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await page.goto('/translations');
      await page.getByRole('heading', { level: 1, name: en.translations.title }).waitFor(WAIT);
      const row = page.getByTestId('translation-row').filter({ hasText: title });
      await row.waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the translation queue');

      await row.getByLabel(en.translations.exportFor.replace('{{title}}', title)).click();
      await page.getByRole('option', { name: 'French' }).click();
      const href = await row.getByRole('link', { name: en.translations.export }).getAttribute('href');
      expect(href).toBe(`/api/v1/translations/note/${id}/xliff?target=fr`);
      const xml = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
      const translated = xml
        .replace(`${title}</source>`, `${title}</source><target>Note sur les mesures de confiance</target>`)
        .replace('Cuerpo de la nota</source>', 'Cuerpo de la nota</source><target>Corps de la note</target>');
      await row.locator('input[type=file]').setInputFiles({ name: 'note-fr.xlf', mimeType: 'application/xliff+xml', buffer: Buffer.from(translated) });
      await page.getByText(en.translations.imported.replace('{{language}}', 'French').replace('{{title}}', title)).waitFor(WAIT);
      const shown = await page.evaluate(async (u) => (await (await fetch(u)).json()).title as string, `/api/v1/notes/${id}?lang=fr`);
      expect(shown).toBe('Note sur les mesures de confiance');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
