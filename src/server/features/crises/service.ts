import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { auditActor, systemActor, type Actor } from '../../platform/actor.js';
import { canSee, markingOf, normaliseAudience, audienceColumns, ANONYMOUS, type Audience, type Marking, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { hasRole, requireVetted, loadPrincipalParts, type Principal } from '../../platform/auth/principal.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isUiLanguage, regionNames, t, type UiLanguage } from '../../platform/i18n.js';
import type { OutgoingMail } from '../../platform/mail.js';
import { requireTag, sameLanguage, showFor, withTranslation, translationsOf } from '../../platform/translations.js';
import { CRISIS_LEVELS, CRISIS_ROLES, NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS, NIS2_ROOT_CAUSES, NIS2_SECTORS, SITREP_CADENCE_HOURS, type CrisisLevel, type CrisisRole } from '#shared/incidents';
import { mostRestrictive } from '#shared/tlp';
import { writeCsv } from '../../platform/csv.js';
import { uiLanguageOf } from '../roadmap/strings.js';
import { CRISIS_LIMITS, type CrisisAlertKind, type CrisisListItem, type CrisisMemberSource } from '#shared/crises';
import { canSeeField } from '../contacts/service.js';
import { encryptTo } from '../checks/mail.js';
import { createKnowledge } from '../knowledge/service.js';
import { prepareRequest, requestSummaries, writeRequest } from '../requests/service.js';
import { madeForName, utcStamp } from '../../platform/pdf.js';
import {
  addRoomOrganisations,
  addRoomPeople,
  alertAcknowledgedAt,
  approvedOrganisations,
  contactsOfPeople,
  coordinatorsOf,
  crisesDue,
  crisisContacts,
  insertRoomCommunity,
  injectsDue,
  invitedOrganisations,
  isCrisisAuthority,
  keysOfPeople,
  levelHistoryOf,
  nextSitrepNumber,
  peopleByIds,
  roomCandidates,
  rosterOf,
  visibleActions,
  visibleAlerts,
  visibleAssistance,
  visibleCrises,
  visibleDecisions,
  visibleEvaluations,
  visibleInjects,
  visibleSitreps,
  type CrisisRow,
  type SitrepRow,
} from './repository.js';

/**
 * Crisis rooms. Who may do what:
 * - the secretariat, or a member of a national crisis-management authority of a country in scope
 *   (an organisation with an active `crisis_management` point of contact for that country),
 *   declares a crisis and becomes its coordinator;
 * - the room's roster (its members) reads everything marked to the room; the coordinators change
 *   the level, add members and roles, close it and, in an exercise, write and release injects;
 *   coordinators and scribes log decisions and action items; every member writes sitreps.
 * Everything in a room is marked; the room itself is AMBER to its members-only community.
 */

const viewerOf = (actor: Actor): Viewer => actor.principal?.viewer ?? ANONYMOUS;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const HOUR = 3_600_000;

const isLevel = (x: unknown): x is CrisisLevel => typeof x === 'string' && (CRISIS_LEVELS as readonly string[]).includes(x);
export function requireLevel(x: unknown): CrisisLevel {
  if (!isLevel(x)) throw new AppError('INVALID_CRISIS_LEVEL', `"${String(x)}" is not a crisis level: ${CRISIS_LEVELS.join(', ')}`, { field: 'level', allowed: CRISIS_LEVELS });
  return x;
}
const levelRank = (l: string) => CRISIS_LEVELS.indexOf(l as CrisisLevel);

/** When the next situation report is due after `from`, at this level (none at normal). */
export function nextDue(level: CrisisLevel, from: Date): Date | null {
  const h = SITREP_CADENCE_HOURS[level];
  return h === null ? null : new Date(from.getTime() + h * HOUR);
}

function oneOf<T extends string>(list: readonly T[], v: unknown, field: string): T {
  if (typeof v !== 'string' || !(list as readonly string[]).includes(v)) throw new AppError('VALIDATION_FAILED', `${field} must be one of ${list.join(', ')}`, { field, allowed: list });
  return v as T;
}
function sectorsOf(v: readonly string[] | undefined, field = 'sectors'): string[] {
  const out = [...new Set(v ?? [])];
  for (const s of out) oneOf(NIS2_SECTORS, s, field);
  return out;
}
function text(v: string | undefined, max: number, field: string, required = false): string {
  const s = (v ?? '').trim();
  if (required && !s) throw new AppError('VALIDATION_FAILED', `${field} is needed`, { field });
  if (s.length > max) throw new AppError('VALIDATION_FAILED', `${field} is too long (at most ${max})`, { field, limit: max });
  return s;
}

/** The room's own marking: AMBER to its community, written by the declarer. */
export function roomMarking(c: Pick<CrisisRow, 'author_id' | 'author_org_id' | 'room_community_id'>): Marking {
  return { tlp: 'AMBER', authorId: c.author_id, authorOrgId: c.author_org_id, audience: { organisations: [], communities: [c.room_community_id], people: [] } };
}

/**
 * The marking of something written in a room: AMBER to the room unless narrowed. Room content is
 * never shared beyond the room: CLEAR and GREEN are refused, AMBER always includes the room.
 */
async function partMarking(p: Platform, pr: Principal, c: CrisisRow, m: { tlp?: Tlp; audience?: Partial<Audience> } | undefined): Promise<Marking> {
  const tlp = m?.tlp ?? 'AMBER';
  if (tlp === 'CLEAR' || tlp === 'GREEN') throw new AppError('INVALID_MARKING', 'What is written in a crisis room stays in the room: mark it AMBER (the room), AMBER+STRICT or RED', { field: 'tlp' });
  const given = { organisations: m?.audience?.organisations ?? [], communities: tlp === 'AMBER' ? [c.room_community_id, ...(m?.audience?.communities ?? [])] : (m?.audience?.communities ?? []), people: m?.audience?.people ?? [] };
  const audience = normaliseAudience(tlp, given);
  await checkAudienceExists(p.db, audience);
  return { tlp, authorId: pr.person.id, authorOrgId: pr.organisation.id, audience };
}

const markingCols = (m: Marking, pap: Pap = 'AMBER') => ({ tlp: m.tlp, pap, author_id: m.authorId!, author_org_id: m.authorOrgId!, ...audienceColumns(m.audience) });

/** A viewer who is in the room and nothing else: what every member of the room may see (for the after-action report). */
function roomViewer(c: Pick<CrisisRow, 'room_community_id'>): Viewer {
  return { personId: '00000000-0000-4000-8000-000000000000', organisationId: '00000000-0000-4000-8000-000000000000', vetted: true, communityIds: [c.room_community_id] };
}

async function loadCrisis(p: Platform, actor: Actor, id: string) {
  const c = await visibleCrises(p.db, viewerOf(actor)).where('c.id', '=', id).executeTakeFirst();
  // Not visible and not there look the same.
  if (!c) throw notFound('Crisis');
  return c;
}

async function roleOf(p: Platform, pr: Principal | null, crisisId: string): Promise<CrisisRole | null> {
  if (!pr) return null;
  const r = await p.db.selectFrom('crisis_members').select('role').where('crisis_id', '=', crisisId).where('person_id', '=', pr.person.id).executeTakeFirst();
  return (r?.role as CrisisRole | undefined) ?? null;
}

function abilities(c: CrisisRow, role: CrisisRole | null) {
  const open = c.status === 'open';
  const coordinator = role === 'coordinator';
  return {
    manage: open && coordinator,
    sitrep: open && role !== null,
    log: open && (coordinator || role === 'scribe'),
    assistance: open && role !== null,
    injects: open && coordinator && c.exercise,
    evaluate: c.exercise && role !== null,
    publishLesson: !open && coordinator && !c.lesson_id,
  };
}

function requireOpen(c: CrisisRow) {
  if (c.status !== 'open') throw new AppError('CRISIS_CLOSED', 'This crisis room is closed', { crisisId: c.id });
}

const titleOf = (actor: Actor, c: Pick<CrisisRow, 'title' | 'description' | 'language' | 'source_rev' | 'translations'>) =>
  showFor<'title' | 'description'>({ language: c.language, source_rev: c.source_rev, translations: c.translations, source: { title: c.title, description: c.description } }, actor.readerLanguages);

function dueOf(c: Pick<CrisisRow, 'next_sitrep_due' | 'status'>, now = new Date()) {
  return c.status === 'open' && c.next_sitrep_due ? { dueAt: c.next_sitrep_due.toISOString(), overdue: c.next_sitrep_due.getTime() < now.getTime() } : null;
}

function listItem(actor: Actor, c: CrisisRow, myRole: CrisisRole | null): CrisisListItem {
  const s = titleOf(actor, c);
  return {
    id: c.id,
    title: s.fields.title,
    lang: s.info.shown,
    level: c.level as CrisisLevel,
    status: c.status as 'open' | 'closed',
    exercise: c.exercise,
    countries: c.countries,
    sectors: c.sectors,
    declaredAt: c.declared_at.toISOString(),
    closedAt: iso(c.closed_at),
    nextSitrep: dueOf(c),
    organisation: { id: c.author_org_id!, name: c.org_name, country: c.org_country },
    myRole,
  };
}

// ---------------------------------------------------------------- alerts (in-app and by mail)

interface AlertInput {
  kind: CrisisAlertKind;
  people: string[];
  /** The marking of what the alert is about: the room's, or its sitrep's. */
  marking: Marking;
  sitrepId?: string | null;
  level?: string | null;
}

/**
 * Alerts, made before the transaction (encryption is slow) and written inside it: one row per
 * person who may see what it is about (checked against their own view now), an event to them
 * alone, and a mail — OpenPGP-encrypted when they have a key on file, with a subject naming no
 * title then (as communication checks do: features/checks/mail.ts). Exercise mail says EXERCISE.
 */
async function prepareAlerts(p: Platform, c: Pick<CrisisRow, 'id' | 'title' | 'exercise' | 'level' | 'author_id' | 'author_org_id' | 'room_community_id'>, a: AlertInput, widen: (v: Viewer) => Viewer = (v) => v) {
  const people = (await peopleByIds(p.db, a.people)).filter((x) => x.status === 'active' && x.org_status === 'approved');
  const keys = await keysOfPeople(p.db, people.map((x) => x.id));
  const out: { personId: string; id: string; mail: OutgoingMail; encrypted: boolean }[] = [];
  for (const person of people) {
    const parts = await loadPrincipalParts(p.db, person.id);
    // The mail names the crisis: the room must allow the person too, not only what the alert is about
    // (a TLP:RED sitrep may name someone outside the room, who must learn nothing of it).
    if (!parts?.viewer.vetted || !canSee(widen(parts.viewer), a.marking) || !canSee(widen(parts.viewer), roomMarking(c))) continue;
    const lang: UiLanguage = isUiLanguage(person.ui_language) ? person.ui_language : 'en';
    const vars = {
      name: person.name,
      exercise: c.exercise ? t(lang, 'mail.crisis_alert.exercise') : '',
      what: t(lang, `mail.crisis_alert.kinds.${a.kind}`, { level: t(lang, `mail.crisis_alert.levels.${a.level ?? c.level}`) }),
      title: c.title,
      link: `${p.config.baseUrl.replace(/\/$/, '')}/crises/${c.id}`,
    };
    // A due report is its own purpose: the coordinator's reminder, as the outbox names it.
    const purpose = a.kind === 'sitrep_due' ? ({ purpose: 'sitrep_due' } as const) : ({ purpose: 'crisis_alert' } as const);
    const body = t(lang, 'mail.crisis_alert.body', vars);
    // The mail names the crisis, so its outbox copy may reach only who sees the room and what the alert is about.
    // A sitrep's marking can name organisations outside the room, and one marking cannot say "both": TLP:RED to the
    // recipient (and the sitrep's author) then. Other alerts carry the room's own marking.
    const mailMarking: Marking = a.sitrepId ? { tlp: 'RED', authorId: a.marking.authorId, authorOrgId: a.marking.authorOrgId, audience: { organisations: [], communities: [], people: [person.id] } } : a.marking;
    const key = keys.get(person.id);
    const armored = key ? await encryptTo(key, body) : null;
    const mail: OutgoingMail = armored
      ? { to: person.email, subject: t(lang, 'mail.crisis_alert.subject_encrypted', vars), text: armored, ...purpose, content: { marking: mailMarking } }
      : { to: person.email, subject: t(lang, 'mail.crisis_alert.subject', vars), text: body, ...purpose, content: { marking: mailMarking } };
    out.push({ personId: person.id, id: newId(), mail, encrypted: !!armored });
  }
  return out;
}

async function writeAlerts(ch: Change, crisisId: string, a: AlertInput, prepared: Awaited<ReturnType<typeof prepareAlerts>>) {
  if (!prepared.length) return;
  await ch.trx
    .insertInto('crisis_alerts')
    .values(
      prepared.map((x) => ({
        id: x.id,
        crisis_id: crisisId,
        kind: a.kind,
        sitrep_id: a.sitrepId ?? null,
        level: a.level ?? null,
        person_id: x.personId,
        encrypted: x.encrypted,
        tlp: a.marking.tlp,
        pap: 'AMBER',
        author_id: a.marking.authorId,
        author_org_id: a.marking.authorOrgId,
        ...audienceColumns(a.marking.audience),
      })),
    )
    .execute();
  await ch.mails(prepared.map((x) => x.mail));
  for (const x of prepared)
    await ch.event({
      type: 'crisis.alert',
      subjectType: 'crisis',
      subjectId: crisisId,
      payload: { crisisId, alertId: x.id, kind: a.kind, ...(a.sitrepId ? { sitrepId: a.sitrepId } : {}) },
      marking: { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: [x.personId] } },
    });
}

