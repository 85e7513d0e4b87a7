import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PUENTE_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: 'en-GB', ...options });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Collect console errors and CSP violations so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

/** The console errors (from watchConsole) that report a Content Security Policy violation. */
export function cspErrors(errors: string[]): string[] {
  return errors.filter((e) => /Content Security Policy|Refused to/i.test(e));
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
}

/**
 * Sign in, wait for the signed-in shell (the user menu) and make sure the UI is in `lang`,
 * whatever language the account has stored.
 */
export async function signInAs(page: Page, email: string, password: string, { lang = 'en', timeout }: { lang?: string; timeout?: number } = {}): Promise<void> {
  await signIn(page, email, password);
  await page.getByTestId('user-menu').waitFor(timeout === undefined ? undefined : { timeout });
  if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await chooseLanguage(page, lang);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('sign-out').click();
  await page.getByTestId('landing-title').waitFor();
}

/** Match a form label, with or without Mantine's required-field asterisk. */
export function label(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*\\*)?$`);
}

/** Pick a UI language from the language menu and wait until the menu has closed. */
export async function chooseLanguage(page: Page, lang: string): Promise<void> {
  await page.getByTestId('language-menu').click();
  await page.locator(`[data-lang="${lang}"]`).click();
  await page.getByRole('menu').waitFor({ state: 'detached' });
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/**
 * Choose an option of a Mantine Select or MultiSelect found by its label (within `scope`, the page
 * by default), typing first to narrow the list; a string option is matched exactly. The list is
 * closed after (Escape) unless `keepOpen`.
 */
export async function pickOption(page: Page, labelText: string, typed: string, option: string | RegExp, o: { scope?: Page | Locator; keepOpen?: boolean } = {}): Promise<void> {
  const input = (o.scope ?? page).getByLabel(label(labelText)).first();
  const choice = page.getByRole('option', { name: option, ...(typeof option === 'string' ? { exact: true } : {}) }).first();
  // A click that lands while the page re-renders (its data arriving just after a reload) can leave
  // the list closed: open it again until the option shows, for 15 s at most.
  const until = Date.now() + 15_000;
  for (;;) {
    // A MultiSelect's field sits under its pill box, which takes the click (and opens the list).
    if (!(await choice.isVisible())) {
      await input.click({ force: true });
      if (typed) await input.fill(typed);
    }
    try {
      await choice.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(3_000, until - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= until) throw e;
    }
  }
  await choice.click();
  if (!o.keepOpen) await page.keyboard.press('Escape');
}
