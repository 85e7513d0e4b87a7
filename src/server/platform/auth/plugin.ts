import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { timingSafeEqualStr } from '../ids.js';
import { loadPrincipalParts, type Principal } from './principal.js';
import { findSessionPrincipal, findToken, SESSION_COOKIE, type SessionPolicy } from './sessions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Public endpoints that do not act with the session's authority (they sign in,
 * or work from a one-time token), so a stale cookie must not block them. They
 * take JSON only, which a cross-site form cannot send, and CORS is closed.
 */
const CSRF_EXEMPT = [/^\/api\/v1\/auth\/login$/, /^\/api\/v1\/auth\/password-reset(\/complete)?$/, /^\/api\/v1\/organisations\/join-requests$/, /^\/api\/v1\/invitations\/by-token\/[^/]+\/accept$/];

/** Paths a person who must enrol in MFA may still use (not the event stream: it replays titles). */
const ENROLMENT_ALLOWED = [/^\/api\/v1\/me$/, /^\/api\/v1\/me\/mfa\//, /^\/api\/v1\/auth\//];

export function credentialsFromHeader(req: Pick<FastifyRequest, 'headers'>): { kind: 'bearer'; token: string } | { kind: 'basic'; email: string; token: string } | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const [scheme, value] = h.split(' ', 2);
  if (!value) throw new AppError('INVALID_TOKEN', 'Malformed Authorization header');
  if (scheme.toLowerCase() === 'bearer') return { kind: 'bearer', token: value.trim() };
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) throw new AppError('INVALID_TOKEN', 'Malformed Basic credentials');
    return { kind: 'basic', email: decoded.slice(0, i), token: decoded.slice(i + 1) };
  }
  throw new AppError('INVALID_TOKEN', `Unsupported authorization scheme ${scheme}`);
}

/**
 * Who is asking: a session cookie (browsers) or an API token (machines, as
 * Bearer, or as HTTP Basic with the e-mail as user for TAXII clients). Resolved
 * once per request into req.principal; CSRF, token scope and MFA enrolment are
 * enforced here so that no route can forget them.
 */
export default fp(async function authPlugin(app: FastifyInstance, opts: { db: Kysely<DB>; session: SessionPolicy }) {
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const header = credentialsFromHeader(req);
    let principal: Principal | null = null;
    if (header) {
      const token = await findToken(opts.db, header.token);
      if (!token) throw new AppError('INVALID_TOKEN', 'The API token is unknown, expired or revoked');
      const parts = await loadPrincipalParts(opts.db, token.personId);
      if (!parts) throw new AppError('INVALID_TOKEN', 'The API token belongs to an account that is not active');
      if (header.kind === 'basic' && parts.person.email.toLowerCase() !== header.email.trim().toLowerCase())
        throw new AppError('INVALID_TOKEN', 'The API token does not belong to this user');
      principal = { ...parts, via: 'token', scope: token.scope, tokenId: token.id };
      if (token.scope === 'read' && !SAFE_METHODS.has(req.method))
        throw new AppError('INSUFFICIENT_SCOPE', 'This token may only read; create a write token to change things');
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      const found = cookie ? await findSessionPrincipal(opts.db, cookie, opts.session) : null;
      if (found) {
        const { session: s, parts } = found;
        principal = { ...parts, via: 'session', scope: 'write', session: { idHash: s.idHash, csrfToken: s.csrfToken } };
        if (!SAFE_METHODS.has(req.method) && !CSRF_EXEMPT.some((re) => re.test(req.url.split('?')[0]))) {
          const sent = req.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !timingSafeEqualStr(sent, s.csrfToken)) throw new AppError('CSRF_FAILED', 'Missing or wrong X-CSRF-Token header');
        }
      }
    }
    req.principal = principal;
    if (principal?.mfaEnrolmentRequired) {
      const path = req.url.split('?')[0];
      if (!ENROLMENT_ALLOWED.some((re) => re.test(path)))
        throw new AppError('MFA_ENROLMENT_REQUIRED', 'Your organisation requires two-step sign-in: set it up in your account first');
    }
  });
});
