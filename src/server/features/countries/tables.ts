import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** Migration 0022: the priorities register and the policy tracker of the country pages. */
declare module '../../db/schema.js' {
  interface DB {
    country_priorities: MarkingColumns & {
      id: string;
      country_code: string;
      title: string;
      body: string;
      concepts: Defaulted<string[]>;
      review_date: NullableDate;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      version: Defaulted<number>;
      updated_by: ColumnType<string | null, string | null | undefined, string | null>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    country_instruments: MarkingColumns & {
      id: string;
      country_code: string;
      type: string;
      status: string;
      title: string;
      summary: Defaulted<string>;
      year: number;
      number: string;
      eli: string;
      date: NullableDate;
      authority: Defaulted<string>;
      authority_org_id: ColumnType<string | null, string | null | undefined, string | null>;
      sectors: Defaulted<string[]>;
      concepts: Defaulted<string[]>;
      eu_links: Json;
      expressions: Json;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      version: Defaulted<number>;
      updated_by: ColumnType<string | null, string | null | undefined, string | null>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    country_instrument_statuses: {
      instrument_id: string;
      position: number;
      status: string;
      effective_on: ColumnType<string, string, string>;
      recorded_at: Timestamp;
      recorded_by: ColumnType<string | null, string | null | undefined, string | null>;
    };
    country_priority_versions: {
      priority_id: string;
      version: number;
      action: string;
      changed: Defaulted<string[]>;
      snapshot: ColumnType<unknown, string, string>;
      at: Timestamp;
      by_person: ColumnType<string | null, string | null | undefined, string | null>;
    };
    country_instrument_versions: {
      instrument_id: string;
      version: number;
      action: string;
      changed: Defaulted<string[]>;
      snapshot: ColumnType<unknown, string, string>;
      at: Timestamp;
      by_person: ColumnType<string | null, string | null | undefined, string | null>;
    };
  }
}
