// Threat intelligence in a real browser: upload a STIX bundle with a progress bar and the
// per-object status, open an object with its relationship graph and table, filter the list
// through the URL (surviving a reload), and browse ATT&CK for ICS. axe on every page.
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { VULNERABILITY_ID_NAMESPACE } from '../src/server/features/intel/vulnerabilities/csaf';
import intelEn from '../src/web/features/intel/locales/en.json';
import baseEn from '../src/web/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors, label } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const en = { ...baseEn, ...intelEn };
const WAIT = { timeout: 20_000 };

const e2e = useServerAndBrowser();
const signedIn = (email: string) => e2e.signedIn(email, { timeout: WAIT.timeout });

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

      // The object page: fields, the graph (Cytoscape) and the same relationships as a table.
      await page.getByRole('link', { name: b.malware, exact: true }).click();
      await heading(page, `GridWorm ${stamp}`);
      const graph = page.locator('[data-testid="intel-graph"][data-ready="true"]');
      await graph.waitFor(WAIT);
      expect(await graph.getAttribute('data-node-count')).toBe('3');
      expect(await page.getByTestId('relationship-row').count()).toBe(2);
      expect(await page.getByRole('link', { name: `Substation beacon ${stamp}`, exact: true }).count()).toBe(1);
      expect(await page.locator('.tlp-badge').first().innerText()).toBe('TLP:GREEN');
      await expectNoSeriousViolations(page, 'object page');
      // Report a sighting; the summary counts it.
      await page.getByTestId('report-sighting').click();
      const form = page.getByTestId('sighting-form');
      await form.waitFor(WAIT);
      await form.getByRole('textbox', { name: label(en.intel.sightings.count) }).fill('3');
      await expectNoSeriousViolations(page, 'sighting form');
      await form.getByRole('button', { name: en.intel.sightings.submit }).click();
      await page.getByTestId('sightings-total').filter({ hasText: /Seen 3 times in 1 reports?\b/ }).waitFor(WAIT);
      // The graph by keyboard: the arrow keys go from node to node (each announced), Enter opens one.
      await graph.focus();
      const announced = page.getByTestId('graph-focused');
      const toolName = `${en.intel.types.tool}: PLC toolkit ${stamp}`;
      for (let i = 0; i < 3 && !((await announced.textContent()) ?? '').startsWith(toolName); i++) await page.keyboard.press('ArrowRight');
      expect(await announced.textContent()).toBe(`${toolName} — 3 / 3`);
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
  it('a report lists what it contains and its members the report; the graph has a legend and zooms; ATT&CK text is Markdown with references', async () => {
    const { context, page, errors } = await signedIn('analyst.cl@demo.puente.test');
    try {
      // The demo's GridLure report (AMBER, CSIRTs community): its nine members, in a table and in the graph.
      const report = 'report--7d3c0f1e-4b2a-4c6e-9a51-000000000001';
      await page.goto(`/intel/objects/${report}`);
      await heading(page, 'GridLure: phishing against electricity distributors in South America');
      await page.getByRole('heading', { level: 2, name: en.intel.object.contents }).waitFor(WAIT);
      expect(await page.getByTestId('contents-row').count()).toBe(9);
      const typesListed = await page.getByTestId('contents-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
      expect(typesListed.sort()).toEqual(['indicator', 'indicator', 'indicator', 'indicator', 'malware', 'relationship', 'relationship', 'relationship', 'relationship']);
      expect(await page.getByText(en.intel.object.noRelationships).count()).toBe(1);
      // The relationships among the members are drawn between them; the report joins each object it contains.
      const graph = page.locator('[data-testid="intel-graph"][data-ready="true"]');
      await graph.waitFor(WAIT);
      expect(await graph.locator('canvas').count()).toBeGreaterThan(0);
      expect(await graph.getAttribute('data-node-count')).toBe('6');
      expect(await graph.getAttribute('data-edge-count')).toBe('8');
      const legend = page.getByTestId('graph-legend');
      expect(await legend.isVisible()).toBe(true);
      expect(await legend.locator('[data-legend-type]').evaluateAll((els) => els.map((e) => e.getAttribute('data-legend-type')).sort())).toEqual(['indicator', 'malware', 'report']);
      expect(await legend.locator('[data-legend-relationship]').evaluateAll((els) => els.map((e) => e.getAttribute('data-legend-relationship')).sort())).toEqual(['contains', 'indicates']);
      // Zoom: the buttons and the keyboard.
      const zoom = async () => Number(await graph.getAttribute('data-zoom'));
      const z0 = await zoom();
      await page.getByTestId('graph-zoom-in').click();
      await expect.poll(zoom, { timeout: 5_000 }).toBeGreaterThan(z0 * 1.2);
      await graph.focus();
      await page.keyboard.press('-');
      await page.keyboard.press('-');
      await expect.poll(zoom, { timeout: 5_000 }).toBeLessThan(z0);
      await page.getByTestId('graph-fit').click();
      await expectNoSeriousViolations(page, 'report page');

      // A member names the report containing it.
      await page.getByTestId('contents-table').getByRole('link', { name: 'GridLure loader', exact: true }).click();
      await heading(page, 'GridLure loader');
      const containedIn = page.getByTestId('contained-in');
      await containedIn.waitFor(WAIT);
      expect(await containedIn.getByRole('link').allInnerTexts()).toEqual(['GridLure: phishing against electricity distributors in South America']);

      // An ATT&CK technique: its description is Markdown made HTML, its citations numbered links to its references.
      await page.goto('/intel/objects/attack-pattern--648f995e-9c3a-41e4-aeee-98bb41037426');
      await heading(page, 'Spearphishing Attachment');
      const description = page.getByTestId('stix-description');
      await description.waitFor(WAIT);
      const text = await description.innerText();
      expect(text).not.toContain('(Citation:');
      expect(text).not.toContain('](https://');
      expect(await description.getByRole('link', { name: 'User Execution', exact: true }).getAttribute('href')).toBe('https://attack.mitre.org/techniques/T0863');
      const citations = description.locator('sup a');
      expect(await citations.evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('title')]))).toEqual([
        ['[3]', '#ref-3', 'Enterprise ATT&CK October 2019'],
        ['[2]', '#ref-2', 'CISA AA21-201A Pipeline Intrusion July 2021'],
      ]);
      await citations.first().click();
      await page.waitForURL((u) => u.hash === '#ref-3', WAIT);
      expect(await page.locator('#ref-3').innerText()).toContain('Enterprise ATT&CK October 2019');
      // Its many neighbours are drawn, with a legend of the kinds of object and link.
      const big = page.locator('[data-testid="intel-graph"][data-ready="true"]');
      await big.waitFor(WAIT);
      expect(Number(await big.getAttribute('data-node-count'))).toBeGreaterThan(10);
      expect(await page.getByTestId('graph-legend').locator('[data-legend-relationship]').count()).toBeGreaterThan(1);
      await expectNoSeriousViolations(page, 'ATT&CK technique page');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a vulnerability page gives CVSS, CWE and links to the CVE record and the NVD', async () => {
    const { context, page, errors } = await signedIn('analyst.cl@demo.puente.test');
    try {
      // A vendor advisory for Log4Shell, imported through the CSAF tab.
      const t0 = '2026-03-01T10:00:00.000Z';
      const advisory = {
        document: {
          category: 'csaf_security_advisory',
          csaf_version: '2.0',
          title: 'Gateway affected by Log4Shell',
          publisher: { category: 'vendor', name: 'Example Gateway Vendor', namespace: 'https://gateway.example' },
          distribution: { tlp: { label: 'WHITE' } },
          tracking: { id: `GW-${Date.now().toString(36)}`, version: '1', status: 'final', initial_release_date: t0, current_release_date: t0, revision_history: [{ date: t0, number: '1', summary: 'Initial' }] },
        },
        product_tree: { full_product_names: [{ name: 'Example Gateway 1.0', product_id: 'GW-1.0' }] },
        vulnerabilities: [
          {
            cve: 'CVE-2021-44228',
            cwe: { id: 'CWE-502', name: 'Deserialization of Untrusted Data' },
            product_status: { known_affected: ['GW-1.0'] },
            scores: [{ products: ['GW-1.0'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', baseScore: 10, baseSeverity: 'CRITICAL' } }],
          },
        ],
      };
      await page.goto('/intel/upload');
      await heading(page, en.intel.upload.title);
      await page.getByRole('tab', { name: en.intel.upload.tabCsaf }).click();
      await page.locator('input[type="file"]').setInputFiles({ name: 'advisory.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(advisory)) });
      await page.getByTestId('csaf-send').click();
      await page.getByTestId('status-table').waitFor(WAIT);

      // The KEV entry has no score of its own: the advisory's, with its source, and the CWEs of both.
      const kev = `vulnerability--${uuidv5('kev:CVE-2021-44228', VULNERABILITY_ID_NAMESPACE)}`;
      await page.goto(`/intel/vulnerabilities/${kev}`);
      await heading(page, 'CVE-2021-44228');
      const facts = page.getByTestId('vuln-severity');
      await facts.getByTestId('cvss-row').first().waitFor(WAIT);
      const row = await facts.getByTestId('cvss-row').first().locator('td').allInnerTexts();
      expect(row.slice(0, 4)).toEqual(['10.0', en.intel.vulns.severities.CRITICAL, '3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H']);
      expect(row[4]).toBe('Example Gateway 1.0');
      expect(row[5]).toBe('Example Gateway Vendor');
      const cwes = await facts.getByTestId('cwe-list').locator('li').allInnerTexts();
      expect(cwes.map((c) => c.split(/\s/)[0])).toEqual(['CWE-20', 'CWE-400', 'CWE-502']);
      expect(cwes[2]).toContain('Deserialization of Untrusted Data');
      expect(await facts.getByTestId('cwe-list').getByRole('link').first().getAttribute('href')).toBe('https://cwe.mitre.org/data/definitions/20.html');
      expect(await facts.getByTestId('cve-links').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
        'https://www.cve.org/CVERecord?id=CVE-2021-44228',
        'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      ]);
      await expectNoSeriousViolations(page, 'vulnerability page with CVSS');
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
