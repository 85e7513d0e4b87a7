import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

declare module '../../db/schema.js' {
  interface DB {
    communication_checks: {
      id: string;
      title: string;
      message: Defaulted<string>;
      launched_by: string;
      launched_by_org: string;
      community_id: string | null;
      filters: ColumnType<unknown, string | undefined, string>;
      deadline: ColumnType<Date, Date | string, Date | string>;
      reminder_at: ColumnType<Date[], Date[] | undefined, Date[]>;
      reminders_sent: Defaulted<number>;
      status: Defaulted<string>;
      excluded: ColumnType<unknown, string | undefined, string>;
      created_at: Timestamp;
      closed_at: NullableTimestamp;
    };
    communication_check_targets: {
      check_id: string;
      contact_id: string;
      organisation_id: string;
      country_code: string;
      email: string;
      language: string;
      token_hash: string;
      token_sealed: string;
      encrypted: Defaulted<boolean>;
      acknowledged_at: NullableTimestamp;
      channel: string | null;
      reminders_sent: Defaulted<number>;
    };
    contact_check_flags: { contact_id: string; flagged_at: Timestamp; check_id: string };
  }
}
export {};
