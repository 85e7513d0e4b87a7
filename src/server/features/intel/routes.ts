import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { IntelListParam } from '#shared/filters';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { AudienceInput, Audience, Body, errors, Tlp, Uuid } from '../../platform/schemas.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { getObject, ingestBundle, listObjects, parseTlpList, submissionView, viewerOf } from './service.js';
import { deleteObject, getSubmission, uploadBundle } from './uploads.js';

export const StixId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', maxLength: 300 });

const Reason = Type.Object({ property: Type.String(), rule: Type.String(), message: Type.String() });
export const ObjectResult = Type.Object({
  id: Type.Union([Type.String(), Type.Null()]),
  type: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  tlp: Type.Optional(Tlp),
  reasons: Type.Optional(Type.Array(Reason)),
  notes: Type.Optional(Type.Array(Type.String())),
});
export const Submission = Type.Object({
  submissionId: Uuid,
  total: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(ObjectResult),
});
const Org = Type.Union([Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }), Type.Null()]);
const Summary = {
  id: StixId,
  type: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  version: Type.String(),
  revoked: Type.Boolean(),
  confidence: Type.Union([Type.Integer(), Type.Null()]),
  tlp: Tlp,
  addedAt: Type.String({ format: 'date-time' }),
  source: Type.String(),
  organisation: Org,
  audience: Audience,
  object: Type.Record(Type.String(), Type.Unknown()),
};
const ObjectItem = Type.Object(Summary);
/** An object listed on another's page as its member or its container. */
const Member = Type.Object({
  id: Type.String(),
  type: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  tlp: Tlp,
  relationship: Type.Union([Type.Object({ relationshipType: Type.String(), sourceRef: Type.String(), targetRef: Type.String() }), Type.Null()], {
    description: 'For a relationship: its type and ends',
  }),
});
const ObjectPage = Type.Object({
  ...Summary,
  canDelete: Type.Boolean({ description: 'The same as can.delete' }),
  can: Type.Object(
    {
      delete: Type.Boolean({
        description:
          'DELETE /api/v1/intel/objects/{id} will be allowed: it removes this viewer’s organisation’s copy (the versions it submitted that this viewer sees) — for the organisation’s admins, or for the person who submitted every one of those versions',
      }),
    },
    { description: 'What this viewer may do with the object' },
  ),
  descriptionHtml: Type.Union([Type.String(), Type.Null()], {
    description: 'The description rendered from Markdown and sanitised; ATT&CK citations "(Citation: Name)" become links to #ref-n, n being the 1-based position of that name in external_references',
  }),
  versions: Type.Array(Type.Object({ version: Type.String(), addedAt: Type.String(), tlp: Tlp, revoked: Type.Boolean() })),
  relationships: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      relationshipType: Type.String(),
      direction: Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]),
      other: Type.Object({ id: Type.String(), type: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
      tlp: Tlp,
    }),
  ),
  contains: Type.Array(Member, {
    description:
      'Of the objects this one gathers by object_refs (a report, grouping, note, opinion…), those this viewer may see, in their latest visible version; the others are left out and not counted',
  }),
  containedIn: Type.Array(Member, { description: 'The reports and groupings this viewer may see whose latest visible version lists this object in object_refs' }),
  correlations: Type.Array(
    Type.Object({
      kind: Type.String(),
      value: Type.String(),
      tooWide: Type.Boolean(),
      objects: Type.Array(Type.Object({ stixId: Type.String(), type: Type.String(), name: Type.Union([Type.String(), Type.Null()]), tlp: Type.String() })),
    }),
  ),
});

