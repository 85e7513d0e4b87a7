import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ORGANISATION_TYPES } from '#shared/organisations';
import { actorOf } from '../../platform/actor.js';
import { ConceptTag, ConceptTags } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { AudienceInput, Audience, errors, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import {
  attachToKnowledge,
  createKnowledge,
  deleteKnowledge,
  getKnowledge,
  KNOWLEDGE_STATUSES,
  KNOWLEDGE_TYPES,
  knowledgeDiff,
  LICENCES,
  LIMITS,
  listKnowledge,
  publishKnowledge,
  readKnowledgeAttachment,
  recommendedKnowledge,
  removeKnowledgeAttachment,
  removeKnowledgeTranslation,
  reviewKnowledge,
  submitForReview,
  translateKnowledge,
  updateKnowledge,
} from './service.js';

const tags = ['knowledge'];
const KnowledgeType = OneOf(KNOWLEDGE_TYPES);
const Status = OneOf(KNOWLEDGE_STATUSES);
const Country = Type.String({ pattern: '^[A-Z]{2}$' });
const Can = Type.Object({ edit: Type.Boolean(), translate: Type.Boolean(), review: Type.Boolean() });
const Segment = Type.Object({ text: Type.String(), match: Type.Boolean() });

const Summary = Type.Object({
  id: Uuid,
  slug: Type.String({ description: 'Its address on the public portal: /practices/{slug}' }),
  type: KnowledgeType,
  title: Type.String(),
  summary: Type.String(),
  translation: TranslationInfo,
  countries: Type.Array(Type.String()),
  concepts: Type.Array(Type.String({ description: 'scheme/concept' })),
  audiences: Type.Array(Type.String({ description: 'A kind of organisation it is written for' })),
  date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  status: Status,
  tlp: Tlp,
  updatedAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  can: Can,
});
const Texts = {
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  summary: Type.Optional(Type.String({ maxLength: LIMITS.summary })),
  body: Type.Optional(Type.String({ maxLength: LIMITS.body, description: 'Markdown; shown sanitised (no HTML, no images from elsewhere)' })),
  evidence: Type.Optional(Type.String({ maxLength: LIMITS.evidence, description: 'What shows it works' })),
  outcome: Type.Optional(Type.String({ maxLength: LIMITS.outcome, description: 'What came of it' })),
};
const Item = Type.Object({
    ...Summary.properties,
    body: Type.String(),
    bodyHtml: Type.String({ description: 'The body rendered and sanitised' }),
    evidence: Type.String(),
    outcome: Type.String(),
    revision: Type.Integer({ description: 'The source text’s revision' }),
    coAuthors: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
    sourceUrl: Type.Union([Type.String(), Type.Null()]),
    licence: Type.Union([Type.String({ description: 'SPDX id' }), Type.Null()]),
    attribution: Type.String(),
    pap: Pap,
    audience: Audience,
    related: Type.Array(Type.Object({ ...Summary.properties, linked: Type.Boolean({ description: 'Linked by its writers, not found by shared concepts' }) })),
    relatedIds: Type.Array(Uuid),
    records: Type.Array(Type.Object({ id: Uuid, slug: Type.String(), title: Type.String(), date: Type.String({ format: 'date' }), language: Type.String() }), {
      description: 'The activity records this reader may see that link it (at most 100), newest first',
    }),
    attachments: Type.Array(Type.Object({ id: Uuid, fileName: Type.String(), contentType: Type.String(), size: Type.Integer(), at: Type.String() })),
    versions: Type.Array(Type.Object({ version: Type.Integer(), language: Type.String(), note: Type.String(), at: Type.String(), author: Type.Union([Type.String(), Type.Null()]) })),
    reviewers: Type.Array(Type.Object({ id: Uuid, name: Type.String() }), { description: 'Shown to its organisation and its reviewers only' }),
    reviews: Type.Array(
      Type.Object({ id: Uuid, reviewer: Type.Object({ id: Uuid, name: Type.String() }), version: Type.Integer(), decision: OneOf(['approved', 'changes_requested'] as const), comment: Type.String(), at: Type.String() }),
    ),
    sourceTexts: Type.Union([Type.Object({ title: Type.String(), summary: Type.String(), body: Type.String(), evidence: Type.String(), outcome: Type.String() }), Type.Null()], {
      description: 'The source language’s text, for those who translate it',
    }),
});
const Fields = {
  type: KnowledgeType,
  language: LanguageParam,
  ...Texts,
  countries: Type.Optional(Type.Array(Country, { maxItems: LIMITS.countries })),
  coAuthors: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.coAuthors, description: 'Organisations that wrote it too' })),
  concepts: Type.Optional(ConceptTags),
  audiences: Type.Optional(Type.Array(OneOf(ORGANISATION_TYPES), { maxItems: ORGANISATION_TYPES.length, description: 'Kinds of organisation it is written for' })),
  date: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
  sourceUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2000, pattern: '^https?://' }), Type.Null()])),
  licence: Type.Optional(Type.Union([OneOf(LICENCES), Type.Null()])),
  attribution: Type.Optional(Type.String({ maxLength: 1000 })),
  related: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.related })),
  tlp: Tlp,
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
};
const Create = Type.Object(Fields, { additionalProperties: false });
const Update = Type.Object(
  { ...Type.Partial(Type.Object(Fields)).properties, note: Type.Optional(Type.String({ maxLength: 500, description: 'What this change is, for the history' })) },
  { additionalProperties: false, minProperties: 1 },
);
/** An item's id or its slug. */
const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-z][0-9a-z-]{0,119}$', maxLength: 120, description: 'The item’s id or its slug' }) });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });

