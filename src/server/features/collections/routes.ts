import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { Audience, AudienceInput, errors, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { createReadingList, deleteReadingList, getReadingList, LIST_LIMITS, listReadingLists, updateReadingList } from './service.js';

const tags = ['knowledge'];
const ItemSummary = Type.Object(
  {
    id: Uuid,
    slug: Type.String(),
    type: Type.String(),
    title: Type.String(),
    summary: Type.String(),
    translation: Type.Object({ shown: Type.String(), source: Type.String(), fallback: Type.Boolean() }, { additionalProperties: true }),
    organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
    tlp: Tlp,
    status: Type.String(),
  },
  { additionalProperties: true },
);
const List = Type.Object({
  id: Uuid,
  title: Type.String(),
  description: Type.String(),
  language: Type.String(),
  organisation: Type.Object({ id: Uuid, name: Type.String() }),
  author: Type.Union([Type.String(), Type.Null()], { description: 'To members only' }),
  tlp: Tlp,
  pap: Pap,
  audience: Audience,
  itemCount: Type.Integer({ description: 'The items of it this reader may see' }),
  items: Type.Array(ItemSummary, { description: 'In the list’s order; only those this reader may see (empty in listings)' }),
  updatedAt: Type.String(),
  can: Type.Object({ edit: Type.Boolean() }),
});
const Fields = {
  title: Type.String({ minLength: 1, maxLength: LIST_LIMITS.title }),
  description: Type.Optional(Type.String({ maxLength: LIST_LIMITS.description })),
  language: LanguageParam,
  items: Type.Optional(Type.Array(Uuid, { maxItems: LIST_LIMITS.items, description: 'Library items, in order' })),
  tlp: Tlp,
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
};
const Params = Type.Object({ id: Uuid });

/** Reading lists of library items, marked like any content. */
export const readingListRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/reading-lists',
    {
      schema: {
        tags,
        summary: 'Reading lists this reader may see; `item` narrows to those holding a library item, `mine` to their organisation’s',
        querystring: Type.Object({ item: Type.Optional(Uuid), mine: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(List) }), ...errors(400) },
      },
    },
    async (req) => listReadingLists(p, actorOf(req), req.query),
  );
  app.get('/api/v1/reading-lists/:id', { schema: { tags, summary: 'A reading list with the items of it this reader may see', params: Params, response: { 200: List, ...errors(400, 404) } } }, async (req) =>
    getReadingList(p, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/reading-lists',
    { schema: { tags, summary: 'Make a reading list of library items you can see', body: Type.Object(Fields, { additionalProperties: false }), response: { 201: List, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.code(201).send(await createReadingList(p, actorOf(req), req.body)),
  );
  app.patch(
    '/api/v1/reading-lists/:id',
    {
      schema: {
        tags,
        summary: 'Change a reading list (its author or organisation admins); `items` replaces the items you can see, in order — items on it you cannot see stay',
        params: Params,
        body: Type.Partial(Type.Object(Fields), { additionalProperties: false, minProperties: 1 }),
        response: { 200: List, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => updateReadingList(p, actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/v1/reading-lists/:id', { schema: { tags, summary: 'Delete a reading list', params: Params, response: { 204: Type.Null(), ...errors(401, 403, 404) } } }, async (req, reply) => {
    await deleteReadingList(p, actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
};
