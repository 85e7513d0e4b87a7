import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, invalidState, notFound } from '../../platform/errors.js';
import type { Tlp } from '../../platform/access/policy.js';
import { requireRole, requireVetted } from '../../platform/auth/principal.js';
import { visibleEntryStatus, visibleNominations } from './repository.js';
import type { Kind } from './service.js';

/**
 * A nomination waits for the secretariat, which has no bypass of the policy:
 * so a nominated entry is marked CLEAR or GREEN (sensitive fields can still be
 * narrowed one by one), and the queue and the decision go through the policy
 * like every other read.
 */
export function checkNominationMarking(status: string, tlp: string) {
  if (status === 'nominated' && tlp !== 'CLEAR' && tlp !== 'GREEN')
    throw new AppError(
      'INVALID_MARKING',
      'Diplomatic and crisis-management contacts are listed for every member (TLP:GREEN or CLEAR); narrow individual fields such as phones instead',
      { field: 'tlp' },
    );
}

export async function listNominations(p: Platform, actor: Actor) {
  const pr = requireRole(actor, 'secretariat');
  requireVetted(actor);
  const rows = await visibleNominations(p.db, pr.viewer);
  return {
    items: rows.map((r) => ({
      id: r.id,
      fullName: r.full_name,
      position: r.position,
      kinds: r.kinds as Kind[],
      country: r.country_code,
      organisation: { id: r.org_id, name: r.org_name },
      nominatedBy: r.nominator_id ? { id: r.nominator_id, name: r.nominator_name ?? '' } : null,
      nominatedAt: r.created_at.toISOString(),
      tlp: r.tlp as Tlp,
    })),
  };
}

export async function decideNomination(p: Platform, actor: Actor, id: string, decision: 'approve' | 'reject', reason?: string) {
  const pr = requireRole(actor, 'secretariat');
  requireVetted(actor);
  const n = await visibleEntryStatus(p.db, pr.viewer, id);
  if (!n) throw notFound('Contact');
  if (n.status !== 'nominated') throw invalidState(`The entry is ${n.status}, not a nomination`);
  if (decision === 'reject' && !reason?.trim()) throw new AppError('VALIDATION_FAILED', 'Give a reason for rejecting', { field: 'reason' });
  const status = decision === 'approve' ? 'active' : 'rejected';
  await change(p, async (c) => {
    const done = await c.trx
      .updateTable('contacts')
      .set({ status, status_reason: reason?.trim() || null, decided_by: pr.person.id, decided_at: new Date(), updated_at: new Date(), ...(status === 'active' && { last_confirmed_at: new Date() }) })
      .where('id', '=', id)
      .where('status', '=', 'nominated')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw invalidState('The nomination was decided meanwhile');
    await c.audit({ action: decision === 'approve' ? 'contact.approved' : 'contact.rejected', ...auditActor(actor), organisationId: n.organisation_id, targetType: 'contact', targetId: id, details: { reason: reason?.trim() || null } });
  });
  return { id, status };
}
