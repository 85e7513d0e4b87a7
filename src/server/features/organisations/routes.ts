import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf, change } from '../../platform/deps.js';
import { notFound } from '../../platform/errors.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { hasRole, requireOrgAdminOf, requirePrincipal, requireVetted } from '../../platform/auth/principal.js';
import { JoinRequestBody, ListQuery, Organisation, ReasonBody } from './schemas.js';
import { organisationView, selectOrganisations } from './repository.js';
import { decide, getOrganisationView, requestToJoin } from './service.js';

const IdParams = Type.Object({ id: Uuid });
const Member = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(Type.String()),
  status: Type.String(),
  mfaEnabled: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const organisationRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.post(
    '/api/v1/organisations/join-requests',
    {
      config: { rateLimit: { max: 5, timeWindow: 60_000, keyGenerator: (req: { ip: string }) => `join:${req.ip}` } },
      schema: {
        tags: ['organisations'],
        summary: 'Ask for an organisation to join Puente (public form); the secretariat decides',
        body: JoinRequestBody,
        response: { 202: Type.Object({ id: Uuid, status: Type.Literal('requested') }), ...errors(400, 409, 429) },
      },
    },
    async (req, reply) => reply.status(202).send(await requestToJoin(p, req, req.body)),
  );

  app.get(
    '/api/v1/organisations',
    { schema: { tags: ['organisations'], summary: 'Organisations: approved members, or any status for the secretariat', querystring: ListQuery, response: { 200: Items(Organisation), ...errors(400, 401, 403) } } },
    async (req) => {
      const pr = requireVetted(req);
      const secretariat = hasRole(pr, 'secretariat');
      let q = selectOrganisations(p.db);
      if (secretariat) {
        if (req.query.status) q = q.where('o.status', '=', req.query.status);
      } else {
        q = q.where('o.status', '=', 'approved');
      }
      if (req.query.country) q = q.where('o.country_code', '=', req.query.country);
      if (req.query.type) q = q.where('o.type', '=', req.query.type);
      if (req.query.q?.trim()) {
        const term = req.query.q.trim();
        q = q.where((eb) =>
          eb.or([
            sql<boolean>`unaccent(lower(o.name)) LIKE '%' || unaccent(lower(${term})) || '%'`,
            sql<boolean>`lower(coalesce(o.acronym, '')) = lower(${term})`,
            sql<boolean>`o.name % ${term}`,
          ]),
        );
      }
      const rows = await q.orderBy('o.name').limit(1000).execute();
      return { items: rows.map((o) => organisationView(o, secretariat)) };
    },
  );

  app.get(
    '/api/v1/organisations/:id',
    { schema: { tags: ['organisations'], summary: 'One organisation', params: IdParams, response: { 200: Organisation, ...errors(401, 403, 404) } } },
    async (req) => {
      requireVetted(req);
      return getOrganisationView(p, req, req.params.id);
    },
  );

  for (const d of ['approve', 'reinstate'] as const) {
    app.post(
      `/api/v1/organisations/:id/${d}`,
      { schema: { tags: ['organisations'], summary: `Secretariat: ${d} an organisation`, params: IdParams, response: { 200: Organisation, ...errors(401, 403, 404, 409) } } },
      async (req) => decide(p, req, req.params.id, d),
    );
  }
  for (const d of ['reject', 'suspend'] as const) {
    app.post(
      `/api/v1/organisations/:id/${d}`,
      { schema: { tags: ['organisations'], summary: `Secretariat: ${d} an organisation, with a reason`, params: IdParams, body: ReasonBody, response: { 200: Organisation, ...errors(400, 401, 403, 404, 409) } } },
      async (req) => decide(p, req, req.params.id, d, req.body.reason.trim()),
    );
  }

  app.put(
    '/api/v1/organisations/:id/mfa-policy',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Make two-step sign-in mandatory (or not) for everyone in the organisation',
        params: IdParams,
        body: Body({ required: Type.Boolean() }),
        response: { 200: Organisation, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      requireOrgAdminOf(req, req.params.id);
      await change(p, async (c) => {
        const r = await c.trx.updateTable('organisations').set({ mfa_required: req.body.required, updated_at: new Date() }).where('id', '=', req.params.id).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw notFound('Organisation');
        await c.audit({ action: 'mfa.policy_changed', ...actorOf(req), organisationId: req.params.id, targetType: 'organisation', targetId: req.params.id, details: { required: req.body.required } });
      });
      return getOrganisationView(p, req, req.params.id);
    },
  );

  app.get(
    '/api/v1/organisations/:id/members',
    { schema: { tags: ['organisations'], summary: 'People of an organisation (its admins and the secretariat)', params: IdParams, response: { 200: Items(Member), ...errors(401, 403) } } },
    async (req) => {
      requirePrincipal(req);
      requireOrgAdminOf(req, req.params.id);
      const rows = await p.db
        .selectFrom('people')
        .select(['id', 'name', 'email', 'roles', 'status', 'mfa_enabled', 'last_login_at'])
        .where('organisation_id', '=', req.params.id)
        .orderBy('name')
        .execute();
      return {
        items: rows.map((r) => ({ id: r.id, name: r.name, email: r.email, roles: r.roles, status: r.status, mfaEnabled: r.mfa_enabled, lastLoginAt: r.last_login_at?.toISOString() ?? null })),
      };
    },
  );
};
