import type { Audience, Pap, Tlp } from '../../api/types';

import type { ContactField as Field, ContactKind as Kind, ContactStatus } from '#shared/contacts';

export {
  CHANNEL_TYPES,
  CONTACT_FIELDS as FIELDS,
  CONTACT_KINDS as KINDS,
  isCountryKind,
  type ContactField as Field,
  type ContactKind as Kind,
} from '#shared/contacts';

export interface FieldMarking {
  tlp: Tlp;
  audience: Audience;
}

export interface OpenPgpKey {
  armored: string;
  fingerprint: string;
  algorithm: string;
  expiresAt: string | null;
  expired: boolean;
  revoked: boolean;
}

export interface Contact {
  id: string;
  fullName: string;
  position: string;
  isTeamMailbox: boolean;
  kinds: Kind[];
  organisation: { id: string; name: string; acronym: string | null; type: string; sectors: string[] };
  country: string;
  countryName: string;
  personId: string | null;
  languages: string[];
  timeZone: string | null;
  emails?: string[];
  phone?: string | null;
  emergencyPhone?: string | null;
  availability?: string | null;
  secureChannels?: { type: string; address: string }[];
  openpgpKey?: OpenPgpKey | null;
  /** The key's fingerprint, or one a team record gave without its key. */
  openpgpFingerprint?: string | null;
  website: string | null;
  withheld: Field[];
  fieldMarkings: Partial<Record<Field, FieldMarking>>;
  validUntil: string | null;
  lastConfirmedAt: string;
  ageDays: number;
  stale: boolean;
  /** Failed two communication checks in a row (told only to those responsible for the entry). */
  flagged: boolean;
  status: ContactStatus;
  statusReason: string | null;
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
  createdAt: string;
  updatedAt: string;
  canEdit: boolean;
  canConfirm: boolean;
  /** What this viewer may do with the entry: the server enforces the same rule. */
  can: { edit: boolean; changeMarking: boolean; delete: boolean; confirm: boolean };
}

export interface ContactPage {
  items: Contact[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Nomination {
  id: string;
  fullName: string;
  position: string;
  kinds: Kind[];
  country: string;
  organisation: { id: string; name: string };
  nominatedBy: { id: string; name: string } | null;
  nominatedAt: string;
  tlp: Tlp;
}

export interface FocalPoint {
  country: string;
  person: { id: string; name: string; status: string };
  organisation: { id: string; name: string };
  addedAt: string;
}

export interface KeyCheck {
  fingerprint: string;
  algorithm: string;
  userIds: string[];
  expiresAt: string | null;
  expired: boolean;
  revoked: boolean;
}

/** The fingerprint in groups of four, as people read it out on the phone. */
export const groupFingerprint = (fp: string) => fp.replace(/(.{4})/g, '$1 ').trim();
