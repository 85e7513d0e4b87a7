import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/actor.js';
import { ConceptTags } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import { Audience, AudienceInput, Body, errors, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo, TranslationInput } from '../../platform/translations.js';
import { EU_INSTRUMENT_IDS, EU_RELATIONS, INSTRUMENT_STATUSES, INSTRUMENT_TYPES } from '#shared/countries';
import {
  changeInstrumentStatus,
  compareCountries,
  countryOverview,
  countryPage,
  createInstrument,
  createPriority,
  editInstrument,
  editPriority,
  getInstrument,
  getPriority,
  instrumentHistory,
  priorityHistory,
  removeInstrumentTranslation,
  removePriorityTranslation,
  translateInstrument,
  translatePriority,
} from './service.js';

const tags = ['countries'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, o: { description?: string } = {}) => Type.Union([t, Type.Null()], o);
const Day = Type.String({ format: 'date' });
const Person = Nullable(Type.Object({ id: Uuid, name: Type.String() }, { description: 'Members only: the public sees organisations, not people' }));
const Region = Type.Union([Type.Literal('EU'), Type.Literal('LAC')]);
const InstrumentType = OneOf(INSTRUMENT_TYPES);
const InstrumentStatus = OneOf(INSTRUMENT_STATUSES);
const EuInstrument = OneOf(EU_INSTRUMENT_IDS);
const EuRelation = OneOf(EU_RELATIONS);
const Version = Type.Integer({ minimum: 1, description: 'The version this edit starts from: a change made meanwhile answers 409 INVALID_STATE' });
/** Checked as a BCP 47 tag by the service (400 VALIDATION_FAILED naming the field). */
const LanguageTag = Type.String({ minLength: 1, maxLength: 35, description: 'The language the text is written in: a BCP 47 tag such as es, pt-BR or fr' });

const Iso2 = Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 code of one of the 60 states' });
const CountryParams = Type.Object({ iso2: Iso2 });
const ItemParams = Type.Object({ iso2: Iso2, id: Uuid });
const TranslationParams = Type.Object({ iso2: Iso2, id: Uuid, lang: LanguageParam });
const LangQuery = Type.Object({ lang: Type.Optional(LanguageParam) }, { additionalProperties: false });

