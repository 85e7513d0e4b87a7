import { STAFF_ROLES, STAFF_STATUSES, type StaffRole, type StaffStatus } from '#shared/capacity';
import { ANONYMOUS } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { hasRole, type Principal } from '../../platform/auth/principal.js';
import type { Platform } from '../../platform/deps.js';
import { showFor } from '../../platform/translations.js';
import { sessionsOfExpert, staffOf, type ExpertSessionRow, type StaffRow } from './repository.js';

export { STAFF_ROLES, STAFF_STATUSES, type StaffRole, type StaffStatus };

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

/** The expert answers for themself; an admin of their organisation may answer for them (the organisation offered them to the pool). */
export const speaksForExpert = (pr: Principal | null, x: { person_id: string; author_org_id: string | null }) =>
  !!pr && pr.viewer.vetted && (x.person_id === pr.person.id || (hasRole(pr, 'org_admin') && x.author_org_id === pr.organisation.id));

// ---------- reading, for the offers and experts features ----------

function headlineOf(readerLanguages: readonly string[], r: StaffRow) {
  return showFor<'headline'>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { headline: r.headline } }, readerLanguages).fields.headline;
}

/** Per session of these offers (read through visibleOffers), the staff the reader may see. */
export async function staffBySession(p: Platform, actor: Actor, offerIds: readonly string[]) {
  const rows = await staffOf(p.db, viewerOf(actor), offerIds);
  const out = new Map<string, { expertId: string; name: string; headline: string; role: StaffRole; status: StaffStatus }[]>();
  for (const r of rows)
    out.set(r.session_id, [...(out.get(r.session_id) ?? []), { expertId: r.expert_id, name: r.person_name, headline: headlineOf(actor.readerLanguages, r), role: r.role as StaffRole, status: r.status as StaffStatus }]);
  return out;
}

function expertSessionView(actor: Actor, r: ExpertSessionRow) {
  return {
    offerId: r.offer_id,
    offerSlug: r.slug,
    offerTitle: showFor<'title'>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title } }, actor.readerLanguages).fields.title,
    provider: { id: r.author_org_id!, name: r.org_name },
    sessionId: r.session_id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    timeZone: r.time_zone,
    place: r.place,
    country: r.country,
    online: r.online,
    role: r.role as StaffRole,
    status: r.status as StaffStatus,
  };
}
export type ExpertSessionView = ReturnType<typeof expertSessionView>;

/**
 * The expert's sessions not yet over whose offer the reader may see: confirmed ones for every
 * reader of the profile; proposals waiting for an answer for those who answer them.
 */
export async function sessionsForExpert(p: Platform, actor: Actor, x: { id: string; person_id: string; author_org_id: string | null }) {
  const answers = speaksForExpert(actor.principal, x);
  const rows = await sessionsOfExpert(p.db, viewerOf(actor), x.id, answers ? ['confirmed', 'proposed'] : ['confirmed']);
  return {
    upcomingSessions: rows.filter((r) => r.status === 'confirmed').map((r) => expertSessionView(actor, r)),
    staffProposals: rows.filter((r) => r.status === 'proposed').map((r) => expertSessionView(actor, r)),
    canAnswer: answers,
  };
}
