import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { errors } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { LoginBody, LoginResponse, Me, ResetCompleteBody, ResetRequestBody, SessionProbe } from './schemas.js';
import { login, logout, logoutEverywhere, meView } from './service.js';
import { clearSessionCookie, heldSessionOf, setSessionCookie } from '../../platform/auth/session-cookie.js';
import { completePasswordReset, processPasswordResetRequest, requestPasswordReset, RESET_JOB, sweepPasswordResetRequests } from './reset.js';

export const authRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  const loginLimit = { rateLimit: { max: p.config.rateLimit.loginPerMinute, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `login:${req.ip}` } };

  // Without jobs (PUENTE_JOBS=off) this instance handles its reset requests itself, after
  // the answer has gone out, best effort: a request it does not finish stays recorded and
  // is handled by the sweep of an instance with jobs, or by the next request here.
  const resetsInFlight = new Set<Promise<void>>();
  const handleResetsHere = (id: string) => {
    const run = processPasswordResetRequest(p, id)
      .then(() => sweepPasswordResetRequests(p))
      .catch((e) => app.log.error({ err: e }, 'password-reset request not handled; the sweep will retry'))
      .finally(() => resetsInFlight.delete(run));
    resetsInFlight.add(run);
  };
  app.addHook('onClose', async () => {
    await Promise.allSettled([...resetsInFlight]);
  });

  app.post(
    '/api/v1/auth/login',
    {
      config: loginLimit,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password, then (when MFA is on) with the code',
        body: LoginBody,
        response: { 200: LoginResponse, ...errors(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const { answer, session } = await login(p, actorOf(req), req.body, heldSessionOf(req));
      setSessionCookie(p, reply, session.id, session.expiresAt);
      return answer;
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out this session', response: { 204: Type.Null() } } },
    async (req, reply) => {
      await logout(p, actorOf(req));
      clearSessionCookie(p, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/logout-everywhere',
    { schema: { tags: ['auth'], summary: 'Sign out every session of this account and revoke all its API tokens', response: { 204: Type.Null(), ...errors(401) } } },
    async (req, reply) => {
      await logoutEverywhere(p, actorOf(req));
      clearSessionCookie(p, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: loginLimit,
      schema: { tags: ['auth'], summary: 'Ask for a password-reset link by e-mail', body: ResetRequestBody, response: { 202: Type.Object({ status: Type.Literal('accepted') }), ...errors(400, 429) } },
    },
    async (req, reply) => {
      const id = await requestPasswordReset(p, actorOf(req), req.body.email, req.body.language);
      // A lost job is not a lost request: the sweep finds the row a minute later.
      if (p.jobs) await p.jobs.send(RESET_JOB, { id }, { retryLimit: 3, retryBackoff: true }).catch(() => null);
      else reply.raw.once('finish', () => handleResetsHere(id));
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/complete',
    {
      config: loginLimit,
      schema: { tags: ['auth'], summary: 'Set a new password with the link from the e-mail', body: ResetCompleteBody, response: { 204: Type.Null(), ...errors(400, 410, 429) } },
    },
    async (req, reply) => {
      await completePasswordReset(p, actorOf(req), req.body.token, req.body.password);
      return reply.status(204).send(null);
    },
  );

  // The web app's first look on every page load: 200 whether or not anyone is signed in, so an
  // anonymous visit logs no failed request. API clients keep GET /api/v1/me and its 401.
  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether this request is signed in, and as whom (200 either way; GET /api/v1/me answers 401 when not)',
        response: { 200: SessionProbe },
      },
    },
    async (req) => {
      const pr = req.principal;
      return pr ? { signedIn: true, me: meView(pr, pr.session?.csrfToken ?? '') } : { signedIn: false };
    },
  );

  app.get(
    '/api/v1/me',
    { schema: { tags: ['account'], summary: 'Who am I', response: { 200: Me, ...errors(401) } } },
    async (req) => {
      const pr = requirePrincipal(req);
      // Token callers have no CSRF token: they do not need one.
      return meView(pr, pr.session?.csrfToken ?? '');
    },
  );
};
