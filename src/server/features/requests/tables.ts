import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type DateText = ColumnType<string | null, string | null | undefined, string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

declare module '../../db/schema.js' {
  interface DB {
    assistance_requests: MarkingColumns & {
      id: string;
      country_code: ColumnType<string | null, string | null | undefined, string | null>;
      title: string;
      description: Defaulted<string>;
      wanted: Defaulted<string>;
      constraints: Defaulted<string>;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      concepts: TextArray;
      audiences: TextArray;
      languages: TextArray;
      urgency: Defaulted<string>;
      format: ColumnType<string | null, string | null | undefined, string | null>;
      timeframe_from: DateText;
      timeframe_to: DateText;
      status: Defaulted<string>;
      chosen_interest_id: ColumnType<string | null, string | null | undefined, string | null>;
      evaluation: ColumnType<number | null, number | null | undefined, number | null>;
      evaluation_comment: Defaulted<string>;
      coordination_community_id: ColumnType<string | null, string | null | undefined, string | null>;
      coordination_topic_id: ColumnType<string | null, string | null | undefined, string | null>;
      coordination_event_id: ColumnType<string | null, string | null | undefined, string | null>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    request_steps: {
      id: string;
      request_id: string;
      status: string;
      at: Timestamp;
      by_person: string | null;
      by_org: string | null;
      note: Defaulted<string>;
    };
    request_interests: MarkingColumns & {
      id: string;
      request_id: string;
      message: string;
      partner_org_ids: TextArray;
      offer_ids: TextArray;
      expert_ids: TextArray;
      status: Defaulted<string>;
      created_at: Timestamp;
    };
  }
}
