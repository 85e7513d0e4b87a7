import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { roadmap, roadmapCsv, roadmapPdf } from './service.js';
import { MONTH } from './window.js';

const tags = ['roadmap'];
const Query = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: MONTH, description: 'First month, YYYY-MM (default: 23 months before `to`)' })),
    to: Type.Optional(Type.String({ pattern: MONTH, description: 'Last month, YYYY-MM (default: this month, UTC); at most 120 months from `from`' })),
    lang: Type.Optional(LanguageParam),
  },
  { additionalProperties: false },
);
const Counts = Type.Array(Type.Integer(), { description: 'One value per month of `months`' });
const Row = Type.Object({
  key: Type.String({ description: '`all`, or the concept’s tag (`action-areas/policy`, `takeaways/7`)' }),
  notation: Type.Union([Type.String(), Type.Null()]),
  label: Type.String({ description: 'In the reader’s language where the vocabulary has it, else English' }),
  lang: Type.String({ description: 'The language of `label`' }),
  area: Type.Union([Type.String(), Type.Null()], { description: 'A takeaway’s action area (its tag)' }),
  includes: Type.Array(Type.String(), { description: 'The tags counted under this row: a takeaway’s sub-takeaways, an action area’s takeaways' }),
  records: Type.Integer({ description: 'Published activity records the reader may see, dated in the window and tagged with one of `includes`' }),
  practices: Type.Integer({ description: 'Published library items the reader may see, published in the window and tagged with one of `includes`' }),
  commitments: Type.Object({
    count: Type.Integer({ description: 'Commitments of those records' }),
    byStatus: Type.Object({ planned: Type.Integer(), 'in progress': Type.Integer(), done: Type.Integer(), delayed: Type.Integer(), dropped: Type.Integer() }),
    overdue: Type.Integer({ description: 'Due before today (UTC), neither done nor dropped' }),
    meanProgress: Type.Union([Type.Integer(), Type.Null()], { description: 'Mean current progress (%), dropped ones left out; null when none' }),
  }),
  series: Type.Object({
    records: Counts,
    practices: Counts,
    commitments: Type.Array(Type.Integer(), { description: 'Commitments of the records dated on or before each month’s end' }),
    meanProgress: Type.Array(Type.Union([Type.Integer(), Type.Null()]), { description: 'Their mean progress at each month’s end (docs/roadmap.md), dropped ones left out' }),
  }),
});
const Roadmap = Type.Object({
  from: Type.String(),
  to: Type.String(),
  months: Type.Array(Type.String()),
  today: Type.String({ format: 'date', description: 'The day (UTC) "overdue" is measured against' }),
  lang: Type.String({ description: 'The interface language of the words the server chose (the `all` row’s label)' }),
  overall: Row,
  areas: Type.Array(Row),
  takeaways: Type.Array(Row),
});

/** The roadmap dashboard toward the EU-CELAC summit: public, every figure over what the reader may see. */
export const roadmapRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/roadmap',
    {
      schema: {
        tags,
        summary: 'Per action area and takeaway: published records, good practices and the records’ commitments with their progress, in total and per month — only what this reader may see',
        querystring: Query,
        response: { 200: Roadmap, ...errors(400) },
      },
    },
    async (req) => roadmap(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/roadmap.csv',
    { schema: { tags, summary: 'The same figures as CSV: one line per row and measure, one column per month', querystring: Query, response: { 200: Type.String(), ...errors(400) } } },
    async (req, reply) => {
      const r = await roadmapCsv(p, actorOf(req), req.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`).send(r.body);
    },
  );
  app.get(
    '/api/v1/roadmap.pdf',
    { schema: { tags, summary: 'The same figures as a PDF, in the reader’s language', querystring: Query, response: { 200: Type.Any(), ...errors(400) } } },
    async (req, reply) => {
      const r = await roadmapPdf(p, actorOf(req), req.query);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).send(r.body);
    },
  );
};
