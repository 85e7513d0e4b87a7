import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** Tables of migration 0015 (sign-in throttling and password-reset requests). */
declare module '../../db/schema.js' {
  interface DB {
    login_throttle: {
      key_hash: string;
      failures: number;
      locked_until: NullableTimestamp;
      updated_at: Timestamp;
    };
    password_reset_requests: {
      id: string;
      email_hash: string;
      language: string | null;
      ip: string | null;
      created_at: Timestamp;
    };
  }
}

export {};
