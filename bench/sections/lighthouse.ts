// Web app first load (issue 10): Lighthouse 12's mobile profile over the pages a visitor and a
// member open first — the landing page, sign-in, the contact directory and the threat-intel
// list — served by the Puente server under test, driving Debian's Chromium.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { computeMedianRun, filterToValidRuns } from 'lighthouse/core/lib/median-run.js';
import type LhResult from 'lighthouse/types/lhr/lhr.js';
import { fmt, type Benchmark, type ModeContext, type Row } from '../context.js';
import { REPO_ROOT } from '../servers.js';

const CHROMIUM = process.env.PUENTE_CHROMIUM || '/usr/bin/chromium';
/** What a headless Chromium needs on this machine (no sandbox as root, no GPU), and no traffic of its own. */
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Lighthouse runs per page; the median run (Lighthouse's own choice, by FCP and TTI) is reported. */
const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
/** Only the pages whose path contains one of these (comma-separated), to look into one page. */
const ONLY_PAGES = (process.env.BENCH_LIGHTHOUSE_PAGES ?? '').split(',').filter(Boolean);
/** A directory to write each page's median Lighthouse report to (JSON), to see why a figure is what it is. */
const REPORTS = process.env.BENCH_LIGHTHOUSE_REPORTS ?? '';
/** A member who reads the app in English (the other languages' strings are a chunk of their own). */
const MEMBER = 'analyst.ee@demo.puente.test';
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
/** Targets of issue 10. */
const TARGET = { performance: 90, accessibility: 100, bestPractices: 95, landingKiB: 200 };

interface PageSpec {
  name: string;
  path: string;
  member: boolean;
  /** The page's real address, found at run time (a demo record's slug). */
  resolve?: (origin: string) => Promise<string>;
}
/** The address of the first published item a visitor finds with these words. */
const firstPublic = (api: string, page: string) => async (origin: string) => {
  const res = (await (await fetch(`${origin}${api}`)).json()) as { items: { slug: string }[] };
  if (!res.items[0]) throw new Error(`nothing public at ${api}`);
  return `${page}/${res.items[0].slug}`;
};
const PAGES: PageSpec[] = [
  { name: 'landing page', path: '/', member: false },
  { name: 'sign-in', path: '/sign-in', member: false },
  // The public portal (issue 11): server-rendered pages a visitor opens from a search engine or a feed.
  { name: 'public record (the Santo Domingo dialogue)', path: '/records/{slug}', member: false, resolve: firstPublic('/api/v1/records?q=Santo%20Domingo&status=published', '/records') },
  { name: 'public good practice', path: '/practices/{slug}', member: false, resolve: firstPublic('/api/v1/knowledge?q=Santo%20Domingo&status=published', '/practices') },
  { name: 'good-practice library', path: '/practices', member: false },
  { name: 'contact directory (signed in)', path: '/contacts', member: true },
  { name: 'threat-intel list (signed in)', path: '/intel', member: true },
];

function lighthouseVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/lighthouse/package.json'), 'utf8')) as { version: string }).version;
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return `${CHROMIUM} (version unknown)`;
  }
}

/** Newest modification time under `p` (a file or a directory). */
function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p)) t = Math.max(t, newest(path.join(p, e)));
  return t;
}

async function signIn(origin: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { status?: string };
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('puente_session='));
  if (res.status !== 200 || body.status !== 'ok' || !cookie) throw new Error(`sign-in of ${email} answered ${res.status}: ${JSON.stringify(body).slice(0, 200)}`);
  return cookie.split(';')[0]!;
}

interface Measured {
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  scriptBytes: number;
  styleBytes: number;
  totalBytes: number;
  requests: number;
  finalUrl: string;
  /** Accessibility and best-practice audits that did not pass, by id. */
  failing: string[];
  warnings: string[];
}

const score = (lhr: LhResult, id: string) => Math.round((lhr.categories[id]?.score ?? NaN) * 100);

