import { sql, type Kysely } from 'kysely';
import * as openpgp from 'openpgp';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { appendAudit } from '../../platform/audit.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { isUiLanguage, t, type UiLanguage } from '../../platform/i18n.js';
import { canSee, markingOf, type Marking, type Viewer } from '../../platform/access/policy.js';
import { hasRole, loadPrincipalParts, requirePrincipal, requireVetted, type Principal } from '../../platform/auth/principal.js';
import type { Mailer, OutgoingMail } from '../../platform/mail.js';
import type { SecretBox } from '../../platform/secrets.js';
import { canSeeField, COUNTRY_KINDS, fieldMarking, ORGANISATION_KINDS, type Kind } from '../contacts/service.js';
import { visibleContacts, type ContactRow } from '../contacts/repository.js';
import { checksWithVisibleCounts, pendingChecksOfPerson, targetByTokenHash, targetOfCheck, unacknowledgedTargets, unansweredContacts, visibleTargets } from './repository.js';
import { summarise, type Summary } from './stats.js';
import { csvCell } from '../../platform/csv.js';
import './tables.js';
import '../contacts/tables.js';

export const REMINDERS_JOB = 'checks.reminders';
export const CLOSE_JOB = 'checks.close';

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

export const hashToken = (token: string) => sha256(token);

/** The contact's first UI language among its languages, else English. */
export function languageOf(languages: string[]): UiLanguage {
  return (languages.find((l) => isUiLanguage(l)) as UiLanguage | undefined) ?? 'en';
}

const ackLink = (baseUrl: string, token: string) => `${baseUrl.replace(/\/$/, '')}/ack?token=${encodeURIComponent(token)}`;

/** Encrypt a text to an armoured OpenPGP public key (inline armoured body). Null when the key cannot encrypt. */
export async function encryptTo(armoredKey: string, text: string): Promise<string | null> {
  try {
    const key = await openpgp.readKey({ armoredKey });
    const message = await openpgp.createMessage({ text });
    return (await openpgp.encrypt({ message, encryptionKeys: key, format: 'armored' })) as string;
  } catch {
    return null;
  }
}

interface TargetMail {
  to: string;
  /** The marking of the contact's address (never wider than the entry): the mail names the contact and goes to that address. */
  marking: Marking;
  lang: UiLanguage;
  key: string | null;
  name: string;
  title: string;
  message: string;
  deadline: Date;
  token: string;
}

/**
 * The mail for one target. With a usable key the whole body (message and link)
 * is an inline armoured OpenPGP message and the subject names no title.
 */
