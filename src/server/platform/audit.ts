import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * The audit log is append-only and hash-chained: each entry's hash covers its own
 * fields and the previous entry's hash, and the head (last seq and hash) is kept
 * in settings so that removing the newest rows is caught too. `puente audit
 * verify` walks the chain.
 */
export type AuditAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.logout_everywhere'
  | 'auth.password_reset_requested'
  | 'auth.password_reset'
  | 'auth.password_changed'
  | 'mfa.enabled'
  | 'mfa.disabled'
  | 'mfa.recovery_code_used'
  | 'mfa.recovery_codes_regenerated'
  | 'mfa.policy_changed'
  | 'token.created'
  | 'token.revoked'
  | 'organisation.join_requested'
  | 'organisation.join_requested_existing_account'
  | 'organisation.approved'
  | 'organisation.rejected'
  | 'organisation.suspended'
  | 'organisation.reinstated'
  | 'organisation.profile_changed'
  | 'person.invited'
  | 'person.invitation_accepted'
  | 'person.invitation_revoked'
  | 'person.roles_changed'
  | 'person.disabled'
  | 'person.enabled'
  | 'person.created'
  | 'community.created'
  | 'community.membership_changed'
  | 'community.self_granted'
  | 'community.translated'
  | 'community.translation_removed'
  | 'note.translated'
  | 'note.translation_removed'
  | 'community.proposed'
  | 'community.approved'
  | 'community.rejected'
  | 'community.join_requested'
  | 'community.join_approved'
  | 'community.join_declined'
  | 'discussion.topic_created'
  | 'discussion.reply_created'
  | 'discussion.attachment_uploaded'
  | 'discussion.topic_edited'
  | 'discussion.topic_deleted'
  | 'discussion.topic_marking_changed'
  | 'discussion.reply_edited'
  | 'discussion.reply_deleted'
  | 'note.created'
  | 'note.marking_changed'
  | 'note.deleted'
  | 'record.imported'
  | 'record.proposed'
  | 'record.published'
  | 'record.returned'
  | 'record.concepts_changed'
  | 'record.created'
  | 'record.updated'
  | 'record.practices_changed'
  | 'commitment.updated'
  | 'knowledge.created'
  | 'knowledge.updated'
  | 'knowledge.marking_changed'
  | 'knowledge.translated'
  | 'knowledge.translation_removed'
  | 'knowledge.review_requested'
  | 'knowledge.reviewed'
  | 'knowledge.published'
  | 'knowledge.deleted'
  | 'knowledge.attachment_added'
  | 'knowledge.attachment_removed'
  | 'offer.created'
  | 'offer.updated'
  | 'offer.marking_changed'
  | 'offer.translated'
  | 'offer.translation_removed'
  | 'offer.published'
  | 'offer.closed'
  | 'offer.deleted'
  | 'offer.session_added'
  | 'offer.session_changed'
  | 'offer.session_removed'
  | 'offer.partners_changed'
  | 'offer.staff_proposed'
  | 'offer.staff_answered'
  | 'offer.staff_removed'
  | 'offer.application_settings_changed'
  | 'offer.session_rescheduled'
  | 'offer.session_cancelled'
  | 'application.submitted'
  | 'application.endorsed'
  | 'application.endorsement_refused'
  | 'application.selected'
  | 'application.waitlisted'
  | 'application.not_selected'
  | 'application.withdrawn'
  | 'application.promoted'
  | 'application.attendance_recorded'
  | 'application.completion_recorded'
  | 'application.certificate_issued'
  | 'application.certificate_revoked'
  | 'application.feedback_given'
  | 'request.submitted'
  | 'request.status_changed'
  | 'request.audience_changed'
  | 'request.interest_expressed'
  | 'request.interest_chosen'
  | 'request.coordination_convened'
  | 'request.translated'
  | 'request.translation_removed'
  | 'expert.proposed'
  | 'expert.vetted'
  | 'expert.withdrawn'
  | 'expert.updated'
  | 'expert.translated'
  | 'expert.translation_removed'
  | 'expert.availability_changed'
  | 'expert.mission_recorded'
  | 'expert.mission_changed'
  | 'expert.mission_removed'
  | 'expert.mission_evaluated'
  | 'reading_list.created'
  | 'reading_list.updated'
  | 'reading_list.deleted'
  | 'contact.nominated'
  | 'contact.created'
  | 'contact.updated'
  | 'contact.confirmed'
  | 'contact.approved'
  | 'contact.rejected'
  | 'contact.removed'
  | 'contact.imported'
  | 'contact.reminder_sent'
  | 'communication_check.launched'
  | 'communication_check.acknowledged'
  | 'communication_check.reminders_sent'
  | 'communication_check.closed'
  | 'communication_check.contact_flagged'
  | 'communication_check.exported'
  | 'focal_point.added'
  | 'focal_point.removed'
  | 'country_priority.created'
  | 'country_priority.edited'
  | 'country_priority.translated'
  | 'country_priority.translation_removed'
  | 'country_instrument.created'
  | 'country_instrument.edited'
  | 'country_instrument.status_changed'
  | 'country_instrument.translated'
  | 'country_instrument.translation_removed'
  | 'export.performed'
  | 'intel.ingested'
  | 'intel.deleted'
  | 'intel.misp_imported'
  | 'intel.vulnerabilities_imported'
  | 'intel.reference_loaded'
  | 'intel.sighting_reported'
  | 'intel.subscription_created'
  | 'intel.subscription_changed'
  | 'intel.subscription_deleted'
  | 'event.created'
  | 'event.updated'
  | 'event.published'
  | 'event.cancelled'
  | 'event.deleted'
  | 'event.translated'
  | 'event.translation_removed'
  | 'event.session_changed'
  | 'event.material_added'
  | 'event.material_removed'
  | 'event.registered'
  | 'event.registration_changed'
  | 'event.registration_withdrawn'
  | 'event.registration_declined'
  | 'event.registration_confirmed'
  | 'event.registration_promoted'
  | 'event.delegation_quota_set'
  | 'event.delegate_nominated'
  | 'event.delegation_head_set'
  | 'event.letter_issued'
  | 'event.answers_purged'
  | 'event.minutes_recorded'
  | 'calendar.feed_rotated'
  | 'calendar.feed_revoked'
  | 'incident.created'
  | 'incident.updated'
  | 'incident.status_changed'
  | 'incident.handed_over'
  | 'incident.report_submitted'
  | 'incident.report_requested'
  | 'incident.update_added'
  | 'incident.linked'
  | 'incident.unlinked'
  | 'incident.imported'
  | 'incident.translated'
  | 'incident.translation_removed'
  | 'crisis.declared'
  | 'crisis.level_changed'
  | 'crisis.closed'
  | 'crisis.member_added'
  | 'crisis.decision_logged'
  | 'crisis.action_added'
  | 'crisis.action_updated'
  | 'crisis.assistance_requested'
  | 'crisis.lesson_drafted'
  | 'crisis.alert_acknowledged'
  | 'crisis.inject_added'
  | 'crisis.inject_released'
  | 'crisis.evaluated'
  | 'crisis.translated'
  | 'sitrep.submitted'
  | 'sitrep.translated'
  | 'system.demo_loaded';

