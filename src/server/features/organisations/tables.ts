import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module '../../db/schema.js' {
  interface DB {
    organisation_profiles: {
      organisation_id: string;
      languages: ColumnType<string[], string[] | undefined, string[]>;
      /** cidr[]: read it as text[] (ip_ranges::text[]), write with a cast. */
      ip_ranges: ColumnType<string[], unknown, unknown>;
      asns: ColumnType<(number | string)[], number[] | undefined, number[]>;
      domains: ColumnType<string[], string[] | undefined, string[]>;
      sectors_served: ColumnType<string[], string[] | undefined, string[]>;
      operating_hours: string | null;
      time_zone: string | null;
      /** date: read it as text (established_on::text) so no time zone shifts it. */
      established_on: ColumnType<string | null, string | null | undefined, string | null>;
      memberships: ColumnType<string[], string[] | undefined, string[]>;
      other_memberships: ColumnType<string[], string[] | undefined, string[]>;
      updated_at: Timestamp;
      updated_by: string | null;
    };
    organisation_descriptions: { organisation_id: string; language: string; description: string };
    organisation_logos: {
      organisation_id: string;
      content_type: string;
      data: Buffer;
      sha256: string;
      updated_at: Timestamp;
      updated_by: string | null;
    };
  }
}

export {};
