import type { Platform } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { hasRole, type Principal } from '../../platform/auth/principal.js';
import { likeLiteral } from '../../platform/sql.js';

/**
 * One page of the audit log, newest first: everything for the secretariat, the entries
 * about or by their own organisation for organisation admins. One row more than the
 * limit is read, so that the caller knows whether another page follows.
 */
export interface AuditQuery {
  before?: number;
  limit: number;
  /** One action code, or a family: "organisation." matches every organisation action. */
  action?: string;
  /** Entries by this person. */
  actor?: string;
  /** Entries about this organisation or by one of its people. */
  organisation?: string;
  /** Entries at or after this moment. */
  since?: string;
  /** Entries at or before this moment. */
  until?: string;
}

export async function auditPage(p: Platform, pr: Principal, query: AuditQuery) {
  let q = p.db.selectFrom('audit_log as l').leftJoin('people as a', 'a.id', 'l.actor_id').selectAll('l').select('a.name as actor_name');
  if (!hasRole(pr, 'secretariat')) {
    if (!hasRole(pr, 'org_admin')) throw forbidden('The audit log is for organisation admins and the secretariat');
    const org = pr.organisation.id;
    q = q.where((eb) => eb.or([eb('l.organisation_id', '=', org), eb('l.actor_org_id', '=', org)]));
  }
  if (query.before) q = q.where('l.seq', '<', String(query.before));
  if (query.action) q = query.action.endsWith('.') ? q.where('l.action', 'like', `${likeLiteral(query.action)}%`) : q.where('l.action', '=', query.action);
  if (query.actor) q = q.where('l.actor_id', '=', query.actor);
  if (query.organisation) {
    const org = query.organisation;
    q = q.where((eb) => eb.or([eb('l.organisation_id', '=', org), eb('l.actor_org_id', '=', org)]));
  }
  if (query.since) q = q.where('l.at', '>=', new Date(query.since));
  if (query.until) q = q.where('l.at', '<=', new Date(query.until));
  return q.orderBy('l.seq', 'desc').limit(query.limit + 1).execute();
}
