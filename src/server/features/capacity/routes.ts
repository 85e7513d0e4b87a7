import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OFFER_TYPES, REQUEST_STATUSES } from '#shared/capacity';
import { actorOf } from '../../platform/actor.js';
import { ConceptTag } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { errors, OneOf } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { dashboard, dashboardCsv, dashboardPdf } from './service.js';

const tags = ['capacity'];
const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const Query = Type.Object(
  {
    from: Type.Optional(Day('First day of the window (offers with a session in it, or published in it when they have none; requests submitted in it; participants of sessions in it)')),
    to: Type.Optional(Day('Last day of the window, included')),
    concept: Type.Optional(ConceptTag),
    region: Type.Optional(Type.String({ minLength: 2, maxLength: 60, description: '`EU`, `LAC`, or a UN M49 subregion of the member states (`South America`, `Caribbean`, `Northern Europe`…)' })),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'A member state (ISO 3166-1 alpha-2)' })),
    lang: Type.Optional(LanguageParam),
  },
  { additionalProperties: false },
);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(x: T) => Type.Union([x, Type.Null()]);
const Labelled = { concept: Type.String({ description: 'scheme/concept' }), label: Type.String({ description: 'In the reader’s language where the vocabulary has it' }), lang: Type.String() };
const Duration = Type.Object({
  count: Type.Integer({ description: 'Requests that reached the step' }),
  median: Nullable(Type.Integer({ description: 'Seconds from submission (linear interpolation between ranks)' })),
  p75: Nullable(Type.Integer({ description: 'Seconds from submission, 75th percentile' })),
});
const Region = OneOf(['EU', 'LAC'] as const);
const Dashboard = Type.Object({
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  concept: Nullable(Type.String()),
  region: Nullable(Type.String()),
  country: Nullable(Type.String()),
  lang: Type.String({ description: 'The interface language of the words the server chose' }),
  offers: Type.Object({
    total: Type.Integer({ description: 'Published and closed offers this reader may see, under the filters' }),
    openToAll: Type.Integer({ description: 'Of those, open to every member country' }),
    byType: Type.Array(Type.Object({ type: OneOf(OFFER_TYPES), offers: Type.Integer() })),
    byConcept: Type.Array(Type.Object({ ...Labelled, offers: Type.Integer() })),
    byRegion: Type.Array(Type.Object({ region: Region, subregion: Nullable(Type.String()), offers: Type.Integer({ description: 'Open to at least one country of it' }) })),
  }),
  requests: Type.Object({
    total: Type.Integer({ description: 'Requests this reader may see, submitted in the window' }),
    byStatus: Type.Array(Type.Object({ status: OneOf(REQUEST_STATUSES), requests: Type.Integer() })),
    toMatched: Duration,
    toDelivery: Duration,
  }),
  participants: Type.Object({
    selected: Type.Integer({ description: 'Applicants holding a seat, among the applications this reader may count' }),
    completed: Type.Integer(),
    byCountry: Type.Array(Type.Object({ country: Type.String(), selected: Type.Integer(), completed: Type.Integer() })),
    byConcept: Type.Array(Type.Object({ ...Labelled, selected: Type.Integer(), completed: Type.Integer() })),
  }),
  countries: Type.Array(
    Type.Object({
      code: Type.String(),
      region: Region,
      subregion: Type.String(),
      offers: Type.Integer({ description: 'Offers open to it' }),
      requests: Type.Integer({ description: 'Requests about it' }),
      participants: Type.Integer({ description: 'Participants from it' }),
    }),
  ),
});

/** The capacity-building dashboard: public, every figure over what the reader may see. */
export const capacityRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/capacity/dashboard',
    {
      schema: {
        tags,
        summary: 'Offers by concept, type and region; requests by status with the time to be matched and delivered; participants by country and concept; a figure per country — only what this reader may see',
        querystring: Query,
        response: { 200: Dashboard, ...errors(400) },
      },
    },
    async (req) => dashboard(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/capacity/dashboard.csv',
    { schema: { tags, summary: 'The same figures as one CSV: a line per figure, its table in the `section` column', querystring: Query, response: { 200: Type.String(), ...errors(400) } } },
    async (req, reply) => {
      const r = await dashboardCsv(p, actorOf(req), req.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
  app.get(
    '/api/v1/capacity/dashboard.pdf',
    { schema: { tags, summary: 'The same figures as a PDF, in the reader’s language', querystring: Query, response: { 200: Type.Any(), ...errors(400) } } },
    async (req, reply) => {
      const r = await dashboardPdf(p, actorOf(req), req.query);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
};
