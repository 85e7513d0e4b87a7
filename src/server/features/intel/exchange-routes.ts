import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { AudienceInput, Body, errors, Tlp, Uuid } from '../../platform/schemas.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { exportObjects, importCsaf, importKev, importMispEvent, mispFeedFor } from './exchange.js';
import { isSecretariat, reportSighting, sightingAggregates, sightingsOf } from './sightings.js';
import { organisationIdentity } from './identities.js';
import { createSubscription, deleteSubscription, listSubscriptions, pollNow, updateSubscription } from './subscriptions.js';
import { attackMatrix, getVulnerability, listVulnerabilities } from './browse.js';
import { listQueryOf, ListQuerySchema, StixId, Submission, type ListQueryInput } from './routes.js';
import { viewerOf } from './service.js';

const Unmapped = Type.Object({ what: Type.String(), reason: Type.String() });
const CommunityList = Type.Optional(Type.String({ pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$', maxLength: 4000 }));
const ImportQuery = Type.Object({ tlp: Type.Optional(Tlp), communities: CommunityList }, { additionalProperties: false });
const split = (v: string | undefined) => (v ? v.split(',') : []);
const Kev = Type.Union([
  Type.Object({
    dateAdded: Type.String(),
    dueDate: Type.String(),
    knownRansomwareCampaignUse: Type.String(),
    vendorProject: Type.String(),
    product: Type.String(),
    requiredAction: Type.String(),
  }),
  Type.Null(),
]);
const Vulnerability = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  tlp: Type.String(),
  cve: Type.Union([Type.String(), Type.Null()]),
  kev: Kev,
  csaf: Type.Union([Type.Object({ publisher: Type.String(), trackingId: Type.String() }), Type.Null()]),
  affectedProducts: Type.Array(Type.String()),
  affectsUs: Type.Object({ organisations: Type.Integer(), mine: Type.Boolean() }),
});
const Ref = Type.Object({ id: Type.String(), externalId: Type.Union([Type.String(), Type.Null()]), name: Type.String() });
const SightingsSummary = Type.Object({
  total: Type.Object({ count: Type.Integer(), reports: Type.Integer(), firstSeen: Type.Union([Type.String(), Type.Null()]), lastSeen: Type.Union([Type.String(), Type.Null()]) }),
  byCountry: Type.Array(Type.Object({ country: Type.String(), count: Type.Integer() })),
  bySector: Type.Array(Type.Object({ sector: Type.String(), count: Type.Integer() })),
  items: Type.Array(
    Type.Object({
      id: Uuid,
      count: Type.Integer(),
      firstSeen: Type.String(),
      lastSeen: Type.String(),
      country: Type.Union([Type.String(), Type.Null()]),
      sector: Type.Union([Type.String(), Type.Null()]),
      anonymous: Type.Boolean(),
      affectsUs: Type.Boolean(),
      tlp: Tlp,
      organisation: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
    }),
  ),
});

/** Exchange formats (MISP, CSAF, KEV, exports, MISP feed), sightings, vulnerabilities and the ATT&CK browser. */
export const intelExchangeRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.post(
    '/api/v1/intel/misp/events',
    {
      bodyLimit: p.config.intelBundleMaxBytes,
      schema: {
        tags: ['intel'],
        summary: 'Import a MISP JSON event ({"Event": {…}}) as STIX 2.1; answers with what was created and what could not be mapped',
        querystring: ImportQuery,
        body: Type.Record(Type.String(), Type.Unknown()),
        response: {
          201: Type.Object({ ...Submission.properties, reportId: Type.String(), unmapped: Type.Array(Unmapped), notes: Type.Array(Unmapped), marking: Type.Object({ tlp: Tlp, audience: Type.Any() }) }),
          200: Type.Object({ ...Submission.properties, reportId: Type.String(), unmapped: Type.Array(Unmapped), notes: Type.Array(Unmapped), marking: Type.Object({ tlp: Tlp, audience: Type.Any() }) }),
          ...errors(400, 401, 403, 413),
        },
      },
    },
    async (req, reply) => {
      const r = await importMispEvent(p, actorOf(req), req.body, { tlp: req.query.tlp, communities: split(req.query.communities) });
      return reply.status(r.accepted > 0 ? 201 : 200).send(r);
    },
  );
  app.post(
    '/api/v1/intel/vulnerabilities/csaf',
    {
      bodyLimit: p.config.intelBundleMaxBytes,
      schema: {
        tags: ['intel'],
        summary: 'Import a CSAF 2.0 advisory (validated against the CSAF schema) as STIX vulnerabilities',
        querystring: ImportQuery,
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 201: Type.Object({ ...Submission.properties, reportId: Type.String(), problems: Type.Array(Type.String()) }), 200: Type.Object({ ...Submission.properties, reportId: Type.String(), problems: Type.Array(Type.String()) }), ...errors(400, 401, 403, 413) },
      },
    },
    async (req, reply) => {
      const r = await importCsaf(p, actorOf(req), req.body, { tlp: req.query.tlp, communities: split(req.query.communities) });
      return reply.status(r.accepted > 0 ? 201 : 200).send(r);
    },
  );
  app.post(
    '/api/v1/intel/vulnerabilities/kev',
    {
      bodyLimit: p.config.intelBundleMaxBytes,
      schema: {
        tags: ['intel'],
        summary: 'Load a CISA KEV catalogue as CLEAR reference content (secretariat)',
        body: Type.Record(Type.String(), Type.Unknown()),
        response: { 201: Submission, 200: Submission, ...errors(400, 401, 403, 413) },
      },
    },
    async (req, reply) => {
      const r = await importKev(p, actorOf(req), req.body);
      return reply.status(r.accepted > 0 ? 201 : 200).send({ submissionId: r.submissionId, total: r.total, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, results: r.results });
    },
  );
  app.get(
    '/api/v1/intel/export',
    {
      schema: {
        tags: ['intel'],
        summary: 'Export what this viewer may see, with the list filters: a STIX 2.1 bundle, CSV, or one MISP event',
        querystring: Type.Object(
          { ...ListQuerySchema.properties, format: Type.Union([Type.Literal('stix'), Type.Literal('csv'), Type.Literal('misp')]), id: Type.Optional(Type.Array(StixId, { maxItems: 1000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Any(), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const { format, id, ...rest } = req.query as ListQueryInput & { format: 'stix' | 'csv' | 'misp'; id?: string[] };
      const out = await exportObjects(p, actorOf(req), format, { ...listQueryOf(rest), id: id ? (Array.isArray(id) ? id : [id]) : undefined });
      return reply.type(out.type).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.body);
    },
  );

  // MISP feed: what MISP's feed fetcher asks for (configure the feed with an Authorization header carrying an API token).
  app.get('/api/v1/intel/misp-feed/manifest.json', { schema: { tags: ['intel'], summary: 'MISP feed manifest of what this viewer may see', response: { 200: Type.Any(), ...errors(401, 403) } } }, async (req, reply) => {
    const feed = await mispFeedFor(p, requireVetted(req));
    return reply.type('application/json').send(JSON.stringify(feed.manifest));
  });
  app.get('/api/v1/intel/misp-feed/hashes.csv', { schema: { tags: ['intel'], summary: 'MISP feed hashes.csv (md5 of each value, event uuid)', response: { 200: Type.String(), ...errors(401, 403) } } }, async (req, reply) => {
    const feed = await mispFeedFor(p, requireVetted(req));
    return reply.type('text/csv; charset=utf-8').send(feed.hashesCsv);
  });
  app.get(
    '/api/v1/intel/misp-feed/:file',
    { schema: { tags: ['intel'], summary: 'One MISP feed event, <uuid>.json', params: Type.Object({ file: Type.String({ pattern: '^[0-9a-f-]{36}\\.json$' }) }), response: { 200: Type.Any(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      const feed = await mispFeedFor(p, requireVetted(req));
      const body = feed.files.get(req.params.file);
      if (!body) throw new AppError('NOT_FOUND', 'No such event in this feed', {});
      return reply.type('application/json').send(body);
    },
  );

  app.get(
    '/api/v1/intel/identity',
    {
      schema: {
        tags: ['intel'],
        summary: "Your organisation's STIX identity, to use as created_by_ref in what you submit",
        response: { 200: Type.Object({ id: Type.String(), object: Type.Record(Type.String(), Type.Unknown()) }), ...errors(401, 403) },
      },
    },
    async (req) => {
      const pr = requireVetted(req);
      const object = await organisationIdentity(p.db, pr.organisation.id);
      return { id: object.id as string, object };
    },
  );
  app.post(
    '/api/v1/intel/sightings',
    {
      schema: {
        tags: ['intel'],
        summary: 'Report a sighting of an indicator, malware or vulnerability ("affects us")',
        body: Body({
          sightingOf: StixId,
          count: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
          firstSeen: Type.String({ format: 'date-time' }),
          lastSeen: Type.String({ format: 'date-time' }),
          country: Type.Optional(Type.String({ pattern: '^[A-Z]{2,3}$' })),
          sector: Type.Optional(Type.String({ maxLength: 60 })),
          anonymous: Type.Optional(Type.Boolean()),
          affectsUs: Type.Optional(Type.Boolean()),
          tlp: Tlp,
          audience: Type.Optional(AudienceInput),
        }),
        response: { 201: Type.Object({ id: Uuid, stixId: Type.String(), submissionId: Uuid, notes: Type.Array(Type.String()) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await reportSighting(p, actorOf(req), req.body)),
  );
  app.get(
    '/api/v1/intel/objects/:id/sightings',
    { schema: { tags: ['intel'], summary: 'Sightings of one object: totals, per country, per sector', params: Type.Object({ id: StixId }), response: { 200: SightingsSummary, ...errors(404) } } },
    async (req) => sightingsOf(p, viewerOf(req), isSecretariat(req), req.params.id),
  );
  app.get(
    '/api/v1/intel/sightings/aggregate',
    {
      schema: {
        tags: ['intel'],
        summary: 'Sightings per country and per sector, over what this viewer may see',
        querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })), type: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 60 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            byCountry: Type.Array(Type.Object({ country: Type.String(), count: Type.Integer(), objects: Type.Integer() })),
            bySector: Type.Array(Type.Object({ sector: Type.String(), count: Type.Integer(), objects: Type.Integer() })),
          }),
          ...errors(400, 401),
        },
      },
    },
    async (req) => sightingAggregates(p, viewerOf(req), req.query),
  );

  app.get(
    '/api/v1/intel/vulnerabilities',
    {
      schema: {
        tags: ['intel'],
        summary: 'Vulnerabilities (KEV, CSAF, members’) with KEV dates and "affects us" reports',
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 200 })), kev: Type.Optional(Type.Boolean()), ransomware: Type.Optional(Type.Boolean()), cursor: Type.Optional(Type.String({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Vulnerability), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400) },
      },
    },
    async (req) => listVulnerabilities(p, viewerOf(req), req.query),
  );
  app.get(
    '/api/v1/intel/vulnerabilities/:id',
    {
      schema: {
        tags: ['intel'],
        summary: 'One vulnerability with its facts',
        params: Type.Object({ id: StixId }),
        response: {
          200: Type.Object({
            ...Vulnerability.properties,
            cvss: Type.Array(
              Type.Object({
                version: Type.String({ description: 'CVSS version: 2.0, 3.0, 3.1, 4.0' }),
                baseScore: Type.Number({ minimum: 0, maximum: 10 }),
                severity: Type.String({ description: 'As the source gives it, else from the base score by the scale of that version (NONE, LOW, MEDIUM, HIGH, CRITICAL)' }),
                vector: Type.String(),
                products: Type.Array(Type.String(), { description: 'The products the score is for; empty when the source names none' }),
                source: Type.Object({ id: Type.String({ description: 'The STIX vulnerability it comes from: this one or another of the same CVE this viewer may see' }), publisher: Type.Union([Type.String(), Type.Null()]) }),
              }),
              { description: 'CVSS scores from the CSAF advisories held for this CVE (this object and the others of the same CVE the viewer may see)' },
            ),
            cwes: Type.Array(Type.Object({ id: Type.String({ pattern: '^CWE-[0-9]+$' }), name: Type.Union([Type.String(), Type.Null()]) }), {
              description: 'CWE weaknesses named by the CSAF advisory, the KEV catalogue or the external references (cwe), of this object and the others of the same CVE the viewer may see',
            }),
            facts: Type.Any(),
            sameCve: Type.Array(
              Type.Object({
                id: Type.String(),
                tlp: Type.String(),
                kev: Type.Boolean(),
                csaf: Type.Union([Type.Object({ publisher: Type.String(), trackingId: Type.String() }), Type.Null()]),
                affectedProducts: Type.Array(Type.String()),
              }),
            ),
            sightings: SightingsSummary,
            object: Type.Record(Type.String(), Type.Unknown()),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => getVulnerability(p, viewerOf(req), req.params.id, isSecretariat(req)),
  );
  app.get(
    '/api/v1/intel/attack',
    {
      schema: {
        tags: ['intel'],
        summary: 'ATT&CK tactics with their techniques, mitigations and assets',
        response: { 200: Type.Object({ tactics: Type.Array(Type.Object({ ...Ref.properties, shortname: Type.String(), techniques: Type.Array(Ref) })), mitigations: Type.Array(Ref), assets: Type.Array(Ref) }) },
      },
    },
    async (req) => attackMatrix(p, viewerOf(req)),
  );
};

const Subscription = Type.Object({
  id: Uuid,
  title: Type.String(),
  apiRootUrl: Type.String(),
  collectionId: Type.String(),
  pollIntervalMinutes: Type.Integer(),
  tlp: Tlp,
  audience: Type.Object({ organisations: Type.Array(Uuid), communities: Type.Array(Uuid), people: Type.Array(Uuid) }),
  enabled: Type.Boolean(),
  lastPollAt: Type.Union([Type.String(), Type.Null()]),
  lastSuccessAt: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([Type.String(), Type.Null()]),
  objectsReceived: Type.Integer(),
  nextPollAt: Type.String(),
  addedAfter: Type.Union([Type.String(), Type.Null()]),
  hasCredentials: Type.Boolean(),
});
const SubscriptionFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  apiRootUrl: Type.String({ minLength: 8, maxLength: 2000 }),
  collectionId: Type.String({ minLength: 1, maxLength: 200 }),
  username: Type.Optional(Type.String({ maxLength: 254 })),
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  token: Type.Optional(Type.String({ maxLength: 2000 })),
  pollIntervalMinutes: Type.Integer({ minimum: 5, maximum: 10080 }),
  tlp: Tlp,
  audience: Type.Optional(AudienceInput),
};

/** TAXII 2.1 client: an organisation's subscriptions to remote collections. */
export const intelSubscriptionRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/intel/subscriptions',
    { schema: { tags: ['intel'], summary: "Your organisation's TAXII subscriptions and their health", response: { 200: Type.Object({ items: Type.Array(Subscription) }), ...errors(401, 403) } } },
    async (req) => listSubscriptions(p, actorOf(req)),
  );
  app.post(
    '/api/v1/intel/subscriptions',
    { schema: { tags: ['intel'], summary: 'Subscribe to a remote TAXII 2.1 collection (organisation admins)', body: Body(SubscriptionFields), response: { 201: Subscription, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.status(201).send(await createSubscription(p, actorOf(req), req.body)),
  );
  app.patch(
    '/api/v1/intel/subscriptions/:id',
    {
      schema: {
        tags: ['intel'],
        summary: 'Change a subscription',
        params: Type.Object({ id: Uuid }),
        body: Type.Partial(Type.Object({ ...SubscriptionFields, enabled: Type.Boolean() }), { additionalProperties: false }),
        response: { 200: Subscription, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => updateSubscription(p, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/intel/subscriptions/:id',
    { schema: { tags: ['intel'], summary: 'Remove a subscription', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await deleteSubscription(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/intel/subscriptions/:id/poll',
    { schema: { tags: ['intel'], summary: 'Poll now', params: Type.Object({ id: Uuid }), response: { 200: Subscription, ...errors(401, 403, 404) } } },
    async (req) => pollNow(p, actorOf(req), req.params.id),
  );
};
