import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { RECORD_LIMITS as L } from '#shared/records';
import { AudienceInput, errors, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { ConceptTag, ConceptTags } from '../../platform/concepts.js';
import { LanguageParam } from '../../platform/translations.js';
import {
  createRecord,
  getCommitmentHistory,
  getRecord,
  importRecord,
  listCommitments,
  listRecords,
  proposeRecord,
  publishRecord,
  recordMarkdown,
  returnRecord,
  setConcepts,
  setPractices,
  updateCommitment,
  updateRecord,
} from './service.js';

const tags = ['records'];
/** A record in Markdown is a few kilobytes; the seed is 3. */
export const RECORD_MAX_BYTES = 256 * 1024;

const Commitment = Type.Object({
  text: Type.String(),
  owners: Type.Array(Type.String()),
  countries: Type.Array(Type.String()),
  due: Type.Optional(Type.String({ format: 'date' })),
  status: Type.Union([Type.Literal('planned'), Type.Literal('in progress'), Type.Literal('done'), Type.Literal('delayed'), Type.Literal('dropped')]),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  milestones: Type.Array(Type.Object({ title: Type.String(), due: Type.Optional(Type.String()), done: Type.Boolean() })),
  evidence: Type.Array(Type.String()),
});
const Record_ = Type.Object({
  id: Uuid,
  slug: Type.String({ description: 'Its address on the public portal: /records/{slug}' }),
  title: Type.String(),
  date: Type.String({ format: 'date' }),
  endDate: Type.Optional(Type.String({ format: 'date' })),
  location: Type.String(),
  summary: Type.String(),
  characteristics: Type.Array(Type.String()),
  actors: Type.Array(Type.Object({ category: Type.String(), actors: Type.Array(Type.String()) })),
  themes: Type.Array(Type.Object({ category: Type.String(), subcategory: Type.String() })),
  applications: Type.Array(Type.String()),
  commitments: Type.Array(Commitment),
  language: Type.String(),
  concepts: Type.Array(Type.String({ description: 'scheme/concept' }), { description: 'Concepts of the vocabularies it concerns (kept beside its published text)' }),
  actorOrganisations: Type.Record(Type.String(), Type.Object({ id: Uuid, name: Type.String() }), {
    description: 'Actors (by their name as written) that are the name or acronym of exactly one approved member organisation; the others stay text',
  }),
  practices: Type.Array(Type.Object({ id: Uuid, slug: Type.String(), title: Type.String(), type: Type.String(), lang: Type.String({ description: 'The language of the title shown' }) }), {
    description: 'The good practices (library items) it concerns that this reader may see',
  }),
  status: Type.Union([Type.Literal('draft'), Type.Literal('proposed'), Type.Literal('published')]),
  organisation: Type.Object({ id: Uuid, name: Type.String() }),
  tlp: Tlp,
  pap: Pap,
  audience: Type.Object({ organisations: Type.Array(Uuid), communities: Type.Array(Uuid), people: Type.Array(Uuid) }),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  can: Type.Object({ edit: Type.Boolean(), propose: Type.Boolean(), publish: Type.Boolean(), return: Type.Boolean(), tag: Type.Boolean() }),
});
/** One line of the record format: limits as docs/records.md lists them (RECORD_LIMITS). */
const Line = (max: number) => Type.String({ maxLength: max });
/** A record written in the app: the fields of the record format, as GET gives them back. */
const RecordFields = {
  title: Line(L.title),
  date: Type.String({ format: 'date' }),
  endDate: Type.Optional(Type.String({ format: 'date' })),
  location: Line(L.location),
  summary: Type.String({ maxLength: L.summary, description: 'Paragraphs separated by an empty line' }),
  characteristics: Type.Array(Line(L.item), { maxItems: L.items }),
  actors: Type.Array(Type.Object({ category: Line(L.category), actors: Type.Array(Line(L.actor), { maxItems: L.actorsPerCategory }) }, { additionalProperties: false }), { maxItems: L.actorCategories }),
  themes: Type.Array(Type.Object({ category: Line(L.category), subcategory: Line(L.subcategory) }, { additionalProperties: false }), { maxItems: L.themes }),
  applications: Type.Array(Line(L.item), { maxItems: L.items }),
  commitments: Type.Array(
    Type.Object(
      {
        text: Line(L.commitmentText),
        owners: Type.Array(Line(L.owner), { maxItems: L.owners }),
        countries: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: L.countries }),
        due: Type.Optional(Type.String({ format: 'date' })),
        status: Commitment.properties.status,
        progress: Type.Integer({ minimum: 0, maximum: 100 }),
        milestones: Type.Array(Type.Object({ title: Line(L.milestone), due: Type.Optional(Type.String({ format: 'date' })), done: Type.Boolean() }, { additionalProperties: false }), { maxItems: L.milestones }),
        evidence: Type.Array(Type.String({ maxLength: L.link }), { maxItems: L.evidence }),
      },
      { additionalProperties: false },
    ),
    { maxItems: L.commitments },
  ),
  language: Type.Optional(LanguageParam),
};
/** A record's id, or its slug on the public portal (`/records/{slug}`). */
const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-z][0-9a-z-]{0,99}$', maxLength: 100, description: 'The record’s id or its slug' }) });
const UuidList = Type.Optional(Type.String({ pattern: '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$', maxLength: 4000 }));
const split = (v: string | undefined) => (v ? v.split(',') : []);

