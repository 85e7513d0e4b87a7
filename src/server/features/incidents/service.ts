import { sql } from 'kysely';
import {
  EARLY_WARNING_HOURS,
  FINAL_REPORT_MONTHS,
  INCIDENT_OUTCOMES,
  INCIDENT_STATUSES,
  INCIDENT_TRANSITIONS,
  NIS2_IMPACT_SEVERITIES,
  NIS2_OUTLOOKS,
  NIS2_REPORTS,
  NIS2_ROOT_CAUSES,
  NIS2_SECTORS,
  NIS2_SUBSECTORS,
  NIS2_THREAT_SEVERITIES,
  NOTIFICATION_HOURS,
  RSIT,
  RSIT_CLASSES,
  type ImpactSeverity,
  type IncidentAbilities,
  type IncidentClock,
  type IncidentEntry,
  type IncidentEntryAction,
  type IncidentFilters,
  type IncidentInput,
  type IncidentLink,
  type IncidentListItem,
  type IncidentOutcome,
  type IncidentPatch,
  type IncidentReport,
  type IncidentStatus,
  type Nis2Report,
  type Outlook,
  type RootCause,
  type ThreatSeverity,
} from '#shared/incidents';
import { tlpRank } from '#shared/tlp';
import { asActor, incidentAbilities } from '../../platform/access/abilities.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, canSee, markingOf, normaliseAudience, type Audience, type Marking, type Pap, type Tlp } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { loadPrincipalParts, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import type { AuditAction } from '../../platform/audit.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireTag, showFor, withoutTranslation, withTranslation, type TranslationInfo } from '../../platform/translations.js';
import { ingestInTransaction } from '../intel/store.js';
import { incidentObject } from './stix-object.js';
import {
  clocksOf,
  incidentPage,
  knownCountries,
  linksOf,
  lockIncident,
  organisationById,
  visibleEntries,
  visibleIncident,
  visibleLinkedObjects,
  type ClockRow,
  type IncidentFilterValues,
  type IncidentRow,
  type LockedIncident,
} from './repository.js';

/** Limits, documented in docs/incidents.md. */
export const LIMITS = { title: 300, description: 50_000, update: 20_000, report: 20_000, note: 2000, countries: 60, links: 500 };
/** The fields each language version of a report holds. */
export const INCIDENT_TEXT_FIELDS = ['title', 'description'] as const;
type TextField = (typeof INCIDENT_TEXT_FIELDS)[number];

/** A clock a few minutes ahead is a clock, not a report from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const HOUR = 3_600_000;

const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------- checks of what is sent ----------

const taxonomy = (field: string, value: string, allowed: readonly string[]) => {
  if (!allowed.includes(value)) throw new AppError('UNKNOWN_TAXONOMY_VALUE', `"${value}" is not a value of ${field} in the taxonomies of incident reports`, { field, value });
};

/** RSIT classes are written `category/type`; a list filter also takes a category alone. */
export function checkRsit(value: string, field = 'rsitClass', categoryAllowed = false) {
  if (categoryAllowed && !value.includes('/')) return taxonomy(field, value, Object.keys(RSIT));
  taxonomy(field, value, RSIT_CLASSES);
}

function checkTaxonomies(i: Partial<IncidentInput>) {
  if (i.rsitClass !== undefined) checkRsit(i.rsitClass);
  if (i.rootCause) taxonomy('rootCause', i.rootCause, NIS2_ROOT_CAUSES);
  if (i.threatSeverity) taxonomy('threatSeverity', i.threatSeverity, NIS2_THREAT_SEVERITIES);
  if (i.impactSeverity) taxonomy('impactSeverity', i.impactSeverity, NIS2_IMPACT_SEVERITIES);
  if (i.impactOutlook) taxonomy('impactOutlook', i.impactOutlook, NIS2_OUTLOOKS);
  for (const s of i.sectors ?? []) taxonomy('sectors', s, NIS2_SECTORS);
  for (const s of i.subsectors ?? []) taxonomy('subsectors', s, NIS2_SUBSECTORS);
}

const time = (v: string | null | undefined, field: string): Date | null => {
  if (v === undefined || v === null) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', `"${v}" is not a date and time`, { field });
  return d;
};

const clockError = (field: string, message: string) => new AppError('INVALID_INCIDENT_CLOCK', message, { field });

/** The times of a report hold together: nothing in the future, an end after its start, awareness not before the start. */
export function checkClocks(t: { awareAt: Date; startedAt: Date | null; endedAt: Date | null }, now = new Date()) {
  const future = now.getTime() + CLOCK_SKEW_MS;
  if (t.awareAt.getTime() > future) throw clockError('awareAt', 'Awareness cannot be in the future');
  if (t.startedAt && t.startedAt.getTime() > future) throw clockError('startedAt', 'The incident cannot start in the future');
  if (t.endedAt && t.endedAt.getTime() > future) throw clockError('endedAt', 'The incident cannot end in the future');
  if (t.startedAt && t.endedAt && t.endedAt < t.startedAt) throw clockError('endedAt', 'The incident cannot end before it started');
  if (t.startedAt && t.startedAt > t.awareAt) throw clockError('startedAt', 'Nobody becomes aware of an incident before it starts');
}