// ---------------------------------------------------------------- declare, list, read

export interface DeclareInput {
  title: string;
  description?: string;
  language: string;
  level: string;
  countries: string[];
  sectors?: string[];
  exercise?: boolean;
  /** Organisations invited to the room besides the crisis contacts. */
  organisations?: string[];
}

export async function declareCrisis(p: Platform, actor: Actor, i: DeclareInput) {
  const pr = requireVetted(actor);
  const level = requireLevel(i.level);
  const title = text(i.title, CRISIS_LIMITS.title, 'title', true);
  const description = text(i.description, CRISIS_LIMITS.description, 'description');
  const language = requireTag(i.language);
  const countries = [...new Set(i.countries)];
  if (!countries.length) throw new AppError('VALIDATION_FAILED', 'Name the countries in scope', { field: 'countries' });
  const known = await p.db.selectFrom('countries').select('code').where('code', 'in', countries).execute();
  const unknown = countries.filter((x) => !known.some((k) => k.code === x));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', `Not a country: ${unknown.join(', ')}`, { field: 'countries', unknown });
  const sectors = sectorsOf(i.sectors);
  if (!hasRole(pr, 'secretariat') && !(await isCrisisAuthority(p.db, pr.viewer, pr.organisation.id, countries)))
    throw forbidden('The secretariat or a national crisis-management authority of a country in scope declares a crisis');
  const invited = [...new Set(i.organisations ?? [])];
  const approved = await approvedOrganisations(p.db, invited);
  if (approved.length !== invited.length) throw new AppError('VALIDATION_FAILED', 'Invite approved member organisations', { field: 'organisations' });

  const contacts = await crisisContacts(p.db, pr.viewer, countries);
  const members = new Map<string, { role: CrisisRole; source: string; contactId: string | null }>();
  members.set(pr.person.id, { role: 'coordinator', source: 'declarer', contactId: null });
  for (const k of contacts)
    if (k.person_id && !members.has(k.person_id)) members.set(k.person_id, { role: 'member', source: k.kinds.includes('crisis_management') ? 'crisis_management' : 'operational_24_7', contactId: k.id });

  const id = newId();
  const community = newId();
  const now = new Date();
  const row = { id, title, exercise: !!i.exercise, level, author_id: pr.person.id, author_org_id: pr.organisation.id, room_community_id: community };
  const marking = roomMarking(row);
  const alertPeople = [...members.keys()].filter((x) => x !== pr.person.id);
  // Made before the room exists: each person's view is judged as it will be once they are in its community.
  const prepared = await prepareAlerts(p, row, { kind: 'declared', people: alertPeople, marking, level }, (v) => ({ ...v, communityIds: [...v.communityIds, community] }));
  await change(p, async (ch) => {
    await insertRoomCommunity(ch.trx, { id: community, crisisId: id, createdBy: pr.person.id, language, people: [...members.keys()], organisations: invited });
    await ch.trx
      .insertInto('crises')
      .values({
        id,
        title,
        description,
        language,
        level,
        exercise: !!i.exercise,
        countries,
        sectors,
        room_community_id: community,
        declared_at: now,
        next_sitrep_due: nextDue(level, now),
        ...markingCols(marking),
      })
      .execute();
    await ch.trx
      .insertInto('crisis_members')
      .values([...members.entries()].map(([person_id, m]) => ({ crisis_id: id, person_id, role: m.role, source: m.source, contact_id: m.contactId })))
      .execute();
    await ch.trx.insertInto('crisis_level_changes').values({ id: newId(), crisis_id: id, level, at: now, by_person: pr.person.id }).execute();
    await writeAlerts(ch, id, { kind: 'declared', people: alertPeople, marking, level }, prepared);
    await ch.event({ type: 'crisis.declared', subjectType: 'crisis', subjectId: id, payload: { crisisId: id, level, exercise: !!i.exercise }, marking });
    await ch.audit({
      action: 'crisis.declared',
      ...auditActor(actor),
      organisationId: pr.organisation.id,
      targetType: 'crisis',
      targetId: id,
      details: { level, exercise: !!i.exercise, countries, members: members.size, organisations: invited.length, community },
    });
  });
  return getCrisis(p, actor, id);
}