export interface AuditEntry {
  action: AuditAction;
  actorId?: string | null;
  actorOrgId?: string | null;
  /** The organisation the entry concerns; organisation admins see entries of their own organisation. */
  organisationId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK = 7_461_003;

/** JSON with sorted keys, so the hash does not depend on jsonb's key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

interface HashedFields {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_org_id: string | null;
  organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: unknown;
  prev_hash: string;
}

export function entryHash(f: HashedFields): string {
  const material = canonicalJson([
    f.seq,
    f.at.toISOString(),
    f.actor_id,
    f.actor_org_id,
    f.organisation_id,
    f.action,
    f.target_type,
    f.target_id,
    f.ip,
    f.details ?? {},
    f.prev_hash,
  ]);
  return crypto.createHash('sha256').update(material).digest('hex');
}

/** Append an entry inside the caller's transaction, so it commits (or not) with the change. */
export async function appendAudit(trx: Transaction<DB> | Kysely<DB>, e: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const fields: HashedFields = {
    seq: head ? Number(head.seq) + 1 : 1,
    at: new Date(),
    actor_id: e.actorId ?? null,
    actor_org_id: e.actorOrgId ?? null,
    organisation_id: e.organisationId ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    ip: e.ip ?? null,
    details: JSON.parse(canonicalJson(e.details ?? {})),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(fields);
  await trx
    .insertInto('audit_log')
    .values({ ...fields, details: JSON.stringify(fields.details), hash })
    .execute();
  await trx
    .insertInto('settings')
    .values({ key: 'audit_head', value: `${fields.seq}:${hash}` })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: `${fields.seq}:${hash}`, updated_at: new Date() }))
    .execute();
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** The first entry that does not fit the chain, with why. */
  firstBroken?: { seq: number; reason: string };
}

/** Walk the whole chain in order, in pages, and report the first entry that breaks it. */
export async function verifyAudit(db: Kysely<DB>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', String(expectedSeq))
      .orderBy('seq')
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` } };
      if (r.prev_hash !== prevHash) return { ok: false, checked, firstBroken: { seq, reason: 'previous-hash link does not match' } };
      const recomputed = entryHash({ ...r, seq, details: r.details });
      if (recomputed !== r.hash) return { ok: false, checked, firstBroken: { seq, reason: 'content does not match its hash (altered)' } };
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
  }
  const head = await db.selectFrom('settings').select('value').where('key', '=', 'audit_head').executeTakeFirst();
  if (head) {
    const [seqStr, hash] = head.value.split(':');
    const headSeq = Number(seqStr);
    if (headSeq !== checked || hash !== prevHash) {
      return { ok: false, checked, firstBroken: { seq: checked + 1, reason: `chain ends at ${checked} but the recorded head is entry ${headSeq} (entries removed)` } };
    }
  } else if (checked > 0) {
    return { ok: false, checked, firstBroken: { seq: 1, reason: 'the recorded head is missing' } };
  }
  return { ok: true, checked };
}
