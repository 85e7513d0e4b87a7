import { Type } from 'typebox';
import { OFFER_FORMATS, REQUEST_STATUSES, TARGET_AUDIENCES, URGENCIES } from '#shared/capacity';
import { ConceptTag, ConceptTags } from '../../platform/concepts.js';
import { Body, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import { REASON_CODES } from './matching.js';
import { LIMITS, REQUEST_TLPS } from './service.js';

export const Status = OneOf(REQUEST_STATUSES);
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
const Day = Type.String({ format: 'date' });
const DayOrNull = Type.Union([Day, Type.Null()]);

export const Summary = Type.Object({
  id: Uuid,
  title: Type.String(),
  translation: TranslationInfo,
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }, { description: 'The requesting organisation' }),
  country: Type.Union([Type.String(), Type.Null()], { description: 'The country to be helped: the one a focal point asked for, else the organisation’s' }),
  forCountry: Type.Boolean({ description: 'Asked by a national focal point for their country' }),
  concepts: Type.Array(Type.String({ description: 'scheme/concept' })),
  audiences: Type.Array(OneOf(TARGET_AUDIENCES)),
  languages: Type.Array(Type.String()),
  urgency: OneOf(URGENCIES),
  format: Type.Union([OneOf(OFFER_FORMATS), Type.Null()]),
  timeframe: Type.Object({ from: DayOrNull, to: DayOrNull }),
  status: Status,
  tlp: Tlp,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const Abilities = Type.Object({
  triage: Type.Boolean(),
  own: Type.Boolean(),
  deliver: Type.Boolean(),
  evaluate: Type.Boolean(),
  answer: Type.Boolean(),
  convene: Type.Boolean(),
  translate: Type.Boolean(),
});

export const Interest = Type.Object({
  id: Uuid,
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  partners: Type.Array(Type.Object({ id: Uuid, name: Type.String(), country: Type.String() })),
  author: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  offerIds: Type.Array(Uuid),
  expertIds: Type.Array(Uuid),
  offers: Type.Array(Type.Object({ id: Uuid, slug: Type.String(), title: Type.String(), lang: Type.String() }), { description: 'The proposed offers the reader may see, named' }),
  experts: Type.Array(Type.Object({ id: Uuid, name: Type.String(), headline: Type.String(), lang: Type.String() }), { description: 'The proposed experts the reader may see, named' }),
  status: OneOf(['proposed', 'chosen', 'declined'] as const),
  createdAt: Type.String(),
});

export const Texts = {
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  description: Type.Optional(Type.String({ maxLength: LIMITS.description, description: 'The need, in the requester’s words' })),
  wanted: Type.Optional(Type.String({ maxLength: LIMITS.wanted, description: 'What is wanted: a course, an expert mission, help drafting…' })),
  constraints: Type.Optional(Type.String({ maxLength: LIMITS.constraints, description: 'What a provider must know: budget, security clearance, dates to avoid…' })),
};

export const Request = Type.Object({
  ...Summary.properties,
  description: Type.String(),
  wanted: Type.String(),
  constraints: Type.String(),
  revision: Type.Integer(),
  requester: Type.Union([Type.String(), Type.Null()], { description: 'The person who asked' }),
  pap: Pap,
  audience: Type.Object(
    {
      organisations: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
      communities: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
    },
    { description: 'Who it is shared with: for the requesting organisation and the secretariat only (empty for others, see `audienceShown`)' },
  ),
  audienceShown: Type.Boolean(),
  evaluation: Type.Union([Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.String() }), Type.Null()]),
  steps: Type.Array(Type.Object({ id: Uuid, status: Status, at: Type.String(), by: Type.Union([Type.String(), Type.Null()]), organisation: Type.Union([Type.String(), Type.Null()]), note: Type.String() }), {
    description: 'The timeline: every step taken, oldest first',
  }),
  interests: Type.Array(Interest, { description: 'The expressions of interest this reader may see: the requester and the secretariat see all, a provider its own' }),
  chosenInterestId: Type.Union([Uuid, Type.Null()]),
  answered: Type.Boolean({ description: 'The reader’s organisation has answered' }),
  coordination: Type.Union([Type.Object({ communityId: Uuid, topicId: Type.Union([Uuid, Type.Null()]), eventId: Type.Union([Uuid, Type.Null()]) }), Type.Null()]),
  can: Abilities,
  next: Type.Array(Status, { description: 'The steps this reader may take now' }),
  sourceTexts: Type.Union([Type.Object({ title: Type.String(), description: Type.String(), wanted: Type.String(), constraints: Type.String() }), Type.Null()]),
});