async function buildMail(baseUrl: string, kind: 'communication_check' | 'communication_check_reminder', m: TargetMail): Promise<{ mail: OutgoingMail; encrypted: boolean }> {
  const vars = { name: m.name, title: m.title, message: m.message, deadline: m.deadline.toISOString().replace('T', ' ').slice(0, 16) + ' UTC', link: ackLink(baseUrl, m.token) };
  const text = t(m.lang, `mail.${kind}.body`, vars);
  // The acknowledgement link is a personal credential, valid until the check closes.
  const content = { marking: m.marking, credentialUntil: m.deadline };
  if (m.key) {
    const armored = await encryptTo(m.key, text);
    if (armored) return { mail: { to: m.to, subject: t(m.lang, `mail.${kind}.subject_encrypted`, vars), text: armored, purpose: kind, content }, encrypted: true };
  }
  return { mail: { to: m.to, subject: t(m.lang, `mail.${kind}.subject`, vars), text, purpose: kind, content }, encrypted: false };
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

// ---------- acknowledgement ----------

async function targetByToken(db: Kysely<DB>, token: string) {
  return targetByTokenHash(db, hashToken(token));
}

const isClosed = (ch: { status: string; deadline: Date }, now = new Date()) => ch.status === 'closed' || ch.deadline.getTime() <= now.getTime();

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

// ---------- results ----------

type Scope = 'all' | { organisationId: string };

async function loadCheck(p: Platform, pr: Principal, id: string) {
  const ch = await p.db.selectFrom('communication_checks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!ch) throw notFound('Communication check');
  let scope: Scope | null = null;
  if (ch.launched_by === pr.person.id || hasRole(pr, 'secretariat')) scope = 'all';
  else if (hasRole(pr, 'org_admin')) {
    const own = await p.db.selectFrom('communication_check_targets').select('contact_id').where('check_id', '=', id).where('organisation_id', '=', pr.organisation.id).executeTakeFirst();
    if (own) scope = { organisationId: pr.organisation.id };
  }
  if (!scope) throw notFound('Communication check');
  return { ch, scope };
}

const secondsBetween = (a: Date, b: Date | null) => (b ? Math.round((b.getTime() - a.getTime()) / 1000) : null);

export async function checkResults(p: Platform, pr: Principal, id: string) {
  const { ch, scope } = await loadCheck(p, pr, id);
  let q = p.db
    .selectFrom('communication_check_targets as t')
    .innerJoin('countries as k', 'k.code', 't.country_code')
    .select(['t.contact_id', 't.country_code', 'k.name as country_name', 't.acknowledged_at', 't.channel', 't.encrypted', 't.reminders_sent', 't.organisation_id'])
    .where('t.check_id', '=', id);
  if (scope !== 'all') q = q.where('t.organisation_id', '=', scope.organisationId);
  const all = await q.orderBy('t.country_code').execute();
  // Only the targets this viewer may see now, in the rows and in every figure: the secretariat
  // reading a community's check, or a launcher after an entry was narrowed, counts nothing hidden.
  const visible = new Map<string, ContactRow>();
  if (all.length) for (const r of await visibleContacts(p.db, pr.viewer).where('c.id', 'in', all.map((t) => t.contact_id)).execute()) visible.set(r.id, r);
  const targets = all.filter((t) => visible.has(t.contact_id));
  const ids = targets.map((t) => t.contact_id);
  const flagged = new Set(ids.length ? (await p.db.selectFrom('contact_check_flags').select('contact_id').where('contact_id', 'in', ids).execute()).map((f) => f.contact_id) : []);
  const contacts = targets.map((t) => {
    const r = visible.get(t.contact_id);
    return {
      contactId: r ? t.contact_id : null,
      fullName: r ? r.full_name : null,
      organisation: r ? r.org_name : null,
      email: r && canSeeField(pr.viewer, r, 'emails') ? (r.emails[0] ?? null) : null,
      country: t.country_code,
      countryName: t.country_name,
      acknowledged: t.acknowledged_at !== null,
      acknowledgedAt: t.acknowledged_at?.toISOString() ?? null,
      channel: (t.channel as 'link' | 'in_app' | null) ?? null,
      secondsToAcknowledge: secondsBetween(ch.created_at, t.acknowledged_at),
      encrypted: t.encrypted,
      remindersSent: t.reminders_sent,
      flagged: r ? flagged.has(t.contact_id) : false,
    };
  });
  const overall: Summary = summarise(contacts.map((c) => ({ seconds: c.secondsToAcknowledge })));
  const byCountry = new Map<string, { country: string; countryName: string; rows: { seconds: number | null }[] }>();
  for (const c of contacts) {
    const e = byCountry.get(c.country) ?? { country: c.country, countryName: c.countryName, rows: [] };
    e.rows.push({ seconds: c.secondsToAcknowledge });
    byCountry.set(c.country, e);
  }
  // Checks launched before issue 9 also stored notVisible: it is never read back.
  const ex = ((typeof ch.excluded === 'string' ? JSON.parse(ch.excluded) : ch.excluded) ?? {}) as Partial<Record<'emailWithheld' | 'noEmail', number>>;
  const excluded = { emailWithheld: ex.emailWithheld ?? 0, noEmail: ex.noEmail ?? 0 };
  return {
    id: ch.id,
    title: ch.title,
    message: ch.message,
    status: (isClosed(ch) ? 'closed' : 'open') as 'open' | 'closed',
    createdAt: ch.created_at.toISOString(),
    deadline: ch.deadline.toISOString(),
    closedAt: ch.closed_at?.toISOString() ?? null,
    reminderAt: ch.reminder_at.map((d) => new Date(d).toISOString()),
    remindersSent: ch.reminders_sent,
    filters: (typeof ch.filters === 'string' ? JSON.parse(ch.filters) : ch.filters) as CheckFilters,
    launchedByMe: ch.launched_by === pr.person.id,
    scope: scope === 'all' ? ('all' as const) : ('organisation' as const),
    // Counted from the launcher's view at launch: theirs alone.
    excluded: ch.launched_by === pr.person.id ? excluded : null,
    overall,
    byCountry: [...byCountry.values()].map((e) => ({ country: e.country, countryName: e.countryName, ...summarise(e.rows) })),
    contacts,
  };
}

export async function getCheck(p: Platform, actor: Actor, id: string) {
  return checkResults(p, requireVetted(actor), id);
}

export async function listChecks(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  // Counted among the targets this viewer may see, like the report.
  let q = checksWithVisibleCounts(p.db, pr.viewer);
  if (!hasRole(pr, 'secretariat'))
    q = q.where((eb) =>
      eb.or([
        eb('ch.launched_by', '=', pr.person.id),
        ...(hasRole(pr, 'org_admin')
          ? [eb.exists(eb.selectFrom('communication_check_targets as t2').select('t2.contact_id').whereRef('t2.check_id', '=', 'ch.id').where('t2.organisation_id', '=', pr.organisation.id))]
          : []),
      ]),
    );
  const rows = await q.orderBy('ch.created_at', 'desc').limit(200).execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      deadline: r.deadline.toISOString(),
      status: (isClosed(r) ? 'closed' : 'open') as 'open' | 'closed',
      createdAt: r.created_at.toISOString(),
      targets: Number(r.targets ?? 0),
      acknowledged: Number(r.acknowledged ?? 0),
    })),
    canLaunch: hasRole(pr, 'secretariat') || (await p.db.selectFrom('community_people').select('community_id').where('person_id', '=', pr.person.id).where('is_admin', '=', true).executeTakeFirst()) !== undefined,
  };
}

