import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import type { Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { errors, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam } from '../../platform/translations.js';
import {
  Answers,
  Country,
  CreateEvent,
  CreateSession,
  Delegations,
  EventDetail,
  ListQuery,
  MaterialLink,
  MinutesBody,
  MyRegistration,
  RegisterBody,
  RegistrationStatus,
  RecordLink,
  RegistrationView,
  Summary,
  UpdateEvent,
  UpdateSession,
} from './schemas.js';
import {
  addMaterial,
  addSession,
  createEvent,
  decide,
  delegateCandidates,
  deleteEvent,
  eventCalendar,
  feedCalendar,
  getEvent,
  getMyRegistration,
  invitationLetter,
  LIMITS,
  listDelegations,
  listEvents,
  listRegistrations,
  myCalendar,
  nominateDelegate,
  participants,
  readEventMaterial,
  recordFromMinutes,
  register,
  removeDelegate,
  removeEventTranslation,
  removeMaterial,
  removeSession,
  revokeFeed,
  rotateFeed,
  setHead,
  setQuota,
  translateEvent,
  updateEvent,
  updateMyRegistration,
  updateSession,
  withdraw,
} from './service.js';

const tags = ['events'];
const Id = Type.Object({ id: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });
const CountryParams = Type.Object({ id: Uuid, country: Country });
const ICS = 'text/calendar; charset=utf-8';

/** Events: the timetable, registration with moderation and waitlist, delegations and their letters, and calendars. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/events',
    {
      schema: {
        tags,
        summary: 'The events this reader may see, in time order: `q` in any language version, kind, period (`from`–`to`, overlapping), country, status, concept, `record` (the event whose minutes became that activity record); cursor paging',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(Summary), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400) },
      },
    },
    async (req) => listEvents(p, actorOf(req), req.query),
  );
  app.post(
    '/api/v1/events',
    { schema: { tags, summary: 'Create an event: a draft of its organisers', body: CreateEvent, response: { 201: EventDetail, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.code(201).send(await createEvent(p, actorOf(req), req.body)),
  );
  app.get(
    '/api/v1/events/:id',
    { schema: { tags, summary: 'One event with its timetable, in the reader’s language (or `lang`), if this reader may see it', params: Id, querystring: LangQuery, response: { 200: EventDetail, ...errors(400, 404) } } },
    async (req) => getEvent(p, actorOf(req), req.params.id, req.query.lang),
  );
  app.patch(
    '/api/v1/events/:id',
    {
      schema: {
        tags,
        summary:
          'Change an event (its organisers): publish or cancel it with `status`; a change of time, place or status raises its SEQUENCE and mails everyone registered an iTIP update or cancellation; a capacity below the seats given is refused',
        params: Id,
        body: UpdateEvent,
        response: { 200: EventDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateEvent(p, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/events/:id',
    { schema: { tags, summary: 'Delete a draft (a published event is cancelled instead)', params: Id, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (req, reply) => {
      await deleteEvent(p, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.put(
    '/api/v1/events/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace its title, description and agenda in another language (organisers and their translators)',
        params: Type.Object({ id: Uuid, lang: LanguageParam }),
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
            description: Type.Optional(Type.String({ maxLength: LIMITS.description })),
            agenda: Type.Optional(Type.String({ maxLength: LIMITS.agenda })),
            machine: Type.Optional(Type.Boolean()),
            basedOn: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: EventDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateEvent(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/events/:id/translations/:lang',
    { schema: { tags, summary: 'Remove a translation', params: Type.Object({ id: Uuid, lang: LanguageParam }), response: { 200: EventDetail, ...errors(400, 401, 403, 404) } } },
    async (req) => removeEventTranslation(p, actorOf(req), req.params.id, req.params.lang),
  );

  app.post(
    '/api/v1/events/:id/record',
    {
      schema: {
        tags,
        summary:
          'After the event: its minutes (Markdown) and the commitments agreed there become a draft activity record of the organisation that wrote the event, prefilled from it (title, dates, place, the organisations that took part, concepts) and with its marking; once per event (ALREADY_EXISTS)',
        params: Id,
        body: MinutesBody,
        response: { 201: RecordLink, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await recordFromMinutes(p, actorOf(req), req.params.id, req.body)),
  );

  // ---------- timetable ----------
  app.post(
    '/api/v1/events/:id/sessions',
    { schema: { tags, summary: 'Add a session to the timetable', params: Id, body: CreateSession, response: { 201: EventDetail, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => reply.code(201).send(await addSession(p, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/v1/events/:id/sessions/:sessionId',
    {
      schema: {
        tags,
        summary: 'Change a session: a change of time, room or status raises its SEQUENCE; its UID stays',
        params: Type.Object({ id: Uuid, sessionId: Uuid }),
        body: UpdateSession,
        response: { 200: EventDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => updateSession(p, actorOf(req), req.params.id, req.params.sessionId, req.body),
  );
  app.delete(
    '/api/v1/events/:id/sessions/:sessionId',
    { schema: { tags, summary: 'Remove a session (to keep it in calendars as cancelled, set its status instead)', params: Type.Object({ id: Uuid, sessionId: Uuid }), response: { 200: EventDetail, ...errors(401, 403, 404) } } },
    async (req) => removeSession(p, actorOf(req), req.params.id, req.params.sessionId),
  );

  // ---------- materials ----------
  app.post(
    '/api/v1/events/:id/materials',
    { schema: { tags, summary: 'Add a link as material of the event or of one session, with its own marking', params: Id, body: MaterialLink, response: { 201: Type.Object({ id: Uuid }), ...errors(400, 401, 403, 404) } } },
    async (req, reply) => reply.code(201).send(await addMaterial(p, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/event-materials/:id',
    { schema: { tags, summary: 'Download a material file, if this reader may see its event and the material itself', params: Id, response: { 200: Type.Any({ description: 'The file' }), ...errors(400, 404) } } },
    async (req, reply) => {
      const m = await readEventMaterial(p, actorOf(req), req.params.id);
      if (!m.content) return reply.redirect(m.url!, 302);
      const name = m.file_name ?? 'material';
      const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return reply
        .header('content-type', m.content_type ?? 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(m.content));
    },
  );
  app.delete(
    '/api/v1/events/:id/materials/:materialId',
    { schema: { tags, summary: 'Remove a material', params: Type.Object({ id: Uuid, materialId: Uuid }), response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await removeMaterial(p, actorOf(req), req.params.id, req.params.materialId);
      return reply.code(204).send(null);
    },
  );
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
      '/api/v1/events/:id/materials/file',
      {
        bodyLimit: max,
        schema: {
          tags,
          summary: 'Add a file as material (the raw body; name, title and marking in the query); at most PUENTE_ATTACHMENT_MAX_BYTES, its type checked from the content',
          params: Id,
          querystring: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 255 }),
              title: Type.String({ minLength: 1, maxLength: 300 }),
              sessionId: Type.Optional(Uuid),
              tlp: Tlp,
              pap: Type.Optional(Pap),
              organisations: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
              communities: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
              people: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ id: Uuid }), ...errors(400, 401, 403, 404, 413, 415) },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const audience = { organisations: q.organisations ?? [], communities: q.communities ?? [], people: q.people ?? [] };
        return reply.code(201).send(await addMaterial(p, actorOf(req), req.params.id, { title: q.title, sessionId: q.sessionId ?? null, tlp: q.tlp, pap: q.pap, audience }, { name: q.name, content: body }));
      },
    );
  });

  // ---------- calendars ----------
  app.get(
    '/api/v1/events/:id/calendar.ics',
    { schema: { tags, summary: 'The event and its sessions as iCalendar (RFC 5545): stable UIDs, SEQUENCE, TZID with VTIMEZONE', params: Id, response: { 200: Type.String({ description: 'text/calendar' }), ...errors(404) } } },
    async (req, reply) => {
      const c = await eventCalendar(p, actorOf(req), req.params.id);
      return reply.type(ICS).header('content-disposition', `attachment; filename="${c.filename}"`).header('cache-control', 'private, no-store').send(c.ics);
    },
  );
  app.get(
    '/api/v1/calendar',
    {
      schema: {
        tags,
        summary: 'My calendar: the events I hold or wait for a place at, and whether I have a subscription link',
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ event: Summary, registration: Type.Object({ id: Uuid, status: RegistrationStatus, delegation: Type.Union([Uuid, Type.Null()]) }) })),
            feed: Type.Union([Type.Object({ createdAt: Type.String() }), Type.Null()]),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (req) => myCalendar(p, actorOf(req)),
  );
  app.post(
    '/api/v1/calendar/feed',
    {
      schema: {
        tags,
        summary: 'A new secret subscription link to my calendar (also as webcal:); the previous one stops working. Shown once: only its hash is kept',
        response: { 201: Type.Object({ url: Type.String(), webcal: Type.String() }), ...errors(401, 403) },
      },
    },
    async (req, reply) => reply.code(201).send(await rotateFeed(p, actorOf(req))),
  );
  app.delete(
    '/api/v1/calendar/feed',
    { schema: { tags, summary: 'Revoke my subscription link', response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await revokeFeed(p, actorOf(req));
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/calendar/:file',
    {
      schema: {
        tags,
        summary: 'A personal subscription feed, `/calendar/{token}.ics`: everything its owner registered for that they may see now. A forged, rotated or revoked token answers 404',
        params: Type.Object({ file: Type.String({ maxLength: 100 }) }),
        response: { 200: Type.String({ description: 'text/calendar' }), ...errors(404) },
      },
    },
    async (req, reply) => {
      const m = /^(.+)\.ics$/.exec(req.params.file);
      const ics = await feedCalendar(p, m ? m[1]! : '');
      return reply.type(ICS).header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').send(ics);
    },
  );

  // ---------- registration ----------
  app.post(
    '/api/v1/events/:id/registrations',
    {
      schema: {
        tags,
        summary: 'Register: a free seat gives a confirmed place (pending under moderation), none a place on the waitlist, in order of arrival; a second registration is refused',
        params: Id,
        body: RegisterBody,
        response: { 201: MyRegistration, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await register(p, actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/v1/events/:id/registrations',
    {
      schema: {
        tags,
        summary: 'Every registration with its answers, in order of arrival (the organisers)',
        params: Id,
        querystring: Type.Object({ status: Type.Optional(RegistrationStatus) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(RegistrationView), answersPurged: Type.Boolean() }), ...errors(401, 403, 404) },
      },
    },
    async (req) => listRegistrations(p, actorOf(req), req.params.id, req.query.status),
  );
  app.get(
    '/api/v1/events/:id/registrations/mine',
    { schema: { tags, summary: 'My registration', params: Id, response: { 200: MyRegistration, ...errors(401, 403, 404) } } },
    async (req) => getMyRegistration(p, actorOf(req), req.params.id),
  );
  app.patch(
    '/api/v1/events/:id/registrations/mine',
    {
      schema: {
        tags,
        summary: 'Change my answers or my consent to appear in the participant list',
        params: Id,
        body: Type.Object({ answers: Type.Optional(Answers), consentToList: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: MyRegistration, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateMyRegistration(p, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/events/:id/registrations/mine',
    { schema: { tags, summary: 'Withdraw: my place goes to the first on the waitlist', params: Id, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (req, reply) => {
      await withdraw(p, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/events/:id/registrations/:registrationId/decision',
    {
      schema: {
        tags,
        summary: 'The organisers confirm a pending (or, with a free seat, a waitlisted) registration, or decline one',
        params: Type.Object({ id: Uuid, registrationId: Uuid }),
        body: Type.Object({ decision: Type.Union([Type.Literal('confirm'), Type.Literal('decline')]) }, { additionalProperties: false }),
        response: { 200: RegistrationView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => decide(p, actorOf(req), req.params.id, req.params.registrationId, req.body.decision),
  );
  app.get(
    '/api/v1/events/:id/participants',
    {
      schema: {
        tags,
        summary: 'The participant list: confirmed participants who agreed to appear, for anyone who may see the event',
        params: Id,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                name: Type.String(),
                organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
                delegation: Type.Union([Type.String(), Type.Null()]),
                headOfDelegation: Type.Boolean(),
              }),
            ),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => participants(p, actorOf(req), req.params.id),
  );

  // ---------- delegations ----------
  app.get(
    '/api/v1/events/:id/delegations',
    { schema: { tags, summary: 'The country delegations: quotas for all who see the event; delegates for the organisers, the country’s focal points and its delegates', params: Id, response: { 200: Delegations, ...errors(404) } } },
    async (req) => listDelegations(p, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/events/:id/delegations/:country',
    {
      schema: {
        tags,
        summary: 'Set a country’s quota (the organisers): seats reserved for its delegation; 0 removes a delegation with no delegates',
        params: CountryParams,
        body: Type.Object({ quota: Type.Integer({ minimum: 0, maximum: LIMITS.quota }) }, { additionalProperties: false }),
        response: { 200: Delegations, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => setQuota(p, actorOf(req), req.params.id, req.params.country, req.body.quota),
  );
  app.post(
    '/api/v1/events/:id/delegations/:country/delegates',
    {
      schema: {
        tags,
        summary: 'A national focal point of the country names a delegate (within the quota), optionally as head of delegation',
        params: CountryParams,
        body: Type.Object({ personId: Uuid, head: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: Delegations, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.code(201).send(await nominateDelegate(p, actorOf(req), req.params.id, req.params.country, req.body)),
  );
  app.get(
    '/api/v1/events/:id/delegations/:country/candidates',
    {
      schema: {
        tags,
        summary: 'For the country’s focal points: whom they may name, active members of approved organisations of the country who may see the event',
        params: CountryParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), organisation: Type.Object({ id: Uuid, name: Type.String() }) })) }), ...errors(401, 403, 404) },
      },
    },
    async (req) => delegateCandidates(p, actorOf(req), req.params.id, req.params.country),
  );
  app.delete(
    '/api/v1/events/:id/delegations/:country/delegates/:registrationId',
    { schema: { tags, summary: 'Take a delegate off the delegation (their registration ends)', params: Type.Object({ id: Uuid, country: Country, registrationId: Uuid }), response: { 200: Delegations, ...errors(401, 403, 404, 409) } } },
    async (req) => removeDelegate(p, actorOf(req), req.params.id, req.params.country, req.params.registrationId),
  );
  app.put(
    '/api/v1/events/:id/delegations/:country/head',
    {
      schema: {
        tags,
        summary: 'Name the head of delegation (one of its delegates)',
        params: CountryParams,
        body: Type.Object({ registrationId: Uuid }, { additionalProperties: false }),
        response: { 200: Delegations, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => setHead(p, actorOf(req), req.params.id, req.params.country, req.body.registrationId),
  );
  app.get(
    '/api/v1/events/:id/delegations/:country/letters/:file',
    {
      schema: {
        tags,
        summary: 'A delegate’s letter of invitation as PDF (`{registrationId}.pdf`), suitable for a visa application: for the organisers, the country’s focal points and the delegate',
        params: Type.Object({ id: Uuid, country: Country, file: Type.String({ pattern: '^[0-9a-f-]{36}\\.pdf$' }) }),
        querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es'), Type.Literal('pt'), Type.Literal('fr')])) }, { additionalProperties: false }),
        response: { 200: Type.Any({ description: 'application/pdf' }), ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const l = await invitationLetter(p, actorOf(req), req.params.id, req.params.country, req.params.file.slice(0, 36), req.query.lang);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${l.filename}"`).header('cache-control', 'private, no-store').send(l.body);
    },
  );
};