/** The good-practice library: read through the policy and the workflow, written by its organisation, reviewed by named reviewers. */
export const knowledgeRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/knowledge',
    {
      schema: {
        tags,
        summary:
          'The library as this reader may see it: `q` searches every language version (stemmed per language, accents folded), the reader’s language first, with snippets; filters by type, concept, country, TLP, status and organisation; counts per type over the visible items only',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            lang: Type.Optional(LanguageParam),
            type: Type.Optional(KnowledgeType),
            concept: Type.Optional(ConceptTag),
            country: Type.Optional(Country),
            tlp: Type.Optional(Tlp),
            status: Type.Optional(Status),
            organisation: Type.Optional(Uuid),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 60 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ ...Summary.properties, snippet: Type.Array(Segment, { description: 'With `q`: the text around the words found, each match marked; empty otherwise' }) })),
            counts: Type.Object({ byType: Type.Record(Type.String(), Type.Integer()) }),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400),
        },
      },
    },
    async (req) => listKnowledge(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/knowledge/recommended',
    { schema: { tags, summary: 'Published items picked for the reader: for their kind of organisation, about their country, from or for their communities', response: { 200: Type.Object({ items: Type.Array(Summary) }), ...errors(401, 403) } } },
    async (req) => recommendedKnowledge(p, actorOf(req)),
  );
  app.get(
    '/api/v1/knowledge/:id',
    { schema: { tags, summary: 'One item, if this reader may see it, in their language (or `lang`)', params: Id, querystring: LangQuery, response: { 200: Item, ...errors(400, 404) } } },
    async (req) => getKnowledge(p, actorOf(req), req.params.id, req.query.lang),
  );
  app.post(
    '/api/v1/knowledge',
    { schema: { tags, summary: 'Write a new item: a draft of your organisation', body: Create, response: { 201: Item, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.code(201).send(await createKnowledge(p, actorOf(req), req.body)),
  );
  app.patch(
    '/api/v1/knowledge/:id',
    {
      schema: {
        tags,
        summary: 'Change an item (its author or organisation admins): a change of its text is a new revision in its history, and sends an item in review back to draft',
        params: Id,
        body: Update,
        response: { 200: Item, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateKnowledge(p, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/knowledge/:id',
    { schema: { tags, summary: 'Delete an item with its history and files (its author or organisation admins)', params: Id, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await deleteKnowledge(p, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.put(
    '/api/v1/knowledge/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace its translation into a language (author, organisation admins, translators); `machine` marks one made by a machine, `basedOn` the source revision it was made from',
        params: Type.Object({ id: Id.properties.id, lang: LanguageParam }),
        body: Type.Object({ ...Texts, machine: Type.Optional(Type.Boolean()), basedOn: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Item, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateKnowledge(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/knowledge/:id/translations/:lang',
    { schema: { tags, summary: 'Remove a translation', params: Type.Object({ id: Id.properties.id, lang: LanguageParam }), response: { 200: Item, ...errors(400, 401, 403, 404) } } },
    async (req) => removeKnowledgeTranslation(p, actorOf(req), req.params.id, req.params.lang),
  );
  app.post(
    '/api/v1/knowledge/:id/review-request',
    {
      schema: {
        tags,
        summary: 'Send a draft to review by named members, each of whom may read it under its marking',
        params: Id,
        body: Type.Object({ reviewers: Type.Array(Uuid, { minItems: 1, maxItems: LIMITS.reviewers }) }, { additionalProperties: false }),
        response: { 200: Item, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => submitForReview(p, actorOf(req), req.params.id, req.body.reviewers),
  );
  app.post(
    '/api/v1/knowledge/:id/reviews',
    {
      schema: {
        tags,
        summary: 'A named reviewer approves the current revision, or asks for changes (with a comment), which returns the item to draft',
        params: Id,
        body: Type.Object({ decision: OneOf(['approved', 'changes_requested'] as const), comment: Type.Optional(Type.String({ maxLength: 5000 })) }, { additionalProperties: false }),
        response: { 200: Type.Union([Item, Type.Object({ id: Uuid, status: Type.Literal('draft') })]), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => reviewKnowledge(p, actorOf(req), req.params.id, req.body.decision, req.body.comment),
  );
  app.post(
    '/api/v1/knowledge/:id/publish',
    { schema: { tags, summary: 'Publish an item every named reviewer approved in its current revision', params: Id, response: { 200: Item, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => publishKnowledge(p, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/knowledge/:id/diff',
    {
      schema: {
        tags,
        summary: 'What changed between two revisions, field by field, word by word',
        params: Id,
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: Type.Object({ version: Type.Integer(), language: Type.String(), at: Type.String(), author: Type.Union([Type.String(), Type.Null()]), note: Type.String() }),
            to: Type.Object({ version: Type.Integer(), language: Type.String(), at: Type.String(), author: Type.Union([Type.String(), Type.Null()]), note: Type.String() }),
            fields: Type.Array(Type.Object({ field: Type.String(), parts: Type.Array(Type.Object({ text: Type.String(), change: OneOf(['same', 'added', 'removed'] as const) })) })),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (req) => knowledgeDiff(p, actorOf(req), req.params.id, req.query.from, req.query.to),
  );
  app.get(
    '/api/v1/knowledge-attachments/:id',
    { schema: { tags, summary: 'Download a file of an item this reader may see', params: Type.Object({ id: Uuid }), response: { 200: Type.Any({ description: 'The file, with its detected content type' }), ...errors(400, 404) } } },
    async (req, reply) => {
      const a = await readKnowledgeAttachment(p, actorOf(req), req.params.id);
      const ascii = a.file_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .header('content-type', a.content_type)
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(a.content));
    },
  );
  app.delete(
    '/api/v1/knowledge/:id/attachments/:attachmentId',
    { schema: { tags, summary: 'Remove a file of an item', params: Type.Object({ id: Id.properties.id, attachmentId: Uuid }), response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await removeKnowledgeAttachment(p, actorOf(req), req.params.id, req.params.attachmentId);
      return reply.code(204).send(null);
    },
  );

  // Files come as the raw body; their type is decided from their bytes.
  const max = p.config.attachmentMaxBytes;
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: max }, (_req, body, done) => done(null, body));
    raw.addHook('onRequest', async (req) => {
      if (Number(req.headers['content-length'] ?? 0) > max) throw new AppError('PAYLOAD_TOO_LARGE', `Files may be at most ${max} bytes`, { limitBytes: max });
    });
    raw.setErrorHandler((err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', `Files may be at most ${max} bytes`, { limitBytes: max });
      throw err;
    });
    raw.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/knowledge/:id/attachments',
      {
        bodyLimit: max,
        schema: {
          tags,
          summary: 'Attach a file (PDF, office documents, images) as the raw body, its name in ?name=; at most PUENTE_ATTACHMENT_MAX_BYTES; the type is checked from the content',
          params: Id,
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
          response: { 201: Type.Object({ id: Uuid, fileName: Type.String(), contentType: Type.String(), size: Type.Integer() }), ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (req, reply) => reply.code(201).send(await attachToKnowledge(p, actorOf(req), req.params.id, req.query.name, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0))),
    );
  });
};