function measured(lhr: LhResult): Measured {
  const requests = ((lhr.audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number }[] } | undefined)?.items ?? []);
  const bytes = (type: string) => requests.filter((r) => r.resourceType === type).reduce((s, r) => s + (r.transferSize ?? 0), 0);
  const failing: string[] = [];
  for (const id of ['accessibility', 'best-practices']) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a && a.score !== null && a.score < 1) failing.push(ref.id);
    }
  }
  return {
    performance: score(lhr, 'performance'),
    accessibility: score(lhr, 'accessibility'),
    bestPractices: score(lhr, 'best-practices'),
    fcpMs: lhr.audits['first-contentful-paint']?.numericValue ?? NaN,
    lcpMs: lhr.audits['largest-contentful-paint']?.numericValue ?? NaN,
    tbtMs: lhr.audits['total-blocking-time']?.numericValue ?? NaN,
    cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN,
    scriptBytes: bytes('Script'),
    styleBytes: bytes('Stylesheet'),
    totalBytes: requests.reduce((s, r) => s + (r.transferSize ?? 0), 0),
    requests: requests.length,
    finalUrl: lhr.finalDisplayedUrl,
    failing,
    warnings: lhr.runWarnings,
  };
}

/** Kilobytes of 1,000 bytes, the unit of the target. */
const kb = (b: number) => `${(b / 1000).toFixed(1)} KB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mark = (ok: boolean) => (ok ? '' : ' ✗');

export const lighthouseFirstLoad: Benchmark = {
  id: 'lighthouse',
  title: 'Web app first load: Lighthouse (mobile profile)',
  intro: () =>
    [
      `Lighthouse ${lighthouseVersion()} (the npm package, pinned) driving ${chromiumVersion()} through chrome-launcher (\`${CHROME_FLAGS.join(' ')}\`), ` +
        'default mobile profile: a Moto G Power sized screen, simulated slow 4G (150 ms RTT, 1.6 Mbit/s down) and a 4× CPU slowdown applied to what the trace measured. ' +
        `Each page is loaded ${RUNS} time${RUNS === 1 ? '' : 's'} in the same browser (Lighthouse empties the cache and storage before each run); the table shows Lighthouse's median run (by FCP and TTI) ` +
        'and, under "performance", the lowest and highest score of all runs. The member pages are loaded with the session cookie of a demo member who reads the app in English ' +
        `(\`${MEMBER}\`, signed in through the API beforehand and sent as a header with every request).`,
      '',
      '"Script + style" is what the page transferred in scripts and style sheets (compressed, headers included; Lighthouse\'s `transferSize`; 1 KB = 1,000 bytes); "total" adds the HTML, the API answers and everything else. ' +
        'The web app is the one `vite build` wrote to `dist/web` (built first if older than its sources), served by the Puente server under test with its brotli copies and a year\'s `immutable` caching for hashed assets. ' +
        `Targets (issue 10): performance ≥ ${TARGET.performance} on every page, accessibility ${TARGET.accessibility}, best practices ≥ ${TARGET.bestPractices}; ` +
        `the landing page's script and style ≤ ${TARGET.landingKiB} KB compressed; issue 11: the public portal's pages, performance ≥ ${TARGET.performance} and accessibility ${TARGET.accessibility}. ` +
        'A public record or good practice opened without a session is HTML from the server (features/portal/pages.ts), without the web app\'s script; its address is that of the first one the public API lists for "Santo Domingo". ✗ marks a figure off its target.',
      '',
      '**Lighthouse measures the main thread in real time and multiplies it: with 2 shared cores, other work on the machine raises TBT and lowers the performance score.** The load average is noted with each page.',
    ].join('\n'),
  columns: ['Database', 'Page', 'Performance (min–max)', 'Accessibility', 'Best practices', 'FCP', 'LCP', 'TBT', 'CLS', 'Script + style', 'Total (requests)', 'Notes'],
  async prepare() {
    // The server serves dist/web as it found it at start: build it first if it is missing or stale.
    const built = path.join(REPO_ROOT, 'dist/web/index.html');
    const sources = [path.join(REPO_ROOT, 'src/web'), path.join(REPO_ROOT, 'vite.config.ts')];
    const stale = !fs.existsSync(built) || sources.some((s) => newest(s) > fs.statSync(built).mtimeMs);
    if (!stale) return;
    process.stderr.write('[bench lighthouse] building the web app (dist/web is missing or older than its sources)\n');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
    if (r.status !== 0) throw new Error('vite build failed');
  },
  async run(ctx: ModeContext) {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (PUENTE_CHROMIUM)`);
    const origin = ctx.puente.origin;
    const cookie = await signIn(origin, MEMBER, ctx.demo.password);
    const rows: Row[] = [];
    const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
    try {
      for (const page of PAGES.filter((p) => !ONLY_PAGES.length || ONLY_PAGES.some((o) => p.path.includes(o)))) {
        const load = os.loadavg()[0];
        const runs: LhResult[] = [];
        // A run now and then ends without FCP or TTI (the trace did not see them): it is run again, twice at most.
        let invalid = 0;
        let lastError = '';
        const target = page.resolve ? await page.resolve(origin) : page.path;
        while (runs.length < RUNS && invalid <= 2) {
          const result = await lighthouse(`${origin}${target}`, {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: [...CATEGORIES],
            ...(page.member ? { extraHeaders: { Cookie: cookie } } : {}),
          });
          const lhr = result?.lhr;
          if (lhr && !lhr.runtimeError && filterToValidRuns([lhr]).length) runs.push(lhr);
          else {
            invalid++;
            lastError = lhr?.runtimeError ? `${lhr.runtimeError.code} ${lhr.runtimeError.message}` : 'no FCP or TTI in the run';
          }
        }
        if (!runs.length) throw new Error(`Lighthouse on ${page.path}: ${lastError}`);
        const median = computeMedianRun(runs);
        const m = measured(median);
        if (REPORTS) {
          fs.mkdirSync(REPORTS, { recursive: true });
          fs.writeFileSync(path.join(REPORTS, `${ctx.mode}${page.path.replace(/[^a-z0-9]+/gi, '-')}.json`), JSON.stringify(median));
        }
        const perfs = runs.map((r) => score(r, 'performance'));
        const notes: string[] = [`load average ${load.toFixed(2)}`];
        if (invalid) notes.push(`${invalid} run${invalid === 1 ? '' : 's'} without FCP or TTI left out (${lastError.slice(0, 120)})`);
        if (runs.length < RUNS) notes.push(`${runs.length} valid run${runs.length === 1 ? '' : 's'} of ${RUNS}`);
        if (new URL(m.finalUrl).pathname !== target) notes.push(`ended on ${new URL(m.finalUrl).pathname}`);
        if (m.failing.length) notes.push(`not passed: ${m.failing.join(', ')}`);
        for (const w of new Set(m.warnings)) notes.push(`Lighthouse: ${w.slice(0, 160)}`);
        const scriptStyle = m.scriptBytes + m.styleBytes;
        const landing = page.path === '/';
        rows.push([
          ctx.label,
          `${page.name} \`${page.path}\``,
          `${m.performance}${mark(m.performance >= TARGET.performance)} (${Math.min(...perfs)}–${Math.max(...perfs)})`,
          `${m.accessibility}${mark(m.accessibility >= TARGET.accessibility)}`,
          `${m.bestPractices}${mark(m.bestPractices >= TARGET.bestPractices)}`,
          sec(m.fcpMs),
          sec(m.lcpMs),
          `${fmt.int(m.tbtMs)} ms`,
          m.cls.toFixed(3),
          `${kb(scriptStyle)}${landing ? mark(scriptStyle <= TARGET.landingKiB * 1000) : ''} (script ${kb(m.scriptBytes)}, style ${kb(m.styleBytes)})`,
          `${kb(m.totalBytes)} (${m.requests})`,
          notes.join('; '),
        ]);
        process.stderr.write(`[bench lighthouse] ${ctx.mode} ${page.path}: performance ${perfs.join(', ')}; accessibility ${m.accessibility}; best practices ${m.bestPractices}\n`);
      }
    } finally {
      await chrome.kill();
    }
    return rows;
  },
};
