import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateColumn = ColumnType<string, string, string>;

declare module '../../db/schema.js' {
  interface DB {
    activity_records: MarkingColumns & {
      id: string;
      slug: string;
      title: string;
      date: DateColumn;
      end_date: ColumnType<string | null, string | null | undefined, string | null>;
      location: string;
      summary: string;
      characteristics: Json;
      actors: Json;
      themes: Json;
      applications: Json;
      language: ColumnType<string, string | undefined, string>;
      status: ColumnType<string, string | undefined, string>;
      created_at: Timestamp;
      updated_at: Timestamp;
      published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
      concepts: ColumnType<string[], string[] | undefined, string[]>;
      /** Library items (knowledge_items ids) the record concerns; read only through knowledge's visibleItems. */
      practices: ColumnType<string[], string[] | undefined, string[]>;
    };
    record_commitments: {
      id: string;
      record_id: string;
      position: number;
      text: string;
      owners: ColumnType<string[], string[] | undefined, string[]>;
      countries: ColumnType<string[], string[] | undefined, string[]>;
      due: ColumnType<string | null, string | null | undefined, string | null>;
      status: string;
      progress: number;
      milestones: Json;
      evidence: ColumnType<string[], string[] | undefined, string[]>;
      owner_organisations: ColumnType<string[], string[] | undefined, string[]>;
      weight: ColumnType<number, number | undefined, number>;
      updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
      reminded_before: ColumnType<string | null, string | null | undefined, string | null>;
      reminded_after: ColumnType<string | null, string | null | undefined, string | null>;
    };
    commitment_updates: {
      id: string;
      commitment_id: string;
      at: ColumnType<Date, Date | string | undefined, Date | string>;
      by_person: string | null;
      status: string;
      progress: number;
      note: ColumnType<string, string | undefined, string>;
    };
  }
}