const TypeList = Type.String({ pattern: '^[a-z0-9-]+(,[a-z0-9-]+)*$', maxLength: 500 });
export const ListQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    type: Type.Optional(TypeList),
    tlp: Type.Optional(Type.String({ maxLength: 60 })),
    organisation: Type.Optional(Uuid),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2,3}$' })),
    sector: Type.Optional(Type.String({ maxLength: 60 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    technique: Type.Optional(Type.String({ pattern: '^[Tt][0-9]{4}(\\.[0-9]{3})?$' })),
    confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    revoked: Type.Optional(Type.Boolean()),
    origin: Type.Optional(
      Type.Union([Type.Literal('members'), Type.Literal('reference')], { description: "members: what members submitted; reference: the platform's own reference content (ATT&CK, KEV, TLP definitions)" }),
    ),
    excludeType: Type.Optional(TypeList),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  } satisfies Record<IntelListParam, TSchema>,
  { additionalProperties: false },
);
export type ListQueryInput = {
  q?: string;
  type?: string;
  tlp?: string;
  organisation?: string;
  country?: string;
  sector?: string;
  since?: string;
  until?: string;
  technique?: string;
  confidence?: number;
  revoked?: boolean;
  origin?: 'members' | 'reference';
  excludeType?: string;
  cursor?: string;
  limit?: number;
};
export function listQueryOf(q: ListQueryInput) {
  return {
    q: q.q,
    type: q.type ? q.type.split(',') : undefined,
    tlp: parseTlpList(q.tlp),
    organisation: q.organisation,
    country: q.country,
    sector: q.sector,
    since: q.since,
    until: q.until,
    technique: q.technique,
    minConfidence: q.confidence,
    revoked: q.revoked,
    origin: q.origin,
    excludeType: q.excludeType ? q.excludeType.split(',') : undefined,
    cursor: q.cursor,
    limit: q.limit,
  };
}

/** The STIX 2.1 store through the REST API. TAXII has its own routes (taxii/routes.ts). */
export const intelRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.post(
    '/api/v1/intel/bundles',
    {
      bodyLimit: p.config.intelBundleMaxBytes,
      schema: {
        tags: ['intel'],
        summary: 'Submit a STIX 2.1 bundle: valid objects commit together, each object gets a status',
        description:
          'Objects keep their own TLP markings; `tlp` is a floor (never loosens an object) and the marking for objects that carry none. `audience` names who AMBER/AMBER+STRICT/RED objects reach. Answers 201 when something was stored, 200 when everything was already there, 400 BUNDLE_REJECTED when nothing could be stored.',
        body: Body({ bundle: Type.Record(Type.String(), Type.Unknown()), tlp: Type.Optional(Tlp), audience: Type.Optional(AudienceInput) }),
        response: { 200: Submission, 201: Submission, ...errors(400, 401, 403, 413) },
      },
    },
    async (req, reply) => {
      const r = await ingestBundle(p, actorOf(req), req.body);
      return reply.status(r.accepted > 0 ? 201 : 200).send(submissionView(r));
    },
  );
  app.get(
    '/api/v1/intel/objects',
    {
      schema: {
        tags: ['intel'],
        summary: 'Latest visible version of each object this viewer may see, newest first, with filters and cursor paging',
        querystring: ListQuerySchema,
        response: { 200: Type.Object({ items: Type.Array(ObjectItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400, 401) },
      },
    },
    async (req) => listObjects(p, viewerOf(req), listQueryOf(req.query)),
  );
  app.get(
    '/api/v1/intel/objects/:id',
    {
      schema: {
        tags: ['intel'],
        summary: 'One object (latest version this viewer may see) with its versions, relationships, members, containers and correlations',
        params: Type.Object({ id: StixId }),
        response: { 200: ObjectPage, ...errors(404) },
      },
    },
    async (req) => getObject(p, req.principal, req.params.id),
  );
  app.delete(
    '/api/v1/intel/objects/:id',
    {
      schema: {
        tags: ['intel'],
        summary: "Delete this organisation's copy of an object (every version); organisation admins and the submitting person only",
        params: Type.Object({ id: StixId }),
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteObject(p, actorOf(req), req.params.id, null);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/intel/submissions/:id',
    {
      schema: {
        tags: ['intel'],
        summary: 'The status of one of your submissions (per-object results)',
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Object({ ...Submission.properties, source: Type.String(), createdAt: Type.String() }), ...errors(401, 404) },
      },
    },
    async (req) => getSubmission(p, requireVetted(req), req.params.id),
  );

  // Uploads stream: the body is read as it arrives (up to PUENTE_INTEL_UPLOAD_MAX_BYTES), never parsed whole.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post(
      '/api/v1/intel/uploads',
      {
        schema: {
          tags: ['intel'],
          summary: 'Upload a STIX 2.1 bundle file (streamed, up to PUENTE_INTEL_UPLOAD_MAX_BYTES)',
          description: 'Body: the bundle JSON (application/json or application/stix+json). Marking as query parameters: tlp, organisations, communities, people (comma-separated ids).',
          querystring: Type.Object(
            {
              tlp: Type.Optional(Tlp),
              organisations: Type.Optional(Type.String({ maxLength: 20_000 })),
              communities: Type.Optional(Type.String({ maxLength: 4_000 })),
              people: Type.Optional(Type.String({ maxLength: 20_000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Submission, 201: Submission, ...errors(400, 401, 403, 413, 415) },
        },
      },
      async (req, reply) => {
        const r = await uploadBundle(p, actorOf(req), req.body as NodeJS.ReadableStream, req.headers['content-type'], req.query as Parameters<typeof uploadBundle>[4]);
        return reply.status(r.accepted > 0 ? 201 : 200).send(submissionView(r));
      },
    );
  });
};
