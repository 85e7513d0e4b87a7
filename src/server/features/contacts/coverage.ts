import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { errors, Items, Timestamp } from '../../platform/schemas.js';
import { coverage } from './service.js';

const KindCoverage = Type.Object({ count: Type.Integer({ minimum: 0 }), lastConfirmedAt: Type.Union([Timestamp, Type.Null()]) });
export const CountryCoverage = Type.Object({
  code: Type.String(),
  name: Type.String(),
  region: Type.String(),
  subregion: Type.String(),
  diplomatic: KindCoverage,
  technical: KindCoverage,
  operational_24_7: KindCoverage,
  lastConfirmedAt: Type.Union([Timestamp, Type.Null()]),
});

export const coverageRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/contacts/coverage',
    {
      schema: {
        tags: ['contacts'],
        summary: 'Coverage of the 60 states: active diplomatic, technical and 24/7 contacts confirmed in the last 12 months, counted over what this viewer may see',
        response: { 200: Items(CountryCoverage), ...errors(401) },
      },
    },
    async (req) => coverage(p, actorOf(req)),
  );
};
