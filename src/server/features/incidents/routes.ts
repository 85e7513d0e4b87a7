import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { IncidentInput, IncidentPatch } from '#shared/incidents';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors, Uuid } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import {
  CreateIncident,
  HandoverBody,
  IncidentFilterQuerySchema,
  IncidentListItemSchema,
  IncidentReportSchema,
  LinkBody,
  PatchIncident,
  ReportBody,
  RequestBody,
  StatusBody,
  TranslationBody,
  UpdateBody,
} from './schemas.js';
import {
  addUpdate,
  createIncident,
  getIncident,
  handOverIncident,
  linkIntel,
  listIncidents,
  moveIncident,
  removeIncidentTranslation,
  requestIntermediate,
  submitReport,
  translateIncident,
  unlinkIntel,
  updateIncident,
} from './service.js';

import { importIncidents, incidentBundle } from './stix.js';

const tags = ['incidents'];
const Id = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });

/** Incident reports (issue 13 §1): read through the access policy, written by the owner organisation. */
export const incidentRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/incidents',
    {
      schema: {
        tags,
        summary:
          'The incident reports this reader may see, latest awareness first: filters are comma-separated lists (any of them matches); exercise reports only with `exercise=true`, never among real ones',
        querystring: Type.Object(
          {
            ...IncidentFilterQuerySchema,
            lang: Type.Optional(LanguageParam),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(IncidentListItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400) },
      },
    },
    async (req) => listIncidents(p, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/incidents',
    {
      schema: {
        tags,
        summary: 'Report an incident: owned by your organisation, AMBER to it unless marked otherwise; the NIS2 clocks (early warning 24 h, notification 72 h, final one month after) start from awareness',
        body: CreateIncident,
        response: { 201: IncidentReportSchema, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createIncident(p, actorOf(req), req.body as IncidentInput)),
  );
  app.get(
    '/api/v1/incidents/:id',
    {
      schema: {
        tags,
        summary: 'One report, if this reader may see it: its clocks, the linked objects and timeline entries this reader may see',
        params: Id,
        querystring: LangQuery,
        response: { 200: IncidentReportSchema, ...errors(400, 404) },
      },
    },
    async (req) => getIncident(p, actorOf(req), req.params.id, req.query.lang),
  );
  app.patch(
    '/api/v1/incidents/:id',
    {
      schema: {
        tags,
        summary: 'Change fields or the marking of a report (members of the owner organisation); the owner stays in the audience',
        params: Id,
        body: PatchIncident,
        response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => updateIncident(p, actorOf(req), req.params.id, req.body as IncidentPatch),
  );
  app.post(
    '/api/v1/incidents/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a report along new → triage → investigating → contained → recovered → closed (and back a step); closing needs an outcome',
        params: Id,
        body: StatusBody,
        response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => moveIncident(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/handover',
    {
      schema: { tags, summary: 'Hand a report over to another member organisation, which owns it and joins its audience', params: Id, body: HandoverBody, response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404, 409) } },
    },
    async (req) => handOverIncident(p, actorOf(req), req.params.id, req.body.organisationId),
  );
  app.post(
    '/api/v1/incidents/:id/reports',
    {
      schema: {
        tags,
        summary: 'Record an NIS2 report given to the CSIRT or authority (early warning, notification, intermediate, final); the final one is due a month after the notification',
        params: Id,
        body: ReportBody,
        response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => submitReport(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/reports/request',
    {
      schema: { tags, summary: 'Record that the CSIRT or authority asked for an intermediate report, due at `dueAt`', params: Id, body: RequestBody, response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404, 409) } },
    },
    async (req) => requestIntermediate(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/updates',
    {
      schema: {
        tags,
        summary: 'Write a narrative update on the timeline, in its language, marked no wider than the report (default: the report’s marking)',
        params: Id,
        body: UpdateBody,
        response: { 201: Type.Object({ ...IncidentReportSchema.properties, entryId: Uuid }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await addUpdate(p, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/v1/incidents/:id/links',
    {
      schema: {
        tags,
        summary: 'Link an object of the STIX store (indicator, malware, ATT&CK technique, sighting, vulnerability…) that you may see',
        params: Id,
        body: LinkBody,
        response: { 201: IncidentReportSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await linkIntel(p, actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/incidents/:id/links/:stixId',
    {
      schema: {
        tags,
        summary: 'Remove a link',
        params: Type.Object({ id: Uuid, stixId: Type.String({ pattern: '^[a-z0-9-]+--[0-9a-f-]{36}$', maxLength: 120 }) }),
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await unlinkIntel(p, actorOf(req), req.params.id, req.params.stixId);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/incidents/:id/stix',
    {
      schema: {
        tags,
        summary:
          'The report as a STIX 2.1 bundle: the incident with the OASIS Incident Core Extension, its marking, translations (language-content), and the linked objects this reader may see with their relationships',
        params: Id,
        response: { 200: Type.Object({ type: Type.Literal('bundle'), id: Type.String(), objects: Type.Array(Type.Record(Type.String(), Type.Unknown())) }), ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.header('content-type', 'application/stix+json;version=2.1').send(await incidentBundle(p, actorOf(req), req.params.id)),
  );
  app.post(
    '/api/v1/incidents/import',
    {
      bodyLimit: p.config.intelBundleMaxBytes,
      schema: {
        tags,
        summary:
          'Import STIX incidents carrying the Incident Core Extension: each creates a report of your organisation, or updates yours with the same STIX id; all or nothing (400 BUNDLE_REJECTED with the problems). Relationships to objects you may see in the store become links',
        body: Type.Object({ bundle: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            created: Type.Array(Uuid),
            updated: Type.Array(Uuid),
            links: Type.Integer(),
            skipped: Type.Array(Type.String(), { description: 'Objects related to an incident that are not in the store or not visible to you: upload them to the intel store first' }),
            incidents: Type.Array(IncidentReportSchema),
          }),
          ...errors(400, 401, 403, 409, 413),
        },
      },
    },
    async (req) => importIncidents(p, actorOf(req), req.body.bundle),
  );
  app.put(
    '/api/v1/incidents/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace the translation of the title and description into a language (members of the owner organisation)',
        params: Type.Object({ id: Uuid, lang: LanguageParam }),
        body: TranslationBody,
        response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateIncident(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/incidents/:id/translations/:lang',
    { schema: { tags, summary: 'Remove a translation', params: Type.Object({ id: Uuid, lang: LanguageParam }), response: { 200: IncidentReportSchema, ...errors(400, 401, 403, 404) } } },
    async (req) => removeIncidentTranslation(p, actorOf(req), req.params.id, req.params.lang),
  );
};
