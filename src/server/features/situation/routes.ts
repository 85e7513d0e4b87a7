import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_SECTORS } from '#shared/incidents';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors, OneOf, Tlp } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { situation, situationCsv, situationPdf } from './service.js';

const tags = ['situation'];
const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const List = (description: string) => Type.String({ maxLength: 2000, description: `${description}, comma-separated` });
/** The incident list's filters (IncidentFilters in src/shared/incidents.ts), and the window. */
const Query = Type.Object(
  {
    country: Type.Optional(List('ISO 3166-1 alpha-2 codes: reports affecting any of them')),
    sector: Type.Optional(List('NIS2 sectors: reports impacting any of them')),
    rsit: Type.Optional(List('RSIT categories or `category/type` classes')),
    status: Type.Optional(List(`Statuses (${INCIDENT_STATUSES.join(', ')})`)),
    impactSeverity: Type.Optional(List(`Impact severities (${NIS2_IMPACT_SEVERITIES.join(', ')})`)),
    from: Type.Optional(Day('First day of the window (UTC), on the day the reporting organisation became aware; default `window` days before `to`')),
    to: Type.Optional(Day('Last day of the window, included; default today')),
    window: Type.Optional(Type.Integer({ minimum: 1, maximum: 731, description: 'Days in the window when `from` is not given (default 30)' })),
    community: Type.Optional(Type.String({ description: 'A community id: reports shared with it' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words in the title or description' })),
    lang: Type.Optional(LanguageParam),
  },
  { additionalProperties: false },
);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(x: T) => Type.Union([x, Type.Null()]);
const Severity = OneOf(NIS2_IMPACT_SEVERITIES);
const Situation = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucket: OneOf(['day', 'week'] as const),
  reports: Type.Integer({ description: 'Reports counted: visible to this reader, not exercises, under the filters, aware in the window' }),
  open: Type.Integer({ description: 'Of those, not closed' }),
  marking: Nullable(Tlp),
  countries: Type.Array(
    Type.Object({
      code: Type.String(),
      region: OneOf(['EU', 'LAC'] as const),
      severity: Nullable(Severity),
      open: Type.Integer(),
      reports: Type.Integer(),
    }),
    { description: 'Every member state: the most severe impact among its open reports' },
  ),
  matrix: Type.Array(Type.Object({ country: Type.String(), sector: Type.String({ description: `A NIS2 sector (${NIS2_SECTORS.join(", ")})` }), reports: Type.Integer() })),
  trends: Type.Array(Type.Object({ start: Type.String(), reported: Type.Integer(), closed: Type.Integer(), sightings: Type.Integer() })),
  rsit: Type.Array(Type.Object({ rsitClass: Type.String(), reports: Type.Integer() })),
  techniques: Type.Array(Type.Object({ stixId: Type.String(), externalId: Nullable(Type.String()), name: Type.String(), reports: Type.Integer() })),
  vulnerabilities: Type.Array(Type.Object({ stixId: Type.String(), name: Type.String(), kev: Type.Boolean(), ransomware: Type.Boolean(), reports: Type.Integer() })),
  sightings: Type.Object({
    reports: Type.Integer({ description: 'Sightings reported' }),
    count: Type.Integer({ description: 'Times seen, summed' }),
    byCountry: Type.Array(Type.Object({ country: Type.String(), count: Type.Integer() })),
  }),
});

/** The shared situational picture: every figure over the incident reports this reader may see, never over exercises. */
export const situationRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/situation',
    {
      schema: {
        tags,
        summary: 'The situational picture: per country the current impact severity, the country × sector matrix, trends, leading RSIT classes, techniques, vulnerabilities and sightings — only what this reader may see, never exercises',
        querystring: Query,
        response: { 200: Situation, ...errors(400) },
      },
    },
    async (req) => situation(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/situation.csv',
    { schema: { tags, summary: 'The country × sector matrix as CSV, with the TLP of the most restrictive report counted', querystring: Query, response: { 200: Type.String(), ...errors(400) } } },
    async (req, reply) => {
      const r = await situationCsv(p, actorOf(req), req.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
  app.get(
    '/api/v1/situation.pdf',
    { schema: { tags, summary: 'A snapshot of the picture as a PDF in the reader’s language, under the TLP of the most restrictive report or sighting counted', querystring: Query, response: { 200: Type.Any(), ...errors(400) } } },
    async (req, reply) => {
      const r = await situationPdf(p, actorOf(req), req.query);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${r.filename}"`).header('cache-control', 'private, no-store').send(r.body);
    },
  );
};