const Can = { edit: Type.Boolean(), changeMarking: Type.Boolean(), translate: Type.Boolean() };
const Common = {
  tlp: Tlp,
  pap: Pap,
  audience: Audience,
  organisation: Type.Object({ id: Uuid, name: Type.String() }, { description: 'The author’s organisation' }),
  author: Person,
  updatedBy: Person,
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

const Priority = Type.Object({
  id: Uuid,
  country: Type.String(),
  title: Type.String(),
  body: Type.String(),
  language: Type.String({ description: 'The language of title and body as given: the reader’s when the priority exists in it, else its source' }),
  translation: TranslationInfo,
  concepts: Type.Array(Type.String()),
  reviewDate: Nullable(Day),
  reviewDue: Type.Boolean({ description: 'The review date has come' }),
  ...Common,
  can: Type.Object(Can),
});

const EuLink = Type.Object({ instrument: EuInstrument, relation: EuRelation, note: Type.Optional(Type.String()) });
const EuLinkInput = Type.Object({ instrument: EuInstrument, relation: EuRelation, note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
const ExpressionInput = Type.Object(
  {
    language: LanguageTag,
    url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000 }),
    title: Type.Optional(Type.String({ maxLength: 300 })),
    authoritative: Type.Optional(Type.Boolean({ description: 'An authentic (legally binding) language version' })),
  },
  { additionalProperties: false },
);
const StatusStep = Type.Object({ status: InstrumentStatus, effectiveOn: Day, recordedAt: Type.String({ format: 'date-time' }), by: Person });

const Instrument = Type.Object({
  id: Uuid,
  country: Type.String(),
  eli: Type.String({ description: 'ELI-style identifier of the work: /eli/{country}/{type}/{year}/{number}' }),
  type: InstrumentType,
  status: InstrumentStatus,
  title: Type.String(),
  summary: Type.String(),
  language: Type.String(),
  translation: TranslationInfo,
  year: Type.Integer(),
  number: Type.String(),
  date: Nullable(Day),
  authority: Type.String(),
  authorityOrganisation: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  sectors: Type.Array(Type.String({ description: 'nis2-sectors/<sector>' })),
  concepts: Type.Array(Type.String()),
  euLinks: Type.Array(EuLink),
  expressions: Type.Array(
    Type.Object({ language: Type.String(), url: Type.String(), title: Nullable(Type.String()), authoritative: Type.Boolean(), eli: Type.String({ description: 'The expression: the work’s identifier and the language' }) }),
    { description: 'The language versions of the text (expressions of the one work)' },
  ),
  statusHistory: Type.Array(StatusStep),
  dates: Type.Record(Type.String(), Day, { description: 'The day each status took effect (the latest when one came twice)' }),
  ...Common,
  nextStatuses: Type.Array(InstrumentStatus, { description: 'The statuses this reader may move it to' }),
  can: Type.Object({ ...Can, changeStatus: Type.Boolean() }),
});

const OrgRef = Type.Object({ id: Uuid, name: Type.String(), acronym: Nullable(Type.String()), website: Nullable(Type.String()) });
const KindCoverage = Type.Object({ count: Type.Integer({ minimum: 0 }), lastConfirmedAt: Nullable(Type.String({ format: 'date-time' })) });
const CountryPage = Type.Object({
  code: Type.String(),
  name: Type.String({ description: 'English; clients localise the code' }),
  region: Region,
  subregion: Type.String(),
  languages: Type.Array(Type.String()),
  directory: Type.Object({ mfa: Type.Array(OrgRef), agencies: Type.Array(OrgRef), csirts: Type.Array(OrgRef) }, { description: 'Approved organisations of the country: foreign ministry, national cyber agency, national CSIRT' }),
  strategy: Nullable(Type.Object({ id: Uuid, title: Type.String(), language: Type.String(), year: Type.Integer(), status: InstrumentStatus, eli: Type.String() }, { description: 'The newest adopted national strategy in the tracker that the reader may see' })),
  focalPoints: Nullable(Type.Array(Type.Object({ person: Type.Object({ id: Uuid, name: Type.String() }), organisation: Type.Object({ id: Uuid, name: Type.String() }) })), { description: 'Members only (null otherwise)' }),
  coverage: Nullable(Type.Object({ diplomatic: KindCoverage, technical: KindCoverage, operational_24_7: KindCoverage, lastConfirmedAt: Nullable(Type.String({ format: 'date-time' })) }, { description: 'Signed-in readers only, over the contacts they may see (null otherwise)' })),
  priorities: Type.Array(Priority),
  instruments: Type.Array(Instrument),
  can: Type.Object({ addPriority: Type.Boolean(), addInstrument: Type.Boolean() }),
});

const Marking = { tlp: Tlp, pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput) };
const PriorityFields = {
  title: Type.String({ minLength: 1, maxLength: 300 }),
  body: Type.String({ maxLength: 20_000 }),
  concepts: Type.Optional(ConceptTags),
  reviewDate: Type.Optional(Nullable(Day)),
};
const InstrumentFields = {
  type: InstrumentType,
  title: Type.String({ minLength: 1, maxLength: 300 }),
  summary: Type.Optional(Type.String({ maxLength: 20_000 })),
  year: Type.Integer({ minimum: 1900, maximum: 2200 }),
  number: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'The instrument’s number in its year, for its ELI identifier (lower-case letters, digits, -)' }),
  date: Type.Optional(Nullable(Day)),
  authority: Type.Optional(Type.String({ maxLength: 300 })),
  authorityOrganisationId: Type.Optional(Nullable(Uuid)),
  sectors: Type.Optional(Type.Array(Type.String({ maxLength: 127 }), { maxItems: 18, description: 'nis2-sectors concepts (nis2-sectors/energy; a bare sector code is taken too)' })),
  concepts: Type.Optional(ConceptTags),
  euLinks: Type.Optional(Type.Array(EuLinkInput, { maxItems: 4 })),
  expressions: Type.Optional(Type.Array(ExpressionInput, { maxItems: 30 })),
};
const Partial = <T extends Record<string, Parameters<typeof Type.Optional>[0]>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>> };

const History = Type.Object({
  items: Type.Array(
    Type.Object({
      version: Type.Integer(),
      action: Type.String(),
      changed: Type.Array(Type.String()),
      at: Type.String({ format: 'date-time' }),
      by: Person,
      tlp: Nullable(Tlp),
      content: Nullable(Type.Record(Type.String(), Type.Unknown()), { description: 'The text as it was after this change; null when the marking it had then leaves this reader out' }),
    }),
  ),
});

