import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

declare module '../../db/schema.js' {
  interface DB {
    knowledge_items: MarkingColumns & {
      id: string;
      slug: string;
      type: string;
      title: string;
      summary: ColumnType<string, string | undefined, string>;
      body: ColumnType<string, string | undefined, string>;
      evidence: ColumnType<string, string | undefined, string>;
      outcome: ColumnType<string, string | undefined, string>;
      language: string;
      source_rev: ColumnType<number, number | undefined, number>;
      translations: Json;
      countries: TextArray;
      co_authors: TextArray;
      concepts: TextArray;
      audiences: TextArray;
      date: ColumnType<string | null, string | null | undefined, string | null>;
      source_url: ColumnType<string | null, string | null | undefined, string | null>;
      licence: ColumnType<string | null, string | null | undefined, string | null>;
      attribution: ColumnType<string, string | undefined, string>;
      related: TextArray;
      status: ColumnType<string, string | undefined, string>;
      reviewers: TextArray;
      created_at: Timestamp;
      updated_at: Timestamp;
      published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
      search: ColumnType<string, never, never>;
      languages: ColumnType<string[], never, never>;
      search_head: ColumnType<string, never, never>;
    };
    knowledge_versions: {
      item_id: string;
      version: number;
      language: string;
      fields: Json;
      author_id: string | null;
      note: ColumnType<string, string | undefined, string>;
      at: Timestamp;
    };
    knowledge_reviews: {
      id: string;
      item_id: string;
      reviewer_id: string;
      version: number;
      decision: string;
      comment: ColumnType<string, string | undefined, string>;
      at: Timestamp;
    };
    knowledge_attachments: {
      id: string;
      item_id: string;
      file_name: string;
      content_type: string;
      size_bytes: number;
      content: ColumnType<Uint8Array, Uint8Array | Buffer, Uint8Array | Buffer>;
      uploaded_by: string | null;
      created_at: Timestamp;
    };
  }
}
