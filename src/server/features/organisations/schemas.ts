import { Type } from 'typebox';
import { Body, Email, Uuid } from '../../platform/schemas.js';

export const ORGANISATION_TYPES = [
  'mfa',
  'national_cyber_agency',
  'national_csirt',
  'sectoral_csirt',
  'other_government',
  'private_sector',
  'academia',
  'civil_society',
  'international_organisation',
  'team_europe_agency',
] as const;
export const OrganisationType = Type.Union(ORGANISATION_TYPES.map((t) => Type.Literal(t)));
export const OrganisationStatus = Type.Union(['requested', 'approved', 'rejected', 'suspended'].map((s) => Type.Literal(s)));

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  acronym: Type.Union([Type.String(), Type.Null()]),
  country: Type.String(),
  type: Type.String(),
  sectors: Type.Array(Type.String()),
  website: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  status: Type.String(),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  mfaRequired: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  memberCount: Type.Integer(),
  requester: Type.Optional(
    Type.Object({ name: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]), message: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

export const JoinRequestBody = Body({
  organisation: Body({
    name: Type.String({ minLength: 2, maxLength: 200 }),
    acronym: Type.Optional(Type.String({ maxLength: 30 })),
    country: Type.String({ pattern: '^[A-Z]{2,3}$' }),
    type: OrganisationType,
    sectors: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 18, default: [] }),
    website: Type.Optional(Type.String({ format: 'uri', maxLength: 300, pattern: '^https?://' })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
  }),
  requester: Body({ name: Type.String({ minLength: 1, maxLength: 200 }), email: Email }),
  message: Type.Optional(Type.String({ maxLength: 4000 })),
});

export const ReasonBody = Body({ reason: Type.String({ minLength: 3, maxLength: 2000 }) });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(OrganisationStatus),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2,3}$' })),
    type: Type.Optional(OrganisationType),
  },
  { additionalProperties: false },
);
