import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { ErrorObject } from './schemas.js';
import type { ShellSender } from './web-app.js';

/**
 * Bodies are validated strictly: no type coercion, and unknown fields are an
 * error rather than silently dropped, so a client learns of its mistake.
 * Query strings and path parameters are text by nature and are coerced.
 */
export function installValidators(app: FastifyInstance) {
  const strict = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false });
  const lenient = new Ajv({ allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false });
  for (const a of [strict, lenient]) {
    addFormats.default(a);
    a.addKeyword('x-example');
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : lenient).compile(schema));
  // Bodies are JSON only: Fastify's built-in text/plain parser would hand the body schema a
  // string (400 "must be object") instead of answering 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
}

/** Deepest nesting of arrays and objects accepted in a request (documented in docs/api.md). */
export const MAX_JSON_DEPTH = 64;

/** What is wrong with the input, walking it once: a NUL character, nesting beyond MAX_JSON_DEPTH, or nothing. */
function inputProblem(v: unknown, depth = 0): 'nul' | 'too_deep' | null {
  if (typeof v === 'string') return v.includes('\u0000') ? 'nul' : null;
  if (!v || typeof v !== 'object') return null;
  // A streamed body (the raw request of intel uploads and attachments) is not walked: it is read as it arrives.
  if (typeof (v as { pipe?: unknown }).pipe === 'function' || Buffer.isBuffer(v)) return null;
  if (depth >= MAX_JSON_DEPTH) return 'too_deep';
  if (Array.isArray(v)) {
    for (const x of v) {
      const p = inputProblem(x, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('\u0000')) return 'nul';
    const p = inputProblem(x, depth + 1);
    if (p) return p;
  }
  return null;
}

export function installGuards(app: FastifyInstance) {
  // PostgreSQL text cannot hold NUL; refuse it up front instead of failing in the database.
  // Nesting is bounded so that no later walk of the input (validation, STIX checks) recurses without end.
  app.addHook('preValidation', async (req) => {
    const problem = inputProblem(req.body) ?? inputProblem(req.query) ?? inputProblem(req.params);
    if (problem === 'nul') throw new AppError('VALIDATION_FAILED', 'Text may not contain the NUL character (U+0000)', { reason: 'nul' });
    if (problem === 'too_deep')
      throw new AppError('VALIDATION_FAILED', `The input is nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects`, { reason: 'too_deep', maxDepth: MAX_JSON_DEPTH });
  });
}

const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'clipboard-read=()',
  // The copy buttons (tokens, recovery codes, MFA secret, exports) write to the clipboard.
  'clipboard-write=(self)',
  'display-capture=()',
  'encrypted-media=()',
  'fullscreen=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'interest-cohort=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'picture-in-picture=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

/** Headers helmet does not set: a Permissions-Policy on every answer, and no caching of API answers. */
export function installResponseHeaders(app: FastifyInstance, isApi: (url: string) => boolean) {
  app.addHook('onRequest', async (_req, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
  });
  // API answers are personal (they depend on who asks) and often marked TLP: no cache keeps them.
  // A route that chose its own policy (the organisation logo: revalidated by ETag) keeps it.
  app.addHook('onSend', async (req, reply) => {
    if (isApi(req.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}

function frameworkError(code: string | undefined): AppError {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return new AppError('BAD_REQUEST', 'The path is not valid: its percent-encoding is malformed or does not decode to UTF-8', { reason: 'bad_path' });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError('URI_TOO_LONG', 'A part of the path is longer than 200 characters', { maxLength: 200 });
    default:
      return new AppError('BAD_REQUEST', 'The request cannot be handled as sent');
  }
}

/**
 * Fastify's `frameworkErrors`: errors found before a route is chosen. `alt`
 * may answer in another format (TAXII under /taxii2) and returns true when it did.
 */
export function frameworkErrorHandler(alt: (req: FastifyRequest, reply: FastifyReply, e: AppError) => boolean) {
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const e = frameworkError(error.code);
    // No route, so no onRequest hooks: the headers that matter for an error are set here.
    reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').header('permissions-policy', PERMISSIONS_POLICY);
    if (alt(req, reply, e)) return;
    send(reply, e);
  };
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the request
 * (headers over its limit, not HTTP at all, too slow). There is no request
 * object, so the answer is written to the socket by hand — in the envelope.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE', 'The request line and headers are larger than the server reads (16 KiB)')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('REQUEST_TIMEOUT', 'The request did not arrive in time')
        : new AppError('BAD_REQUEST', 'The request is not valid HTTP');
  const body = JSON.stringify({ error: { code: e.code, message: e.message, details: null } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

function send(reply: FastifyReply, err: AppError) {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.status(err.status).type('application/json').send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
}

/** Map every error to the one envelope; nothing internal leaves a 5xx. */
export function installErrorHandler(app: FastifyInstance) {
  // What `send` answers, for the response schemas (ErrorResponse refers to it) and the OpenAPI document.
  app.addSchema(ErrorObject);
  app.setErrorHandler((error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return send(reply, error);
    const fe = error as FastifyError & { validation?: unknown[]; validationContext?: string };
    if (fe.validation) {
      return send(
        reply,
        new AppError('VALIDATION_FAILED', `Invalid ${fe.validationContext ?? 'request'}: ${fe.message}`, {
          part: fe.validationContext,
          errors: (fe.validation as { instancePath?: string; keyword?: string; message?: string; params?: unknown }[]).map((v) => ({
            path: v.instancePath,
            // The rule that failed (required, minLength, format, …): clients say it in the person's language.
            keyword: v.keyword,
            message: v.message,
            params: v.params,
          })),
        }),
      );
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, new AppError('PAYLOAD_TOO_LARGE', 'The request body is larger than allowed', { limitBytes: req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit }));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, new AppError('INVALID_JSON', 'The JSON body is empty'));
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, new AppError('INVALID_JSON', 'The body is not valid JSON'));
    }
    if (error instanceof SyntaxError || fe.statusCode === 400) {
      return send(reply, new AppError('INVALID_JSON', 'The body is not valid JSON'));
    }
    if (fe.statusCode === 429) return send(reply, new AppError('RATE_LIMITED', 'Too many requests; slow down'));
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, new AppError('BAD_REQUEST', fe.message));
    }
    req.log.error({ err: error }, 'unhandled error');
    return send(reply, new AppError('INTERNAL', 'Something went wrong on our side; it has been logged'));
  });
}

/** 404 for unknown routes; with a web app, client-side routes get its shell instead. */
export function installNotFound(app: FastifyInstance, sendShell: ShellSender | null) {
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const looksLikePage = req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (sendShell && looksLikePage) return sendShell(req, reply);
    return send(reply, new AppError('NOT_FOUND', `No route ${req.method} ${path}`));
  });
}
