// Organisation approval end to end: a join request through the public form, approval by the
// secretariat (whose outbox screen lists the invitation without its link), the invitation mail
// delivered to a real SMTP server, and acceptance of the invitation.
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import { cspErrors, label, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser({ mail: true });

async function pickOption(page: import('playwright-core').Page, text: string, option: string) {
  // Required fields carry a "*" in their label, so match the start of the label.
  const input = page.getByLabel(label(text)).first();
  await input.click();
  await input.fill(option);
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('organisation approval', () => {
  it('join request → approval → invitation mail → accepted and signed in', async () => {
    const stamp = Date.now().toString(36);
    const orgName = `Centro de Ciberseguridad de Prueba ${stamp}`;
    const requesterEmail = `requester.${stamp}@example.org`;
    const requesterName = 'Lucía Prueba';

    // 1. The public join form.
    const visitor = await e2e.newContext({ locale: 'en-GB' });
    try {
      const page = await visitor.newPage();
      const errors = watchConsole(page);
      await page.goto('/');
      await page.getByRole('main').getByRole('link', { name: en.nav.join }).first().click();
      await page.getByRole('heading', { level: 1, name: en.join.title }).waitFor();
      await page.getByLabel(label(en.join.orgName)).fill(orgName);
      await page.getByLabel(label(en.join.acronym)).fill('CCP');
      await pickOption(page, en.join.country, 'Uruguay');
      await pickOption(page, en.join.type, en.orgTypes.national_csirt);
      await pickOption(page, en.join.sectors, en.sectors.energy);
      await page.keyboard.press('Escape');
      await page.getByLabel(label(en.join.website)).fill('https://ccp.example.org');
      await page.getByLabel(label(en.join.description)).fill('A test CSIRT.');
      await page.getByLabel(label(en.join.requesterName)).fill(requesterName);
      await page.getByLabel(label(en.join.requesterEmail)).fill(requesterEmail);
      await page.getByLabel(label(en.join.message)).fill('Please let us in.');
      await page.getByTestId('join-submit').click();
      await page.getByTestId('join-done').waitFor();
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(en.join.doneTitle);
      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await visitor.close();
    }

    // 2. The secretariat approves it and finds the invitation mail.
    let invitationUrl = '';
    const admin = await e2e.newContext({ locale: 'en-GB' });
    try {
      const page = await admin.newPage();
      await e2e.signInAs(page, 'admin@demo.puente.test');
      await page.getByRole('navigation', { name: en.nav.primary }).getByRole('link', { name: en.nav.secretariat }).click();
      await page.getByRole('heading', { level: 1, name: en.secretariat.title }).waitFor();
      const row = page.getByTestId('org-row').filter({ hasText: orgName });
      await row.waitFor();
      expect(await row.innerText()).toContain(requesterEmail);
      await row.getByRole('button', { name: en.secretariat.approveNamed.replace('{{name}}', orgName) }).click();
      // Approval asks to confirm, as rejection asks for a reason.
      await page.getByTestId('approve-dialog').waitFor();
      await page.getByTestId('approve-confirm').click();
      await page.getByRole('status').filter({ hasText: orgName }).first().waitFor();
      // It leaves the "requested" list and shows under "approved".
      await row.waitFor({ state: 'detached' });

      // The outbox lists the invitation, never its link: that is for the requester only.
      await page.getByRole('tab', { name: en.secretariat.outbox }).click();
      const mail = page.getByTestId('mail-row').filter({ hasText: requesterEmail }).first();
      await mail.waitFor();
      await mail.getByRole('button').first().click();
      await page.getByTestId('mail-withheld').waitFor();
      expect(await page.getByRole('dialog').innerText()).not.toMatch(/invitation\?token=/);

      // The requester's mailbox has it (after the receipt of the join request).
      const decode = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      const deadline = Date.now() + 30_000;
      let text = '';
      while (!/invitation\?token=/.test(text) && Date.now() < deadline) {
        text = e2e.mails.filter((m) => m.to.includes(requesterEmail)).map((m) => decode(m.raw)).join('\n');
        if (!/invitation\?token=/.test(text)) await new Promise((r) => setTimeout(r, 200));
      }
      const match = text.match(/https?:\/\/\S+\/invitation\?token=[A-Za-z0-9_-]+/);
      expect(match, `no invitation link in the mail:\n${text}`).toBeTruthy();
      invitationUrl = match![0];
      expect(invitationUrl.startsWith(e2e.server.baseUrl)).toBe(true);
    } finally {
      await admin.close();
    }

    // 3. The requester opens the link, accepts and lands signed in.
    const requester = await e2e.newContext({ locale: 'en-GB' });
    try {
      const page = await requester.newPage();
      await page.goto(invitationUrl);
      await page.getByRole('heading', { level: 1, name: en.invitation.title }).waitFor();
      await page.getByTestId('invitation-org').filter({ hasText: orgName }).waitFor();
      await page.getByLabel(label(en.account.name)).fill(requesterName);
      await page.getByLabel(label(en.account.newPassword)).fill('a-long-and-safe-password-1');
      await page.getByLabel(label(en.account.confirmPassword)).fill('a-long-and-safe-password-1');
      await page.getByRole('button', { name: en.invitation.submit }).click();
      await page.getByRole('heading', { level: 1, name: en.home.title.replace('{{name}}', requesterName) }).waitFor();
      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
      expect(me.email).toBe(requesterEmail);
      expect(me.organisation.name).toBe(orgName);
      expect(me.roles).toContain('org_admin');
      // As the organisation's first administrator the admin screen is offered.
      await page.getByRole('navigation', { name: en.nav.primary }).getByRole('link', { name: en.nav.orgAdmin }).waitFor();

      // The link cannot be used twice.
      const again = await requester.newPage();
      await again.goto(invitationUrl);
      await again.getByText(en.invitation.gone).waitFor();
    } finally {
      await requester.close();
    }
  });
});
