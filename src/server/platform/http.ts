import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

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

function hasNul(v: unknown, depth = 0): boolean {
  if (depth > 64) return true;
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  // A streamed body (the raw request of intel uploads and attachments) is not walked: it is read as it arrives.
  if (v && typeof v === 'object' && typeof (v as { pipe?: unknown }).pipe === 'function') return false;
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
  return false;
}

export function installGuards(app: FastifyInstance) {
  // PostgreSQL text cannot hold NUL; refuse it up front instead of failing in the database.
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.body) || hasNul(req.query) || hasNul(req.params))
      throw new AppError('VALIDATION_FAILED', 'Text may not contain the NUL character (U+0000)');
  });
}

function send(reply: FastifyReply, err: AppError) {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.status(err.status).type('application/json').send({ error: { code: err.code, message: err.message, details: err.details ?? null } });
}

/** Map every error to the one envelope; nothing internal leaves a 5xx. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return send(reply, error);
    const fe = error as FastifyError & { validation?: unknown[]; validationContext?: string };
    if (fe.validation) {
      return send(
        reply,
        new AppError('VALIDATION_FAILED', `Invalid ${fe.validationContext ?? 'request'}: ${fe.message}`, {
          part: fe.validationContext,
          errors: (fe.validation as { instancePath?: string; message?: string; params?: unknown }[]).map((v) => ({
            path: v.instancePath,
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
export function installNotFound(app: FastifyInstance, appShell: Buffer | null) {
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const looksLikePage = req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (appShell && looksLikePage) return reply.type('text/html; charset=utf-8').send(appShell);
    return send(reply, new AppError('NOT_FOUND', `No route ${req.method} ${path}`));
  });
}
