/**
 * An activity record of the alliance as its published Markdown shape holds it (docs/records.md):
 * what the server reads and writes (features/records/format.ts) and the web app shows.
 */
export const COMMITMENT_STATUSES = ['planned', 'in progress', 'done', 'delayed', 'dropped'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export interface Milestone {
  title: string;
  due?: string;
  done: boolean;
}

export interface CommitmentDoc {
  text: string;
  owners: string[];
  countries: string[];
  due?: string;
  status: CommitmentStatus;
  /** 0–100. */
  progress: number;
  milestones: Milestone[];
  evidence: string[];
}

export interface RecordDoc {
  title: string;
  date: string;
  endDate?: string;
  location: string;
  /** Paragraphs separated by one blank line. */
  summary: string;
  characteristics: string[];
  actors: { category: string; actors: string[] }[];
  themes: { category: string; subcategory: string }[];
  applications: string[];
  commitments: CommitmentDoc[];
}

/** Where a record is in its workflow: only a published one is seen beyond its organisation. */
export const RECORD_STATUSES = ['draft', 'proposed', 'published'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
