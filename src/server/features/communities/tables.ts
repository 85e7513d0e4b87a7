import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Tables of migration 0016 (self-grants of the secretariat). */
declare module '../../db/schema.js' {
  interface DB {
    community_self_grants: {
      id: string;
      community_id: string;
      actor_id: string;
      person_id: string | null;
      organisation_id: string | null;
      as_admin: ColumnType<boolean, boolean | undefined, boolean>;
      created_at: Timestamp;
    };
  }
}

export {};
