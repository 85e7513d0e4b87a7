// Threat intelligence in a real browser: upload a STIX bundle with a progress bar and the
// per-object status, open an object with its relationship graph and table, filter the list
// through the URL (surviving a reload), and browse ATT&CK for ICS. axe on every page.
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import intelEn from '../src/web/features/intel/locales/en.json';
import baseEn from '../src/web/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const en = { ...baseEn, ...intelEn };
const WAIT = { timeout: 20_000 };

const e2e = useServerAndBrowser();
const signedIn = (email: string) => e2e.signedIn(email, { timeout: WAIT.timeout, context: { bypassCSP: true } });

async function heading(page: Page, name: string) {
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor(WAIT);
}

/** A small bundle: an indicator that indicates a malware, and a tool the malware uses. */
function bundle(stamp: string) {
  const now = new Date().toISOString();
  const indicator = `indicator--${crypto.randomUUID()}`;
  const malware = `malware--${crypto.randomUUID()}`;
  const tool = `tool--${crypto.randomUUID()}`;
  const common = { spec_version: '2.1', created: now, modified: now };
  return {
    indicator,
    malware,
    json: {
      type: 'bundle',
      id: `bundle--${crypto.randomUUID()}`,
      objects: [
        { ...common, type: 'indicator', id: indicator, name: `Substation beacon ${stamp}`, pattern: "[ipv4-addr:value = '203.0.113.77']", pattern_type: 'stix', valid_from: now, indicator_types: ['malicious-activity'] },
        { ...common, type: 'malware', id: malware, name: `GridWorm ${stamp}`, is_family: true, malware_types: ['worm'] },
        { ...common, type: 'tool', id: tool, name: `PLC toolkit ${stamp}` },
        { ...common, type: 'relationship', id: `relationship--${crypto.randomUUID()}`, relationship_type: 'indicates', source_ref: indicator, target_ref: malware },
        { ...common, type: 'relationship', id: `relationship--${crypto.randomUUID()}`, relationship_type: 'uses', source_ref: malware, target_ref: tool },
      ],
    },
  };
}