export async function listCrises(p: Platform, actor: Actor, q: { status?: 'open' | 'closed'; exercise?: boolean; limit?: number }) {
  const pr = requireVetted(actor);
  const rows = await visibleCrises(p.db, pr.viewer)
    .$if(!!q.status, (b) => b.where('c.status', '=', q.status!))
    .$if(q.exercise !== undefined, (b) => b.where('c.exercise', '=', q.exercise!))
    .orderBy('c.status', 'desc')
    .orderBy('c.declared_at', 'desc')
    .orderBy('c.id')
    .limit(q.limit ?? 100)
    .execute();
  const roles = rows.length
    ? await p.db
        .selectFrom('crisis_members')
        .select(['crisis_id', 'role'])
        .where('person_id', '=', pr.person.id)
        .where('crisis_id', 'in', rows.map((r) => r.id))
        .execute()
    : [];
  const roleBy = new Map(roles.map((r) => [r.crisis_id, r.role as CrisisRole]));
  return { items: rows.map((r) => listItem(actor, r, roleBy.get(r.id) ?? null)) };
}

function sitrepView(actor: Actor, s: SitrepRow) {
  const shown = showFor<'conditions' | 'actions' | 'needs' | 'summary'>(
    { language: s.language, source_rev: s.source_rev, translations: s.translations, source: { conditions: s.conditions, actions: s.actions, needs: s.needs, summary: s.summary } },
    actor.readerLanguages,
  );
  return {
    id: s.id,
    number: s.number,
    impactSeverity: s.impact_severity,
    outlook: s.outlook,
    sectors: s.sectors,
    rootCause: s.root_cause,
    ...shown.fields,
    translation: shown.info,
    tlp: s.tlp as Tlp,
    audience: { organisations: s.audience_organisations, communities: s.audience_communities, people: s.audience_people },
    author: { name: s.author_name, organisation: s.org_name },
    createdAt: s.created_at.toISOString(),
  };
}

/** The room: level history, scope, roster with keys, the next sitrep due, sitreps, decisions, actions, alerts' acknowledgements and the timeline — each part as this viewer may see it. */
export async function getCrisis(p: Platform, actor: Actor, id: string) {
  const c = await loadCrisis(p, actor, id);
  const viewer = viewerOf(actor);
  const pr = actor.principal;
  const [role, roster, invited, levels, sitreps, decisions, actions, assistance, injects, evaluations, alerts] = await Promise.all([
    roleOf(p, pr, c.id),
    rosterOf(p.db, c.id),
    invitedOrganisations(p.db, c.room_community_id),
    levelHistoryOf(p.db, c.id),
    visibleSitreps(p.db, viewer, c.id).execute(),
    visibleDecisions(p.db, viewer, c.id).execute(),
    visibleActions(p.db, viewer, c.id).execute(),
    visibleAssistance(p.db, viewer, c.id).execute(),
    visibleInjects(p.db, viewer, c.id).execute(),
    visibleEvaluations(p.db, viewer, c.id).execute(),
    visibleAlerts(p.db, viewer).where('a.crisis_id', '=', c.id).orderBy('a.created_at', 'desc').limit(500).execute(),
  ]);
  // Keys from the directory, each only as its entry's field marking lets this viewer see it.
  const entries = await contactsOfPeople(p.db, viewer, roster.map((m) => m.person_id));
  const keyOf = new Map<string, { fingerprint: string; algorithm: string | null; expiresAt: string | null }>();
  for (const e of entries)
    if (e.person_id && e.pgp_fingerprint && !keyOf.has(e.person_id) && canSeeField(viewer, e, 'openpgpKey'))
      keyOf.set(e.person_id, { fingerprint: e.pgp_fingerprint, algorithm: e.pgp_algorithm, expiresAt: iso(e.pgp_expires_at) });
  const requests = pr ? await requestSummaries(p, actor, assistance.map((x) => x.request_id)) : [];
  const requestBy = new Map(requests.map((r) => [r.id, r]));
  const shown = titleOf(actor, c);
  const sitrepViews = sitreps.map((s) => sitrepView(actor, s));
  const timeline = [
    ...levels.map((l, k) => ({ at: l.at.toISOString(), kind: k === 0 ? 'declared' : 'level', text: l.level, by: l.by_name ?? null, ref: null as string | null })),
    ...sitrepViews.map((s) => ({ at: s.createdAt, kind: 'sitrep', text: `#${s.number}`, by: s.author.name, ref: s.id })),
    ...decisions.map((d) => ({ at: d.decided_at.toISOString(), kind: 'decision', text: d.text, by: d.author_name, ref: d.id })),
    ...actions.map((a) => ({ at: a.created_at.toISOString(), kind: 'action', text: a.text, by: null, ref: a.id })),
    ...assistance.flatMap((x) => (requestBy.has(x.request_id) ? [{ at: x.created_at.toISOString(), kind: 'assistance', text: requestBy.get(x.request_id)!.title, by: null, ref: x.request_id }] : [])),
    ...injects.filter((x) => x.released_at).map((x) => ({ at: x.released_at!.toISOString(), kind: 'inject', text: x.title, by: null, ref: x.id })),
    ...(c.closed_at ? [{ at: c.closed_at.toISOString(), kind: 'closed', text: '', by: null, ref: null }] : []),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return {
    ...listItem(actor, c, role),
    description: shown.fields.description,
    translation: shown.info,
    tlp: c.tlp as Tlp,
    levels: levels.map((l) => ({ level: l.level as CrisisLevel, at: l.at.toISOString(), by: l.by_name ?? null, note: l.note })),
    roster: roster.map((m) => ({
      person: { id: m.person_id, name: m.name, active: m.status === 'active' },
      organisation: { id: m.org_id, name: m.org_name, country: m.country_code },
      role: m.role as CrisisRole,
      source: m.source as CrisisMemberSource,
      key: keyOf.get(m.person_id) ?? null,
    })),
    organisations: invited.map((o) => ({ id: o.id, name: o.name, country: o.country_code })),
    sitreps: sitrepViews,
    decisions: decisions.map((d) => ({ id: d.id, text: d.text, at: d.decided_at.toISOString(), by: d.author_name, tlp: d.tlp as Tlp })),
    actions: actions.map((a) => ({
      id: a.id,
      text: a.text,
      owner: a.owner_person_id ? { kind: 'person' as const, id: a.owner_person_id, name: a.owner_person_name ?? '' } : a.owner_org_id ? { kind: 'organisation' as const, id: a.owner_org_id, name: a.owner_org_name ?? '' } : null,
      dueAt: iso(a.due_at),
      overdue: a.status === 'open' && !!a.due_at && a.due_at.getTime() < Date.now(),
      status: a.status,
      tlp: a.tlp as Tlp,
    })),
    assistance: assistance.flatMap((x) => (requestBy.has(x.request_id) ? [{ requestId: x.request_id, title: requestBy.get(x.request_id)!.title, at: x.created_at.toISOString() }] : [])),
    injects: injects.map((x) => ({ id: x.id, title: x.title, body: x.body, plannedAt: x.planned_at.toISOString(), releasedAt: iso(x.released_at) })),
    evaluations: evaluationsView(evaluations),
    acknowledgements: alerts.map((a) => ({ id: a.id, kind: a.kind as CrisisAlertKind, level: a.level, person: { id: a.person_id, name: a.person_name }, at: a.created_at.toISOString(), acknowledgedAt: iso(a.acknowledged_at) })),
    timeline,
    afterAction: c.after_action ?? null,
    lessonId: c.lesson_id,
    can: abilities(c, role),
  };
}

function evaluationsView(rows: Awaited<ReturnType<ReturnType<typeof visibleEvaluations>['execute']>>) {
  const avg = (k: 'objectives' | 'communication' | 'coordination') => (rows.length ? Math.round((rows.reduce((s, r) => s + r[k], 0) / rows.length) * 10) / 10 : null);
  return {
    count: rows.length,
    averages: { objectives: avg('objectives'), communication: avg('communication'), coordination: avg('coordination') },
    items: rows.map((r) => ({ id: r.id, by: r.author_name, objectives: r.objectives, communication: r.communication, coordination: r.coordination, strengths: r.strengths, improvements: r.improvements, at: r.created_at.toISOString() })),
  };
}

// ---------------------------------------------------------------- the room's business

async function roomFor(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const c = await loadCrisis(p, actor, id);
  const role = await roleOf(p, pr, c.id);
  return { pr, c, role, can: abilities(c, role) };
}

export async function changeLevel(p: Platform, actor: Actor, id: string, b: { level: string; note?: string }) {
  const level = requireLevel(b.level);
  const note = text(b.note, CRISIS_LIMITS.note, 'note');
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.manage) throw forbidden('The coordinators change the level');
  if (level === c.level) throw new AppError('INVALID_STATE', `The crisis is at ${level} already`, { level });
  const now = new Date();
  const marking = roomMarking(c);
  const raised = levelRank(level) > levelRank(c.level);
  const members = (await rosterOf(p.db, c.id)).map((m) => m.person_id).filter((x) => x !== pr.person.id);
  const prepared = raised ? await prepareAlerts(p, { ...c, level }, { kind: 'level_raised', people: members, marking, level }) : [];
  await change(p, async (ch) => {
    const done = await ch.trx
      .updateTable('crises')
      .set({ level, next_sitrep_due: nextDue(level, now), updated_at: now })
      .where('id', '=', c.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CRISIS_CLOSED', 'This crisis room is closed', { crisisId: c.id });
    await ch.trx.insertInto('crisis_level_changes').values({ id: newId(), crisis_id: c.id, level, at: now, by_person: pr.person.id, note }).execute();
    if (raised) await writeAlerts(ch, c.id, { kind: 'level_raised', people: members, marking, level }, prepared);
    await ch.event({ type: 'crisis.level_changed', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, from: c.level, to: level }, marking });
    await ch.audit({ action: 'crisis.level_changed', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { from: c.level, to: level } });
  });
  return getCrisis(p, actor, c.id);
}

