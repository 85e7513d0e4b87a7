import { asActor, expertAbilities, missionEvaluationAllowed } from '../../platform/access/abilities.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, normaliseAudience, type Audience, type Marking, type Pap, type Tlp } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { change, type Change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireTag, sameLanguage, showFor, translationsOf, withoutTranslation, withTranslation, type TranslationInfo } from '../../platform/translations.js';
import {
  approvedOrganisations,
  availabilityOf,
  availabilityWindow,
  currentProfileOf,
  deleteAvailability,
  deleteMission,
  evaluateMission,
  expertCount,
  expertPage,
  insertAvailability,
  insertExpert,
  insertMission,
  knownCountries,
  missionOf,
  missionsOf,
  organisationExperts,
  personOf,
  taggedExperts,
  updateAvailability,
  updateExpert,
  updateMission,
  visibleExpert,
  type ExpertFilters,
  type ExpertRow,
  type MissionRow,
  type MissionValues,
} from './repository.js';
import { sessionsForExpert } from '../staffing/views.js';

export const EXPERT_STATUSES = ['proposed', 'vetted', 'withdrawn'] as const;
export type ExpertStatus = (typeof EXPERT_STATUSES)[number];
/** Experts are for members only: every level but CLEAR. */
export const EXPERT_TLPS = ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
/** The fields every language version holds. */
export const TEXT_FIELDS = ['headline', 'biography'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type Texts = Record<TextField, string>;
/** The scheme skills come from: the ENISA ECSF role profiles. */
export const SKILL_SCHEME = 'ecsf-roles';

/** Limits, documented in the API. */
export const LIMITS = { headline: 200, biography: 10_000, skills: 12, languages: 20, countries: 60, windows: 50, missions: 200, note: 500, missionTitle: 300, comment: 2000 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;

export interface ExpertInput {
  personId?: string;
  language: string;
  headline: string;
  biography?: string;
  skills?: string[];
  concepts?: string[];
  languages?: string[];
  countries?: string[];
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

export interface WindowInput {
  from: string;
  to: string;
  note?: string;
}

export interface MissionInput {
  title: string;
  country?: string | null;
  startsOn: string;
  endsOn?: string | null;
  offerId?: string | null;
  requestId?: string | null;
  hostOrganisationId?: string | null;
}

function abilitiesOf(pr: Principal | null, r: ExpertRow) {
  return expertAbilities(asActor(pr), { personId: r.person_id, authorId: r.author_id, authorOrgId: r.author_org_id, status: r.status });
}

const sourceOf = (r: Pick<ExpertRow, 'headline' | 'biography'>): Texts => ({ headline: r.headline, biography: r.biography });

function shown(actor: Actor, r: ExpertRow, lang?: string): { fields: Texts; info: TranslationInfo } {
  return showFor<TextField>({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) }, actor.readerLanguages, lang);
}

const markingOfRow = (r: Pick<ExpertRow, 'tlp' | 'author_id' | 'author_org_id' | 'audience_organisations' | 'audience_communities' | 'audience_people'>): Marking => ({
  tlp: r.tlp as Tlp,
  authorId: r.author_id,
  authorOrgId: r.author_org_id,
  audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
});

/**
 * Who hears of a change to a profile: those its marking allows, and — until it is vetted, or once
 * withdrawn — only within its organisation (its author and the person under RED, the
 * organisation otherwise). The stream also checks the profile's marking now (event-subjects.ts).
 */
function eventMarking(m: Marking, status: string, personId: string): Marking {
  if (status === 'vetted') return m;
  if (m.tlp === 'RED') return { ...m, audience: { organisations: [], communities: [], people: [personId] } };
  return { tlp: 'AMBER+STRICT', authorId: m.authorId, authorOrgId: m.authorOrgId, audience: { organisations: [], communities: [], people: [] } };
}

async function announce(c: Change, type: string, r: { id: string; status: string; person_id: string; author_org_id: string | null; pap: string }, m: Marking, extra: Record<string, unknown> = {}) {
  // Identifiers and the status only: the stream carries no text of a profile.
  await c.event({ type, subjectType: 'expert', subjectId: r.id, payload: { expertId: r.id, organisationId: r.author_org_id, status: r.status, ...extra }, marking: eventMarking(m, r.status, r.person_id), pap: r.pap });
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** What a list shows of a profile. */
function summaryView(actor: Actor, r: ExpertRow, windows: { from: string; to: string }[], lang?: string) {
  const s = shown(actor, r, lang);
  return {
    id: r.id,
    person: { id: r.person_id, name: r.person_name },
    organisation: { id: r.author_org_id!, name: r.org_name, country: r.org_country },
    headline: s.fields.headline,
    translation: s.info,
    skills: r.skills,
    concepts: r.concepts,
    languages: r.languages,
    countries: r.countries,
    status: r.status as ExpertStatus,
    tlp: r.tlp as Tlp,
    available: windows.map((w) => ({ from: w.from, to: w.to })),
    missions: { count: r.mission_count, meanEvaluation: round(r.mission_mean) },
    updatedAt: r.updated_at.toISOString(),
    can: abilitiesOf(actor.principal, r),
  };
}

function missionView(actor: Actor, r: ExpertRow, m: MissionRow) {
  return {
    id: m.id,
    title: m.title,
    country: m.country,
    startsOn: m.starts_on,
    endsOn: m.ends_on,
    offerId: m.offer_id,
    requestId: m.request_id,
    host: m.host_org_id ? { id: m.host_org_id, name: m.host_name ?? '' } : null,
    evaluation:
      m.evaluation !== null && m.evaluated_at
        ? { score: m.evaluation, comment: m.evaluation_comment, by: m.evaluator_name ?? null, organisationId: m.evaluated_by_org, at: m.evaluated_at.toISOString() }
        : null,
    can: { evaluate: missionEvaluationAllowed(asActor(actor.principal), { hostOrgId: m.host_org_id, expertOrgId: r.author_org_id }) && m.starts_on <= today() },
  };
}

const today = () => new Date().toISOString().slice(0, 10);

async function loadOne(p: Platform, actor: Actor, id: string): Promise<ExpertRow> {
  // Not visible and not there look the same.
  const r = UUID.test(id) ? await visibleExpert(p.db, viewerOf(actor), id) : undefined;
  if (!r) throw notFound('Expert');
  return r;
}

/** The pool as the reader may see it: filters, words in any language version or the name, a count over the visible profiles only. */
export async function listExperts(
  p: Platform,
  actor: Actor,
  q: { q?: string; lang?: string; skill?: string; concept?: string; language?: string; country?: string; from?: string; to?: string; organisation?: string; status?: string; limit?: number; cursor?: string },
) {
  const limit = q.limit ?? 30;
  if (q.lang) requireTag(q.lang, 'lang');
  let before: string | undefined;
  if (q.cursor) {
    const m = /^b([0-9a-f-]{36})$/.exec(q.cursor);
    if (!m || !UUID.test(m[1]!)) throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server', { field: 'cursor' });
    before = m[1];
  }
  if (q.from && q.to && q.to < q.from) throw new AppError('VALIDATION_FAILED', 'The end of the period comes before its start', { field: 'to' });
  const f: ExpertFilters = {
    q: q.q?.trim() || undefined,
    skill: q.skill,
    concept: q.concept,
    language: q.language ? requireTag(q.language, 'language').split('-')[0]!.toLowerCase() : undefined,
    country: q.country,
    from: q.from,
    to: q.to,
    organisation: q.organisation,
    status: q.status,
  };
  const viewer = viewerOf(actor);
  const [rows, total] = await Promise.all([expertPage(p.db, viewer, f, { limit, before }), expertCount(p.db, viewer, f)]);
  const page = rows.slice(0, limit);
  const windows = await availabilityOf(p.db, page.map((r) => r.id), { current: true });
  const last = page.at(-1);
  return {
    items: page.map((r) => summaryView(actor, r, windows.get(r.id) ?? [], q.lang)),
    total,
    nextCursor: rows.length > limit && last ? `b${last.id}` : null,
  };
}

/** One profile in full: its text in the reader's language (or `lang`), its availability and missions with their evaluations. */
export async function getExpert(p: Platform, actor: Actor, id: string, lang?: string) {
  if (lang) requireTag(lang, 'lang');
  const r = await loadOne(p, actor, id);
  const [windows, missions, staffing] = await Promise.all([availabilityOf(p.db, [r.id]), missionsOf(p.db, [r.id]), sessionsForExpert(p, actor, r)]);
  const s = shown(actor, r, lang);
  const can = abilitiesOf(actor.principal, r);
  const all = windows.get(r.id) ?? [];
  return {
    ...summaryView(actor, r, all.filter((w) => w.to >= today()), lang),
    biography: s.fields.biography,
    language: r.language,
    pap: r.pap as Pap,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    availability: all.map((w) => ({ id: w.id, from: w.from, to: w.to, note: w.note })),
    missionList: (missions.get(r.id) ?? []).map((m) => missionView(actor, r, m)),
    upcomingSessions: staffing.upcomingSessions,
    staffProposals: staffing.staffProposals,
    canAnswerStaffing: staffing.canAnswer,
    vettedAt: r.vetted_at ? r.vetted_at.toISOString() : null,
    withdrawnAt: r.withdrawn_at ? r.withdrawn_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
    sourceTexts: can.translate ? sourceOf(r) : null,
  };
}

// ---------- writing a profile ----------

async function checkSkills(p: Platform, skills: readonly string[] | undefined, kept: readonly string[] = []) {
  if (!skills) return undefined;
  const wanted = [...new Set(skills)];
  if (wanted.length > LIMITS.skills) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.skills} skills`, { field: 'skills' });
  const other = wanted.filter((s) => !s.startsWith(`${SKILL_SCHEME}/`));
  if (other.length) throw new AppError('VALIDATION_FAILED', `Skills are ECSF role profiles (${SKILL_SCHEME}/…): ${other.join(', ')}`, { field: 'skills', unknown: other });
  return requireConcepts(p.db, wanted, kept);
}

function checkLanguages(languages: readonly string[] | undefined) {
  if (!languages) return undefined;
  if (languages.length > LIMITS.languages) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.languages} languages`, { field: 'languages' });
  const out: string[] = [];
  for (const l of languages) {
    const tag = requireTag(l, 'languages');
    if (!out.some((x) => x === tag)) out.push(tag);
  }
  return out;
}

async function checkCountries(p: Platform, codes: readonly string[] | undefined, field = 'countries') {
  if (!codes) return undefined;
  const wanted = [...new Set(codes)];
  if (wanted.length > LIMITS.countries) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.countries} countries`, { field });
  const known = await knownCountries(p.db, wanted);
  const bad = wanted.filter((c) => !known.has(c));
  if (bad.length) throw new AppError('VALIDATION_FAILED', `Not a country: ${bad.join(', ')}`, { field, unknown: bad });
  return wanted;
}

/** The marking of a profile: never CLEAR; under RED the person always among those it is shared with. */
async function markingFor(p: Platform, tlp: Tlp, audience: Partial<Audience> | undefined, personId: string): Promise<Audience> {
  if (!(EXPERT_TLPS as readonly string[]).includes(tlp)) throw new AppError('INVALID_MARKING', 'An expert is shared with members only: TLP:GREEN or narrower, never TLP:CLEAR', { field: 'tlp' });
  const a = normaliseAudience(tlp, audience);
  if (tlp === 'RED' && !a.people.includes(personId)) a.people.push(personId);
  await checkAudienceExists(p.db, a);
  return a;
}

const clean = (s: string | undefined) => (s ?? '').replace(/\u0000/g, '');

const isUniqueViolation = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/**
 * Offer an expert: the person themselves, or an admin of their organisation offering a colleague.
 * The profile waits, proposed, for an admin of the organisation to vet it; until then only the
 * organisation sees it.
 */
export async function proposeExpert(p: Platform, actor: Actor, i: ExpertInput) {
  const pr = requireVetted(actor);
  const personId = i.personId ?? pr.person.id;
  if (personId !== pr.person.id) {
    const person = await personOf(p.db, personId);
    if (!person || person.organisation_id !== pr.organisation.id) throw new AppError('VALIDATION_FAILED', 'An organisation offers its own people as experts', { field: 'personId' });
    if (!hasRole(pr, 'org_admin')) throw forbidden('Only the admins of your organisation offer a colleague as an expert');
    if (person.status !== 'active') throw new AppError('VALIDATION_FAILED', 'Only an active person is offered as an expert', { field: 'personId' });
  }
  const language = requireTag(i.language);
  const texts: Texts = { headline: clean(i.headline).trim(), biography: clean(i.biography) };
  if (!texts.headline) throw new AppError('VALIDATION_FAILED', 'A headline is needed', { field: 'headline' });
  const audience = await markingFor(p, i.tlp, i.audience, personId);
  const skills = (await checkSkills(p, i.skills ?? [])) ?? [];
  const concepts = await requireConcepts(p.db, i.concepts);
  const languages = checkLanguages(i.languages ?? []) ?? [];
  const countries = (await checkCountries(p, i.countries ?? [])) ?? [];
  if (await currentProfileOf(p.db, personId)) throw new AppError('ALREADY_EXISTS', 'This person is in the pool already, or proposed: change that profile, or withdraw it first');
  const id = newId();
  try {
    await change(p, async (c) => {
      const row = { id, person_id: personId, ...texts, language, skills, concepts, languages, countries, status: 'proposed', tlp: i.tlp, pap: i.pap ?? 'GREEN', author_id: pr.person.id, author_org_id: pr.organisation.id };
      await insertExpert(c.trx, { ...row, ...audienceColumns(audience) });
      await c.audit({ action: 'expert.proposed', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'expert', targetId: id, details: { personId, tlp: i.tlp, skills: skills.length } });
      await announce(c, 'expert.proposed', row, { tlp: i.tlp, authorId: pr.person.id, authorOrgId: pr.organisation.id, audience });
    });
  } catch (e) {
    // Two proposals of one person at once: the unique index lets one through.
    if (isUniqueViolation(e)) throw new AppError('ALREADY_EXISTS', 'This person is in the pool already, or proposed');
    throw e;
  }
  return getExpert(p, actor, id);
}

/** Change a profile: its texts (a new source revision: translations show as outdated), skills, themes, languages, countries, marking. */
export async function changeExpert(p: Platform, actor: Actor, id: string, i: Partial<ExpertInput>) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the expert, whoever proposed them and their organisation admins change a profile in use');
  const tlp = i.tlp ?? (r.tlp as Tlp);
  const audience =
    i.tlp || i.audience ? await markingFor(p, tlp, i.audience ?? { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }, r.person_id) : null;
  const skills = await checkSkills(p, i.skills, r.skills);
  const concepts = i.concepts ? await requireConcepts(p.db, i.concepts, r.concepts) : undefined;
  const languages = checkLanguages(i.languages);
  const countries = await checkCountries(p, i.countries);
  const language = i.language ? requireTag(i.language) : r.language;
  if (!sameLanguage(language, r.language) && Object.keys(translationsOf(r.translations)).some((l) => sameLanguage(l, language)))
    throw new AppError('VALIDATION_FAILED', `There is a translation into ${language}: remove it before writing the profile in that language`, { field: 'language' });
  const before = sourceOf(r);
  const after: Texts = {
    headline: i.headline !== undefined ? clean(i.headline).trim() : before.headline,
    biography: i.biography !== undefined ? clean(i.biography) : before.biography,
  };
  if (!after.headline) throw new AppError('VALIDATION_FAILED', 'A headline is needed', { field: 'headline' });
  const textChanged = TEXT_FIELDS.some((f) => after[f] !== before[f]) || language !== r.language;
  const rev = textChanged ? r.source_rev + 1 : r.source_rev;
  const marking: Marking = audience ? { tlp, authorId: r.author_id, authorOrgId: r.author_org_id, audience } : markingOfRow(r);
  await change(p, async (c) => {
    await updateExpert(c.trx, r.id, {
      ...after,
      language,
      source_rev: rev,
      ...(skills ? { skills } : {}),
      ...(concepts ? { concepts } : {}),
      ...(languages ? { languages } : {}),
      ...(countries ? { countries } : {}),
      ...(i.tlp ? { tlp: i.tlp } : {}),
      ...(i.pap ? { pap: i.pap } : {}),
      ...(audience ? audienceColumns(audience) : {}),
      updated_at: new Date(),
    });
    const remarked = !!i.tlp && i.tlp !== r.tlp;
    await c.audit({
      action: 'expert.updated',
      ...auditActor(actor),
      organisationId: r.author_org_id,
      targetType: 'expert',
      targetId: r.id,
      details: { revision: rev, ...(remarked ? { from: r.tlp, to: i.tlp } : {}) },
    });
    await announce(c, 'expert.updated', { ...r, pap: i.pap ?? r.pap }, marking);
  });
  return getExpert(p, actor, r.id);
}

/** An admin of the expert's organisation vouches for a proposed expert: the profile joins the pool, within its marking. */
export async function vetExpert(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const can = abilitiesOf(pr, r);
  if (!can.vet) throw r.status !== 'proposed' && can.withdraw ? invalidState('Only a proposed expert is vetted') : forbidden('Only the admins of the expert’s organisation vet an expert');
  await change(p, async (c) => {
    const res = await c.trx.updateTable('experts').set({ status: 'vetted', vetted_by: pr.person.id, vetted_at: new Date(), updated_at: new Date() }).where('id', '=', r.id).where('status', '=', 'proposed').executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw invalidState('The profile changed meanwhile: reload it');
    await c.audit({ action: 'expert.vetted', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { tlp: r.tlp } });
    await announce(c, 'expert.vetted', { ...r, status: 'vetted' }, markingOfRow(r));
  });
  return getExpert(p, actor, r.id);
}

/** An admin of the expert's organisation takes the expert out of the pool; the profile stays, for the organisation, as history. */
export async function withdrawExpert(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const can = abilitiesOf(pr, r);
  if (!can.withdraw) throw r.status === 'withdrawn' ? invalidState('The expert is withdrawn already') : forbidden('Only the admins of the expert’s organisation withdraw an expert');
  await change(p, async (c) => {
    const res = await c.trx.updateTable('experts').set({ status: 'withdrawn', withdrawn_at: new Date(), updated_at: new Date() }).where('id', '=', r.id).where('status', '<>', 'withdrawn').executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw invalidState('The profile changed meanwhile: reload it');
    await c.audit({ action: 'expert.withdrawn', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { from: r.status } });
    await announce(c, 'expert.withdrawn', { ...r, status: 'withdrawn' }, markingOfRow(r));
  });
  return getExpert(p, actor, r.id);
}

// ---------- translations ----------

/** Add or replace the translation of the headline and biography (a person's, or a machine's when `machine`). */
export async function translateExpert(p: Platform, actor: Actor, id: string, lang: string, t: { headline: string; biography?: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only those who keep the profile and their organisation’s translators translate it');
  const fields: Texts = { headline: clean(t.headline).trim(), biography: clean(t.biography) };
  if (!fields.headline) throw new AppError('VALIDATION_FAILED', 'A headline is needed', { field: 'headline' });
  const translations = withTranslation<TextField>(r.translations, r, lang, fields, { by: pr.person.id, machine: t.machine, basedOn: t.basedOn });
  await change(p, async (c) => {
    await updateExpert(c.trx, r.id, { translations: JSON.stringify(translations), updated_at: new Date() });
    await c.audit({ action: 'expert.translated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { language: requireTag(lang), machine: !!t.machine } });
  });
  return getExpert(p, actor, r.id, lang);
}

export async function removeExpertTranslation(p: Platform, actor: Actor, id: string, lang: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only those who keep the profile and their organisation’s translators translate it');
  const translations = withoutTranslation<TextField>(r.translations, requireTag(lang));
  await change(p, async (c) => {
    await updateExpert(c.trx, r.id, { translations: JSON.stringify(translations), updated_at: new Date() });
    await c.audit({ action: 'expert.translation_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { language: lang } });
  });
  return getExpert(p, actor, r.id);
}

// ---------- availability ----------

function checkWindow(w: WindowInput) {
  if (w.to < w.from) throw new AppError('VALIDATION_FAILED', 'A window ends on or after the day it starts', { field: 'to' });
  return { from: w.from, to: w.to, note: clean(w.note).trim().slice(0, LIMITS.note) };
}

async function editable(p: Platform, actor: Actor, id: string) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).edit) throw forbidden('Only the expert, whoever proposed them and their organisation admins keep a profile current');
  return r;
}

export async function addAvailability(p: Platform, actor: Actor, id: string, w: WindowInput) {
  const r = await editable(p, actor, id);
  const v = checkWindow(w);
  if (((await availabilityOf(p.db, [r.id])).get(r.id)?.length ?? 0) >= LIMITS.windows) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.windows} windows`, { field: 'from' });
  const windowId = newId();
  await change(p, async (c) => {
    await insertAvailability(c.trx, { id: windowId, expertId: r.id, ...v });
    await c.audit({ action: 'expert.availability_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { windowId, change: 'added' } });
  });
  return getExpert(p, actor, r.id);
}

export async function changeAvailability(p: Platform, actor: Actor, id: string, windowId: string, w: WindowInput) {
  const r = await editable(p, actor, id);
  const v = checkWindow(w);
  if (!(await availabilityWindow(p.db, r.id, windowId))) throw notFound('Availability window');
  await change(p, async (c) => {
    await updateAvailability(c.trx, r.id, windowId, v);
    await c.audit({ action: 'expert.availability_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { windowId, change: 'changed' } });
  });
  return getExpert(p, actor, r.id);
}

export async function removeAvailability(p: Platform, actor: Actor, id: string, windowId: string) {
  const r = await editable(p, actor, id);
  await change(p, async (c) => {
    if ((await deleteAvailability(c.trx, r.id, windowId)) !== 1) throw notFound('Availability window');
    await c.audit({ action: 'expert.availability_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { windowId, change: 'removed' } });
  });
  return getExpert(p, actor, r.id);
}

// ---------- missions ----------

async function missionValues(p: Platform, r: ExpertRow, m: MissionInput): Promise<MissionValues> {
  const title = clean(m.title).trim();
  if (!title) throw new AppError('VALIDATION_FAILED', 'A title is needed', { field: 'title' });
  if (m.endsOn && m.endsOn < m.startsOn) throw new AppError('VALIDATION_FAILED', 'A mission ends on or after the day it starts', { field: 'endsOn' });
  if (m.country) await checkCountries(p, [m.country], 'country');
  const host = m.hostOrganisationId ?? null;
  if (host) {
    if (host === r.author_org_id) throw new AppError('VALIDATION_FAILED', 'A mission is received by another organisation than the expert’s', { field: 'hostOrganisationId' });
    if (!(await approvedOrganisations(p.db, [host])).has(host)) throw new AppError('VALIDATION_FAILED', 'The receiving organisation must be a member', { field: 'hostOrganisationId' });
  }
  return { title, country: m.country ?? null, startsOn: m.startsOn, endsOn: m.endsOn ?? null, offerId: m.offerId ?? null, requestId: m.requestId ?? null, hostOrgId: host };
}

export async function addMission(p: Platform, actor: Actor, id: string, m: MissionInput) {
  const r = await editable(p, actor, id);
  const v = await missionValues(p, r, m);
  if (r.mission_count >= LIMITS.missions) throw new AppError('VALIDATION_FAILED', `At most ${LIMITS.missions} missions`, { field: 'title' });
  const missionId = newId();
  await change(p, async (c) => {
    await insertMission(c.trx, missionId, r.id, actor.principal!.person.id, v);
    await c.audit({ action: 'expert.mission_recorded', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { missionId, hostOrganisationId: v.hostOrgId } });
  });
  return getExpert(p, actor, r.id);
}

export async function changeMission(p: Platform, actor: Actor, id: string, missionId: string, m: MissionInput) {
  const r = await editable(p, actor, id);
  const old = await missionOf(p.db, r.id, missionId);
  if (!old) throw notFound('Mission');
  const v = await missionValues(p, r, m);
  // The evaluation is the receiving organisation's word on that mission: it stays with it.
  if (old.evaluation !== null && v.hostOrgId !== old.host_org_id) throw invalidState('An evaluated mission keeps the organisation that evaluated it');
  await change(p, async (c) => {
    await updateMission(c.trx, r.id, missionId, v);
    await c.audit({ action: 'expert.mission_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { missionId } });
  });
  return getExpert(p, actor, r.id);
}

export async function removeMission(p: Platform, actor: Actor, id: string, missionId: string) {
  const r = await editable(p, actor, id);
  const old = await missionOf(p.db, r.id, missionId);
  if (!old) throw notFound('Mission');
  if (old.evaluation !== null) throw invalidState('An evaluated mission stays on the record');
  await change(p, async (c) => {
    if ((await deleteMission(c.trx, r.id, missionId)) !== 1) throw notFound('Mission');
    await c.audit({ action: 'expert.mission_removed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { missionId } });
  });
  return getExpert(p, actor, r.id);
}

/** The organisation that received a mission (or the secretariat) says how it went: 1 to 5, with a comment; a later word replaces an earlier one. */
export async function evaluateExpertMission(p: Platform, actor: Actor, id: string, missionId: string, e: { score: number; comment?: string }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const m = await missionOf(p.db, r.id, missionId);
  if (!m) throw notFound('Mission');
  if (!missionEvaluationAllowed(asActor(pr), { hostOrgId: m.host_org_id, expertOrgId: r.author_org_id })) throw forbidden('Only the organisation that received the mission, or the secretariat, evaluates it');
  if (m.starts_on > today()) throw invalidState('A mission is evaluated once it has started');
  await change(p, async (c) => {
    await evaluateMission(c.trx, r.id, missionId, { evaluation: e.score, comment: clean(e.comment).trim().slice(0, LIMITS.comment), by: pr.person.id, byOrg: pr.organisation.id });
    await c.audit({ action: 'expert.mission_evaluated', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'expert', targetId: r.id, details: { missionId, score: e.score } });
    await announce(c, 'expert.mission_evaluated', r, markingOfRow(r), { missionId });
  });
  return getExpert(p, actor, r.id);
}

// ---------- for other features ----------

/** The profiles carrying a concept (a theme or an ECSF role), for the concept's page (Feature.tagged). */
export async function expertsTagged(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const rows = await taggedExperts(p.db, viewerOf(actor), tag, limit);
  return rows.map((r) => {
    const s = shown(actor, r);
    return { kind: 'expert', id: r.id, title: `${r.person_name} — ${s.fields.headline}`, lang: s.info.shown, path: `/experts/${r.id}`, tlp: r.tlp, date: null };
  });
}

export interface TranslatableExpert {
  id: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Texts;
}

const asTranslatable = (r: ExpertRow): TranslatableExpert => ({ id: r.id, title: `${r.person_name} — ${r.headline}`, language: r.language, source_rev: r.source_rev, translations: r.translations, source: sourceOf(r) });

/** The profiles of this person's organisation they may translate (features/translations). */
export async function translatableExperts(p: Platform, pr: Principal): Promise<TranslatableExpert[]> {
  const rows = await organisationExperts(p.db, pr.viewer, pr.organisation.id, 500);
  return rows.filter((r) => abilitiesOf(pr, r).translate).map(asTranslatable);
}

/** One profile this person may translate, or 404 (not visible) / 403 (visible, not theirs to translate). */
export async function loadTranslatableExpert(p: Platform, actor: Actor, id: string): Promise<TranslatableExpert> {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilitiesOf(pr, r).translate) throw forbidden('Only those who keep the profile and their organisation’s translators translate it');
  return asTranslatable(r);
}
