import type { ApplicationStatus, Gender, SelectionMode } from '#shared/capacity';

/**
 * The answers of features/applications (server: routes.ts and schemas.ts, whose TypeBox schemas
 * are the exact shapes). The code lists come from src/shared/capacity.ts, as the server's do.
 */
export { APPLICATION_STATUSES, GENDERS, SELECTION_MODES, type ApplicationStatus, type Gender, type SelectionMode } from '#shared/capacity';

/** The server's limits (service.ts LIMITS): the forms say so before sending. */
export const LIMITS = { motivation: 5000, answer: 2000, reason: 2000, note: 2000, comments: 5000, followUp: 5000, questions: 20, label: 300, options: 30 } as const;

export interface Question {
  id: string;
  label: string;
  type: 'text' | 'choice' | 'yes-no';
  options?: string[];
  required?: boolean;
}

export interface FormSession {
  id: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  place: string;
  country: string | null;
  online: boolean;
  seats: number;
  freeSeats: number;
  applicationDeadline: string | null;
  cancelled: boolean;
  /** Takes applications now. */
  open: boolean;
}

export interface ApplicationForm {
  offerId: string;
  status: string;
  selection: SelectionMode;
  waitlist: boolean;
  requiresEndorsement: boolean;
  questions: Question[];
  eligibleCountries: string[];
  eligible: boolean;
  sessions: FormSession[];
  mine: { sessionId: string; applicationId: string; status: ApplicationStatus }[];
}

export interface Application {
  id: string;
  status: ApplicationStatus;
  waitlistPosition: number | null;
  appliedAt: string;
  updatedAt: string;
  offer: { id: string; slug: string; title: string; type: string; provider: { id: string; name: string }; selection: SelectionMode; requiresEndorsement: boolean };
  session: { id: string; startsAt: string; endsAt: string; timeZone: string; place: string; country: string | null; online: boolean; cancelled: boolean };
  applicant: { id: string; name: string; email: string | null; organisation: { id: string; name: string; type: string }; country: string };
  motivation: string;
  answers: Record<string, string | boolean>;
  gender: Gender | null;
  decisionReason: string;
  decidedAt: string | null;
  endorsement: { at: string; note: string } | null;
  attended: boolean | null;
  attendedDays: string[];
  completed: boolean | null;
  completedAt: string | null;
  certificate: { code: string | null; url: string | null; issuedAt: string; revoked: boolean } | null;
  feedbackGiven: boolean;
  can: { withdraw: boolean; endorse: boolean; decide: boolean; attend: boolean; feedback: boolean };
}

export interface ApplicationDetail extends Application {
  feedback: { satisfaction: number; usefulness: number; comments: string; followUp: string; at: string } | null;
}

export interface OfferApplications {
  offer: { id: string; slug: string; title: string; selection: SelectionMode; waitlist: boolean; requiresEndorsement: boolean; questions: Question[]; selectionCriteria: string };
  sessions: (FormSession & { counts: Partial<Record<ApplicationStatus, number>> })[];
  items: Application[];
  can: { manage: boolean };
}

export interface Tally {
  key: string;
  count: number;
}
export interface Scale {
  count: number;
  mean: number | null;
  /** How many gave 1, 2, 3, 4 and 5. */
  distribution: number[];
}
export interface Outcomes {
  offer: { id: string; slug: string; title: string; provider: { id: string; name: string } };
  applications: number;
  byStatus: Record<ApplicationStatus, number>;
  participants: number;
  byCountry: Tally[];
  byOrganisationType: Tally[];
  byGender: Tally[];
  attended: number;
  completed: number;
  completionRate: number | null;
  satisfaction: Scale;
  usefulness: Scale;
  followUps: string[];
}

export const applicationPath = (id: string) => `/api/v1/applications/${id}`;
export const certificatePdfPath = (id: string) => `/api/v1/applications/${id}/certificate.pdf`;
