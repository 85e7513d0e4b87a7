/**
 * Incident reports as the API gives and takes them (server: features/incidents; the shapes are
 * written once in src/shared/incidents.ts, for server and web alike, with the RSIT and NIS2
 * vocabularies the server checks against).
 */
export {
  INCIDENT_LINK_RELATIONSHIPS,
  INCIDENT_OUTCOMES,
  INCIDENT_STATUSES,
  INCIDENT_TRANSITIONS,
  NIS2_IMPACT_SEVERITIES,
  NIS2_OUTLOOKS,
  NIS2_REPORTS,
  NIS2_ROOT_CAUSES,
  NIS2_SECTORS,
  NIS2_SUBSECTORS,
  NIS2_THREAT_SEVERITIES,
  RSIT,
  type ImpactSeverity,
  type IncidentClock,
  type IncidentEntry,
  type IncidentInput,
  type IncidentListItem,
  type IncidentNextDue,
  type IncidentOutcome,
  type IncidentReport,
  type IncidentStatus,
  type Nis2Report,
  type RsitCategory,
} from '#shared/incidents';
import type { IncidentListItem } from '#shared/incidents';

export interface IncidentPage {
  items: IncidentListItem[];
  nextCursor: string | null;
}

/** The form's bounds (the table's checks in migration 0035): said before sending. */
export const LIMITS = { title: 300, description: 50_000, text: 20_000, note: 2_000 } as const;
