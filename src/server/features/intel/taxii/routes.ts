import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Platform } from '../../../platform/deps.js';
import { actorOf } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { credentialsFromHeader } from '../../../platform/auth/plugin.js';
import { requirePrincipal } from '../../../platform/auth/principal.js';
import {
  addObjects,
  API_ROOT_PATH,
  collectionResource,
  collectionsFor,
  dateHeaders,
  deleteFromCollection,
  envelopeText,
  findCollection,
  manifestResource,
  objectExists,
  pageOf,
  parseFilters,
  statusResource,
  TAXII_MEDIA_TYPE,
  TaxiiError,
  taxiiPrincipal,
  versionsResource,
  type RawQuery,
} from './service.js';

/**
 * TAXII 2.1 server, mounted at /taxii2 (see service.ts for what the collections are).
 *
 * Everything here answers in `application/taxii+json;version=2.1`, errors
 * included (TAXII error messages). Clients authenticate with an API token, as
 * `Authorization: Bearer <token>` or HTTP Basic with the account's e-mail and
 * the token as password; session cookies are not used here.
 */

const SPEC = 'https://docs.oasis-open.org/cti/taxii/v2.1/os/taxii-v2.1-os.html';
const REALM = 'Basic realm="Puente TAXII"';
const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** A TAXII error message; also used by app.ts for errors found before routing under /taxii2. */
export function sendTaxiiError(reply: FastifyReply, status: number, code: string, description: string, details?: unknown) {
  return sendError(reply, status, code, description, details);
}

function sendError(reply: FastifyReply, status: number, code: string, description: string, details?: unknown) {
  if (status === 401) reply.header('WWW-Authenticate', REALM);
  const body = {
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Request Error'),
    description,
    error_id: newId(),
    error_code: code,
    http_status: String(status),
    external_details: SPEC,
    ...(details !== undefined && details !== null ? { details: typeof details === 'object' && !Array.isArray(details) ? details : { value: details } } : {}),
  };
  return reply.status(status).type(TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body)));
}

/** Is the TAXII 2.1 media type among what the client accepts? No Accept header accepts anything. */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((s) => s.trim());
    const ps = new Map(params.map((x) => {
      const i = x.indexOf('=');
      return [x.slice(0, i).trim().toLowerCase(), x.slice(i + 1).trim().replace(/^"(.*)"$/, '$1')] as const;
    }));
    if (ps.get('q') !== undefined && Number(ps.get('q')) === 0) continue;
    const t = (type ?? '').toLowerCase();
    if (t === '*/*' || t === 'application/*') return true;
    if (t === 'application/taxii+json' && (ps.get('version') === undefined || ps.get('version') === '2.1')) return true;
  }
  return false;
}

/** Is this Content-Type the TAXII 2.1 media type (the version parameter may be left out: latest)? */
function isTaxiiContentType(ct: string | undefined): boolean {
  if (!ct) return false;
  const [type, ...params] = ct.split(';').map((s) => s.trim());
  if (type?.toLowerCase() !== 'application/taxii+json') return false;
  for (const p of params) {
    const [k, v] = p.split('=').map((s) => s.trim());
    if (k?.toLowerCase() === 'version' && v?.replace(/^"(.*)"$/, '$1') !== '2.1') return false;
  }
  return true;
}

async function authenticate(p: Platform, req: FastifyRequest) {
  let header: ReturnType<typeof credentialsFromHeader>;
  try {
    header = credentialsFromHeader(req);
  } catch (e) {
    throw e instanceof AppError ? new TaxiiError(401, e.code, e.message) : e;
  }
  if (!header) throw new TaxiiError(401, 'UNAUTHENTICATED', 'Authenticate with an API token: HTTP Basic (your e-mail and the token) or Bearer');
  req.principal = await taxiiPrincipal(p, header, req.method);
}

// ---------------------------------------------------------------- schemas (for the OpenAPI document)

