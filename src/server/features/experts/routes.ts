import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import { ConceptTag, ConceptTags } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { Audience, AudienceInput, errors, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import { STAFF_ROLES, STAFF_STATUSES } from '../staffing/views.js';
import {
  addAvailability,
  addMission,
  changeAvailability,
  changeExpert,
  changeMission,
  evaluateExpertMission,
  EXPERT_STATUSES,
  getExpert,
  LIMITS,
  listExperts,
  proposeExpert,
  removeAvailability,
  removeExpertTranslation,
  removeMission,
  translateExpert,
  vetExpert,
  withdrawExpert,
} from './service.js';

const tags = ['experts'];
const Status = OneOf(EXPERT_STATUSES);
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
const Day = Type.String({ format: 'date' });
const Can = Type.Object({ edit: Type.Boolean(), translate: Type.Boolean(), vet: Type.Boolean(), withdraw: Type.Boolean() });
const Window = Type.Object({ from: Day, to: Day });

const Summary = Type.Object({
  id: Uuid,
  person: Type.Object({ id: Uuid, name: Type.String() }),
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  headline: Type.String(),
  translation: TranslationInfo,
  skills: Type.Array(Type.String({ description: 'ecsf-roles/<id>: an ENISA ECSF role profile' })),
  concepts: Type.Array(Type.String({ description: 'scheme/concept' })),
  languages: Type.Array(Type.String({ description: 'BCP 47: the languages the expert works in' })),
  countries: Type.Array(Type.String({ description: 'Countries the expert has worked in' })),
  status: Status,
  tlp: Tlp,
  available: Type.Array(Window, { description: 'Availability windows not yet over, soonest first' }),
  missions: Type.Object({ count: Type.Integer(), meanEvaluation: Type.Union([Type.Number(), Type.Null()], { description: 'Mean of the evaluated missions (1–5)' }) }),
  updatedAt: Type.String(),
  can: Can,
});

const Mission = Type.Object({
  id: Uuid,
  title: Type.String(),
  country: Type.Union([Type.String(), Type.Null()]),
  startsOn: Day,
  endsOn: Type.Union([Day, Type.Null()]),
  offerId: Type.Union([Uuid, Type.Null()], { description: 'The capacity-building offer it was part of, if any (GET /api/v1/offers/{id} answers only those who may see it)' }),
  requestId: Type.Union([Uuid, Type.Null()], { description: 'The assistance request it answered, if any (GET /api/v1/requests/{id} answers only those who may see it)' }),
  host: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()], { description: 'The organisation that received the mission: it evaluates it' }),
  evaluation: Type.Union([
    Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.String(), by: Type.Union([Type.String(), Type.Null()]), organisationId: Type.Union([Uuid, Type.Null()]), at: Type.String() }),
    Type.Null(),
  ]),
  can: Type.Object({ evaluate: Type.Boolean() }),
});

const StaffedSession = Type.Object({
  offerId: Uuid,
  offerSlug: Type.String(),
  offerTitle: Type.String(),
  provider: Type.Object({ id: Uuid, name: Type.String() }),
  sessionId: Uuid,
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String(),
  place: Type.String(),
  country: Type.Union([Type.String(), Type.Null()]),
  online: Type.Boolean(),
  role: OneOf(STAFF_ROLES),
  status: OneOf(STAFF_STATUSES),
});

const Expert = Type.Object({
  ...Summary.properties,
  biography: Type.String(),
  language: Type.String({ description: 'The language the profile is written in' }),
  pap: Pap,
  audience: Audience,
  availability: Type.Array(Type.Object({ id: Uuid, from: Day, to: Day, note: Type.String() }), { description: 'Every window, past ones too' }),
  missionList: Type.Array(Mission, { description: 'Latest first' }),
  upcomingSessions: Type.Array(StaffedSession, { description: 'Offer sessions not yet over the expert is confirmed on (features/staffing), only those of offers the reader may see; soonest first' }),
  staffProposals: Type.Array(StaffedSession, { description: 'Proposals waiting for an answer, for the expert and the admins of their organisation only (empty for others)' }),
  canAnswerStaffing: Type.Boolean({ description: 'The reader answers proposals for this expert' }),
  vettedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  sourceTexts: Type.Union([Type.Object({ headline: Type.String(), biography: Type.String() }), Type.Null()], { description: 'The source language’s text, for those who translate it' }),
});

