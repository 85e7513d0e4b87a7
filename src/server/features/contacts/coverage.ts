import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { errors, Items, Timestamp } from '../../platform/schemas.js';
import { visibleCoverage } from './repository.js';
import './tables.js';

/** The kinds the coverage map reports (issue 3 §6). */
export const COVERAGE_KINDS = ['diplomatic', 'technical', 'operational_24_7'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

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

/**
 * For each of the 60 states: how many ACTIVE entries of each kind, confirmed
 * within the last 12 months and not past their valid-until date, this viewer may
 * see. The aggregate is taken only over rows that pass the access policy's SQL
 * filter, so a count never reveals an entry the viewer could not open.
 */
export async function coverage(p: Platform, req: FastifyRequest) {
  const pr = requirePrincipal(req);
  const countries = await p.db.selectFrom('countries').select(['code', 'name', 'region', 'subregion']).where('kind', '=', 'state').orderBy('region').orderBy('name').execute();
  const rows = await visibleCoverage(p.db, pr.viewer);
  const byCountry = new Map(rows.map((r) => [r.country_code, r]));
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    items: countries.map((k) => {
      const r = byCountry.get(k.code);
      const kind = (n: string | undefined, l: Date | null | undefined) => ({ count: Number(n ?? 0), lastConfirmedAt: iso(l) });
      return {
        code: k.code,
        name: k.name,
        region: k.region,
        subregion: k.subregion,
        diplomatic: kind(r?.n_diplomatic, r?.l_diplomatic),
        technical: kind(r?.n_technical, r?.l_technical),
        operational_24_7: kind(r?.n_operational_24_7, r?.l_operational_24_7),
        lastConfirmedAt: iso(r?.l_any),
      };
    }),
  };
}

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
    async (req) => coverage(p, req),
  );
};