async function checkCountries(db: Platform['db'] | Change['trx'], codes: readonly string[]) {
  if (codes.length > LIMITS.countries) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.countries} countries`, { field: 'countries' });
  const known = await knownCountries(db, codes);
  const bad = codes.filter((c) => !known.has(c));
  if (bad.length) throw new AppError('VALIDATION_FAILED', `Not a country of the platform: ${bad.join(', ')}`, { field: 'countries', unknown: bad });
}

/** The owner organisation always reads its report: in the audience of AMBER and AMBER+STRICT (CLEAR and GREEN reach it anyway). */
function withOwner(tlp: Tlp, audience: Audience, ownerOrgId: string): Audience {
  if (tlp !== 'AMBER' && tlp !== 'AMBER+STRICT') return audience;
  return { ...audience, organisations: audience.organisations.includes(ownerOrgId) ? audience.organisations : [...audience.organisations, ownerOrgId] };
}

/** Add `months` calendar months (UTC), the day clamped to the month's end (31 January + 1 month = 28/29 February). */
export function addMonths(d: Date, months: number): Date {
  const x = new Date(d.getTime());
  const day = x.getUTCDate();
  x.setUTCDate(1);
  x.setUTCMonth(x.getUTCMonth() + months);
  const last = new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 0)).getUTCDate();
  x.setUTCDate(Math.min(day, last));
  return x;
}

/** NIS2 Art. 23 due times from awareness; the final one runs from the notification's submission once there is one. */
export function dueTimes(awareAt: Date, notificationSubmittedAt: Date | null = null) {
  const earlyWarning = new Date(awareAt.getTime() + EARLY_WARNING_HOURS * HOUR);
  const notification = new Date(awareAt.getTime() + NOTIFICATION_HOURS * HOUR);
  const final = addMonths(notificationSubmittedAt ?? notification, FINAL_REPORT_MONTHS);
  return { 'early-warning': earlyWarning, notification, final };
}

// ---------- views ----------

function markingOfRow(r: { tlp: string; author_id: string | null; author_org_id: string | null; audience_organisations: string[]; audience_communities: string[]; audience_people: string[] }): Marking {
  return markingOf(r);
}

const abilitiesOf = (pr: Principal | null, r: { owner_org_id: string }): IncidentAbilities => incidentAbilities(asActor(pr), { ownerOrgId: r.owner_org_id });

function shown(actor: Actor, r: IncidentRow, lang?: string): { fields: Record<TextField, string>; info: TranslationInfo } {
  return showFor<TextField>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title, description: r.description } }, actor.readerLanguages, lang);
}

function clockView(c: ClockRow, now: Date, showText: boolean): IncidentClock {
  return {
    id: c.id,
    kind: c.kind as Nis2Report,
    dueAt: c.due_at.toISOString(),
    requestedAt: iso(c.requested_at),
    submittedAt: iso(c.submitted_at),
    overdue: !c.submitted_at && c.due_at < now,
    late: !!c.submitted_at && c.submitted_at > c.due_at,
    text: showText ? c.text : '',
  };
}

function nextDue(clocks: ClockRow[], now: Date, status: string) {
  if (status === 'closed') return null;
  const open = clocks.filter((c) => !c.submitted_at).sort((a, b) => a.due_at.getTime() - b.due_at.getTime());
  const c = open[0];
  return c ? { kind: c.kind as Nis2Report, dueAt: c.due_at.toISOString(), overdue: c.due_at < now } : null;
}

function listView(actor: Actor, r: IncidentRow, clocks: ClockRow[], now: Date, lang?: string): IncidentListItem {
  const s = shown(actor, r, lang);
  return {
    id: r.id,
    stixId: r.stix_id,
    title: s.fields.title,
    lang: s.info.shown,
    rsitClass: r.rsit_class,
    impactSeverity: r.impact_severity as ImpactSeverity | null,
    status: r.status as IncidentStatus,
    outcome: r.outcome as IncidentOutcome | null,
    countries: r.countries,
    sectors: r.sectors,
    awareAt: r.aware_at.toISOString(),
    ownerOrg: { id: r.owner_org_id, name: r.owner_name, country: r.owner_country },
    exercise: r.exercise,
    tlp: r.tlp as Tlp,
    nextDue: nextDue(clocks, now, r.status),
    updatedAt: r.updated_at.toISOString(),
  };
}

// ---------- reading ----------

const LIST_VALUES = (v: string | undefined) => (v === undefined ? undefined : [...new Set(v.split(',').map((x) => x.trim()).filter(Boolean))]);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The query of the list and of the situational picture, as sent (comma-separated lists). */
export interface IncidentFilterQuery {
  country?: string;
  sector?: string;
  rsit?: string;
  status?: string;
  impactSeverity?: string;
  from?: string;
  to?: string;
  community?: string;
  q?: string;
  exercise?: boolean;
}

/**
 * Parse and check the shared filters (src/shared/incidents.ts IncidentFilters): a value outside
 * the taxonomies is a 400 naming the field, never an empty answer that looks like "nothing happened".
 * features/situation parses its query with this too.
 */
export function parseIncidentFilters(q: IncidentFilterQuery): IncidentFilterValues & IncidentFilters {
  const country = LIST_VALUES(q.country);
  for (const c of country ?? []) if (!/^[A-Z]{2}$/.test(c)) throw new AppError('VALIDATION_FAILED', `"${c}" is not an ISO 3166-1 alpha-2 code`, { field: 'country' });
  const sector = LIST_VALUES(q.sector);
  for (const s of sector ?? []) taxonomy('sector', s, NIS2_SECTORS);
  const rsit = LIST_VALUES(q.rsit);
  for (const r of rsit ?? []) checkRsit(r, 'rsit', true);
  const status = LIST_VALUES(q.status);
  for (const s of status ?? []) if (!(INCIDENT_STATUSES as readonly string[]).includes(s)) throw new AppError('VALIDATION_FAILED', `"${s}" is not a status of an incident`, { field: 'status' });
  const impactSeverity = LIST_VALUES(q.impactSeverity);
  for (const s of impactSeverity ?? []) taxonomy('impactSeverity', s, NIS2_IMPACT_SEVERITIES);
  for (const [field, v] of [['from', q.from], ['to', q.to]] as const)
    if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) throw new AppError('VALIDATION_FAILED', `"${v}" is not a date (YYYY-MM-DD)`, { field });
  if (q.from && q.to && q.from > q.to) throw new AppError('VALIDATION_FAILED', 'The period ends before it begins', { field: 'to' });
  if (q.community !== undefined && !UUID.test(q.community)) throw new AppError('VALIDATION_FAILED', 'A community is given by its id', { field: 'community' });
  const words = q.q?.trim() || undefined;
  return {
    country,
    sector,
    rsit,
    status: status as IncidentStatus[] | undefined,
    impactSeverity: impactSeverity as ImpactSeverity[] | undefined,
    from: q.from,
    to: q.to,
    community: q.community,
    q: words,
    exercise: q.exercise === true,
  };
}

function decodeCursor(c: string): { awareAt: string; id: string } {
  let text = '';
  try {
    text = Buffer.from(c, 'base64url').toString('utf8');
  } catch {
    text = '';
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(text);
  if (!m || !UUID.test(m[2]!)) throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server', { field: 'cursor' });
  return { awareAt: m[1]!, id: m[2]! };
}
const encodeCursor = (r: IncidentRow) => Buffer.from(`${r.aware_at.toISOString()}|${r.id}`).toString('base64url');

/** The list as the reader may see it: latest awareness first, filtered, paged by cursor. Exercise reports only when asked. */
export async function listIncidents(p: Platform, actor: Actor, q: IncidentFilterQuery & { limit?: number; cursor?: string; lang?: string }) {
  const f = parseIncidentFilters(q);
  const limit = q.limit ?? 50;
  if (q.lang) requireTag(q.lang, 'lang');
  const rows = await incidentPage(p.db, viewerOf(actor), f, { limit, after: q.cursor ? decodeCursor(q.cursor) : undefined });
  const page = rows.slice(0, limit);
  const clocks = await clocksOf(p.db, page.map((r) => r.id));
  const now = new Date();
  return {
    items: page.map((r) =>
      listView(
        actor,
        r,
        clocks.filter((c) => c.incident_id === r.id),
        now,
        q.lang,
      ),
    ),
    nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null,
  };
}

async function loadOne(p: Platform, actor: Actor, id: string): Promise<IncidentRow> {
  const r = await visibleIncident(p.db, viewerOf(actor), id);
  // Not visible and not there look the same.
  if (!r) throw notFound('Incident');
  return r;
}

/** The STIX objects linked to a report that the reader may see, with their relationship. */
async function visibleLinks(p: Platform, actor: Actor, incidentId: string): Promise<IncidentLink[]> {
  const links = await linksOf(p.db, incidentId);
  const objects = await visibleLinkedObjects(p.db, viewerOf(actor), links.map((l) => l.stix_id));
  const byId = new Map(objects.map((o) => [o.stix_id, o]));
  return links.flatMap((l) => {
    const o = byId.get(l.stix_id);
    return o ? [{ stixId: l.stix_id, type: o.stix_type, name: o.name ?? l.stix_id, relationship: l.relationship }] : [];
  });
}

/**
 * The timeline entries the reader may see. An entry about a link names a STIX object: it is
 * shown only to who may see that object too, whatever the entry's own marking.
 */
async function visibleTimeline(p: Platform, actor: Actor, incidentId: string): Promise<IncidentEntry[]> {
  const viewer = viewerOf(actor);
  const rows = await visibleEntries(p.db, viewer, incidentId);
  const named = rows.flatMap((e) => (e.action === 'link' || e.action === 'unlink' ? [String((e.detail as { stixId?: string }).stixId ?? '')] : []));
  const seen = new Set((await visibleLinkedObjects(p.db, viewer, named.filter(Boolean))).map((o) => o.stix_id));
  return rows
    .filter((e) => (e.action === 'link' || e.action === 'unlink' ? seen.has(String((e.detail as { stixId?: string }).stixId ?? '')) : true))
    .map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      action: e.action as IncidentEntryAction,
      detail: (e.detail ?? {}) as Record<string, unknown>,
      text: e.text,
      language: e.language,
      by: { person: e.author_id && e.person_name ? { id: e.author_id, name: e.person_name } : null, org: { id: e.author_org_id!, name: e.org_name } },
      tlp: e.tlp as Tlp,
    }));
}

/** One report in full: its text in the reader's language, its clocks, the links and timeline entries the reader may see. */
export async function getIncident(p: Platform, actor: Actor, id: string, lang?: string): Promise<IncidentReport> {
  if (lang) requireTag(lang, 'lang');
  const r = await loadOne(p, actor, id);
  const now = new Date();
  const [clocks, links, timeline] = await Promise.all([clocksOf(p.db, [r.id]), visibleLinks(p, actor, r.id), visibleTimeline(p, actor, r.id)]);
  const can = abilitiesOf(actor.principal, r);
  const s = shown(actor, r, lang);
  // What was told the authority is the owner's and the reporter's to read; others see that it was given, and when.
  const org = actor.principal?.organisation.id;
  const ownText = !!org && (org === r.owner_org_id || org === r.author_org_id);
  return {
    ...listView(actor, r, clocks, now, lang),
    description: s.fields.description,
    translation: s.info,
    rootCause: r.root_cause as RootCause | null,
    threatSeverity: r.threat_severity as ThreatSeverity | null,
    impactOutlook: r.impact_outlook as Outlook | null,
    subsectors: r.subsectors,
    crossBorder: r.cross_border,
    usersAffected: r.users_affected === null ? null : Number(r.users_affected),
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    closedAt: iso(r.closed_at),
    author: { org: { id: r.author_org_id!, name: r.author_org_name, country: r.author_org_country } },
    marking: { tlp: r.tlp as Tlp, pap: r.pap as Pap, audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people } },
    clocks: clocks.map((c) => clockView(c, now, ownText)),
    links,
    timeline,
    can,
    createdAt: r.created_at.toISOString(),
  };
}

// ---------- writing ----------

/** The marking a timeline entry of the report's own actions takes: the report's, reaching its reporter and owner. */
function entryMarkingOf(r: LockedIncident): { tlp: string; pap: string; audience_organisations: string[]; audience_communities: string[]; audience_people: string[] } {
  const orgs = new Set(r.audience_organisations);
  const people = new Set(r.audience_people);
  if (r.tlp === 'AMBER' || r.tlp === 'AMBER+STRICT') orgs.add(r.author_org_id!);
  if (r.tlp === 'RED') people.add(r.author_id!);
  return { tlp: r.tlp, pap: r.pap, audience_organisations: [...orgs], audience_communities: r.tlp === 'AMBER' ? r.audience_communities : [], audience_people: r.tlp === 'RED' ? [...people] : [] };
}

/**
 * Keep the report's STIX `incident` object in the intel store, a new version on every change, so that
 * it travels over TAXII like all intel. Stored by the acting organisation with the marking of the
 * report's own actions (reaching its reporter and owner). A version the store refuses never undoes the
 * change itself: the submission records why.
 */
export async function keepInStore(c: Change, pr: Principal, id: string) {
  const r = await lockIncident(c.trx, id);
  const m = entryMarkingOf(r);
  await ingestInTransaction(c.trx, [incidentObject(r)], {
    source: 'incident',
    actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
    defaultTlp: r.tlp as Tlp,
    tlp: r.tlp as Tlp,
    pap: r.pap as Pap,
    audience: { organisations: m.audience_organisations, communities: m.audience_communities, people: m.audience_people },
    keepWhenAllRejected: true,
  });
}

interface EntryInput {
  action: IncidentEntryAction;
  detail?: Record<string, unknown>;
  text?: string;
  language?: string | null;
  /** A narrative update's own marking; the report's otherwise. */
  marking?: { tlp: Tlp; pap: Pap; audience: Audience };
}

async function addEntry(c: Change, pr: Principal, r: LockedIncident, e: EntryInput, at = new Date()) {
  const m = e.marking
    ? { tlp: e.marking.tlp, pap: e.marking.pap, ...audienceColumns(e.marking.audience) }
    : entryMarkingOf(r);
  const id = newId();
  await c.trx
    .insertInto('incident_entries')
    .values({
      id,
      incident_id: r.id,
      at,
      action: e.action,
      detail: JSON.stringify(e.detail ?? {}),
      text: e.text ?? '',
      language: e.language ?? null,
      author_id: pr.person.id,
      author_org_id: pr.organisation.id,
      ...m,
    })
    .execute();
  return { id, marking: { tlp: m.tlp as Tlp, authorId: pr.person.id, authorOrgId: pr.organisation.id, audience: { organisations: m.audience_organisations, communities: m.audience_communities, people: m.audience_people } } };
}

/** Announce a change on the event stream, to who may see the report (and, for a narrower entry, the entry). */
async function announce(c: Change, type: string, r: LockedIncident, marking: Marking = markingOfRow(r), payload: Record<string, unknown> = {}) {
  await c.event({ type, subjectType: 'incident', subjectId: r.id, payload: { id: r.id, status: r.status, exercise: r.exercise, ...payload }, marking, pap: r.pap });
}

async function audit(c: Change, actor: Actor, action: AuditAction, r: { id: string; owner_org_id: string }, details: Record<string, unknown> = {}) {
  await c.audit({ action, ...auditActor(actor), organisationId: r.owner_org_id, targetType: 'incident', targetId: r.id, details });
}

/** Read through the policy, check the ability, then lock the row for the write. */
async function forWrite(p: Platform, actor: Actor, id: string, ability: keyof IncidentAbilities, what: string) {
  const pr = requireVetted(actor);
  const seen = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, seen)[ability]) throw forbidden(`Only members of the organisation handling the incident ${what}`);
  return { pr, seen };
}

interface NormalisedFields {
  title: string;
  description: string;
  language: string;
  rsit_class: string;
  root_cause: string | null;
  threat_severity: string | null;
  impact_severity: string | null;
  impact_outlook: string | null;
  sectors: string[];
  subsectors: string[];
  countries: string[];
  cross_border: boolean;
  users_affected: number | null;
  started_at: Date | null;
  ended_at: Date | null;
  aware_at: Date;
}

const cleanText = (s: string | undefined) => (s ?? '').replace(/\u0000/g, '');

/** A new incident report: the owner is the reporting organisation; the three NIS2 clocks start from awareness. */
export async function createIncident(p: Platform, actor: Actor, i: IncidentInput, o: { stixId?: string; at?: Date; within?: (c: Change, id: string) => Promise<void>; auditAction?: AuditAction } = {}) {
  const pr = requireVetted(actor);
  const id = await change(p, async (c) => {
    const created = await insertIncident(p, c, actor, pr, i, o);
    await o.within?.(c, created);
    return created;
  });
  return getIncident(p, actor, id);
}

/** The write of a new report inside an open change (the import writes several in one). */
export async function insertIncident(p: Platform, c: Change, actor: Actor, pr: Principal, i: IncidentInput, o: { stixId?: string; at?: Date; auditAction?: AuditAction; store?: boolean } = {}) {
  checkTaxonomies(i);
  const language = requireTag(i.language);
  const title = cleanText(i.title).trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  const awareAt = time(i.awareAt, 'awareAt')!;
  const startedAt = time(i.startedAt, 'startedAt');
  const endedAt = time(i.endedAt, 'endedAt');
  checkClocks({ awareAt, startedAt, endedAt });
  const countries = [...new Set(i.countries ?? [])];
  await checkCountries(c.trx, countries);
  const tlp: Tlp = i.tlp ?? 'AMBER';
  const audience = withOwner(tlp, normaliseAudience(tlp, i.audience), pr.organisation.id);
  await checkAudienceExists(c.trx, audience);
  const id = newId();
  const now = o.at ?? new Date();
  await c.trx
    .insertInto('incident_reports')
    .values({
      id,
      // A version 4 UUID: STIX ids are RFC 4122 UUIDs of the versions 1 to 5, not the UUIDv7 of the row.
      stix_id: o.stixId ?? `incident--${crypto.randomUUID()}`,
      title,
      description: cleanText(i.description),
      language,
      translations: '{}',
      rsit_class: i.rsitClass,
      root_cause: i.rootCause ?? null,
      threat_severity: i.threatSeverity ?? null,
      impact_severity: i.impactSeverity ?? null,
      impact_outlook: i.impactOutlook ?? null,
      sectors: [...new Set(i.sectors ?? [])],
      subsectors: [...new Set(i.subsectors ?? [])],
      countries,
      cross_border: i.crossBorder ?? countries.length > 1,
      users_affected: i.usersAffected ?? null,
      started_at: startedAt,
      ended_at: endedAt,
      aware_at: awareAt,
      owner_org_id: pr.organisation.id,
      exercise: i.exercise ?? false,
      tlp,
      pap: i.pap ?? 'AMBER',
      author_id: pr.person.id,
      author_org_id: pr.organisation.id,
      ...audienceColumns(audience),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const due = dueTimes(awareAt);
  await c.trx
    .insertInto('incident_nis2_reports')
    .values((['early-warning', 'notification', 'final'] as const).map((kind) => ({ id: newId(), incident_id: id, kind, due_at: due[kind] })))
    .execute();
  const r = await lockIncident(c.trx, id);
  const e = await addEntry(c, pr, r, { action: 'created', detail: { status: 'new', rsitClass: r.rsit_class, exercise: r.exercise } }, now);
  await audit(c, actor, o.auditAction ?? 'incident.created', r, { tlp, exercise: r.exercise, stixId: r.stix_id });
  await announce(c, 'incident.created', r, markingOfRow(r), { title, entryId: e.id });
  if (o.store !== false) await keepInStore(c, pr, id);
  return id;
}

const FIELD_OF: Record<string, keyof NormalisedFields> = {
  title: 'title',
  description: 'description',
  language: 'language',
  rsitClass: 'rsit_class',
  rootCause: 'root_cause',
  threatSeverity: 'threat_severity',
  impactSeverity: 'impact_severity',
  impactOutlook: 'impact_outlook',
  sectors: 'sectors',
  subsectors: 'subsectors',
  countries: 'countries',
  crossBorder: 'cross_border',
  usersAffected: 'users_affected',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  awareAt: 'aware_at',
};

const same = (a: unknown, b: unknown) => {
  const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : typeof v === 'bigint' || (typeof v === 'string' && /^\d+$/.test(v)) ? String(v) : v);
  return JSON.stringify(norm(a)) === JSON.stringify(typeof b === 'number' ? String(b) : norm(b));
};

/** Change fields of a report (its owner): a text change is a new source revision; a marking change keeps the owner in the audience. */
export async function updateIncident(p: Platform, actor: Actor, id: string, i: IncidentPatch, o: { auditAction?: AuditAction } = {}) {
  const { pr, seen } = await forWrite(p, actor, id, 'edit', 'change it');
  await change(p, (c) => patchIncident(p, c, actor, pr, seen.id, i, o));
  return getIncident(p, actor, seen.id);
}

/** The write of a change inside an open change (the import updates in one with its other objects). */
export async function patchIncident(p: Platform, c: Change, actor: Actor, pr: Principal, id: string, i: IncidentPatch, o: { auditAction?: AuditAction; store?: boolean } = {}) {
  checkTaxonomies(i);
  const r = await lockIncident(c.trx, id);
  const next: Partial<NormalisedFields> = {};
  if (i.title !== undefined) {
    next.title = cleanText(i.title).trim();
    if (!next.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  }
  if (i.description !== undefined) next.description = cleanText(i.description);
  if (i.language !== undefined) next.language = requireTag(i.language);
  if (i.rsitClass !== undefined) next.rsit_class = i.rsitClass;
  if (i.rootCause !== undefined) next.root_cause = i.rootCause;
  if (i.threatSeverity !== undefined) next.threat_severity = i.threatSeverity;
  if (i.impactSeverity !== undefined) next.impact_severity = i.impactSeverity;
  if (i.impactOutlook !== undefined) next.impact_outlook = i.impactOutlook;
  if (i.sectors !== undefined) next.sectors = [...new Set(i.sectors)];
  if (i.subsectors !== undefined) next.subsectors = [...new Set(i.subsectors)];
  if (i.countries !== undefined) {
    next.countries = [...new Set(i.countries)];
    await checkCountries(c.trx, next.countries);
  }
  if (i.crossBorder !== undefined) next.cross_border = i.crossBorder;
  if (i.usersAffected !== undefined) next.users_affected = i.usersAffected;
  if (i.startedAt !== undefined) next.started_at = time(i.startedAt, 'startedAt');
  if (i.endedAt !== undefined) next.ended_at = time(i.endedAt, 'endedAt');
  if (i.awareAt !== undefined) {
    if (i.awareAt === null) throw clockError('awareAt', 'Awareness is the start of every clock: it cannot be removed');
    next.aware_at = time(i.awareAt, 'awareAt')!;
  }
  const awareAt = next.aware_at ?? r.aware_at;
  // Times already on the report are checked only with those changed: a report imported with times
  // this check would refuse stays editable in its other fields.
  if (next.aware_at || next.started_at !== undefined || next.ended_at !== undefined)
    checkClocks({ awareAt, startedAt: next.started_at !== undefined ? next.started_at : r.started_at, endedAt: next.ended_at !== undefined ? next.ended_at : r.ended_at });
  const changed = (Object.keys(next) as (keyof NormalisedFields)[]).filter((k) => !same(r[k], next[k]));
  // The marking.
  const tlp: Tlp = i.tlp ?? (r.tlp as Tlp);
  let audience: Audience | null = null;
  if (i.tlp !== undefined || i.audience !== undefined) {
    const asked = i.audience ?? (i.tlp !== undefined && i.tlp !== r.tlp ? undefined : { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people });
    audience = withOwner(tlp, normaliseAudience(tlp, asked), r.owner_org_id);
    if (tlp === 'RED' && r.owner_org_id !== r.author_org_id)
      throw new AppError('INVALID_MARKING', 'A report handed over cannot become TLP:RED: its owner organisation would no longer read it', { field: 'tlp' });
    await checkAudienceExists(c.trx, audience);
  }
  const markingChanged =
    audience !== null &&
    (tlp !== r.tlp ||
      !same([...audience.organisations].sort(), [...r.audience_organisations].sort()) ||
      !same([...audience.communities].sort(), [...r.audience_communities].sort()) ||
      !same([...audience.people].sort(), [...r.audience_people].sort()));
  const papChanged = i.pap !== undefined && i.pap !== r.pap;
  if (!changed.length && !markingChanged && !papChanged) return r.id;
  const textChanged = changed.some((k) => k === 'title' || k === 'description' || k === 'language');
  const now = new Date();
  await c.trx
    .updateTable('incident_reports')
    .set({
      ...Object.fromEntries(changed.map((k) => [k, next[k]])),
      ...(textChanged ? { source_rev: r.source_rev + 1 } : {}),
      ...(markingChanged ? { tlp, ...audienceColumns(audience!) } : {}),
      ...(papChanged ? { pap: i.pap } : {}),
      updated_at: now,
    })
    .where('id', '=', r.id)
    .execute();
  if (changed.includes('aware_at')) await recomputeClocks(c, r.id, awareAt);
  const after = await lockIncident(c.trx, r.id);
  const fields = changed.map((k) => Object.keys(FIELD_OF).find((f) => FIELD_OF[f] === k)!);
  if (markingChanged) fields.push('marking');
  if (papChanged) fields.push('pap');
  await addEntry(c, pr, after, { action: 'updated', detail: { fields, ...(markingChanged && tlp !== r.tlp ? { from: r.tlp, to: tlp } : {}) } }, now);
  await audit(c, actor, o.auditAction ?? 'incident.updated', after, { fields, ...(markingChanged ? { from: r.tlp, to: tlp } : {}) });
  await announce(c, 'incident.updated', after, markingOfRow(after), { fields });
  if (o.store !== false) await keepInStore(c, pr, r.id);
  return r.id;
}

/** Due times follow awareness: the reports not yet given move with it (the final from the notification's submission when given). */
async function recomputeClocks(c: Change, incidentId: string, awareAt: Date) {
  const rows = await c.trx.selectFrom('incident_nis2_reports').selectAll().where('incident_id', '=', incidentId).execute();
  const notified = rows.find((x) => x.kind === 'notification' && x.submitted_at)?.submitted_at ?? null;
  const due = dueTimes(awareAt, notified);
  for (const x of rows) {
    if (x.submitted_at || x.kind === 'intermediate') continue;
    const d = due[x.kind as 'early-warning' | 'notification' | 'final'];
    if (d.getTime() !== x.due_at.getTime()) await c.trx.updateTable('incident_nis2_reports').set({ due_at: d, reminded_at: null }).where('id', '=', x.id).execute();
  }
}

/** Move a report along its lifecycle (INCIDENT_TRANSITIONS); closing needs an outcome, reopening clears it. */
export async function moveIncident(p: Platform, actor: Actor, id: string, b: { status: IncidentStatus; outcome?: IncidentOutcome; note?: string }) {
  const { pr, seen } = await forWrite(p, actor, id, 'move', 'move it');
  if (!(INCIDENT_STATUSES as readonly string[]).includes(b.status)) throw new AppError('VALIDATION_FAILED', `"${b.status}" is not a status of an incident`, { field: 'status' });
  if (b.outcome !== undefined && !(INCIDENT_OUTCOMES as readonly string[]).includes(b.outcome)) taxonomy('outcome', b.outcome, INCIDENT_OUTCOMES);
  if (b.status === 'closed' && !b.outcome) throw new AppError('VALIDATION_FAILED', 'Closing an incident says how it ended: give an outcome', { field: 'outcome' });
  if (b.status !== 'closed' && b.outcome) throw new AppError('VALIDATION_FAILED', 'Only closing an incident gives it an outcome', { field: 'outcome' });
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    const from = r.status as IncidentStatus;
    const allowed = INCIDENT_TRANSITIONS[from];
    if (!allowed.includes(b.status))
      throw new AppError('INCIDENT_INVALID_TRANSITION', `An incident that is ${from} cannot move to ${b.status}`, { from, to: b.status, allowed });
    const now = new Date();
    await c.trx
      .updateTable('incident_reports')
      .set({ status: b.status, outcome: b.status === 'closed' ? b.outcome! : null, closed_at: b.status === 'closed' ? now : null, updated_at: now })
      .where('id', '=', r.id)
      .execute();
    const after = await lockIncident(c.trx, r.id);
    await addEntry(c, pr, after, { action: 'status', detail: { from, to: b.status, ...(b.outcome ? { outcome: b.outcome } : {}) }, text: cleanText(b.note).slice(0, LIMITS.note) }, now);
    await audit(c, actor, 'incident.status_changed', after, { from, to: b.status, ...(b.outcome ? { outcome: b.outcome } : {}) });
    await announce(c, 'incident.status_changed', after, markingOfRow(after), { from, to: b.status });
    await keepInStore(c, pr, r.id);
  });
  return getIncident(p, actor, seen.id);
}

/**
 * Hand a report over to another approved organisation: it owns and handles it from now on and joins
 * the audience; the reporting organisation keeps reading it. A TLP:RED report names people only,
 * so it is handed over after widening it to AMBER+STRICT at least.
 */
export async function handOverIncident(p: Platform, actor: Actor, id: string, organisationId: string) {
  const { pr, seen } = await forWrite(p, actor, id, 'handover', 'hand it over');
  const to = await organisationById(p.db, organisationId);
  if (!to || to.status !== 'approved') throw new AppError('VALIDATION_FAILED', 'Hand an incident over to an approved member organisation', { field: 'organisationId' });
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    if (r.owner_org_id === to.id) throw invalidState('The incident is handled by this organisation already');
    if (r.tlp === 'RED') throw new AppError('INVALID_MARKING', 'A TLP:RED report is shared with named people only: widen it to TLP:AMBER+STRICT or AMBER to hand it over', { field: 'tlp' });
    const audience = withOwner(r.tlp as Tlp, { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }, to.id);
    const now = new Date();
    await c.trx.updateTable('incident_reports').set({ owner_org_id: to.id, ...audienceColumns(audience), updated_at: now }).where('id', '=', r.id).execute();
    // The new owner takes over the case's history: the entries of its actions, marked as the report
    // was. Narrative updates keep the marking their writers chose.
    await c.trx
      .updateTable('incident_entries')
      .set({ audience_organisations: sql<string[]>`array_append(audience_organisations, ${to.id}::uuid)` })
      .where('incident_id', '=', r.id)
      .where('action', '<>', 'update')
      .where('tlp', 'in', ['AMBER', 'AMBER+STRICT'])
      .where(sql<boolean>`NOT (audience_organisations @> ARRAY[${to.id}::uuid])`)
      .execute();
    const after = await lockIncident(c.trx, r.id);
    await addEntry(c, pr, after, { action: 'handover', detail: { from: r.owner_org_id, to: to.id, toName: to.name } }, now);
    await audit(c, actor, 'incident.handed_over', { id: r.id, owner_org_id: r.owner_org_id }, { from: r.owner_org_id, to: to.id });
    await announce(c, 'incident.handed_over', after, markingOfRow(after), { from: r.owner_org_id, to: to.id });
    await keepInStore(c, pr, r.id);
  });
  return getIncident(p, actor, seen.id);
}

/**
 * Give an NIS2 report to the CSIRT or authority. The final report comes after the notification, and
 * its due time moves to one month after the notification's submission. An intermediate report answers
 * the oldest request still open, or is given unasked.
 */
export async function submitReport(p: Platform, actor: Actor, id: string, b: { kind: Nis2Report; text: string }) {
  const { pr, seen } = await forWrite(p, actor, id, 'report', 'report it to the authority');
  if (!(NIS2_REPORTS as readonly string[]).includes(b.kind)) throw new AppError('VALIDATION_FAILED', `"${b.kind}" is not an NIS2 report`, { field: 'kind' });
  const text = cleanText(b.text).trim();
  if (!text) throw new AppError('VALIDATION_FAILED', 'Say what was reported', { field: 'text' });
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    const rows = await c.trx.selectFrom('incident_nis2_reports').selectAll().where('incident_id', '=', r.id).orderBy('due_at').forUpdate().execute();
    const now = new Date();
    let row = rows.find((x) => x.kind === b.kind && !x.submitted_at);
    if (b.kind === 'final' && !rows.some((x) => x.kind === 'notification' && x.submitted_at)) throw invalidState('The final report follows the incident notification: submit the notification first');
    if (!row && b.kind !== 'intermediate') throw invalidState(`The ${b.kind} report was submitted already`);
    if (!row) {
      row = { id: newId(), incident_id: r.id, kind: 'intermediate', due_at: now, requested_at: null, requested_by_org: null, submitted_at: null, submitted_by: null, text: '', reminded_at: null };
      await c.trx.insertInto('incident_nis2_reports').values({ id: row.id, incident_id: r.id, kind: 'intermediate', due_at: now }).execute();
    }
    await c.trx.updateTable('incident_nis2_reports').set({ submitted_at: now, submitted_by: pr.person.id, text: text.slice(0, LIMITS.report) }).where('id', '=', row.id).execute();
    if (b.kind === 'notification') {
      const final = rows.find((x) => x.kind === 'final' && !x.submitted_at);
      if (final) await c.trx.updateTable('incident_nis2_reports').set({ due_at: addMonths(now, FINAL_REPORT_MONTHS), reminded_at: null }).where('id', '=', final.id).execute();
    }
    await c.trx.updateTable('incident_reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    const late = now > row.due_at;
    await addEntry(c, pr, r, { action: 'report', detail: { kind: b.kind, dueAt: row.due_at.toISOString(), late } }, now);
    await audit(c, actor, 'incident.report_submitted', r, { kind: b.kind, late });
    await announce(c, 'incident.report_submitted', r, markingOfRow(r), { kind: b.kind });
  });
  return getIncident(p, actor, seen.id);
}

/** The national CSIRT (or authority) asks for an intermediate report, due when it says. Recorded by the owner, who was asked. */
export async function requestIntermediate(p: Platform, actor: Actor, id: string, b: { dueAt: string; organisationId?: string }) {
  const { pr, seen } = await forWrite(p, actor, id, 'report', 'record a request for a report');
  const dueAt = time(b.dueAt, 'dueAt')!;
  const now = new Date();
  if (dueAt.getTime() < now.getTime() - CLOCK_SKEW_MS) throw clockError('dueAt', 'A report asked for now cannot be due in the past');
  let by: string | null = null;
  if (b.organisationId) {
    const o = await organisationById(p.db, b.organisationId);
    if (!o) throw new AppError('VALIDATION_FAILED', 'Unknown organisation', { field: 'organisationId' });
    by = o.id;
  }
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    if (r.status === 'closed') throw invalidState('A closed incident takes no more reports');
    const exists = await c.trx.selectFrom('incident_nis2_reports').select('id').where('incident_id', '=', r.id).where('kind', '=', 'intermediate').where('due_at', '=', dueAt).executeTakeFirst();
    if (exists) throw new AppError('ALREADY_EXISTS', 'An intermediate report is asked for this time already');
    await c.trx.insertInto('incident_nis2_reports').values({ id: newId(), incident_id: r.id, kind: 'intermediate', due_at: dueAt, requested_at: now, requested_by_org: by }).execute();
    await c.trx.updateTable('incident_reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    await addEntry(c, pr, r, { action: 'report', detail: { kind: 'intermediate', requested: true, dueAt: dueAt.toISOString(), ...(by ? { by } : {}) } }, now);
    await audit(c, actor, 'incident.report_requested', r, { dueAt: dueAt.toISOString() });
    await announce(c, 'incident.report_requested', r, markingOfRow(r), { kind: 'intermediate', dueAt: dueAt.toISOString() });
  });
  return getIncident(p, actor, seen.id);
}

/**
 * Is marking `m` no wider than the report's? Every reader it allows must be a reader of the report:
 * a level that reaches no more people, organisations and communities the report reaches, people who
 * may read the report. Decided on the markings (and, for named people, on who they are now).
 */
async function checkNotWider(c: Change, r: LockedIncident, m: { tlp: Tlp; audience: Audience }, writer: Principal) {
  const parent = markingOfRow(r);
  const refuse = () =>
    new AppError('MARKING_WIDER_THAN_PARENT', `A part of a TLP:${r.tlp} report cannot be marked wider than it`, {
      field: 'marking',
      report: { tlp: r.tlp, audience: parent.audience },
      asked: { tlp: m.tlp, audience: m.audience },
    });
  if (tlpRank(m.tlp) < tlpRank(r.tlp as Tlp)) throw refuse();
  if (m.tlp === 'CLEAR' || m.tlp === 'GREEN') return;
  const reportOrgs = new Set([...r.audience_organisations, r.author_org_id!]);
  const communityLevel = r.tlp === 'CLEAR' || r.tlp === 'GREEN';
  if (m.tlp === 'AMBER' || m.tlp === 'AMBER+STRICT') {
    if (communityLevel) return;
    // The writer's organisation reads the part as its author's: it must read the report too.
    if (![...m.audience.organisations, writer.organisation.id].every((o) => reportOrgs.has(o))) throw refuse();
    if (!m.audience.communities.every((x) => r.tlp === 'AMBER' && r.audience_communities.includes(x))) throw refuse();
    return;
  }
  // RED: the people named must read the report now.
  for (const person of m.audience.people) {
    const parts = await loadPrincipalParts(c.trx, person);
    if (!parts || !parts.viewer.vetted || !canSee(parts.viewer, parent)) throw refuse();
  }
}

/** A narrative update: its own language and marking, never wider than the report's. */
export async function addUpdate(p: Platform, actor: Actor, id: string, b: { text: string; language: string; marking?: { tlp: Tlp; pap?: Pap; audience?: Partial<Audience> } }) {
  const { pr, seen } = await forWrite(p, actor, id, 'edit', 'write its updates');
  const text = cleanText(b.text).trim();
  if (!text) throw new AppError('VALIDATION_FAILED', 'An update says something', { field: 'text' });
  const language = requireTag(b.language);
  let entryId = '';
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    let marking: EntryInput['marking'];
    if (b.marking) {
      const audience = normaliseAudience(b.marking.tlp, b.marking.audience);
      await checkAudienceExists(c.trx, audience);
      await checkNotWider(c, r, { tlp: b.marking.tlp, audience }, pr);
      marking = { tlp: b.marking.tlp, pap: b.marking.pap ?? (r.pap as Pap), audience };
    }
    const now = new Date();
    const e = await addEntry(c, pr, r, { action: 'update', text: text.slice(0, LIMITS.update), language, marking }, now);
    entryId = e.id;
    await c.trx.updateTable('incident_reports').set({ updated_at: now }).where('id', '=', r.id).execute();
    await audit(c, actor, 'incident.update_added', r, { entryId: e.id, tlp: e.marking.tlp });
    // The event carries no text; it reaches who may read the entry (and, at delivery, the report).
    await announce(c, 'incident.update_added', r, e.marking, { entryId: e.id });
  });
  const full = await getIncident(p, actor, seen.id);
  return { ...full, entryId };
}

/** Link an object of the STIX store the writer may see; a link to an object they cannot see is a 404, as if it were not there. */
export async function linkIntel(p: Platform, actor: Actor, id: string, b: { stixId: string; relationship?: string }) {
  const { pr, seen } = await forWrite(p, actor, id, 'link', 'link intelligence to it');
  const [object] = await visibleLinkedObjects(p.db, pr.viewer, [b.stixId]);
  if (!object) throw notFound('STIX object');
  const relationship = b.relationship ?? 'related-to';
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    const count = await c.trx.selectFrom('incident_links').select((eb) => eb.fn.countAll<string>().as('n')).where('incident_id', '=', r.id).executeTakeFirstOrThrow();
    if (Number(count.n) >= LIMITS.links) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.links} links`, { field: 'stixId' });
    const res = await c.trx
      .insertInto('incident_links')
      .values({ incident_id: r.id, stix_id: object.stix_id, relationship, created_by: pr.person.id })
      .onConflict((oc) => oc.columns(['incident_id', 'stix_id']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) throw new AppError('ALREADY_EXISTS', 'This object is linked already');
    await addEntry(c, pr, r, { action: 'link', detail: { stixId: object.stix_id, type: object.stix_type, relationship } });
    await audit(c, actor, 'incident.linked', r, { stixId: object.stix_id, relationship });
    // The event names no object: who may see the report need not see what was linked.
    await announce(c, 'incident.linked', r);
  });
  return getIncident(p, actor, seen.id);
}

