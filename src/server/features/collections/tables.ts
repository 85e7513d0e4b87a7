import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

declare module '../../db/schema.js' {
  interface DB {
    reading_lists: MarkingColumns & {
      id: string;
      title: string;
      description: ColumnType<string, string | undefined, string>;
      language: string;
      items: ColumnType<string[], string[] | undefined, string[]>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
  }
}
