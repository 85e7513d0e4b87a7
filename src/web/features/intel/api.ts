import type { Audience, Tlp } from '../../api/types';

/** Shapes of the intel REST API (/api/v1/intel), as documented in docs/api.md. */

export interface Reason {
  property: string;
  rule: string;
  message: string;
}

export interface ObjectResult {
  id: string | null;
  type: string | null;
  version: string | null;
  status: 'accepted' | 'duplicate' | 'rejected';
  tlp?: Tlp;
  reasons?: Reason[];
  notes?: string[];
}

export interface Submission {
  submissionId: string;
  total: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  results: ObjectResult[];
}

/** Answer of the MISP and CSAF imports: a submission plus what could not be mapped (MISP) or imported with a caveat (CSAF). */
export interface MispImport extends Submission {
  reportId?: string;
  unmapped?: { what: string; reason: string }[];
  notes?: ({ what: string; reason: string } | string)[];
  problems?: string[];
  marking?: { tlp: Tlp; audience: Audience };
}

export interface IntelItem {
  id: string;
  type: string;
  name: string | null;
  version: string;
  revoked: boolean;
  confidence: number | null;
  tlp: Tlp;
  addedAt: string;
  source: string;
  organisation: { id: string; name: string; country: string } | null;
  audience: Audience;
  object: Record<string, unknown>;
}

export interface IntelPage {
  items: IntelItem[];
  nextCursor: string | null;
}

export interface Relationship {
  id: string;
  type: string;
  relationshipType: string;
  direction: 'outgoing' | 'incoming';
  other: { id: string; type: string; name: string | null };
  tlp: Tlp;
}

/** An object listed on another's page: a member of a report (object_refs), or a report containing it. */
export interface Member {
  id: string;
  type: string;
  name: string | null;
  tlp: Tlp;
  /** For a relationship: its type and ends. */
  relationship: { relationshipType: string; sourceRef: string; targetRef: string } | null;
}

export interface Correlation {
  kind: string;
  value: string;
  tooWide: boolean;
  objects: { stixId: string; type: string; name: string | null; tlp: string }[];
}

export interface IntelObject extends IntelItem {
  canDelete: boolean;
  /** What this viewer may do with the object (delete: their organisation's copy); the server enforces the same rule. */
  can: { delete: boolean };
  /** The description as sanitised HTML (rendered from Markdown; ATT&CK citations link to #ref-n). */
  descriptionHtml: string | null;
  versions: { version: string; addedAt: string; tlp: Tlp; revoked: boolean }[];
  relationships: Relationship[];
  /** The members (object_refs) the viewer may see; the others are neither listed nor counted. */
  contains: Member[];
  /** The reports and groupings the viewer may see that list this object. */
  containedIn: Member[];
  correlations: Correlation[];
}

export interface SightingSummary {
  total: { count: number; reports: number; firstSeen: string | null; lastSeen: string | null };
  byCountry: { country: string; count: number }[];
  bySector: { sector: string; count: number }[];
  items: {
    id: string;
    count: number;
    firstSeen: string;
    lastSeen: string;
    country: string | null;
    sector: string | null;
    organisation: { id: string; name: string } | null;
    anonymous: boolean;
    affectsUs: boolean;
    tlp: Tlp;
  }[];
}

export interface Kev {
  dateAdded: string;
  dueDate: string;
  knownRansomwareCampaignUse: string;
  vendorProject: string;
  product: string;
  requiredAction: string;
}

export interface Vulnerability {
  id: string;
  name: string | null;
  cve: string | null;
  kev: Kev | null;
  tlp: string;
  csaf: { publisher: string; trackingId: string } | null;
  affectedProducts: string[];
  affectsUs: { organisations: number; mine: boolean };
}

export interface CvssScore {
  version: string;
  baseScore: number;
  severity: string;
  vector: string;
  products: string[];
  /** The vulnerability record it comes from (this one, or another of the same CVE) and its CSAF publisher. */
  source: { id: string; publisher: string | null };
}

export interface VulnerabilityPage extends Vulnerability {
  object: Record<string, unknown>;
  cvss: CvssScore[];
  cwes: { id: string; name: string | null }[];
  sameCve: { id: string; tlp: string; kev: boolean; csaf: { publisher: string; trackingId: string } | null; affectedProducts: string[] }[];
  facts?: { csaf?: { remediations?: unknown[] } | null } | null;
}

export interface AttackRef {
  id: string;
  externalId: string | null;
  name: string;
}

export interface AttackMatrix {
  tactics: (AttackRef & { shortname: string; techniques: AttackRef[] })[];
  mitigations: AttackRef[];
  assets: AttackRef[];
}

export interface Subscription {
  id: string;
  title: string;
  apiRootUrl: string;
  collectionId: string;
  pollIntervalMinutes: number;
  tlp: Tlp;
  audience: Audience;
  enabled: boolean;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  objectsReceived: number;
  nextPollAt: string | null;
  addedAfter?: string | null;
  hasCredentials: boolean;
}

/** STIX types a person filters by most (the full list is open: the filter takes any type). */
export const COMMON_TYPES = [
  'indicator',
  'malware',
  'attack-pattern',
  'threat-actor',
  'intrusion-set',
  'campaign',
  'tool',
  'vulnerability',
  'report',
  'identity',
  'infrastructure',
  'course-of-action',
  'observed-data',
  'sighting',
  'relationship',
  'ipv4-addr',
  'domain-name',
  'url',
  'file',
] as const;
