import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Text = ColumnType<string, string | undefined, string>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;
type NullableBool = ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

declare module '../../db/schema.js' {
  interface DB {
    applications: {
      id: string;
      offer_id: string;
      session_id: string;
      person_id: string;
      organisation_id: string;
      country: string;
      status: string;
      needs_endorsement: ColumnType<boolean, boolean | undefined, boolean>;
      ticket: number;
      waitlist_ticket: ColumnType<number | null, number | null | undefined, number | null>;
      motivation: Text;
      answers: Json;
      gender: NullableText;
      decision_reason: Text;
      decided_by: NullableText;
      decided_at: NullableTimestamp;
      endorsed_by: NullableText;
      endorsed_at: NullableTimestamp;
      endorsement_note: Text;
      attended: NullableBool;
      // Dates come back as Date (the pg parser of `date`); written as YYYY-MM-DD.
      attended_days: ColumnType<(Date | string)[], string[] | undefined, string[]>;
      completed: NullableBool;
      completed_at: NullableTimestamp;
      certificate_code: NullableText;
      certificate_issued_at: NullableTimestamp;
      certificate_revoked_at: NullableTimestamp;
      reminded: TextArray;
      applied_at: Timestamp;
      updated_at: Timestamp;
      withdrawn_at: NullableTimestamp;
    };
    application_feedback: {
      application_id: string;
      offer_id: string;
      satisfaction: number;
      usefulness: number;
      comments: Text;
      follow_up: Text;
      created_at: Timestamp;
    };
  }
}
