import { asActor, offerAbilities } from '../../platform/access/abilities.js';
import { ANONYMOUS, markingOf } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { loadPrincipalParts, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { newId } from '../../platform/ids.js';
import { renderMail } from '../../platform/mail.js';
import { showFor } from '../../platform/translations.js';
import { insertMission, visibleExpert, type ExpertRow } from '../experts/repository.js';
import { visibleOffer, type OfferRow } from '../offers/repository.js';
import { getOffer } from '../offers/service.js';
import { wallTime } from '../offers/zones.js';
import {
  answerStaffing,
  deleteStaffing,
  doubleBooked,
  insertStaffing,
  lockedStaffing,
  lockExpert,
  removeUnevaluatedMission,
  sessionOf,
} from './repository.js';
import { STAFF_ROLES, speaksForExpert, type StaffRole } from './views.js';

export { STAFF_ROLES, STAFF_STATUSES, type StaffRole, type StaffStatus } from './views.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
const linkOf = (p: Platform, path: string) => `${p.config.baseUrl.replace(/\/$/, '')}${path}`;

async function offerFor(p: Platform, actor: Actor, offerId: string, sessionId: string) {
  // Not visible and not there look the same, for the offer and for its session.
  const o = UUID.test(offerId) ? await visibleOffer(p.db, viewerOf(actor), offerId.toLowerCase(), true) : undefined;
  if (!o) throw notFound('Offer');
  const s = UUID.test(sessionId) ? await sessionOf(p.db, o.id, sessionId.toLowerCase()) : undefined;
  if (!s) throw notFound('Session');
  return { o, s };
}

async function expertFor(p: Platform, actor: Actor, expertId: string) {
  const x = UUID.test(expertId) ? await visibleExpert(p.db, viewerOf(actor), expertId.toLowerCase()) : undefined;
  if (!x) throw notFound('Expert');
  return x;
}

const editsOffer = (pr: Principal, o: OfferRow) => offerAbilities(asActor(pr), { authorId: o.author_id, authorOrgId: o.author_org_id, status: o.status }).edit;

/** Session news goes where the offers feature sends it (offers/service.ts announce): the offer's marking, no text of the staffing. */
async function announce(c: Change, o: OfferRow) {
  if (o.status === 'draft') return;
  await c.event({ type: 'offer.updated', subjectType: 'offer', subjectId: o.id, payload: { title: o.title, type: o.type, status: o.status }, marking: markingOf(o), pap: o.pap });
}

const doubleBookedError = () => new AppError('EXPERT_DOUBLE_BOOKED', 'The expert is confirmed on another session at an overlapping time');

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/**
 * An editor of the offer proposes an expert of the pool for one of its sessions. The expert must
 * be vetted and visible to the proposer (otherwise 404, as if there were none); they hear of it
 * by mail if they may read the offer.
 */
export async function proposeStaff(p: Platform, actor: Actor, offerId: string, sessionId: string, i: { expertId: string; role: StaffRole }) {
  const pr = requireVetted(actor);
  const { o, s } = await offerFor(p, actor, offerId, sessionId);
  if (!editsOffer(pr, o)) throw forbidden("Only the offer's author and its organisation admins staff its sessions");
  if (!(STAFF_ROLES as readonly string[]).includes(i.role)) throw new AppError('VALIDATION_FAILED', `"${i.role}" is not a role (${STAFF_ROLES.join(', ')})`, { field: 'role' });
  const x = await expertFor(p, actor, i.expertId);
  if (x.status !== 'vetted') throw notFound('Expert');
  if (s.cancelled_at) throw invalidState('The session is cancelled');
  if (s.ends_at <= new Date()) throw invalidState('The session is over');
  const id = newId();
  try {
    await change(p, async (c) => {
      await lockExpert(c.trx, x.id);
      if (await lockedStaffing(c.trx, s.id, x.id)) throw new AppError('ALREADY_EXISTS', 'This expert is proposed for this session already');
      if (await doubleBooked(c.trx, x.id, s.id, s.starts_at, s.ends_at)) throw doubleBookedError();
      await insertStaffing(c.trx, { id, sessionId: s.id, offerId: o.id, expertId: x.id, role: i.role, proposedBy: pr.person.id });
      await c.audit({ action: 'offer.staff_proposed', ...auditActor(actor), organisationId: o.author_org_id, targetType: 'offer', targetId: o.id, details: { sessionId: s.id, expertId: x.id, role: i.role } });
      await mailExpert(p, c, o, s, x, i.role);
      await announce(c, o);
    });
  } catch (e) {
    // Two proposals of one expert at once: the unique (session, expert) lets one through.
    if (isUniqueViolation(e)) throw new AppError('ALREADY_EXISTS', 'This expert is proposed for this session already');
    throw e;
  }
  return getOffer(p, actor, o.id);
}

function whenText(lang: string, s: { starts_at: Date; ends_at: Date; time_zone: string }) {
  const f = new Intl.DateTimeFormat(lang, { timeZone: s.time_zone, dateStyle: 'long', timeStyle: 'short' });
  return `${f.formatRange(s.starts_at, s.ends_at)} (${s.time_zone})`;
}

/** The proposal's mail, only if the expert may read the offer (through the offers' policy, as they are now), in their language. */
async function mailExpert(p: Platform, c: Change, o: OfferRow, s: { starts_at: Date; ends_at: Date; time_zone: string; place: string; online: boolean }, x: ExpertRow, role: StaffRole) {
  const parts = await loadPrincipalParts(c.trx, x.person_id);
  if (!parts || !parts.viewer.vetted || parts.person.status !== 'active') return;
  const seen = await visibleOffer(c.trx, parts.viewer, o.id, true);
  if (!seen) return;
  const lang: UiLanguage = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
  const title = showFor<'title'>({ language: seen.language, source_rev: seen.source_rev, translations: seen.translations, source: { title: seen.title } }, [lang, ...parts.person.languages]).fields.title;
  const m = renderMail(lang, 'staff_proposed', {
    name: parts.person.name,
    offer: title,
    provider: seen.org_name,
    role: t(lang, `staffing.role.${role}`),
    when: whenText(lang, s),
    place: [s.place, s.online ? 'online' : ''].filter(Boolean).join(' · ') || '—',
    link: linkOf(p, `/experts/${x.id}`),
  });
  // The mail names the offer: it is marked as the offer is.
  await c.mail({ to: parts.person.email, ...m, purpose: 'staff_proposed', content: { marking: markingOf(seen) } });
}

/**
 * The expert (or an admin of their organisation) accepts or declines. Accepting writes the
 * mission on the expert's profile in the same transaction, unless the expert is confirmed
 * elsewhere at an overlapping time (409 EXPERT_DOUBLE_BOOKED, nothing written).
 */
export async function answerStaff(p: Platform, actor: Actor, offerId: string, sessionId: string, expertId: string, accept: boolean) {
  const pr = requireVetted(actor);
  const { o, s } = await offerFor(p, actor, offerId, sessionId);
  const x = await expertFor(p, actor, expertId);
  if (!speaksForExpert(pr, x)) throw forbidden('Only the expert, or an admin of their organisation, answers a proposal');
  await change(p, async (c) => {
    await lockExpert(c.trx, x.id);
    const st = await lockedStaffing(c.trx, s.id, x.id);
    if (!st) throw notFound('Proposal');
    if (st.status !== 'proposed') throw invalidState(`The proposal is ${st.status} already`);
    let missionId: string | null = null;
    if (accept) {
      if (x.status !== 'vetted') throw invalidState('Only an expert in the pool (vetted) is confirmed');
      if (s.cancelled_at) throw invalidState('The session is cancelled');
      if (await doubleBooked(c.trx, x.id, s.id, s.starts_at, s.ends_at)) throw doubleBookedError();
      missionId = newId();
      await insertMission(c.trx, missionId, x.id, pr.person.id, {
        title: o.title,
        country: s.country,
        startsOn: wallTime(s.starts_at, s.time_zone).slice(0, 10),
        endsOn: wallTime(s.ends_at, s.time_zone).slice(0, 10),
        offerId: o.id,
        requestId: null,
        // An organisation does not evaluate its own expert (missionEvaluationAllowed): no host then.
        hostOrgId: o.author_org_id !== x.author_org_id ? o.author_org_id : null,
      });
    }
    if ((await answerStaffing(c.trx, st.id, { status: accept ? 'confirmed' : 'declined', by: pr.person.id, missionId })) !== 1) throw invalidState('The proposal changed meanwhile: reload it');
    await c.audit({ action: 'offer.staff_answered', ...auditActor(actor), organisationId: o.author_org_id, targetType: 'offer', targetId: o.id, details: { sessionId: s.id, expertId: x.id, accept, ...(missionId ? { missionId } : {}) } });
    await announce(c, o);
  });
  return getOffer(p, actor, o.id);
}

/**
 * Take an expert off a session: an editor of the offer, or the expert (or their organisation's
 * admin) withdrawing. The mission written on confirmation goes too, unless it was evaluated.
 */
export async function removeStaff(p: Platform, actor: Actor, offerId: string, sessionId: string, expertId: string) {
  const pr = requireVetted(actor);
  const { o, s } = await offerFor(p, actor, offerId, sessionId);
  const x = await expertFor(p, actor, expertId);
  if (!editsOffer(pr, o) && !speaksForExpert(pr, x)) throw forbidden("Only the offer's editors, or the expert withdrawing, take an expert off a session");
  await change(p, async (c) => {
    const st = await lockedStaffing(c.trx, s.id, x.id);
    if (!st) throw notFound('Staffing');
    if (st.mission_id) await removeUnevaluatedMission(c.trx, st.mission_id);
    await deleteStaffing(c.trx, st.id);
    await c.audit({ action: 'offer.staff_removed', ...auditActor(actor), organisationId: o.author_org_id, targetType: 'offer', targetId: o.id, details: { sessionId: s.id, expertId: x.id, from: st.status } });
    await announce(c, o);
  });
  return getOffer(p, actor, o.id);
}
