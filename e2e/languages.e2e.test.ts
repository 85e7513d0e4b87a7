// Sign in in each of the four UI languages; landing, sign-in and home pages are translated
// and axe finds no serious or critical accessibility violations on them.
import { describe, expect, it } from 'vitest';
import en from '../src/web/locales/en.json';
import es from '../src/web/locales/es.json';
import fr from '../src/web/locales/fr.json';
import pt from '../src/web/locales/pt.json';
import { expectNoSeriousViolations } from './support/axe';
import { chooseLanguage, cspErrors, label, watchConsole } from './support/browser';
import { useServerAndBrowser } from './support/harness';

const LOCALES = { en, es, pt, fr } as const;
const CASES = [
  { lang: 'en', locale: 'en-GB', email: 'provider.eu@demo.puente.test' },
  { lang: 'es', locale: 'es-ES', email: 'diplomat.es@demo.puente.test' },
  { lang: 'pt', locale: 'pt-BR', email: 'analyst.br@demo.puente.test' },
  { lang: 'fr', locale: 'fr-FR', email: 'analyst.ee@demo.puente.test' },
] as const;

const e2e = useServerAndBrowser();

describe('languages', () => {
  for (const c of CASES) {
    it(`signs in and navigates in ${c.lang}`, async () => {
      const t = LOCALES[c.lang];
      // The language comes from the browser (Accept-Language / navigator.language).
      const context = await e2e.newContext({ locale: c.locale });
      try {
        const page = await context.newPage();
        const errors = watchConsole(page);

        await page.goto('/');
        await page.getByRole('heading', { level: 1, name: t.landing.title }).waitFor();
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(c.lang);
        // The TLP explanation table is on the landing page.
        await page.getByRole('table', { name: t.tlp.tableCaption }).waitFor();
        await expectNoSeriousViolations(page, `landing (${c.lang})`);

        await page.getByRole('banner').getByRole('link', { name: t.nav.signIn }).click();
        await page.getByRole('heading', { level: 1, name: t.signIn.title }).waitFor();
        await expectNoSeriousViolations(page, `sign-in (${c.lang})`);

        await page.getByLabel(label(t.signIn.email)).fill(c.email);
        await page.getByLabel(label(t.signIn.password)).fill(e2e.server.password);
        await page.getByRole('main').getByRole('button', { name: t.signIn.submit }).click();
        await page.getByRole('navigation', { name: /./ }).waitFor();

        // After login the person's stored language applies; pick this language with the switcher
        // (stored on the server) if it differs.
        // The account's language applies first (it may arrive just after the menu does): wait
        // until the page's language has held for a second, then switch if it is not this one.
        const htmlLang = () => page.evaluate(() => document.documentElement.lang);
        let settled = await htmlLang();
        for (let same = 0; same < 4; ) {
          await page.waitForTimeout(250);
          const now = await htmlLang();
          same = now === settled ? same + 1 : 0;
          settled = now;
        }
        if (settled !== c.lang) await chooseLanguage(page, c.lang);
        await expect.poll(htmlLang, { timeout: 15_000 }).toBe(c.lang);
        await page.getByRole('heading', { level: 2, name: t.workstreams.informationSharing.title }).waitFor();
        await page.getByRole('navigation', { name: t.nav.primary }).getByRole('link', { name: t.nav.notes }).waitFor();
        await expectNoSeriousViolations(page, `home (${c.lang})`);

        // Remembered per person: after a reload (fresh i18n) the language is still this one.
        await page.evaluate(() => localStorage.clear());
        await page.reload();
        await page.getByRole('heading', { level: 2, name: t.workstreams.informationSharing.title }).waitFor();
        const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
        expect(me.uiLanguage).toBe(c.lang);

        // Navigate to the shared notes and check the translated heading and axe there too.
        await page.getByRole('navigation', { name: t.nav.primary }).getByRole('link', { name: t.nav.notes }).click();
        await page.getByRole('heading', { level: 1, name: t.notes.title }).waitFor();
        await expectNoSeriousViolations(page, `notes (${c.lang})`);

        expect(cspErrors(errors)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('switches language from the menu while signed out and remembers it', async () => {
    const context = await e2e.newContext({ locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: en.landing.title }).waitFor();
      await chooseLanguage(page, 'fr');
      await page.getByRole('heading', { level: 1, name: fr.landing.title }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: fr.landing.title }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    } finally {
      await context.close();
    }
  });

  it('opens a header menu pressed before the page has mounted it, and gives the focus back to its button', async () => {
    const context = await e2e.newContext({ locale: 'en-GB' });
    try {
      // LazyMenu mounts Mantine's Menu when the page is idle; an idle callback that never comes
      // leaves the button alone, as it is in the first moments of a page.
      await context.addInitScript(() => {
        (window as unknown as { requestIdleCallback: () => number }).requestIdleCallback = () => 0;
      });
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: en.landing.title }).waitFor();
      const button = page.getByTestId('language-menu');
      expect(await button.getAttribute('aria-haspopup')).toBe('menu');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByRole('menu').count()).toBe(0);
      await button.focus();
      await page.keyboard.press('Enter');
      const menu = page.getByRole('menu');
      await menu.waitFor();
      expect(await page.getByTestId('language-menu').getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('language-menu');
      // Open again, now mounted: a choice works as from any menu.
      await chooseLanguage(page, 'es');
      await page.getByRole('heading', { level: 1, name: es.landing.title }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('opens menus without fading or sliding for someone whose system asks for less motion', async () => {
    const motion = async (reducedMotion: 'reduce' | 'no-preference') => {
      const context = await e2e.newContext({ locale: 'en-GB', reducedMotion });
      try {
        const page = await context.newPage();
        await page.goto('/');
        await page.getByRole('heading', { level: 1, name: en.landing.title }).waitFor();
        // Press the button and watch every frame for 600 ms: which transitions ran, did the menu open.
        // Once the page is idle twice over, LazyMenu has mounted Mantine's menu: a press opens it
        // as it always will from then on (pressed earlier, it opens already in place).
        const idle = () => page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 3000 })));
        await idle();
        await idle();
        return await page.evaluate(async () => {
          const seen = new Set<string>();
          (document.querySelector('[data-testid="language-menu"]') as HTMLElement).click();
          const end = performance.now() + 600;
          while (performance.now() < end) {
            await new Promise((resolve) => requestAnimationFrame(resolve));
            for (const a of document.getAnimations()) if (a.playState === 'running') seen.add((a as CSSTransition).transitionProperty ?? (a as CSSAnimation).animationName);
          }
          return { opened: document.querySelector('[role="menu"]') !== null, transitions: [...seen] };
        });
      } finally {
        await context.close();
      }
    };
    const still = await motion('reduce');
    expect(still).toEqual({ opened: true, transitions: [] });
    // The same press without the preference fades the menu in: the check above can see motion.
    const moving = await motion('no-preference');
    expect(moving.opened).toBe(true);
    expect(moving.transitions).toContain('opacity');
  });
});
