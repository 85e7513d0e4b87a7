// Incident reports: the Colombian energy CSIRT reports a ransomware incident (AMBER to its own
// organisation by default), sees the NIS2 clocks run from the moment it became aware, submits the
// early warning; someone outside the audience finds neither the report nor a trace of it in the list.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../src/web/features/incidents/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label, pickOption } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const i = en.incidents;

const pick = (page: Page, labelText: string, typed: string, option: string) => pickOption(page, labelText, typed, option);

describe('incident reports', () => {
  it('analyst.co reports an incident, sees its clocks and submits the early warning; an outsider does not see it', async () => {
    const title = `Ransomware at a power distributor ${Date.now().toString(36)}`;
    const { context, page, errors } = await e2e.signedIn('analyst.co@demo.puente.test');
    let path = '';
    try {
      await page.goto('/incidents');
      await page.getByRole('heading', { level: 1, name: i.title }).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the incident list');
      await page.getByRole('link', { name: i.report }).click();
      await page.getByRole('heading', { level: 1, name: i.form.newTitle }).waitFor(WAIT);

      await page.getByLabel(label(i.form.title)).fill(title);
      await page.getByLabel(label(i.form.description)).fill('Files encrypted on the SCADA historian; ransom note left.');
      await pick(page, i.form.rsitCategory, 'Malicious', i.rsit.categories['malicious-code']);
      await pick(page, i.form.rsitType, 'Infected', i.rsit.types['infected-system']);
      await pick(page, i.form.impactSeverity, '', i.severity.red);
      await pick(page, i.form.countries, 'Colombia', 'Colombia');
      await pick(page, i.form.sectors, 'Energy', i.sectors.energy);
      // The marking starts at AMBER (to the reporting organisation).
      expect(await page.getByRole('radio', { name: /TLP:AMBER —/ }).first().isChecked()).toBe(true);
      await expectNoSeriousViolations(page, 'the report form');
      await page.getByRole('button', { name: i.form.submit }).click();

      // The first report of a fresh server also warms its caches: more time than a page needs.
      await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: 60_000 });
      path = new URL(page.url()).pathname;
      expect(path).toMatch(/^\/incidents\/[0-9a-f-]{36}$/);
      await page.getByTestId('incident-severity').getByText(i.severity.red).waitFor(WAIT);

      // The clocks: early warning, notification and final report, none submitted yet.
      const clocks = page.getByTestId('incident-clock');
      await expect.poll(() => clocks.count(), WAIT).toBeGreaterThanOrEqual(3);
      const early = page.locator('[data-testid="incident-clock"][data-kind="early-warning"]');
      await early.getByText(i.view.clocks.pending).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the report page');

      await page.getByRole('button', { name: i.view.clocks.submitLabel.replace('{{kind}}', i.reports['early-warning']) }).click();
      await page.getByLabel(label(i.view.clocks.text)).fill('Early warning: ransomware suspected, one distributor affected, no cross-border effect known yet.');
      await page.getByRole('button', { name: i.view.clocks.send }).click();
      await early.getByText(/^Submitted /).waitFor(WAIT);
      // The timeline says so too.
      await page.locator('[data-testid="incident-entry"][data-action="report"]').first().waitFor(WAIT);

      // The list shows it, with its next clock (the notification) in words.
      await page.goto('/incidents');
      const row = page.getByTestId('incident-row').filter({ hasText: title });
      await row.waitFor(WAIT);
      await row.getByText(new RegExp(`^${i.reports.notification}, (due|overdue since) `)).waitFor(WAIT);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }

    // Someone outside its audience: not in the list, and its page says it is not there.
    const outsider = await e2e.signedIn('diplomat.es@demo.puente.test');
    try {
      await outsider.page.goto(`/incidents?q=${encodeURIComponent(title)}`);
      await outsider.page.getByRole('heading', { level: 1, name: i.title }).waitFor(WAIT);
      await outsider.page.getByTestId('incidents-empty').waitFor(WAIT);
      await outsider.page.goto(path);
      await outsider.page.getByRole('heading', { level: 1, name: i.view.notFoundTitle }).waitFor(WAIT);
      expect(await outsider.page.getByText(title).count()).toBe(0);
    } finally {
      await outsider.context.close();
    }
  });

  it('a CSIRT imports an incident exported by another installation, from a STIX file, and opens it', async () => {
    const { context, page, errors } = await e2e.signedIn('analyst.cl@demo.puente.test');
    try {
      // A bundle as another Puente writes it: one of the demo's reports, under a STIX id of its own.
      const me = (await (await page.request.get('/api/v1/me')).json()) as { organisation: { id: string } };
      const seen = (await (await page.request.get('/api/v1/incidents?limit=50')).json()) as { items: { id: string; title: string; ownerOrg: { id: string } }[] };
      const source = seen.items.find((x) => x.ownerOrg.id !== me.organisation.id)!;
      const bundle = JSON.parse(await (await page.request.get(`/api/v1/incidents/${source.id}/stix`)).text()) as { objects: { type: string; id: string }[] };
      const incident = bundle.objects.find((o) => o.type === 'incident')!;
      const fresh = `incident--${crypto.randomUUID()}`;
      const text = JSON.stringify(bundle).split(incident.id).join(fresh);

      await page.goto('/incidents');
      await page.getByTestId('import-incidents').click();
      await page.getByRole('heading', { level: 1, name: i.import.title }).waitFor(WAIT);
      // Not JSON: said so, nothing sent.
      await page.locator('input[type="file"]').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
      await page.getByTestId('incident-import-send').click();
      await page.getByText(i.import.notJson).waitFor(WAIT);
      await page.locator('input[type="file"]').setInputFiles({ name: 'incident.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await page.getByTestId('incident-import-send').click();
      const result = page.getByTestId('incident-import-result');
      await result.waitFor(WAIT);
      await result.getByText(i.import.created).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the import page with its result');
      await result.getByTestId('incident-link').first().click();
      await page.getByRole('heading', { level: 1, name: source.title }).waitFor(WAIT);
      // The import is the importer's report, not the source's.
      const imported = (await (await page.request.get('/api/v1/incidents?limit=50')).json()) as { items: { stixId: string; ownerOrg: { id: string } }[] };
      expect(imported.items.find((x) => x.stixId === fresh)?.ownerOrg.id).toBe(me.organisation.id);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
