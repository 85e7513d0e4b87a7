import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OFFER_FORMATS, OFFER_TYPES, PARTNER_ROLES, TARGET_AUDIENCES } from '#shared/capacity';
import { actorOf } from '../../platform/actor.js';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { ConceptTag, ConceptTags } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { AudienceInput, Audience, errors, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import { sendPage } from '../portal/routes.js';
import { STAFF_ROLES, STAFF_STATUSES } from '../staffing/views.js';
import { exportIati } from './iati.js';
import { offerPortalPage } from './portal.js';
import {
  addSession,
  closeOffer,
  COLLABORATION_TYPES,
  createOffer,
  deleteOffer,
  getOffer,
  LIMITS,
  listOffers,
  OFFER_STATUSES,
  publishOffer,
  removeOfferTranslation,
  removeSession,
  setPartners,
  translateOffer,
  updateOffer,
  updateSession,
} from './service.js';

const tags = ['offers'];
const OfferType = OneOf(OFFER_TYPES);
const Format = OneOf(OFFER_FORMATS);
const Status = OneOf(OFFER_STATUSES);
const Role = OneOf(PARTNER_ROLES);
const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
const Can = Type.Object({ edit: Type.Boolean(), translate: Type.Boolean(), close: Type.Boolean() });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Session = Type.Object({
  id: Uuid,
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String({ description: 'The session’s own IANA time zone' }),
  localStart: Type.String({ description: 'The start as a wall time in the session’s zone' }),
  localEnd: Type.String({ description: 'The end as a wall time in the session’s zone' }),
  place: Type.String(),
  country: Nullable(Type.String()),
  online: Type.Boolean(),
  seats: Type.Integer(),
  confirmed: Type.Integer({ description: 'Seats taken by confirmed applications' }),
  freeSeats: Type.Integer(),
  applicationDeadline: Nullable(Type.String({ format: 'date-time' })),
});
const Partner = Type.Object({
  id: Uuid,
  organisation: Nullable(Type.Object({ id: Uuid, name: Type.String(), country: Type.String() })),
  name: Type.String(),
  iatiRef: Nullable(Type.String()),
  iatiType: Nullable(Type.String()),
  role: Role,
});
const Summary = Type.Object({
  id: Uuid,
  slug: Type.String({ description: 'Its address on the public portal: /offers/{slug}' }),
  type: OfferType,
  title: Type.String(),
  summary: Type.String(),
  translation: TranslationInfo,
  provider: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  partners: Type.Array(Partner),
  triangular: Type.Boolean({ description: 'Triangular cooperation (IATI collaboration type 8)' }),
  format: Format,
  languages: Type.Array(Type.String(), { description: 'The languages it is given in (BCP 47)' }),
  audiences: Type.Array(OneOf(TARGET_AUDIENCES)),
  concepts: Type.Array(Type.String({ description: 'scheme/concept' })),
  countries: Type.Array(Type.String(), { description: 'Eligible or beneficiary countries; none: open to every member country' }),
  requiresEndorsement: Type.Boolean(),
  nextSession: Nullable(Session),
  sessionCount: Type.Integer(),
  status: Status,
  tlp: Tlp,
  updatedAt: Type.String(),
  publishedAt: Nullable(Type.String()),
  can: Can,
});
const TextProps = {
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  summary: Type.Optional(Type.String({ maxLength: LIMITS.summary })),
  description: Type.Optional(Type.String({ maxLength: LIMITS.description })),
  eligibility: Type.Optional(Type.String({ maxLength: LIMITS.eligibility })),
  cost: Type.Optional(Type.String({ maxLength: LIMITS.cost })),
  funding: Type.Optional(Type.String({ maxLength: LIMITS.funding })),
  howToApply: Type.Optional(Type.String({ maxLength: LIMITS.howToApply })),
  selectionCriteria: Type.Optional(Type.String({ maxLength: LIMITS.selectionCriteria })),
};
const Texts = Type.Object({
  title: Type.String(),
  summary: Type.String(),
  description: Type.String(),
  eligibility: Type.String(),
  cost: Type.String(),
  funding: Type.String(),
  howToApply: Type.String(),
  selectionCriteria: Type.String(),
});
const StaffMember = Type.Object({
  expertId: Uuid,
  name: Type.String(),
  headline: Type.String(),
  role: OneOf(STAFF_ROLES),
  status: OneOf(STAFF_STATUSES),
});
export const Offer = Type.Object({
  ...Summary.properties,
  ...Texts.properties,
  descriptionHtml: Type.String({ description: 'The description (Markdown) rendered and sanitised' }),
  language: Type.String(),
  revision: Type.Integer({ description: 'The source text’s revision' }),
  sessions: Type.Array(
    Type.Object({
      ...Session.properties,
      staff: Type.Array(StaffMember, { description: 'Experts put on the session (features/staffing), only those the reader may see through the experts’ policy' }),
    }),
  ),
  collaborationType: Nullable(Type.String()),
  aidType: Nullable(Type.String()),
  flowType: Nullable(Type.String()),
  providerRef: Nullable(Type.String()),
  pap: Pap,
  audience: Audience,
  closedAt: Nullable(Type.String()),
  sourceTexts: Nullable(Texts),
});
const SessionInput = Type.Object(
  {
    startsAt: Type.String({ maxLength: 40, description: 'A wall time in `timeZone` (2026-06-22T09:00), or an instant with Z or an offset' }),
    endsAt: Type.String({ maxLength: 40 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone of the session (Europe/Tallinn)' }),
    place: Type.Optional(Type.String({ maxLength: LIMITS.place })),
    country: Type.Optional(Nullable(Country)),
    online: Type.Optional(Type.Boolean()),
    seats: Type.Integer({ minimum: 1, maximum: LIMITS.seats }),
    applicationDeadline: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  },
  { additionalProperties: false },
);
const PartnerInput = Type.Object(
  {
    organisationId: Type.Optional(Nullable(Uuid)),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'An organisation outside the alliance' })),
    iatiRef: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'Its IATI organisation identifier (XM-DAC-41301)' }))),
    iatiType: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}$', description: 'IATI OrganisationType' }))),
    role: Role,
  },
  { additionalProperties: false },
);
const Fields = {
  type: OfferType,
  language: LanguageParam,
  ...TextProps,
  concepts: Type.Optional(ConceptTags),
  audiences: Type.Optional(Type.Array(OneOf(TARGET_AUDIENCES), { maxItems: TARGET_AUDIENCES.length })),
  languages: Type.Optional(Type.Array(LanguageParam, { maxItems: LIMITS.languages, description: 'The languages it is given in' })),
  format: Format,
  countries: Type.Optional(Type.Array(Country, { maxItems: LIMITS.countries })),
  requiresEndorsement: Type.Optional(Type.Boolean({ description: 'Applicants need their organisation admin or national focal point to endorse them' })),
  collaborationType: Type.Optional(Nullable(OneOf(COLLABORATION_TYPES))),
  aidType: Type.Optional(Nullable(Type.String({ pattern: '^[A-H][0-9]{2}$', description: 'IATI AidType (D02 other technical assistance)' }))),
  flowType: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}$', description: 'IATI FlowType (10 ODA)' }))),
  providerRef: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]+$', description: 'The provider’s IATI organisation identifier' }))),
  partners: Type.Optional(Type.Array(PartnerInput, { maxItems: LIMITS.partners })),
  tlp: Tlp,
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
};
const { partners: _partners, ...UpdateFields } = Fields;
const Create = Type.Object({ ...Fields, sessions: Type.Optional(Type.Array(SessionInput, { maxItems: LIMITS.sessions })) }, { additionalProperties: false });
const Update = Type.Object({ ...Type.Partial(Type.Object(UpdateFields)).properties, partners: Fields.partners }, { additionalProperties: false, minProperties: 1 });
const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-z][0-9a-z-]{0,119}$', maxLength: 120, description: 'The offer’s id or its slug' }) });
const SessionId = Type.Object({ id: Id.properties.id, sessionId: Uuid });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });
const Filters = {
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words in any language version (stemmed per language, accents folded)' })),
  type: Type.Optional(OfferType),
  concept: Type.Optional(ConceptTag),
  language: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: 'A language it is given in (es also finds es-419)' })),
  format: Type.Optional(Format),
  country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Open to people of this country (names it, or names no country)' })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'With a session ending after this day or moment' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'With a session starting before the end of this day, or this moment' })),
  status: Type.Optional(Type.Union([Status, Type.Literal('open')], { description: 'published (default), closed, open (both), or draft (your organisation’s)' })),
  organisation: Type.Optional(Type.String({ format: 'uuid', description: 'Offered by, or with, this organisation' })),
};

