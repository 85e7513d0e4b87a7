import type { StaffRole, StaffStatus } from '#shared/capacity';
import type { Audience, Pap, Tlp, TranslationInfo } from '../../api/types';

/** The expert pool's API (server: features/experts/routes.ts). */
export const EXPERT_STATUSES = ['proposed', 'vetted', 'withdrawn'] as const;
export type ExpertStatus = (typeof EXPERT_STATUSES)[number];
/** Experts are for members only: never CLEAR. */
export const EXPERT_TLPS = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const satisfies readonly Tlp[];
/** The ENISA ECSF role profiles the skills are chosen from. */
export const SKILL_SCHEME = 'ecsf-roles';
export const LIMITS = { headline: 200, biography: 10_000, skills: 12, note: 500, missionTitle: 300, comment: 2000 };

export interface ExpertSummary {
  id: string;
  person: { id: string; name: string };
  organisation: { id: string; name: string; country: string };
  headline: string;
  translation: TranslationInfo;
  skills: string[];
  concepts: string[];
  languages: string[];
  countries: string[];
  status: ExpertStatus;
  tlp: Tlp;
  available: { from: string; to: string }[];
  missions: { count: number; meanEvaluation: number | null };
  updatedAt: string;
  can: { edit: boolean; translate: boolean; vet: boolean; withdraw: boolean };
}

export interface Mission {
  id: string;
  title: string;
  country: string | null;
  startsOn: string;
  endsOn: string | null;
  offerId: string | null;
  requestId: string | null;
  host: { id: string; name: string } | null;
  evaluation: { score: number; comment: string; by: string | null; organisationId: string | null; at: string } | null;
  can: { evaluate: boolean };
}

/** An offer session the expert is on or proposed for (server: features/staffing), only of offers the reader may see. */
export interface ExpertSession {
  offerId: string;
  offerSlug: string;
  offerTitle: string;
  provider: { id: string; name: string };
  sessionId: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string;
  country: string | null;
  online: boolean;
  role: StaffRole;
  status: StaffStatus;
}

export interface Expert extends ExpertSummary {
  biography: string;
  language: string;
  pap: Pap;
  audience: Audience;
  availability: { id: string; from: string; to: string; note: string }[];
  missionList: Mission[];
  /** Confirmed sessions not yet over. */
  upcomingSessions: ExpertSession[];
  /** Proposals waiting for an answer: for the expert and their organisation's admins only. */
  staffProposals: ExpertSession[];
  canAnswerStaffing: boolean;
  vettedAt: string | null;
  withdrawnAt: string | null;
  createdAt: string;
  sourceTexts: { headline: string; biography: string } | null;
}

export interface ExpertPage {
  items: ExpertSummary[];
  total: number;
  nextCursor: string | null;
}

/** POST /api/v1/experts and PATCH /api/v1/experts/{id}. */
export interface ExpertInput {
  personId?: string;
  language: string;
  headline: string;
  biography: string;
  skills: string[];
  concepts: string[];
  languages: string[];
  countries: string[];
  tlp: Tlp;
  pap?: Pap;
  audience?: Audience;
}

export interface MissionInput {
  title: string;
  country: string | null;
  startsOn: string;
  endsOn: string | null;
  hostOrganisationId: string | null;
  offerId?: string | null;
  requestId?: string | null;
}
