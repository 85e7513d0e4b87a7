import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type, type TSchema } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf, change } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { hasRole, requireRole, requireVetted } from '../../platform/auth/principal.js';
import { communityAdmins, mayManage, maySeeCommunity, maySeeCommunityDetails, tellPeople } from './service.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];
interface Deps {
  p: Platform;
  createCommunity: (
    req: FastifyRequest,
    b: { slug: string; name: string; description?: string; visibility?: 'public' | 'members'; reason?: string },
    status: 'approved' | 'proposed',
  ) => Promise<string>;
  detail: (req: FastifyRequest, id: string) => Promise<unknown>;
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
  visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('members')])),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
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
      requireRole(req, 'org_admin');
      requireVetted(req);
      const id = await createCommunity(req, req.body, 'proposed');
      return reply.status(201).send(await detail(req, id));
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
    async (req) => {
      const pr = requireVetted(req);
      const secretariat = hasRole(pr, 'secretariat');
      if (!secretariat && !hasRole(pr, 'org_admin')) throw forbidden('Only organisation admins and the secretariat see proposals');
      let q = p.db
        .selectFrom('communities as c')
        .leftJoin('people as pe', 'pe.id', 'c.proposed_by')
        .leftJoin('organisations as o', 'o.id', 'c.proposed_by_org')
        .select(['c.id', 'c.slug', 'c.name', 'c.description', 'c.visibility', 'c.status', 'c.proposal_reason', 'c.decision_reason', 'c.created_at', 'c.decided_at', 'pe.id as person_id', 'pe.name as person_name', 'o.id as org_id', 'o.name as org_name', 'o.country_code'])
        .where('c.proposed_by_org', 'is not', null);
      if (!secretariat) q = q.where('c.proposed_by_org', '=', pr.organisation.id);
      // Without a filter the secretariat gets its queue (waiting proposals), an organisation admin all of theirs.
      const status = req.query.status ?? (secretariat ? 'proposed' : undefined);
      if (status) q = q.where('c.status', '=', status);
      const rows = await q.orderBy('c.created_at').execute();
      return {
        items: rows.map((r) => ({
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
        })),
      };
    },
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
      const pr = requireRole(req, 'secretariat');
      requireVetted(req);
      const reason = req.body.reason?.trim() || null;
      if (req.body.decision === 'reject' && !reason) throw new AppError('VALIDATION_FAILED', 'Give a reason for the rejection', { field: 'reason' });
      await change(p, async (c) => {
        const com = await c.trx.selectFrom('communities').selectAll().where('id', '=', req.params.id).forUpdate().executeTakeFirst();
        if (!com) throw notFound('Community');
        if (com.status !== 'proposed') throw invalidState('This community is not waiting for a decision', { status: com.status });
        const approved = req.body.decision === 'approve';
        await c.trx
          .updateTable('communities')
          .set({ status: approved ? 'approved' : 'rejected', decided_by: pr.person.id, decided_at: new Date(), decision_reason: reason })
          .where('id', '=', com.id)
          .execute();
        if (approved) {
          // The proposer's organisation joins, and the proposer administers the community.
          if (com.proposed_by_org)
            await c.trx.insertInto('community_organisations').values({ community_id: com.id, organisation_id: com.proposed_by_org }).onConflict((oc) => oc.doNothing()).execute();
          if (com.proposed_by)
            await c.trx.insertInto('community_people').values({ community_id: com.id, person_id: com.proposed_by, is_admin: true }).onConflict((oc) => oc.doNothing()).execute();
        }
        await c.audit({
          action: approved ? 'community.approved' : 'community.rejected',
          ...actorOf(req),
          organisationId: com.proposed_by_org,
          targetType: 'community',
          targetId: com.id,
          details: { slug: com.slug, reason },
        });
        if (com.proposed_by)
          await tellPeople(c, [com.proposed_by], { type: approved ? 'community.approved' : 'community.rejected', subjectType: 'community', subjectId: com.id, payload: { name: com.name, reason } });
      });
      return detail(req, req.params.id);
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
      const pr = requireVetted(req);
      const com = await p.db.selectFrom('communities').select(['id', 'status', 'proposed_by_org']).where('id', '=', req.params.id).executeTakeFirst();
      if (!com || !maySeeCommunity(pr, com)) throw notFound('Community');
      if (!(await mayManage(p.db, pr, com.id))) throw forbidden('Only the community admins and the secretariat change a community');
      await change(p, async (c) => {
        const set: { name?: string; description?: string; visibility?: 'public' | 'members' } = {};
        if (req.body.name !== undefined) set.name = req.body.name.trim();
        if (req.body.description !== undefined) set.description = req.body.description.trim();
        if (req.body.visibility !== undefined) set.visibility = req.body.visibility;
        if (Object.keys(set).length) await c.trx.updateTable('communities').set(set).where('id', '=', com.id).execute();
        await c.audit({ action: 'community.membership_changed', ...actorOf(req), targetType: 'community', targetId: com.id, details: { settings: set } });
      });
      return detail(req, com.id);
    },
  );

  // ---------- join requests ----------

  async function approvedCommunity(id: string) {
    const com = await p.db.selectFrom('communities').select(['id', 'name', 'status', 'visibility']).where('id', '=', id).executeTakeFirst();
    if (!com || com.status !== 'approved') throw notFound('Community');
    return com;
  }

  function requestQuery() {
    return p.db
      .selectFrom('community_join_requests as r')
      .innerJoin('people as rb', 'rb.id', 'r.requested_by')
      .innerJoin('organisations as rbo', 'rbo.id', 'rb.organisation_id')
      .leftJoin('organisations as o', 'o.id', 'r.organisation_id')
      .leftJoin('people as pe', 'pe.id', 'r.person_id')
      .select([
        'r.id',
        'r.community_id',
        'r.organisation_id',
        'r.person_id',
        'r.message',
        'r.status',
        'r.decision_reason',
        'r.created_at',
        'rb.id as rb_id',
        'rb.name as rb_name',
        'rbo.name as rb_org',
        'o.name as org_name',
        'o.country_code as org_country',
        'pe.name as person_name',
      ]);
  }
  type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['executeTakeFirstOrThrow']>>;
  const requestView = (r: RequestRow) => ({
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
    async (req, reply) => {
      const pr = requireVetted(req);
      const com = await approvedCommunity(req.params.id);
      const forOrg = req.body.for === 'organisation';
      if (forOrg && !hasRole(pr, 'org_admin')) throw forbidden('Only an organisation admin asks for their organisation');
      const id = newId();
      await change(p, async (c) => {
        if (forOrg) {
          const member = await c.trx.selectFrom('community_organisations').select('organisation_id').where('community_id', '=', com.id).where('organisation_id', '=', pr.organisation.id).executeTakeFirst();
          if (member) throw new AppError('ALREADY_EXISTS', 'Your organisation is already a member of this community');
        } else if (pr.viewer.communityIds.includes(com.id)) throw new AppError('ALREADY_EXISTS', 'You are already a member of this community');
        const pending = await c.trx
          .selectFrom('community_join_requests')
          .select('id')
          .where('community_id', '=', com.id)
          .where('status', '=', 'pending')
          .where(forOrg ? 'organisation_id' : 'person_id', '=', forOrg ? pr.organisation.id : pr.person.id)
          .executeTakeFirst();
        if (pending) throw new AppError('ALREADY_EXISTS', 'A request is already waiting for a decision', { requestId: pending.id });
        await c.trx
          .insertInto('community_join_requests')
          .values({ id, community_id: com.id, organisation_id: forOrg ? pr.organisation.id : null, person_id: forOrg ? null : pr.person.id, requested_by: pr.person.id, message: req.body.message?.trim() ?? '' })
          .execute();
        await c.audit({ action: 'community.join_requested', ...actorOf(req), organisationId: pr.organisation.id, targetType: 'community', targetId: com.id, details: { requestId: id, for: req.body.for } });
        await tellPeople(c, await communityAdmins(c.trx, com.id), { type: 'community.join_requested', subjectType: 'community', subjectId: com.id, payload: { community: com.name, requestId: id, by: pr.person.name, for: req.body.for } });
      });
      return reply.status(201).send(requestView(await requestQuery().where('r.id', '=', id).executeTakeFirstOrThrow()));
    },
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
    async (req) => {
      const pr = requireVetted(req);
      await approvedCommunity(req.params.id);
      let q = requestQuery().where('r.community_id', '=', req.params.id);
      if (await mayManage(p.db, pr, req.params.id)) q = q.where('r.status', '=', 'pending');
      else q = q.where('r.requested_by', '=', pr.person.id);
      return { items: (await q.orderBy('r.created_at').execute()).map(requestView) };
    },
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
    async (req) => {
      const pr = requireVetted(req);
      const com = await approvedCommunity(req.params.id);
      if (!(await mayManage(p.db, pr, com.id))) throw forbidden('Only the community admins and the secretariat decide join requests');
      const approve = req.body.decision === 'approve';
      const reason = req.body.reason?.trim() || null;
      await change(p, async (c) => {
        const r = await c.trx.selectFrom('community_join_requests').selectAll().where('id', '=', req.params.requestId).where('community_id', '=', com.id).forUpdate().executeTakeFirst();
        if (!r) throw notFound('Join request');
        if (r.status !== 'pending') throw invalidState('This request has already been decided', { status: r.status });
        await c.trx
          .updateTable('community_join_requests')
          .set({ status: approve ? 'approved' : 'declined', decided_by: pr.person.id, decided_at: new Date(), decision_reason: reason })
          .where('id', '=', r.id)
          .execute();
        if (approve && r.organisation_id)
          await c.trx.insertInto('community_organisations').values({ community_id: com.id, organisation_id: r.organisation_id }).onConflict((oc) => oc.doNothing()).execute();
        if (approve && r.person_id)
          await c.trx.insertInto('community_people').values({ community_id: com.id, person_id: r.person_id, is_admin: false }).onConflict((oc) => oc.doNothing()).execute();
        await c.audit({
          action: approve ? 'community.join_approved' : 'community.join_declined',
          ...actorOf(req),
          organisationId: r.organisation_id,
          targetType: 'community',
          targetId: com.id,
          details: { requestId: r.id, organisation: r.organisation_id, person: r.person_id, reason },
        });
        await tellPeople(c, [r.requested_by], { type: approve ? 'community.join_approved' : 'community.join_declined', subjectType: 'community', subjectId: com.id, payload: { community: com.name, reason } });
      });
      return requestView(await requestQuery().where('r.id', '=', req.params.requestId).executeTakeFirstOrThrow());
    },
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
    async (req) => {
      const pr = requireVetted(req);
      const com = await approvedCommunity(req.params.id);
      if (!maySeeCommunityDetails(pr, com)) throw forbidden('The members of this community are listed for its members only');
      let q = p.db
        .selectFrom('people as pe')
        .innerJoin('organisations as o', 'o.id', 'pe.organisation_id')
        .select(['pe.id', 'pe.name', 'o.name as organisation'])
        .where('pe.status', '=', 'active')
        .where('o.status', '=', 'approved')
        .where((eb) =>
          eb.or([
            eb.exists(eb.selectFrom('community_people as cp').select('cp.person_id').whereRef('cp.person_id', '=', 'pe.id').where('cp.community_id', '=', req.params.id)),
            eb.exists(eb.selectFrom('community_organisations as co').select('co.organisation_id').whereRef('co.organisation_id', '=', 'pe.organisation_id').where('co.community_id', '=', req.params.id)),
          ]),
        );
      const term = req.query.q?.trim();
      if (term) q = q.where(sql<boolean>`unaccent(lower(pe.name)) LIKE '%' || unaccent(lower(${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)})) || '%'`);
      return { items: await q.orderBy('pe.name').limit(20).execute() };
    },
  );
}
