import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { markingOf, type Marking } from './access/policy.js';

/**
 * What an event is about, and how its record's marking is read *now*.
 *
 * An event is written with the marking its record had then. A record is later
 * narrowed or deleted, and a replay (Last-Event-ID) or a late delivery must not
 * serve its earlier events — their titles — to people it no longer allows. So the
 * stream checks each event twice: against its own marking, and against the current
 * marking of its record, read from the record's table.
 *
 * Every subject type an event may name is listed here (NewEvent.subjectType is this
 * type), so a new kind of event cannot be written without saying how its record is
 * judged. `table` names a table carrying the standard marking columns and an `id`;
 * `removedBy` the event types that announce the record's removal (they are delivered
 * on their own marking, carrying ids only, once the record is gone); `table: null`
 * is for events whose payload carries nothing of a marked record (counts, ids,
 * names of organisations), judged on their own marking alone.
 */
export const EVENT_SUBJECTS = {
  note: { table: 'notes', removedBy: ['note.deleted'] },
  discussion_topic: { table: 'discussion_topics', removedBy: ['discussion.topic_deleted'] },
  // Objects of the STIX store are announced in submissions (counts and types) and deletions (ids).
  stix_object: { table: null, removedBy: [] },
  intel_submission: { table: null, removedBy: [] },
  communication_check: { table: null, removedBy: [] },
  community: { table: null, removedBy: [] },
  organisation: { table: null, removedBy: [] },
  // An assistance request's steps and answers: judged on the request's marking now (a narrowed request's
  // earlier events reach only who it allows now).
  request: { table: 'assistance_requests', removedBy: [] },
  // Capacity-building offers are announced once published (a draft is its provider's only); never deleted after.
  offer: { table: 'offers', removedBy: [] },
  // A profile of the expert pool: its events carry ids and the status only; the profile's marking now decides
  // too (its event's own marking keeps a profile not vetted within its organisation). Profiles are withdrawn, never deleted.
  expert: { table: 'experts', removedBy: [] },
  // Events are announced once published (a draft is its organisers' only; only drafts are deleted).
  event_item: { table: 'event_items', removedBy: [] },
  // An application's steps (features/applications): ids and its status only, marked for the applicant and the
  // provider organisation (AMBER+STRICT with the applicant as author and the provider as its organisation).
  application: { table: null, removedBy: [] },
  // An incident report (features/incidents): its events carry ids, the status and the title; judged on the report's marking now
  // (a narrowed or handed-over report's earlier events reach only who it allows now). Reports are never deleted.
  incident: { table: 'incident_reports', removedBy: [] },
  // A crisis room and its parts (decisions, actions, alerts…): judged on the crisis's marking now as well as the event's own.
  crisis: { table: 'crises', removedBy: [] },
  // A situation report: judged on the report's own marking now (a report may be narrower than its room).
  sitrep: { table: 'crisis_sitreps', removedBy: [] },
} as const satisfies Record<string, { table: keyof DB | null; removedBy: readonly string[] }>;

export type EventSubjectType = keyof typeof EVENT_SUBJECTS;

export function isEventSubjectType(x: unknown): x is EventSubjectType {
  return typeof x === 'string' && Object.hasOwn(EVENT_SUBJECTS, x);
}

export interface EventRef {
  type: string;
  subjectType: string | null;
  subjectId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * For each event, the current marking of its record that must also allow the viewer:
 * `undefined` when only the event's own marking counts, `null` when the record is gone
 * and the event must not be delivered at all.
 */
export async function currentSubjectMarkings(db: Kysely<DB>, events: EventRef[]): Promise<(Marking | null | undefined)[]> {
  const wanted = new Map<string, Set<string>>();
  for (const e of events) {
    const s = e.subjectType && isEventSubjectType(e.subjectType) ? EVENT_SUBJECTS[e.subjectType] : null;
    if (!s?.table || !e.subjectId || !UUID.test(e.subjectId)) continue;
    const ids = wanted.get(s.table) ?? new Set<string>();
    ids.add(e.subjectId);
    wanted.set(s.table, ids);
  }
  const found = new Map<string, Marking>();
  for (const [table, ids] of wanted) {
    const rows = await sql<Parameters<typeof markingOf>[0] & { id: string }>`
      SELECT id::text AS id, tlp, author_id, author_org_id, audience_organisations, audience_communities, audience_people
      FROM ${sql.table(table)} WHERE id = ANY(${[...ids]}::uuid[])`.execute(db);
    for (const r of rows.rows) found.set(`${table}\u0000${r.id}`, markingOf(r));
  }
  return events.map((e) => {
    // An event naming no known subject type carries, by construction, nothing to check; an unknown one is refused.
    if (!e.subjectType) return undefined;
    if (!isEventSubjectType(e.subjectType)) return null;
    const s = EVENT_SUBJECTS[e.subjectType];
    if (!s.table) return undefined;
    const now = e.subjectId ? found.get(`${s.table}\u0000${e.subjectId}`) : undefined;
    if (now) return now;
    return (s.removedBy as readonly string[]).includes(e.type) ? undefined : null;
  });
}
