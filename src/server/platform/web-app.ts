// Serving the built web app (dist/web, from `vite build`): its files, and its HTML shell for
// the client-side routes.
//
// - Hashed files under /assets/ never change under their name: cached for a year, `immutable`.
//   Everything else (index.html, the shell) is `no-cache`: revalidated on each visit, so a
//   new release is picked up at once.
// - The build writes `.br` and `.gz` beside each file (vite.config.ts); they are sent as they
//   are to a client that accepts them (`Vary: Accept-Encoding`), so serving costs no compression.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Sends the web app's HTML shell (for a client-side route), compressed when the client accepts it. */
export type ShellSender = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** The content codings we have, in our order of preference, that this Accept-Encoding allows. */
export function acceptedEncoding(header: string | string[] | undefined, available: ('br' | 'gzip')[]): 'br' | 'gzip' | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const q = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  for (const enc of available) {
    const weight = q.get(enc) ?? q.get('*');
    if (weight !== undefined && weight > 0) return enc;
  }
  return null;
}

/** One form of the shell, ready to send: its bytes, compressed copies and validator. */
interface ShellVariant {
  raw: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  etag: string;
}

function variant(raw: Buffer): ShellVariant {
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
  const gzip = zlib.gzipSync(raw, { level: 9 });
  const etag = `"${crypto.createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
  return { raw, br: br.length < raw.length ? br : null, gzip: gzip.length < raw.length ? gzip : null, etag };
}

/** What `vite build` writes beside index.html (vite.config.ts `routeHints`): the files each page loads after the main script. */
export interface RouteHints {
  /**
   * Per client-side route (TanStack Router's path, `$name` for a parameter): its chunk and the
   * chunks and styles it imports, and the API answers it shows first when opened without search
   * parameters (src/web/firstData.ts), for someone signed in.
   */
  routes: { path: string; scripts: string[]; styles: string[]; data?: string[] }[];
  /** What every page chunk waits for besides its own files (router.tsx `styled`): all of Mantine's styles. */
  pageStyles: string[];
  /** The chunk of strings a page needs in each language other than English (its whole catalogue; English strings are in the page's chunks). */
  strings: Record<string, string>;
  /** The API answers every page asks for first when someone signed in opens it (the menu's arrangement). */
  signedInData?: string[];
}

const HINT_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;

/**
 * The interface language the web app will pick on a first visit (i18n.ts reads the browser's
 * languages when the person has not chosen one in this browser): the first of ours in
 * Accept-Language, by weight; English otherwise.
 */
export function shellLanguage(header: string | string[] | undefined): (typeof HINT_LANGUAGES)[number] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const ranked = value
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: (tag ?? '').slice(0, 2), q: qp ? Number(qp.slice(2)) : 1, i };
    })
    .filter((r) => Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.map((r) => HINT_LANGUAGES.find((l) => l === r.base)).find(Boolean) ?? 'en';
}

/** The route of `hints` a path is a page of: parameters (`$x`) match one segment; the route with more fixed segments wins (`/contacts/new` over `/contacts/$contactId`). */
export function routeFor(hints: RouteHints, pathname: string): RouteHints['routes'][number] | null {
  const segments = pathname.split('/').filter(Boolean);
  let best: { route: RouteHints['routes'][number]; fixed: number } | null = null;
  for (const route of hints.routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    if (!pattern.every((p, i) => p.startsWith('$') || p === segments[i])) continue;
    const fixed = pattern.filter((p) => !p.startsWith('$')).length;
    if (!best || fixed > best.fixed) best = { route, fixed };
  }
  return best?.route ?? null;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The shell of a page with the files it will ask for named in its head: the page's chunks as
 * `modulepreload`, the strings of the language it will be read in, and its styles and Mantine's
 * as style sheets. The browser fetches them while the main script downloads and starts,
 * instead of once the router has matched the route (about 0.4 s less to the page on slow 4G,
 * BENCHMARKS.md). The style sheets are linked, not only preloaded: the page is shown only once
 * they are there anyway (router.tsx), and a linked sheet is parsed while the main script is
 * still on its way, when the main thread has nothing else to do, rather than in one long task
 * beside the first render (the script finds it linked and adds it no second time). They follow
 * the main sheet, as the cascade needs (mantine-pages.css). `crossorigin` as the main script's:
 * the hint must match the request the script makes, or the file is fetched twice.
 *
 * For someone signed in (`signedIn`, checked by the caller), the API answers every page asks for
 * first are preloaded too (`as="fetch"`, as the app's `fetch` asks for them), and with
 * `withData` those of the page without search parameters: on slow 4G they otherwise start only
 * once the main script has run, a round trip after the page's frame.
 */
export function hintedShell(shell: string, hints: RouteHints, route: RouteHints['routes'][number], language: string, signedIn = false, withData = signedIn): string {
  const scripts = [...route.scripts, ...(hints.strings[language] ? [hints.strings[language]] : [])];
  const styles = [...new Set([...hints.pageStyles, ...route.styles])];
  const links = [
    ...scripts.map((href) => `<link rel="modulepreload" crossorigin href="${escapeAttr(href)}">`),
    ...[...(signedIn ? (hints.signedInData ?? []) : []), ...(withData ? (route.data ?? []) : [])].map((href) => `<link rel="preload" as="fetch" crossorigin href="${escapeAttr(href)}">`),
    ...styles.map((href) => `<link rel="stylesheet" crossorigin href="${escapeAttr(href)}">`),
  ];
  return shell.replace(/\n?(\s*)<\/head>/, (_m, indent: string) => `\n${links.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}</head>`);
}

function readHints(file: string): RouteHints | null {
  if (!fs.existsSync(file)) return null;
  const hints = JSON.parse(fs.readFileSync(file, 'utf8')) as RouteHints;
  return Array.isArray(hints.routes) && Array.isArray(hints.pageStyles) && hints.strings ? hints : null;
}

/** Whether a request comes from someone signed in whose pages may load (a live session, no enrolment pending); asked of every page request, so it answers a request without a session cookie without a query. */
export type SignedInCheck = (req: FastifyRequest) => Promise<boolean>;

function shellSender(raw: Buffer, hints: RouteHints | null, signedIn: SignedInCheck | null): ShellSender {
  const plain = variant(raw);
  // One shell per page, language and sign-in, made on first use: some hundred routes by four
  // languages by three at most.
  const hinted = new Map<string, ShellVariant>();
  const pick = async (req: FastifyRequest): Promise<ShellVariant> => {
    const [pathname, query] = req.url.split('?') as [string, string | undefined];
    const route = hints && routeFor(hints, pathname || '/');
    if (!hints || !route) return plain;
    const language = shellLanguage(req.headers['accept-language']);
    const member = !!signedIn && (await signedIn(req).catch(() => false));
    // A page's own first answers are those without search parameters: with any, the app asks for its own.
    const withData = member && !!route.data?.length && !query;
    const key = `${route.path}\n${language}\n${member}\n${withData}`;
    let v = hinted.get(key);
    if (!v) hinted.set(key, (v = variant(Buffer.from(hintedShell(raw.toString('utf8'), hints, route, language, member, withData)))));
    return v;
  };
  return async (req, reply) => {
    const v = await pick(req);
    reply.header('cache-control', REVALIDATE).header('vary', hints ? 'accept-encoding, accept-language, cookie' : 'accept-encoding').header('etag', v.etag).type('text/html; charset=utf-8');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === v.etag)) return reply.code(304).send();
    const enc = acceptedEncoding(req.headers['accept-encoding'], (['br', 'gzip'] as const).filter((k) => v[k]));
    if (!enc) return reply.send(v.raw);
    return reply.header('content-encoding', enc).send(v[enc]);
  };
}

/**
 * Serve the built web app in `webDir` at `/` if it is there. Returns how to send its shell for
 * client-side routes (installNotFound), or null without a built web app.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string, signedIn: SignedInCheck | null = null): Promise<ShellSender | null> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) return null;
  const root = path.resolve(webDir);
  const assets = path.join(root, 'assets') + path.sep;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // The compressed copies are found beside each file by preCompressed; they need no route of their own.
    // The route hints are read once, below; they are not a file of the site.
    globIgnore: ['**/*.br', '**/*.gz', 'route-hints.json'],
    preCompressed: true,
    cacheControl: false,
    // `file` is the file sent (its .br or .gz copy when compressed), a full path.
    setHeaders: (reply, file) => void reply.header('cache-control', path.resolve(root, file).startsWith(assets) ? IMMUTABLE : REVALIDATE),
  });
  return shellSender(fs.readFileSync(index), readHints(path.join(root, 'route-hints.json')), signedIn);
}
