import { Type } from 'typebox';
import { APPLICATION_STATUSES, GENDERS, SELECTION_MODES } from '#shared/capacity';
import { OneOf, Uuid } from '../../platform/schemas.js';
import { LIMITS } from './service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Status = OneOf(APPLICATION_STATUSES);
export const Gender = OneOf(GENDERS);
export const Selection = OneOf(SELECTION_MODES);

export const Question = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,39}$', description: 'Its key in the answers' }),
    label: Type.String({ minLength: 1, maxLength: LIMITS.label }),
    type: OneOf(['text', 'choice', 'yes-no'] as const),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: LIMITS.options })),
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Abilities = Type.Object({ withdraw: Type.Boolean(), endorse: Type.Boolean(), decide: Type.Boolean(), attend: Type.Boolean(), feedback: Type.Boolean() });

export const Application = Type.Object({
  id: Uuid,
  status: Status,
  waitlistPosition: Nullable(Type.Integer({ description: 'Place on the waitlist (1: next to get a seat), while waitlisted' })),
  appliedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  offer: Type.Object({
    id: Uuid,
    slug: Type.String(),
    title: Type.String(),
    type: Type.String(),
    provider: Type.Object({ id: Uuid, name: Type.String() }),
    selection: Selection,
    requiresEndorsement: Type.Boolean(),
  }),
  session: Type.Object({
    id: Uuid,
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    timeZone: Type.String(),
    place: Type.String(),
    country: Nullable(Type.String()),
    online: Type.Boolean(),
    cancelled: Type.Boolean(),
  }),
  applicant: Type.Object({
    id: Uuid,
    name: Type.String(),
    email: Nullable(Type.String({ description: 'To the applicant and the provider only' })),
    organisation: Type.Object({ id: Uuid, name: Type.String(), type: Type.String() }),
    country: Type.String(),
  }),
  motivation: Type.String(),
  answers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()])),
  gender: Nullable(Gender),
  decisionReason: Type.String(),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  endorsement: Nullable(Type.Object({ at: Type.String({ format: 'date-time' }), note: Type.String() })),
  attended: Nullable(Type.Boolean()),
  attendedDays: Type.Array(Type.String({ description: 'YYYY-MM-DD in the session’s time zone' })),
  completed: Nullable(Type.Boolean()),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  certificate: Nullable(
    Type.Object({
      code: Nullable(Type.String({ description: 'The verification code: to the participant and the provider' })),
      url: Nullable(Type.String()),
      issuedAt: Type.String({ format: 'date-time' }),
      revoked: Type.Boolean(),
    }),
  ),
  feedbackGiven: Type.Boolean(),
  can: Abilities,
});

export const ApplicationDetail = Type.Object({
  ...Application.properties,
  feedback: Nullable(Type.Object({ satisfaction: Type.Integer(), usefulness: Type.Integer(), comments: Type.String(), followUp: Type.String(), at: Type.String({ format: 'date-time' }) })),
});

export const FormSession = Type.Object({
  id: Uuid,
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String(),
  place: Type.String(),
  country: Nullable(Type.String()),
  online: Type.Boolean(),
  seats: Type.Integer(),
  freeSeats: Type.Integer(),
  applicationDeadline: Nullable(Type.String({ format: 'date-time' })),
  cancelled: Type.Boolean(),
  open: Type.Boolean({ description: 'Takes applications now (not begun, not cancelled, deadline not passed)' }),
});

export const Settings = {
  selection: Selection,
  waitlist: Type.Boolean(),
  requiresEndorsement: Type.Boolean(),
  questions: Type.Array(Question),
};

export const Form = Type.Object({
  offerId: Uuid,
  status: Type.String(),
  ...Settings,
  eligibleCountries: Type.Array(Type.String()),
  eligible: Type.Boolean({ description: 'The reader is signed in, vetted, and of a country the offer is open to' }),
  sessions: Type.Array(FormSession),
  mine: Type.Array(Type.Object({ sessionId: Uuid, applicationId: Uuid, status: Status })),
});

export const OfferApplications = Type.Object({
  offer: Type.Object({ id: Uuid, slug: Type.String(), title: Type.String(), ...Settings, selectionCriteria: Type.String() }),
  sessions: Type.Array(Type.Object({ ...FormSession.properties, counts: Type.Record(Type.String(), Type.Integer()) })),
  items: Type.Array(Application),
  can: Type.Object({ manage: Type.Boolean() }),
});

const Tally = Type.Array(Type.Object({ key: Type.String(), count: Type.Integer() }));
const Scale = Type.Object({ count: Type.Integer(), mean: Nullable(Type.Number()), distribution: Type.Array(Type.Integer(), { description: 'How many gave 1, 2, 3, 4 and 5' }) });

export const Outcomes = Type.Object({
  offer: Type.Object({ id: Uuid, slug: Type.String(), title: Type.String(), provider: Type.Object({ id: Uuid, name: Type.String() }) }),
  applications: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  participants: Type.Integer({ description: 'Selected applicants' }),
  byCountry: Tally,
  byOrganisationType: Tally,
  byGender: Tally,
  attended: Type.Integer(),
  completed: Type.Integer(),
  completionRate: Nullable(Type.Number()),
  satisfaction: Scale,
  usefulness: Scale,
  followUps: Type.Array(Type.String()),
});

export const Certificate = Type.Object({
  code: Type.String(),
  name: Type.String(),
  offer: Type.String(),
  provider: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  status: OneOf(['valid', 'revoked'] as const),
  url: Type.String(),
});

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    session: Type.Optional(Uuid),
    country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words of the applicant’s name or organisation' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.list })),
  },
  { additionalProperties: false },
);
