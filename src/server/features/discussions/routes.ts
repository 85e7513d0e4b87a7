import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { TOPIC_TLP_LEVELS } from '#shared/tlp';
import { Audience, AudienceInput, Body, errors, Items, OneOf, Pap, Uuid } from '../../platform/schemas.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { renderMarkdown } from '../../platform/markdown.js';
import {
  changeTopicMarking,
  createReply,
  createTopic,
  deleteReply,
  deleteTopic,
  editReply,
  editTopic,
  getVisibleTopic,
  listTopics,
  readAttachment,
  setSubscription,
  topicView,
  uploadAttachment,
} from './service.js';

const TopicTlp = OneOf(TOPIC_TLP_LEVELS);
const AnyTlp = Type.Union([Type.Literal('CLEAR'), TopicTlp]);
const Person = Type.Object({ id: Uuid, name: Type.String() });
const Attachment = Type.Object({ id: Uuid, fileName: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer(), sha256: Type.String(), createdAt: Type.String({ format: 'date-time' }) });
const TopicCan = Type.Object(
  {
    edit: Type.Boolean({ description: 'PATCH /api/v1/topics/{id} will be allowed: the author' }),
    changeMarking: Type.Boolean({ description: 'PUT /api/v1/topics/{id}/marking will be allowed: the author, or an admin of the author’s organisation' }),
    delete: Type.Boolean({ description: 'DELETE /api/v1/topics/{id} will be allowed: the author, or an admin of the community' }),
    moderate: Type.Boolean({ description: 'This viewer is an admin of the community: deletes others’ topics and replies in it' }),
    reply: Type.Boolean({ description: 'POST /api/v1/topics/{id}/replies will be allowed: members of the community' }),
    attach: Type.Boolean({ description: 'Attaching files to the topic will be allowed: the author, while a member' }),
  },
  { description: 'What this viewer may do with the topic' },
);
const ReplyCan = Type.Object(
  {
    edit: Type.Boolean({ description: 'PATCH /api/v1/replies/{id} will be allowed: the author' }),
    delete: Type.Boolean({ description: 'DELETE /api/v1/replies/{id} will be allowed: the author, or an admin of the community' }),
    attach: Type.Boolean({ description: 'Attaching files to the reply will be allowed: the author, while a member' }),
  },
  { description: 'What this viewer may do with the reply' },
);
const TopicSummary = Type.Object({
  id: Uuid,
  communityId: Uuid,
  communityName: Type.String(),
  title: Type.String(),
  language: Type.String(),
  tlp: AnyTlp,
  pap: Pap,
  author: Person,
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  audience: Audience,
  replyCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  lastActivityAt: Type.String({ format: 'date-time' }),
  can: TopicCan,
});
const Mode = Type.Union([Type.Literal('immediate'), Type.Literal('daily')]);
const Topic = Type.Intersect([
  TopicSummary,
  Type.Object({
    bodyMarkdown: Type.String(),
    /** Rendered on the server and sanitised: safe to insert as HTML. */
    bodyHtml: Type.String(),
    mentions: Type.Array(Person),
    attachments: Type.Array(Attachment),
    replies: Type.Array(
      Type.Object({
        id: Uuid,
        bodyMarkdown: Type.String(),
        bodyHtml: Type.String(),
        author: Person,
        organisation: Type.String(),
        mentions: Type.Array(Person),
        attachments: Type.Array(Attachment),
        createdAt: Type.String({ format: 'date-time' }),
        editedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        canEdit: Type.Boolean({ description: 'This viewer wrote it' }),
        canDelete: Type.Boolean({ description: 'This viewer wrote it or is an admin of the community' }),
        can: ReplyCan,
      }),
    ),
    editedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    canEdit: Type.Boolean({ description: 'This viewer wrote the topic' }),
    canDelete: Type.Boolean({ description: 'This viewer wrote the topic or is an admin of the community' }),
    canChangeMarking: Type.Boolean({ description: 'This viewer wrote the topic or is an admin of its author’s organisation' }),
    canPost: Type.Boolean({ description: 'The same as can.reply' }),
    canAttach: Type.Boolean({ description: 'The same as can.attach' }),
    subscription: Type.Union([Type.Null(), Mode]),
  }),
]);
const Markdown = Type.String({ minLength: 1, maxLength: 50_000 });
const Mentions = Type.Optional(Type.Array(Uuid, { maxItems: 50 }));
const Params = Type.Object({ id: Uuid });
const Subscription = Type.Object({ mode: Type.Union([Type.Null(), Mode]) });

/**
 * Discussions in communities: topics (marked records, default TLP:AMBER for the
 * community) and replies (inheriting the topic's marking) in Markdown rendered
 * to sanitised HTML on the server; mentions; attachments in PostgreSQL;
 * subscriptions with notices and a daily digest.
 */
