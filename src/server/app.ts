import zlib from 'node:zlib';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from './platform/errors.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandler, installGuards, installNotFound, installResponseHeaders, installValidators } from './platform/http.js';
import { platformOf, type AppDeps, type Platform } from './platform/deps.js';
import { registerWebApp } from './platform/web-app.js';
import { ErrorResponse } from './platform/schemas.js';
import authPlugin from './platform/auth/plugin.js';
import { heldSessionOf } from './platform/auth/session-cookie.js';
import { findSessionPrincipal } from './platform/auth/sessions.js';
import { BatchedCounters, postgresRateLimitStore } from './platform/rate-limit-store.js';
import { FEATURES } from './features/index.js';
import { sendTaxiiError } from './features/intel/taxii/routes.js';

export const API_VERSION = '1.0.0';

/** Believe the nearest `n` proxies and no further hop. */
const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

export interface BuildOptions {
  logger?: boolean | object;
  /** Serve the built web app from config.webDir (off in API-only tests). */
  serveWeb?: boolean;
}

/**
 * Build the HTTP application around already-open platform services. main.ts
 * and the tests both call this; nothing here opens or closes the database.
 */
export async function buildApp(deps: AppDeps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const p: Platform = platformOf(deps);
  const isTaxii = (url: string) => url.startsWith('/taxii2/') || url === '/taxii2';
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: typeof deps.config.trustProxy === 'number' ? trustHops(deps.config.trustProxy) : deps.config.trustProxy,
    routerOptions: { maxParamLength: 200 },
    // Errors found before routing (a path that is not UTF-8, a parameter over 200 characters) and
    // by Node's HTTP parser (oversized headers) answer in the error envelope too — TAXII's under /taxii2.
    frameworkErrors: frameworkErrorHandler((req, reply, e) => (isTaxii(req.url) ? (sendTaxiiError(reply, e.status, e.code, e.message), true) : false)),
    clientErrorHandler,
    return503OnClosing: true,
    // Access logs belong to the reverse proxy; the service logs what goes wrong (see http.ts).
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  installErrorHandler(app);
  app.addSchema(ErrorResponse);

  // Strict CSP for the web app: no inline or foreign scripts. Mantine sets style
  // attributes at run time, hence 'unsafe-inline' for styles only.
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: deps.config.baseUrl.startsWith('https:') ? [] : null,
      },
    },
    hsts: deps.config.baseUrl.startsWith('https:') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // The same as frame-ancestors 'none', for browsers that read only this header.
    frameguard: { action: 'deny' },
  });
  installResponseHeaders(app, (url) => url.startsWith('/api/') || isTaxii(url));
  // Answers of 1 KiB or more compressed for clients that accept it (a 46 KB page of intel objects
  // is 8 KB in brotli: a quarter of a second less on the slow mobile links members use). Not for
  // what can carry a secret beside text a third party chose (BREACH): the sign-in routes (the
  // session's CSRF token) and every answer to a write (new API tokens, MFA secrets, invitations).
  // Request bodies are never inflated: the body limits count what was sent. The web app's own
  // files come precompressed (platform/web-app.ts) and the event stream is written raw.
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.every((m) => m === 'GET' || m === 'HEAD') || route.url.startsWith('/api/v1/auth/')) route.compress = false;
  });
  await app.register(compress, {
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  // Closed unless PUENTE_CORS_ORIGINS names origins.
  await app.register(cors, { origin: deps.config.corsOrigins.length ? deps.config.corsOrigins : false, credentials: true });
  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Puente API',
        version: API_VERSION,
        description: 'REST API of Puente, the EU-LAC Digital Alliance Cyber Collaboration Platform. Every read is filtered by the TLP 2.0 + audience policy.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      servers: [{ url: deps.config.baseUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'puente_session' },
          bearer: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic', description: 'E-mail as user name, API token as password' },
        },
      },
      security: [{ session: [] }, { bearer: [] }, { basic: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) || `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, transformSpecificationClone: true });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    deps.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  await app.register(authPlugin, { db: p.db, session: deps.config.session });
  const counters = new BatchedCounters(p.db);
  app.addHook('onClose', async () => counters.stop());
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    // TAXII clients page through whole collections: they get their own limit and counter, so a
    // poller never locks its owner out of the REST API and the web app (nor the other way round).
    max: (req) => (isTaxii(req.url) ? deps.config.rateLimit.taxiiPerMinute : deps.config.rateLimit.apiPerMinute),
    timeWindow: 60_000,
    store: postgresRateLimitStore(p.db, counters) as never,
    keyGenerator: (req) => `${isTaxii(req.url) ? 'taxii:' : ''}${req.principal ? `person:${req.principal.person.id}` : `ip:${req.ip}`}`,
    allowList: (req) => !(req.url.startsWith('/api/') || req.url.startsWith('/taxii2/')) || req.url.startsWith('/api/docs'),
    errorResponseBuilder: (_req, ctx) =>
      new AppError('RATE_LIMITED', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`, { limit: ctx.max, retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }),
  });
  installGuards(app);

  // Each plugin gets the platform; the feature list too, for what reads across features (a concept's page).
  for (const feature of FEATURES) for (const r of feature.routes ?? []) await app.register(r.plugin, r.prefix ? { p, features: FEATURES, prefix: r.prefix } : { p, features: FEATURES });

  // The built web app, precompressed, its hashed assets cached for a year (platform/web-app.ts).
  // A page's shell preloads the answers it shows first only for a live session the API would
  // accept (the same check as the auth plugin's), so that no preload is answered 401 or 403.
  const signedIn = async (req: FastifyRequest) => {
    const held = heldSessionOf(req);
    const found = held ? await findSessionPrincipal(p.db, held, deps.config.session) : null;
    return !!found && !found.parts.mfaEnrolmentRequired;
  };
  const appShell = opts.serveWeb !== false ? await registerWebApp(app, deps.config.webDir, signedIn) : null;
  installNotFound(app, appShell);
  return app;
}
