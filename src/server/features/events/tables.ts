import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

declare module '../../db/schema.js' {
  interface DB {
    event_items: MarkingColumns & {
      id: string;
      kind: string;
      title: string;
      description: Defaulted<string>;
      agenda: Defaulted<string>;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      place: Defaulted<string>;
      country_code: ColumnType<string | null, string | null | undefined, string | null>;
      online: Defaulted<boolean>;
      online_url: ColumnType<string | null, string | null | undefined, string | null>;
      starts_at: Timestamp;
      ends_at: Timestamp;
      time_zone: string;
      organiser_org_id: string;
      concepts: TextArray;
      status: Defaulted<string>;
      registration_open: Defaulted<boolean>;
      moderated: Defaulted<boolean>;
      capacity: ColumnType<number | null, number | null | undefined, number | null>;
      retention_days: Defaulted<number>;
      questions: Json;
      sequence: Defaulted<number>;
      last_ticket: ColumnType<string, number | string | undefined, number | string>;
      answers_purged_at: NullableTimestamp;
      /** The activity record its minutes became (features/records), once written. */
      record_id: ColumnType<string | null, string | null | undefined, string | null>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    event_sessions: {
      id: string;
      event_id: string;
      title: string;
      source_rev: Defaulted<number>;
      translations: Json;
      starts_at: Timestamp;
      ends_at: Timestamp;
      room: Defaulted<string>;
      speakers: Json;
      interpretation: TextArray;
      status: Defaulted<string>;
      sequence: Defaulted<number>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    event_materials: MarkingColumns & {
      id: string;
      event_id: string;
      session_id: string | null;
      title: string;
      url: string | null;
      file_name: string | null;
      content_type: string | null;
      size_bytes: number | null;
      content: ColumnType<Uint8Array | null, Uint8Array | Buffer | null, Uint8Array | Buffer | null>;
      created_at: Timestamp;
    };
    event_delegations: {
      id: string;
      event_id: string;
      country_code: string;
      quota: number;
      head_registration_id: string | null;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    event_registrations: {
      id: string;
      event_id: string;
      person_id: string;
      organisation_id: string;
      status: string;
      ticket: ColumnType<string, number | string, number | string>;
      delegation_id: string | null;
      consent_to_list: Defaulted<boolean>;
      answers: Json;
      registered_at: Timestamp;
      updated_at: Timestamp;
    };
    calendar_feeds: {
      person_id: string;
      token_hash: string;
      created_at: Timestamp;
    };
  }
}