export const discussionRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/communities/:id/topics',
    { schema: { tags: ['discussions'], summary: 'Topics of a community this viewer may see, latest activity first', params: Params, response: { 200: Items(TopicSummary), ...errors(401, 403, 404) } } },
    async (req) => listTopics(p, actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/communities/:id/topics',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Members: open a topic (default TLP:AMBER shared with the community)',
        params: Params,
        body: Body({
          title: Type.String({ minLength: 1, maxLength: 300 }),
          body: Markdown,
          language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
          tlp: Type.Optional(TopicTlp),
          pap: Type.Optional(Pap),
          audience: Type.Optional(AudienceInput),
          mentions: Mentions,
        }),
        response: { 201: Topic, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await createTopic(p, actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/topics/:id',
    { schema: { tags: ['discussions'], summary: 'A topic with its replies and attachments, if this viewer may see it', params: Params, response: { 200: Topic, ...errors(401, 403, 404) } } },
    async (req) => {
      const pr = requireVetted(req);
      return topicView(p, pr, await getVisibleTopic(p, pr.viewer, req.params.id));
    },
  );

  app.post(
    '/api/v1/topics/:id/replies',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Members: reply to a topic (the reply has the topic’s marking)',
        params: Params,
        body: Body({ body: Markdown, mentions: Mentions }),
        response: { 201: Type.Intersect([Topic, Type.Object({ replyId: Uuid })]), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const r = await createReply(p, actorOf(req), req.params.id, req.body);
      return reply.status(201).send(r);
    },
  );

  app.patch(
    '/api/v1/topics/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'The author edits a topic (title, Markdown body, language, mentions); the HTML is rendered and sanitised again; newly mentioned members are told (audited)',
        params: Params,
        body: Body({
          title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          body: Type.Optional(Markdown),
          language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
          mentions: Mentions,
        }),
        response: { 200: Topic, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => editTopic(p, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/topics/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'The author or a community admin deletes a topic with its replies and attachments (audited)',
        params: Params,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      await deleteTopic(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/topics/:id/marking',
    {
      schema: {
        tags: ['discussions'],
        summary:
          'The author or their organisation admins change a topic’s marking (not CLEAR; default audience of AMBER: the community). Once others have replied it may only narrow (400 INVALID_MARKING). Audited; the event carries the new marking',
        params: Params,
        body: Body({ tlp: TopicTlp, pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput) }),
        response: { 200: Topic, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => changeTopicMarking(p, actorOf(req), req.params.id, req.body),
  );

  app.patch(
    '/api/v1/replies/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'The author edits a reply (Markdown, mentions); the HTML is rendered and sanitised again (audited). Answers the topic',
        params: Params,
        body: Body({ body: Markdown, mentions: Mentions }),
        response: { 200: Topic, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => editReply(p, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/v1/replies/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'The author or a community admin deletes a reply and its attachments (audited). Answers the topic',
        params: Params,
        response: { 200: Topic, ...errors(401, 403, 404) },
      },
    },
    async (req) => deleteReply(p, actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/discussions/preview',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Render Markdown as the server stores it (sanitised HTML)',
        body: Body({ markdown: Type.String({ maxLength: 50_000 }) }),
        response: { 200: Type.Object({ html: Type.String() }), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      requireVetted(req);
      return { html: renderMarkdown(req.body.markdown) };
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    {
      schema: {
        tags: ['discussions'],
        summary: 'Download an attachment (only through a topic this viewer may see)',
        params: Params,
        response: { 200: Type.Any({ description: 'The file, with its stored content type' }), ...errors(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const pr = requireVetted(req);
      const a = await readAttachment(p, pr.viewer, req.params.id);
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

  for (const [path, key] of [
    ['/api/v1/communities/:id/subscription', 'communityId'],
    ['/api/v1/topics/:id/subscription', 'topicId'],
  ] as const) {
    app.put(
      path,
      {
        schema: {
          tags: ['discussions'],
          summary: `Members: follow a ${key === 'communityId' ? 'community' : 'topic'} (immediate notices or a daily digest)`,
          params: Params,
          body: Body({ mode: Mode }),
          response: { 200: Subscription, ...errors(400, 401, 403, 404) },
        },
      },
      async (req) => setSubscription(p, actorOf(req), { [key]: req.params.id }, req.body.mode),
    );
    app.delete(
      path,
      { schema: { tags: ['discussions'], summary: `Stop following a ${key === 'communityId' ? 'community' : 'topic'}`, params: Params, response: { 200: Subscription, ...errors(401, 403, 404) } } },
      async (req) => setSubscription(p, actorOf(req), { [key]: req.params.id }, null),
    );
  }

  // Uploads take the raw body (any content type); the type is decided from the bytes.
  const max = p.config.attachmentMaxBytes;
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: max }, (_req, body, done) => done(null, body));
    raw.addHook('onRequest', async (req) => {
      const len = Number(req.headers['content-length'] ?? 0);
      if (len > max) throw new AppError('PAYLOAD_TOO_LARGE', `Attachments may be at most ${max} bytes`, { limitBytes: max });
    });
    raw.setErrorHandler((err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', `Attachments may be at most ${max} bytes`, { limitBytes: max });
      throw err;
    });
    raw.withTypeProvider<import('@fastify/type-provider-typebox').TypeBoxTypeProvider>().post(
      '/api/v1/topics/:id/attachments',
      {
        bodyLimit: max,
        schema: {
          tags: ['discussions'],
          summary: `Attach a file to a topic (or, with replyId, to a reply): the raw file as the request body, its name in ?name=. At most PUENTE_ATTACHMENT_MAX_BYTES; the type is checked from the content`,
          params: Params,
          querystring: Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), replyId: Type.Optional(Uuid) }, { additionalProperties: false }),
          response: { 201: Attachment, ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (req, reply) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return reply.status(201).send(await uploadAttachment(p, actorOf(req), req.params.id, req.query, body));
      },
    );
  });
};