/** Add a person to the roster (or change their role), or invite an organisation to the room. */
export async function addMember(p: Platform, actor: Actor, id: string, b: { personId?: string; organisationId?: string; role?: string }) {
  const { c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.manage) throw forbidden('The coordinators add members');
  if (!!b.personId === !!b.organisationId) throw new AppError('VALIDATION_FAILED', 'Name a person or an organisation', { field: 'personId' });
  const role = b.role ? oneOf(CRISIS_ROLES, b.role, 'role') : 'member';
  if (b.personId) {
    const [person] = await peopleByIds(p.db, [b.personId]);
    if (!person || person.status !== 'active' || person.org_status !== 'approved') throw new AppError('VALIDATION_FAILED', 'Add an active person of an approved organisation', { field: 'personId' });
  } else if ((await approvedOrganisations(p.db, [b.organisationId!])).length !== 1) throw new AppError('VALIDATION_FAILED', 'Invite an approved member organisation', { field: 'organisationId' });
  await change(p, async (ch) => {
    if (b.personId) {
      await addRoomPeople(ch.trx, c.room_community_id, [b.personId]);
      await ch.trx
        .insertInto('crisis_members')
        .values({ crisis_id: c.id, person_id: b.personId, role, source: 'added' })
        .onConflict((oc) => oc.columns(['crisis_id', 'person_id']).doUpdateSet({ role }))
        .execute();
    } else await addRoomOrganisations(ch.trx, c.room_community_id, [b.organisationId!]);
    await ch.event({ type: 'crisis.member_added', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, ...(b.personId ? { personId: b.personId, role } : { organisationId: b.organisationId }) }, marking: roomMarking(c) });
    await ch.audit({ action: 'crisis.member_added', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: b.personId ? { person: b.personId, role } : { organisation: b.organisationId } });
  });
  return getCrisis(p, actor, c.id);
}

/** People the coordinators may add to the room (the person picker), by name. */
export async function memberCandidates(p: Platform, actor: Actor, id: string, q: { q?: string; limit?: number }) {
  const { c, can } = await roomFor(p, actor, id);
  if (!can.manage) throw forbidden('The coordinators add members');
  const [roster, invited] = await Promise.all([rosterOf(p.db, c.id), invitedOrganisations(p.db, c.room_community_id)]);
  const organisations = [...new Set([...roster.map((m) => m.org_id), ...invited.map((o) => o.id)])];
  const rows = await roomCandidates(p.db, { crisisId: c.id, countries: c.countries, organisations, q: q.q ?? '', limit: q.limit ?? 20 });
  return { items: rows.map((r) => ({ id: r.id, name: r.name, organisation: { id: r.org_id, name: r.org_name, country: r.country_code } })) };
}

export interface SitrepInput {
  impactSeverity: string;
  outlook: string;
  sectors?: string[];
  rootCause?: string | null;
  conditions?: string;
  actions?: string;
  needs?: string;
  summary: string;
  language: string;
  translations?: Record<string, { conditions?: string; actions?: string; needs?: string; summary: string }>;
  tlp?: Tlp;
  audience?: Partial<Audience>;
}

/** People a sitrep is addressed to by name: those it names (RED), or the people of the room in the organisations it names (AMBER, AMBER+STRICT). */
async function addresseesOf(p: Platform, c: CrisisRow, m: Marking, author: string) {
  if (m.tlp === 'RED') return m.audience.people.filter((x) => x !== author);
  if (!m.audience.organisations.length) return [];
  return (await rosterOf(p.db, c.id)).filter((r) => m.audience.organisations.includes(r.org_id) && r.person_id !== author).map((r) => r.person_id);
}

/**
 * A situation report, with its translations, in one transaction with its number, the next due
 * time, its alerts, event and audit entry: all of it or nothing. A closed room takes none (409
 * CRISIS_CLOSED, nothing written) — checked again under a row lock inside the transaction.
 */
