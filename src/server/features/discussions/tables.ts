import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Ids = ColumnType<string[], string[] | undefined, string[]>;

declare module '../../db/schema.js' {
  interface DB {
    community_join_requests: {
      id: string;
      community_id: string;
      organisation_id: string | null;
      person_id: string | null;
      requested_by: string;
      message: ColumnType<string, string | undefined, string>;
      status: ColumnType<'pending' | 'approved' | 'declined', 'pending' | 'approved' | 'declined' | undefined, 'pending' | 'approved' | 'declined'>;
      decided_by: ColumnType<string | null, string | null | undefined, string | null>;
      decided_at: NullableTimestamp;
      decision_reason: ColumnType<string | null, string | null | undefined, string | null>;
      created_at: Timestamp;
    };
    discussion_topics: MarkingColumns & {
      id: string;
      community_id: string;
      title: string;
      body_md: string;
      body_html: string;
      language: ColumnType<string, string | undefined, string>;
      mentions: Ids;
      created_at: Timestamp;
      updated_at: Timestamp;
      last_activity_at: Timestamp;
      /** 0011 */
      edited_at: NullableTimestamp;
    };
    discussion_replies: {
      id: string;
      topic_id: string;
      body_md: string;
      body_html: string;
      mentions: Ids;
      author_id: string;
      author_org_id: string;
      created_at: Timestamp;
      /** 0011 */
      edited_at: NullableTimestamp;
    };
    discussion_attachments: {
      id: string;
      topic_id: string;
      reply_id: string | null;
      file_name: string;
      content_type: string;
      size_bytes: number;
      sha256: string;
      content: Buffer;
      uploaded_by: string;
      created_at: Timestamp;
    };
    discussion_subscriptions: {
      id: string;
      person_id: string;
      community_id: string | null;
      topic_id: string | null;
      mode: ColumnType<'immediate' | 'daily', 'immediate' | 'daily' | undefined, 'immediate' | 'daily'>;
      created_at: Timestamp;
      /** 0011: the end of the window the last daily digest covered. */
      last_digest_at: NullableTimestamp;
    };
  }
}
export {};
