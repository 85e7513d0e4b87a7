import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { UiLanguage } from '../../platform/i18n.js';
import { requirePrincipal } from '../../platform/auth/principal.js';
import { pendingChecksOfPerson, targetByTokenHash, targetOfCheck } from './repository.js';
import { hashToken } from './mail.js';
import { isClosed } from './results.js';
import './tables.js';
import '../contacts/tables.js';

// ---------- acknowledgement ----------

async function targetByToken(db: Kysely<DB>, token: string) {
  return targetByTokenHash(db, hashToken(token));
}

export async function ackInfo(p: Platform, token: string) {
  const tg = await targetByToken(p.db, token);
  if (!tg) throw notFound('Acknowledgement link');
  return {
    title: tg.title,
    message: tg.message,
    contactName: tg.full_name,
    deadline: tg.deadline.toISOString(),
    language: tg.language as UiLanguage,
    closed: isClosed(tg),
    acknowledgedAt: tg.acknowledged_at?.toISOString() ?? null,
  };
}

async function acknowledge(p: Platform, actor: Actor, tg: { check_id: string; contact_id: string; organisation_id: string; acknowledged_at: Date | null; status: string; deadline: Date }, channel: 'link' | 'in_app') {
  if (tg.acknowledged_at) return tg.acknowledged_at; // idempotent
  if (isClosed(tg)) throw new AppError('GONE', 'This communication check is closed');
  const at = new Date();
  return change(p, async (c) => {
    const done = await c.trx
      .updateTable('communication_check_targets')
      .set({ acknowledged_at: at, channel })
      .where('check_id', '=', tg.check_id)
      .where('contact_id', '=', tg.contact_id)
      .where('acknowledged_at', 'is', null)
      .returning('acknowledged_at')
      .executeTakeFirst();
    if (!done) {
      const r = await c.trx.selectFrom('communication_check_targets').select('acknowledged_at').where('check_id', '=', tg.check_id).where('contact_id', '=', tg.contact_id).executeTakeFirstOrThrow();
      return r.acknowledged_at ?? at;
    }
    // An answer clears a flag from earlier failures.
    await c.trx.deleteFrom('contact_check_flags').where('contact_id', '=', tg.contact_id).execute();
    await c.audit({ action: 'communication_check.acknowledged', ...auditActor(actor), organisationId: tg.organisation_id, targetType: 'communication_check', targetId: tg.check_id, details: { contactId: tg.contact_id, channel } });
    return at;
  });
}

export async function ackByToken(p: Platform, actor: Actor, token: string) {
  const tg = await targetByToken(p.db, token);
  if (!tg) throw notFound('Acknowledgement link');
  const at = await acknowledge(p, actor, tg, 'link');
  return { acknowledgedAt: at.toISOString() };
}

/** In-app acknowledgement by the person linked to the contact. */
export async function ackInApp(p: Platform, actor: Actor, checkId: string, contactId: string) {
  const pr = requirePrincipal(actor);
  const tg = await targetOfCheck(p.db, checkId, contactId);
  if (!tg || tg.person_id !== pr.person.id) throw notFound('Communication check');
  const at = await acknowledge(p, actor, tg, 'in_app');
  return { acknowledgedAt: at.toISOString() };
}

/** Checks waiting for an answer from the signed-in person (as a linked contact). */
export async function myPendingChecks(p: Platform, actor: Actor) {
  const pr = requirePrincipal(actor);
  const rows = await pendingChecksOfPerson(p.db, pr.person.id);
  return { items: rows.map((r) => ({ checkId: r.id, title: r.title, deadline: r.deadline.toISOString(), contactId: r.contact_id, contactName: r.full_name })) };
}
