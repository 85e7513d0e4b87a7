import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Text = ColumnType<string, string | undefined, string>;
type NullableText = ColumnType<string | null, string | null | undefined, string | null>;

declare module '../../db/schema.js' {
  interface DB {
    offers: MarkingColumns & {
      id: string;
      slug: string;
      type: string;
      title: string;
      summary: Text;
      description: Text;
      eligibility: Text;
      cost: Text;
      funding: Text;
      how_to_apply: Text;
      selection_criteria: Text;
      language: string;
      source_rev: ColumnType<number, number | undefined, number>;
      translations: Json;
      concepts: TextArray;
      audiences: TextArray;
      languages: TextArray;
      format: string;
      countries: TextArray;
      requires_endorsement: ColumnType<boolean, boolean | undefined, boolean>;
      collaboration_type: NullableText;
      aid_type: NullableText;
      flow_type: NullableText;
      provider_ref: NullableText;
      status: Text;
      created_at: Timestamp;
      updated_at: Timestamp;
      published_at: NullableTimestamp;
      closed_at: NullableTimestamp;
      search: ColumnType<string, never, never>;
      spoken: ColumnType<string[], never, never>;
      text_languages: ColumnType<string[], never, never>;
      // Added by migration 0032 (features/applications): how applicants are selected, and what they are asked.
      selection: ColumnType<string, string | undefined, string>;
      waitlist: ColumnType<boolean, boolean | undefined, boolean>;
      application_questions: Json;
    };
    offer_partners: {
      id: string;
      offer_id: string;
      organisation_id: string | null;
      name: Text;
      iati_ref: NullableText;
      iati_type: NullableText;
      role: string;
      position: ColumnType<number, number | undefined, number>;
    };
    offer_sessions: {
      id: string;
      offer_id: string;
      starts_at: Timestamp;
      ends_at: Timestamp;
      time_zone: string;
      place: Text;
      country: NullableText;
      online: ColumnType<boolean, boolean | undefined, boolean>;
      seats: number;
      confirmed: ColumnType<number, number | undefined, number>;
      application_deadline: NullableTimestamp;
      created_at: Timestamp;
      updated_at: Timestamp;
      // Added by migration 0032 (features/applications): the calendar SEQUENCE, cancellation, and the arrivals' counter.
      sequence: ColumnType<number, number | undefined, number>;
      cancelled_at: NullableTimestamp;
      last_ticket: ColumnType<number, number | undefined, number>;
    };
  }
}
