import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors, Uuid } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { matchesFor, suggestedFor } from './matches.js';
import { AudienceBody, Create, CoordinationBody, InterestBody, ListQuery, Matches, Move, Request, Suggested, Summary, Texts } from './schemas.js';
import {
  askingFor,
  chooseInterest,
  conveneCoordination,
  createRequest,
  expressInterest,
  getRequest,
  listRequests,
  moveRequest,
  removeRequestTranslation,
  setRequestAudience,
  translateRequest,
  triageCount,
} from './service.js';

const tags = ['requests'];
const Id = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });
const LimitQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }, { additionalProperties: false });

/** Demand-based assistance requests and explained matching (issue 12 §2–3): read through the policy and the workflow. */
export const requestRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/requests',
    {
      schema: {
        tags,
        summary: 'The assistance requests this reader may see, newest first: their organisation’s (`mine`), those shared with them as a provider once open; filters by status, concept and country',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Summary), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400, 401) },
      },
    },
    async (req) => listRequests(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/requests/suggested',
    {
      schema: {
        tags,
        summary: 'For a provider: the open requests they may see that fit their organisation’s published offers or vetted experts, best first, each with a score and the reasons',
        querystring: LimitQuery,
        response: { 200: Suggested, ...errors(401, 403) },
      },
    },
    async (req) => suggestedFor(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/requests/triage',
    {
      schema: { tags, summary: 'For the secretariat: how many requests wait for triage (among those it may see)', response: { 200: Type.Object({ waiting: Type.Integer() }), ...errors(401, 403) } },
    },
    async (req) => triageCount(p, actorOf(req)),
  );
  app.get(
    '/api/v1/requests/asking',
    {
      schema: {
        tags,
        summary: 'What this person may ask for: the countries they are national focal point of, and their organisation (as its admin)',
        response: { 200: Type.Object({ countries: Type.Array(Type.String()), organisation: Type.Boolean() }), ...errors(401, 403) },
      },
    },
    async (req) => askingFor(p, actorOf(req)),
  );
  app.post(
    '/api/v1/requests',
    {
      schema: {
        tags,
        summary: 'Ask for assistance: a national focal point for their country (`country`), an organisation admin for their organisation. TLP:AMBER by default, shared with the secretariat and the providers’ community (or only the `providers` named)',
        body: Create,
        response: { 201: Request, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await createRequest(p, actorOf(req), req.body)),
  );
  app.get(
    '/api/v1/requests/:id',
    { schema: { tags, summary: 'One request with its timeline and the expressions of interest this reader may see, in their language (or `lang`)', params: Id, querystring: LangQuery, response: { 200: Request, ...errors(400, 404) } } },
    async (req) => getRequest(p, actorOf(req), req.params.id, req.query.lang),
  );
  app.post(
    '/api/v1/requests/:id/status',
    {
      schema: {
        tags,
        summary:
          'Take the next step: `triaged` and `open` (the secretariat), `in-delivery` and `completed` (the requester or the chosen provider), `evaluated` with `evaluation` 1–5 (the requester). A step that does not follow is 409 REQUEST_INVALID_TRANSITION',
        params: Id,
        body: Move,
        response: { 200: Request, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => moveRequest(p, actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/v1/requests/:id/audience',
    {
      schema: {
        tags,
        summary: 'Name who the request is shared with (the requester): only the providers named, or (empty) the providers’ community. The secretariat and a chosen provider always stay',
        params: Id,
        body: AudienceBody,
        response: { 200: Request, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setRequestAudience(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/requests/:id/interests',
    {
      schema: {
        tags,
        summary: 'Answer an open request with an expression of interest (an organisation admin), jointly with `partners` if any, proposing offers and experts; read by the requester, the secretariat and the organisations named only',
        params: Id,
        body: InterestBody,
        response: { 201: Request, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await expressInterest(p, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/v1/requests/:id/interests/:interestId/choose',
    {
      schema: {
        tags,
        summary: 'Choose an expression of interest (the requester): the request is matched, and the chosen organisation and its partners join its audience',
        params: Type.Object({ id: Uuid, interestId: Uuid }),
        response: { 200: Request, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => chooseInterest(p, actorOf(req), req.params.id, req.params.interestId),
  );
  app.post(
    '/api/v1/requests/:id/coordination',
    {
      schema: {
        tags,
        summary: 'Convene a coordination meeting (the secretariat): a members-only community of the requester and the organisations that answered, with a first discussion topic',
        params: Id,
        body: CoordinationBody,
        response: { 201: Request, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await conveneCoordination(p, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/requests/:id/matches',
    {
      schema: {
        tags,
        summary: 'The offers, providers and experts that fit the request, best first, each with a `score` (0–100) and its `reasons` (codes with parameters; concept labels beside them) — among those this reader may see',
        params: Id,
        querystring: LimitQuery,
        response: { 200: Matches, ...errors(400, 404) },
      },
    },
    async (req) => matchesFor(p, actorOf(req), req.params.id, req.query),
  );
  app.put(
    '/api/v1/requests/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace its translation into a language (requester, organisation admins, translators)',
        params: Type.Object({ id: Uuid, lang: LanguageParam }),
        body: Type.Object({ ...Texts, machine: Type.Optional(Type.Boolean()), basedOn: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Request, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateRequest(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/requests/:id/translations/:lang',
    { schema: { tags, summary: 'Remove a translation', params: Type.Object({ id: Uuid, lang: LanguageParam }), response: { 200: Request, ...errors(400, 401, 403, 404) } } },
    async (req) => removeRequestTranslation(p, actorOf(req), req.params.id, req.params.lang),
  );
};
