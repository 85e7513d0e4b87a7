// The secretariat's screens ask before they act and speak in words: a communication check shows
// its recipients and sends nothing before it is confirmed; approving an organisation asks to
// confirm, as rejecting asks for a reason; the audit log and the mail outbox name actions and
// kinds of mail in words, show details as fields, and filter.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import checksEn from '../src/web/features/checks/locales/en.json';
import contactsEn from '../src/web/features/contacts/locales/en.json';
import secEn from '../src/web/features/secretariat/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { cspErrors } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();

/** Signed in, the language stored by the server too (support/harness.ts). */
const signedIn = (email: string, options: Parameters<typeof e2e.signedIn>[1] = {}) => e2e.signedInSettled(email, options);
const WAIT = { timeout: 15_000 };
const POLL = { timeout: 15_000, interval: 200 };
const checks = checksEn.checks;

/** Pick an option of a Mantine Select / MultiSelect found by its label. */
async function pick(page: Page, labelText: string, option: string) {
  const input = page.getByLabel(labelText, { exact: true }).first();
  await input.click({ force: true });
  await page.getByRole('option', { name: option, exact: true }).first().click();
}

/** The number of mails of one purpose in the outbox, as the secretariat's API gives them. */
const outboxCount = (page: Page, purpose: string) =>
  page.evaluate(async (p) => ((await (await fetch(`/api/v1/outbox?purpose=${p}&limit=500`)).json()).items as unknown[]).length, purpose);