export async function submitSitrep(p: Platform, actor: Actor, id: string, i: SitrepInput, hooks: { beforeCommit?: (trx: Transaction<DB>) => Promise<void> } = {}) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.sitrep) throw forbidden('The members of the room write situation reports');
  const impact = oneOf(NIS2_IMPACT_SEVERITIES, i.impactSeverity, 'impactSeverity');
  const outlook = oneOf(NIS2_OUTLOOKS, i.outlook, 'outlook');
  const rootCause = i.rootCause ? oneOf(NIS2_ROOT_CAUSES, i.rootCause, 'rootCause') : null;
  const sectors = sectorsOf(i.sectors);
  const fields = {
    conditions: text(i.conditions, CRISIS_LIMITS.part, 'conditions'),
    actions: text(i.actions, CRISIS_LIMITS.part, 'actions'),
    needs: text(i.needs, CRISIS_LIMITS.part, 'needs'),
    summary: text(i.summary, CRISIS_LIMITS.part, 'summary', true),
  };
  const language = requireTag(i.language);
  let translations: Record<string, unknown> = {};
  for (const [lang, f] of Object.entries(i.translations ?? {})) {
    if (sameLanguage(lang, language)) throw new AppError('VALIDATION_FAILED', `The report is written in ${language}: it is not also a translation`, { field: `translations.${lang}` });
    translations = withTranslation(
      translations,
      { language, source_rev: 1 },
      lang,
      { conditions: text(f.conditions, CRISIS_LIMITS.part, `translations.${lang}.conditions`), actions: text(f.actions, CRISIS_LIMITS.part, `translations.${lang}.actions`), needs: text(f.needs, CRISIS_LIMITS.part, `translations.${lang}.needs`), summary: text(f.summary, CRISIS_LIMITS.part, `translations.${lang}.summary`, true) },
      { by: pr.person.id },
    );
  }
  const marking = await partMarking(p, pr, c, { tlp: i.tlp, audience: i.audience });
  const sitrepId = newId();
  const addressees = await addresseesOf(p, c, marking, pr.person.id);
  const prepared = await prepareAlerts(p, c, { kind: 'sitrep', people: addressees, marking, sitrepId });
  const now = new Date();
  const number = await change(p, async (ch) => {
    const { status, level: locked, number } = await nextSitrepNumber(ch.trx, c.id);
    if (status !== 'open') throw new AppError('CRISIS_CLOSED', 'This crisis room is closed', { crisisId: c.id });
    await ch.trx
      .insertInto('crisis_sitreps')
      .values({ id: sitrepId, crisis_id: c.id, number, impact_severity: impact, outlook, sectors, root_cause: rootCause, ...fields, language, translations: JSON.stringify(translations), created_at: now, ...markingCols(marking) })
      .execute();
    await ch.trx.updateTable('crises').set({ next_sitrep_due: nextDue(locked, now), updated_at: now }).where('id', '=', c.id).execute();
    await writeAlerts(ch, c.id, { kind: 'sitrep', people: addressees, marking, sitrepId }, prepared);
    // The event's own marking is the room's and its subject's is the sitrep's: the stream delivers it to who may see both, now.
    await ch.event({ type: 'sitrep.submitted', subjectType: 'sitrep', subjectId: sitrepId, payload: { crisisId: c.id, sitrepId, number, impactSeverity: impact, outlook }, marking: roomMarking(c) });
    await ch.audit({ action: 'sitrep.submitted', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'sitrep', targetId: sitrepId, details: { crisis: c.id, number, tlp: marking.tlp, languages: [language, ...Object.keys(translations)] } });
    await hooks.beforeCommit?.(ch.trx);
    return number;
  });
  const s = await visibleSitreps(p.db, viewerOf(actor), c.id).where('s.id', '=', sitrepId).executeTakeFirstOrThrow();
  return { ...sitrepView(actor, s), number };
}

/** Translate a sitrep (any member of the room who may see it). */
export async function translateSitrep(p: Platform, actor: Actor, id: string, sitrepId: string, lang: string, f: { conditions?: string; actions?: string; needs?: string; summary: string; machine?: boolean }) {
  const { pr, c, role } = await roomFor(p, actor, id);
  if (!role) throw forbidden('The members of the room translate its reports');
  const s = await visibleSitreps(p.db, pr.viewer, c.id).where('s.id', '=', sitrepId).executeTakeFirst();
  if (!s) throw notFound('Situation report');
  const next = withTranslation(s.translations, s, lang, { conditions: text(f.conditions, CRISIS_LIMITS.part, 'conditions'), actions: text(f.actions, CRISIS_LIMITS.part, 'actions'), needs: text(f.needs, CRISIS_LIMITS.part, 'needs'), summary: text(f.summary, CRISIS_LIMITS.part, 'summary', true) }, { by: pr.person.id, machine: !!f.machine });
  await change(p, async (ch) => {
    await ch.trx.updateTable('crisis_sitreps').set({ translations: JSON.stringify(next) }).where('id', '=', s.id).execute();
    await ch.event({ type: 'sitrep.translated', subjectType: 'sitrep', subjectId: s.id, payload: { crisisId: c.id, sitrepId: s.id, language: requireTag(lang) }, marking: roomMarking(c) });
    await ch.audit({ action: 'sitrep.translated', ...auditActor(actor), organisationId: s.author_org_id, targetType: 'sitrep', targetId: s.id, details: { crisis: c.id, language: requireTag(lang) } });
  });
  const back = await visibleSitreps(p.db, pr.viewer, c.id).where('s.id', '=', s.id).executeTakeFirstOrThrow();
  return sitrepView({ ...actor, readerLanguages: [requireTag(lang)] }, back);
}

/** Who translates a crisis's title and description: its coordinators and scribes. */
const translates = (role: CrisisRole | null) => role === 'coordinator' || role === 'scribe';

/** Translate the crisis's title and description (its coordinators and scribes); `basedOn` when made from an older revision (an XLIFF file). */
export async function translateCrisis(p: Platform, actor: Actor, id: string, lang: string, f: { title: string; description?: string; machine?: boolean; basedOn?: number }) {
  const { pr, c, role } = await roomFor(p, actor, id);
  if (!translates(role)) throw forbidden('The coordinators and scribes translate the crisis');
  const next = withTranslation(c.translations, c, lang, { title: text(f.title, CRISIS_LIMITS.title, 'title', true), description: text(f.description, CRISIS_LIMITS.description, 'description') }, { by: pr.person.id, machine: !!f.machine, basedOn: f.basedOn });
  await change(p, async (ch) => {
    await ch.trx.updateTable('crises').set({ translations: JSON.stringify(next), updated_at: new Date() }).where('id', '=', c.id).execute();
    await ch.audit({ action: 'crisis.translated', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { language: requireTag(lang) } });
  });
  return getCrisis(p, actor, c.id);
}

/** A crisis as the translation queue reads it (features/translations). */
export interface TranslatableCrisis {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Record<string, string>;
}
const translatableOf = (c: CrisisRow): TranslatableCrisis => ({ id: c.id, title: c.title, language: c.language, source_rev: c.source_rev, translations: c.translations, source: { title: c.title, description: c.description } });

/** The crises this person translates: those they may see and coordinate or keep the record of. */
export async function translatableCrises(p: Platform, pr: Principal): Promise<TranslatableCrisis[]> {
  const mine = await p.db.selectFrom('crisis_members').select('crisis_id').where('person_id', '=', pr.person.id).where('role', 'in', ['coordinator', 'scribe']).execute();
  if (!mine.length) return [];
  const rows = await visibleCrises(p.db, pr.viewer).where('c.id', 'in', mine.map((m) => m.crisis_id)).orderBy('c.declared_at', 'desc').limit(200).execute();
  return rows.map(translatableOf);
}

/** One crisis to translate: read through the policy, then the right to translate. */
export async function loadTranslatableCrisis(p: Platform, actor: Actor, id: string): Promise<TranslatableCrisis> {
  const { c, role } = await roomFor(p, actor, id);
  if (!translates(role)) throw forbidden('The coordinators and scribes translate the crisis');
  return translatableOf(c);
}

export async function logDecision(p: Platform, actor: Actor, id: string, b: { text: string; tlp?: Tlp; audience?: Partial<Audience> }) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.log) throw forbidden('The coordinators and scribes log decisions');
  const body = text(b.text, CRISIS_LIMITS.decision, 'text', true);
  const marking = await partMarking(p, pr, c, b);
  const did = newId();
  await change(p, async (ch) => {
    await ch.trx.insertInto('crisis_decisions').values({ id: did, crisis_id: c.id, text: body, ...markingCols(marking) }).execute();
    await ch.event({ type: 'crisis.decision_logged', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, decisionId: did }, marking });
    await ch.audit({ action: 'crisis.decision_logged', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { decision: did, tlp: marking.tlp } });
  });
  return getCrisis(p, actor, c.id);
}

