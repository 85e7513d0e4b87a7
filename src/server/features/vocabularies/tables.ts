import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string, string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

declare module '../../db/schema.js' {
  interface DB {
    vocabulary_schemes: {
      id: string;
      labels: Json;
      source: Json;
      position: number;
      updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
    };
    vocabulary_concepts: {
      scheme_id: string;
      id: string;
      notation: string | null;
      pref_labels: Json;
      alt_labels: ColumnType<unknown, string | undefined, string>;
      definition: ColumnType<unknown, string | undefined, string>;
      broader: string | null;
      related: Defaulted<string[]>;
      position: number;
      withdrawn: Defaulted<boolean>;
      search_text: Defaulted<string>;
    };
  }
}
