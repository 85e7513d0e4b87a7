import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { listCountries, listSectors } from './service.js';

const Country = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('state'), Type.Literal('international')]),
  region: Type.Union([Type.Literal('EU'), Type.Literal('LAC'), Type.Literal('INT')]),
  subregion: Type.String(),
  languages: Type.Array(Type.String()),
});
const Sector = Type.Object({ code: Type.String(), annex: Type.Union([Type.Literal('I'), Type.Literal('II')]), name: Type.String() });

/** Public reference data: the 60 countries (and the international marker) and the NIS2 sectors. */
export const referenceRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get('/api/v1/countries', { schema: { tags: ['reference'], summary: 'EU and CELAC countries, and the marker for international bodies', response: { 200: Type.Array(Country) } } }, async () => {
    const rows = await listCountries(p);
    return rows.map((r) => ({ ...r, kind: r.kind as 'state' | 'international', region: r.region as 'EU' | 'LAC' | 'INT' }));
  });
  app.get('/api/v1/sectors', { schema: { tags: ['reference'], summary: 'NIS2 Annex I and II sectors', response: { 200: Type.Array(Sector) } } }, async () => {
    const rows = await listSectors(p);
    return rows.map((r) => ({ ...r, annex: r.annex as 'I' | 'II' }));
  });
};
