import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { Body, errors, Uuid } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { AckDone, AckInfo, AckToken, CheckList, CheckReport, Filters, History, LaunchBody, Pending, Preview } from './schemas.js';
import { ackByToken, ackInApp, ackInfo, myPendingChecks } from './acknowledgement.js';
import { launchCheck, previewCheck } from './launch.js';
import { contactHistory, getCheck, listChecks, resultsCsv, resultsPdf } from './results.js';

const tags = ['communication-checks'];
const Id = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });

/**
 * Communication checks: launch to a snapshot of contacts, acknowledge by
 * one-time link or in the app, results with exports; reminders and closing run as jobs (index.ts).
 */
export const checkRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get('/api/v1/communication-checks', { schema: { tags, summary: 'Checks whose results this viewer may see', response: { 200: CheckList, ...errors(401, 403) } } }, async (req) => listChecks(p, actorOf(req)));
  app.post(
    '/api/v1/communication-checks/preview',
    { schema: { tags, summary: 'How many contacts a check with these filters would reach, and how many are left out and why', body: Body({ filters: Filters }), response: { 200: Preview, ...errors(400, 401, 403) } } },
    async (req) => previewCheck(p, actorOf(req), req.body.filters),
  );
  app.post(
    '/api/v1/communication-checks',
    { schema: { tags, summary: 'Launch a communication check (secretariat, or a community admin for their community)', body: LaunchBody, response: { 201: CheckReport, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.code(201).send(await launchCheck(p, actorOf(req), req.body)),
  );
  app.get('/api/v1/communication-checks/pending', { schema: { tags, summary: 'Checks waiting for my acknowledgement (as a linked contact)', response: { 200: Pending, ...errors(401) } } }, async (req) => myPendingChecks(p, actorOf(req)));
  app.get(
    '/api/v1/communication-checks/ack',
    { schema: { tags, summary: 'What a one-time acknowledgement link is about (public)', querystring: Type.Object({ token: AckToken }), response: { 200: AckInfo, ...errors(400, 404) } } },
    async (req) => ackInfo(p, req.query.token),
  );
  app.post(
    '/api/v1/communication-checks/ack',
    { schema: { tags, summary: 'Acknowledge by one-time link (public; idempotent; 410 once the check is closed)', body: Body({ token: AckToken }), response: { 200: AckDone, ...errors(400, 404, 410) } } },
    async (req) => ackByToken(p, actorOf(req), req.body.token),
  );
  app.get('/api/v1/communication-checks/:id', { schema: { tags, summary: 'A check with its results', params: Id, response: { 200: CheckReport, ...errors(401, 404) } } }, async (req) => getCheck(p, actorOf(req), req.params.id));
  app.post(
    '/api/v1/communication-checks/:id/acknowledge',
    { schema: { tags, summary: 'Acknowledge in the app, as the person linked to the contact', params: Id, body: Body({ contactId: Uuid }), response: { 200: AckDone, ...errors(401, 404, 410) } } },
    async (req) => ackInApp(p, actorOf(req), req.params.id, req.body.contactId),
  );
  app.get(
    '/api/v1/communication-checks/:id/results.csv',
    { schema: { tags, summary: 'Results as CSV', params: Id, response: { 200: Type.String(), ...errors(401, 404) } } },
    async (req, reply) => {
      const r = await resultsCsv(p, actorOf(req), req.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`).send(r.body);
    },
  );
  app.get(
    '/api/v1/communication-checks/:id/results.pdf',
    { schema: { tags, summary: 'Results as PDF in the reader’s language (`lang`, else their interface language): the overall figures and one row per country', params: Id, querystring: LangQuery, response: { 200: Type.Any(), ...errors(400, 401, 404) } } },
    async (req, reply) => {
      const r = await resultsPdf(p, actorOf(req), req.params.id);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).send(r.body);
    },
  );
  app.get(
    '/api/v1/contacts/:id/communication-checks',
    { schema: { tags, summary: 'The last communication checks of one contact, and whether it is flagged', params: Id, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }), response: { 200: History, ...errors(401, 404) } } },
    async (req) => contactHistory(p, actorOf(req), req.params.id, req.query.limit ?? 10),
  );
};
