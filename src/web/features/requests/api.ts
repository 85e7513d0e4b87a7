import type { Pap, Tlp, TranslationInfo } from '../../api/types';
import type { OfferFormat, RequestStatus, TargetAudience, Urgency } from '#shared/capacity';

/**
 * The requests' answers (server: features/requests/schemas.ts, whose schemas are the exact
 * shapes). The code lists come from src/shared/capacity.ts, as the server's do.
 */
export { OFFER_FORMATS, REQUEST_STATUSES, TARGET_AUDIENCES, URGENCIES, type OfferFormat, type RequestStatus, type TargetAudience, type Urgency } from '#shared/capacity';

/** The server's limits (service.ts LIMITS): the form says so before sending. */
export const LIMITS = { title: 300, description: 20_000, wanted: 10_000, constraints: 5_000, note: 2_000, message: 10_000, providers: 30, partners: 10, offers: 20, experts: 20, languages: 10 } as const;
/** The levels a request may take (RED would leave out the secretariat, which triages it). */
export const REQUEST_TLPS = ['AMBER', 'AMBER+STRICT', 'GREEN', 'CLEAR'] as const satisfies readonly Tlp[];

export interface RequestSummary {
  id: string;
  title: string;
  translation: TranslationInfo;
  organisation: { id: string; name: string; country: string };
  country: string | null;
  forCountry: boolean;
  concepts: string[];
  audiences: TargetAudience[];
  languages: string[];
  urgency: Urgency;
  format: OfferFormat | null;
  timeframe: { from: string | null; to: string | null };
  status: RequestStatus;
  tlp: Tlp;
  createdAt: string;
  updatedAt: string;
}

export interface Interest {
  id: string;
  organisation: { id: string; name: string; country: string };
  partners: { id: string; name: string; country: string }[];
  author: string | null;
  message: string;
  offerIds: string[];
  expertIds: string[];
  /** The proposed offers and experts the reader may see, named. */
  offers: { id: string; slug: string; title: string; lang: string }[];
  experts: { id: string; name: string; headline: string; lang: string }[];
  status: 'proposed' | 'chosen' | 'declined';
  createdAt: string;
}

export interface Step {
  id: string;
  status: RequestStatus;
  at: string;
  by: string | null;
  organisation: string | null;
  note: string;
}

export interface RequestAbilities {
  triage: boolean;
  own: boolean;
  deliver: boolean;
  evaluate: boolean;
  answer: boolean;
  convene: boolean;
  translate: boolean;
}

export interface AssistanceRequest extends RequestSummary {
  description: string;
  wanted: string;
  constraints: string;
  revision: number;
  requester: string | null;
  pap: Pap;
  audience: { organisations: { id: string; name: string }[]; communities: { id: string; name: string }[] };
  /** The audience is told to the requesting organisation and the secretariat only. */
  audienceShown: boolean;
  evaluation: { score: number; comment: string } | null;
  steps: Step[];
  interests: Interest[];
  chosenInterestId: string | null;
  answered: boolean;
  coordination: { communityId: string; topicId: string | null; eventId: string | null } | null;
  can: RequestAbilities;
  next: RequestStatus[];
  sourceTexts: { title: string; description: string; wanted: string; constraints: string } | null;
}

export interface RequestPage {
  items: RequestSummary[];
  nextCursor: string | null;
}

export interface Reason {
  code: string;
  params: Record<string, string | number | string[]>;
}

/** Concept labels by tag, then by language. */
export type ConceptLabels = Record<string, Record<string, string>>;

export interface Matches {
  request: { id: string; status: RequestStatus };
  offers: { id: string; title: string; lang: string; type: string; provider: { id: string; name: string }; partnerIds: string[]; score: number; reasons: Reason[] }[];
  providers: { organisation: { id: string; name: string }; offerIds: string[]; score: number; reasons: Reason[] }[];
  experts: { id: string; name: string; organisation: { id: string; name: string }; score: number; reasons: Reason[] }[];
  concepts: ConceptLabels;
}

export interface Suggested {
  items: { request: RequestSummary; score: number; reasons: Reason[]; fits: { kind: 'offer' | 'expert'; id: string; title: string; score: number }[] }[];
  concepts: ConceptLabels;
}

export interface Asking {
  countries: string[];
  organisation: boolean;
}
