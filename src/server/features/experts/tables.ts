import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type MaybeTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type DateColumn = ColumnType<string, string, string>;
type MaybeDate = ColumnType<string | null, string | null | undefined, string | null>;
type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

declare module '../../db/schema.js' {
  interface DB {
    experts: MarkingColumns & {
      id: string;
      person_id: string;
      headline: string;
      biography: ColumnType<string, string | undefined, string>;
      language: string;
      source_rev: ColumnType<number, number | undefined, number>;
      translations: Json;
      skills: TextArray;
      concepts: TextArray;
      languages: TextArray;
      countries: TextArray;
      status: ColumnType<string, string | undefined, string>;
      vetted_by: Maybe<string>;
      vetted_at: MaybeTimestamp;
      withdrawn_at: MaybeTimestamp;
      created_at: Timestamp;
      updated_at: Timestamp;
      search: ColumnType<string, never, never>;
      spoken: ColumnType<string[], never, never>;
    };
    expert_availability: {
      id: string;
      expert_id: string;
      starts_on: DateColumn;
      ends_on: DateColumn;
      note: ColumnType<string, string | undefined, string>;
      created_at: Timestamp;
    };
    expert_missions: {
      id: string;
      expert_id: string;
      title: string;
      country: Maybe<string>;
      starts_on: DateColumn;
      ends_on: MaybeDate;
      offer_id: Maybe<string>;
      request_id: Maybe<string>;
      host_org_id: Maybe<string>;
      evaluation: Maybe<number>;
      evaluation_comment: ColumnType<string, string | undefined, string>;
      evaluated_by: Maybe<string>;
      evaluated_by_org: Maybe<string>;
      evaluated_at: MaybeTimestamp;
      created_by: Maybe<string>;
      created_at: Timestamp;
    };
  }
}
