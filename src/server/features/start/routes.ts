import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { errors } from '../../platform/schemas.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { PERSONAS } from './persona.js';
import { secretariatTodo, startingPoint } from './service.js';

const Persona = Type.Union([Type.Literal(PERSONAS[0]), Type.Literal(PERSONAS[1]), Type.Literal(PERSONAS[2]), Type.Literal(PERSONAS[3])]);

/** Per-person starting points: which view the home page and the menu open in, and the secretariat's to-do counts. */
export const startRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/me/start',
    {
      schema: {
        tags: ['account'],
        summary: 'The view the home page and the menu open in for me (a suggestion: the web app lets me switch), and why',
        response: {
          200: Type.Object({
            persona: Persona,
            basis: Type.Union([Type.Literal('role'), Type.Literal('contact'), Type.Literal('organisation'), Type.Literal('default')], {
              description: 'What decided it: the secretariat role, the kinds of the points of contact naming me, my organisation type, or nothing known',
            }),
            organisationType: Type.String(),
            contactKinds: Type.Array(Type.String(), { description: 'Kinds of the active points of contact naming me that I may see' }),
          }),
          ...errors(401),
        },
      },
    },
    async (req) => startingPoint(p, requirePrincipal(req)),
  );
  app.get(
    '/api/v1/secretariat/todo',
    {
      schema: {
        tags: ['secretariat'],
        summary: 'What waits for the secretariat: join requests, nominations (those it may see), community proposals and assistance requests to triage (those it may see)',
        response: {
          200: Type.Object({ organisations: Type.Integer(), nominations: Type.Integer(), proposals: Type.Integer(), requests: Type.Integer({ description: 'Assistance requests waiting for triage (those it may see)' }) }),
          ...errors(401, 403),
        },
      },
    },
    async (req) => secretariatTodo(p, requirePrincipal(req)),
  );
};