describe('threat intelligence', () => {
  it('uploads a bundle with progress, shows its objects, graph and table, filters in the URL, and lists ATT&CK tactics', async () => {
    const { context, page, errors } = await signedIn('analyst.cl@demo.puente.test');
    try {
      const stamp = Date.now().toString(36);
      const b = bundle(stamp);

      // Upload with progress and the per-object status.
      await page.goto('/intel/upload');
      await heading(page, en.intel.upload.title);
      await expectNoSeriousViolations(page, '/intel/upload');
      await page.locator('input[type="file"]').setInputFiles({ name: `bundle-${stamp}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(b.json)) });
      await page.locator('input[type="radio"][value="GREEN"]').check();
      await page.getByTestId('stix-send').click();
      await page.getByTestId('status-table').waitFor(WAIT);
      const progress = page.getByRole('progressbar', { name: en.intel.upload.progressLabel });
      expect(await progress.getAttribute('aria-valuenow')).toBe('100');
      expect(await page.getByTestId('upload-percent').innerText()).toContain('100 %');
      const accepted = page.locator('[data-testid="status-row"][data-status="accepted"]');
      expect(await accepted.count()).toBe(5);
      expect(await page.getByTestId('submission-summary').innerText()).toContain('accepted 5');
      await expectNoSeriousViolations(page, '/intel/upload with the status table');

      // The object page: fields, graph (nodes are links) and the same relationships as a table.
      await page.getByRole('link', { name: b.malware, exact: true }).click();
      await heading(page, `GridWorm ${stamp}`);
      const graph = page.getByTestId('intel-graph');
      await graph.waitFor(WAIT);
      expect(await page.getByTestId('intel-graph-node').count()).toBe(3);
      expect(await page.getByTestId('relationship-row').count()).toBe(2);
      expect(await page.getByRole('link', { name: `${en.intel.types.indicator}: Substation beacon ${stamp}` }).count()).toBe(1);
      expect(await page.locator('.tlp-badge').first().innerText()).toBe('TLP:GREEN');
      await expectNoSeriousViolations(page, 'object page');
      // Report a sighting; the summary counts it.
      await page.getByTestId('report-sighting').click();
      const form = page.getByTestId('sighting-form');
      await form.waitFor(WAIT);
      await form.getByRole('textbox', { name: label(en.intel.sightings.count) }).fill('3');
      await expectNoSeriousViolations(page, 'sighting form');
      await form.getByRole('button', { name: en.intel.sightings.submit }).click();
      await page.getByTestId('sightings-total').filter({ hasText: /Seen 3 times in 1 reports/ }).waitFor(WAIT);
      // A graph node is a link: keyboard focus and Enter open the neighbour.
      const toolNode = page.getByRole('link', { name: `${en.intel.types.tool}: PLC toolkit ${stamp}` });
      await toolNode.focus();
      await page.keyboard.press('Enter');
      await heading(page, `PLC toolkit ${stamp}`);

      // Filters live in the URL and survive a reload.
      await page.goto('/intel?type=indicator');
      await heading(page, en.intel.list.title);
      const row = page.getByTestId('intel-row').filter({ hasText: `Substation beacon ${stamp}` });
      await row.waitFor(WAIT);
      await page.reload();
      await row.waitFor(WAIT);
      expect(new URL(page.url()).searchParams.get('type')).toBe('indicator');
      const types = await page.getByTestId('intel-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set(['indicator']));
      expect(await row.locator('.tlp-badge').innerText()).toBe('TLP:GREEN');
      await expectNoSeriousViolations(page, '/intel?type=indicator');
      // Selecting a row turns the export into an export of the selection (one id= per object).
      await row.getByRole('checkbox').check();
      await page.getByTestId('intel-export').click();
      const href = await page.locator('[data-format="misp"]').getAttribute('href');
      expect(new URL(href!, e2e.server.baseUrl).searchParams.getAll('id')).toEqual([b.indicator]);
      await page.keyboard.press('Escape');

      // ATT&CK for ICS: tactics with their techniques.
      await page.goto('/intel/attack');
      await heading(page, en.intel.attack.title);
      await page.getByTestId('attack-tactic').first().waitFor(WAIT);
      expect(await page.getByTestId('attack-tactic').count()).toBeGreaterThanOrEqual(10);
      expect(await page.getByRole('link', { name: /^T0\d{3} / }).count()).toBeGreaterThan(50);
      await expectNoSeriousViolations(page, '/intel/attack');

      // Vulnerabilities from the KEV reference content, with their facts in words.
      await page.goto('/intel/vulnerabilities?kev=true&ransomware=true');
      await heading(page, en.intel.vulns.title);
      await page.getByTestId('vuln-row').first().waitFor(WAIT);
      expect(await page.getByTestId('vuln-row').first().innerText()).toContain(en.intel.vulns.ransomwareKnown);
      await expectNoSeriousViolations(page, '/intel/vulnerabilities');
      await page.getByTestId('vuln-row').first().getByRole('link').first().click();
      await page.getByRole('heading', { level: 2, name: en.intel.vulns.kevTitle }).waitFor(WAIT);
      await expectNoSeriousViolations(page, 'vulnerability page');

      // TAXII subscriptions and how to connect other tools.
      await page.goto('/intel/subscriptions');
      await heading(page, en.intel.subs.title);
      expect(await page.getByTestId('taxii-discovery').innerText()).toBe(`${e2e.server.baseUrl}/taxii2/`);
      await page.getByTestId('new-subscription').click();
      await page.getByTestId('subscription-form').waitFor(WAIT);
      await expectNoSeriousViolations(page, '/intel/subscriptions');

      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
