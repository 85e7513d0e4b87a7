import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Kysely's view of migrations/0035_incidents.sql. */
declare module '../../db/schema.js' {
  interface DB {
    incident_reports: MarkingColumns & {
      id: string;
      stix_id: string;
      title: string;
      description: Defaulted<string>;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      rsit_class: string;
      root_cause: Nullable<string>;
      threat_severity: Nullable<string>;
      impact_severity: Nullable<string>;
      impact_outlook: Nullable<string>;
      sectors: TextArray;
      subsectors: TextArray;
      countries: TextArray;
      cross_border: Defaulted<boolean>;
      users_affected: ColumnType<string | null, number | string | null | undefined, number | string | null>;
      started_at: NullableTimestamp;
      ended_at: NullableTimestamp;
      aware_at: Timestamp;
      status: Defaulted<string>;
      outcome: Nullable<string>;
      closed_at: NullableTimestamp;
      owner_org_id: string;
      exercise: Defaulted<boolean>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    incident_entries: MarkingColumns & {
      id: string;
      incident_id: string;
      at: Timestamp;
      action: string;
      detail: Json;
      text: Defaulted<string>;
      language: Nullable<string>;
    };
    incident_nis2_reports: {
      id: string;
      incident_id: string;
      kind: string;
      due_at: Timestamp;
      requested_at: NullableTimestamp;
      requested_by_org: Nullable<string>;
      submitted_at: NullableTimestamp;
      submitted_by: Nullable<string>;
      text: Defaulted<string>;
      reminded_at: NullableTimestamp;
    };
    incident_links: {
      incident_id: string;
      stix_id: string;
      relationship: Defaulted<string>;
      created_at: Timestamp;
      created_by: Nullable<string>;
    };
  }
}
