// The vocabularies, as a visitor without an account reads them in Spanish: every scheme, a
// scheme's concepts as a tree, search in any language, the English-only definitions marked
// with their language (WCAG 3.1.2), from the footer of any page.
import { describe, expect, it } from 'vitest';
import es from '../src/web/features/vocabularies/locales/es.json';
import esMain from '../src/web/locales/es.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };

describe('vocabularies', () => {
  it('a visitor reads the schemes and their concepts in Spanish, finds a norm by a word of it, and sees which text is in English', async () => {
    const context = await e2e.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const errors = watchConsole(page);
    try {
      await page.goto('/');
      await page.getByRole('navigation', { name: esMain.nav.public }).getByRole('link', { name: esMain.nav.vocabularies }).click();
      await page.getByRole('heading', { level: 1, name: es.vocabularies.title }).waitFor(WAIT);
      await expect.poll(() => page.getByTestId('vocabulary').count(), WAIT).toBe(10);
      await expectNoSeriousViolations(page, 'vocabularies');

      await page.getByRole('link', { name: 'Normas de la ONU de comportamiento responsable de los Estados (GEG 2015)' }).click();
      await page.getByRole('heading', { level: 1, name: 'Normas de la ONU de comportamiento responsable de los Estados (GEG 2015)' }).waitFor(WAIT);
      await expect.poll(() => page.getByTestId('concept').count(), WAIT).toBe(11);
      // The paragraph's text exists in English only: marked as such, and said so in Spanish.
      const first = page.getByTestId('concept').first();
      expect(await first.locator('p[lang="en"]').count()).toBe(1);
      await first.getByText(/se muestra en inglés/).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'a vocabulary');

      await page.getByLabel(es.vocabularies.search).fill('vulnerabilidades');
      await expect.poll(() => page.getByTestId('concept').count(), WAIT).toBe(1);
      await page.getByText('13(j)').waitFor(WAIT);
      await page.getByText('Notificación responsable de vulnerabilidades').waitFor(WAIT);

      // A takeaway's sub-items sit under it, and its relations lead to the other schemes (in the
      // web app: a visitor opening the address directly gets the server's page, checked below).
      await page.getByRole('navigation', { name: esMain.nav.public }).getByRole('link', { name: esMain.nav.vocabularies }).click();
      await page.getByRole('link', { name: 'Conclusiones operativas de la carta' }).click();
      await expect.poll(() => page.getByTestId('concept').count(), WAIT).toBe(24);
      await page.locator('#concept-12').getByRole('link', { name: 'action-areas/technical' }).click();
      await page.getByRole('heading', { level: 1, name: 'Áreas de acción de la carta' }).waitFor(WAIT);
      // Opened directly, without a session: the charter's takeaways as HTML from the server, with
      // what is published under each, and a takeaway's page listing it.
      await page.goto('/vocabularies/takeaways');
      await page.getByRole('heading', { level: 1, name: 'Conclusiones operativas de la carta' }).waitFor(WAIT);
      await page.getByRole('link', { name: /^3 — / }).click();
      await page.getByRole('heading', { level: 2, name: 'Etiquetado con este concepto' }).waitFor(WAIT);
      await page.getByRole('link', { name: 'Mantener vivo un directorio de puntos de contacto diplomáticos' }).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'a concept, as the server sends it');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