export async function addAction(p: Platform, actor: Actor, id: string, b: { text: string; ownerPersonId?: string; ownerOrganisationId?: string; dueAt?: string; tlp?: Tlp; audience?: Partial<Audience> }) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.log) throw forbidden('The coordinators and scribes add action items');
  const body = text(b.text, CRISIS_LIMITS.action, 'text', true);
  if (b.ownerPersonId && !(await rosterOf(p.db, c.id)).some((m) => m.person_id === b.ownerPersonId)) throw new AppError('VALIDATION_FAILED', 'The owner is a member of the room', { field: 'ownerPersonId' });
  if (b.ownerOrganisationId && (await approvedOrganisations(p.db, [b.ownerOrganisationId])).length !== 1) throw new AppError('VALIDATION_FAILED', 'The owner is an approved member organisation', { field: 'ownerOrganisationId' });
  const due = b.dueAt ? new Date(b.dueAt) : null;
  if (due && Number.isNaN(due.getTime())) throw new AppError('VALIDATION_FAILED', 'The deadline is a date and time', { field: 'dueAt' });
  const marking = await partMarking(p, pr, c, b);
  const aid = newId();
  await change(p, async (ch) => {
    await ch.trx
      .insertInto('crisis_actions')
      .values({ id: aid, crisis_id: c.id, text: body, owner_person_id: b.ownerPersonId ?? null, owner_org_id: b.ownerOrganisationId ?? null, due_at: due, ...markingCols(marking) })
      .execute();
    await ch.event({ type: 'crisis.action_added', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, actionId: aid }, marking });
    await ch.audit({ action: 'crisis.action_added', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { action: aid, tlp: marking.tlp } });
  });
  return getCrisis(p, actor, c.id);
}

/** Mark an action item done or dropped (or open again): the coordinators and scribes, or its owner. */
export async function updateAction(p: Platform, actor: Actor, id: string, actionId: string, b: { status: string }) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  const status = oneOf(['open', 'done', 'dropped'] as const, b.status, 'status');
  const a = await visibleActions(p.db, pr.viewer, c.id).where('a.id', '=', actionId).executeTakeFirst();
  if (!a) throw notFound('Action item');
  if (!can.log && a.owner_person_id !== pr.person.id && a.owner_org_id !== pr.organisation.id) throw forbidden('The coordinators, scribes and the owner update an action item');
  await change(p, async (ch) => {
    await ch.trx.updateTable('crisis_actions').set({ status, updated_at: new Date() }).where('id', '=', a.id).execute();
    await ch.event({ type: 'crisis.action_updated', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, actionId: a.id, status }, marking: markingOf(a) });
    await ch.audit({ action: 'crisis.action_updated', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { action: a.id, from: a.status, to: status } });
  });
  return getCrisis(p, actor, c.id);
}

/**
 * A request for assistance from the room becomes a capacity-building request (features/requests,
 * by its own rules: an organisation admin asks for their organisation), linked from the room.
 */
export async function requestAssistance(
  p: Platform,
  actor: Actor,
  id: string,
  b: { title: string; description?: string; wanted?: string; language: string; urgency?: string },
  hooks: { beforeCommit?: (trx: Transaction<DB>) => Promise<void> } = {},
) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.assistance) throw forbidden('The members of the room ask for assistance');
  const prefix = c.exercise ? 'EXERCISE — ' : '';
  const req = await prepareRequest(p, actor, { language: b.language, title: `${prefix}${b.title}`, description: b.description, wanted: b.wanted, ...(b.urgency ? { urgency: b.urgency } : {}), tlp: 'AMBER' });
  const marking = roomMarking(c);
  // One transaction: the request and its link from the room stand or fall together.
  await change(p, async (ch) => {
    await writeRequest(ch, req);
    await ch.trx.insertInto('crisis_assistance').values({ id: newId(), crisis_id: c.id, request_id: req.id, ...markingCols({ ...marking, authorId: pr.person.id, authorOrgId: pr.organisation.id }) }).execute();
    await ch.event({ type: 'crisis.assistance_requested', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, requestId: req.id }, marking });
    await ch.audit({ action: 'crisis.assistance_requested', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { request: req.id } });
    await hooks.beforeCommit?.(ch.trx);
  });
  return getCrisis(p, actor, c.id);
}

/**
 * Close the room: the after-action report is drafted from what every member of the room may see
 * (never from the closer's own wider view: a RED sitrep addressed to the coordinator stays out),
 * structured as timeline, decisions, actions and a summary of the sitreps.
 */
export async function closeCrisis(p: Platform, actor: Actor, id: string, b: { note?: string }) {
  const { c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.manage) throw forbidden('The coordinators close the room');
  const note = text(b.note, CRISIS_LIMITS.note, 'note');
  const room = roomViewer(c);
  const [levels, sitreps, decisions, actions] = await Promise.all([
    levelHistoryOf(p.db, c.id),
    visibleSitreps(p.db, room, c.id).execute(),
    visibleDecisions(p.db, room, c.id).execute(),
    visibleActions(p.db, room, c.id).execute(),
  ]);
  const now = new Date();
  const afterAction = {
    exercise: c.exercise,
    note,
    declaredAt: c.declared_at.toISOString(),
    closedAt: now.toISOString(),
    levels: levels.map((l) => ({ level: l.level, at: l.at.toISOString() })),
    timeline: [
      ...levels.map((l) => ({ at: l.at.toISOString(), kind: 'level', text: l.level })),
      ...sitreps.map((s) => ({ at: s.created_at.toISOString(), kind: 'sitrep', text: `#${s.number} ${s.impact_severity}/${s.outlook}` })),
      ...decisions.map((d) => ({ at: d.decided_at.toISOString(), kind: 'decision', text: d.text })),
    ].sort((a, b2) => a.at.localeCompare(b2.at)),
    decisions: decisions.map((d) => ({ at: d.decided_at.toISOString(), text: d.text })),
    actions: actions.map((a) => ({ text: a.text, status: a.status, owner: a.owner_person_name ?? a.owner_org_name ?? null, dueAt: iso(a.due_at) })),
    sitreps: {
      count: sitreps.length,
      worstImpact: sitreps.map((s) => s.impact_severity).sort((a, b2) => NIS2_IMPACT_SEVERITIES.indexOf(a as never) - NIS2_IMPACT_SEVERITIES.indexOf(b2 as never))[0] ?? null,
      last: sitreps.at(-1) ? { number: sitreps.at(-1)!.number, summary: sitreps.at(-1)!.summary, language: sitreps.at(-1)!.language } : null,
      languages: [...new Set(sitreps.flatMap((s) => [s.language, ...Object.keys(translationsOf(s.translations))]))],
    },
  };
  await change(p, async (ch) => {
    const done = await ch.trx
      .updateTable('crises')
      .set({ status: 'closed', closed_at: now, next_sitrep_due: null, after_action: JSON.stringify(afterAction), updated_at: now })
      .where('id', '=', c.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CRISIS_CLOSED', 'This crisis room is closed', { crisisId: c.id });
    await ch.event({ type: 'crisis.closed', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id }, marking: roomMarking(c) });
    await ch.audit({ action: 'crisis.closed', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { sitreps: sitreps.length, decisions: decisions.length, actions: actions.length } });
  });
  return getCrisis(p, actor, c.id);
}

/**
 * The after-action report as Markdown (the library item's body), its headings and labels in the
 * language of the room's author: the lesson is theirs, and its readers' languages come through
 * the library's own translations.
 */
