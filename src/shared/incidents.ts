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

// ---------- the wire shape of incident reports (features/incidents) ----------

/** TLP 2.0 levels as the API writes them (src/shared/tlp.ts). */
type TlpLevel = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';
type PapLevel = 'CLEAR' | 'GREEN' | 'AMBER' | 'RED';

/** An audience as the API writes it: ids of organisations, communities and people. */
export interface IncidentAudience {
  organisations: string[];
  communities: string[];
  people: string[];
}

/** The next NIS2 report due (not yet submitted) of an incident, if any. */
export interface IncidentNextDue {
  kind: Nis2Report;
  dueAt: string;
  overdue: boolean;
}

/** An incident as lists show it (`GET /api/v1/incidents`). */
export interface IncidentListItem {
  id: string;
  /** incident--<uuid>: its id in STIX exports and imports. */
  stixId: string;
  /** In the reader's language when a translation exists (see `lang`). */
  title: string;
  /** The language of the title shown. */
  lang: string;
  /** `category/type` (RSIT). */
  rsitClass: string;
  impactSeverity: ImpactSeverity | null;
  status: IncidentStatus;
  outcome: IncidentOutcome | null;
  countries: string[];
  sectors: string[];
  awareAt: string;
  ownerOrg: { id: string; name: string; country: string | null };
  exercise: boolean;
  tlp: TlpLevel;
  nextDue: IncidentNextDue | null;
  updatedAt: string;
}

/** One NIS2 report (clock) of an incident. */
export interface IncidentClock {
  id: string;
  kind: Nis2Report;
  dueAt: string;
  /** When an intermediate report was asked for (null for the others). */
  requestedAt: string | null;
  submittedAt: string | null;
  /** Not submitted and past due (or submitted after it was due: `late`). */
  overdue: boolean;
  late: boolean;
  /** What was reported (shown to those who may edit the incident). */
  text: string;
}

/** A link to a STIX object of the store, only when the reader may see that object. */
export interface IncidentLink {
  stixId: string;
  /** The STIX type (indicator, malware, attack-pattern, vulnerability, sighting …). */
  type: string;
  name: string;
  relationship: string;
}

export const INCIDENT_ENTRY_ACTIONS = ['created', 'status', 'updated', 'handover', 'report', 'link', 'unlink', 'update'] as const;
export type IncidentEntryAction = (typeof INCIDENT_ENTRY_ACTIONS)[number];

/** A timeline entry, only when the reader may see it (each is marked, never wider than the report). */
export interface IncidentEntry {
  id: string;
  at: string;
  action: IncidentEntryAction;
  /** What the action changed: e.g. `{ from, to, outcome }` for a status, `{ fields }` for an update, `{ kind }` for a report. */
  detail: Record<string, unknown>;
  /** The narrative of an `update` (or the note of a status move). */
  text: string;
  language: string | null;
  by: { person: { id: string; name: string } | null; org: { id: string; name: string } };
  tlp: TlpLevel;
}

/** What the reader may do with a report. */
export interface IncidentAbilities {
  /** Change its fields, write updates (the owner organisation's members). */
  edit: boolean;
  /** Move its status. */
  move: boolean;
  /** Hand it over to another organisation. */
  handover: boolean;
  /** Submit NIS2 reports / ask for an intermediate report. */
  report: boolean;
  /** Link threat intelligence. */
  link: boolean;
}

/** One incident in full (`GET /api/v1/incidents/{id}`). */
export interface IncidentReport extends IncidentListItem {
  description: string;
  /** Which language version is shown and which exist (as knowledge items). */
  translation: { shown: string; source: string; fallback: boolean; outdated: boolean; machine: boolean; versions: { language: string; source: boolean; outdated: boolean; machine: boolean }[] };
  rootCause: RootCause | null;
  threatSeverity: ThreatSeverity | null;
  impactOutlook: Outlook | null;
  subsectors: string[];
  crossBorder: boolean;
  usersAffected: number | null;
  startedAt: string | null;
  endedAt: string | null;
  closedAt: string | null;
  /** The organisation that reported it (keeps read access after a handover). */
  author: { org: { id: string; name: string; country: string | null } };
  marking: { tlp: TlpLevel; pap: PapLevel; audience: IncidentAudience };
  clocks: IncidentClock[];
  links: IncidentLink[];
  timeline: IncidentEntry[];
  can: IncidentAbilities;
  createdAt: string;
}

