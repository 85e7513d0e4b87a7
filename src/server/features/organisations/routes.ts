import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { requireOrgAdminOf, requirePrincipal } from '../../platform/auth/principal.js';
import { JoinRequestBody, ListQuery, Organisation, ProfilePatchBody, ReasonBody } from './schemas.js';
import { findOrganisations, organisationMembers, organisationView } from './repository.js';
import { decide, deleteLogo, getLogo, getOrganisationView, putLogo, readerOf, requestToJoin, setMfaPolicy, updateProfile, viewerLanguage } from './service.js';
import { LOGO_MAX_BYTES } from './profile.js';

const IdParams = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })) }, { additionalProperties: false });
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
    async (req, reply) => reply.status(202).send(await requestToJoin(p, actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Organisations: approved members (their public profile without signing in), or any status for the secretariat',
        security: [{}, { session: [] }, { bearer: [] }, { basic: [] }],
        querystring: ListQuery,
        response: { 200: Items(Organisation), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const r = readerOf(req);
      const rows = await findOrganisations(p.db, { anyStatus: r.secretariat, status: req.query.status, country: req.query.country, type: req.query.type, q: req.query.q });
      const language = viewerLanguage(actorOf(req), req.query.lang);
      return { items: rows.map((o) => organisationView(o, { withRequester: r.secretariat, audience: r.vetted ? 'member' : 'public', language })) };
    },
  );

  app.get(
    '/api/v1/organisations/:id',
    {
      schema: {
        tags: ['organisations'],
        summary: 'One organisation: the public profile for anyone (approved organisations), the member part for members',
        security: [{}, { session: [] }, { bearer: [] }, { basic: [] }],
        params: IdParams,
        querystring: LangQuery,
        response: { 200: Organisation, ...errors(401, 403, 404) },
      },
    },
    async (req) => getOrganisationView(p, actorOf(req), req.params.id, req.query.lang),
  );

  app.patch(
    '/api/v1/organisations/:id/profile',
    {
      schema: {
        tags: ['organisations'],
        summary: "Edit the organisation's profile (its admins; name, country and type: the secretariat); audited with before and after",
        params: IdParams,
        querystring: LangQuery,
        body: ProfilePatchBody,
        response: { 200: Organisation, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateProfile(p, actorOf(req), req.params.id, req.body, req.query.lang),
  );

  app.get(
    '/api/v1/organisations/:id/logo',
    {
      schema: {
        tags: ['organisations'],
        summary: "The organisation's logo (PNG, JPEG or WebP); public for approved organisations",
        security: [{}, { session: [] }, { bearer: [] }, { basic: [] }],
        params: IdParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The image' }), 304: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const logo = await getLogo(p, actorOf(req), req.params.id);
      const etag = `"${logo.sha256}"`;
      reply
        .header('cache-control', 'no-cache')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('content-disposition', 'inline');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send(null);
      return reply.type(logo.content_type).send(logo.data);
    },
  );

  // The logo arrives as the raw body: its own parser, in its own scope, so no other route takes raw bodies.
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LOGO_MAX_BYTES }, (_req, body, done) => done(null, body));
    raw.put(
      '/api/v1/organisations/:id/logo',
      {
        bodyLimit: LOGO_MAX_BYTES,
        schema: {
          tags: ['organisations'],
          summary: 'Upload the logo as the raw body (image/png, image/jpeg or image/webp, at most 256 KiB; checked by its bytes)',
          params: IdParams,
          response: { 200: Type.Object({ logoUrl: Type.String(), contentType: Type.String(), bytes: Type.Integer() }), ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (req) => putLogo(p, actorOf(req), req.params.id, req.body, req.headers['content-type']),
    );
  });

  app.delete(
    '/api/v1/organisations/:id/logo',
    { schema: { tags: ['organisations'], summary: 'Remove the logo', params: IdParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await deleteLogo(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const d of ['approve', 'reinstate'] as const) {
    app.post(
      `/api/v1/organisations/:id/${d}`,
      { schema: { tags: ['organisations'], summary: `Secretariat: ${d} an organisation`, params: IdParams, response: { 200: Organisation, ...errors(401, 403, 404, 409) } } },
      async (req) => decide(p, actorOf(req), req.params.id, d),
    );
  }
  for (const d of ['reject', 'suspend'] as const) {
    app.post(
      `/api/v1/organisations/:id/${d}`,
      { schema: { tags: ['organisations'], summary: `Secretariat: ${d} an organisation, with a reason`, params: IdParams, body: ReasonBody, response: { 200: Organisation, ...errors(400, 401, 403, 404, 409) } } },
      async (req) => decide(p, actorOf(req), req.params.id, d, req.body.reason.trim()),
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
      const actor = actorOf(req);
      await setMfaPolicy(p, actor, req.params.id, req.body.required);
      return getOrganisationView(p, actor, req.params.id);
    },
  );

  app.get(
    '/api/v1/organisations/:id/members',
    { schema: { tags: ['organisations'], summary: 'People of an organisation (its admins and the secretariat)', params: IdParams, response: { 200: Items(Member), ...errors(401, 403) } } },
    async (req) => {
      requirePrincipal(req);
      requireOrgAdminOf(req, req.params.id);
      const rows = await organisationMembers(p.db, req.params.id);
      return {
        items: rows.map((r) => ({ id: r.id, name: r.name, email: r.email, roles: r.roles, status: r.status, mfaEnabled: r.mfa_enabled, lastLoginAt: r.last_login_at?.toISOString() ?? null })),
      };
    },
  );
};
