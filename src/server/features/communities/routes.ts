import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf, type Actor } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { hasRole, requireVetted } from '../../platform/auth/principal.js';
import { addOrganisation, addPerson, communityDetail, createCommunity as create, listCommunities, removeCommunityTranslation, removeOrganisation, removePerson, translateCommunity } from './service.js';
import { LanguageParam, readerLanguagesOf, TranslationInfo, TranslationInput } from '../../platform/translations.js';
import { communityExtraRoutes, NewCommunity } from './proposals.js';

const Summary = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  /** The language name and description are given in: the reader's when the community has it. */
  language: Type.String(),
  translation: TranslationInfo,
  /** Null where the community is members-only and the viewer is not a member (nor the secretariat). */
  organisationCount: Type.Union([Type.Integer(), Type.Null()]),
  peopleCount: Type.Union([Type.Integer(), Type.Null()]),
  isMember: Type.Boolean(),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected')]),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('members')]),
  descriptionHidden: Type.Boolean(),
});
const Detail = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  language: Type.String(),
  translation: TranslationInfo,
  isMember: Type.Boolean(),
  isAdmin: Type.Boolean(),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected')]),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('members')]),
  descriptionHidden: Type.Boolean(),
  canManage: Type.Boolean({ description: 'The same as can.manage' }),
  can: Type.Object(
    {
      manage: Type.Boolean({
        description:
          'PATCH /api/v1/communities/{id}, adding and removing its organisations and people, and deciding its join requests will be allowed: the secretariat and the community admins',
      }),
      moderate: Type.Boolean({ description: "Deleting others' topics and replies in its discussions will be allowed: the community admins (not the secretariat as such)" }),
    },
    { description: 'What this viewer may do with the community' },
  ),
  proposal: Type.Union([
    Type.Null(),
    Type.Object({ organisationId: Type.Union([Uuid, Type.Null()]), reason: Type.String(), decisionReason: Type.Union([Type.String(), Type.Null()]), decidedAt: Type.Union([Type.String(), Type.Null()]) }),
  ]),
  /** The viewer's pending join requests, for themself and for their organisation. */
  pendingRequests: Type.Object({ person: Type.Boolean(), organisation: Type.Boolean() }),
  subscription: Type.Union([Type.Null(), Type.Union([Type.Literal('immediate'), Type.Literal('daily')])]),
  organisations: Type.Array(Type.Object({ id: Uuid, name: Type.String(), country: Type.String(), type: Type.String() })),
  people: Type.Array(Type.Object({ id: Uuid, name: Type.String(), isAdmin: Type.Boolean() })),
  /** Times the secretariat added its own account or organisation (for members, admins and the secretariat; empty for others). */
  selfGrants: Type.Array(
    Type.Object({
      id: Uuid,
      at: Type.String({ format: 'date-time' }),
      by: Type.Object({ id: Uuid, name: Type.String() }),
      granted: Type.Object({ kind: Type.Union([Type.Literal('person'), Type.Literal('organisation')]), id: Uuid, name: Type.String() }),
      asAdmin: Type.Boolean(),
    }),
  ),
});

/**
 * Communities group organisations and people; audiences of AMBER records name
 * them. Membership is visible to members of the platform; changing it is for
 * the secretariat and the community's admins.
 */
export const communityRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  const detail = (actor: Actor, id: string) => communityDetail(p, actor, id);
  // Also used by the proposal routes (proposals.ts).
  const createCommunity = (
    actor: Actor,
    b: { slug: string; name: string; description?: string; visibility?: 'public' | 'members'; reason?: string },
    status: 'approved' | 'proposed',
  ) => create(p, actor, b, status);

  app.get(
    '/api/v1/communities',
    {
      schema: {
        tags: ['communities'],
        summary: 'All approved communities (of a members-only community, outsiders get the name only: empty description, null counts)',
        description: '`organisation`: only the communities that organisation belongs to, among those whose members this viewer may see.',
        querystring: Type.Object({ organisation: Type.Optional(Uuid), lang: Type.Optional(LanguageParam) }, { additionalProperties: false }),
        response: { 200: Items(Summary), ...errors(400, 401, 403) },
      },
    },
    async (req) => ({ items: await listCommunities(p, requireVetted(req), req.query, readerLanguagesOf(req)) }),
  );

  app.get(
    '/api/v1/communities/:id',
    {
      schema: {
        tags: ['communities'],
        summary: 'One community with its members, its name and description in the reader’s language when it has it (?lang= asks for one)',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false }),
        response: { 200: Detail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => detail(actorOf(req), req.params.id),
  );

  const TranslationParams = Type.Object({ id: Uuid, lang: LanguageParam });
  app.put(
    '/api/v1/communities/:id/translations/:lang',
    {
      schema: {
        tags: ['communities'],
        summary: 'Add or replace the community’s name and description in another language (its admins and the secretariat); marked outdated when they change',
        params: TranslationParams,
        body: TranslationInput({ name: Type.String({ minLength: 2, maxLength: 200 }), description: Type.String({ maxLength: 4000 }) }),
        response: { 200: Detail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await translateCommunity(p, actor, req.params.id, req.params.lang, req.body);
      return detail(actor, req.params.id);
    },
  );
  app.delete(
    '/api/v1/communities/:id/translations/:lang',
    { schema: { tags: ['communities'], summary: 'Remove the community’s name and description in a language', params: TranslationParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await removeCommunityTranslation(p, actorOf(req), req.params.id, req.params.lang);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/communities',
    {
      schema: {
        tags: ['communities'],
        summary: 'Create a community (secretariat) or propose one (organisation admins: it waits for the secretariat)',
        body: NewCommunity,
        response: { 201: Detail, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const pr = requireVetted(actor);
      if (!hasRole(pr, 'secretariat') && !hasRole(pr, 'org_admin')) throw forbidden('Only organisation admins propose communities, and the secretariat creates them');
      const id = await createCommunity(actor, req.body, hasRole(pr, 'secretariat') ? 'approved' : 'proposed');
      return reply.status(201).send(await detail(actor, id));
    },
  );

  communityExtraRoutes(app, { p, createCommunity, detail, Detail });

  const OrgParams = Type.Object({ id: Uuid, organisationId: Uuid });
  app.put(
    '/api/v1/communities/:id/organisations/:organisationId',
    { schema: { tags: ['communities'], summary: 'Add an organisation to a community', params: OrgParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await addOrganisation(p, actorOf(req), req.params.id, req.params.organisationId);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/communities/:id/organisations/:organisationId',
    { schema: { tags: ['communities'], summary: 'Remove an organisation from a community', params: OrgParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await removeOrganisation(p, actorOf(req), req.params.id, req.params.organisationId);
      return reply.status(204).send(null);
    },
  );

  const PersonParams = Type.Object({ id: Uuid, personId: Uuid });
  app.put(
    '/api/v1/communities/:id/people/:personId',
    {
      schema: {
        tags: ['communities'],
        summary: 'Add a person to a community (or change whether they administer it)',
        params: PersonParams,
        body: Body({ isAdmin: Type.Boolean({ default: false }) }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await addPerson(p, actorOf(req), req.params.id, req.params.personId, req.body.isAdmin);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/communities/:id/people/:personId',
    { schema: { tags: ['communities'], summary: 'Remove a person from a community', params: PersonParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await removePerson(p, actorOf(req), req.params.id, req.params.personId);
      return reply.status(204).send(null);
    },
  );
};