export function afterActionMarkdown(lang: UiLanguage, title: string, a: Record<string, unknown>) {
  const x = a as { exercise: boolean; note: string; declaredAt: string; closedAt: string; timeline: { at: string; kind: string; text: string }[]; decisions: { at: string; text: string }[]; actions: { text: string; status: string; owner: string | null; dueAt: string | null }[]; sitreps: { count: number; worstImpact: string | null; languages: string[] } };
  const w = (key: string, vars?: Record<string, string>) => t(lang, `crises.afterAction.${key}`, vars);
  const none = `- ${w('none')}`;
  const kind = (k: string) => (['level', 'sitrep', 'decision'].includes(k) ? w(`kinds.${k}`) : k);
  const lines = [
    `# ${x.exercise ? w('exercise') : ''}${w('title', { title })}`,
    '',
    w('period', { declared: x.declaredAt, closed: x.closedAt }),
    ...(x.note ? ['', x.note] : []),
    '',
    `## ${w('timeline')}`,
    ...x.timeline.map((e) => `- ${e.at} — ${kind(e.kind)}: ${e.kind === 'level' ? t(lang, `mail.crisis_alert.levels.${e.text}`) : e.text}`),
    '',
    `## ${w('decisions')}`,
    ...(x.decisions.length ? x.decisions.map((d) => `- ${d.at}: ${d.text}`) : [none]),
    '',
    `## ${w('actions')}`,
    ...(x.actions.length ? x.actions.map((k) => `- [${k.status === 'done' ? 'x' : ' '}] ${k.text}${k.owner ? ` (${k.owner})` : ''}${k.dueAt ? ` — ${w('due', { at: k.dueAt })}` : ''}`) : [none]),
    '',
    `## ${w('sitreps')}`,
    w('sitrepSummary', { count: String(x.sitreps.count), worst: x.sitreps.worstImpact ?? '—', languages: x.sitreps.languages.join(', ') || '—' }),
  ];
  return lines.join('\n');
}

/**
 * Publish the after-action report as a lesson learned: a draft library item of the coordinator's
 * organisation, AMBER to the room, which then follows the library's review workflow.
 */
export async function publishLesson(p: Platform, actor: Actor, id: string) {
  const { c, can } = await roomFor(p, actor, id);
  if (c.status !== 'closed' || !c.after_action) throw new AppError('INVALID_STATE', 'The after-action report is drafted when the room closes');
  if (!can.publishLesson) throw c.lesson_id ? new AppError('ALREADY_EXISTS', 'The after-action report is in the library already') : forbidden('The coordinators publish the after-action report');
  // The headings in the language the author wrote the room in, or else the one they use the platform in.
  const [author] = await peopleByIds(p.db, [c.author_id!]);
  const written = c.language.toLowerCase().split('-')[0];
  const lang: UiLanguage = isUiLanguage(written) ? written : author && isUiLanguage(author.ui_language) ? author.ui_language : 'en';
  const title = `${c.exercise ? t(lang, 'crises.afterAction.exercise') : ''}${t(lang, 'crises.afterAction.lessonTitle', { title: c.title })}`.slice(0, CRISIS_LIMITS.title);
  const item = await createKnowledge(p, actor, {
    type: 'lesson_learned',
    language: c.language,
    title,
    summary: t(lang, 'crises.afterAction.lessonSummary', { countries: c.countries.join(', ') }),
    body: afterActionMarkdown(lang, c.title, c.after_action as Record<string, unknown>),
    countries: c.countries,
    tlp: 'AMBER',
    audience: { communities: [c.room_community_id] },
  });
  await change(p, async (ch) => {
    await ch.trx.updateTable('crises').set({ lesson_id: item.id, updated_at: new Date() }).where('id', '=', c.id).execute();
    await ch.audit({ action: 'crisis.lesson_drafted', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { knowledge: item.id } });
  });
  return getCrisis(p, actor, c.id);
}

// ---------------------------------------------------------------- exercises

export async function addInject(p: Platform, actor: Actor, id: string, b: { title: string; body?: string; plannedAt: string }) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!c.exercise) throw new AppError('INVALID_STATE', 'Injects belong to exercises');
  if (!can.injects) throw forbidden('The exercise controller (a coordinator) writes injects');
  const planned = new Date(b.plannedAt);
  if (Number.isNaN(planned.getTime())) throw new AppError('VALIDATION_FAILED', 'The planned time is a date and time', { field: 'plannedAt' });
  const iid = newId();
  // Until released, an inject is the controller's alone.
  const marking: Marking = { tlp: 'RED', authorId: pr.person.id, authorOrgId: pr.organisation.id, audience: { organisations: [], communities: [], people: [pr.person.id] } };
  await change(p, async (ch) => {
    await ch.trx.insertInto('crisis_injects').values({ id: iid, crisis_id: c.id, title: text(b.title, CRISIS_LIMITS.title, 'title', true), body: text(b.body, CRISIS_LIMITS.part, 'body'), planned_at: planned, ...markingCols(marking) }).execute();
    await ch.audit({ action: 'crisis.inject_added', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { inject: iid } });
  });
  return getCrisis(p, actor, c.id);
}

export async function releaseInject(p: Platform, actor: Actor, id: string, injectId: string) {
  const { pr, c, can } = await roomFor(p, actor, id);
  requireOpen(c);
  if (!can.injects) throw forbidden('The exercise controller releases injects');
  const i = await visibleInjects(p.db, pr.viewer, c.id).where('i.id', '=', injectId).executeTakeFirst();
  if (!i) throw notFound('Inject');
  if (i.released_at) throw new AppError('INVALID_STATE', 'This inject was released already');
  if (!(await release(p, actor, c, i, new Date()))) throw new AppError('INVALID_STATE', 'This inject was released already');
  return getCrisis(p, actor, c.id);
}

type InjectRow = Awaited<ReturnType<ReturnType<typeof visibleInjects>['executeTakeFirstOrThrow']>>;

/**
 * Release an inject to the room, by the controller or by the clock: marked to the room from then on,
 * an alert to everyone on the roster but its author, an event and an audit entry. The UPDATE is
 * conditional on the inject still being unreleased, so that a click and the job, or two instances
 * of the job, release it once; false when someone else did.
 */
