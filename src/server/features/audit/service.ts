import type { Platform } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { hasRole, type Principal } from '../../platform/auth/principal.js';

/**
 * One page of the audit log, newest first: everything for the secretariat, the entries
 * about or by their own organisation for organisation admins. One row more than the
 * limit is read, so that the caller knows whether another page follows.
 */
export async function auditPage(p: Platform, pr: Principal, query: { before?: number; limit: number; action?: string }) {
  let q = p.db.selectFrom('audit_log as l').leftJoin('people as a', 'a.id', 'l.actor_id').selectAll('l').select('a.name as actor_name');
  if (!hasRole(pr, 'secretariat')) {
    if (!hasRole(pr, 'org_admin')) throw forbidden('The audit log is for organisation admins and the secretariat');
    const org = pr.organisation.id;
    q = q.where((eb) => eb.or([eb('l.organisation_id', '=', org), eb('l.actor_org_id', '=', org)]));
  }
  if (query.before) q = q.where('l.seq', '<', String(query.before));
  if (query.action) q = q.where('l.action', '=', query.action);
  return q.orderBy('l.seq', 'desc').limit(query.limit + 1).execute();
}
