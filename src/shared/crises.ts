/**
 * Crisis rooms (issue 13 §3-§4), as server and web share them: limits of what is written in a room,
 * the kinds of alert, and the wire shapes of `GET /api/v1/crises` and `GET /api/v1/crises/{id}`.
 * Levels, roles and the sitrep cadence are in ./incidents.ts (CRISIS_LEVELS, CRISIS_ROLES,
 * SITREP_CADENCE_HOURS).
 */
import type { CrisisLevel, CrisisRole, ImpactSeverity, Outlook } from './incidents.js';

export const CRISIS_LIMITS = { title: 300, description: 20000, part: 20000, decision: 5000, action: 2000, note: 2000, countries: 60, sectors: 18, organisations: 100, evaluationText: 5000 } as const;

/** What an alert tells someone (issue 13 §3). */
export const CRISIS_ALERT_KINDS = ['declared', 'level_raised', 'sitrep_due', 'sitrep', 'inject'] as const;
export type CrisisAlertKind = (typeof CRISIS_ALERT_KINDS)[number];

/** Why someone is on a room's roster. */
export const CRISIS_MEMBER_SOURCES = ['declarer', 'crisis_management', 'operational_24_7', 'added'] as const;
export type CrisisMemberSource = (typeof CRISIS_MEMBER_SOURCES)[number];

export const CRISIS_ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export type CrisisActionStatus = (typeof CRISIS_ACTION_STATUSES)[number];

/** The next situation report: when it is due, and whether that time has passed. */
export interface SitrepDue {
  dueAt: string;
  overdue: boolean;
}

export interface CrisisListItem {
  id: string;
  title: string;
  lang: string;
  level: CrisisLevel;
  status: 'open' | 'closed';
  exercise: boolean;
  countries: string[];
  sectors: string[];
  declaredAt: string;
  closedAt: string | null;
  nextSitrep: SitrepDue | null;
  organisation: { id: string; name: string; country: string };
  myRole: CrisisRole | null;
}

export interface CrisisSitrep {
  id: string;
  number: number;
  impactSeverity: ImpactSeverity;
  outlook: Outlook;
  sectors: string[];
  rootCause: string | null;
  conditions: string;
  actions: string;
  needs: string;
  summary: string;
  lang: string;
  source: string;
  languages: string[];
  tlp: string;
  author: { name: string; organisation: string };
  createdAt: string;
}