const Str = Type.String();
const Discovery = Type.Object({ title: Str, description: Str, default: Str, api_roots: Type.Array(Str) });
const ApiRoot = Type.Object({ title: Str, description: Str, versions: Type.Array(Str), max_content_length: Type.Integer() });
const CollectionSchema = Type.Object({ id: Str, title: Str, description: Str, can_read: Type.Boolean(), can_write: Type.Boolean(), media_types: Type.Array(Str) });
const Envelope = Type.Object({ more: Type.Boolean(), next: Type.Optional(Str), objects: Type.Optional(Type.Array(Type.Record(Str, Type.Unknown()))) });
const Manifest = Type.Object({
  more: Type.Boolean(),
  next: Type.Optional(Str),
  objects: Type.Optional(Type.Array(Type.Object({ id: Str, date_added: Str, version: Str, media_type: Str }))),
});
const Versions = Type.Object({ more: Type.Boolean(), next: Type.Optional(Str), versions: Type.Optional(Type.Array(Str)) });
const StatusDetails = Type.Array(Type.Object({ id: Str, version: Str, message: Type.Optional(Str) }));
const Status = Type.Object({
  id: Str,
  status: Str,
  request_timestamp: Str,
  total_count: Type.Integer(),
  success_count: Type.Integer(),
  successes: Type.Optional(StatusDetails),
  failure_count: Type.Integer(),
  failures: Type.Optional(StatusDetails),
  pending_count: Type.Integer(),
  pendings: Type.Optional(StatusDetails),
});
const TaxiiErrorSchema = Type.Object({
  title: Str,
  description: Type.Optional(Str),
  error_id: Type.Optional(Str),
  error_code: Type.Optional(Str),
  http_status: Type.Optional(Str),
  external_details: Type.Optional(Str),
  details: Type.Optional(Type.Record(Str, Type.Unknown())),
});
const errs = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, TaxiiErrorSchema]));
const Query = (names: string[]) => Type.Object(Object.fromEntries(names.map((n) => [n, Type.Optional(Type.Unknown())])) as Record<string, TSchema>, { additionalProperties: true });
const OBJECTS_FILTERS = ['added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'] as const;
const OBJECT_FILTERS = ['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]'] as const;
const VERSIONS_FILTERS = ['added_after', 'limit', 'next', 'match[spec_version]'] as const;
const DELETE_FILTERS = ['match[version]', 'match[spec_version]'] as const;
const CollectionParams = Type.Object({ collection: Str });
const ObjectParams = Type.Object({ collection: Str, object: Str });

const send = (reply: FastifyReply, body: unknown, headers: Record<string, string> = {}, status = 200) =>
  reply
    .status(status)
    .headers(headers)
    .type(TAXII_MEDIA_TYPE)
    .send(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));

