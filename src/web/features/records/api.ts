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
  /** Actors (by their name as written) that name one approved member organisation. */
  actorOrganisations: Record<string, { id: string; name: string }>;
  /** The good practices it concerns that the reader may see; `lang`: the language of the title shown. */
  practices: PracticeLink[];
  can: { edit: boolean; propose: boolean; publish: boolean; return: boolean; tag: boolean };
}

export interface PracticeLink {
  id: string;
  slug: string;
  title: string;
  type: string;
  lang: string;
}

/** POST /api/v1/records, PUT /api/v1/records/{id}: the record's fields, its language and marking. */
export interface RecordInput extends RecordDoc {
  language?: string;
  tlp?: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

export interface RecordPage {
  items: ActivityRecord[];
  nextCursor: string | null;
}
