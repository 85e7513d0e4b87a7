import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { Audience, AudienceInput, errors, OneOf, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import { CRISIS_LEVELS, CRISIS_ROLES, NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS } from '#shared/incidents';
import { CRISIS_ACTION_STATUSES, CRISIS_ALERT_KINDS, CRISIS_LIMITS as L, CRISIS_MEMBER_SOURCES } from '#shared/crises';
import {
  acknowledgeAlert,
  addAction,
  addInject,
  addMember,
  changeLevel,
  closeCrisis,
  crisisReportPdf,
  declareCrisis,
  evaluateExercise,
  getCrisis,
  listCrises,
  logDecision,
  memberCandidates,
  myAlerts,
  publishLesson,
  releaseInject,
  requestAssistance,
  sitrepsCsv,
  submitSitrep,
  translateCrisis,
  translateSitrep,
  updateAction,
} from './service.js';

const tags = ['crises'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = (max: number) => Type.String({ maxLength: max });
/** Values checked by the service against the shared vocabularies, so that a value outside them gets its own error code. */
const Level = Type.String({ maxLength: 40, description: `One of ${CRISIS_LEVELS.join(', ')} (400 INVALID_CRISIS_LEVEL otherwise)` });
const Nis2 = (what: string, values: readonly string[]) => Type.String({ maxLength: 60, description: `${what}: one of ${values.join(', ')}` });

const Due = Nullable(Type.Object({ dueAt: Type.String(), overdue: Type.Boolean() }));
const ListItem = Type.Object({
  id: Uuid,
  title: Type.String(),
  lang: Type.String(),
  level: OneOf(CRISIS_LEVELS),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  exercise: Type.Boolean({ description: 'A table-top exercise: shown labelled EXERCISE, never part of a real view' }),
  countries: Type.Array(Type.String()),
  sectors: Type.Array(Type.String()),
  declaredAt: Type.String(),
  closedAt: Nullable(Type.String()),
  nextSitrep: Due,
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  myRole: Nullable(OneOf(CRISIS_ROLES)),
});
const Sitrep = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  impactSeverity: Type.String(),
  outlook: Type.String(),
  sectors: Type.Array(Type.String()),
  rootCause: Nullable(Type.String()),
  conditions: Type.String(),
  actions: Type.String(),
  needs: Type.String(),
  summary: Type.String(),
  translation: TranslationInfo,
  tlp: Tlp,
  audience: Audience,
  author: Type.Object({ name: Type.String(), organisation: Type.String() }),
  createdAt: Type.String(),
});
const Crisis = Type.Object({
  ...ListItem.properties,
  description: Type.String(),
  translation: TranslationInfo,
  tlp: Tlp,
  levels: Type.Array(Type.Object({ level: OneOf(CRISIS_LEVELS), at: Type.String(), by: Nullable(Type.String()), note: Type.String() })),
  roster: Type.Array(
    Type.Object({
      person: Type.Object({ id: Uuid, name: Type.String(), active: Type.Boolean() }),
      organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
      role: OneOf(CRISIS_ROLES),
      source: OneOf(CRISIS_MEMBER_SOURCES),
      key: Nullable(Type.Object({ fingerprint: Type.String(), algorithm: Nullable(Type.String()), expiresAt: Nullable(Type.String()) }, { description: 'Their OpenPGP key in the directory, where its field marking lets this viewer see it' })),
    }),
  ),
  organisations: Type.Array(Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }), { description: 'Organisations invited to the room' }),
  sitreps: Type.Array(Sitrep),
  decisions: Type.Array(Type.Object({ id: Uuid, text: Type.String(), at: Type.String(), by: Type.String(), tlp: Tlp })),
  actions: Type.Array(
    Type.Object({
      id: Uuid,
      text: Type.String(),
      owner: Nullable(Type.Object({ kind: Type.Union([Type.Literal('person'), Type.Literal('organisation')]), id: Uuid, name: Type.String() })),
      dueAt: Nullable(Type.String()),
      overdue: Type.Boolean(),
      status: Type.String(),
      tlp: Tlp,
    }),
  ),
  assistance: Type.Array(Type.Object({ requestId: Uuid, title: Type.String(), at: Type.String() }), { description: 'Requests for assistance sent from the room (those this viewer may see)' }),
  injects: Type.Array(Type.Object({ id: Uuid, title: Type.String(), body: Type.String(), plannedAt: Type.String(), releasedAt: Nullable(Type.String()) })),
  evaluations: Type.Object({
    count: Type.Integer(),
    averages: Type.Object({ objectives: Nullable(Type.Number()), communication: Nullable(Type.Number()), coordination: Nullable(Type.Number()) }),
    items: Type.Array(Type.Object({ id: Uuid, by: Type.String(), objectives: Type.Integer(), communication: Type.Integer(), coordination: Type.Integer(), strengths: Type.String(), improvements: Type.String(), at: Type.String() })),
  }),
  acknowledgements: Type.Array(Type.Object({ id: Uuid, kind: OneOf(CRISIS_ALERT_KINDS), level: Nullable(Type.String()), person: Type.Object({ id: Uuid, name: Type.String() }), at: Type.String(), acknowledgedAt: Nullable(Type.String()) })),
  timeline: Type.Array(Type.Object({ at: Type.String(), kind: Type.String(), text: Type.String(), by: Nullable(Type.String()), ref: Nullable(Type.String()) })),
  afterAction: Type.Unknown({ description: 'The after-action report drafted at closing: timeline, decisions, actions, sitreps summary' }),
  lessonId: Nullable(Uuid),
  can: Type.Object({ manage: Type.Boolean(), sitrep: Type.Boolean(), log: Type.Boolean(), assistance: Type.Boolean(), injects: Type.Boolean(), evaluate: Type.Boolean(), publishLesson: Type.Boolean() }),
});
const Id = Type.Object({ id: Uuid });
/** The language to show texts in (else the reader's languages). */
const Lang = Type.Optional(LanguageParam);
const Marking = { tlp: Type.Optional(Tlp), audience: Type.Optional(AudienceInput) };
const SitrepTexts = { conditions: Type.Optional(Str(L.part)), actions: Type.Optional(Str(L.part)), needs: Type.Optional(Str(L.part)), summary: Str(L.part) };
const Alert = Type.Object({
  id: Uuid,
  crisis: Type.Object({ id: Uuid, title: Type.String(), lang: Type.String(), exercise: Type.Boolean() }),
  kind: OneOf(CRISIS_ALERT_KINDS),
  sitrepId: Nullable(Uuid),
  level: Nullable(Type.String()),
  encrypted: Type.Boolean({ description: 'Its mail went OpenPGP-encrypted' }),
  at: Type.String(),
  acknowledgedAt: Nullable(Type.String()),
});