/** The body of `POST /api/v1/incidents` (and, all optional but at least one, of `PATCH /api/v1/incidents/{id}`). */
export interface IncidentInput {
  title: string;
  description?: string;
  /** BCP 47 tag of the text. */
  language: string;
  rsitClass: string;
  rootCause?: RootCause | null;
  threatSeverity?: ThreatSeverity | null;
  impactSeverity?: ImpactSeverity | null;
  impactOutlook?: Outlook | null;
  sectors?: string[];
  subsectors?: string[];
  countries?: string[];
  crossBorder?: boolean;
  usersAffected?: number | null;
  startedAt?: string | null;
  endedAt?: string | null;
  awareAt: string;
  exercise?: boolean;
  /** Default AMBER to the reporter's organisation; the owner organisation is always added to the audience. */
  tlp?: TlpLevel;
  pap?: PapLevel;
  audience?: Partial<IncidentAudience>;
}
export type IncidentPatch = Partial<Omit<IncidentInput, 'exercise'>>;

/** `POST /api/v1/incidents/{id}/status`: closing needs an outcome. */
export interface IncidentStatusInput {
  status: IncidentStatus;
  outcome?: IncidentOutcome;
  note?: string;
}
/** `POST /api/v1/incidents/{id}/updates`: a narrative entry, marked no wider than the report. */
export interface IncidentUpdateInput {
  text: string;
  language: string;
  marking?: { tlp: TlpLevel; pap?: PapLevel; audience?: Partial<IncidentAudience> };
}
/** `POST /api/v1/incidents/{id}/reports`. */
export interface IncidentReportSubmission {
  kind: Nis2Report;
  text: string;
}
/** Relationship types a link to intel may carry (STIX relationship_type values). */
export const INCIDENT_LINK_RELATIONSHIPS = ['related-to', 'uses', 'targets', 'attributed-to', 'indicates', 'derived-from'] as const;
/** The list filters with `exercise` (exercise reports are left out unless asked) and pagination. */
export interface IncidentListQuery extends IncidentFilters {
  exercise?: boolean;
  limit?: number;
  cursor?: string;
}

// ---------- the shared situational picture (features/situation, docs/situation.md) ----------

/**
 * `GET /api/v1/situation`: figures over the incident reports the reader may see (never exercise
 * reports) that match the filters and whose organisation became aware in the window. A report the
 * reader may not see is in no figure: not as "n more", not in a total.
 */
export interface Situation {
  /** The window, UTC days inclusive. */
  from: string;
  to: string;
  /** Trends are counted per day, or per week (7 days from `from`) when the window is longer than 62 days. */
  bucket: 'day' | 'week';
  /** Reports counted, and of those the ones not closed. */
  reports: number;
  open: number;
  /** The most restrictive TLP among the reports and sightings counted: what a copy of these figures must carry. Null when nothing was counted. */
  marking: TlpLevel | null;
  /** Every member state: the most severe impact among its open reports (null: none open or none rated), its open reports and all its reports. */
  countries: { code: string; region: 'EU' | 'LAC'; severity: ImpactSeverity | null; open: number; reports: number }[];
  /** Reports per country and sector (only pairs with at least one). A report with two countries counts in both. */
  matrix: { country: string; sector: string; reports: number }[];
  /** One entry per bucket, oldest first: reports the organisation became aware of, reports closed, sightings last seen. */
  trends: { start: string; reported: number; closed: number; sightings: number }[];
  /** The leading RSIT classes (at most 10), most reports first. */
  rsit: { rsitClass: string; reports: number }[];
  /** The leading ATT&CK techniques and exploited vulnerabilities linked to the reports (at most 10 each), among objects the reader may see. */
  techniques: { stixId: string; externalId: string | null; name: string; reports: number }[];
  vulnerabilities: { stixId: string; name: string; kev: boolean; ransomware: boolean; reports: number }[];
  /** Sightings the reader may see, last seen in the window (and in the countries and sectors asked): reports of sightings and the times seen. */
  sightings: { reports: number; count: number; byCountry: { country: string; count: number }[] };
}