export async function unlinkIntel(p: Platform, actor: Actor, id: string, stixId: string) {
  const { pr, seen } = await forWrite(p, actor, id, 'link', 'remove its links');
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    const res = await c.trx.deleteFrom('incident_links').where('incident_id', '=', r.id).where('stix_id', '=', stixId).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw notFound('Link');
    await addEntry(c, pr, r, { action: 'unlink', detail: { stixId } });
    await audit(c, actor, 'incident.unlinked', r, { stixId });
    await announce(c, 'incident.unlinked', r);
  });
}

// ---------- translations ----------

/** Add or replace a translation of the title and description (its owner). */
export async function translateIncident(p: Platform, actor: Actor, id: string, lang: string, t: { title: string; description?: string; machine?: boolean; basedOn?: number }) {
  const { pr, seen } = await forWrite(p, actor, id, 'edit', 'translate it');
  const fields = { title: cleanText(t.title).trim(), description: cleanText(t.description) };
  if (!fields.title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    const translations = withTranslation<TextField>(r.translations, r, lang, fields, { by: pr.person.id, machine: t.machine, basedOn: t.basedOn });
    await c.trx.updateTable('incident_reports').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await audit(c, actor, 'incident.translated', r, { language: requireTag(lang), machine: !!t.machine });
  });
  return getIncident(p, actor, seen.id, lang);
}