/** Crisis rooms (docs/crises.md): every read through the access policy; everything of a room is marked. */
export const crisisRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/crises',
    {
      schema: {
        tags,
        summary: 'The crises whose rooms this person may see, open first; exercises labelled',
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])), exercise: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), lang: Lang }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ListItem) }), ...errors(400, 401, 403) },
      },
    },
    async (req) => listCrises(p, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/crises',
    {
      schema: {
        tags,
        summary:
          'Declare a crisis (the secretariat, or a national crisis-management authority of a country in scope): opens its room with the crisis-management and 24/7 contacts of the countries in scope and the organisations invited; the declarer coordinates',
        body: Type.Object(
          {
            title: Str(L.title),
            description: Type.Optional(Str(L.description)),
            language: LanguageParam,
            level: Level,
            countries: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { minItems: 1, maxItems: L.countries }),
            sectors: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: L.sectors })),
            exercise: Type.Optional(Type.Boolean()),
            organisations: Type.Optional(Type.Array(Uuid, { maxItems: L.organisations })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Crisis, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await declareCrisis(p, actorOf(req), req.body)),
  );
  app.get(
    '/api/v1/crises/alerts',
    {
      schema: {
        tags,
        summary: 'My crisis alerts (a crisis declared, a level raised, a sitrep due, a sitrep addressed to me), newest first',
        querystring: Type.Object({ pending: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), lang: Lang }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Alert) }), ...errors(400, 401, 403) },
      },
    },
    async (req) => myAlerts(p, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/crises/alerts/:alertId/ack',
    {
      schema: { tags, summary: 'Acknowledge one of my alerts (the room shows who acknowledged)', params: Type.Object({ alertId: Uuid }), response: { 200: Type.Object({ id: Uuid, acknowledgedAt: Type.String() }), ...errors(400, 401, 403, 404) } },
    },
    async (req) => acknowledgeAlert(p, actorOf(req), req.params.alertId),
  );
  app.get(
    '/api/v1/crises/:id/report.pdf',
    { schema: { tags, summary: 'The room as a PDF in the reader’s language — scope, level history, sitreps, decisions, actions as this reader may see them — under the TLP of the most restrictive part included, EXERCISE on every page of an exercise', params: Id, querystring: Type.Object({ lang: Lang }, { additionalProperties: false }), response: { 200: Type.Any(), ...errors(400, 404) } } },
    async (req, reply) => {
      const r = await crisisReportPdf(p, actorOf(req), req.params.id);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
  app.get(
    '/api/v1/crises/:id/sitreps.csv',
    { schema: { tags, summary: 'The situation reports this reader may see as CSV, each line with its TLP and the exercise flag', params: Id, querystring: Type.Object({ lang: Lang }, { additionalProperties: false }), response: { 200: Type.String(), ...errors(400, 404) } } },
    async (req, reply) => {
      const r = await sitrepsCsv(p, actorOf(req), req.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
  app.get(
    '/api/v1/crises/:id/candidates',
    {
      schema: {
        tags,
        summary: 'Coordinators: people to add to the room — active people of approved organisations of the countries in scope or already in the room, not on the roster yet, by name',
        params: Id,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }) })) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => memberCandidates(p, actorOf(req), req.params.id, req.query),
  );
  app.get('/api/v1/crises/:id', { schema: { tags, summary: 'A crisis room, each part as this viewer may see it', params: Id, querystring: Type.Object({ lang: Lang }, { additionalProperties: false }), response: { 200: Crisis, ...errors(400, 404) } } }, async (req) => getCrisis(p, actorOf(req), req.params.id));
  app.post(
    '/api/v1/crises/:id/level',
    {
      schema: {
        tags,
        summary: 'Change the level (coordinators): the sitrep cadence follows; a raise alerts the room',
        params: Id,
        body: Type.Object({ level: Level, note: Type.Optional(Str(L.note)) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => changeLevel(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/crises/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a person to the roster with a role (or change their role), or invite an organisation (coordinators)',
        params: Id,
        body: Type.Object({ personId: Type.Optional(Uuid), organisationId: Type.Optional(Uuid), role: Type.Optional(OneOf(CRISIS_ROLES)) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => addMember(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/crises/:id/sitreps',
    {
      schema: {
        tags,
        summary:
          'Submit a situation report (members of the room): NIS2 impact severity and outlook, sectors, root cause, the tactical part and the executive summary, in a language with translations; AMBER to the room unless narrowed. 409 CRISIS_CLOSED to a closed room; all or nothing',
        params: Id,
        body: Type.Object(
          {
            impactSeverity: Nis2('NIS2 impact severity', NIS2_IMPACT_SEVERITIES),
            outlook: Nis2('NIS2 outlook', NIS2_OUTLOOKS),
            sectors: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: L.sectors })),
            rootCause: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
            ...SitrepTexts,
            language: LanguageParam,
            translations: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' }), Type.Object(SitrepTexts, { additionalProperties: false }), { maxProperties: 10 })),
            ...Marking,
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...Sitrep.properties }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await submitSitrep(p, actorOf(req), req.params.id, req.body)),
  );
  app.put(
    '/api/v1/crises/:id/sitreps/:sitrepId/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace the translation of a sitrep (members of the room who may see it)',
        params: Type.Object({ id: Uuid, sitrepId: Uuid, lang: LanguageParam }),
        body: Type.Object({ ...SitrepTexts, machine: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Sitrep, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateSitrep(p, actorOf(req), req.params.id, req.params.sitrepId, req.params.lang, req.body),
  );
  app.put(
    '/api/v1/crises/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace the translation of the crisis title and description (coordinators and scribes)',
        params: Type.Object({ id: Uuid, lang: LanguageParam }),
        body: Type.Object({ title: Str(L.title), description: Type.Optional(Str(L.description)), machine: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateCrisis(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.post(
    '/api/v1/crises/:id/decisions',
    { schema: { tags, summary: 'Log a decision (coordinators and scribes)', params: Id, body: Type.Object({ text: Str(L.decision), ...Marking }, { additionalProperties: false }), response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => logDecision(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/crises/:id/actions',
    {
      schema: {
        tags,
        summary: 'Add an action item with an owner (a member of the room or an organisation) and a deadline (coordinators and scribes)',
        params: Id,
        body: Type.Object({ text: Str(L.action), ownerPersonId: Type.Optional(Uuid), ownerOrganisationId: Type.Optional(Uuid), dueAt: Type.Optional(Type.String({ format: 'date-time' })), ...Marking }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => addAction(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/crises/:id/actions/:actionId',
    {
      schema: {
        tags,
        summary: 'Mark an action item done, dropped or open again (coordinators, scribes, its owner)',
        params: Type.Object({ id: Uuid, actionId: Uuid }),
        body: Type.Object({ status: OneOf(CRISIS_ACTION_STATUSES) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateAction(p, actorOf(req), req.params.id, req.params.actionId, req.body),
  );
  app.post(
    '/api/v1/crises/:id/assistance',
    {
      schema: {
        tags,
        summary: 'Ask for assistance: a capacity-building request (features/requests, by its rules) linked from the room',
        params: Id,
        body: Type.Object({ title: Str(300), description: Type.Optional(Str(10000)), wanted: Type.Optional(Str(10000)), language: LanguageParam, urgency: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => requestAssistance(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/crises/:id/close',
    {
      schema: {
        tags,
        summary: 'Close the room (coordinators): drafts the after-action report from what every member of the room may see',
        params: Id,
        body: Type.Object({ note: Type.Optional(Str(L.note)) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => closeCrisis(p, actorOf(req), req.params.id, req.body ?? {}),
  );
  app.post(
    '/api/v1/crises/:id/lesson',
    { schema: { tags, summary: 'Publish the after-action report as a lesson learned: a draft library item for review (coordinators)', params: Id, response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => publishLesson(p, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/crises/:id/injects',
    {
      schema: {
        tags,
        summary: 'Add a timed inject to an exercise scenario (the exercise controller); hidden from the room until released',
        params: Id,
        body: Type.Object({ title: Str(L.title), body: Type.Optional(Str(L.part)), plannedAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => addInject(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/crises/:id/injects/:injectId/release',
    { schema: { tags, summary: 'Release an inject to the room (the exercise controller)', params: Type.Object({ id: Uuid, injectId: Uuid }), response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => releaseInject(p, actorOf(req), req.params.id, req.params.injectId),
  );
  app.post(
    '/api/v1/crises/:id/evaluation',
    {
      schema: {
        tags,
        summary: 'Fill in the evaluation form of a finished exercise (once per participant)',
        params: Id,
        body: Type.Object(
          { objectives: Type.Integer({ minimum: 1, maximum: 5 }), communication: Type.Integer({ minimum: 1, maximum: 5 }), coordination: Type.Integer({ minimum: 1, maximum: 5 }), strengths: Type.Optional(Str(L.evaluationText)), improvements: Type.Optional(Str(L.evaluationText)) },
          { additionalProperties: false },
        ),
        response: { 200: Crisis, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => evaluateExercise(p, actorOf(req), req.params.id, req.body),
  );
};
