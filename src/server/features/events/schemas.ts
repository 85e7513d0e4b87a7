import { Type } from 'typebox';
import { RECORD_LIMITS, RECORD_STATUSES } from '#shared/records';
import { ConceptTag, ConceptTags } from '../../platform/concepts.js';
import { Audience, AudienceInput, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import { EVENT_KINDS, EVENT_STATUSES, LIMITS, QUESTION_TYPES, REGISTRATION_STATUSES } from './service.js';

export const Kind = OneOf(EVENT_KINDS);
export const Status = OneOf(EVENT_STATUSES);
export const RegistrationStatus = OneOf(REGISTRATION_STATUSES);
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
const Instant = Type.String({ format: 'date-time', description: 'A moment with its offset (RFC 3339)' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. America/Santo_Domingo' });

export const Question = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' }),
    label: Type.String({ minLength: 1, maxLength: 300 }),
    type: OneOf(QUESTION_TYPES),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: LIMITS.options })),
  },
  { additionalProperties: false },
);

export const Registration = Type.Object({
  open: Type.Boolean({ description: 'Published, not over, and taking registrations' }),
  moderated: Type.Boolean(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  confirmed: Type.Integer(),
  pending: Type.Integer(),
  waitlisted: Type.Integer(),
});

export const Summary = Type.Object({
  id: Uuid,
  kind: Kind,
  title: Type.String(),
  translation: TranslationInfo,
  place: Type.String(),
  country: Type.Union([Country, Type.Null()]),
  online: Type.Boolean(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  timeZone: Type.String(),
  organiser: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  concepts: Type.Array(Type.String()),
  status: Status,
  tlp: Tlp,
  registration: Registration,
  can: Type.Object({ manage: Type.Boolean(), translate: Type.Boolean() }),
});

export const MyRegistration = Type.Object({
  id: Uuid,
  status: RegistrationStatus,
  waitlistPosition: Type.Union([Type.Integer(), Type.Null()], { description: 'While waitlisted: 1 is next' }),
  consentToList: Type.Boolean(),
  answers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()])),
  delegation: Type.Union([Uuid, Type.Null()]),
  registeredAt: Type.String(),
});

export const Speaker = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), personId: Type.Optional(Type.Union([Uuid, Type.Null()])) }, { additionalProperties: false });

export const Session = Type.Object({
  id: Uuid,
  title: Type.String(),
  titleLanguage: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  room: Type.String(),
  speakers: Type.Array(Type.Object({ name: Type.String(), personId: Type.Union([Uuid, Type.Null()]) })),
  interpretation: Type.Array(Type.String()),
  status: OneOf(['scheduled', 'cancelled'] as const),
  sequence: Type.Integer({ description: 'Its iCalendar SEQUENCE' }),
  titles: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()], { description: 'Every language version of the title, for those who translate it' }),
});

export const Material = Type.Object({
  id: Uuid,
  sessionId: Type.Union([Uuid, Type.Null()]),
  title: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  fileName: Type.Union([Type.String(), Type.Null()]),
  contentType: Type.Union([Type.String(), Type.Null()]),
  size: Type.Union([Type.Integer(), Type.Null()]),
  tlp: Tlp,
  at: Type.String(),
});

/** The activity record an event's minutes became (features/records). */
export const RecordLink = Type.Object({ id: Uuid, slug: Type.String({ description: 'Its address: /records/{slug}' }), title: Type.String(), status: OneOf(RECORD_STATUSES) });

export const EventDetail = Type.Object({
  ...Summary.properties,
  can: Type.Object({
    manage: Type.Boolean(),
    translate: Type.Boolean(),
    writeMinutes: Type.Boolean({ description: 'The event is over, its minutes not written yet, and this reader speaks for the organisation that wrote it' }),
  }),
  record: Type.Union([RecordLink, Type.Null()], { description: 'The activity record its minutes became, if this reader may see that record' }),
  description: Type.String(),
  descriptionHtml: Type.String(),
  agenda: Type.String(),
  agendaHtml: Type.String(),
  language: Type.String(),
  revision: Type.Integer(),
  onlineUrl: Type.Union([Type.String(), Type.Null()], { description: 'For confirmed participants and the organisers' }),
  registrationOpen: Type.Boolean({ description: 'Registration is switched on (`registration.open` also needs the event published and not over)' }),
  retentionDays: Type.Integer(),
  answersPurged: Type.Boolean(),
  questions: Type.Array(Question),
  sequence: Type.Integer({ description: 'Its iCalendar SEQUENCE' }),
  pap: Pap,
  audience: Audience,
  sessions: Type.Array(Session),
  materials: Type.Array(Material, { description: 'Those this reader may see under their own marking' }),
  myRegistration: Type.Union([MyRegistration, Type.Null()]),
  delegationCountries: Type.Array(Type.String()),
  focalPointOf: Type.Array(Type.String(), { description: 'Countries with a delegation this reader is a national focal point of' }),
  sourceTexts: Type.Union([Type.Object({ title: Type.String(), description: Type.String(), agenda: Type.String() }), Type.Null()]),
});

