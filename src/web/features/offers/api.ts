import type { Audience, Pap, Tlp, TranslationInfo } from '../../api/types';
import type { OfferFormat, OfferType, PartnerRole, TargetAudience } from '#shared/capacity';

/**
 * The catalogue's answers (server: features/offers/routes.ts, whose schemas are the exact
 * shapes). The code lists come from src/shared/capacity.ts, as the server's do.
 */
export { IATI_ORGANISATION_ROLES, OFFER_FORMATS, OFFER_TYPES, PARTNER_ROLES, TARGET_AUDIENCES, type OfferFormat, type OfferType, type PartnerRole, type TargetAudience } from '#shared/capacity';

export const OFFER_STATUSES = ['draft', 'published', 'closed'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
/** IATI CollaborationType codes the server takes; 8 is triangular co-operation. */
export const COLLABORATION_TYPES = ['1', '2', '3', '4', '6', '7', '8'] as const;

/** The server's limits (service.ts LIMITS): the form says so before sending. */
export const LIMITS = {
  title: 300,
  summary: 3000,
  description: 50_000,
  eligibility: 10_000,
  cost: 3000,
  funding: 3000,
  howToApply: 10_000,
  selectionCriteria: 10_000,
  languages: 20,
  countries: 60,
  partners: 20,
  seats: 100_000,
  place: 300,
  concepts: 40,
} as const;

export const TEXT_FIELDS = ['title', 'summary', 'description', 'eligibility', 'cost', 'funding', 'howToApply', 'selectionCriteria'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type Texts = Record<TextField, string>;

export interface Session {
  id: string;
  startsAt: string;
  endsAt: string;
  /** The session's own IANA zone. */
  timeZone: string;
  /** Start and end as wall times in the session's zone ("2027-06-21T09:00"). */
  localStart: string;
  localEnd: string;
  place: string;
  country: string | null;
  online: boolean;
  seats: number;
  confirmed: number;
  freeSeats: number;
  applicationDeadline: string | null;
}

/** Experts put on a session from the pool (server: features/staffing): only those the reader may see. */
export { STAFF_ROLES, STAFF_STATUSES, type StaffRole, type StaffStatus } from '#shared/capacity';
import type { StaffRole, StaffStatus } from '#shared/capacity';
export interface StaffMember {
  expertId: string;
  name: string;
  headline: string;
  role: StaffRole;
  status: StaffStatus;
}
export interface StaffedSession extends Session {
  staff: StaffMember[];
}

export interface Partner {
  id: string;
  organisation: { id: string; name: string; country: string } | null;
  name: string;
  iatiRef: string | null;
  iatiType: string | null;
  role: PartnerRole;
}

export interface OfferSummary {
  id: string;
  slug: string;
  type: OfferType;
  title: string;
  summary: string;
  translation: TranslationInfo;
  provider: { id: string; name: string; country: string };
  partners: Partner[];
  triangular: boolean;
  format: OfferFormat;
  languages: string[];
  audiences: TargetAudience[];
  concepts: string[];
  countries: string[];
  requiresEndorsement: boolean;
  nextSession: Session | null;
  sessionCount: number;
  status: OfferStatus;
  tlp: Tlp;
  updatedAt: string;
  publishedAt: string | null;
  can: { edit: boolean; translate: boolean; close: boolean };
}

export interface Offer extends OfferSummary, Texts {
  /** The description rendered and sanitised by the server. */
  descriptionHtml: string;
  language: string;
  revision: number;
  sessions: StaffedSession[];
  collaborationType: string | null;
  aidType: string | null;
  flowType: string | null;
  providerRef: string | null;
  pap: Pap;
  audience: Audience;
  closedAt: string | null;
  sourceTexts: Texts | null;
}

export interface OfferPage {
  items: OfferSummary[];
  counts: { byType: Record<string, number> };
  nextCursor: string | null;
}