export const taxiiRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  const maxPage = p.config.taxiiMaxPage;

  app.setErrorHandler((error: FastifyError | AppError | TaxiiError, req, reply) => {
    if (error instanceof TaxiiError) return sendError(reply, error.status, error.code, error.message, error.details);
    if (error instanceof AppError) {
      if (error.headers) for (const [k, v] of Object.entries(error.headers)) if (k.toLowerCase() !== 'content-type') reply.header(k, v);
      return sendError(reply, error.status, error.code, error.message, error.details);
    }
    const fe = error as FastifyError & { validation?: unknown[]; validationContext?: string };
    if (fe.validation) return sendError(reply, 400, 'VALIDATION_FAILED', `Invalid ${fe.validationContext ?? 'request'}: ${fe.message}`);
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', `The request is larger than max_content_length (${p.config.intelBundleMaxBytes} bytes)`, { max_content_length: p.config.intelBundleMaxBytes });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', `Send the envelope as ${TAXII_MEDIA_TYPE}`);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 400, 'INVALID_JSON', 'The body is empty');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendError(reply, 400, 'INVALID_JSON', 'The body is not valid JSON');
    }
    if (error instanceof SyntaxError) return sendError(reply, 400, 'INVALID_JSON', 'The body is not valid JSON');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return sendError(reply, fe.statusCode, 'BAD_REQUEST', fe.message);
    req.log.error({ err: error }, 'unhandled error (TAXII)');
    return sendError(reply, 500, 'INTERNAL', 'Something went wrong on our side; it has been logged');
  });
  // Unknown paths under /taxii2 answer as TAXII (never the web app's shell).
  app.setNotFoundHandler(async (req, reply) => sendError(reply, 404, 'NOT_FOUND', `No TAXII resource ${req.method} ${req.url.split('?')[0]}`));

  // Only the TAXII media type is read here (with the bundle size limit); anything else is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/taxii+json', { parseAs: 'string', bodyLimit: p.config.intelBundleMaxBytes }, (req, body, done) => {
    if (!isTaxiiContentType(req.headers['content-type'])) return done(new TaxiiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the envelope as ${TAXII_MEDIA_TYPE}`), undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new TaxiiError(400, 'INVALID_JSON', 'The body is not valid JSON'), undefined);
    }
  });

  app.addHook('onRequest', async (req) => {
    await authenticate(p, req);
    if (!acceptsTaxii(req.headers.accept)) throw new TaxiiError(406, 'NOT_ACCEPTABLE', `This server answers in ${TAXII_MEDIA_TYPE}; the Accept header does not allow it`, { accept: req.headers.accept });
  });

  const tags = ['taxii'];
  const collection = (req: FastifyRequest<{ Params: { collection: string } }>) => findCollection(p, requirePrincipal(req), req.params.collection);

  app.get(
    '/',
    { schema: { tags, summary: 'TAXII 2.1 discovery', response: { 200: Discovery, ...errs(401, 406) } } },
    async (_req, reply) => {
      const root = `${p.config.baseUrl.replace(/\/$/, '')}${API_ROOT_PATH}`;
      return send(reply, {
        title: 'Puente TAXII 2.1',
        description: 'Threat intelligence of the EU-LAC Digital Alliance cyber community. Every answer is filtered by the TLP 2.0 and audience policy for the account asking.',
        default: root,
        api_roots: [root],
      });
    },
  );

  app.get(
    '/api/',
    { schema: { tags, summary: 'TAXII 2.1 API root', response: { 200: ApiRoot, ...errs(401, 406) } } },
    async (_req, reply) =>
      send(reply, {
        title: 'Puente',
        description: 'STIX 2.1 objects of Puente members and reference content (ATT&CK for ICS, TLP marking definitions, KEV).',
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: p.config.intelBundleMaxBytes,
      }),
  );

  app.get(
    '/api/collections/',
    { schema: { tags, summary: 'The collections of the account asking', response: { 200: Type.Object({ collections: Type.Array(CollectionSchema) }), ...errs(401, 406) } } },
    async (req, reply) => send(reply, { collections: (await collectionsFor(p, requirePrincipal(req))).map(collectionResource) }),
  );

  app.get(
    '/api/collections/:collection/',
    { schema: { tags, summary: 'One collection', params: CollectionParams, response: { 200: CollectionSchema, ...errs(401, 404, 406) } } },
    async (req, reply) => send(reply, collectionResource(await collection(req))),
  );

  app.get(
    '/api/collections/:collection/objects/',
    { schema: { tags, summary: 'Objects of a collection (envelope), in date_added order', params: CollectionParams, querystring: Query([...OBJECTS_FILTERS]), response: { 200: Envelope, ...errs(400, 401, 404, 406) } } },
    async (req, reply) => {
      const c = await collection(req);
      const page = await pageOf(p, requirePrincipal(req).viewer, c, parseFilters(req.query as RawQuery, maxPage, [...OBJECTS_FILTERS]), null);
      return send(reply, envelopeText(page), dateHeaders(page.rows));
    },
  );

  app.post(
    '/api/collections/:collection/objects/',
    {
      bodyLimit: p.config.intelBundleMaxBytes,
      schema: {
        tags,
        summary: 'Add objects (a TAXII envelope); answers 202 with the status resource',
        params: CollectionParams,
        response: { 202: Status, ...errs(400, 401, 403, 404, 406, 413, 415) },
      },
    },
    async (req, reply) => {
      const c = await collection(req);
      if (!isTaxiiContentType(req.headers['content-type'])) throw new TaxiiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the envelope as ${TAXII_MEDIA_TYPE}`);
      return send(reply, await addObjects(p, actorOf(req), c, req.body), {}, 202);
    },
  );

  app.get(
    '/api/collections/:collection/objects/:object/',
    { schema: { tags, summary: 'One object of a collection (envelope of its versions)', params: ObjectParams, querystring: Query([...OBJECT_FILTERS]), response: { 200: Envelope, ...errs(400, 401, 404, 406) } } },
    async (req, reply) => {
      const c = await collection(req);
      const viewer = requirePrincipal(req).viewer;
      const f = parseFilters(req.query as RawQuery, maxPage, [...OBJECT_FILTERS]);
      const page = await pageOf(p, viewer, c, f, req.params.object);
      if (!page.rows.length && !f.next && !(await objectExists(p, viewer, c, req.params.object))) throw new TaxiiError(404, 'NOT_FOUND', 'Object not found');
      return send(reply, envelopeText(page), dateHeaders(page.rows));
    },
  );

  app.delete(
    '/api/collections/:collection/objects/:object/',
    { schema: { tags, summary: "Delete an object (your organisation's copy; all versions unless match[version] says)", params: ObjectParams, querystring: Query([...DELETE_FILTERS]), response: { 200: Type.Unknown({ description: 'Empty body' }), ...errs(400, 401, 403, 404, 406) } } },
    async (req, reply) => {
      const c = await collection(req);
      await deleteFromCollection(p, actorOf(req), c, req.params.object, parseFilters(req.query as RawQuery, maxPage, [...DELETE_FILTERS], 'all'));
      return reply.status(200).type(TAXII_MEDIA_TYPE).send(Buffer.alloc(0));
    },
  );

  app.get(
    '/api/collections/:collection/objects/:object/versions/',
    { schema: { tags, summary: 'The versions of an object', params: ObjectParams, querystring: Query([...VERSIONS_FILTERS]), response: { 200: Versions, ...errs(400, 401, 404, 406) } } },
    async (req, reply) => {
      const c = await collection(req);
      const viewer = requirePrincipal(req).viewer;
      const f = parseFilters(req.query as RawQuery, maxPage, [...VERSIONS_FILTERS], 'all');
      const page = await pageOf(p, viewer, c, f, req.params.object);
      if (!page.rows.length && !f.next && !(await objectExists(p, viewer, c, req.params.object))) throw new TaxiiError(404, 'NOT_FOUND', 'Object not found');
      return send(reply, versionsResource(page), dateHeaders(page.rows));
    },
  );

  app.get(
    '/api/collections/:collection/manifest/',
    { schema: { tags, summary: 'Manifest of a collection', params: CollectionParams, querystring: Query([...OBJECTS_FILTERS]), response: { 200: Manifest, ...errs(400, 401, 404, 406) } } },
    async (req, reply) => {
      const c = await collection(req);
      const page = await pageOf(p, requirePrincipal(req).viewer, c, parseFilters(req.query as RawQuery, maxPage, [...OBJECTS_FILTERS]), null);
      return send(reply, manifestResource(page), dateHeaders(page.rows));
    },
  );

  app.get(
    '/api/status/:status/',
    { schema: { tags, summary: 'The status of an add-objects request (its submitter only)', params: Type.Object({ status: Str }), response: { 200: Status, ...errs(401, 404, 406) } } },
    async (req, reply) => send(reply, await statusResource(p, requirePrincipal(req), req.params.status)),
  );
};
