import { Type, type TSchema } from 'typebox';
import { CHANNEL_TYPES, CONTACT_FIELDS, CONTACT_KINDS, CONTACT_LIMITS, CONTACT_STATUSES, CONTACT_WEBSITE_PATTERN, PHONE_PATTERN } from '#shared/contacts';
import type { DirectoryParam } from '#shared/filters';
import { Audience, AudienceInput, Body, Email, OneOf, Pap, Timestamp, Tlp, Uuid } from '../../platform/schemas.js';

export const Kind = OneOf(CONTACT_KINDS);
export const FieldName = OneOf(CONTACT_FIELDS);
export const Status = OneOf(CONTACT_STATUSES);
const Language = Type.String({ pattern: '^[a-z]{2,3}$' });
const Phone = Type.String({ pattern: PHONE_PATTERN, maxLength: CONTACT_LIMITS.phone });
const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CountryCode = Type.String({ pattern: '^[A-Z]{2,3}$' });
export const Website = Type.String({ pattern: CONTACT_WEBSITE_PATTERN, maxLength: CONTACT_LIMITS.website });

export const SecureChannel = Type.Object(
  {
    type: OneOf(CHANNEL_TYPES),
    address: Type.String({ minLength: 1, maxLength: CONTACT_LIMITS.channelAddress }),
  },
  { additionalProperties: false },
);

const FieldMarkingOut = Type.Object({ tlp: Tlp, audience: Audience });
const FieldMarkingIn = Body({ tlp: Tlp, audience: Type.Optional(AudienceInput) });

export const OpenPgpKey = Type.Object({
  armored: Type.String(),
  fingerprint: Type.String(),
  algorithm: Type.String(),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  expired: Type.Boolean(),
  revoked: Type.Boolean(),
});

/** One entry as a viewer sees it: the sensitive fields appear only when their marking lets the viewer see them. */
export const Contact = Type.Object({
  id: Uuid,
  fullName: Type.String(),
  position: Type.String(),
  isTeamMailbox: Type.Boolean(),
  kinds: Type.Array(Kind),
  organisation: Type.Object({ id: Uuid, name: Type.String(), acronym: Type.Union([Type.String(), Type.Null()]), type: Type.String(), sectors: Type.Array(Type.String()) }),
  country: Type.String(),
  countryName: Type.String(),
  personId: Type.Union([Uuid, Type.Null()]),
  languages: Type.Array(Type.String()),
  timeZone: Type.Union([Type.String(), Type.Null()]),
  emails: Type.Optional(Type.Array(Type.String())),
  phone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  emergencyPhone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  availability: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  secureChannels: Type.Optional(Type.Array(Type.Object({ type: Type.String(), address: Type.String() }))),
  openpgpKey: Type.Optional(Type.Union([OpenPgpKey, Type.Null()])),
  openpgpFingerprint: Type.Optional(
    Type.Union([Type.String(), Type.Null()], { description: 'The fingerprint of the key on file, or one a team record gave without its key (shared like openpgpKey)' }),
  ),
  website: Type.Union([Type.String(), Type.Null()]),
  withheld: Type.Array(FieldName, { description: 'Fields not shared with this viewer (names only)' }),
  fieldMarkings: Type.Record(Type.String(), FieldMarkingOut, { description: 'Narrower markings of the fields this viewer sees' }),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  lastConfirmedAt: Timestamp,
  ageDays: Type.Integer(),
  stale: Type.Boolean(),
  flagged: Type.Boolean({ description: 'Failed two communication checks in a row; told only to those responsible for the entry (false for anyone else)' }),
  status: Status,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  tlp: Tlp,
  pap: Pap,
  audience: Audience,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  canEdit: Type.Boolean({ description: 'The same as can.edit' }),
  canConfirm: Type.Boolean({ description: 'The same as can.confirm' }),
  can: Type.Object(
    {
      edit: Type.Boolean({ description: 'PATCH /api/v1/contacts/{id} will be allowed: those responsible for the entry (national focal points of its country for diplomatic and crisis-management kinds, admins of its organisation for the others), while it is not removed or rejected' }),
      changeMarking: Type.Boolean({ description: 'Changing the marking (tlp, pap, audience, fieldMarkings) through PATCH will be allowed; the same people as edit' }),
      delete: Type.Boolean({ description: 'DELETE /api/v1/contacts/{id} (remove from the directory) will be allowed: those responsible for the entry, unless it is removed already' }),
      confirm: Type.Boolean({ description: 'POST /api/v1/contacts/{id}/confirm will be allowed: those responsible for the entry, or the person it names, while it is active' }),
    },
    { description: 'What this viewer may do with the entry' },
  ),
});