async function release(p: Platform, actor: Actor, c: CrisisRow, i: InjectRow, at: Date): Promise<boolean> {
  const marking = roomMarking(c);
  const people = (await rosterOf(p.db, c.id)).map((m) => m.person_id).filter((x) => x !== i.author_id);
  const prepared = await prepareAlerts(p, c, { kind: 'inject', people, marking });
  return change(p, async (ch) => {
    const done = await ch.trx
      .updateTable('crisis_injects')
      .set({ released_at: at, ...markingCols({ ...marking, authorId: i.author_id, authorOrgId: i.author_org_id }) })
      .where('id', '=', i.id)
      .where('released_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return false;
    await writeAlerts(ch, c.id, { kind: 'inject', people, marking }, prepared);
    await ch.event({ type: 'crisis.inject_released', subjectType: 'crisis', subjectId: c.id, payload: { crisisId: c.id, injectId: i.id }, marking });
    await ch.audit({ action: 'crisis.inject_released', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { inject: i.id, planned: i.planned_at.toISOString(), by: actor.principal ? 'controller' : 'schedule' } });
    return true;
  });
}

/**
 * The injects whose planned time has come, released by the clock in open exercise rooms (the job
 * `crises.inject_release`), with the same effects as the controller's click. Returns how many.
 */
export async function releaseDueInjects(p: Platform, now = new Date()): Promise<number> {
  let released = 0;
  for (const d of await injectsDue(p.db, now)) {
    const c = await visibleCrises(p.db, roomViewer(d)).where('c.id', '=', d.crisis_id).executeTakeFirst();
    if (!c || c.status !== 'open') continue;
    if (await release(p, systemActor(), c, d, now)) released++;
  }
  return released;
}

/** The evaluation form of an exercise, once per participant, when it is over. */
export async function evaluateExercise(p: Platform, actor: Actor, id: string, b: { objectives: number; communication: number; coordination: number; strengths?: string; improvements?: string }) {
  const { pr, c, can } = await roomFor(p, actor, id);
  if (!c.exercise) throw new AppError('INVALID_STATE', 'Only an exercise is evaluated');
  if (c.status !== 'closed') throw new AppError('INVALID_STATE', 'The evaluation is filled in once the exercise is over');
  if (!can.evaluate) throw forbidden('The participants evaluate the exercise');
  for (const k of ['objectives', 'communication', 'coordination'] as const)
    if (!Number.isInteger(b[k]) || b[k] < 1 || b[k] > 5) throw new AppError('VALIDATION_FAILED', `${k} is rated from 1 to 5`, { field: k });
  const taken = await visibleEvaluations(p.db, pr.viewer, c.id).where('e.author_id', '=', pr.person.id).executeTakeFirst();
  if (taken) throw new AppError('ALREADY_EXISTS', 'You evaluated this exercise already');
  const marking = roomMarking(c);
  await change(p, async (ch) => {
    const eid = newId();
    await ch.trx
      .insertInto('crisis_evaluations')
      .values({ id: eid, crisis_id: c.id, objectives: b.objectives, communication: b.communication, coordination: b.coordination, strengths: text(b.strengths, CRISIS_LIMITS.evaluationText, 'strengths'), improvements: text(b.improvements, CRISIS_LIMITS.evaluationText, 'improvements'), ...markingCols({ ...marking, authorId: pr.person.id, authorOrgId: pr.organisation.id }) })
      .onConflict((oc) => oc.columns(['crisis_id', 'author_id']).doNothing())
      .execute();
    await ch.audit({ action: 'crisis.evaluated', ...auditActor(actor), organisationId: c.author_org_id, targetType: 'crisis', targetId: c.id, details: { evaluation: eid } });
  });
  return getCrisis(p, actor, c.id);
}

// ---------------------------------------------------------------- alerts and acknowledgement

export async function myAlerts(p: Platform, actor: Actor, q: { pending?: boolean; limit?: number }) {
  const pr = requireVetted(actor);
  const rows = await visibleAlerts(p.db, pr.viewer)
    .where('a.person_id', '=', pr.person.id)
    .$if(!!q.pending, (b) => b.where('a.acknowledged_at', 'is', null))
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(q.limit ?? 100)
    .execute();
  return {
    items: rows.map((a) => {
      const s = showFor<'title'>({ language: a.crisis_language, source_rev: a.crisis_source_rev, translations: a.crisis_translations, source: { title: a.crisis_title } }, actor.readerLanguages);
      return { id: a.id, crisis: { id: a.crisis_id, title: s.fields.title, lang: s.info.shown, exercise: a.crisis_exercise }, kind: a.kind as CrisisAlertKind, sitrepId: a.sitrep_id, level: a.level, encrypted: a.encrypted, at: a.created_at.toISOString(), acknowledgedAt: iso(a.acknowledged_at) };
    }),
  };
}

export async function acknowledgeAlert(p: Platform, actor: Actor, alertId: string) {
  const pr = requireVetted(actor);
  const a = await visibleAlerts(p.db, pr.viewer).where('a.id', '=', alertId).where('a.person_id', '=', pr.person.id).executeTakeFirst();
  if (!a) throw notFound('Alert');
  if (a.acknowledged_at) return { id: a.id, acknowledgedAt: a.acknowledged_at.toISOString() };
  const at = new Date();
  const c = await loadCrisis(p, actor, a.crisis_id);
  const ackAt = await change(p, async (ch) => {
    const r = await ch.trx.updateTable('crisis_alerts').set({ acknowledged_at: at }).where('id', '=', a.id).where('acknowledged_at', 'is', null).returning('acknowledged_at').executeTakeFirst();
    // Acknowledged meanwhile (another tab): the first time stands.
    if (!r) return (await alertAcknowledgedAt(ch.trx, a.id)) ?? at;
    await ch.event({ type: 'crisis.alert_acknowledged', subjectType: 'crisis', subjectId: a.crisis_id, payload: { crisisId: a.crisis_id, alertId: a.id }, marking: a.sitrep_id ? { tlp: 'RED', authorId: null, authorOrgId: null, audience: { organisations: [], communities: [], people: [pr.person.id] } } : roomMarking(c) });
    await ch.audit({ action: 'crisis.alert_acknowledged', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'crisis', targetId: a.crisis_id, details: { alert: a.id, kind: a.kind } });
    return at;
  });
  return { id: a.id, acknowledgedAt: ackAt.toISOString() };
}

// ---------------------------------------------------------------- the cadence job

/**
 * Remind the coordinators of each open crisis whose situation report is due (once per due time):
 * an alert in the app and a mail (`sitrep_due`), each only to a coordinator who may see the room.
 */
export async function remindDueSitreps(p: Platform, now = new Date()): Promise<number> {
  let sent = 0;
  for (const c of await crisesDue(p.db, now)) {
    const coordinators = (await coordinatorsOf(p.db, c.id)).map((x) => x.person_id);
    const marking = roomMarking(c);
    const prepared = await prepareAlerts(p, c, { kind: 'sitrep_due', people: coordinators, marking });
    await change(p, async (ch) => {
      const claimed = await ch.trx
        .updateTable('crises')
        .set({ reminded_due: c.next_sitrep_due })
        .where('id', '=', c.id)
        .where('status', '=', 'open')
        .where('next_sitrep_due', '=', c.next_sitrep_due!)
        .where((eb) => eb.or([eb('reminded_due', 'is', null), eb('reminded_due', '<', c.next_sitrep_due!)]))
        .executeTakeFirst();
      // Another instance reminded, a sitrep arrived or the room closed meanwhile.
      if (Number(claimed.numUpdatedRows) !== 1) return;
      await writeAlerts(ch, c.id, { kind: 'sitrep_due', people: coordinators, marking }, prepared);
      sent += prepared.length;
    });
  }
  return sent;
}

// ---------------------------------------------------------------- exports of a room

/** The most restrictive marking among what an export of the room includes (the room itself is AMBER). */
function strictest(c: Awaited<ReturnType<typeof getCrisis>>, parts: 'all' | 'sitreps'): Tlp {
  const tlps: Tlp[] = [c.tlp, ...c.sitreps.map((s) => s.tlp), ...(parts === 'all' ? [...c.decisions.map((d) => d.tlp), ...c.actions.map((a) => a.tlp as Tlp)] : [])];
  return tlps.reduce(mostRestrictive, 'CLEAR');
}

const fileStem = (c: { id: string; exercise: boolean }) => `${c.exercise ? 'exercise' : 'crisis'}-${c.id.slice(0, 8)}`;

/**
 * The room as a PDF in the reader's language: what `getCrisis` gives this reader (each part
 * through the policy), under the TLP of its most restrictive part, EXERCISE on every page of an
 * exercise. Times in UTC: a document travels across time zones.
 */
export async function crisisReportPdf(p: Platform, actor: Actor, id: string) {
  const c = await getCrisis(p, actor, id);
  const lang = uiLanguageOf(actor.readerLanguages);
  const now = new Date();
  const stamp = (x: string | null) => (x ? utcStamp(x) : t(lang, 'crises.pdf.none'));
  const who = madeForName(actor.principal, '');
  // pdfkit and its fonts load when the first PDF is asked for, not with every instance.
  const { renderCrisisPdf } = await import('./pdf.js');
  const body = await renderCrisisPdf(c, strictest(c, 'all'), lang, t(lang, 'crises.pdf.madeFor', { date: stamp(now.toISOString()), who }), stamp, regionNames(lang));
  return { filename: `${fileStem(c)}-report.pdf`, body };
}

/**
 * The room's situation reports as CSV (one line per report this reader may see, in the language
 * shown to them), each line with its own TLP, and the crisis's exercise flag on every line so that
 * a file passed on never loses it.
 */
export async function sitrepsCsv(p: Platform, actor: Actor, id: string) {
  const c = await getCrisis(p, actor, id);
  const body = writeCsv(
    ['crisis_id', 'exercise', 'number', 'submitted_at', 'author', 'organisation', 'language', 'impact_severity', 'outlook', 'sectors', 'root_cause', 'summary', 'conditions', 'actions', 'needs', 'tlp'],
    c.sitreps.map((s) => [c.id, c.exercise ? 'EXERCISE' : '', s.number, s.createdAt, s.author.name, s.author.organisation, s.translation.shown, s.impactSeverity, s.outlook, s.sectors.join(' '), s.rootCause ?? '', s.summary, s.conditions, s.actions, s.needs, s.tlp]),
  );
  return { filename: `${fileStem(c)}-sitreps.csv`, body };
}
