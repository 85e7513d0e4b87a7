import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors, Uuid } from '../../platform/schemas.js';
import { sendPage } from '../portal/routes.js';
import { certificatePage } from './pages.js';
import { Application, ApplicationDetail, Certificate, Form, Gender, ListQuery, OfferApplications, Outcomes, Question, Selection } from './schemas.js';
import {
  applicationForm,
  applicationsToOffer,
  apply,
  cancelSession,
  certificatePdf,
  decide,
  endorse,
  endorsements,
  getApplication,
  giveFeedback,
  LIMITS,
  myApplications,
  offerOutcomes,
  offerOutcomesCsv,
  recordAttendance,
  recordCompletion,
  setApplicationSettings,
  verifyCertificate,
  withdraw,
} from './service.js';

const tags = ['applications'];
const OfferId = Type.Object({ id: Type.String({ pattern: '^[0-9a-z][0-9a-z-]{0,119}$', maxLength: 120, description: 'The offer’s id or its slug' }) });
const SessionParams = Type.Object({ id: OfferId.properties.id, sessionId: Uuid });
const Id = Type.Object({ id: Uuid });
const Code = Type.Object({ code: Type.String({ maxLength: 100 }) });
const Items = Type.Object({ items: Type.Array(Application) });

/** Applications to offer sessions, endorsements, decisions, attendance, certificates, feedback and outcomes. */
export const applicationRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/offers/:id/application-form',
    {
      schema: {
        tags,
        summary: 'What applying to an offer takes: its sessions with free seats and deadlines, how it selects, the questions its criteria ask, and the reader’s own applications to it',
        params: OfferId,
        response: { 200: Form, ...errors(400, 404) },
      },
    },
    async (req) => applicationForm(p, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/offers/:id/application-settings',
    {
      schema: {
        tags,
        summary: 'How the offer selects (first-come: in order of arrival, seats then waitlist; by-criteria: the provider decides), whether it keeps a waitlist, and the questions applicants answer — the offer’s author and its organisation admins',
        params: OfferId,
        body: Type.Object({ selection: Type.Optional(Selection), waitlist: Type.Optional(Type.Boolean()), questions: Type.Optional(Type.Array(Question, { maxItems: LIMITS.questions })) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: Form, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setApplicationSettings(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/offers/:id/sessions/:sessionId/applications',
    {
      schema: {
        tags,
        summary:
          'Apply to a session: one application per person and session (409 ALREADY_APPLIED), before its deadline (409 APPLICATIONS_CLOSED); on a first-come offer a seat or the waitlist at once, in order of arrival (409 SESSION_FULL when full and without waitlist)',
        params: SessionParams,
        body: Type.Object(
          {
            motivation: Type.Optional(Type.String({ maxLength: LIMITS.motivation })),
            answers: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: LIMITS.answer }), Type.Boolean(), Type.Null()]))),
            gender: Type.Optional(Type.Union([Gender, Type.Null()], { description: 'Self-declared, optional; used only in aggregate outcomes' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ApplicationDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await apply(p, actorOf(req), req.params.id, req.params.sessionId, req.body)),
  );
  app.post(
    '/api/v1/offers/:id/sessions/:sessionId/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a session (the provider): it stays, cancelled; seat holders get the calendar cancellation (iTIP CANCEL), everyone concerned a mail',
        params: SessionParams,
        response: { 200: Form, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => cancelSession(p, actorOf(req), req.params.id, req.params.sessionId),
  );
  app.get(
    '/api/v1/offers/:id/applications',
    {
      schema: {
        tags,
        summary: 'The applications to an offer the reader may read (all, for the provider; their organisation’s, for an organisation admin), by session in order of arrival, with counts per session and status',
        params: OfferId,
        querystring: ListQuery,
        response: { 200: OfferApplications, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => applicationsToOffer(p, actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/v1/offers/:id/outcomes',
    {
      schema: {
        tags,
        summary: 'An offer’s outcomes — participants by country, organisation type and gender where given; attendance, completion, satisfaction, follow-up actions — for the provider, its partners and the secretariat',
        params: OfferId,
        response: { 200: Outcomes, ...errors(401, 403, 404) },
      },
    },
    async (req) => offerOutcomes(p, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/offers/:id/outcomes.csv',
    { schema: { tags, summary: 'The outcomes as CSV (section, key, value)', params: OfferId, response: { 200: Type.String({ description: 'text/csv' }), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      const r = await offerOutcomesCsv(p, actorOf(req), req.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
  app.get(
    '/api/v1/applications',
    { schema: { tags, summary: 'My applications, newest first', querystring: ListQuery, response: { 200: Items, ...errors(400, 401, 403) } } },
    async (req) => myApplications(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/applications/endorsements',
    {
      schema: {
        tags,
        summary: 'Applications waiting for an endorsement the reader may give: of their organisation’s people (organisation admins), of their country’s people (national focal points)',
        response: { 200: Items, ...errors(401, 403) },
      },
    },
    async (req) => endorsements(p, actorOf(req)),
  );
  app.get('/api/v1/applications/:id', { schema: { tags, summary: 'One application the reader may read', params: Id, response: { 200: ApplicationDetail, ...errors(401, 403, 404) } } }, async (req) =>
    getApplication(p, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/applications/:id/endorse',
    {
      schema: {
        tags,
        summary: 'Endorse an application (an admin of the applicant’s organisation, or a national focal point of their country; never the applicant)',
        params: Id,
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: LIMITS.note })) }, { additionalProperties: false }),
        response: { 200: ApplicationDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => endorse(p, actorOf(req), req.params.id, { note: req.body.note }),
  );
  app.post(
    '/api/v1/applications/:id/refuse-endorsement',
    {
      schema: { tags, summary: 'Refuse to endorse an application, with a note', params: Id, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: LIMITS.note })) }, { additionalProperties: false }), response: { 200: ApplicationDetail, ...errors(400, 401, 403, 404, 409) } },
    },
    async (req) => endorse(p, actorOf(req), req.params.id, { note: req.body.note, refuse: true }),
  );
  app.post(
    '/api/v1/applications/:id/decision',
    {
      schema: {
        tags,
        summary: 'The provider’s decision against the offer’s criteria: select (a seat; 409 SESSION_FULL when none is free), waitlist, or not select (with its reason)',
        params: Id,
        body: Type.Object({ decision: Type.Union([Type.Literal('select'), Type.Literal('waitlist'), Type.Literal('not-select')]), reason: Type.Optional(Type.String({ maxLength: LIMITS.reason })) }, { additionalProperties: false }),
        response: { 200: ApplicationDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => decide(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/applications/:id/withdraw',
    { schema: { tags, summary: 'Withdraw (the applicant); a seat given back goes at once to the first on the waitlist', params: Id, response: { 200: ApplicationDetail, ...errors(401, 403, 404, 409) } } },
    async (req) => withdraw(p, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/applications/:id/attendance',
    {
      schema: {
        tags,
        summary: 'Record a participant’s attendance (the provider, once the session has begun): attended or not, and the days when kept per day',
        params: Id,
        body: Type.Object({ attended: Type.Boolean(), days: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366 })) }, { additionalProperties: false }),
        response: { 200: ApplicationDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => recordAttendance(p, actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/v1/applications/:id/completion',
    {
      schema: {
        tags,
        summary: 'Record completion (the provider): completed issues the certificate and tells the participant; not completed revokes one issued',
        params: Id,
        body: Type.Object({ completed: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: ApplicationDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => recordCompletion(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/applications/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Feedback, once, by the participant after completing: satisfaction and usefulness from 1 to 5, comments, follow-up actions planned',
        params: Id,
        body: Type.Object(
          {
            satisfaction: Type.Integer({ minimum: 1, maximum: 5 }),
            usefulness: Type.Integer({ minimum: 1, maximum: 5 }),
            comments: Type.Optional(Type.String({ maxLength: LIMITS.comments })),
            followUp: Type.Optional(Type.String({ maxLength: LIMITS.followUp })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ApplicationDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await giveFeedback(p, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/applications/:id/certificate.pdf',
    { schema: { tags, summary: 'The certificate of completion (PDF, in the participant’s language, with its verification address and QR code)', params: Id, response: { 200: Type.Any({ description: 'application/pdf' }), ...errors(401, 403, 404, 409) } } },
    async (req, reply) => {
      const r = await certificatePdf(p, actorOf(req), req.params.id);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
  app.get(
    '/api/v1/certificates/:code',
    { schema: { tags, summary: 'Check a certificate by its code, for anyone: the participant’s name, the offer, the provider, the dates and whether it stands — nothing else', params: Code, response: { 200: Certificate, ...errors(404) } } },
    async (req) => verifyCertificate(p, actorOf(req), req.params.code),
  );
  // The public check, as a page for whoever was shown the certificate (signed in or not).
  app.get(
    '/certificates/:code',
    { schema: { hide: true, params: Code, querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 40 })) }) } },
    async (req, reply) => {
      const r = await certificatePage(p, actorOf(req), req.params.code, req.query.lang);
      reply.code(r.status);
      return sendPage(req, reply, r.page);
    },
  );
};