/** The last checks of one contact, for those who may see their results. */
export async function contactHistory(p: Platform, actor: Actor, contactId: string, limit: number) {
  const pr = requireVetted(actor);
  const row = await visibleContacts(p.db, pr.viewer).where('c.id', '=', contactId).executeTakeFirst();
  if (!row) throw notFound('Contact');
  let q = p.db
    .selectFrom('communication_check_targets as t')
    .innerJoin('communication_checks as ch', 'ch.id', 't.check_id')
    .select(['ch.id', 'ch.title', 'ch.deadline', 'ch.status', 'ch.created_at', 't.acknowledged_at', 't.channel'])
    .where('t.contact_id', '=', contactId);
  const own = hasRole(pr, 'secretariat') || (hasRole(pr, 'org_admin') && row.organisation_id === pr.organisation.id) || row.person_id === pr.person.id;
  if (!own) q = q.where('ch.launched_by', '=', pr.person.id);
  const rows = await q.orderBy('ch.created_at', 'desc').limit(limit).execute();
  const flag = own ? await p.db.selectFrom('contact_check_flags').select('flagged_at').where('contact_id', '=', contactId).executeTakeFirst() : undefined;
  return {
    flagged: !!flag,
    flaggedAt: flag?.flagged_at.toISOString() ?? null,
    items: rows.map((r) => ({
      checkId: r.id,
      title: r.title,
      createdAt: r.created_at.toISOString(),
      deadline: r.deadline.toISOString(),
      status: (isClosed(r) ? 'closed' : 'open') as 'open' | 'closed',
      acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
      channel: (r.channel as 'link' | 'in_app' | null) ?? null,
    })),
  };
}

