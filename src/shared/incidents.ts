/**
 * Incidents and crises (issue 13), as server and web share them: the vocabularies of incident
 * reports (RSIT, NIS2), their lifecycle and reporting clocks, crisis levels and the cadence of
 * situation reports. The taxonomies are MISP's `rsit` and `nis2`, vendored beside the incidents
 * feature (src/server/features/incidents/data); a unit test holds these lists to those files.
 */

/** RSIT classes: category → types (MISP taxonomy `rsit`). A classification is `category/type`. */
export const RSIT = {
  'abusive-content': ['spam', 'harmful-speech', 'violence'],
  'malicious-code': ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'],
  'information-gathering': ['scanner', 'sniffing', 'social-engineering'],
  'intrusion-attempts': ['ids-alert', 'brute-force', 'exploit'],
  intrusions: ['privileged-account-compromise', 'unprivileged-account-compromise', 'application-compromise', 'system-compromise', 'burglary'],
  availability: ['dos', 'ddos', 'misconfiguration', 'sabotage', 'outage'],
  'information-content-security': ['unauthorised-information-access', 'unauthorised-information-modification', 'data-loss', 'data-leak'],
  fraud: ['unauthorised-use-of-resources', 'copyright', 'masquerade', 'phishing'],
  vulnerable: ['weak-crypto', 'ddos-amplifier', 'potentially-unwanted-accessible', 'information-disclosure', 'vulnerable-system'],
  other: ['other', 'undetermined'],
  test: ['test'],
} as const;
export type RsitCategory = keyof typeof RSIT;
/** Every valid classification, as `category/type`. */
export const RSIT_CLASSES: readonly string[] = Object.entries(RSIT).flatMap(([c, ts]) => ts.map((t) => `${c}/${t}`));

/** NIS2 fields (MISP taxonomy `nis2`). */
export const NIS2_SECTORS = ['energy', 'transport', 'banking', 'financial', 'health', 'drinking-water', 'waste-water', 'digital-infrastructure', 'ict-services', 'public-administration', 'space', 'courier', 'waste-management', 'chemical', 'food', 'manufacturing', 'digital-providers', 'research'] as const;
export const NIS2_SUBSECTORS = ['electricity', 'district-heating-and-cooling', 'oil', 'gas', 'hydrogen', 'air', 'rail', 'water', 'road', 'banking-subsector', 'financial-subsector', 'health-subsector', 'drinking-water-subsector', 'waste-water-subsector', 'digital-infrastructure-subsector', 'ict-management-subsector', 'public-administration-subsector', 'space-subsector', 'courier-subsector', 'waste-management-subsector', 'chemical-subsector', 'food-subsector', 'medical-devices-subsector', 'electronic-optical-subsector', 'electrical-equipment-subsector', 'machine-tool-subsector', 'vehicle-manufacturing-subsector', 'other-transport-equipment-subsector', 'digital-providers-subsector', 'research-subsector'] as const;
/** Impact severity, most severe first (nis2:impact-severity). */
export const NIS2_IMPACT_SEVERITIES = ['red', 'yellow', 'green', 'white'] as const;
export const NIS2_OUTLOOKS = ['improving', 'stable', 'worsening'] as const;
export const NIS2_ROOT_CAUSES = ['system-failures', 'natural-phenomena', 'human-errors', 'malicious-actions', 'third-party-failures'] as const;
export const NIS2_THREAT_SEVERITIES = ['high', 'medium', 'low'] as const;
export type Nis2Sector = (typeof NIS2_SECTORS)[number];
export type ImpactSeverity = (typeof NIS2_IMPACT_SEVERITIES)[number];
export type Outlook = (typeof NIS2_OUTLOOKS)[number];
export type RootCause = (typeof NIS2_ROOT_CAUSES)[number];
export type ThreatSeverity = (typeof NIS2_THREAT_SEVERITIES)[number];

/** The life of an incident report. */
export const INCIDENT_STATUSES = ['new', 'triage', 'investigating', 'contained', 'recovered', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/**
 * Allowed moves. Forward one or more steps (a small incident may be contained at once), back one
 * step when a fix does not hold; `closed` needs an outcome and may be reopened to `investigating`.
 */
export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['triage', 'investigating', 'contained', 'recovered', 'closed'],
  triage: ['investigating', 'contained', 'recovered', 'closed'],
  investigating: ['triage', 'contained', 'recovered', 'closed'],
  contained: ['investigating', 'recovered', 'closed'],
  recovered: ['contained', 'closed'],
  closed: ['investigating'],
};
/** How a closed incident ended: STIX Incident Core Extension `determination` values, so that the export says it as is. */
export const INCIDENT_OUTCOMES = ['successful-attempt', 'failed-attempt', 'blocked', 'false-positive', 'low-value', 'suspected'] as const;
export type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number];

/**
 * NIS2 (Directive (EU) 2022/2555, Art. 23) reporting clocks. Early warning within 24 hours of
 * becoming aware; incident notification within 72 hours of becoming aware; an intermediate report
 * when the CSIRT or authority asks (due when they say); a final report within one month of the
 * notification (of its submission when submitted, else of its due time).
 */
export const NIS2_REPORTS = ['early-warning', 'notification', 'intermediate', 'final'] as const;
export type Nis2Report = (typeof NIS2_REPORTS)[number];
export const EARLY_WARNING_HOURS = 24;
export const NOTIFICATION_HOURS = 72;
export const FINAL_REPORT_MONTHS = 1;

/** The ids of the STIX extension definitions incidents are written with. */
export const INCIDENT_CORE_EXTENSION_ID = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

/** Crisis levels, lowest first (issue 13 §3). */
export const CRISIS_LEVELS = ['normal', 'elevated', 'serious', 'crisis'] as const;
export type CrisisLevel = (typeof CRISIS_LEVELS)[number];
/** Hours between situation reports at each level; none are due at `normal`. */
export const SITREP_CADENCE_HOURS: Record<CrisisLevel, number | null> = { normal: null, elevated: 24, serious: 12, crisis: 6 };
export const CRISIS_ROLES = ['coordinator', 'scribe', 'liaison', 'member'] as const;
export type CrisisRole = (typeof CRISIS_ROLES)[number];
export const CRISIS_STATUSES = ['open', 'closed'] as const;

/** Filters shared by the incident list and the situational picture (`GET /api/v1/incidents`, `GET /api/v1/situation`). */
export interface IncidentFilters {
  /** ISO 3166-1 alpha-2 codes: incidents affecting any of them. */
  country?: string[];
  /** NIS2 sectors: incidents impacting any of them. */
  sector?: string[];
  /** RSIT categories or `category/type` classes. */
  rsit?: string[];
  status?: IncidentStatus[];
  impactSeverity?: ImpactSeverity[];
  /** ISO dates (inclusive): when the reporting organisation became aware. */
  from?: string;
  to?: string;
  /** A community id: incidents shared with it. */
  community?: string;
  q?: string;
}
