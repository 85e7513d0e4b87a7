/**
 * The audit log and the outbox in words: action codes ("organisation.approved") and mail
 * purposes become catalogue keys, and an entry's details (identifiers, markings and counts,
 * never content) become labelled fields instead of JSON.
 */

/** The catalogue key of an action code: audit.actions.<family>.<action>. */
export function actionKey(code: string): string {
  const dot = code.indexOf('.');
  return dot < 0 ? `audit.actions.${code}` : `audit.actions.${code.slice(0, dot)}.${code.slice(dot + 1)}`;
}

/** The family of an action code ("organisation" of "organisation.approved"). */
export function familyOf(code: string): string {
  const dot = code.indexOf('.');
  return dot < 0 ? code : code.slice(0, dot);
}

/** A code or a field name as words, when the catalogue has none: "ageDays" → "age days", "join_requested" → "join requested". */
export function humanise(code: string): string {
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[._-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : code;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export type DetailValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'none' }
  | { kind: 'id'; id: string }
  | { kind: 'ids'; ids: string[] }
  | { kind: 'list'; items: string[] };

export interface DetailField {
  /** The path of the field: ["from", "tlp"]. */
  path: string[];
  value: DetailValue;
}

function valueOf(v: unknown): DetailValue | null {
  if (v === null || v === undefined) return { kind: 'none' };
  if (typeof v === 'boolean') return { kind: 'boolean', value: v };
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') return isId(v) ? { kind: 'id', id: v } : { kind: 'text', text: v };
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every(isId)) return { kind: 'ids', ids: v };
    if (v.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) return { kind: 'list', items: v.map((x) => String(x ?? '—')) };
    return { kind: 'text', text: JSON.stringify(v) };
  }
  return null;
}

/** An entry's details as fields: nested objects flattened into paths, in the order they come. */
export function detailFields(details: unknown, path: string[] = []): DetailField[] {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) {
    const v = valueOf(details);
    return path.length && v ? [{ path, value: v }] : [];
  }
  const out: DetailField[] = [];
  for (const [k, v] of Object.entries(details as Record<string, unknown>)) {
    const value = valueOf(v);
    if (value) out.push({ path: [...path, k], value });
    else out.push(...detailFields(v, [...path, k]));
  }
  return out;
}

/** The action codes grouped by family, in the order given, for the action filter. */
export function actionGroups(codes: readonly string[]): { family: string; codes: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const c of codes) {
    const f = familyOf(c);
    groups.set(f, [...(groups.get(f) ?? []), c]);
  }
  return [...groups].map(([family, cs]) => ({ family, codes: cs }));
}