const Fields = {
  language: LanguageParam,
  headline: Type.String({ minLength: 1, maxLength: LIMITS.headline, description: 'What the expert does, in a line' }),
  biography: Type.Optional(Type.String({ maxLength: LIMITS.biography })),
  skills: Type.Optional(Type.Array(ConceptTag, { maxItems: LIMITS.skills, description: 'ECSF role profiles: ecsf-roles/<id>' })),
  concepts: Type.Optional(ConceptTags),
  languages: Type.Optional(Type.Array(LanguageParam, { maxItems: LIMITS.languages })),
  countries: Type.Optional(Type.Array(Country, { maxItems: LIMITS.countries })),
  tlp: Tlp,
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
};
const Create = Type.Object({ personId: Type.Optional(Uuid), ...Fields }, { additionalProperties: false });
const Update = Type.Object(Type.Partial(Type.Object(Fields)).properties, { additionalProperties: false, minProperties: 1 });
const WindowInput = Type.Object({ from: Day, to: Day, note: Type.Optional(Type.String({ maxLength: LIMITS.note })) }, { additionalProperties: false });
const MissionInput = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: LIMITS.missionTitle }),
    country: Type.Optional(Type.Union([Country, Type.Null()])),
    startsOn: Day,
    endsOn: Type.Optional(Type.Union([Day, Type.Null()])),
    offerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    requestId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    hostOrganisationId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  },
  { additionalProperties: false },
);
const Id = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });

