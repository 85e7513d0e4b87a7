import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Generated<T> = ColumnType<T, never, never>;

declare module '../../db/schema.js' {
  interface DB {
    intel_submissions: {
      id: string;
      source: string;
      person_id: string | null;
      organisation_id: string | null;
      status: Defaulted<string>;
      total: Defaulted<number>;
      accepted: Defaulted<number>;
      duplicates: Defaulted<number>;
      rejected: Defaulted<number>;
      results: ColumnType<unknown, string | undefined, string>;
      request_hash: string | null;
      created_at: Timestamp;
    };
    intel_objects: MarkingColumns & {
      seq: Generated<string>;
      stix_id: string;
      stix_type: string;
      spec_version: string | null;
      version: string;
      version_at: Timestamp;
      created: NullableTimestamp;
      revoked: Defaulted<boolean>;
      name: string | null;
      confidence: number | null;
      body: string;
      content_hash: string;
      added_at: Timestamp;
      submission_id: string | null;
      source: Defaulted<string>;
      anonymous: Defaulted<boolean>;
      search: ColumnType<unknown, never, never>;
      /** sighting_of_ref of a sighting (migration 0013): reads check that the viewer may see it. */
      subject_ref: ColumnType<string | null, string | null | undefined, string | null>;
    };
    intel_values: { object_seq: string; kind: string; value: string };
    intel_submission_results: { submission_id: string; chunk: number; results: ColumnType<unknown, string, string> };
    intel_sightings: MarkingColumns & {
      id: string;
      object_seq: string;
      sighting_of: string;
      count: number;
      first_seen: Timestamp;
      last_seen: Timestamp;
      country: string | null;
      sector: string | null;
      anonymous: Defaulted<boolean>;
      affects_us: Defaulted<boolean>;
      reporter_id: string;
      reporter_org_id: string;
      created_at: Timestamp;
    };
    intel_subscriptions: {
      id: string;
      organisation_id: string;
      created_by: string;
      title: string;
      api_root_url: string;
      collection_id: string;
      credentials_sealed: string | null;
      poll_interval_minutes: number;
      tlp: string;
      audience_organisations: Defaulted<string[]>;
      audience_communities: Defaulted<string[]>;
      audience_people: Defaulted<string[]>;
      enabled: Defaulted<boolean>;
      added_after: string | null;
      last_poll_at: NullableTimestamp;
      last_success_at: NullableTimestamp;
      last_error: string | null;
      last_error_at: NullableTimestamp;
      objects_received: Defaulted<string>;
      next_poll_at: Timestamp;
      created_at: Timestamp;
    };
  }
}
export {};
