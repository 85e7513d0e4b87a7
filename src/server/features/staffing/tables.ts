import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;

declare module '../../db/schema.js' {
  interface DB {
    offer_session_staff: {
      id: string;
      session_id: string;
      offer_id: string;
      expert_id: string;
      role: string;
      status: ColumnType<string, string | undefined, string>;
      proposed_by: string;
      proposed_at: Timestamp;
      answered_by: NullableText;
      answered_at: NullableTimestamp;
      mission_id: NullableText;
    };
  }
}
