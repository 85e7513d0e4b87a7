import type { Audience, Tlp, TranslationInfo } from '../../api/types';
import type { CrisisLevel, CrisisRole } from '#shared/incidents';
import type { CrisisActionStatus, CrisisAlertKind, CrisisListItem, CrisisMemberSource } from '#shared/crises';

/** Answers of /api/v1/crises (server: features/crises/routes.ts). */
export type { CrisisListItem };

export interface Sitrep {
  id: string;
  number: number;
  impactSeverity: string;
  outlook: string;
  sectors: string[];
  rootCause: string | null;
  conditions: string;
  actions: string;
  needs: string;
  summary: string;
  translation: TranslationInfo;
  tlp: Tlp;
  audience: Audience;
  author: { name: string; organisation: string };
  createdAt: string;
}

export interface CrisisRoom extends CrisisListItem {
  description: string;
  translation: TranslationInfo;
  tlp: Tlp;
  levels: { level: CrisisLevel; at: string; by: string | null; note: string }[];
  roster: {
    person: { id: string; name: string; active: boolean };
    organisation: { id: string; name: string; country: string };
    role: CrisisRole;
    source: CrisisMemberSource;
    key: { fingerprint: string; algorithm: string | null; expiresAt: string | null } | null;
  }[];
  organisations: { id: string; name: string; country: string }[];
  sitreps: Sitrep[];
  decisions: { id: string; text: string; at: string; by: string; tlp: Tlp }[];
  actions: { id: string; text: string; owner: { kind: 'person' | 'organisation'; id: string; name: string } | null; dueAt: string | null; overdue: boolean; status: CrisisActionStatus; tlp: Tlp }[];
  assistance: { requestId: string; title: string; at: string }[];
  injects: { id: string; title: string; body: string; plannedAt: string; releasedAt: string | null }[];
  evaluations: {
    count: number;
    averages: { objectives: number | null; communication: number | null; coordination: number | null };
    items: { id: string; by: string; objectives: number; communication: number; coordination: number; strengths: string; improvements: string; at: string }[];
  };
  acknowledgements: { id: string; kind: CrisisAlertKind; level: string | null; person: { id: string; name: string }; at: string; acknowledgedAt: string | null }[];
  timeline: { at: string; kind: string; text: string; by: string | null; ref: string | null }[];
  afterAction: AfterAction | null;
  lessonId: string | null;
  can: { manage: boolean; sitrep: boolean; log: boolean; assistance: boolean; injects: boolean; evaluate: boolean; publishLesson: boolean };
}

export interface AfterAction {
  exercise: boolean;
  note: string;
  declaredAt: string;
  closedAt: string;
  timeline: { at: string; kind: string; text: string }[];
  decisions: { at: string; text: string }[];
  actions: { text: string; status: string; owner: string | null; dueAt: string | null }[];
  sitreps: { count: number; worstImpact: string | null; languages: string[] };
}

export interface CrisisAlert {
  id: string;
  crisis: { id: string; title: string; lang: string; exercise: boolean };
  kind: CrisisAlertKind;
  sitrepId: string | null;
  level: string | null;
  encrypted: boolean;
  at: string;
  acknowledgedAt: string | null;
}

/** A person the coordinators may add to the room (`GET /api/v1/crises/{id}/candidates`). */
export interface Candidate {
  id: string;
  name: string;
  organisation: { id: string; name: string; country: string };
}