export async function removeIncidentTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const { seen } = await forWrite(p, actor, id, 'edit', 'translate it');
  await change(p, async (c) => {
    const r = await lockIncident(c.trx, seen.id);
    const translations = withoutTranslation<TextField>(r.translations, requireTag(lang));
    await c.trx.updateTable('incident_reports').set({ translations: JSON.stringify(translations), updated_at: new Date() }).where('id', '=', r.id).execute();
    await audit(c, actor, 'incident.translation_removed', r, { language: lang });
  });
  return getIncident(p, actor, seen.id);
}

// ---------- for the translation queue (features/translations) ----------

export interface TranslatableIncident {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Record<TextField, string>;
}

/** One report this person may translate (its owner's members), or 404 / 403. */
export async function loadTranslatableIncident(p: Platform, actor: Actor, id: string): Promise<TranslatableIncident> {
  const { seen: r } = await forWrite(p, actor, id, 'edit', 'translate it');
  return { id: r.id, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title, description: r.description } };
}

/** The open reports of this person's organisation, to translate. */
export async function translatableIncidents(p: Platform, pr: Principal): Promise<TranslatableIncident[]> {
  const rows = await incidentPage(p.db, pr.viewer, { exercise: false }, { limit: 200 });
  return rows
    .filter((r) => r.owner_org_id === pr.organisation.id)
    .map((r) => ({ id: r.id, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title, description: r.description } }));
}