/** The expert pool: read through the policy and the workflow, offered by the person or their organisation, vetted by its admins. */
export const expertRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/experts',
    {
      schema: {
        tags,
        summary:
          'The expert pool as this reader may see it: vetted experts within their marking, and the reader’s own organisation’s proposed and withdrawn ones. `q` searches the name, headline and biography (every language version); filters by ECSF skill, concept, working language, country of experience, availability between `from` and `to`, organisation and status',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            lang: Type.Optional(LanguageParam),
            skill: Type.Optional(ConceptTag),
            concept: Type.Optional(ConceptTag),
            language: Type.Optional(LanguageParam),
            country: Type.Optional(Country),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
            organisation: Type.Optional(Uuid),
            status: Type.Optional(Status),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 60 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Summary), total: Type.Integer({ description: 'How many this reader may see with these filters' }), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errors(400),
        },
      },
    },
    async (req) => listExperts(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/experts/:id',
    { schema: { tags, summary: 'One expert, if this reader may see them, in their language (or `lang`)', params: Id, querystring: LangQuery, response: { 200: Expert, ...errors(400, 404) } } },
    async (req) => getExpert(p, actorOf(req), req.params.id, req.query.lang),
  );
  app.post(
    '/api/v1/experts',
    {
      schema: {
        tags,
        summary: 'Offer an expert: yourself, or (an organisation admin) a colleague. The profile is proposed until an admin of the organisation vets it',
        body: Create,
        response: { 201: Expert, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await proposeExpert(p, actorOf(req), req.body)),
  );
  app.patch(
    '/api/v1/experts/:id',
    { schema: { tags, summary: 'Change a profile in use (the expert, whoever proposed them, their organisation admins)', params: Id, body: Update, response: { 200: Expert, ...errors(400, 401, 403, 404) } } },
    async (req) => changeExpert(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/experts/:id/vet',
    { schema: { tags, summary: 'Vet a proposed expert (an admin of their organisation): the profile joins the pool, within its marking', params: Id, response: { 200: Expert, ...errors(401, 403, 404, 409) } } },
    async (req) => vetExpert(p, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/experts/:id/withdraw',
    { schema: { tags, summary: 'Withdraw an expert (an admin of their organisation): the profile stays, for the organisation only', params: Id, response: { 200: Expert, ...errors(401, 403, 404, 409) } } },
    async (req) => withdrawExpert(p, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/experts/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace the translation of the headline and biography into a language',
        params: Type.Object({ id: Uuid, lang: LanguageParam }),
        body: Type.Object(
          {
            headline: Fields.headline,
            biography: Fields.biography,
            machine: Type.Optional(Type.Boolean()),
            basedOn: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Expert, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateExpert(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/experts/:id/translations/:lang',
    { schema: { tags, summary: 'Remove a translation', params: Type.Object({ id: Uuid, lang: LanguageParam }), response: { 200: Expert, ...errors(400, 401, 403, 404) } } },
    async (req) => removeExpertTranslation(p, actorOf(req), req.params.id, req.params.lang),
  );
  app.post(
    '/api/v1/experts/:id/availability',
    { schema: { tags, summary: 'Add a window when the expert can be called on (`to` ≥ `from`)', params: Id, body: WindowInput, response: { 201: Expert, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => reply.code(201).send(await addAvailability(p, actorOf(req), req.params.id, req.body)),
  );
  app.put(
    '/api/v1/experts/:id/availability/:windowId',
    { schema: { tags, summary: 'Change an availability window', params: Type.Object({ id: Uuid, windowId: Uuid }), body: WindowInput, response: { 200: Expert, ...errors(400, 401, 403, 404) } } },
    async (req) => changeAvailability(p, actorOf(req), req.params.id, req.params.windowId, req.body),
  );
  app.delete(
    '/api/v1/experts/:id/availability/:windowId',
    { schema: { tags, summary: 'Remove an availability window', params: Type.Object({ id: Uuid, windowId: Uuid }), response: { 200: Expert, ...errors(401, 403, 404) } } },
    async (req) => removeAvailability(p, actorOf(req), req.params.id, req.params.windowId),
  );
  app.post(
    '/api/v1/experts/:id/missions',
    {
      schema: {
        tags,
        summary: 'Record a mission the expert carried out: where, when, for which organisation, as part of which offer or request',
        params: Id,
        body: MissionInput,
        response: { 201: Expert, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await addMission(p, actorOf(req), req.params.id, req.body)),
  );
  app.put(
    '/api/v1/experts/:id/missions/:missionId',
    {
      schema: {
        tags,
        summary: 'Change a mission (an evaluated one keeps its receiving organisation)',
        params: Type.Object({ id: Uuid, missionId: Uuid }),
        body: MissionInput,
        response: { 200: Expert, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => changeMission(p, actorOf(req), req.params.id, req.params.missionId, req.body),
  );
  app.delete(
    '/api/v1/experts/:id/missions/:missionId',
    { schema: { tags, summary: 'Remove a mission not yet evaluated', params: Type.Object({ id: Uuid, missionId: Uuid }), response: { 200: Expert, ...errors(401, 403, 404, 409) } } },
    async (req) => removeMission(p, actorOf(req), req.params.id, req.params.missionId),
  );
  app.put(
    '/api/v1/experts/:id/missions/:missionId/evaluation',
    {
      schema: {
        tags,
        summary: 'Evaluate a mission, 1 to 5 with a comment: the organisation that received it, or the secretariat; a later evaluation replaces the earlier one',
        params: Type.Object({ id: Uuid, missionId: Uuid }),
        body: Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: LIMITS.comment })) }, { additionalProperties: false }),
        response: { 200: Expert, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => evaluateExpertMission(p, actorOf(req), req.params.id, req.params.missionId, req.body),
  );
};
