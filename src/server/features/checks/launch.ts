import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { newId, randomToken } from '../../platform/ids.js';
import type { Viewer } from '../../platform/access/policy.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { canSeeField, fieldMarking, type Kind } from '../contacts/service.js';
import type { ContactRow } from '../contacts/repository.js';
import { visibleTargets } from './repository.js';
import { buildMail, hashToken, languageOf } from './mail.js';
import { getCheck } from './results.js';
import './tables.js';
import '../contacts/tables.js';

export interface CheckFilters {
  kinds?: Kind[];
  countries?: string[];
  region?: 'EU' | 'LAC';
  organisations?: string[];
  communityId?: string;
}

export interface LaunchInput {
  title: string;
  message?: string;
  deadline: string;
  filters: CheckFilters;
  /** Hours after launch; each must fall before the deadline. */
  reminderHours?: number[];
  /** Shares of the time to the deadline (1–99 %), used when reminderHours is absent; default 50 and 80. */
  reminderPercents?: number[];
}

// ---------- who may launch and see ----------

async function communityAdminOf(db: Kysely<DB>, personId: string, communityId: string) {
  const r = await db.selectFrom('community_people').select('is_admin').where('community_id', '=', communityId).where('person_id', '=', personId).executeTakeFirst();
  return !!r?.is_admin;
}

async function checkFilters(db: Kysely<DB>, pr: Principal, f: CheckFilters) {
  if (f.communityId) {
    const c = await db.selectFrom('communities').select('id').where('id', '=', f.communityId).executeTakeFirst();
    if (!c) throw new AppError('VALIDATION_FAILED', 'Unknown community', { field: 'filters.communityId' });
  }
  if (hasRole(pr, 'secretariat')) return;
  if (!f.communityId || !(await communityAdminOf(db, pr.person.id, f.communityId)))
    throw forbidden('Communication checks are launched by the secretariat, or by a community admin for the contacts of their community');
}

/**
 * The targets the launcher may reach, and how many of the matching entries they may see were
 * left out, by reason. Entries they may not see are not counted: no answer counts hidden records.
 */
async function resolveTargets(db: Kysely<DB>, viewer: Viewer, f: CheckFilters) {
  const rows = await visibleTargets(db, viewer, f);
  const excluded = { emailWithheld: 0, noEmail: 0 };
  const targets: ContactRow[] = [];
  for (const r of rows) {
    if (!canSeeField(viewer, r, 'emails')) excluded.emailWithheld++;
    else if (!r.emails.length) excluded.noEmail++;
    else targets.push(r);
  }
  targets.sort((a, b) => a.country_code.localeCompare(b.country_code) || a.full_name.localeCompare(b.full_name));
  return { targets, excluded };
}

export async function previewCheck(p: Platform, actor: Actor, f: CheckFilters) {
  const pr = requireVetted(actor);
  await checkFilters(p.db, pr, f);
  const { targets, excluded } = await resolveTargets(p.db, pr.viewer, f);
  return { targets: targets.length, excluded, sample: targets.slice(0, 20).map((r) => ({ id: r.id, fullName: r.full_name, country: r.country_code, organisation: r.org_name })) };
}

function reminderTimes(now: Date, deadline: Date, b: LaunchInput): Date[] {
  const span = deadline.getTime() - now.getTime();
  const times = b.reminderHours
    ? b.reminderHours.map((h) => {
        const at = new Date(now.getTime() + h * 3_600_000);
        if (at >= deadline) throw new AppError('VALIDATION_FAILED', 'Every reminder must fall before the deadline', { field: 'reminderHours' });
        return at;
      })
    : (b.reminderPercents ?? [50, 80]).map((pc) => new Date(now.getTime() + Math.round((span * pc) / 100)));
  return [...new Set(times.map((d) => d.getTime()))].sort((a, c) => a - c).map((x) => new Date(x));
}

export async function launchCheck(p: Platform, actor: Actor, b: LaunchInput) {
  const pr = requireVetted(actor);
  const deadline = new Date(b.deadline);
  const now = new Date();
  if (Number.isNaN(deadline.getTime()) || deadline.getTime() <= now.getTime() + 60_000)
    throw new AppError('VALIDATION_FAILED', 'The deadline must be in the future', { field: 'deadline' });
  await checkFilters(p.db, pr, b.filters);
  const reminders = reminderTimes(now, deadline, b);
  const { targets, excluded } = await resolveTargets(p.db, pr.viewer, b.filters);
  if (!targets.length) throw new AppError('VALIDATION_FAILED', 'No contact you may reach matches the filters', { field: 'filters', excluded });

  const id = newId();
  const title = b.title.trim();
  const message = (b.message ?? '').trim();
  // Tokens and (possibly encrypted) mails are made before the transaction: encryption is slow.
  const prepared = await Promise.all(
    targets.map(async (r) => {
      const token = randomToken(32);
      const lang = languageOf(r.languages);
      const key = r.pgp_key && canSeeField(pr.viewer, r, 'openpgpKey') ? r.pgp_key : null;
      const { mail, encrypted } = await buildMail(p.config.baseUrl, 'communication_check', { to: r.emails[0], marking: fieldMarking(r, 'emails'), lang, key, name: r.full_name, title, message, deadline, token });
      return { r, token, lang, mail, encrypted };
    }),
  );
  await change(p, async (c) => {
    await c.trx
      .insertInto('communication_checks')
      .values({
        id,
        title,
        message,
        launched_by: pr.person.id,
        launched_by_org: pr.organisation.id,
        community_id: hasRole(pr, 'secretariat') ? null : (b.filters.communityId ?? null),
        filters: JSON.stringify(b.filters),
        deadline,
        reminder_at: reminders,
        excluded: JSON.stringify(excluded),
        created_at: now,
      })
      .execute();
    // Multi-row inserts: a check may reach thousands of contacts.
    const rows = prepared.map((x) => ({
      check_id: id,
      contact_id: x.r.id,
      organisation_id: x.r.organisation_id,
      country_code: x.r.country_code,
      email: x.r.emails[0],
      language: x.lang,
      token_hash: hashToken(x.token),
      token_sealed: p.box.seal(x.token),
      encrypted: x.encrypted,
    }));
    for (let i = 0; i < rows.length; i += 500) await c.trx.insertInto('communication_check_targets').values(rows.slice(i, i + 500)).execute();
    await c.mails(prepared.map((x) => x.mail));
    for (const x of prepared) {
      if (x.r.person_id)
        await c.event({
          type: 'communication_check.requested',
          subjectType: 'communication_check',
          subjectId: id,
          payload: { checkId: id, contactId: x.r.id, title, deadline: deadline.toISOString() },
          marking: { tlp: 'RED', authorId: pr.person.id, authorOrgId: pr.organisation.id, audience: { organisations: [], communities: [], people: [x.r.person_id] } },
        });
    }
    await c.audit({ action: 'communication_check.launched', ...auditActor(actor), targetType: 'communication_check', targetId: id, details: { targets: targets.length, excluded, filters: b.filters } });
  });
  return getCheck(p, actor, id);
}
