// Activity records: a visitor reads the Santo Domingo record in Spanish (its text stays in
// English, marked so); a member imports a record in the alliance's format, sees the lines
// of a malformed one, proposes it; the secretariat publishes it.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import en from '../src/web/features/records/locales/en.json';
import es from '../src/web/features/records/locales/es.json';
import esMain from '../src/web/locales/es.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();
const WAIT = { timeout: 15_000 };
const seed = fs.readFileSync(new URL('../src/server/features/records/data/santo-domingo-2024.md', import.meta.url), 'utf8');

describe('activity records', () => {
  it('a visitor reads the Santo Domingo record in Spanish and downloads it in the record format', async () => {
    const context = await e2e.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    const errors = watchConsole(page);
    try {
      await page.goto('/');
      await page.getByRole('navigation', { name: esMain.nav.public }).getByRole('link', { name: esMain.nav.records }).click();
      await page.getByRole('heading', { level: 1, name: es.records.title }).waitFor(WAIT);
      await page.getByRole('link', { name: 'EU-LAC Digital Alliance Enhances Cybersecurity Cooperation' }).first().click();
      const title = page.getByRole('heading', { level: 1, name: 'EU-LAC Digital Alliance Enhances Cybersecurity Cooperation' });
      await title.waitFor(WAIT);
      expect(await title.getAttribute('lang')).toBe('en');
      await page.getByRole('heading', { name: es.records.summary }).waitFor(WAIT);
      await page.getByText(es.records.noCommitments).waitFor(WAIT);
      const download = page.getByRole('link', { name: es.records.markdown });
      const href = await download.getAttribute('href');
      const md = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
      expect(md).toBe(seed);
      await expectNoSeriousViolations(page, 'a record');
      // The commitments tracker, from the records page.
      await page.goto('/records');
      await page.getByRole('link', { name: es.records.allCommitments }).click();
      await page.getByRole('heading', { level: 1, name: es.records.trackerTitle }).waitFor(WAIT);
      await page.getByRole('status').getByText(/compromiso/).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'the commitments tracker');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a member imports a record, sees where a malformed one breaks, proposes it, and the secretariat publishes it', async () => {
    const { context, page, errors } = await e2e.signedIn('analyst.br@demo.puente.test');
    const title = `Table-top exercise on critical infrastructure ${Date.now()}`;
    try {
      await page.goto('/records/import');
      await page.getByRole('heading', { level: 1, name: en.records.importTitle }).waitFor(WAIT);
      const area = page.getByLabel(en.records.text);
      await area.fill(seed.replace('**Date**: 2024-02-14', '**Date**: 14 Feb 2024'));
      await page.getByRole('button', { name: en.records.submit }).click();
      await page.getByRole('alert').getByText('Line 3: the date must be a date such as 2024-02-14, not "14 Feb 2024"').waitFor(WAIT);
      await area.fill(seed.replace('EU-LAC Digital Alliance Enhances Cybersecurity Cooperation', title).replace('2024-02-14', '2026-11-20'));
      await page.getByRole('button', { name: en.records.submit }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
      await page.getByTestId('record-status').getByText(en.records.status.draft).waitFor(WAIT);
      await page.getByRole('button', { name: en.records.propose }).click();
      await page.getByTestId('record-status').getByText(en.records.status.proposed).waitFor(WAIT);
      const url = page.url();
      expect(cspErrors(errors)).toEqual([]);

      const sec = await e2e.signedIn('admin@demo.puente.test');
      try {
        await sec.page.goto(new URL(url).pathname);
        await sec.page.getByRole('button', { name: en.records.publish }).click();
        await expect.poll(() => sec.page.getByTestId('record-status').count(), WAIT).toBe(0);
      } finally {
        await sec.context.close();
      }
      // Published and CLEAR: anyone reads it, and the tracker lists the record's commitments (none here).
      const visitor = await e2e.newContext({ locale: 'en-GB' });
      try {
        const v = await visitor.newPage();
        await v.goto(new URL(url).pathname);
        await v.getByRole('heading', { level: 1, name: title }).waitFor(WAIT);
      } finally {
        await visitor.close();
      }
    } finally {
      await context.close();
    }
  });
});
