// MFA enrolment end to end: set up TOTP from the account page, confirm with a code computed
// here, see the recovery codes, sign out, sign in again with password + code (and with a
// recovery code).
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import { cspErrors, label, signIn, signOut, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser();

function totp(secret: string, offset = 0): string {
  const t = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  return t.generate({ timestamp: Date.now() + offset * 30_000 });
}

describe('MFA enrolment', () => {
  it('sets up TOTP, shows recovery codes once, then requires the code at sign-in', async () => {
    const email = 'researcher.mx@demo.puente.test';
    const context = await e2e.newContext({ locale: 'en-GB' });
    try {
      const page = await context.newPage();
      const errors = watchConsole(page);
      // Make sure the UI is in English whatever the account's stored language is.
      await e2e.signInAs(page, email);

      await page.goto('/account');
      await page.getByRole('heading', { level: 1, name: en.account.title }).waitFor();
      await page.getByRole('tab', { name: en.mfa.title }).click();
      await page.getByTestId('mfa-setup').click();
      await page.getByTestId('mfa-start').click();

      const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]+=*$/);
      // The QR code is an image with a text alternative.
      const qr = page.getByRole('img', { name: en.mfa.qrAlt });
      expect(await qr.getAttribute('src')).toMatch(/^data:image\//);

      // A wrong code is refused with a readable message.
      await page.getByLabel(label(en.mfa.confirmCode)).fill(totp(secret) === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: en.mfa.enable }).click();
      await page.getByRole('alert').filter({ hasText: en.errors.WRONG_MFA_CODE }).waitFor();

      await page.getByLabel(label(en.mfa.confirmCode)).fill(totp(secret));
      await page.getByRole('button', { name: en.mfa.enable }).click();
      const codesBox = page.getByTestId('recovery-codes');
      await codesBox.waitFor();
      const codes = (await codesBox.locator('code').allInnerTexts()).map((c) => c.trim());
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      await page.getByRole('link', { name: en.mfa.downloadCodes }).waitFor();
      await page.getByRole('button', { name: en.mfa.savedCodes }).click();
      await page.getByText(en.mfa.on, { exact: true }).waitFor();

      await signOut(page);

      // Password alone is no longer enough.
      await signIn(page, email, e2e.server.password);
      await page.getByRole('heading', { level: 1, name: en.signIn.mfaTitle }).waitFor();
      await page.locator('input[name="code"]').fill('123456' === totp(secret) ? '654321' : '123456');
      await page.getByRole('button', { name: en.signIn.verify }).click();
      await page.getByRole('alert').filter({ hasText: en.errors.INVALID_MFA_CODE }).waitFor();

      // The server may refuse a code from the same time step it has just accepted (replay
      // protection), so use the next step's code if the current one is refused.
      await page.locator('input[name="code"]').fill(totp(secret));
      await page.getByRole('button', { name: en.signIn.verify }).click();
      const home = page.getByRole('heading', { level: 2, name: en.workstreams.informationSharing.title });
      try {
        await home.waitFor({ timeout: 5000 });
      } catch {
        await page.locator('input[name="code"]').fill(totp(secret, 1));
        await page.getByRole('button', { name: en.signIn.verify }).click();
        await home.waitFor();
      }
      expect(await page.getByTestId('user-menu').innerText()).toBeTruthy();

      // A recovery code also works, once.
      await signOut(page);
      await signIn(page, email, e2e.server.password);
      await page.getByRole('heading', { level: 1, name: en.signIn.mfaTitle }).waitFor();
      await page.getByText(en.signIn.useRecovery).click();
      await page.locator('input[name="code"]').fill(codes[0]!);
      await page.getByRole('button', { name: en.signIn.verify }).click();
      await home.waitFor();

      expect(cspErrors(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
