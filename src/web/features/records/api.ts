import type { Audience, Pap, Tlp } from '../../api/types';

/** GET /api/v1/records answers (server: features/records/routes.ts). */
export interface Commitment {
  text: string;
  owners: string[];
  countries: string[];
  due?: string;
  status: 'planned' | 'in progress' | 'done' | 'delayed' | 'dropped';
  progress: number;
  milestones: { title: string; due?: string; done: boolean }[];
  evidence: string[];
}

export interface ActivityRecord {
  id: string;
  slug: string;
  title: string;
  date: string;
  endDate?: string;
  location: string;
  summary: string;
  characteristics: string[];
  actors: { category: string; actors: string[] }[];
  themes: { category: string; subcategory: string }[];
  applications: string[];
  commitments: Commitment[];
  language: string;
  status: 'draft' | 'proposed' | 'published';
  organisation: { id: string; name: string };
  tlp: Tlp;
  pap: Pap;
  audience: Audience;
  publishedAt: string | null;
  updatedAt: string;
  can: { propose: boolean; publish: boolean; return: boolean };
}

export interface RecordPage {
  items: ActivityRecord[];
  nextCursor: string | null;
}
