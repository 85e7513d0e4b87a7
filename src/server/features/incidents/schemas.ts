import { Type } from 'typebox';
import { INCIDENT_ENTRY_ACTIONS, INCIDENT_LINK_RELATIONSHIPS, INCIDENT_OUTCOMES, INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS, NIS2_REPORTS, NIS2_ROOT_CAUSES, NIS2_THREAT_SEVERITIES } from '#shared/incidents';
import { Audience, AudienceInput, OneOf, Pap, Tlp, Uuid } from '../../platform/schemas.js';
import { LanguageParam, TranslationInfo } from '../../platform/translations.js';
import { LIMITS } from './service.js';

/**
 * The wire shapes of incident reports (src/shared/incidents.ts IncidentListItem, IncidentReport):
 * TypeBox for validation and the OpenAPI document. Taxonomy values (RSIT classes, NIS2 sectors…)
 * are strings here and checked by the service, so that a value outside the taxonomies is an
 * UNKNOWN_TAXONOMY_VALUE naming the field, not a schema error.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Country = Type.String({ pattern: '^[A-Z]{2}$' });
const Org = Type.Object({ id: Uuid, name: Type.String(), country: Nullable(Type.String()) });

export const IncidentListItemSchema = Type.Object({
  id: Uuid,
  stixId: Type.String({ description: 'incident--<uuid>: its id in STIX exports and imports' }),
  title: Type.String(),
  lang: Type.String({ description: 'The language of the title shown' }),
  rsitClass: Type.String({ description: 'RSIT `category/type`' }),
  impactSeverity: Nullable(OneOf(NIS2_IMPACT_SEVERITIES)),
  status: OneOf(INCIDENT_STATUSES),
  outcome: Nullable(OneOf(INCIDENT_OUTCOMES)),
  countries: Type.Array(Type.String()),
  sectors: Type.Array(Type.String()),
  awareAt: Type.String(),
  ownerOrg: Org,
  exercise: Type.Boolean(),
  tlp: Tlp,
  nextDue: Nullable(Type.Object({ kind: OneOf(NIS2_REPORTS), dueAt: Type.String(), overdue: Type.Boolean() })),
  updatedAt: Type.String(),
});

const Clock = Type.Object({
  id: Uuid,
  kind: OneOf(NIS2_REPORTS),
  dueAt: Type.String(),
  requestedAt: Nullable(Type.String()),
  submittedAt: Nullable(Type.String()),
  overdue: Type.Boolean({ description: 'Not submitted and past due' }),
  late: Type.Boolean({ description: 'Submitted after it was due' }),
  text: Type.String({ description: 'What was reported: shown to the owner and reporting organisations only' }),
});

export const IncidentReportSchema = Type.Object({
  ...IncidentListItemSchema.properties,
  description: Type.String(),
  translation: TranslationInfo,
  rootCause: Nullable(OneOf(NIS2_ROOT_CAUSES)),
  threatSeverity: Nullable(OneOf(NIS2_THREAT_SEVERITIES)),
  impactOutlook: Nullable(OneOf(NIS2_OUTLOOKS)),
  subsectors: Type.Array(Type.String()),
  crossBorder: Type.Boolean(),
  usersAffected: Nullable(Type.Integer()),
  startedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  author: Type.Object({ org: Org }),
  marking: Type.Object({ tlp: Tlp, pap: Pap, audience: Audience }),
  clocks: Type.Array(Clock),
  links: Type.Array(Type.Object({ stixId: Type.String(), type: Type.String(), name: Type.String(), relationship: Type.String() }), { description: 'Only the objects this reader may see in the store' }),
  timeline: Type.Array(
    Type.Object({
      id: Uuid,
      at: Type.String(),
      action: OneOf(INCIDENT_ENTRY_ACTIONS),
      detail: Type.Record(Type.String(), Type.Unknown()),
      text: Type.String(),
      language: Nullable(Type.String()),
      by: Type.Object({ person: Nullable(Type.Object({ id: Uuid, name: Type.String() })), org: Type.Object({ id: Uuid, name: Type.String() }) }),
      tlp: Tlp,
    }),
    { description: 'Only the entries this reader may see' },
  ),
  can: Type.Object({ edit: Type.Boolean(), move: Type.Boolean(), handover: Type.Boolean(), report: Type.Boolean(), link: Type.Boolean() }),
  createdAt: Type.String(),
});

const Fields = {
  title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
  description: Type.Optional(Type.String({ maxLength: LIMITS.description, description: 'Plain text' })),
  language: LanguageParam,
  rsitClass: Type.String({ maxLength: 80, description: 'RSIT `category/type` (MISP taxonomy rsit)' }),
  rootCause: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'nis2 root cause' }))),
  threatSeverity: Type.Optional(Nullable(Type.String({ maxLength: 80 }))),
  impactSeverity: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'nis2 impact severity: red, yellow, green, white' }))),
  impactOutlook: Type.Optional(Nullable(Type.String({ maxLength: 80 }))),
  sectors: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 40, description: 'NIS2 sectors impacted' })),
  subsectors: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 60 })),
  countries: Type.Optional(Type.Array(Country, { maxItems: LIMITS.countries, description: 'ISO 3166-1 alpha-2 codes of the countries affected' })),
  crossBorder: Type.Optional(Type.Boolean({ description: 'Default: more than one country' })),
  usersAffected: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  startedAt: Type.Optional(Nullable(Time)),
  endedAt: Type.Optional(Nullable(Time)),
  awareAt: Time,
  tlp: Type.Optional(Tlp),
  pap: Type.Optional(Pap),
  audience: Type.Optional(AudienceInput),
};

export const CreateIncident = Type.Object(
  { ...Fields, exercise: Type.Optional(Type.Boolean({ description: 'Reported inside a table-top exercise: never part of real views' })) },
  { additionalProperties: false },
);
export const PatchIncident = Type.Object(Type.Partial(Type.Object(Fields)).properties, { additionalProperties: false, minProperties: 1 });

export const StatusBody = Type.Object(
  { status: OneOf(INCIDENT_STATUSES), outcome: Type.Optional(OneOf(INCIDENT_OUTCOMES)), note: Type.Optional(Type.String({ maxLength: LIMITS.note })) },
  { additionalProperties: false },
);
export const HandoverBody = Type.Object({ organisationId: Uuid }, { additionalProperties: false });
export const ReportBody = Type.Object({ kind: OneOf(NIS2_REPORTS), text: Type.String({ minLength: 1, maxLength: LIMITS.report }) }, { additionalProperties: false });
export const RequestBody = Type.Object(
  { dueAt: Time, organisationId: Type.Optional(Uuid) },
  { additionalProperties: false, description: 'When the intermediate report is due; the organisation that asked (default: none named)' },
);
export const UpdateBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: LIMITS.update }),
    language: LanguageParam,
    marking: Type.Optional(Type.Object({ tlp: Tlp, pap: Type.Optional(Pap), audience: Type.Optional(AudienceInput) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export const LinkBody = Type.Object(
  { stixId: Type.String({ pattern: '^[a-z0-9-]+--[0-9a-f-]{36}$', maxLength: 120 }), relationship: Type.Optional(OneOf(INCIDENT_LINK_RELATIONSHIPS)) },
  { additionalProperties: false },
);
export const TranslationBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
    description: Type.Optional(Type.String({ maxLength: LIMITS.description })),
    machine: Type.Optional(Type.Boolean()),
    basedOn: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** The filters of the list and the situational picture: comma-separated lists (src/shared/incidents.ts IncidentFilters). */
export const IncidentFilterQuerySchema = {
  country: Type.Optional(Type.String({ maxLength: 400, description: 'ISO codes, comma-separated: incidents affecting any of them' })),
  sector: Type.Optional(Type.String({ maxLength: 1000, description: 'NIS2 sectors, comma-separated' })),
  rsit: Type.Optional(Type.String({ maxLength: 2000, description: 'RSIT categories or `category/type` classes, comma-separated' })),
  status: Type.Optional(Type.String({ maxLength: 200 })),
  impactSeverity: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, inclusive, on the time of awareness' })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  community: Type.Optional(Type.String({ maxLength: 36, description: 'A community id: reports shared with it' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words in the title or description, in any language version' })),
  exercise: Type.Optional(Type.Boolean({ description: 'true: reports of table-top exercises only; otherwise real reports only' })),
};