const Overview = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      region: Region,
      subregion: Type.String(),
      organisations: Type.Integer({ description: 'Approved organisations in the directory' }),
      priorities: Type.Integer({ description: 'Priorities this reader may see' }),
      instruments: Type.Integer({ description: 'Instruments this reader may see' }),
      focalPoints: Nullable(Type.Integer({ description: 'Members only' })),
    }),
  ),
  focalCountries: Type.Array(Type.String(), { description: 'Where this reader is a national focal point' }),
});

const CompareItem = Type.Object({
  id: Uuid,
  country: Type.String(),
  eli: Type.String(),
  type: InstrumentType,
  status: InstrumentStatus,
  title: Type.String(),
  language: Type.String(),
  year: Type.Integer(),
  sectors: Type.Array(Type.String()),
  euLinks: Type.Array(EuLink),
  tlp: Tlp,
});
const Compare = Type.Object({
  countries: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), region: Region })),
  filters: Type.Object({ sector: Nullable(Type.String()), eu: Nullable(EuInstrument), relation: Nullable(EuRelation), type: Nullable(InstrumentType), status: Nullable(InstrumentStatus) }),
  instruments: Type.Array(CompareItem),
  byEu: Type.Array(
    Type.Object({
      eu: Nullable(EuInstrument, { description: 'null: linked to no EU instrument' }),
      cells: Type.Array(Type.Object({ country: Type.String(), items: Type.Array(Type.Object({ id: Uuid, relation: Nullable(EuRelation) })) })),
    }),
  ),
  bySector: Type.Array(Type.Object({ sector: Nullable(Type.String(), { description: 'null: no sector given' }), cells: Type.Array(Type.Object({ country: Type.String(), items: Type.Array(Uuid) })) })),
});

