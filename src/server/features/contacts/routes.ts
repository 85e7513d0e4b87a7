import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Platform } from '../../platform/deps.js';
import { actorOf } from '../../platform/actor.js';
import { Body, errors, Items, Uuid } from '../../platform/schemas.js';
import { notFound } from '../../platform/errors.js';
import { Contact, ContactPage, ContactQuery, CountryCode, CreateContact, FocalPoint, KeyCheck, Nomination, UpdateContact } from './schemas.js';
import { getContact, listContacts } from './service.js';
import { confirmContact, createContact, removeContact, updateContact } from './writes.js';
import { checkKey } from './input.js';
import { decideNomination, listNominations } from './nominations.js';
import { addFocalPoint, listFocalPoints, removeFocalPoint } from './focal-points.js';
import { exchangeRoutes } from './exchange-routes.js';

const tags = ['contacts'];
const Id = Type.Object({ id: Uuid });

/**
 * Points of contact: the directory (search through the access policy, with
 * per-field markings), nomination and upkeep, national focal points.
 */
export const contactRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  // Exports and imports (static paths: they win over /api/v1/contacts/:id).
  await app.register(exchangeRoutes, { p });
  app.get(
    '/api/v1/contacts',
    {
      schema: {
        tags,
        summary: 'Find points of contact (fuzzy on names, accent-folded); each field as the policy lets this viewer see it',
        querystring: ContactQuery,
        response: { 200: ContactPage, ...errors(400, 401) },
      },
    },
    async (req) => listContacts(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/contacts/nominations',
    { schema: { tags, summary: 'Secretariat: nominations waiting for a decision', response: { 200: Items(Nomination), ...errors(401, 403) } } },
    async (req) => listNominations(p, actorOf(req)),
  );
  app.post(
    '/api/v1/contacts/key-check',
    {
      schema: { tags, summary: 'Read an OpenPGP public key without storing it', body: Body({ armored: Type.String({ maxLength: 100_000 }) }), response: { 200: KeyCheck, ...errors(400, 401, 403) } },
    },
    async (req) => checkKey(actorOf(req), req.body.armored),
  );
  app.get(
    '/api/v1/contacts/:id',
    { schema: { tags, summary: 'One point of contact, if this viewer may see it', params: Id, response: { 200: Contact, ...errors(401, 404) } } },
    async (req) => getContact(p, actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/contacts/:id/key.asc',
    {
      schema: {
        tags,
        summary: 'The OpenPGP public key of a point of contact, as an .asc file (if this viewer may see the key)',
        params: Id,
        response: { 200: Type.String(), ...errors(401, 404) },
      },
    },
    async (req, reply) => {
      const c = await getContact(p, actorOf(req), req.params.id);
      if (!c.openpgpKey) throw notFound('Key');
      const name = `${c.fullName.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'contact'}_${c.openpgpKey.fingerprint.slice(-16)}.asc`;
      return reply.type('application/pgp-keys').header('content-disposition', `attachment; filename="${name}"`).send(c.openpgpKey.armored);
    },
  );
  app.post(
    '/api/v1/contacts',
    {
      schema: {
        tags,
        summary: 'Add a point of contact (diplomatic and crisis-management: a nomination by a national focal point; others: by the organisation’s admins)',
        body: CreateContact,
        response: { 201: Contact, ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => reply.status(201).send(await createContact(p, actorOf(req), req.body)),
  );
  app.patch(
    '/api/v1/contacts/:id',
    { schema: { tags, summary: 'Change a point of contact', params: Id, body: UpdateContact, response: { 200: Contact, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => updateContact(p, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/contacts/:id/confirm',
    { schema: { tags, summary: 'Confirm that an entry is still right', params: Id, response: { 200: Contact, ...errors(401, 403, 404, 409) } } },
    async (req) => confirmContact(p, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/contacts/:id/approve',
    { schema: { tags, summary: 'Secretariat: approve a nomination', params: Id, response: { 200: Type.Object({ id: Uuid, status: Type.String() }), ...errors(401, 403, 404, 409) } } },
    async (req) => decideNomination(p, actorOf(req), req.params.id, 'approve'),
  );
  app.post(
    '/api/v1/contacts/:id/reject',
    {
      schema: {
        tags,
        summary: 'Secretariat: reject a nomination',
        params: Id,
        body: Body({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }),
        response: { 200: Type.Object({ id: Uuid, status: Type.String() }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => decideNomination(p, actorOf(req), req.params.id, 'reject', req.body.reason),
  );
  app.delete(
    '/api/v1/contacts/:id',
    { schema: { tags, summary: 'Remove a point of contact from the directory', params: Id, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (req, reply) => {
      await removeContact(p, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/focal-points',
    { schema: { tags, summary: 'National focal points of every country', response: { 200: Items(FocalPoint), ...errors(401, 403) } } },
    async (req) => listFocalPoints(p, actorOf(req)),
  );
  app.get(
    '/api/v1/countries/:code/focal-points',
    { schema: { tags, summary: 'National focal points of a country', params: Type.Object({ code: CountryCode }), response: { 200: Items(FocalPoint), ...errors(401, 403) } } },
    async (req) => listFocalPoints(p, actorOf(req), req.params.code),
  );
  app.put(
    '/api/v1/countries/:code/focal-points/:personId',
    {
      schema: {
        tags,
        summary: 'Secretariat: make a person a national focal point',
        params: Type.Object({ code: CountryCode, personId: Uuid }),
        response: { 200: Items(FocalPoint), ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => addFocalPoint(p, actorOf(req), req.params.code, req.params.personId),
  );
  app.delete(
    '/api/v1/countries/:code/focal-points/:personId',
    {
      schema: { tags, summary: 'Secretariat: end a national focal point', params: Type.Object({ code: CountryCode, personId: Uuid }), response: { 204: Type.Null(), ...errors(401, 403, 404) } },
    },
    async (req, reply) => {
      await removeFocalPoint(p, actorOf(req), req.params.code, req.params.personId);
      return reply.status(204).send(null);
    },
  );
};
