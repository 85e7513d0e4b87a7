import { Type } from 'typebox';
import { MEMBERSHIPS, ORGANISATION_STATUSES, ORGANISATION_TYPES } from '#shared/organisations';
import { ORGANISATION_LIMITS as LIMITS } from '#shared/profile';
import { SECTORS } from '#shared/sectors';
import { Body, Email, OneOf, Uuid } from '../../platform/schemas.js';

export const OrganisationType = OneOf(ORGANISATION_TYPES);
export const OrganisationStatus = OneOf(ORGANISATION_STATUSES);

// ---------- profiles (issue 3 §1) ----------

export const Membership = OneOf(MEMBERSHIPS);
const LanguageCode = Type.String({ pattern: '^[a-z]{2,3}$' });

/** The member part of a profile: vetted members of approved organisations only. */
export const MemberProfile = Type.Object({
  ipRanges: Type.Array(Type.String()),
  asns: Type.Array(Type.Integer()),
  domains: Type.Array(Type.String()),
  sectorsServed: Type.Array(Type.String()),
  operatingHours: Type.Union([Type.String(), Type.Null()]),
  timeZone: Type.Union([Type.String(), Type.Null()]),
  establishedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  memberships: Type.Array(Type.String()),
  otherMemberships: Type.Array(Type.String()),
});

/** Fields a profile adds to an organisation (optional, so the foundation contract stays). */
export const ProfileFields = {
  /** Descriptions by language code. */
  descriptions: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** The language of `description`: the viewer's, else the organisation's first, else any; null for the join-request text. */
  descriptionLanguage: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  languages: Type.Optional(Type.Array(Type.String())),
  logoUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  profileUpdatedAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  memberProfile: Type.Optional(MemberProfile),
};

export const ProfilePatchBody = Body({
  name: Type.Optional(Type.String({ minLength: LIMITS.nameMin, maxLength: LIMITS.name })),
  acronym: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.acronym }), Type.Null()])),
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2,3}$' })),
  type: Type.Optional(OrganisationType),
  sectors: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 40 })),
  website: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.website }), Type.Null()])),
  languages: Type.Optional(Type.Array(LanguageCode, { maxItems: 10 })),
  /** Replaces all descriptions; an empty text removes that language. */
  descriptions: Type.Optional(Type.Record(Type.String({ maxLength: 3 }), Type.String({ maxLength: LIMITS.description }))),
  ipRanges: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })),
  asns: Type.Optional(Type.Array(Type.Integer(), { maxItems: 500 })),
  domains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 500 })),
  sectorsServed: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 40 })),
  operatingHours: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.operatingHours }), Type.Null()])),
  timeZone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  establishedOn: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
  memberships: Type.Optional(Type.Array(Membership, { maxItems: MEMBERSHIPS.length })),
  otherMemberships: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 20 })),
});

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
  // Left out for anonymous readers of the public profile.
  statusReason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  mfaRequired: Type.Optional(Type.Boolean()),
  createdAt: Type.String({ format: 'date-time' }),
  memberCount: Type.Optional(Type.Integer()),
  requester: Type.Optional(
    Type.Object({ name: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]), message: Type.Union([Type.String(), Type.Null()]) }),
  ),
  ...ProfileFields,
});

export const JoinRequestBody = Body({
  organisation: Body({
    name: Type.String({ minLength: LIMITS.nameMin, maxLength: LIMITS.name }),
    acronym: Type.Optional(Type.String({ maxLength: LIMITS.acronym })),
    country: Type.String({ pattern: '^[A-Z]{2,3}$' }),
    type: OrganisationType,
    sectors: Type.Array(Type.String({ maxLength: 40 }), { maxItems: SECTORS.length, default: [] }),
    website: Type.Optional(Type.String({ format: 'uri', maxLength: LIMITS.website, pattern: '^https?://' })),
    description: Type.Optional(Type.String({ maxLength: LIMITS.description })),
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
    /** The language to pick descriptions in (default: the viewer's, else Accept-Language). */
    lang: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}$' })),
  },
  { additionalProperties: false },
);