/** The capacity-building catalogue: read through the policy and the workflow, written by the provider organisation. */
export const offerRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/offers',
    {
      schema: {
        tags,
        summary: 'The catalogue of capacity-building offers this reader may see: filters by words, type, concept, language, format, country and dates (sessions overlapping the window); counts per type over the visible offers only',
        querystring: Type.Object(
          { ...Filters, lang: Type.Optional(LanguageParam), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 60 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Summary), counts: Type.Object({ byType: Type.Record(Type.String(), Type.Integer()) }), nextCursor: Nullable(Type.String()) }),
          ...errors(400),
        },
      },
    },
    async (req) => listOffers(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/offers/export.iati.xml',
    {
      schema: {
        tags,
        summary: 'The offers this reader may see under the list’s filters (published and closed) as an IATI 2.03 activity file. IATI Standard (http://iatistandard.org/), CC BY 4.0',
        querystring: Type.Object(
          {
            ...Filters,
            include: Type.Optional(
              Type.Literal('assistance', {
                description: 'Add the completed assistance this reader may see (requests completed or evaluated, with the answer chosen: features/capacity), under the filters a request has: concept, country, language, format, from, to',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'application/xml' }), ...errors(400) },
      },
    },
    async (req, reply) =>
      reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="puente-offers.iati.xml"')
        .header('cache-control', 'private, no-store')
        .send(await exportIati(p, actorOf(req), req.query)),
  );
  app.get(
    '/api/v1/offers/:id',
    { schema: { tags, summary: 'One offer, if this reader may see it, in their language (or `lang`), with its sessions and partners', params: Id, querystring: LangQuery, response: { 200: Offer, ...errors(400, 404) } } },
    async (req) => getOffer(p, actorOf(req), req.params.id, req.query.lang),
  );
  app.post(
    '/api/v1/offers',
    { schema: { tags, summary: 'Offer something: a draft of your organisation (the provider), with its partners and sessions', body: Create, response: { 201: Offer, ...errors(400, 401, 403) } } },
    async (req, reply) => reply.code(201).send(await createOffer(p, actorOf(req), req.body)),
  );
  app.patch(
    '/api/v1/offers/:id',
    {
      schema: {
        tags,
        summary: 'Change an offer (its author or the provider’s organisation admins); `partners` replaces the whole list. A change of its text is a new revision, its translations then show as outdated',
        params: Id,
        body: Update,
        response: { 200: Offer, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => updateOffer(p, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/offers/:id',
    { schema: { tags, summary: 'Delete a draft offer (a published one is closed instead)', params: Id, response: { 204: Type.Null(), ...errors(401, 403, 404, 409) } } },
    async (req, reply) => {
      await deleteOffer(p, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/offers/:id/publish',
    { schema: { tags, summary: 'Publish a draft, or reopen a closed offer', params: Id, response: { 200: Offer, ...errors(401, 403, 404, 409) } } },
    async (req) => publishOffer(p, actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/offers/:id/close',
    { schema: { tags, summary: 'Close a published offer to applications (the provider, or the secretariat); it stays in the catalogue as closed', params: Id, response: { 200: Offer, ...errors(401, 403, 404, 409) } } },
    async (req) => closeOffer(p, actorOf(req), req.params.id),
  );
  app.put(
    '/api/v1/offers/:id/partners',
    {
      schema: {
        tags,
        summary: 'Replace the partners of an offer, each a member organisation or a named outside one, in an IATI role (funding, accountable, extending, implementing)',
        params: Id,
        body: Type.Object({ partners: Type.Array(PartnerInput, { maxItems: LIMITS.partners }) }, { additionalProperties: false }),
        response: { 200: Offer, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => setPartners(p, actorOf(req), req.params.id, req.body.partners),
  );
  app.post(
    '/api/v1/offers/:id/sessions',
    {
      schema: {
        tags,
        summary: 'Add a session: dates in its own IANA time zone (an unknown zone or an impossible date is refused), the end after the start, at least one seat',
        params: Id,
        body: SessionInput,
        response: { 201: Offer, ...errors(400, 401, 403, 404) },
      },
    },
    async (req, reply) => reply.code(201).send(await addSession(p, actorOf(req), req.params.id, req.body)),
  );
  app.put(
    '/api/v1/offers/:id/sessions/:sessionId',
    {
      schema: { tags, summary: 'Change a session; its seats never go below those confirmed (409)', params: SessionId, body: SessionInput, response: { 200: Offer, ...errors(400, 401, 403, 404, 409) } },
    },
    async (req) => updateSession(p, actorOf(req), req.params.id, req.params.sessionId, req.body),
  );
  app.delete(
    '/api/v1/offers/:id/sessions/:sessionId',
    { schema: { tags, summary: 'Remove a session nobody is confirmed for (409 otherwise)', params: SessionId, response: { 200: Offer, ...errors(401, 403, 404, 409) } } },
    async (req) => removeSession(p, actorOf(req), req.params.id, req.params.sessionId),
  );
  app.put(
    '/api/v1/offers/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace its translation into a language (author, the provider’s organisation admins and translators); `machine` marks one made by a machine, `basedOn` the source revision it was made from',
        params: Type.Object({ id: Id.properties.id, lang: LanguageParam }),
        body: Type.Object({ ...TextProps, machine: Type.Optional(Type.Boolean()), basedOn: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Offer, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => translateOffer(p, actorOf(req), req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/offers/:id/translations/:lang',
    { schema: { tags, summary: 'Remove a translation', params: Type.Object({ id: Id.properties.id, lang: LanguageParam }), response: { 200: Offer, ...errors(400, 401, 403, 404) } } },
    async (req) => removeOfferTranslation(p, actorOf(req), req.params.id, req.params.lang),
  );

  // The public portal's page of a published CLEAR offer, for visitors who are not signed in
  // (portal/routes.ts explains the rule: a session cookie gets the web app at the same address).
  app.get(
    '/offers/:slug',
    { schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 200 }) }), querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 40 })) }) } },
    async (req, reply) => {
      if (req.cookies[SESSION_COOKIE]) return reply.callNotFound();
      const page = await offerPortalPage(p, { ...actorOf(req), principal: null }, req.params.slug, req.query.lang);
      if (!page) return reply.callNotFound();
      return sendPage(req, reply, page);
    },
  );
};