export const ContactPage = Type.Object({ items: Type.Array(Contact), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const ContactQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    organisation: Type.Optional(Uuid),
    country: Type.Optional(CountryCode),
    kind: Type.Optional(Kind),
    sector: Type.Optional(Type.String({ maxLength: 80 })),
    language: Type.Optional(Language),
    stale: Type.Optional(Type.Boolean()),
    status: Type.Optional(Status),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  } satisfies Record<DirectoryParam, TSchema>,
  { additionalProperties: false },
);

const editable = {
  kinds: Type.Array(Kind, { minItems: 1, maxItems: 5 }),
  fullName: Type.String({ minLength: 1, maxLength: CONTACT_LIMITS.fullName }),
  position: Type.Optional(Type.String({ maxLength: CONTACT_LIMITS.position })),
  isTeamMailbox: Type.Optional(Type.Boolean()),
  personId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  languages: Type.Optional(Type.Array(Language, { maxItems: 20 })),
  timeZone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  emails: Type.Optional(Type.Array(Email, { maxItems: 10 })),
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  emergencyPhone: Type.Optional(Type.Union([Phone, Type.Null()])),
  availability: Type.Optional(Type.Union([Type.String({ maxLength: CONTACT_LIMITS.availability }), Type.Null()])),
  secureChannels: Type.Optional(Type.Array(SecureChannel, { maxItems: 10 })),
  openpgpKey: Type.Optional(Type.Union([Type.String({ maxLength: 100_000 }), Type.Null()])),
  validUntil: Type.Optional(Type.Union([DateOnly, Type.Null()])),
  website: Type.Optional(Type.Union([Website, Type.Null()])),
  tlp: Type.Optional(Tlp),
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
  fieldMarkings: Type.Optional(
    Type.Object(
      {
        emails: Type.Optional(Type.Union([FieldMarkingIn, Type.Null()])),
        phone: Type.Optional(Type.Union([FieldMarkingIn, Type.Null()])),
        emergencyPhone: Type.Optional(Type.Union([FieldMarkingIn, Type.Null()])),
        availability: Type.Optional(Type.Union([FieldMarkingIn, Type.Null()])),
        secureChannels: Type.Optional(Type.Union([FieldMarkingIn, Type.Null()])),
        openpgpKey: Type.Optional(Type.Union([FieldMarkingIn, Type.Null()])),
      },
      { additionalProperties: false },
    ),
  ),
};

export const CreateContact = Body({ organisationId: Uuid, ...editable });
export const UpdateContact = Body({ ...editable, kinds: Type.Optional(editable.kinds), fullName: Type.Optional(editable.fullName) });

export const Nomination = Type.Object({
  id: Uuid,
  fullName: Type.String(),
  position: Type.String(),
  kinds: Type.Array(Kind),
  country: Type.String(),
  organisation: Type.Object({ id: Uuid, name: Type.String() }),
  nominatedBy: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  nominatedAt: Timestamp,
  tlp: Tlp,
});

export const KeyCheck = Type.Object({
  fingerprint: Type.String(),
  algorithm: Type.String(),
  userIds: Type.Array(Type.String()),
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  expired: Type.Boolean(),
  revoked: Type.Boolean(),
});

export const FocalPoint = Type.Object({
  country: Type.String(),
  person: Type.Object({ id: Uuid, name: Type.String(), status: Type.String() }),
  organisation: Type.Object({ id: Uuid, name: Type.String() }),
  addedAt: Timestamp,
});

export { CountryCode };