/** Country pages: the 60 states with their priorities register and policy tracker, and the side-by-side comparison. */
export const countryRoutes: FastifyPluginAsyncTypebox<{ p: Platform }> = async (app, { p }) => {
  app.get(
    '/api/v1/countries/overview',
    { schema: { tags, summary: 'The 60 states with what each has that this reader may see (every count over visible items only)', querystring: LangQuery, response: { 200: Overview, ...errors(400) } } },
    async (req) => countryOverview(p, actorOf(req)),
  );
  app.get(
    '/api/v1/countries/compare',
    {
      schema: {
        tags,
        summary: 'Instruments of 2 to 8 countries side by side, by EU instrument and by sector: only those this reader may see',
        querystring: Type.Object(
          {
            countries: Type.String({ pattern: '^[A-Za-z]{2}(,[A-Za-z]{2}){1,7}$', description: 'ISO codes, comma-separated' }),
            sector: Type.Optional(Type.String({ maxLength: 127, description: 'A NIS2 sector: energy or nis2-sectors/energy' })),
            eu: Type.Optional(EuInstrument),
            relation: Type.Optional(EuRelation),
            type: Type.Optional(InstrumentType),
            status: Type.Optional(InstrumentStatus),
            lang: Type.Optional(LanguageParam),
          },
          { additionalProperties: false },
        ),
        response: { 200: Compare, ...errors(400, 404) },
      },
    },
    async (req) => compareCountries(p, actorOf(req), req.query),
  );
  app.get(
    '/api/v1/countries/:iso2',
    {
      schema: {
        tags,
        summary: 'A country’s page: the public part for anyone; focal points and coverage as the directory shows them; the priorities and instruments this reader may see',
        params: CountryParams,
        querystring: LangQuery,
        response: { 200: CountryPage, ...errors(400, 404) },
      },
    },
    async (req) => countryPage(p, actorOf(req), req.params.iso2),
  );

  // ---------- priorities
  app.post(
    '/api/v1/countries/:iso2/priorities',
    { schema: { tags, summary: 'State a priority of the country (its national focal points)', params: CountryParams, body: Body({ ...PriorityFields, language: LanguageTag, ...Marking }), response: { 201: Priority, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => reply.status(201).send(await createPriority(p, actorOf(req), req.params.iso2, req.body)),
  );
  app.get(
    '/api/v1/countries/:iso2/priorities/:id',
    { schema: { tags, summary: 'One priority, if this reader may see it', params: ItemParams, querystring: LangQuery, response: { 200: Priority, ...errors(400, 404) } } },
    async (req) => getPriority(p, actorOf(req), req.params.iso2, req.params.id),
  );
  app.patch(
    '/api/v1/countries/:iso2/priorities/:id',
    {
      schema: {
        tags,
        summary: 'Edit a priority (the country’s focal points; the marking: the author or their organisation); a new text makes its translations outdated; every change is a version',
        params: ItemParams,
        body: Body({ ...Partial(PriorityFields), tlp: Type.Optional(Tlp), pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput), version: Type.Optional(Version) }),
        response: { 200: Priority, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => editPriority(p, actorOf(req), req.params.iso2, req.params.id, req.body),
  );
  app.get(
    '/api/v1/countries/:iso2/priorities/:id/history',
    { schema: { tags, summary: 'A priority’s versions, newest first: who changed what and when', params: ItemParams, response: { 200: History, ...errors(400, 404) } } },
    async (req) => priorityHistory(p, actorOf(req), req.params.iso2, req.params.id),
  );
  app.put(
    '/api/v1/countries/:iso2/priorities/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace the priority’s version in another language',
        params: TranslationParams,
        body: TranslationInput({ title: Type.String({ minLength: 1, maxLength: 300 }), body: Type.String({ maxLength: 20_000 }) }),
        response: { 200: Priority, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => translatePriority(p, actorOf(req), req.params.iso2, req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/countries/:iso2/priorities/:id/translations/:lang',
    { schema: { tags, summary: 'Remove the priority’s version in a language', params: TranslationParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await removePriorityTranslation(p, actorOf(req), req.params.iso2, req.params.id, req.params.lang);
      return reply.status(204).send(null);
    },
  );

  // ---------- instruments
  app.post(
    '/api/v1/countries/:iso2/instruments',
    {
      schema: {
        tags,
        summary: 'Track an instrument of the country (its national focal points and the secretariat)',
        params: CountryParams,
        body: Body({ ...InstrumentFields, status: InstrumentStatus, statusDate: Type.Optional(Day), language: LanguageTag, ...Marking }),
        response: { 201: Instrument, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createInstrument(p, actorOf(req), req.params.iso2, req.body)),
  );
  app.get(
    '/api/v1/countries/:iso2/instruments/:id',
    { schema: { tags, summary: 'One instrument, if this reader may see it', params: ItemParams, querystring: LangQuery, response: { 200: Instrument, ...errors(400, 404) } } },
    async (req) => getInstrument(p, actorOf(req), req.params.iso2, req.params.id),
  );
  app.patch(
    '/api/v1/countries/:iso2/instruments/:id',
    {
      schema: {
        tags,
        summary: 'Edit an instrument (not its status: see /status); every change is a version',
        params: ItemParams,
        body: Body({ ...Partial(InstrumentFields), tlp: Type.Optional(Tlp), pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput), version: Type.Optional(Version) }),
        response: { 200: Instrument, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => editInstrument(p, actorOf(req), req.params.iso2, req.params.id, req.body),
  );
  app.post(
    '/api/v1/countries/:iso2/instruments/:id/status',
    {
      schema: {
        tags,
        summary: 'The next status of the instrument and the day it took effect (draft → public_consultation → adopted → in_force → amended → repealed); any other step is 409 INVALID_STATE',
        params: ItemParams,
        body: Body({ status: InstrumentStatus, effectiveOn: Type.Optional(Day), version: Type.Optional(Version) }),
        response: { 200: Instrument, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => changeInstrumentStatus(p, actorOf(req), req.params.iso2, req.params.id, req.body),
  );
  app.get(
    '/api/v1/countries/:iso2/instruments/:id/history',
    { schema: { tags, summary: 'An instrument’s versions, newest first', params: ItemParams, response: { 200: History, ...errors(400, 404) } } },
    async (req) => instrumentHistory(p, actorOf(req), req.params.iso2, req.params.id),
  );
  app.put(
    '/api/v1/countries/:iso2/instruments/:id/translations/:lang',
    {
      schema: {
        tags,
        summary: 'Add or replace the instrument’s title and summary in another language',
        params: TranslationParams,
        body: TranslationInput({ title: Type.String({ minLength: 1, maxLength: 300 }), summary: Type.String({ maxLength: 20_000 }) }),
        response: { 200: Instrument, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => translateInstrument(p, actorOf(req), req.params.iso2, req.params.id, req.params.lang, req.body),
  );
  app.delete(
    '/api/v1/countries/:iso2/instruments/:id/translations/:lang',
    { schema: { tags, summary: 'Remove the instrument’s version in a language', params: TranslationParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await removeInstrumentTranslation(p, actorOf(req), req.params.iso2, req.params.id, req.params.lang);
      return reply.status(204).send(null);
    },
  );
};