export async function resultsCsv(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await checkResults(p, pr, id);
  const head = ['contact', 'organisation', 'email', 'country', 'acknowledged', 'acknowledged_at', 'channel', 'seconds_to_acknowledge', 'encrypted', 'flagged'];
  const lines = [head.map(csvCell).join(',')];
  for (const c of r.contacts)
    lines.push([c.fullName ?? '(not shared with you)', c.organisation, c.email, c.country, c.acknowledged ? 'yes' : 'no', c.acknowledgedAt, c.channel, c.secondsToAcknowledge, c.encrypted ? 'yes' : 'no', c.flagged ? 'yes' : 'no'].map(csvCell).join(','));
  await change(p, (c) => c.audit({ action: 'communication_check.exported', ...auditActor(actor), targetType: 'communication_check', targetId: id, details: { format: 'csv', rows: r.contacts.length } }));
  return { filename: `communication-check-${id}.csv`, body: `${lines.join('\r\n')}\r\n` };
}


export async function resultsPdf(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await checkResults(p, pr, id);
  // pdfkit and its fonts load when the first report is asked for, not with every instance.
  const { renderReportPdf } = await import('./pdf.js');
  const body = await renderReportPdf(r);
  await change(p, (c) => c.audit({ action: 'communication_check.exported', ...auditActor(actor), targetType: 'communication_check', targetId: id, details: { format: 'pdf', rows: r.contacts.length } }));
  return { filename: `communication-check-${id}.pdf`, body };
}

export type CheckReport = Awaited<ReturnType<typeof checkResults>>;

// ---------- jobs ----------

export interface JobDeps {
  db: Kysely<DB>;
  mailer: Mailer;
  baseUrl: string;
  box: SecretBox;
}

/** Send the reminders that are due, to targets that have not acknowledged. Returns the number of mails queued. */
export async function sendDueReminders(d: JobDeps, now = new Date()): Promise<number> {
  const open = await d.db.selectFrom('communication_checks').selectAll().where('status', '=', 'open').where('deadline', '>', now).execute();
  let queued = 0;
  for (const ch of open) {
    const due = ch.reminder_at.filter((x) => new Date(x).getTime() <= now.getTime()).length;
    if (due <= ch.reminders_sent) continue;
    const targets = await unacknowledgedTargets(d.db, ch.id);
    const mails: { contactId: string; mail: OutgoingMail }[] = [];
    for (const tg of targets) {
      const token = d.box.open(tg.token_sealed);
      // The same treatment as the first mail: encrypted if it was.
      const { mail } = await buildMail(d.baseUrl, 'communication_check_reminder', {
        to: tg.email,
        marking: fieldMarking(tg, 'emails'),
        lang: isUiLanguage(tg.language) ? tg.language : 'en',
        key: tg.encrypted ? tg.pgp_key : null,
        name: tg.full_name,
        title: ch.title,
        message: ch.message,
        deadline: ch.deadline,
        token,
      });
      mails.push({ contactId: tg.contact_id, mail });
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      const claimed = await trx.updateTable('communication_checks').set({ reminders_sent: due }).where('id', '=', ch.id).where('reminders_sent', '=', ch.reminders_sent).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return; // another worker sent it
      for (const m of mails) {
        ids.push(await d.mailer.queue(trx, m.mail));
        await trx.updateTable('communication_check_targets').set((eb) => ({ reminders_sent: eb('reminders_sent', '+', 1) })).where('check_id', '=', ch.id).where('contact_id', '=', m.contactId).execute();
      }
      await appendAudit(trx, { action: 'communication_check.reminders_sent', targetType: 'communication_check', targetId: ch.id, details: { recipients: mails.length, reminder: due } });
    });
    if (ids.length) await d.mailer.flush(ids);
    queued += ids.length;
  }
  return queued;
}