/** Activity records: read (through the policy and the workflow), imported from the published Markdown shape, proposed, published. */
export const recordRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/records',
    {
      schema: {
        tags,
        summary: 'Activity records this reader may see, newest first: published ones within their marking; drafts only to their organisation; proposed ones also to the secretariat',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('proposed'), Type.Literal('published')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Record_), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400) },
      },
    },
    async (req) => listRecords(p, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/records',
    {
      schema: {
        tags,
        summary:
          'Write a record in the app (the fields of the record format, its marking): a draft of your organisation. It is checked by writing it in the record format and reading it back; what does not come back the same is a 400 VALIDATION_FAILED naming the field (details.field)',
        body: Type.Object({ ...RecordFields, tlp: Tlp, pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput) }, { additionalProperties: false }),
        response: { 201: Record_, ...errors(400, 401, 403, 413) },
      },
    },
    async (req, reply) => reply.code(201).send(await createRecord(p, actorOf(req), req.body)),
  );
  app.put(
    '/api/v1/records/:id',
    {
      schema: {
        tags,
        summary:
          'Rewrite a draft or proposed record (its author or organisation admins); a proposed one goes back to draft. Its commitments are written anew. The marking is kept unless given',
        params: Id,
        body: Type.Object({ ...RecordFields, tlp: Type.Optional(Tlp), pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput) }, { additionalProperties: false }),
        response: { 200: Record_, ...errors(400, 401, 403, 404, 409, 413) },
      },
    },
    async (req) => updateRecord(p, actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/v1/records/:id/practices',
    {
      schema: {
        tags,
        summary: 'Link the good practices (library items you can see) a record concerns: its organisation, or the secretariat once proposed',
        params: Id,
        body: Type.Object({ practices: Type.Array(Uuid, { maxItems: L.practices }) }, { additionalProperties: false }),
        response: { 200: Record_, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setPractices(p, actorOf(req), req.params.id, req.body.practices),
  );
  app.get('/api/v1/records/:id', { schema: { tags, summary: 'One record, if this reader may see it', params: Id, response: { 200: Record_, ...errors(400, 404) } } }, async (req) => getRecord(p, actorOf(req), req.params.id));
  app.get(
    '/api/v1/records/:id/markdown',
    { schema: { tags, summary: 'One record in the published Markdown shape (docs/records.md)', params: Id, response: { 200: Type.String(), ...errors(400, 404) } } },
    async (req, reply) => reply.type('text/markdown; charset=utf-8').send(await recordMarkdown(p, actorOf(req), req.params.id)),
  );
  for (const [path, act, summary] of [
    ['propose', proposeRecord, 'Propose a draft for publication (its author or organisation admins)'],
    ['publish', publishRecord, 'Publish a proposed record (secretariat)'],
  ] as const)
    app.post(`/api/v1/records/:id/${path}`, { schema: { tags, summary, params: Id, response: { 200: Record_, ...errors(400, 401, 403, 404, 409) } } }, async (req) => act(p, actorOf(req), req.params.id));
  app.post(
    '/api/v1/records/:id/return',
    {
      schema: {
        tags,
        summary: 'Send a proposed record back to its organisation as a draft (secretariat); the answer is its new state only, as the secretariat no longer sees a draft',
        params: Id,
        response: { 200: Type.Object({ id: Uuid, status: Type.Literal('draft') }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { id } = await returnRecord(p, actorOf(req), req.params.id);
      return { id, status: 'draft' as const };
    },
  );

  const Tracked = Type.Object({
    id: Uuid,
    record: Type.Object({
      id: Uuid,
      slug: Type.String(),
      title: Type.String(),
      language: Type.String(),
      status: Type.Union([Type.Literal('draft'), Type.Literal('proposed'), Type.Literal('published')]),
      concepts: Type.Array(Type.String()),
    }),
    text: Type.String(),
    owners: Type.Array(Type.String()),
    ownerOrganisations: Type.Array(Type.Object({ id: Uuid, name: Type.String() }), { description: 'The member organisations the owners name (by name or acronym); their admins are reminded of the due date' }),
    weight: Type.Integer({ minimum: 1, maximum: 100, description: 'Its weight in the roll-up (1 unless set)' }),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
    can: Type.Object({ update: Type.Boolean() }),
    countries: Type.Array(Type.String()),
    due: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    status: Commitment.properties.status,
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    milestones: Commitment.properties.milestones,
    evidence: Type.Array(Type.String()),
    overdue: Type.Boolean({ description: 'Past its due date and neither done nor dropped' }),
  });
  app.get(
    '/api/v1/commitments',
    {
      schema: {
        tags,
        summary: 'The commitments tracker: the commitments of the records this reader may see, soonest due first, with their progress rolled up over exactly those',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
            owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            status: Type.Optional(Type.Union([Type.Literal('planned'), Type.Literal('in progress'), Type.Literal('done'), Type.Literal('delayed'), Type.Literal('dropped')])),
            dueBefore: Type.Optional(Type.String({ format: 'date' })),
            dueAfter: Type.Optional(Type.String({ format: 'date' })),
            record: Type.Optional(Uuid),
            concept: Type.Optional(ConceptTag),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Tracked),
            truncated: Type.Boolean({ description: 'More commitments match than `limit`; the summary covers the ones listed' }),
            summary: Type.Object({
              count: Type.Integer(),
              byStatus: Type.Record(Type.String(), Type.Integer()),
              overdue: Type.Integer(),
              progress: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()], { description: 'Progress of the listed commitments, each weighing its weight, dropped ones left out' }),
            }),
          }),
          ...errors(400),
        },
      },
    },
    async (req) => listCommitments(p, actorOf(req), req.query),
  );
  app.patch(
    '/api/v1/commitments/:id',
    {
      schema: {
        tags,
        summary: 'Follow a commitment up (status, progress, milestones, evidence links, weight, with a note kept in its history): the record’s author and organisation admins, the owner organisations’ admins, the secretariat',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            status: Type.Optional(Commitment.properties.status),
            progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
            milestones: Type.Optional(Type.Array(Type.Object({ title: Type.String({ minLength: 1, maxLength: 300 }), due: Type.Optional(Type.String({ format: 'date' })), done: Type.Boolean() }, { additionalProperties: false }), { maxItems: 50 })),
            evidence: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 })),
            weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Tracked, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateCommitment(p, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/commitments/:id/history',
    {
      schema: {
        tags,
        summary: 'A commitment’s changes of status and progress, oldest first (who made them: to members only)',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ at: Type.String(), status: Commitment.properties.status, progress: Type.Integer(), note: Type.String(), by: Type.Union([Type.String(), Type.Null()]) })) }),
          ...errors(400, 404),
        },
      },
    },
    async (req) => getCommitmentHistory(p, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/records/:id/concepts',
    {
      schema: {
        tags,
        summary: 'Tag a record with concepts of the vocabularies (kept beside its published text): its organisation, or the secretariat once proposed',
        params: Id,
        body: Type.Object({ concepts: ConceptTags }, { additionalProperties: false }),
        response: { 200: Record_, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setConcepts(p, actorOf(req), req.params.id, req.body.concepts),
  );

  // The import takes the record as it is written: a Markdown body, at most RECORD_MAX_BYTES.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: RECORD_MAX_BYTES }, (_req, body, done) => done(null, body));
    raw.setErrorHandler((err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', `A record may be at most ${RECORD_MAX_BYTES} bytes`, { limitBytes: RECORD_MAX_BYTES });
      throw err;
    });
    raw.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/records/import',
      {
        bodyLimit: RECORD_MAX_BYTES,
        schema: {
          tags,
          summary: 'Import a record written in the published Markdown shape (body: text/markdown) as a draft of your organisation, marked as the query says; a text not in the shape is refused whole with line-numbered errors (400 IMPORT_INVALID, details.errors)',
          querystring: Type.Object({ tlp: Type.Optional(Tlp), pap: Type.Optional(Pap), organisations: UuidList, communities: UuidList }, { additionalProperties: false }),
          response: { 201: Record_, ...errors(400, 401, 403, 413, 415) },
        },
      },
      async (req, reply) => {
        const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'text/markdown' && type !== 'text/plain') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the record as text/markdown', { accepted: ['text/markdown', 'text/plain'] });
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        } catch {
          throw new AppError('VALIDATION_FAILED', 'The record is not UTF-8 text', { field: 'body' });
        }
        const created = await importRecord(p, actorOf(req), text, {
          tlp: req.query.tlp ?? 'CLEAR',
          pap: req.query.pap,
          audience: { organisations: split(req.query.organisations), communities: split(req.query.communities) },
        });
        return reply.code(201).send(created);
      },
    );
  });
};
