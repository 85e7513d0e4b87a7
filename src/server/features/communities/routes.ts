import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/deps.js';
import { actorOf, change } from '../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { hasRole, requireVetted } from '../../platform/auth/principal.js';
import { maySeeCommunity, maySeeCommunityDetails, mayManage, tellPeople } from './service.js';
import { isSelfGrant, recordSelfGrant, selfGrantsOf } from './self-grants.js';
import { communityExtraRoutes, NewCommunity } from './proposals.js';

const Summary = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
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
  isMember: Type.Boolean(),
  isAdmin: Type.Boolean(),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected')]),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('members')]),
  descriptionHidden: Type.Boolean(),
  /** Secretariat or community admin: decides join requests and membership. */
  canManage: Type.Boolean(),
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
  async function requireCommunityAdmin(req: FastifyRequest, communityId: string) {
    const pr = requireVetted(req);
    if (!(await mayManage(p.db, pr, communityId))) throw forbidden('Only the secretariat and the community admins change membership');
    return pr;
  }

  async function detail(req: FastifyRequest, id: string) {
    const pr = requireVetted(req);
    const c = await p.db.selectFrom('communities').selectAll().where('id', '=', id).executeTakeFirst();
    // A proposal not the viewer's answers like a missing community.
    if (!c || !maySeeCommunity(pr, c)) throw notFound('Community');
    const organisations = await p.db
      .selectFrom('community_organisations as co')
      .innerJoin('organisations as o', 'o.id', 'co.organisation_id')
      .select(['o.id', 'o.name', 'o.country_code as country', 'o.type'])
      .where('co.community_id', '=', id)
      .orderBy('o.name')
      .execute();
    const people = await p.db
      .selectFrom('community_people as cp')
      .innerJoin('people as pe', 'pe.id', 'cp.person_id')
      .select(['pe.id', 'pe.name', 'cp.is_admin as isAdmin'])
      .where('cp.community_id', '=', id)
      .where('pe.status', '=', 'active')
      .orderBy('pe.name')
      .execute();
    const isMember = pr.viewer.communityIds.includes(c.id);
    const hidden = !maySeeCommunityDetails(pr, c);
    const pending = await p.db
      .selectFrom('community_join_requests')
      .select(['organisation_id', 'person_id'])
      .where('community_id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('person_id', '=', pr.person.id), eb('organisation_id', '=', pr.organisation.id)]))
      .execute();
    const sub = await p.db.selectFrom('discussion_subscriptions').select('mode').where('person_id', '=', pr.person.id).where('community_id', '=', id).executeTakeFirst();
    return {
      id: c.id,
      slug: c.slug,
      name: c.name,
      description: hidden ? '' : c.description,
      isMember,
      isAdmin: people.some((x) => x.id === pr.person.id && x.isAdmin),
      status: c.status,
      visibility: c.visibility,
      descriptionHidden: hidden,
      canManage: await mayManage(p.db, pr, c.id),
      proposal: c.proposed_by_org || c.status !== 'approved'
        ? { organisationId: c.proposed_by_org, reason: c.proposal_reason, decisionReason: c.decision_reason, decidedAt: c.decided_at?.toISOString() ?? null }
        : null,
      pendingRequests: { person: pending.some((r) => r.person_id === pr.person.id), organisation: pending.some((r) => r.organisation_id === pr.organisation.id) },
      subscription: sub?.mode ?? null,
      organisations: hidden ? [] : organisations,
      people: hidden ? [] : people,
      selfGrants: isMember || hasRole(pr, 'secretariat') || people.some((x) => x.id === pr.person.id) ? await selfGrantsOf(p.db, c.id) : [],
    };
  }

  app.get(
    '/api/v1/communities',
    { schema: { tags: ['communities'], summary: 'All approved communities (of a members-only community, outsiders get the name only: empty description, null counts)', response: { 200: Items(Summary), ...errors(401, 403) } } },
    async (req) => {
      const pr = requireVetted(req);
      const rows = await p.db
        .selectFrom('communities as c')
        .select([
          'c.id',
          'c.slug',
          'c.name',
          'c.description',
          sql<number>`(SELECT count(*) FROM community_organisations co WHERE co.community_id = c.id)::int`.as('organisationCount'),
          sql<number>`(SELECT count(*) FROM community_people cp WHERE cp.community_id = c.id)::int`.as('peopleCount'),
          'c.status',
          'c.visibility',
        ])
        .where('c.status', '=', 'approved')
        .orderBy('c.name')
        .execute();
      return {
        items: rows.map((r) => {
          const isMember = pr.viewer.communityIds.includes(r.id);
          const hidden = !maySeeCommunityDetails(pr, r);
          return {
            ...r,
            description: hidden ? '' : r.description,
            organisationCount: hidden ? null : r.organisationCount,
            peopleCount: hidden ? null : r.peopleCount,
            descriptionHidden: hidden,
            isMember,
          };
        }),
      };
    },
  );

  app.get(
    '/api/v1/communities/:id',
    { schema: { tags: ['communities'], summary: 'One community with its members', params: Type.Object({ id: Uuid }), response: { 200: Detail, ...errors(401, 403, 404) } } },
    async (req) => detail(req, req.params.id),
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
      const pr = requireVetted(req);
      if (!hasRole(pr, 'secretariat') && !hasRole(pr, 'org_admin')) throw forbidden('Only organisation admins propose communities, and the secretariat creates them');
      const id = await createCommunity(req, req.body, hasRole(pr, 'secretariat') ? 'approved' : 'proposed');
      return reply.status(201).send(await detail(req, id));
    },
  );

  async function createCommunity(
    req: FastifyRequest,
    b: { slug: string; name: string; description?: string; visibility?: 'public' | 'members'; reason?: string },
    status: 'approved' | 'proposed',
  ) {
    const pr = requireVetted(req);
    const id = newId();
    await change(p, async (c) => {
      const taken = await c.trx.selectFrom('communities').select('id').where('slug', '=', b.slug).executeTakeFirst();
      if (taken) throw new AppError('ALREADY_EXISTS', 'A community with this short name exists', { field: 'slug' });
      await c.trx
        .insertInto('communities')
        .values({
          id,
          slug: b.slug,
          name: b.name.trim(),
          description: b.description?.trim() ?? '',
          visibility: b.visibility ?? 'public',
          status,
          created_by: pr.person.id,
          proposed_by: status === 'proposed' ? pr.person.id : null,
          proposed_by_org: status === 'proposed' ? pr.organisation.id : null,
          proposal_reason: b.reason?.trim() ?? '',
        })
        .execute();
      if (status === 'approved') {
        await c.audit({ action: 'community.created', ...actorOf(req), targetType: 'community', targetId: id, details: { slug: b.slug } });
      } else {
        await c.audit({ action: 'community.proposed', ...actorOf(req), organisationId: pr.organisation.id, targetType: 'community', targetId: id, details: { slug: b.slug, name: b.name.trim() } });
        const secretariat = await c.trx.selectFrom('people').select('id').where(sql<boolean>`'secretariat' = ANY(roles)`).where('status', '=', 'active').execute();
        await tellPeople(c, secretariat.map((x) => x.id), { type: 'community.proposed', subjectType: 'community', subjectId: id, payload: { name: b.name.trim() } });
      }
    });
    return id;
  }

  communityExtraRoutes(app, { p, createCommunity, detail, Detail });

  const OrgParams = Type.Object({ id: Uuid, organisationId: Uuid });
  app.put(
    '/api/v1/communities/:id/organisations/:organisationId',
    { schema: { tags: ['communities'], summary: 'Add an organisation to a community', params: OrgParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      const pr = await requireCommunityAdmin(req, req.params.id);
      await change(p, async (c) => {
        const community = await c.trx.selectFrom('communities').select('id').where('id', '=', req.params.id).executeTakeFirst();
        const org = await c.trx.selectFrom('organisations').select('id').where('id', '=', req.params.organisationId).where('status', '=', 'approved').executeTakeFirst();
        if (!community || !org) throw notFound(!community ? 'Community' : 'Approved organisation');
        const r = await c.trx
          .insertInto('community_organisations')
          .values({ community_id: req.params.id, organisation_id: req.params.organisationId })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0 && (await isSelfGrant(c.trx, pr, req.params.id, { organisationId: req.params.organisationId })))
          await recordSelfGrant(c, req, pr, req.params.id, { organisationId: req.params.organisationId }, p.config.baseUrl);
        if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0)
          await c.audit({ action: 'community.membership_changed', ...actorOf(req), organisationId: req.params.organisationId, targetType: 'community', targetId: req.params.id, details: { added: { organisation: req.params.organisationId } } });
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/communities/:id/organisations/:organisationId',
    { schema: { tags: ['communities'], summary: 'Remove an organisation from a community', params: OrgParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await requireCommunityAdmin(req, req.params.id);
      await change(p, async (c) => {
        const r = await c.trx.deleteFrom('community_organisations').where('community_id', '=', req.params.id).where('organisation_id', '=', req.params.organisationId).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw notFound('Membership');
        await c.audit({ action: 'community.membership_changed', ...actorOf(req), organisationId: req.params.organisationId, targetType: 'community', targetId: req.params.id, details: { removed: { organisation: req.params.organisationId } } });
      });
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
      const pr = await requireCommunityAdmin(req, req.params.id);
      await change(p, async (c) => {
        const person = await c.trx.selectFrom('people').select(['id', 'organisation_id']).where('id', '=', req.params.personId).where('status', '=', 'active').executeTakeFirst();
        const community = await c.trx.selectFrom('communities').select('id').where('id', '=', req.params.id).executeTakeFirst();
        if (!person || !community) throw notFound(!person ? 'Person' : 'Community');
        // Checked before the row is written: afterwards the secretariat may be an admin by its own grant.
        if (await isSelfGrant(c.trx, pr, req.params.id, { personId: person.id }))
          await recordSelfGrant(c, req, pr, req.params.id, { personId: person.id, asAdmin: req.body.isAdmin }, p.config.baseUrl);
        await c.trx
          .insertInto('community_people')
          .values({ community_id: req.params.id, person_id: person.id, is_admin: req.body.isAdmin })
          .onConflict((oc) => oc.columns(['community_id', 'person_id']).doUpdateSet({ is_admin: req.body.isAdmin }))
          .execute();
        await c.audit({ action: 'community.membership_changed', ...actorOf(req), organisationId: person.organisation_id, targetType: 'community', targetId: req.params.id, details: { person: person.id, isAdmin: req.body.isAdmin } });
      });
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/communities/:id/people/:personId',
    { schema: { tags: ['communities'], summary: 'Remove a person from a community', params: PersonParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await requireCommunityAdmin(req, req.params.id);
      await change(p, async (c) => {
        const r = await c.trx.deleteFrom('community_people').where('community_id', '=', req.params.id).where('person_id', '=', req.params.personId).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) throw notFound('Membership');
        await c.audit({ action: 'community.membership_changed', ...actorOf(req), targetType: 'community', targetId: req.params.id, details: { removed: { person: req.params.personId } } });
      });
      return reply.status(204).send(null);
    },
  );
};