/** Owners of a contact entry: the country's focal points for country kinds, the organisation's admins for the others. */
async function ownersOf(db: Kysely<DB>, c: { kinds: string[]; country_code: string; organisation_id: string }) {
  const owners = new Set<string>();
  if (c.kinds.some((k) => (COUNTRY_KINDS as readonly string[]).includes(k)))
    (await db.selectFrom('country_focal_points').select('person_id').where('country_code', '=', c.country_code).execute()).forEach((f) => owners.add(f.person_id));
  if (c.kinds.some((k) => (ORGANISATION_KINDS as readonly string[]).includes(k)))
    (
      await db
        .selectFrom('people')
        .select('id')
        .where('organisation_id', '=', c.organisation_id)
        .where('status', '=', 'active')
        .where(sql<boolean>`roles @> ARRAY['org_admin']::text[]`)
        .execute()
    ).forEach((a) => owners.add(a.id));
  return owners;
}

/**
 * Close the checks whose deadline has passed. A contact that has now failed two
 * checks in a row (this one and its previous closed one) is flagged and its
 * owners are told by e-mail. Returns the ids of the checks closed.
 */
export async function closeDueChecks(d: JobDeps, now = new Date()): Promise<string[]> {
  const due = await d.db.selectFrom('communication_checks').select(['id', 'title', 'deadline', 'created_at']).where('status', '=', 'open').where('deadline', '<=', now).execute();
  const closed: string[] = [];
  for (const ch of due) {
    const misses = await unansweredContacts(d.db, ch.id);
    const toFlag: typeof misses = [];
    for (const c of misses) {
      const prev = await d.db
        .selectFrom('communication_check_targets as t')
        .innerJoin('communication_checks as x', 'x.id', 't.check_id')
        .select(['t.acknowledged_at'])
        .where('t.contact_id', '=', c.id)
        .where('x.id', '<>', ch.id)
        .where('x.status', '=', 'closed')
        .where('x.created_at', '<', ch.created_at)
        .orderBy('x.created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (prev && prev.acknowledged_at === null) toFlag.push(c);
    }
    const mails: OutgoingMail[] = [];
    for (const c of toFlag) {
      for (const ownerId of await ownersOf(d.db, c)) {
        const parts = await loadPrincipalParts(d.db, ownerId);
        if (!parts || !parts.viewer.vetted) continue;
        const lang = isUiLanguage(parts.person.uiLanguage) ? parts.person.uiLanguage : 'en';
        const named = canSee(parts.viewer, markingOf(c));
        const contact = named ? c.full_name : t(lang, 'mail.contact_reminder.unnamed');
        mails.push({
          content: { marking: named ? markingOf(c) : null },
          to: parts.person.email,
          subject: t(lang, 'mail.communication_check_flag.subject', { contact }),
          text: t(lang, 'mail.communication_check_flag.body', { name: parts.person.name, contact, link: `${d.baseUrl.replace(/\/$/, '')}/contacts/${c.id}` }),
          purpose: 'communication_check_flag',
        });
      }
    }
    const ids: string[] = [];
    await d.db.transaction().execute(async (trx) => {
      const done = await trx.updateTable('communication_checks').set({ status: 'closed', closed_at: now }).where('id', '=', ch.id).where('status', '=', 'open').executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) return;
      for (const c of toFlag) {
        const ins = await trx.insertInto('contact_check_flags').values({ contact_id: c.id, check_id: ch.id, flagged_at: now }).onConflict((oc) => oc.doNothing()).returning('contact_id').executeTakeFirst();
        if (ins) await appendAudit(trx, { action: 'communication_check.contact_flagged', organisationId: c.organisation_id, targetType: 'contact', targetId: c.id, details: { checkId: ch.id } });
      }
      for (const m of mails) ids.push(await d.mailer.queue(trx, m));
      await appendAudit(trx, { action: 'communication_check.closed', targetType: 'communication_check', targetId: ch.id, details: { unanswered: misses.length, flagged: toFlag.length } });
      closed.push(ch.id);
    });
    if (ids.length) await d.mailer.flush(ids);
  }
  return closed;
}