const Fields = {
  kind: Kind,
  language: LanguageParam,
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  description: Type.Optional(Type.String({ maxLength: LIMITS.description, description: 'Markdown' })),
  agenda: Type.Optional(Type.String({ maxLength: LIMITS.agenda, description: 'Markdown' })),
  place: Type.Optional(Type.String({ maxLength: LIMITS.place })),
  country: Type.Optional(Type.Union([Country, Type.Null()])),
  online: Type.Optional(Type.Boolean()),
  onlineUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2000, pattern: '^https://' }), Type.Null()])),
  startsAt: Instant,
  endsAt: Instant,
  timeZone: TimeZone,
  organiserOrgId: Type.Optional(Uuid),
  concepts: Type.Optional(ConceptTags),
  registrationOpen: Type.Optional(Type.Boolean()),
  moderated: Type.Optional(Type.Boolean()),
  capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: LIMITS.capacity }), Type.Null()])),
  retentionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.retentionDays, description: 'Days after the end after which personal answers are purged' })),
  questions: Type.Optional(Type.Array(Question, { maxItems: LIMITS.questions })),
  tlp: Tlp,
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
};
export const CreateEvent = Type.Object(Fields, { additionalProperties: false });
export const UpdateEvent = Type.Object({ ...Type.Partial(Type.Object(Fields)).properties, status: Type.Optional(Status) }, { additionalProperties: false, minProperties: 1 });

const SessionFields = {
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  titleTranslations: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' }), Type.String({ maxLength: LIMITS.title }), { description: 'The title in other languages; an empty one removes it' })),
  startsAt: Instant,
  endsAt: Instant,
  room: Type.Optional(Type.String({ maxLength: LIMITS.room })),
  speakers: Type.Optional(Type.Array(Speaker, { maxItems: LIMITS.speakers })),
  interpretation: Type.Optional(Type.Array(LanguageParam, { maxItems: LIMITS.interpretation, description: 'Languages interpreted into' })),
  status: Type.Optional(OneOf(['scheduled', 'cancelled'] as const)),
};
export const CreateSession = Type.Object(SessionFields, { additionalProperties: false });
export const UpdateSession = Type.Object(Type.Partial(Type.Object(SessionFields)).properties, { additionalProperties: false, minProperties: 1 });

export const Answers = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: LIMITS.answer }), Type.Boolean(), Type.Null()]));
export const RegisterBody = Type.Object({ answers: Type.Optional(Answers), consentToList: Type.Optional(Type.Boolean({ description: 'Agree to appear in the participant list' })) }, { additionalProperties: false });

export const RegistrationView = Type.Object({
  id: Uuid,
  person: Type.Object({ id: Uuid, name: Type.String() }),
  organisation: Type.Object({ id: Uuid, name: Type.String(), country: Type.String() }),
  status: RegistrationStatus,
  ticket: Type.Integer({ description: 'Order of arrival' }),
  consentToList: Type.Boolean(),
  answers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()])),
  delegation: Type.Union([Uuid, Type.Null()]),
  registeredAt: Type.String(),
});

export const Delegations = Type.Object({
  items: Type.Array(
    Type.Object({
      country: Type.String(),
      countryName: Type.String(),
      quota: Type.Integer(),
      delegateCount: Type.Integer(),
      head: Type.Union([Type.String(), Type.Null()], { description: 'For the organisers, the focal points and the delegates' }),
      delegates: Type.Union(
        [Type.Array(Type.Object({ registrationId: Uuid, person: Type.Object({ id: Uuid, name: Type.String() }), organisation: Type.Object({ id: Uuid, name: Type.String() }), head: Type.Boolean(), status: RegistrationStatus })), Type.Null()],
        { description: 'For the organisers, the focal points of the country and its delegates; null for others' },
      ),
      can: Type.Object({ nominate: Type.Boolean(), setQuota: Type.Boolean() }),
    }),
  ),
  can: Type.Object({ setQuota: Type.Boolean() }),
});

export const MaterialLink = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 300 }), sessionId: Type.Optional(Type.Union([Uuid, Type.Null()])), url: Type.String({ maxLength: 2000, pattern: '^https?://' }), tlp: Tlp, pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(Kind),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Events ending on or after (date or date-time)' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Events starting on or before (date or date-time)' })),
    country: Type.Optional(Country),
    status: Type.Optional(Status),
    concept: Type.Optional(ConceptTag),
    record: Type.Optional(Uuid),
    lang: Type.Optional(LanguageParam),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);

export const MinutesBody = Type.Object(
  {
    minutes: Type.String({ minLength: 1, maxLength: RECORD_LIMITS.summary, description: 'Markdown, the record’s executive summary: paragraphs, lists, headings of level 3 or lower (## starts a section of the record format)' }),
    commitments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            text: Type.String({ minLength: 1, maxLength: RECORD_LIMITS.commitmentText, description: 'What is committed to, one line' }),
            ownerOrgId: Type.String({ format: 'uuid', description: 'The approved member organisation that owns it' }),
            due: Type.Optional(Type.Union([Type.String({ format: 'date' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        { maxItems: RECORD_LIMITS.commitments },
      ),
    ),
  },
  { additionalProperties: false },
);