export const Create = Body({
  language: LanguageParam,
  ...Texts,
  country: Type.Optional(Type.Union([Country, Type.Null()], { description: 'Ask for this country (national focal points); without it the organisation asks for itself' })),
  concepts: Type.Optional(ConceptTags),
  audiences: Type.Optional(Type.Array(OneOf(TARGET_AUDIENCES), { maxItems: TARGET_AUDIENCES.length, description: 'Who is to benefit' })),
  languages: Type.Optional(Type.Array(LanguageParam, { maxItems: LIMITS.languages, description: 'Languages the help can be given in' })),
  urgency: Type.Optional(OneOf(URGENCIES)),
  format: Type.Optional(Type.Union([OneOf(OFFER_FORMATS), Type.Null()])),
  timeframe: Type.Optional(Type.Object({ from: Type.Optional(DayOrNull), to: Type.Optional(DayOrNull) }, { additionalProperties: false })),
  tlp: Type.Optional(OneOf(REQUEST_TLPS)),
  pap: Type.Optional(Pap),
  providers: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.providers, description: 'Share it with these providers only, not the providers’ community' })),
});

export const Move = Body({
  status: Status,
  note: Type.Optional(Type.String({ maxLength: LIMITS.note })),
  evaluation: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'With `evaluated`: how well the assistance met the need' })),
  comment: Type.Optional(Type.String({ maxLength: 5000 })),
});

export const AudienceBody = Body({ providers: Type.Array(Uuid, { maxItems: LIMITS.providers, description: 'Empty: the providers’ community; else only these organisations' }) });

export const InterestBody = Body({
  message: Type.String({ minLength: 1, maxLength: LIMITS.message }),
  partners: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.partners, description: 'Organisations answering with you (triangular cooperation)' })),
  offers: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.offers })),
  experts: Type.Optional(Type.Array(Uuid, { maxItems: LIMITS.experts })),
});

export const CoordinationBody = Body({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  message: Type.String({ minLength: 1, maxLength: 20_000, description: 'Markdown: the first post of the discussion' }),
  language: Type.Optional(LanguageParam),
  meeting: Type.Optional(
    Type.Object(
      {
        startsAt: Type.String({ format: 'date-time' }),
        endsAt: Type.String({ format: 'date-time' }),
        timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Santo_Domingo' }),
        online: Type.Optional(Type.Boolean()),
        place: Type.Optional(Type.String({ maxLength: 300 })),
      },
      { additionalProperties: false, description: 'When given, the meeting is also an event (features/events) for the community: in its members’ calendars, with registration' },
    ),
  ),
});

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    concept: Type.Optional(ConceptTag),
    country: Type.Optional(Country),
    mine: Type.Optional(Type.Boolean({ description: 'Only my organisation’s requests' })),
    lang: Type.Optional(LanguageParam),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

const ReasonSchema = Type.Object({
  code: OneOf(REASON_CODES),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Array(Type.String())]), { description: 'What the reason names: concepts, languages, a country, a region, counts, dates, a mean rating' }),
});
const Scored = { score: Type.Integer({ minimum: 0, maximum: 100 }), reasons: Type.Array(ReasonSchema) };
const Labels = Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), { description: 'The labels of the concepts the reasons name, by tag, in every language' });

export const Matches = Type.Object({
  request: Type.Object({ id: Uuid, status: Status }),
  offers: Type.Array(Type.Object({ id: Uuid, title: Type.String(), lang: Type.String(), type: Type.String(), provider: Type.Object({ id: Uuid, name: Type.String() }), partnerIds: Type.Array(Uuid), ...Scored })),
  providers: Type.Array(Type.Object({ organisation: Type.Object({ id: Uuid, name: Type.String() }), offerIds: Type.Array(Uuid), ...Scored })),
  experts: Type.Array(Type.Object({ id: Uuid, name: Type.String(), organisation: Type.Object({ id: Uuid, name: Type.String() }), ...Scored })),
  concepts: Labels,
});

export const Suggested = Type.Object({
  items: Type.Array(
    Type.Object({
      request: Summary,
      ...Scored,
      fits: Type.Array(Type.Object({ kind: OneOf(['offer', 'expert'] as const), id: Uuid, title: Type.String(), score: Type.Integer() }), { description: 'What of yours fits it best' }),
    }),
  ),
  concepts: Labels,
});
