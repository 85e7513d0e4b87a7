import type { CommunityDetail, Tlp } from '../../api/types';

// ---------- types (the API's shapes) ----------

export type Mode = 'immediate' | 'daily';
export interface CommunityFull {
  id: string;
  slug: string;
  name: string;
  description: string;
  isMember: boolean;
  isAdmin: boolean;
  status: 'proposed' | 'approved' | 'rejected';
  visibility: 'public' | 'members';
  descriptionHidden: boolean;
  can: CommunityDetail['can'];
  proposal: null | { organisationId: string | null; reason: string; decisionReason: string | null; decidedAt: string | null };
  pendingRequests: { person: boolean; organisation: boolean };
  subscription: Mode | null;
  people: { id: string; name: string; isAdmin: boolean }[];
}
export interface Person {
  id: string;
  name: string;
}
export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}
export interface TopicSummary {
  id: string;
  communityId: string;
  title: string;
  language: string;
  tlp: Tlp;
  author: Person;
  organisation: { id: string; name: string };
  replyCount: number;
  createdAt: string;
  lastActivityAt: string;
  /** What this viewer may do with the topic: the server enforces the same rule. */
  can: { edit: boolean; changeMarking: boolean; delete: boolean; moderate: boolean; reply: boolean; attach: boolean };
}
export interface Reply {
  id: string;
  bodyMarkdown: string;
  bodyHtml: string;
  author: Person;
  organisation: string;
  mentions: Person[];
  attachments: Attachment[];
  createdAt: string;
  editedAt: string | null;
  canEdit: boolean;
  canDelete: boolean;
  /** What this viewer may do with the reply: the server enforces the same rule. */
  can: { edit: boolean; delete: boolean; attach: boolean };
}
export interface Topic extends TopicSummary {
  communityName: string;
  bodyMarkdown: string;
  bodyHtml: string;
  mentions: Person[];
  attachments: Attachment[];
  replies: Reply[];
  editedAt: string | null;
  canEdit: boolean;
  canDelete: boolean;
  canChangeMarking: boolean;
  canPost: boolean;
  canAttach: boolean;
  subscription: Mode | null;
}
