// Issue 11, "done when": a Spanish-speaking diplomat finds the Santo Domingo record and the good
// practices on cyber diplomacy in Spanish, sees which translations are missing, adds a priority for
// their country, and follows a commitment to completion; a visitor without an account reads the
// CLEAR part on a phone, and nothing AMBER reaches them.
import { describe, expect, it } from 'vitest';
import countriesEs from '../src/web/features/countries/locales/es.json';
import knowledgeEs from '../src/web/features/knowledge/locales/es.json';
import recordsEs from '../src/web/features/records/locales/es.json';
import esMain from '../src/web/locales/es.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const r = recordsEs.records;
const c = countriesEs.countryPages;

describe('the knowledge journey of a Spanish-speaking diplomat', () => {
  it('finds the record and the practices in Spanish, adds a priority, follows a commitment to completion; a visitor reads the CLEAR part on a phone', async () => {
    const { page, errors } = await e2e.signedInSettled('diplomat.es@demo.puente.test', { lang: 'es' });
    const stamp = Date.now().toString(36);
    const priority = `Ratificar el Convenio de Budapest ${stamp}`;
    // The Santo Domingo record, found by a word of its place.
    await page.goto('/records');
    await page.getByRole('heading', { level: 1, name: r.title }).waitFor(WAIT);
    await page.getByLabel(label(r.search)).fill('Santo Domingo');
    await page.getByRole('link', { name: 'EU-LAC Digital Alliance Enhances Cybersecurity Cooperation' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'EU-LAC Digital Alliance Enhances Cybersecurity Cooperation' }).waitFor(WAIT);
    await page.getByRole('heading', { name: r.concepts }).waitFor(WAIT);

    // The good practices on cyber diplomacy, in Spanish; one only in Spanish and English says so.
    await page.goto('/practices?q=diplom%C3%A1ticos');
    await page.getByRole('heading', { level: 1, name: knowledgeEs.practices.title }).waitFor(WAIT);
    const card = page.getByTestId('practice-card').filter({ hasText: 'Mantener vivo un directorio de puntos de contacto diplomáticos' });
    await card.waitFor(WAIT);
    await card.getByRole('link', { name: 'Mantener vivo un directorio de puntos de contacto diplomáticos' }).click();
    const notice = page.getByTestId('translation-notice');
    await notice.waitFor(WAIT);
    // English exists, French is a machine's, Portuguese is missing: the versions say which.
    expect(await notice.innerText()).toMatch(/inglés/);
    expect(await notice.innerText()).not.toMatch(/portugués/);
    await expectNoSeriousViolations(page, 'a good practice, for a member');

    // A priority for Spain, by its national focal point.
    await page.goto('/countries/ES');
    await page.getByRole('heading', { level: 1, name: 'España' }).waitFor(WAIT);
    await page.getByTestId('add-priority').click();
    await page.getByLabel(label(c.form.title)).fill(priority);
    await page.getByLabel(label(c.form.body)).fill('España apoyará la adhesión de los países de América Latina y el Caribe al Convenio de Budapest.');
    await page.getByRole('button', { name: esMain.common.save }).click();
    await page.getByTestId('priority').filter({ hasText: priority }).waitFor(WAIT);

    // A commitment the ministry answers for, followed to completion.
    await page.goto('/commitments');
    await page.getByRole('heading', { level: 1, name: r.trackerTitle }).waitFor(WAIT);
    const row = page.getByTestId('commitment-row').filter({ hasText: 'Agree on a joint escalation procedure for cross-border incidents' });
    await row.getByTestId('commitment-follow-up').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(label(esMain.common.status)).first().click();
    await page.getByRole('option', { name: r.commitment.status.done }).click();
    await dialog.getByLabel(label(r.followUp.note)).fill('Procedimiento aprobado por todos los participantes.');
    await dialog.getByRole('button', { name: esMain.common.save }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    await row.getByText(r.commitment.status.done).waitFor(WAIT);
    await row.getByText('100%').waitFor(WAIT);
    expect(cspErrors(errors)).toEqual([]);
    await page.context().close();

    // A visitor on a phone: the record and the practice as the server sends them, nothing AMBER.
    const phone = await e2e.newContext({ locale: 'es-ES', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const visitor = await phone.newPage();
    const visitorErrors = watchConsole(visitor);
    try {
      const records = (await (await visitor.request.get('/api/v1/records?q=Santo%20Domingo')).json()) as { items: { slug: string }[] };
      await visitor.goto(`/records/${records.items[0]!.slug}`);
      await visitor.getByRole('heading', { level: 1, name: 'EU-LAC Digital Alliance Enhances Cybersecurity Cooperation' }).waitFor(WAIT);
      expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectNoSeriousViolations(visitor, 'a record, for a visitor on a phone');
      const library = (await (await visitor.request.get('/api/v1/knowledge?limit=100')).json()) as { items: { slug: string; tlp: string; title: string }[] };
      expect(library.items.every((i) => i.tlp === 'CLEAR')).toBe(true);
      expect(library.items.map((i) => i.title).join(' ')).not.toMatch(/cable submarino|undersea cable/);
      await visitor.goto(`/practices/${library.items[0]!.slug}`);
      await visitor.getByRole('heading', { level: 1 }).waitFor(WAIT);
      expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // The country page: the priority just added is GREEN (the form's default), so not for a visitor.
      await visitor.goto('/countries/ES');
      await visitor.getByRole('heading', { level: 1, name: 'España' }).waitFor(WAIT);
      expect(await visitor.content()).not.toContain(priority);
      expect(cspErrors(visitorErrors)).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
