import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { errors, OneOf, Uuid } from '../../platform/schemas.js';
import { Offer } from '../offers/routes.js';
import { answerStaff, proposeStaff, removeStaff, STAFF_ROLES } from './service.js';

// Each answers with the offer as GET /api/v1/offers/{id} does, its sessions' staff included.
const tags = ['offers'];
const Session = Type.Object({ id: Uuid, sessionId: Uuid });
const Staffing = Type.Object({ id: Uuid, sessionId: Uuid, expertId: Uuid });

export const staffingRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.post(
    '/api/v1/offers/:id/sessions/:sessionId/staff',
    {
      schema: {
        tags,
        summary:
          'Propose an expert of the pool for a session (the offer’s editors): the expert must be vetted and visible to you (404 otherwise); the same expert twice → 409 ALREADY_EXISTS; an expert confirmed on another overlapping session → 409 EXPERT_DOUBLE_BOOKED. The expert is mailed if they may read the offer',
        params: Session,
        body: Type.Object({ expertId: Uuid, role: OneOf(STAFF_ROLES) }, { additionalProperties: false }),
        response: { 201: Offer, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await proposeStaff(p, actorOf(req), req.params.id, req.params.sessionId, req.body)),
  );
  app.post(
    '/api/v1/offers/:id/sessions/:sessionId/staff/:expertId/answer',
    {
      schema: {
        tags,
        summary:
          'Accept or decline a proposal (the expert, or an admin of their organisation). Accepting records the mission on the expert’s profile; 409 EXPERT_DOUBLE_BOOKED if the expert is confirmed on an overlapping session',
        params: Staffing,
        body: Type.Object({ accept: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Offer, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => answerStaff(p, actorOf(req), req.params.id, req.params.sessionId, req.params.expertId, req.body.accept),
  );
  app.delete(
    '/api/v1/offers/:id/sessions/:sessionId/staff/:expertId',
    {
      schema: {
        tags,
        summary: 'Take an expert off a session (the offer’s editors, or the expert withdrawing); the mission recorded on confirmation goes too unless it was evaluated',
        params: Staffing,
        response: { 200: Offer, ...errors(401, 403, 404) },
      },
    },
    async (req) => removeStaff(p, actorOf(req), req.params.id, req.params.sessionId, req.params.expertId),
  );
};
