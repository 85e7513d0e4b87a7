import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

declare module '../../db/schema.js' {
  interface DB {
    country_focal_points: { country_code: string; person_id: string; added_by: string | null; added_at: Timestamp };
    contacts: MarkingColumns & {
      id: string;
      organisation_id: string;
      country_code: string;
      person_id: string | null;
      kinds: string[];
      full_name: string;
      /** Generated (0009): puente_fold(full_name), for search. Never written by the app. */
      search_name: ColumnType<string, never, never>;
      /** Generated (0009): puente_fold(position), for search. Never written by the app. */
      search_position: ColumnType<string, never, never>;
      is_team_mailbox: Defaulted<boolean>;
      position: Defaulted<string>;
      languages: Defaulted<string[]>;
      time_zone: string | null;
      emails: Defaulted<string[]>;
      phone: string | null;
      emergency_phone: string | null;
      availability: string | null;
      secure_channels: ColumnType<unknown, string | undefined, string>;
      pgp_key: string | null;
      /** 0010: without pgp_key, a fingerprint a team record gave (the key is to be added). */
      pgp_fingerprint: string | null;
      pgp_algorithm: string | null;
      pgp_expires_at: NullableTimestamp;
      pgp_revoked: Defaulted<boolean>;
      field_markings: ColumnType<unknown, string | undefined, string>;
      /** 0010: the team's or person's web page. */
      website: ColumnType<string | null, string | null | undefined, string | null>;
      valid_until: ColumnType<Date | null, string | null | undefined, string | null>;
      last_confirmed_at: Timestamp;
      last_confirmed_by: string | null;
      last_reminded_at: NullableTimestamp;
      status: Defaulted<string>;
      status_reason: string | null;
      nominated_by: string | null;
      decided_by: string | null;
      decided_at: NullableTimestamp;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
  }
}
export {};
