/**
 * The sign-in page's `?next=`: where to go after signing in. Only a path on this site is
 * followed — "/notes", "/contacts?q=x#top" — never another origin ("//evil.example",
 * "/\evil.example", "https://…"), a scheme ("javascript:…"), text that URL parsers fold
 * into one of those (tabs, new lines, backslashes) or the sign-in page itself (it would send
 * on again). Anything else gives "/".
 */
const MAX_LENGTH = 2048;
const BASE = 'https://puente.invalid';

export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_LENGTH) return '/';
  // One leading slash, not followed by a second one or a backslash (both mean "another host").
  if (!/^\/(?![/\\])/.test(next)) return '/';
  // Control characters and white space are stripped or folded by URL parsers ("/\t/evil" is "//evil").
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  if (url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The `next` search parameter for a redirect to sign-in from `href` (none for the home page). */
export function nextParam(href: string): { next?: string } {
  const next = safeNext(href);
  return next === '/' ? {} : { next };
}
