// One server (demo data) and one Chromium per test file: `useServerAndBrowser()` registers the
// beforeAll/afterAll hooks and returns getters for both, plus helpers bound to them.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { chooseLanguage, cspErrors, launchBrowser, newContext, signInAs, watchConsole } from './browser';
import { startServer, type RunningServer } from './server';
import { startSink, type SunkMail } from '../../src/server/test/smtp';

/** The browser locale used for each UI language. */
const LOCALES = { en: 'en-GB', es: 'es-ES', pt: 'pt-BR', fr: 'fr-FR' } as const;
export type Lang = keyof typeof LOCALES;

export interface SignInOptions {
  /** UI language to end up in (default 'en'). */
  lang?: Lang;
  /** How long to wait for the signed-in shell (default: the context's timeout). */
  timeout?: number;
}

export interface SignedInOptions extends SignInOptions {
  /** Extra options for the browser context (the locale follows `lang`). */
  context?: BrowserContextOptions;
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  /** Console errors of `page` from before the sign-in on (see watchConsole). */
  errors: string[];
}

export interface ServerAndBrowser {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A new browser context on the server's base URL. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** Sign `page` in as a demo account (the demo password) and make sure the UI is in `lang`. */
  signInAs(page: Page, email: string, options?: SignInOptions): Promise<void>;
  /** A new context and page, watched for console errors, signed in as a demo account. */
  signedIn(email: string, options?: SignedInOptions): Promise<SignedIn>;
  /**
   * As `signedIn`, and the server has stored the language too: the account's own language
   * arrives as a chunk of its own and may switch the page after the sign-in helper has looked,
   * and a reload before the choice is stored switches back. For tests that reload or navigate.
   */
  signedInSettled(email: string, options?: SignedInOptions): Promise<SignedIn>;
  /** Mail the server delivered to a real SMTP server (with `{ mail: true }`). */
  readonly mails: SunkMail[];
}

/** `mail: true` starts a real SMTP server and has the platform deliver to it, as in production. */
export function useServerAndBrowser(opts: { mail?: boolean } = {}): ServerAndBrowser {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let sink: Awaited<ReturnType<typeof startSink>> | undefined;

  beforeAll(async () => {
    if (opts.mail) sink = await startSink();
    [server, browser] = await Promise.all([startServer(sink ? { PUENTE_SMTP_URL: `smtp://127.0.0.1:${sink.port}` } : {}), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sink?.stop();
  });

  const env: ServerAndBrowser = {
    get server() {
      if (!server) throw new Error('the server is not running (beforeAll failed or has not run)');
      return server;
    },
    get mails() {
      if (!sink) throw new Error('no SMTP server: use useServerAndBrowser({ mail: true })');
      return sink.mails;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running (beforeAll failed or has not run)');
      return browser;
    },
    newContext: (options) => newContext(env.browser, env.server.baseUrl, options),
    signInAs: (page, email, options) => signInAs(page, email, env.server.password, options),
    async signedIn(email, { lang = 'en', timeout, context: options = {} } = {}) {
      const context = await env.newContext({ locale: LOCALES[lang], ...options });
      const page = await context.newPage();
      const errors = watchConsole(page);
      await env.signInAs(page, email, { lang, timeout });
      return { context, page, errors };
    },
    async signedInSettled(email, options = {}) {
      const s = await env.signedIn(email, options);
      const lang = options.lang ?? 'en';
      const stored = () => s.page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).uiLanguage as string);
      for (let i = 0; i < 3 && (await stored()) !== lang; i++) {
        await s.page.waitForTimeout(500);
        if ((await stored()) !== lang) await chooseLanguage(s.page, lang);
      }
      await expect.poll(stored, { timeout: 15_000 }).toBe(lang);
      return s;
    },
  };
  return env;
}

/**
 * A journey's cast: each person signed in once (settled, in the language asked the first time)
 * and kept for the file's tests. After them every context is closed, and no page of the cast may
 * have had a request refused by the content security policy.
 */
export function useCast(e2e: ServerAndBrowser): (email: string, lang: Lang) => Promise<Page> {
  const people = new Map<string, SignedIn>();
  afterAll(async () => {
    const refused = [...people.values()].flatMap((s) => cspErrors(s.errors));
    for (const s of people.values()) await s.context.close();
    expect(refused).toEqual([]);
  });
  return async (email, lang) => {
    let s = people.get(email);
    if (!s) {
      s = await e2e.signedInSettled(email, { lang });
      people.set(email, s);
    }
    return s.page;
  };
}
