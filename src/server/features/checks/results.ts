import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { canSeeField } from '../contacts/service.js';
import { visibleContacts, type ContactRow } from '../contacts/repository.js';
import { checksWithVisibleCounts } from './repository.js';
import { summarise, type Summary } from './stats.js';
import { csvCell } from '../../platform/csv.js';
import { t } from '../../platform/i18n.js';
import { uiLanguageOf } from '../roadmap/strings.js';
import type { CheckFilters } from './launch.js';
import './tables.js';
import '../contacts/tables.js';
import { madeForName, utcStamp } from '../../platform/pdf.js';

// ---------- results ----------

export const isClosed = (ch: { status: string; deadline: Date }, now = new Date()) => ch.status === 'closed' || ch.deadline.getTime() <= now.getTime();

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
  const lang = uiLanguageOf(actor.readerLanguages);
  const madeFor = t(lang, 'checks.pdf.madeFor', { date: utcStamp(new Date().toISOString()), who: madeForName(pr, '') });
  // pdfkit and its fonts load when the first report is asked for, not with every instance.
  const { renderReportPdf } = await import('./pdf.js');
  const body = await renderReportPdf(r, lang, madeFor);
  await change(p, (c) => c.audit({ action: 'communication_check.exported', ...auditActor(actor), targetType: 'communication_check', targetId: id, details: { format: 'pdf', rows: r.contacts.length } }));
  return { filename: `communication-check-${id}.pdf`, body };
}

export type CheckReport = Awaited<ReturnType<typeof checkResults>>;
