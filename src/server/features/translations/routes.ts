import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { errors, Uuid } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import { exportXliff, importXliff, translationQueue } from './service.js';

const tags = ['translations'];
/** A record's texts in XLIFF: a note's body is at most 50,000 characters. */
export const XLIFF_MAX_BYTES = 1024 * 1024;
const Kind = Type.Union([Type.Literal('note'), Type.Literal('community'), Type.Literal('practice'), Type.Literal('request'), Type.Literal('priority'), Type.Literal('instrument'), Type.Literal('offer'), Type.Literal('expert'), Type.Literal('event'), Type.Literal('crisis'), Type.Literal('incident')]);
const Params = Type.Object({ kind: Kind, id: Uuid });
const XML_TYPES = ['application/xliff+xml', 'application/xml', 'text/xml'];

/** The translation workflow: the queue of what is missing or outdated, and XLIFF 2.0 out and back in. */
export const translationRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/translations/queue',
    {
      schema: {
        tags,
        summary: 'What this person may translate (their organisation’s notes as author, admin or translator; the communities they manage) that lacks one of en, es, pt, fr or has a translation older than its source',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ kind: Kind, id: Uuid, title: Type.String(), language: Type.String(), revision: Type.Integer(), country: Type.Optional(Type.String({ description: 'For a country’s priority or instrument: its country (page /countries/{country})' })), missing: Type.Array(Type.String()), outdated: Type.Array(Type.String()) })),
            byLanguage: Type.Record(Type.String(), Type.Object({ missing: Type.Integer(), outdated: Type.Integer() })),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (req) => translationQueue(p, actorOf(req)),
  );
  app.get(
    '/api/v1/translations/:kind/:id/xliff',
    {
      schema: {
        tags,
        summary: 'A record’s texts as XLIFF 2.0 for one target language (the existing translation, if any, as targets)',
        params: Params,
        querystring: Type.Object({ target: LanguageParam }, { additionalProperties: false }),
        response: { 200: Type.String(), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { xml, fileName } = await exportXliff(p, actorOf(req), req.params.kind, req.params.id, req.query.target);
      return reply.type('application/xliff+xml; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(xml);
    },
  );
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: XLIFF_MAX_BYTES }, (_req, body, done) => done(null, body));
    raw.setErrorHandler((err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', `An XLIFF file may be at most ${XLIFF_MAX_BYTES} bytes`, { limitBytes: XLIFF_MAX_BYTES });
      throw err;
    });
    raw.withTypeProvider<TypeBoxTypeProvider>().put(
      '/api/v1/translations/:kind/:id/xliff',
      {
        bodyLimit: XLIFF_MAX_BYTES,
        schema: {
          tags,
          summary: 'Bring an XLIFF 2.0 file back: it becomes the record’s translation into its trgLang, made from the revision it names; a file for another record, source language or fields, or without every target, is refused (400) and changes nothing',
          params: Params,
          response: { 200: Type.Object({ kind: Kind, id: Uuid, language: Type.String(), basedOn: Type.Integer(), outdated: Type.Boolean() }), ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (req) => {
        const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!XML_TYPES.includes(type)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the XLIFF file as application/xliff+xml', { accepted: XML_TYPES });
        let xml: string;
        try {
          xml = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
        } catch {
          throw new AppError('VALIDATION_FAILED', 'The XLIFF file is not UTF-8', { field: 'body' });
        }
        return importXliff(p, actorOf(req), req.params.kind, req.params.id, xml);
      },
    );
  });
};
