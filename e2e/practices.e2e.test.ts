// The good-practice library: a diplomat writes an item in Spanish and sends it to review by a
// named member; the reviewer approves it; the author publishes it; a visitor without an account
// finds it by a Spanish plural word (the search stems each language) and reads it, its content
// marked as Spanish.
import { describe, expect, it } from 'vitest';
import es from '../src/web/features/knowledge/locales/es.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const p = es.practices;

describe('good-practice library', () => {
  it('an item written in Spanish is reviewed, published, and found and read by a visitor', async () => {
    const author = await e2e.signedIn('diplomat.do@demo.puente.test', { lang: 'es' });
    const reviewer = await e2e.signedIn('diplomat.es@demo.puente.test', { lang: 'es' });
    const stamp = Date.now().toString(36);
    const title = `Ejercicio nacional de respuesta a un ciberataque ${stamp}`;
    try {
      // Writing: the library, then the editor (the text's language follows the interface).
      await author.page.goto('/practices');
      await author.page.getByRole('heading', { level: 1, name: p.title }).waitFor(WAIT);
      await author.page.getByTestId('new-practice').click();
      await author.page.getByRole('heading', { level: 1, name: p.editor.newTitle }).waitFor(WAIT);
      expect(await author.page.getByLabel(label(p.editor.language)).first().inputValue()).toBe('español');
      await expectNoSeriousViolations(author.page, 'the editor');
      await author.page.getByLabel(label(p.editor.title)).fill(title);
      await author.page.getByLabel(label(p.editor.summary)).fill('Un simulacro anual que prepara a los ministerios para coordinar la respuesta a un ciberataque.');
      await author.page
        .getByLabel(label(p.editor.body))
        .fill('## Cómo se hizo\n\nCada año, los equipos practican la gestión de una vulnerabilidad crítica en la administración pública.\n\n- Preparación\n- Ejercicio\n- Lecciones');
      await author.page.getByLabel(label(p.editor.evidence)).fill('Tiempo de coordinación reducido a la mitad en dos años.');
      await author.page.locator('input[type="radio"][value="CLEAR"]').check();
      await author.page.getByRole('button', { name: p.editor.create }).click();

      const h1 = author.page.getByRole('heading', { level: 1, name: title });
      await h1.waitFor(WAIT);
      expect(await h1.getAttribute('lang')).toBe('es');
      await author.page.getByTestId('practice-status').getByText(p.status.draft).waitFor(WAIT);
      const path = new URL(author.page.url()).pathname;
      expect(path).toMatch(/^\/practices\/ejercicio-nacional-de-respuesta-a-un-ciberataque-/);

      // To review, by a member found by name (the contact directory names the accounts).
      await author.page.getByRole('button', { name: p.review.request }).click();
      const picker = author.page.getByRole('combobox', { name: p.review.reviewers });
      await picker.click();
      await picker.fill('Javier');
      await author.page.getByRole('option', { name: /Javier Ortega Ruiz/ }).first().click(WAIT);
      await author.page.keyboard.press('Escape');
      await author.page.getByRole('button', { name: p.review.send }).click();
      await author.page.getByTestId('practice-status').getByText(p.status.in_review).waitFor(WAIT);
      await author.page.getByText(p.review.waiting_one.replace('{{count}}', '1')).waitFor(WAIT);
      await expectNoSeriousViolations(author.page, 'an item in review, for its author');

      // The reviewer sees it in review and approves it.
      await reviewer.page.goto(path);
      await reviewer.page.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
      await reviewer.page.getByRole('heading', { name: p.review.yourReview }).waitFor(WAIT);
      await reviewer.page.getByRole('button', { name: p.review.approve, exact: true }).click();
      await reviewer.page.getByTestId('review-panel').getByText(p.review.approvedNow).waitFor(WAIT);

      // The author publishes it.
      await author.page.reload();
      await author.page.getByText(p.review.allApproved).waitFor(WAIT);
      await author.page.getByRole('button', { name: p.review.publish, exact: true }).click();
      await expect.poll(() => author.page.getByTestId('practice-status').count(), WAIT).toBe(0);
      expect(cspErrors(author.errors)).toEqual([]);
      expect(cspErrors(reviewer.errors)).toEqual([]);
    } finally {
      await Promise.all([author.context.close(), reviewer.context.close()]);
    }

    // A visitor without an account finds it by a plural the text does not contain, and reads it.
    const context = await e2e.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const errors = watchConsole(page);
    try {
      await page.goto('/practices');
      await page.getByRole('heading', { level: 1, name: p.title }).waitFor(WAIT);
      await page.getByTestId('practices-search').fill('vulnerabilidades');
      const card = page.getByTestId('practice-card').filter({ hasText: title });
      // The snippet (there once the search has answered) marks the word found, as the text writes it.
      await card.locator('mark').first().waitFor(WAIT);
      expect(await card.locator('mark').allInnerTexts()).toContain('vulnerabilidad');
      expect(new URL(page.url()).searchParams.get('q')).toBe('vulnerabilidades');
      expect(await card.getByRole('heading').getAttribute('lang')).toBe('es');
      await expectNoSeriousViolations(page, 'the library, searched');
      await card.getByRole('link', { name: title }).click();
      const h1 = page.getByRole('heading', { level: 1, name: title });
      await h1.waitFor(WAIT);
      expect(await h1.getAttribute('lang')).toBe('es');
      await page.getByTestId('practice-body').getByRole('heading', { name: 'Cómo se hizo' }).waitFor(WAIT);
      await page.getByRole('heading', { level: 2, name: p.fields.evidence }).waitFor(WAIT);
      // Review and workflow are its organisation's business, not a visitor's.
      expect(await page.getByTestId('review-panel').count()).toBe(0);
      await expectNoSeriousViolations(page, 'a published item, for a visitor');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
