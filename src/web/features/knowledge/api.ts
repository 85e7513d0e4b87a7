import type { Audience, OrgType, Pap, Tlp, TranslationInfo } from '../../api/types';

/**
 * The good-practice library's answers (server: features/knowledge/routes.ts, whose schemas are
 * the exact shapes). The lists below mirror the server's (features/knowledge/service.ts): the
 * server refuses anything else, so a change there is a change here.
 */
export const KNOWLEDGE_TYPES = ['good_practice', 'guide', 'lesson_learned', 'awareness_campaign', 'training_material', 'exercise_scenario', 'standard', 'policy_paper', 'strategy'] as const;
export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];
export const KNOWLEDGE_STATUSES = ['draft', 'in_review', 'published'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

/** SPDX licence ids the server takes. */
export const LICENCES = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-NC-ND-4.0', 'CC0-1.0', 'EUPL-1.2', 'MIT', 'Apache-2.0', 'OGL-UK-3.0', 'LicenseRef-All-rights-reserved'] as const;

/** The server's limits (service.ts LIMITS, routes.ts): the form says so before sending. */
export const LIMITS = {
  title: 300,
  summary: 3000,
  body: 200_000,
  evidence: 10_000,
  outcome: 10_000,
  reviewers: 10,
  related: 30,
  countries: 60,
  coAuthors: 20,
  attachments: 20,
  concepts: 40,
  attribution: 1000,
  sourceUrl: 2000,
  note: 500,
  comment: 5000,
} as const;

/** The files the server takes (platform/filetypes.ts): their type is checked from their content and must agree with the name. */
export const ATTACHMENT_ACCEPT = '.pdf,.docx,.xlsx,.pptx,.odt,.png,.jpg,.jpeg,.gif,.webp';

export interface Can {
  edit: boolean;
  translate: boolean;
  review: boolean;
}

export interface KnowledgeSummary {
  id: string;
  slug: string;
  type: KnowledgeType;
  title: string;
  summary: string;
  translation: TranslationInfo;
  countries: string[];
  /** `scheme/concept` */
  concepts: string[];
  audiences: OrgType[];
  date: string | null;
  organisation: { id: string; name: string; country: string };
  status: KnowledgeStatus;
  tlp: Tlp;
  updatedAt: string;
  publishedAt: string | null;
  can: Can;
}

export interface Segment {
  text: string;
  match: boolean;
}

export interface KnowledgePage {
  items: (KnowledgeSummary & { snippet: Segment[] })[];
  counts: { byType: Record<string, number> };
  nextCursor: string | null;
}

export interface Version {
  version: number;
  language: string;
  note: string;
  at: string;
  author: string | null;
}

export interface Review {
  id: string;
  reviewer: { id: string; name: string };
  version: number;
  decision: 'approved' | 'changes_requested';
  comment: string;
  at: string;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  at: string;
}

export type TextField = 'title' | 'summary' | 'body' | 'evidence' | 'outcome';
export const TEXT_FIELDS: TextField[] = ['title', 'summary', 'body', 'evidence', 'outcome'];

export interface KnowledgeItem extends KnowledgeSummary {
  body: string;
  /** Rendered and sanitised on the server. */
  bodyHtml: string;
  evidence: string;
  outcome: string;
  /** The source text's revision. */
  revision: number;
  coAuthors: { id: string; name: string }[];
  sourceUrl: string | null;
  licence: string | null;
  attribution: string;
  pap: Pap;
  audience: Audience;
  related: (KnowledgeSummary & { linked: boolean })[];
  relatedIds: string[];
  /** The activity records the reader may see that link it, newest first. */
  records: { id: string; slug: string; title: string; date: string; language: string }[];
  attachments: Attachment[];
  versions: Version[];
  reviewers: { id: string; name: string }[];
  reviews: Review[];
  /** The source language's text, for those who may translate (and edit) it. */
  sourceTexts: Record<TextField, string> | null;
}

export interface DiffAnswer {
  from: Version;
  to: Version;
  fields: { field: TextField | string; parts: { text: string; change: 'same' | 'added' | 'removed' }[] }[];
}

