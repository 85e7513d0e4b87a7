import type { ColumnType } from 'kysely';

type Json = ColumnType<unknown, string | undefined, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

declare module '../../db/schema.js' {
  interface DB {
    crises: MarkingColumns & {
      id: string;
      title: string;
      description: Defaulted<string>;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      level: string;
      status: Defaulted<string>;
      exercise: Defaulted<boolean>;
      countries: TextArray;
      sectors: TextArray;
      room_community_id: string;
      declared_at: Timestamp;
      closed_at: NullableTimestamp;
      next_sitrep_due: NullableTimestamp;
      reminded_due: NullableTimestamp;
      after_action: ColumnType<unknown, string | null | undefined, string | null>;
      lesson_id: ColumnType<string | null, string | null | undefined, string | null>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    crisis_members: {
      crisis_id: string;
      person_id: string;
      role: string;
      source: string;
      contact_id: ColumnType<string | null, string | null | undefined, string | null>;
      added_at: Timestamp;
    };
    crisis_level_changes: {
      id: string;
      crisis_id: string;
      level: string;
      at: Timestamp;
      by_person: string | null;
      note: Defaulted<string>;
    };
    crisis_sitreps: MarkingColumns & {
      id: string;
      crisis_id: string;
      number: number;
      impact_severity: string;
      outlook: string;
      sectors: TextArray;
      root_cause: string | null;
      conditions: Defaulted<string>;
      actions: Defaulted<string>;
      needs: Defaulted<string>;
      summary: string;
      language: string;
      source_rev: Defaulted<number>;
      translations: Json;
      created_at: Timestamp;
    };
    crisis_decisions: MarkingColumns & { id: string; crisis_id: string; text: string; decided_at: Timestamp };
    crisis_actions: MarkingColumns & {
      id: string;
      crisis_id: string;
      text: string;
      owner_person_id: string | null;
      owner_org_id: string | null;
      due_at: NullableTimestamp;
      status: Defaulted<string>;
      created_at: Timestamp;
      updated_at: Timestamp;
    };
    crisis_assistance: MarkingColumns & { id: string; crisis_id: string; request_id: string; created_at: Timestamp };
    crisis_alerts: MarkingColumns & {
      id: string;
      crisis_id: string;
      kind: string;
      sitrep_id: string | null;
      level: string | null;
      person_id: string;
      encrypted: Defaulted<boolean>;
      created_at: Timestamp;
      acknowledged_at: NullableTimestamp;
    };
    crisis_injects: MarkingColumns & { id: string; crisis_id: string; title: string; body: Defaulted<string>; planned_at: Timestamp; released_at: NullableTimestamp };
    crisis_evaluations: MarkingColumns & {
      id: string;
      crisis_id: string;
      objectives: number;
      communication: number;
      coordination: number;
      strengths: Defaulted<string>;
      improvements: Defaulted<string>;
      created_at: Timestamp;
    };
  }
}
export {};