async function joinRequest(name: string, email: string) {
  const res = await fetch(`${e2e.server.baseUrl}/api/v1/organisations/join-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ organisation: { name, country: 'UY', type: 'national_csirt', sectors: [] }, requester: { name: 'Lucía Prueba', email } }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe('the secretariat asks before it acts, and speaks in words', () => {
  it('a communication check lists its recipients and sends nothing before it is confirmed', async () => {
    const { context, page, errors } = await signedIn('admin@demo.puente.test');
    try {
      // Whom a 24/7 check of Latin America reaches, from the API.
      const expected = await page.evaluate(async () => {
        const countries = (await (await fetch('/api/v1/countries')).json()) as { code: string; region: string }[];
        const lac = new Set(countries.filter((c) => c.region === 'LAC').map((c) => c.code));
        const res = (await (await fetch('/api/v1/contacts?kind=operational_24_7&pageSize=100')).json()) as { items: { fullName: string; country: string; emails?: string[] }[] };
        return res.items.filter((c) => lac.has(c.country) && (c.emails ?? []).length > 0).map((c) => ({ name: c.fullName, country: c.country }));
      });
      expect(expected.length).toBeGreaterThan(0);
      const checksBefore = await page.evaluate(async () => ((await (await fetch('/api/v1/communication-checks')).json()).items as unknown[]).length);
      const mailsBefore = await outboxCount(page, 'communication_check');

      await page.goto('/communication-checks/new');
      await page.getByRole('heading', { level: 1, name: checks.launchTitle }).waitFor(WAIT);
      const title = `Confirmed ping ${Date.now().toString(36)}`;
      await page.getByLabel(checks.checkTitle).fill(title);
      await pick(page, checks.kinds, contactsEn.contacts.kinds.operational_24_7);
      await page.keyboard.press('Escape');
      await pick(page, checks.region, checks.regions.LAC);
      const want = (expected.length === 1 ? checks.previewCount_one : checks.previewCount_other).replace('{{count}}', String(expected.length));
      await expect.poll(() => page.getByTestId('preview').innerText(), POLL).toContain(want);

      // Launch: a confirmation with the count and the recipients, in words.
      await page.getByTestId('launch-submit').click();
      const dialog = page.getByTestId('launch-confirm');
      await dialog.waitFor(WAIT);
      const intro = (expected.length === 1 ? checks.confirmIntro_one : checks.confirmIntro_other).replace('{{count}}', String(expected.length));
      expect(await dialog.innerText()).toContain(intro);
      const rows = dialog.getByTestId('launch-recipient');
      expect(await rows.count()).toBe(Math.min(expected.length, 20));
      const shown = await rows.evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells).map((c) => c.innerText.trim())));
      const names = new Intl.DisplayNames(['en'], { type: 'region' });
      for (const [name, organisation, country] of shown) {
        const e = expected.find((x) => x.name === name);
        expect(e, `${name} is not among the contacts the check should reach`).toBeTruthy();
        expect(organisation).toBeTruthy();
        // Countries in words, not ISO codes.
        expect(country).toBe(names.of(e!.country));
      }
      const send = dialog.getByTestId('launch-confirm-send');
      expect(await send.innerText()).toBe((expected.length === 1 ? checks.confirmSend_one : checks.confirmSend_other).replace('{{count}}', String(expected.length)));
      await expectNoSeriousViolations(page, 'check confirmation');

      // Nothing has gone yet: no check, no mail.
      await page.waitForTimeout(500);
      expect(await outboxCount(page, 'communication_check')).toBe(mailsBefore);
      expect(await page.evaluate(async () => ((await (await fetch('/api/v1/communication-checks')).json()).items as unknown[]).length)).toBe(checksBefore);

      // Cancel: still nothing. Then confirm: it goes, to exactly those contacts.
      await dialog.getByRole('button', { name: en.common.cancel }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await outboxCount(page, 'communication_check')).toBe(mailsBefore);
      await page.getByTestId('launch-submit').click();
      await page.getByTestId('launch-confirm-send').click();
      await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor(WAIT);
      await expect.poll(() => outboxCount(page, 'communication_check'), POLL).toBe(mailsBefore + expected.length);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('approving an organisation asks to confirm; cancelling changes nothing', async () => {
    const { context, page } = await signedIn('admin@demo.puente.test');
    try {
      const stamp = Date.now().toString(36);
      const name = `Equipo de Respuesta ${stamp}`;
      const email = `lucia.${stamp}@example.org`;
      const id = await joinRequest(name, email);
      const status = () => page.evaluate(async (orgId) => (await (await fetch(`/api/v1/organisations/${orgId}`)).json()).status as string, id);

      await page.goto('/secretariat');
      const row = page.getByTestId('org-row').filter({ hasText: name });
      await row.waitFor(WAIT);
      const approve = row.getByRole('button', { name: en.secretariat.approveNamed.replace('{{name}}', name) });
      await approve.click();
      const dialog = page.getByTestId('approve-dialog');
      await dialog.waitFor();
      expect(await page.getByRole('dialog').getByRole('heading').first().innerText()).toBe(secEn.approval.title.replace('{{name}}', name));
      expect(await dialog.innerText()).toContain(email);
      await expectNoSeriousViolations(page, 'approval confirmation');
      await dialog.getByRole('button', { name: en.common.cancel }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await status()).toBe('requested');
      expect(await row.count()).toBe(1);

      await approve.click();
      await page.getByTestId('approve-confirm').click();
      await page.getByRole('status').filter({ hasText: name }).first().waitFor(WAIT);
      await row.waitFor({ state: 'detached' });
      expect(await status()).toBe('approved');
    } finally {
      await context.close();
    }
  });

  it('the audit log names actions in words, shows details as fields and filters by action, person and date', async () => {
    const { context, page, errors } = await signedIn('admin@demo.puente.test');
    try {
      const stamp = Date.now().toString(36);
      const id = await joinRequest(`Centro de Audit ${stamp}`, `audit.${stamp}@example.org`);
      await page.evaluate(async (orgId) => {
        const me = await (await fetch('/api/v1/me')).json();
        await fetch(`/api/v1/organisations/${orgId}/approve`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: '{}' });
      }, id);

      await page.goto('/secretariat?tab=audit');
      const table = page.getByTestId('audit-table');
      await table.getByTestId('audit-row').first().waitFor(WAIT);
      // Words, not codes: no "family.action" in the action column, and no JSON in the details.
      const actions = await table.getByTestId('audit-action-words').allInnerTexts();
      expect(actions.length).toBeGreaterThan(0);
      for (const a of actions) expect(a).not.toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(await table.innerText()).not.toMatch(/\{"/);
      expect(actions).toContain(secEn.audit.actions.auth.login);
      await expectNoSeriousViolations(page, 'audit log');

      // By action: only approvals, among them this one, its details as labelled fields.
      await pick(page, secEn.audit.action, secEn.audit.actions.organisation.approved);
      await expect.poll(async () => new Set(await table.getByTestId('audit-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-action')))), POLL).toEqual(new Set(['organisation.approved']));
      const approved = table.getByTestId('audit-row').filter({ hasText: id.slice(0, 8) }).first();
      await approved.waitFor(WAIT);
      const fields = await approved.getByTestId('audit-details').locator('dt').allInnerTexts();
      expect(fields).toEqual(expect.arrayContaining([secEn.audit.fields.from, secEn.audit.fields.to]));
      // The statuses in words (Requested → Approved).
      const details = await approved.getByTestId('audit-details').innerText();
      expect(details).toContain(en.orgStatus.requested);
      expect(details).toContain(en.orgStatus.approved);

      // By person: the admin's own entries only.
      await pick(page, secEn.audit.action, secEn.audit.allActions);
      const actor = page.getByTestId('audit-actor');
      await actor.click();
      await actor.fill('Sofia');
      await page.getByRole('option', { name: /Sofia Marchetti/ }).first().click();
      await expect.poll(async () => new Set(await table.getByTestId('audit-row').evaluateAll((rs) => rs.map((r) => (r as HTMLTableRowElement).cells[3]!.innerText.trim()))), POLL).toEqual(new Set(['Sofia Marchetti']));

      // By date: nothing from tomorrow on.
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel(secEn.audit.from, { exact: true }).fill(tomorrow);
      await table.getByText(secEn.audit.none).waitFor(WAIT);
      await page.getByRole('button', { name: secEn.audit.clear }).click();
      await table.getByTestId('audit-row').first().waitFor(WAIT);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the outbox names each kind of mail and its delivery in words, and filters by both', async () => {
    const { context, page } = await signedIn('admin@demo.puente.test');
    try {
      const stamp = Date.now().toString(36);
      await joinRequest(`Centro de Correo ${stamp}`, `correo.${stamp}@example.org`);
      await page.goto('/secretariat?tab=outbox');
      await page.getByTestId('mail-row').first().waitFor(WAIT);
      const purposes = await page.getByTestId('mail-purpose').allInnerTexts();
      for (const p of purposes) expect(p).not.toMatch(/_/);
      expect(purposes.some((p) => p.includes(secEn.outbox.purposes.join_received))).toBe(true);
      const statuses = await page.getByTestId('mail-status').allInnerTexts();
      for (const s of statuses) expect(s).toMatch(new RegExp(`^(${Object.values(secEn.outbox.statuses).join('|')})`, 'i'));
      await expectNoSeriousViolations(page, 'outbox');

      // By kind: join receipts only.
      await pick(page, secEn.outbox.purpose, secEn.outbox.purposes.join_received);
      await expect.poll(async () => new Set(await page.getByTestId('mail-purpose').allInnerTexts()), POLL).toEqual(new Set([secEn.outbox.purposes.join_received]));
      const receipts = await page.getByTestId('mail-row').count();
      expect(receipts).toBe(await outboxCount(page, 'join_received'));
      await page.getByTestId('mail-row').filter({ hasText: `correo.${stamp}@example.org` }).waitFor();

      // By delivery: every row shown has that status.
      // Mail is delivered while the test runs: a mail shown as queued may be sent by the time the
      // filter asks again. Choose a status mails keep (sent or failed) when one is shown; with a
      // queued one, the rows that remain must still all be queued.
      const shownStatuses = () => page.getByTestId('mail-status').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-status')));
      const all = await shownStatuses();
      const status = (all.find((x) => x !== 'queued') ?? all[0]) as 'queued' | 'sent' | 'failed';
      await pick(page, secEn.outbox.status, secEn.outbox.statuses[status]);
      if (status === 'queued') await expect.poll(async () => (await shownStatuses()).every((x) => x === 'queued'), POLL).toBe(true);
      else await expect.poll(async () => new Set(await shownStatuses()), POLL).toEqual(new Set([status]));
      const other = status === 'failed' ? 'sent' : 'failed';
      await pick(page, secEn.outbox.status, secEn.outbox.statuses[other]);
      await expect.poll(async () => (await page.getByTestId('mail-status').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-status')))).every((s) => s === other), POLL).toBe(true);
    } finally {
      await context.close();
    }
  });
});
