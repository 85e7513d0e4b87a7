// Signing in from wherever a signed-out person arrives: a bookmark, a link in a mail, Back after
// signing out, an expired session. Each lands on the sign-in page with ?next= (the tab does not
// freeze) and returns there after signing in; ?next= never leads off the site. The sign-in form
// works from the keyboard, and anonymous pages log no console error.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import contactsEn from '../src/web/features/contacts/locales/en.json';
import en from '../src/web/locales/en.json';
import { expectNoSeriousViolations } from './support/axe';
import { label, signOut, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const e2e = useServerAndBrowser({ mail: true });

/** A tab stuck in a navigation loop answers no script; give it two seconds. */
async function responsive(page: Page): Promise<boolean> {
  return Promise.race([page.evaluate(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000))]);
}

/** On the sign-in page, settled, with `next` (the path to return to) in its address. */
async function expectSignInPage(page: Page, next: string | null): Promise<void> {
  await page.getByRole('heading', { level: 1, name: en.signIn.title }).waitFor();
  expect(await responsive(page), 'the tab answers').toBe(true);
  const first = page.url();
  await page.waitForTimeout(500);
  expect(page.url(), 'the address has settled').toBe(first);
  const url = new URL(first);
  expect(url.pathname).toBe('/sign-in');
  expect(url.searchParams.get('next')).toBe(next);
  // A redirect replaces the page it came from: no pile of history entries.
  expect(await page.evaluate(() => history.length)).toBeLessThan(6);
}

/** Fill the form and send it with Enter in the password field. */
async function signInWithEnter(page: Page, email: string): Promise<void> {
  await page.getByLabel(label(en.signIn.email)).fill(email);
  const password = page.getByLabel(label(en.signIn.password)).first();
  await password.fill(e2e.server.password);
  await password.press('Enter');
}

async function expectAt(page: Page, pathAndSearch: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  const url = new URL(page.url());
  expect(`${url.pathname}${url.search}`).toBe(pathAndSearch);
}

/** Sign in through the API from Node: the session cookie and CSRF token. */
async function apiSession(email: string): Promise<{ cookie: string; csrf: string; me: { id: string } }> {
  const res = await fetch(`${e2e.server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: e2e.server.password }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string; me: { id: string } };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: body.csrfToken, me: body.me };
}

async function api<T>(s: { cookie: string; csrf: string }, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${e2e.server.baseUrl}${path}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  return (await res.json()) as T;
}

const decodeQuotedPrintable = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

describe('a signed-out visit to a member page', () => {
  it('from a bookmark: lands on sign-in with ?next= and returns there, search included', async () => {
    const context = await e2e.newContext();
    try {
      const page = await context.newPage();
      const errors = watchConsole(page);
      await page.goto('/contacts?q=CERT');
      await expectSignInPage(page, '/contacts?q=CERT');
      await signInWithEnter(page, 'analyst.ee@demo.puente.test');
      await expectAt(page, '/contacts?q=CERT', contactsEn.contacts.title);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('from a link in a mail: the mention mail opens the topic after signing in', async () => {
    const author = await apiSession('analyst.cl@demo.puente.test');
    const reader = await apiSession('analyst.br@demo.puente.test');
    const communities = await api<{ items: { id: string; name: string }[] }>(author, 'GET', '/api/v1/communities?lang=en');
    const csirts = communities.items.find((c) => c.name === 'CSIRTs of the EU and LAC');
    expect(csirts).toBeTruthy();
    const title = `Exercise planning ${Date.now().toString(36)}`;
    const topic = await api<{ id: string }>(author, 'POST', `/api/v1/communities/${csirts!.id}/topics`, {
      title,
      body: 'Shall we meet next week?',
      tlp: 'GREEN',
      mentions: [reader.me.id],
    });

    const path = `/communities/${csirts!.id}/topics/${topic.id}`;
    const deadline = Date.now() + 30_000;
    let link: string | undefined;
    while (!link && Date.now() < deadline) {
      const text = e2e.mails.filter((m) => m.to.includes('analyst.br@demo.puente.test')).map((m) => decodeQuotedPrintable(m.raw)).join('\n');
      link = text.match(new RegExp(`https?://\\S+${path}`))?.[0];
      if (!link) await new Promise((r) => setTimeout(r, 200));
    }
    expect(link, 'the mention mail with its link').toBeTruthy();

    const context = await e2e.newContext();
    try {
      const page = await context.newPage();
      await page.goto(link!);
      await expectSignInPage(page, path);
      await signInWithEnter(page, 'analyst.br@demo.puente.test');
      await expectAt(page, path, title);
    } finally {
      await context.close();
    }
  });

  it('after signing out, Back: lands on sign-in with ?next= and returns there', async () => {
    const { context, page } = await e2e.signedIn('analyst.ee@demo.puente.test');
    try {
      await page.getByRole('navigation', { name: en.nav.primary }).getByRole('link', { name: en.nav.notes }).click();
      await expectAt(page, '/notes', en.notes.title);
      await signOut(page);
      await page.goBack();
      await expectSignInPage(page, '/notes');
      await signInWithEnter(page, 'analyst.ee@demo.puente.test');
      await expectAt(page, '/notes', en.notes.title);
    } finally {
      await context.close();
    }
  });

  it('with an expired session (signed out everywhere from another browser): the next step lands on sign-in and returns there', async () => {
    const { context, page } = await e2e.signedIn('analyst.ee@demo.puente.test');
    const other = await e2e.signedIn('analyst.ee@demo.puente.test');
    try {
      await page.getByRole('navigation', { name: en.nav.primary }).getByRole('link', { name: en.nav.notes }).click();
      await expectAt(page, '/notes', en.notes.title);

      // Elsewhere, the person signs out of every session: this one is deleted on the server.
      const status = await other.page.evaluate(async () => {
        const me = await (await fetch('/api/v1/me')).json();
        return (await fetch('/api/v1/auth/logout-everywhere', { method: 'POST', headers: { 'x-csrf-token': me.csrfToken } })).status;
      });
      expect(status).toBe(204);

      // The page still shows the member menu; its next request meets the ended session.
      await page.getByRole('navigation', { name: en.nav.primary }).getByRole('link', { name: en.nav.communities }).click();
      await expectSignInPage(page, '/communities');
      await signInWithEnter(page, 'analyst.ee@demo.puente.test');
      await expectAt(page, '/communities', en.communities.title);

      // Reloading a member page after the session ended elsewhere: the same.
      await other.page.evaluate(async () => {
        await fetch('/api/v1/auth/logout', { method: 'POST' });
      });
      const status2 = await other.page.evaluate(async () => (await fetch('/api/v1/me')).status);
      expect(status2).toBe(401);
      await page.evaluate(async () => {
        const me = await (await fetch('/api/v1/me')).json();
        await fetch('/api/v1/auth/logout-everywhere', { method: 'POST', headers: { 'x-csrf-token': me.csrfToken } });
      });
      await page.reload();
      await expectSignInPage(page, '/communities');
    } finally {
      await Promise.all([context.close(), other.context.close()]);
    }
  });

  it('never follows ?next= off the site', async () => {
    for (const next of ['//evil.example/notes', 'https://evil.example/', 'javascript:alert(1)', '/\\evil.example']) {
      const context = await e2e.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
        await page.getByRole('heading', { level: 1, name: en.signIn.title }).waitFor();
        await signInWithEnter(page, 'analyst.ee@demo.puente.test');
        await page.getByTestId('user-menu').waitFor();
        await page.waitForURL((u) => u.pathname === '/');
        expect(new URL(page.url()).origin, next).toBe(e2e.server.baseUrl);
      } finally {
        await context.close();
      }
    }
  });
});

