import { Type } from 'typebox';
import { Body, Timestamp, Uuid } from '../../platform/schemas.js';
import { CountryCode, Kind } from '../contacts/schemas.js';

export const Filters = Body({
  kinds: Type.Optional(Type.Array(Kind, { maxItems: 5 })),
  countries: Type.Optional(Type.Array(CountryCode, { maxItems: 100 })),
  region: Type.Optional(Type.Union([Type.Literal('EU'), Type.Literal('LAC')])),
  organisations: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
  communityId: Type.Optional(Uuid),
});

export const LaunchBody = Body({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  message: Type.Optional(Type.String({ maxLength: 5000 })),
  deadline: Timestamp,
  filters: Filters,
  reminderHours: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 366 }), { maxItems: 10 })),
  reminderPercents: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 99 }), { maxItems: 10 })),
});

const Excluded = Type.Object(
  { emailWithheld: Type.Integer(), noEmail: Type.Integer() },
  { description: 'Matching entries the launcher may see that were left out, by reason (never named). Entries they may not see are not counted.' },
);

export const Preview = Type.Object({
  targets: Type.Integer(),
  excluded: Excluded,
  sample: Type.Array(Type.Object({ id: Uuid, fullName: Type.String(), country: Type.String(), organisation: Type.String() })),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Summary = {
  targets: Type.Integer(),
  acknowledged: Type.Integer(),
  responseRate: Type.Number(),
  medianSeconds: Nullable(Type.Number()),
  p90Seconds: Nullable(Type.Number()),
};
const Channel = Nullable(Type.Union([Type.Literal('link'), Type.Literal('in_app')]));
const Status = Type.Union([Type.Literal('open'), Type.Literal('closed')]);

export const CheckReport = Type.Object({
  id: Uuid,
  title: Type.String(),
  message: Type.String(),
  status: Status,
  createdAt: Timestamp,
  deadline: Timestamp,
  closedAt: Nullable(Timestamp),
  reminderAt: Type.Array(Timestamp),
  remindersSent: Type.Integer(),
  filters: Type.Any(),
  launchedByMe: Type.Boolean(),
  scope: Type.Union([Type.Literal('all'), Type.Literal('organisation')]),
  /** For the launcher only: counted from their view at launch. */
  excluded: Type.Union([Excluded, Type.Null()]),
  overall: Type.Object(Summary),
  byCountry: Type.Array(Type.Object({ country: Type.String(), countryName: Type.String(), ...Summary })),
  contacts: Type.Array(
    Type.Object({
      contactId: Nullable(Uuid),
      fullName: Nullable(Type.String()),
      organisation: Nullable(Type.String()),
      email: Nullable(Type.String()),
      country: Type.String(),
      countryName: Type.String(),
      acknowledged: Type.Boolean(),
      acknowledgedAt: Nullable(Timestamp),
      channel: Channel,
      secondsToAcknowledge: Nullable(Type.Number()),
      encrypted: Type.Boolean(),
      remindersSent: Type.Integer(),
      flagged: Type.Boolean(),
    }),
  ),
});

export const CheckList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, title: Type.String(), deadline: Timestamp, status: Status, createdAt: Timestamp, targets: Type.Integer(), acknowledged: Type.Integer() })),
  canLaunch: Type.Boolean(),
});

export const AckInfo = Type.Object({
  title: Type.String(),
  message: Type.String(),
  contactName: Type.String(),
  deadline: Timestamp,
  language: Type.String(),
  closed: Type.Boolean(),
  acknowledgedAt: Nullable(Timestamp),
});
export const AckDone = Type.Object({ acknowledgedAt: Timestamp });
export const AckToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });

export const History = Type.Object({
  flagged: Type.Boolean(),
  flaggedAt: Nullable(Timestamp),
  items: Type.Array(Type.Object({ checkId: Uuid, title: Type.String(), createdAt: Timestamp, deadline: Timestamp, status: Status, acknowledgedAt: Nullable(Timestamp), channel: Channel })),
});

export const Pending = Type.Object({ items: Type.Array(Type.Object({ checkId: Uuid, title: Type.String(), deadline: Timestamp, contactId: Uuid, contactName: Type.String() })) });
