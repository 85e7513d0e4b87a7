import type { UiLanguage } from '#shared/languages';
import type { OrganisationStatus, OrganisationType } from '#shared/organisations';
import type { Pap, Tlp } from '#shared/tlp';

// The lists server and web agree on live in src/shared; these are the web's names for them.
export { UI_LANGUAGES, type UiLanguage } from '#shared/languages';
export { ORGANISATION_STATUSES, ORGANISATION_TYPES } from '#shared/organisations';
export { SECTORS } from '#shared/sectors';
export { PAP_LEVELS, TLP_LEVELS, type Pap, type Tlp } from '#shared/tlp';
export type OrgType = OrganisationType;
export type OrgStatus = OrganisationStatus;
export type { Role } from '#shared/roles';
import type { Role } from '#shared/roles';

export interface OrganisationRef {
  id: string;
  name: string;
  country: string;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  languages: string[];
  uiLanguage: UiLanguage;
  timeZone: string;
  mfaEnabled: boolean;
  mfaEnrolmentRequired: boolean;
  organisation: (OrganisationRef & { type: OrgType; status: OrgStatus; mfaRequired: boolean }) | null;
  csrfToken?: string;
}

export interface LoginResponse {
  status: 'ok' | 'mfa_required';
  csrfToken?: string;
  me?: Me;
}

export interface Session {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  scope: 'read' | 'write';
  prefix: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  token?: string;
}

export interface Country {
  code: string;
  name: string;
  kind: 'state' | 'international';
  region: 'EU' | 'LAC' | 'INT';
  subregion: string;
  languages: string[];
}

export interface Organisation {
  id: string;
  name: string;
  acronym: string | null;
  country: string;
  type: OrgType;
  sectors: string[];
  website: string | null;
  description: string | null;
  status: OrgStatus;
  statusReason: string | null;
  mfaRequired: boolean;
  createdAt: string;
  requester?: { name: string | null; email: string | null; message: string | null } | null;
  memberCount: number;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  status: 'active' | 'disabled';
  mfaEnabled: boolean;
  lastLoginAt: string | null;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  status: 'active' | 'disabled';
  organisation: OrganisationRef | null;
}

export interface Invitation {
  id: string;
  email: string;
  name: string | null;
  roles: Role[];
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface CommunitySummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  language: string;
  translation: TranslationInfo;
  /** Null for a members-only community the viewer is not a member of. */
  organisationCount: number | null;
  peopleCount: number | null;
  isMember: boolean;
}

export interface CommunityDetail {
  id: string;
  slug: string;
  name: string;
  description: string;
  language: string;
  translation: TranslationInfo;
  isMember: boolean;
  /** The same as can.manage. */
  canManage: boolean;
  /** What this viewer may do with the community: the server enforces the same rule. */
  can: { manage: boolean; moderate: boolean };
  organisations: { id: string; name: string; country: string; type: OrgType }[];
  people: { id: string; name: string; isAdmin: boolean }[];
}

export interface Audience {
  organisations: string[];
  communities: string[];
  people: string[];
}

/** Which language version of a content record is shown, and which exist (platform/translations.ts). */
export interface TranslationInfo {
  shown: string;
  source: string;
  fallback: boolean;
  outdated: boolean;
  machine: boolean;
  versions: { language: string; source: boolean; outdated: boolean; machine: boolean }[];
}

export interface Note {
  id: string;
  title: string;
  body: string;
  /** The language of title and body as given. */
  language: string;
  translation: TranslationInfo;
  tlp: Tlp;
  pap: Pap;
  author: { id: string; name: string };
  organisation: OrganisationRef;
  audience: Audience;
  createdAt: string;
  updatedAt: string;
  canEdit: boolean;
  /** What this viewer may do with the note: the server enforces the same rule. */
  can: { changeMarking: boolean; delete: boolean; translate: boolean };
}

export interface AuditEntry {
  seq: number | string;
  at: string;
  action: string;
  actor: { id: string; name: string } | null;
  organisationId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: unknown;
}

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  /** Null once purged, and always for a personal credential. */
  text: string | null;
  withheld: 'credential' | null;
  purpose: string;
  tlp: string | null;
  createdAt: string;
  sentAt: string | null;
  bodyPurgedAt: string | null;
  lastError: string | null;
}

export interface Items<T> {
  items: T[];
}