/** Every action the audit log records (platform/audit.ts AuditAction); auditView.test.ts keeps the two lists equal. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.logout_everywhere',
  'auth.password_reset_requested',
  'auth.password_reset',
  'auth.password_changed',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated',
  'mfa.policy_changed',
  'token.created',
  'token.revoked',
  'organisation.join_requested',
  'organisation.join_requested_existing_account',
  'organisation.approved',
  'organisation.rejected',
  'organisation.suspended',
  'organisation.reinstated',
  'organisation.profile_changed',
  'person.invited',
  'person.invitation_accepted',
  'person.invitation_revoked',
  'person.roles_changed',
  'person.disabled',
  'person.enabled',
  'person.created',
  'community.created',
  'community.membership_changed',
  'community.self_granted',
  'community.translated',
  'community.translation_removed',
  'community.proposed',
  'community.approved',
  'community.rejected',
  'community.join_requested',
  'community.join_approved',
  'community.join_declined',
  'discussion.topic_created',
  'discussion.reply_created',
  'discussion.attachment_uploaded',
  'discussion.topic_edited',
  'discussion.topic_deleted',
  'discussion.topic_marking_changed',
  'discussion.reply_edited',
  'discussion.reply_deleted',
  'note.created',
  'note.marking_changed',
  'note.deleted',
  'note.translated',
  'note.translation_removed',
  'record.imported',
  'record.proposed',
  'record.published',
  'record.returned',
  'record.concepts_changed',
  'record.created',
  'record.updated',
  'record.practices_changed',
  'commitment.updated',
  'knowledge.created',
  'knowledge.updated',
  'knowledge.marking_changed',
  'knowledge.translated',
  'knowledge.translation_removed',
  'knowledge.review_requested',
  'knowledge.reviewed',
  'knowledge.published',
  'knowledge.deleted',
  'knowledge.attachment_added',
  'knowledge.attachment_removed',
  'offer.created',
  'offer.updated',
  'offer.marking_changed',
  'offer.translated',
  'offer.translation_removed',
  'offer.published',
  'offer.closed',
  'offer.deleted',
  'offer.session_added',
  'offer.session_changed',
  'offer.session_removed',
  'offer.partners_changed',
  'offer.staff_proposed',
  'offer.staff_answered',
  'offer.staff_removed',
  'offer.application_settings_changed',
  'offer.session_rescheduled',
  'offer.session_cancelled',
  'application.submitted',
  'application.endorsed',
  'application.endorsement_refused',
  'application.selected',
  'application.waitlisted',
  'application.not_selected',
  'application.withdrawn',
  'application.promoted',
  'application.attendance_recorded',
  'application.completion_recorded',
  'application.certificate_issued',
  'application.certificate_revoked',
  'application.feedback_given',
  'request.submitted',
  'request.status_changed',
  'request.audience_changed',
  'request.interest_expressed',
  'request.interest_chosen',
  'request.coordination_convened',
  'request.translated',
  'request.translation_removed',
  'expert.proposed',
  'expert.vetted',
  'expert.withdrawn',
  'expert.updated',
  'expert.translated',
  'expert.translation_removed',
  'expert.availability_changed',
  'expert.mission_recorded',
  'expert.mission_changed',
  'expert.mission_removed',
  'expert.mission_evaluated',
  'reading_list.created',
  'reading_list.updated',
  'reading_list.deleted',
  'contact.nominated',
  'contact.created',
  'contact.updated',
  'contact.confirmed',
  'contact.approved',
  'contact.rejected',
  'contact.removed',
  'contact.imported',
  'contact.reminder_sent',
  'communication_check.launched',
  'communication_check.acknowledged',
  'communication_check.reminders_sent',
  'communication_check.closed',
  'communication_check.contact_flagged',
  'communication_check.exported',
  'focal_point.added',
  'focal_point.removed',
  'country_priority.created',
  'country_priority.edited',
  'country_priority.translated',
  'country_priority.translation_removed',
  'country_instrument.created',
  'country_instrument.edited',
  'country_instrument.status_changed',
  'country_instrument.translated',
  'country_instrument.translation_removed',
  'export.performed',
  'intel.ingested',
  'intel.deleted',
  'intel.misp_imported',
  'intel.vulnerabilities_imported',
  'intel.reference_loaded',
  'intel.sighting_reported',
  'intel.subscription_created',
  'intel.subscription_changed',
  'intel.subscription_deleted',
  'event.created',
  'event.updated',
  'event.published',
  'event.cancelled',
  'event.deleted',
  'event.translated',
  'event.translation_removed',
  'event.session_changed',
  'event.material_added',
  'event.material_removed',
  'event.registered',
  'event.registration_changed',
  'event.registration_withdrawn',
  'event.registration_declined',
  'event.registration_confirmed',
  'event.registration_promoted',
  'event.delegation_quota_set',
  'event.delegate_nominated',
  'event.delegation_head_set',
  'event.letter_issued',
  'event.answers_purged',
  'event.minutes_recorded',
  'calendar.feed_rotated',
  'calendar.feed_revoked',
  'crisis.declared',
  'crisis.level_changed',
  'crisis.closed',
  'crisis.member_added',
  'crisis.decision_logged',
  'crisis.action_added',
  'crisis.action_updated',
  'crisis.assistance_requested',
  'crisis.lesson_drafted',
  'crisis.alert_acknowledged',
  'crisis.inject_added',
  'crisis.inject_released',
  'crisis.evaluated',
  'crisis.translated',
  'sitrep.submitted',
  'sitrep.translated',
  'incident.created',
  'incident.updated',
  'incident.status_changed',
  'incident.handed_over',
  'incident.report_submitted',
  'incident.report_requested',
  'incident.update_added',
  'incident.linked',
  'incident.unlinked',
  'incident.imported',
  'incident.translated',
  'incident.translation_removed',
  'system.demo_loaded',
] as const;

/** Every purpose of mail the platform sends (the `purpose` of each `mail(…)` in the server). */
export const MAIL_PURPOSES = [
  'invitation',
  'password_reset',
  'join_received',
  'join_existing_account',
  'organisation_approved',
  'organisation_rejected',
  'community_self_grant',
  'contact_reminder',
  'commitment_due',
  'commitment_overdue',
  'application_received',
  'application_selected',
  'application_waitlisted',
  'application_promoted',
  'application_not_selected',
  'application_endorsement_refused',
  'application_withdrawn',
  'application_session_changed',
  'application_session_cancelled',
  'application_reminder',
  'staff_proposed',
  'certificate_issued',
  'request_triaged',
  'request_interest_received',
  'request_matched',
  'request_interest_chosen',
  'discussion_mention',
  'discussion_notice',
  'discussion_digest',
  'communication_check',
  'communication_check_reminder',
  'communication_check_flag',
  'event_registered',
  'event_confirmed',
  'event_promoted',
  'event_updated',
  'event_cancelled',
  'event_registration_ended',
  'event_delegate',
  'incident_report_due',
  'crisis_alert',
  'sitrep_due',
] as const;
