import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf, type Actor } from '../../platform/actor.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { requireRole, requireVetted } from '../../platform/auth/principal.js';
import type { JoinRequestRow, ProposalRow } from './repository.js';
import { changeCommunitySettings, decideJoinRequest, decideProposal, listJoinRequests, listProposals, mentionable, requestToJoin } from './service.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];
interface Deps {
  p: Platform;
  createCommunity: (
    actor: Actor,
    b: { slug: string; name: string; description?: string; visibility?: 'public' | 'members'; reason?: string },
    status: 'approved' | 'proposed',
  ) => Promise<string>;
  detail: (actor: Actor, id: string) => Promise<unknown>;
  Detail: TSchema;
}

const Status = Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected')]);
const Proposal = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('members')]),
  status: Status,
  reason: Type.String(),
  proposedBy: Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String() }),
  organisation: Type.Object({ id: Type.Union([Uuid, Type.Null()]), name: Type.String(), country: Type.String() }),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const JoinRequest = Type.Object({
  id: Uuid,
  communityId: Uuid,
  kind: Type.Union([Type.Literal('organisation'), Type.Literal('person')]),
  organisation: Type.Union([Type.Null(), Type.Object({ id: Uuid, name: Type.String(), country: Type.String() })]),
  person: Type.Union([Type.Null(), Type.Object({ id: Uuid, name: Type.String() })]),
  requestedBy: Type.Object({ id: Uuid, name: Type.String(), organisation: Type.String() }),
  message: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('declined')]),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
const Params = Type.Object({ id: Uuid });

/** A new community, as the secretariat creates it or an organisation admin proposes it. */
export const NewCommunity = Body({
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
  name: Type.String({ minLength: 2, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  /** The language name and description are written in (BCP 47); the writer's interface language when absent. */
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })),
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('members')])),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
});

const proposalView = (r: ProposalRow) => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  visibility: r.visibility,
  status: r.status,
  reason: r.proposal_reason,
  proposedBy: { id: r.person_id, name: r.person_name ?? '' },
  organisation: { id: r.org_id, name: r.org_name ?? '', country: r.country_code ?? '' },
  decisionReason: r.decision_reason,
  createdAt: r.created_at.toISOString(),
  decidedAt: r.decided_at?.toISOString() ?? null,
});

const requestView = (r: JoinRequestRow) => ({
  id: r.id,
  communityId: r.community_id,
  kind: r.organisation_id ? ('organisation' as const) : ('person' as const),
  organisation: r.organisation_id ? { id: r.organisation_id, name: r.org_name ?? '', country: r.org_country ?? '' } : null,
  person: r.person_id ? { id: r.person_id, name: r.person_name ?? '' } : null,
  requestedBy: { id: r.rb_id, name: r.rb_name, organisation: r.rb_org },
  message: r.message,
  status: r.status,
  decisionReason: r.decision_reason,
  createdAt: r.created_at.toISOString(),
});

/** Proposals decided by the secretariat, join requests decided by community admins, settings, the mention picker. */
export function communityExtraRoutes(app: App, { p, createCommunity, detail, Detail }: Deps) {
  app.post(
    '/api/v1/communities/proposals',
    {
      schema: {
        tags: ['communities'],
        summary: 'Organisation admins: propose a community (the secretariat approves or rejects it)',
        body: NewCommunity,
        response: { 201: Detail, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      requireRole(actor, 'org_admin');
      requireVetted(actor);
      const id = await createCommunity(actor, req.body, 'proposed');
      return reply.status(201).send(await detail(actor, id));
    },
  );

  app.get(
    '/api/v1/communities/proposals',
    {
      schema: {
        tags: ['communities'],
        summary: 'Proposals: the secretariat sees all, an organisation admin those of their organisation',
        querystring: Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false }),
        response: { 200: Items(Proposal), ...errors(401, 403) },
      },
    },
    async (req) => ({ items: (await listProposals(p, actorOf(req), req.query.status)).map(proposalView) }),
  );

  app.post(
    '/api/v1/communities/:id/decision',
    {
      schema: {
        tags: ['communities'],
        summary: 'Secretariat: approve or reject a proposed community (a rejection needs a reason)',
        params: Params,
        body: Body({ decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]), reason: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 200: Detail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await decideProposal(p, actor, req.params.id, req.body.decision, req.body.reason);
      return detail(actor, req.params.id);
    },
  );

  app.patch(
    '/api/v1/communities/:id',
    {
      schema: {
        tags: ['communities'],
        summary: 'Community admins and the secretariat: change the name, description or who may read the description',
        params: Params,
        body: Body({
          name: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
          description: Type.Optional(Type.String({ maxLength: 4000 })),
          visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('members')])),
        }),
        response: { 200: Detail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return detail(actor, await changeCommunitySettings(p, actor, req.params.id, req.body));
    },
  );

  // ---------- join requests ----------

  app.post(
    '/api/v1/communities/:id/join-requests',
    {
      schema: {
        tags: ['communities'],
        summary: 'Ask to join a community: an organisation admin for their organisation, or a person for themself',
        params: Params,
        body: Body({ for: Type.Union([Type.Literal('organisation'), Type.Literal('person')]), message: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 201: JoinRequest, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(requestView(await requestToJoin(p, actorOf(req), req.params.id, req.body))),
  );

  app.get(
    '/api/v1/communities/:id/join-requests',
    {
      schema: {
        tags: ['communities'],
        summary: 'Join requests: community admins and the secretariat see the pending ones, others their own',
        params: Params,
        response: { 200: Items(JoinRequest), ...errors(401, 403, 404) },
      },
    },
    async (req) => ({ items: (await listJoinRequests(p, actorOf(req), req.params.id)).map(requestView) }),
  );

  app.post(
    '/api/v1/communities/:id/join-requests/:requestId/decision',
    {
      schema: {
        tags: ['communities'],
        summary: 'Community admins and the secretariat: approve or decline a join request',
        params: Type.Object({ id: Uuid, requestId: Uuid }),
        body: Body({ decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]), reason: Type.Optional(Type.String({ maxLength: 2000 })) }),
        response: { 200: JoinRequest, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => requestView(await decideJoinRequest(p, actorOf(req), req.params.id, req.params.requestId, req.body.decision, req.body.reason)),
  );

  app.get(
    '/api/v1/communities/:id/mentionable',
    {
      schema: {
        tags: ['communities'],
        summary: 'People who are members of the community (directly or through their organisation), for mentions',
        params: Params,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
        response: { 200: Items(Type.Object({ id: Uuid, name: Type.String(), organisation: Type.String() })), ...errors(401, 403, 404) },
      },
    },
    async (req) => ({ items: await mentionable(p, actorOf(req), req.params.id, req.query.q) }),
  );
}
