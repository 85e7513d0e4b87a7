import type { Audience, Pap, Tlp } from '../../api/types';
import type { CommitmentDoc, RecordDoc, RecordStatus } from '#shared/records';

/** GET /api/v1/records answers (server: features/records/routes.ts). */
export type Commitment = CommitmentDoc;

export interface ActivityRecord extends RecordDoc {
  id: string;
  slug: string;
  language: string;
  status: RecordStatus;
  organisation: { id: string; name: string };
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
  publishedAt: string | null;
  updatedAt: string;
  concepts: string[];
  can: { propose: boolean; publish: boolean; return: boolean; tag: boolean };
}

export interface RecordPage {
  items: ActivityRecord[];
  nextCursor: string | null;
}
