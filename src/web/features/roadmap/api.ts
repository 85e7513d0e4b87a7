import type { CommitmentStatus } from '#shared/records';

/** GET /api/v1/roadmap answers (server: features/roadmap/routes.ts, docs/roadmap.md). */
export interface RoadmapRow {
  /** `all`, or the concept's tag (`action-areas/policy`, `takeaways/7`). */
  key: string;
  notation: string | null;
  label: string;
  /** The language of `label`. */
  lang: string;
  area: string | null;
  includes: string[];
  records: number;
  practices: number;
  commitments: { count: number; byStatus: Record<CommitmentStatus, number>; overdue: number; meanProgress: number | null };
  /** One value per month of `Roadmap.months`. */
  series: { records: number[]; practices: number[]; commitments: number[]; meanProgress: (number | null)[] };
}

export interface Roadmap {
  from: string;
  to: string;
  months: string[];
  today: string;
  lang: string;
  overall: RoadmapRow;
  areas: RoadmapRow[];
  takeaways: RoadmapRow[];
}