describe('the sign-in form', () => {
  it('works from the keyboard: type, Tab to the show-password button, Enter signs in', async () => {
    const context = await e2e.newContext();
    try {
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByRole('heading', { level: 1, name: en.signIn.title }).waitFor();
      const submit = page.getByRole('main').getByRole('button', { name: en.signIn.submit });
      expect(await submit.isDisabled()).toBe(false);

      // Enter on an empty form says what is missing instead of doing nothing.
      await page.getByLabel(label(en.signIn.email)).focus();
      await page.keyboard.press('Enter');
      await page.getByText(en.common.required).first().waitFor();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('email');
      // Error text in a red dark enough for WCAG AA on white (#c92a2a, 5.5:1; not Mantine's #fa5252, 3.3:1).
      const errorColour = await page.locator('.mantine-InputWrapper-error').first().evaluate((el) => getComputedStyle(el).color);
      expect(errorColour).toBe('rgb(201, 42, 42)');
      await expectNoSeriousViolations(page, 'sign-in with missing fields');

      await page.keyboard.type('analyst.ee@demo.puente.test');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
      await page.keyboard.type(e2e.server.password);
      await page.keyboard.press('Tab');
      const toggle = page.getByRole('button', { name: en.signIn.showPassword });
      expect(await toggle.evaluate((el) => el === document.activeElement), 'Tab reaches the show-password button').toBe(true);
      await page.keyboard.press('Space');
      expect(await page.locator('input[name="password"]').getAttribute('type')).toBe('text');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.getByTestId('user-menu').waitFor();
    } finally {
      await context.close();
    }
  });

  it('anonymous pages log no console error (no failed request for the session)', async () => {
    const context = await e2e.newContext();
    try {
      const page = await context.newPage();
      const errors = watchConsole(page);
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      for (const [path, heading] of [
        ['/', en.landing.title],
        ['/sign-in', en.signIn.title],
        ['/organisations', en.organisations.title],
        ['/join', en.join.title],
      ] as const) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.waitForLoadState('networkidle');
      }
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
