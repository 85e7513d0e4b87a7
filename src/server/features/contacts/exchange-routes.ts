import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { errors, Uuid } from '../../platform/schemas.js';
import { Contact, ContactQuery, Kind as KindSchema } from './schemas.js';
import { exportContacts, exportOneVcard, fileName } from './exchange.js';
import { commitImport, previewImport } from './import.js';
import { IMPORT_MAX_BYTES } from './import-read.js';

const tags = ['contacts'];
const Id = Type.Object({ id: Uuid });
const stamp = () => new Date().toISOString().slice(0, 10);

const RowError = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() });
const ImportRow = Type.Object({
  row: Type.Integer(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  action: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('unchanged'), Type.Null()]),
  existingId: Type.Union([Uuid, Type.Null()]),
  changed: Type.Array(Type.String()),
  errors: Type.Array(RowError),
  warnings: Type.Array(Type.String()),
  contact: Type.Object({
    organisation: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
    organisationName: Type.String(),
    country: Type.String(),
    fullName: Type.String(),
    kinds: Type.Array(Type.String()),
    position: Type.Optional(Type.String()),
    emails: Type.Optional(Type.Array(Type.String())),
    phone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    emergencyPhone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    languages: Type.Optional(Type.Array(Type.String())),
    timeZone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    website: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    openpgpFingerprint: Type.Union([Type.String(), Type.Null()]),
  }),
});
const ImportSummary = {
  rows: Type.Array(ImportRow),
  total: Type.Integer(),
  errors: Type.Integer(),
  create: Type.Integer(),
  update: Type.Integer(),
  unchanged: Type.Integer(),
};
export const ImportPreview = Type.Object(ImportSummary);
export const ImportCommit = Type.Object({ ...ImportSummary, ids: Type.Array(Uuid) });
const ImportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('csv'), Type.Literal('vcard'), Type.Literal('json'), Type.Literal('first'), Type.Literal('csirts-network')], { default: 'csv' }),
    ),
    /** vCard imports: the kind of contact for cards whose CATEGORIES name none. */
    kind: Type.Optional(KindSchema),
  },
  { additionalProperties: false },
);

/**
 * Exchange formats: exports (vCard 4.0, CSV, JSON) with the directory's filters,
 * one entry as a vCard, and imports (CSV, vCard, JSON, FIRST and CSIRTs-Network team records)
 * with a preview and an all-or-nothing commit. Static paths (export.vcf, import/…)
 * take precedence over /api/v1/contacts/:id in Fastify's router.
 */
export const exchangeRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  const exp = (format: 'vcf' | 'csv' | 'json', type: string) =>
    app.get(
      `/api/v1/contacts/export.${format}`,
      {
        schema: {
          tags,
          summary: `Export the points of contact matching the directory's filters as ${format === 'vcf' ? 'vCard 4.0' : format.toUpperCase()}; only the fields this viewer may see (audited)`,
          querystring: ContactQuery,
          response: {
            200: format === 'json' ? Type.Object({ exportedAt: Type.String(), filters: Type.Record(Type.String(), Type.Unknown()), count: Type.Integer(), items: Type.Array(Contact) }) : Type.String(),
            ...errors(400, 401),
          },
        },
      },
      async (req, reply) => {
        const out = await exportContacts(p, actorOf(req), req.query, format);
        reply.header('content-disposition', `attachment; filename="puente-contacts-${stamp()}.${format}"`).header('cache-control', 'no-store');
        return reply.type(type).send(out);
      },
    );
  exp('vcf', 'text/vcard; charset=utf-8');
  exp('csv', 'text/csv; charset=utf-8');
  exp('json', 'application/json; charset=utf-8');

  app.get(
    '/api/v1/contacts/:id/vcard.vcf',
    { schema: { tags, summary: 'One point of contact as a vCard 4.0 (only the fields this viewer may see; audited)', params: Id, response: { 200: Type.String(), ...errors(401, 404) } } },
    async (req, reply) => {
      const { card, name } = await exportOneVcard(p, actorOf(req), req.params.id);
      return reply.type('text/vcard; charset=utf-8').header('content-disposition', `attachment; filename="${fileName(name, 'vcf')}"`).header('cache-control', 'no-store').send(card);
    },
  );

  // Imports take the raw body (text/csv or application/json), at most IMPORT_MAX_BYTES.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));
    raw.addHook('onRequest', async (req) => {
      const len = Number(req.headers['content-length'] ?? 0);
      if (len > IMPORT_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `An import may be at most ${IMPORT_MAX_BYTES} bytes`, { limitBytes: IMPORT_MAX_BYTES });
    });
    raw.setErrorHandler((err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', `An import may be at most ${IMPORT_MAX_BYTES} bytes`, { limitBytes: IMPORT_MAX_BYTES });
      throw err;
    });
    const r = raw.withTypeProvider<TypeBoxTypeProvider>();
    const body = (b: unknown) => (Buffer.isBuffer(b) ? b : Buffer.alloc(0));
    r.post(
      '/api/v1/contacts/import/preview',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary:
            'Check an import without writing: the file as the body (CSV with the export’s columns; ?format=vcard: vCard 4.0 or 3.0, one row per card; ?format=json: the JSON export; ?format=first|csirts-network: a JSON array of team records); one result per row',
          querystring: ImportQuery,
          response: { 200: ImportPreview, ...errors(400, 401, 403, 413) },
        },
      },
      async (req) => previewImport(p, actorOf(req), body(req.body), req.query.format ?? 'csv', { kind: req.query.kind }),
    );
    r.post(
      '/api/v1/contacts/import/commit',
      {
        bodyLimit: IMPORT_MAX_BYTES,
        schema: {
          tags,
          summary: 'Import all rows in one transaction, or none: any row error answers 400 IMPORT_INVALID with the rows and writes nothing. Rows matching an entry (organisation + e-mail or name) update it or are left unchanged',
          querystring: ImportQuery,
          response: { 200: ImportCommit, ...errors(400, 401, 403, 413) },
        },
      },
      async (req) => commitImport(p, actorOf(req), body(req.body), req.query.format ?? 'csv', { kind: req.query.kind }),
    );
  });
};
