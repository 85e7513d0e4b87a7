import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { Audience, AudienceInput, Body, errors, Items, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { ANONYMOUS } from '../../platform/access/policy.js';
import { changeMarking, createNote, deleteNote, getNote, listNotes, noteView, removeNoteTranslation, translateNote } from './service.js';
import { LanguageParam, readerLanguagesOf, TranslationInfo, TranslationInput } from '../../platform/translations.js';

const Note = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  language: Type.String({ description: 'The language of the title and body given: the reader’s when the note exists in it, else the one it was written in' }),
  translation: TranslationInfo,
  tlp: Tlp,
  pap: Pap,
  author: Type.Object({ id: Uuid, name: Type.String() }),
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  audience: Audience,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  canEdit: Type.Boolean({ description: 'This viewer may change the marking or delete the note (can.changeMarking or can.delete)' }),
  can: Type.Object(
    {
      changeMarking: Type.Boolean({ description: 'PUT /api/v1/notes/{id}/marking will be allowed: the author, or an admin of the author’s organisation' }),
      delete: Type.Boolean({ description: 'DELETE /api/v1/notes/{id} will be allowed: the author, or an admin of the author’s organisation' }),
      translate: Type.Boolean({ description: 'PUT and DELETE /api/v1/notes/{id}/translations/{lang} will be allowed: the author, or an admin of the author’s organisation' }),
    },
    { description: 'What this viewer may do with the note' },
  ),
});
const Marking = { tlp: Tlp, pap: Pap, audience: Type.Optional(AudienceInput) };
const Language = Type.String({ pattern: '^[a-z]{2,3}$' });

/** Shared notes: short texts for good practices and alerts, each marked with TLP and an audience. */
export const noteRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/notes',
    {
      schema: {
        tags: ['notes'],
        summary: 'Notes this viewer may see (without signing in: CLEAR notes only)',
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 200 })), tlp: Type.Optional(Tlp), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), lang: Type.Optional(LanguageParam) },
          { additionalProperties: false },
        ),
        response: { 200: Items(Note), ...errors(400, 401, 403) },
      },
    },
    async (req) => listNotes(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/notes/:id',
    {
      schema: {
        tags: ['notes'],
        summary: 'One note, if this viewer may see it, in the reader’s language when it exists in it (?lang= asks for one)',
        params: Type.Object({ id: Uuid }),
        querystring: Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false }),
        response: { 200: Note, ...errors(400, 404) },
      },
    },
    async (req) => noteView(req.principal, await getNote(p, req.principal?.viewer ?? ANONYMOUS, req.params.id), readerLanguagesOf(req)),
  );
  app.post(
    '/api/v1/notes',
    {
      schema: {
        tags: ['notes'],
        summary: 'Share a note',
        body: Body({ title: Type.String({ minLength: 1, maxLength: 300 }), body: Type.String({ minLength: 1, maxLength: 50_000 }), language: Language, ...Marking }),
        response: { 201: Note, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createNote(p, actorOf(req), req.body)),
  );
  app.put(
    '/api/v1/notes/:id/marking',
    {
      schema: { tags: ['notes'], summary: 'Change the TLP, PAP and audience of a note', params: Type.Object({ id: Uuid }), body: Body(Marking), response: { 200: Note, ...errors(400, 401, 403, 404) } },
    },
    async (req) => changeMarking(p, actorOf(req), req.params.id, req.body),
  );
  const TranslationParams = Type.Object({ id: Uuid, lang: LanguageParam });
  app.put(
    '/api/v1/notes/:id/translations/:lang',
    {
      schema: {
        tags: ['notes'],
        summary: 'Add or replace the note’s version in another language (the author or their organisation admins); it is marked outdated when the note changes',
        params: TranslationParams,
        body: TranslationInput({ title: Type.String({ minLength: 1, maxLength: 300 }), body: Type.String({ minLength: 1, maxLength: 50_000 }) }),
        response: { 200: Note, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateNote(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/notes/:id/translations/:lang',
    { schema: { tags: ['notes'], summary: 'Remove the note’s version in a language', params: TranslationParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await removeNoteTranslation(p, actorOf(req), req.params.id, req.params.lang);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/notes/:id',
    { schema: { tags: ['notes'], summary: 'Delete a note', params: Type.Object({ id: Uuid }), response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await deleteNote(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
};
