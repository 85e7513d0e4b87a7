import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables created by migrations/*.sql. Keep in step with them. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface MarkingColumns {
  tlp: string;
  pap: string;
  author_id: string | null;
  author_org_id: string | null;
  audience_organisations: ColumnType<string[], string[] | undefined, string[]>;
  audience_communities: ColumnType<string[], string[] | undefined, string[]>;
  audience_people: ColumnType<string[], string[] | undefined, string[]>;
}

export interface DB {
  schema_migrations: { version: number; name: string; applied_at: Timestamp };
  settings: { key: string; value: string; updated_at: Timestamp };
  countries: { code: string; name: string; kind: string; region: string; subregion: string; languages: string[] };
  sectors: { code: string; annex: string; name: string; position: number };
  organisations: {
    id: string;
    name: string;
    acronym: string | null;
    country_code: string;
    type: string;
    sectors: ColumnType<string[], string[] | undefined, string[]>;
    website: string | null;
    description: ColumnType<string, string | undefined, string>;
    status: ColumnType<string, string | undefined, string>;
    status_reason: string | null;
    decided_at: NullableTimestamp;
    decided_by: string | null;
    mfa_required: ColumnType<boolean, boolean | undefined, boolean>;
    requester_name: string | null;
    requester_email: string | null;
    requester_message: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  people: {
    id: string;
    organisation_id: string;
    email: string;
    name: string;
    password_hash: string | null;
    languages: ColumnType<string[], string[] | undefined, string[]>;
    ui_language: ColumnType<string, string | undefined, string>;
    time_zone: ColumnType<string, string | undefined, string>;
    roles: ColumnType<string[], string[] | undefined, string[]>;
    status: ColumnType<string, string | undefined, string>;
    mfa_secret: string | null;
    mfa_enabled: ColumnType<boolean, boolean | undefined, boolean>;
    mfa_enabled_at: NullableTimestamp;
    mfa_last_step: number | null;
    failed_logins: ColumnType<number, number | undefined, number>;
    locked_until: NullableTimestamp;
    last_login_at: NullableTimestamp;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  recovery_codes: { person_id: string; code_hash: string; used_at: NullableTimestamp };
  sessions: {
    id_hash: string;
    person_id: string;
    csrf_token: string;
    mfa_pending: ColumnType<boolean, boolean | undefined, boolean>;
    created_at: Timestamp;
    last_seen_at: Timestamp;
    expires_at: Timestamp;
    ip: string | null;
    user_agent: string | null;
  };
  api_tokens: {
    id: string;
    person_id: string;
    name: string;
    scope: string;
    token_hash: string;
    prefix: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    last_used_at: NullableTimestamp;
    revoked_at: NullableTimestamp;
  };
  invitations: {
    id: string;
    organisation_id: string;
    email: string;
    name: string | null;
    roles: ColumnType<string[], string[] | undefined, string[]>;
    token_hash: string;
    invited_by: string | null;
    created_at: Timestamp;
    expires_at: Timestamp;
    accepted_at: NullableTimestamp;
    revoked_at: NullableTimestamp;
  };
  password_resets: { token_hash: string; person_id: string; created_at: Timestamp; expires_at: Timestamp; used_at: NullableTimestamp };
  communities: {
    id: string;
    slug: string;
    name: string;
    description: ColumnType<string, string | undefined, string>;
    created_by: string | null;
    created_at: Timestamp;
    status: ColumnType<'proposed' | 'approved' | 'rejected', 'proposed' | 'approved' | 'rejected' | undefined, 'proposed' | 'approved' | 'rejected'>;
    visibility: ColumnType<'public' | 'members', 'public' | 'members' | undefined, 'public' | 'members'>;
    proposed_by: ColumnType<string | null, string | null | undefined, string | null>;
    proposed_by_org: ColumnType<string | null, string | null | undefined, string | null>;
    proposal_reason: ColumnType<string, string | undefined, string>;
    decided_by: ColumnType<string | null, string | null | undefined, string | null>;
    decided_at: NullableTimestamp;
    decision_reason: ColumnType<string | null, string | null | undefined, string | null>;
    /** 0017: the language name and description are written in, their revision, their translations (platform/translations.ts). */
    language: ColumnType<string, string | undefined, string>;
    source_rev: ColumnType<number, number | undefined, number>;
    translations: ColumnType<unknown, string | undefined, string>;
  };
  community_organisations: { community_id: string; organisation_id: string; added_at: Timestamp };
  community_people: { community_id: string; person_id: string; is_admin: ColumnType<boolean, boolean | undefined, boolean>; added_at: Timestamp };
  notes: MarkingColumns & {
    id: string;
    title: string;
    body: string;
    language: string;
    /** 0017: the source's revision and its translations (platform/translations.ts). */
    source_rev: ColumnType<number, number | undefined, number>;
    translations: ColumnType<unknown, string | undefined, string>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  audit_log: {
    seq: ColumnType<string, string | number, never>;
    at: Timestamp;
    actor_id: string | null;
    actor_org_id: string | null;
    organisation_id: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    details: ColumnType<Record<string, unknown>, string, never>;
    prev_hash: string;
    hash: string;
  };
  events: MarkingColumns & {
    id: Generated<string>;
    at: Timestamp;
    type: string;
    subject_type: string | null;
    subject_id: string | null;
    payload: ColumnType<Record<string, unknown>, string, string>;
  };
  mail_outbox: {
    id: string;
    to_address: string;
    subject: string;
    /** Null once purged (delivered, or past body_expires_at). */
    text_body: string | null;
    html_body: string | null;
    purpose: string;
    created_at: Timestamp;
    sent_at: NullableTimestamp;
    attempts: ColumnType<number, number | undefined, number>;
    last_error: string | null;
    credential: ColumnType<boolean, boolean | undefined, boolean>;
    /** The marking of the shared content the mail carries; null for mail about the recipient's own account. */
    tlp: string | null;
    author_id: string | null;
    author_org_id: string | null;
    audience_organisations: ColumnType<string[], string[] | undefined, string[]>;
    audience_communities: ColumnType<string[], string[] | undefined, string[]>;
    audience_people: ColumnType<string[], string[] | undefined, string[]>;
    body_expires_at: NullableTimestamp;
    body_purged_at: NullableTimestamp;
    /** 0031: an iTIP invitation or cancellation sent with the mail (text/calendar; method=…), purged with the body. */
    calendar_method: ColumnType<string | null, string | null | undefined, string | null>;
    calendar_ics: ColumnType<string | null, string | null | undefined, string | null>;
  };
  rate_limits: { key: string; count: number; reset_at: Timestamp };
}
