// Run axe-core in the page without weakening its CSP: the app's `script-src 'self'` refuses a
// <script> tag with axe in it (page.addScriptTag), but source evaluated through the DevTools
// protocol (page.evaluate) is not the page's own script and runs under any CSP. So the browser
// contexts keep the real policy, and the tests' CSP assertions can catch a violation.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from './server';

const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}

/**
 * Wait until no finite animation or transition is running. axe measures colours as they are
 * painted: a dialog caught fading in has its text blended with the background (a white label on
 * the primary blue read 4.39:1 instead of 7:1). Mantine starts a transition one or two frames after
 * mounting, so settle frames first; a spinner's endless animation is not waited for.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const deadline = Date.now() + 5000;
    for (;;) {
      await frame();
      await frame();
      const running = document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity);
      if (running.length === 0 || Date.now() > deadline) return;
      await Promise.race([Promise.allSettled(running.map((a) => a.finished)), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))]);
    }
  });
}

export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await settleAnimations(page);
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary })) }));
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `   ${JSON.stringify(n.target)} ${n.html}\n   ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
}

/** Assert that axe finds no serious or critical violations; `where` prefixes the failure message. */
export async function expectNoSeriousViolations(page: Page, where?: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, where === undefined ? formatViolations(violations) : `${where}:\n${formatViolations(violations)}`).toEqual([]);
}
