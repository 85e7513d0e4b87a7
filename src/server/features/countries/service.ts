import { type Actor, auditActor } from '../../platform/actor.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { ANONYMOUS, audienceColumns, canSee, normaliseAudience, type Audience, type Marking, type Pap, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { requireTag, sameLanguage, showFor, translationsOf, withoutTranslation, withTranslation, type Translations } from '../../platform/translations.js';
import { SECTORS } from '#shared/sectors';
import {
  canMoveTo,
  COMPARE_MAX,
  eliExpressionOf,
  eliOf,
  EU_INSTRUMENT_IDS,
  NEXT_STATUSES,
  SECTOR_SCHEME,
  type EuInstrumentId,
  type EuRelation,
  type InstrumentStatus,
  type InstrumentType,
} from '#shared/countries';
import { focalCountriesOf, visibleCoverage } from '../contacts/repository.js';
import { listFocalPoints } from '../contacts/focal-points.js';
import {
  approvedOrganisationCounts,
  approvedOrganisationExists,
  comparedInstruments,
  focalPointCounts,
  instrumentOfCountry,
  instrumentsOfCountry,
  instrumentsTagged,
  instrumentVersions,
  lastStatusPosition,
  nationalOrganisations,
  priorityOfCountry,
  prioritiesOfCountry,
  prioritiesTagged,
  priorityVersions,
  stateRow,
  stateRows,
  statusesOf,
  visibleCounts,
  visibleEliTaken,
  visibleInstruments,
  visiblePriorities,
  type InstrumentRow,
  type PriorityRow,
  type StateRow,
} from './repository.js';

// ---------------------------------------------------------------- who may do what

/** What the write rules need to know of the person acting. */
interface Powers {
  personId: string;
  orgId: string;
  vetted: boolean;
  secretariat: boolean;
  translator: boolean;
  /** Countries where the person is a national focal point. */
  focal: string[];
}

async function powersOf(p: Platform, pr: Principal | null): Promise<Powers | null> {
  if (!pr) return null;
  return {
    personId: pr.person.id,
    orgId: pr.organisation.id,
    vetted: pr.viewer.vetted,
    secretariat: hasRole(pr, 'secretariat'),
    translator: hasRole(pr, 'translator'),
    // A person whose organisation is not (or no longer) approved writes nothing.
    focal: pr.viewer.vetted ? await focalCountriesOf(p.db, pr.person.id) : [],
  };
}

const viewerOf = (actor: Actor): Viewer => actor.principal?.viewer ?? ANONYMOUS;

/** Who writes a country's priorities: its national focal points, nobody else. */
const writesPriorities = (w: Powers | null, country: string) => !!w && w.vetted && w.focal.includes(country);
/** Who writes a country's instruments: its national focal points and the secretariat. */
const writesInstruments = (w: Powers | null, country: string) => !!w && w.vetted && (w.focal.includes(country) || w.secretariat);

interface ItemRef {
  country_code: string;
  author_id: string | null;
  author_org_id: string | null;
}

/**
 * What someone who sees an item may do with it. Its writers edit its text; only the author's
 * side (the author, or a writer of the author's organisation) changes its marking, so nobody
 * widens what another organisation shared; the translators of the author's organisation keep its
 * versions in other languages.
 */
function abilitiesOf(w: Powers | null, r: ItemRef, writes: (w: Powers | null, country: string) => boolean) {
  const edit = writes(w, r.country_code);
  const own = !!w && (r.author_id === w.personId || r.author_org_id === w.orgId);
  const translator = !!w && w.vetted && w.translator && r.author_org_id === w.orgId;
  return { edit, changeMarking: edit && own, translate: edit || translator };
}

// ---------------------------------------------------------------- shared pieces

const today = () => new Date().toISOString().slice(0, 10);

async function requireState(p: Platform, iso2: string): Promise<StateRow> {
  const c = await stateRow(p.db, iso2.toUpperCase());
  if (!c) throw notFound('Country');
  return c;
}

export interface MarkingInput {
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

const audienceOf = (r: { audience_organisations: string[]; audience_communities: string[]; audience_people: string[] }): Audience => ({
  organisations: r.audience_organisations,
  communities: r.audience_communities,
  people: r.audience_people,
});

/** The marking after a change: a new TLP, a new audience, or both; the audience follows its level's rules. */
async function nextMarking(p: Platform, current: { tlp: Tlp; pap: Pap; audience: Audience }, m: Partial<MarkingInput>) {
  const tlp = m.tlp ?? current.tlp;
  const wanted = m.audience ? { ...current.audience, ...m.audience } : m.tlp && m.tlp !== current.tlp ? undefined : current.audience;
  const audience = normaliseAudience(tlp, wanted);
  await checkAudienceExists(p.db, audience);
  return { tlp, pap: m.pap ?? current.pap, audience };
}

function language(tag: string, field = 'language') {
  return requireTag(tag, field);
}

const changedKeys = <T extends object>(before: T, after: T) => (Object.keys(after) as (keyof T & string)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

/** Who made something, to members only: the public sees organisations, never people (as the directory). */
const personFor = (vetted: boolean, id: string | null, name: string | null) => (vetted && id && name ? { id, name } : null);

// ---------------------------------------------------------------- priorities

interface PriorityState {
  title: string;
  body: string;
  language: string;
  concepts: string[];
  reviewDate: string | null;
  translations: Translations<'title' | 'body'>;
  sourceRev: number;
  tlp: Tlp;
  pap: Pap;
  authorId: string;
  authorOrgId: string;
  audience: Audience;
}

const priorityState = (r: PriorityRow): PriorityState => ({
  title: r.title,
  body: r.body,
  language: r.language,
  concepts: r.concepts,
  reviewDate: r.review_date,
  translations: translationsOf<'title' | 'body'>(r.translations),
  sourceRev: r.source_rev,
  tlp: r.tlp as Tlp,
  pap: r.pap as Pap,
  authorId: r.author_id!,
  authorOrgId: r.author_org_id!,
  audience: audienceOf(r),
});

export function priorityView(w: Powers | null, vetted: boolean, r: PriorityRow, langs: readonly string[]) {
  const shown = showFor({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title, body: r.body } }, langs);
  return {
    id: r.id,
    country: r.country_code,
    title: shown.fields.title,
    body: shown.fields.body,
    language: shown.info.shown,
    translation: shown.info,
    concepts: r.concepts,
    reviewDate: r.review_date,
    reviewDue: !!r.review_date && r.review_date <= today(),
    tlp: r.tlp as Tlp,
    pap: r.pap as Pap,
    audience: audienceOf(r),
    organisation: { id: r.author_org_id!, name: r.org_name },
    author: personFor(vetted, r.author_id, r.author_name),
    updatedBy: personFor(vetted, r.updater_id, r.updater_name),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    can: abilitiesOf(w, r, writesPriorities),
  };
}

async function loadPriority(p: Platform, actor: Actor, country: string, id: string) {
  const r = await priorityOfCountry(p.db, viewerOf(actor), country, id);
  // Not visible and not there look the same.
  if (!r) throw notFound('Priority');
  return r;
}

export async function getPriority(p: Platform, actor: Actor, iso2: string, id: string) {
  const c = await requireState(p, iso2);
  const r = await loadPriority(p, actor, c.code, id);
  return priorityView(await powersOf(p, actor.principal), viewerOf(actor).vetted, r, actor.readerLanguages);
}

export interface PriorityInput extends MarkingInput {
  title: string;
  body: string;
  language: string;
  concepts?: string[];
  reviewDate?: string | null;
}

const priorityColumns = (s: PriorityState) => ({
  title: s.title,
  body: s.body,
  language: s.language,
  concepts: s.concepts,
  review_date: s.reviewDate,
  translations: JSON.stringify(s.translations),
  source_rev: s.sourceRev,
  tlp: s.tlp,
  pap: s.pap,
  ...audienceColumns(s.audience),
});

/** A priority stated by the country's national focal points (only they). */
export async function createPriority(p: Platform, actor: Actor, iso2: string, b: PriorityInput) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const w = await powersOf(p, pr);
  if (!writesPriorities(w, c.code)) throw forbidden(`Only the national focal points of ${c.name} state its priorities`);
  const lang = language(b.language);
  const concepts = await requireConcepts(p.db, b.concepts);
  const audience = normaliseAudience(b.tlp, b.audience);
  await checkAudienceExists(p.db, audience);
  const id = newId();
  const state: PriorityState = {
    title: b.title.trim(),
    body: b.body,
    language: lang,
    concepts,
    reviewDate: b.reviewDate ?? null,
    translations: {},
    sourceRev: 1,
    tlp: b.tlp,
    pap: b.pap ?? 'GREEN',
    authorId: pr.person.id,
    authorOrgId: pr.organisation.id,
    audience,
  };
  await change(p, async (x) => {
    await x.trx
      .insertInto('country_priorities')
      .values({ id, country_code: c.code, ...priorityColumns(state), author_id: state.authorId, author_org_id: state.authorOrgId, updated_by: pr.person.id })
      .execute();
    await x.trx.insertInto('country_priority_versions').values({ priority_id: id, version: 1, action: 'created', changed: [], snapshot: JSON.stringify(state), by_person: pr.person.id }).execute();
    // Identifiers and the marking only: the audit log never carries marked content.
    await x.audit({ action: 'country_priority.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'country_priority', targetId: id, details: { country: c.code, tlp: b.tlp } });
  });
  return getPriority(p, actor, c.code, id);
}

export type PriorityPatch = Partial<Omit<PriorityInput, 'language'>> & { version?: number };

async function savePriority(p: Platform, actor: Actor, before: PriorityRow, after: PriorityState, action: 'edited' | 'translated' | 'translation_removed', changed: string[], audit: { action: 'country_priority.edited' | 'country_priority.translated' | 'country_priority.translation_removed'; details: Record<string, unknown> }) {
  const by = actor.principal!.person.id;
  await change(p, async (x) => {
    const done = await x.trx
      .updateTable('country_priorities')
      .set({ ...priorityColumns(after), version: before.version + 1, updated_by: by, updated_at: new Date() })
      .where('id', '=', before.id)
      .where('version', '=', before.version)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw invalidState('The priority was changed meanwhile: reload it and try again', { version: before.version });
    await x.trx.insertInto('country_priority_versions').values({ priority_id: before.id, version: before.version + 1, action, changed, snapshot: JSON.stringify(after), by_person: by }).execute();
    await x.audit({ action: audit.action, ...auditActor(actor), organisationId: before.author_org_id, targetType: 'country_priority', targetId: before.id, details: { country: before.country_code, version: before.version + 1, ...audit.details } });
  });
}

/** Edit a priority (its country's focal points); a change of text makes its translations outdated. */
export async function editPriority(p: Platform, actor: Actor, iso2: string, id: string, b: PriorityPatch) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadPriority(p, actor, c.code, id);
  const w = await powersOf(p, pr);
  const can = abilitiesOf(w, r, writesPriorities);
  if (!can.edit) throw forbidden(`Only the national focal points of ${c.name} edit its priorities`);
  const marks = b.tlp !== undefined || b.pap !== undefined || b.audience !== undefined;
  if (marks && !can.changeMarking) throw forbidden('Only the author or their organisation changes the marking');
  if (b.version !== undefined && b.version !== r.version) throw invalidState('The priority was changed meanwhile: reload it and try again', { version: r.version });
  const before = priorityState(r);
  const marking = marks ? await nextMarking(p, before, b) : before;
  const after: PriorityState = {
    ...before,
    title: b.title !== undefined ? b.title.trim() : before.title,
    body: b.body ?? before.body,
    concepts: b.concepts !== undefined ? await requireConcepts(p.db, b.concepts, before.concepts) : before.concepts,
    reviewDate: b.reviewDate !== undefined ? b.reviewDate : before.reviewDate,
    tlp: marking.tlp,
    pap: marking.pap,
    audience: marking.audience,
  };
  const textChanged = after.title !== before.title || after.body !== before.body;
  if (textChanged) after.sourceRev = before.sourceRev + 1;
  const changed = changedKeys(before, after).filter((k) => k !== 'sourceRev');
  if (!changed.length) return priorityView(w, true, r, actor.readerLanguages);
  await savePriority(p, actor, r, after, 'edited', changed, { action: 'country_priority.edited', details: { changed, ...(after.tlp !== before.tlp ? { from: { tlp: before.tlp }, to: { tlp: after.tlp } } : {}) } });
  return getPriority(p, actor, c.code, id);
}

/** Add or replace a priority's version in another language. */
export async function translatePriority(p: Platform, actor: Actor, iso2: string, id: string, lang: string, b: { title: string; body: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadPriority(p, actor, c.code, id);
  if (!abilitiesOf(await powersOf(p, pr), r, writesPriorities).translate) throw forbidden('Only the country’s focal points and the translators of the author’s organisation translate a priority');
  const before = priorityState(r);
  const translations = withTranslation(r.translations, r, lang, { title: b.title.trim(), body: b.body }, { machine: b.machine, by: pr.person.id, basedOn: b.basedOn });
  const tag = Object.keys(translations).find((l) => sameLanguage(l, lang))!;
  await savePriority(p, actor, r, { ...before, translations }, 'translated', [`translations.${tag}`], { action: 'country_priority.translated', details: { language: tag, machine: !!b.machine } });
  return priorityView(await powersOf(p, pr), true, (await priorityOfCountry(p.db, pr.viewer, c.code, id))!, [tag]);
}

export async function removePriorityTranslation(p: Platform, actor: Actor, iso2: string, id: string, lang: string) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadPriority(p, actor, c.code, id);
  if (!abilitiesOf(await powersOf(p, pr), r, writesPriorities).translate) throw forbidden('Only the country’s focal points and the translators of the author’s organisation translate a priority');
  const translations = withoutTranslation<'title' | 'body'>(r.translations, lang);
  await savePriority(p, actor, r, { ...priorityState(r), translations }, 'translation_removed', [`translations.${lang}`], { action: 'country_priority.translation_removed', details: { language: lang } });
}

// ---------------------------------------------------------------- history

const markingOfState = (s: { tlp: Tlp; authorId: string; authorOrgId: string; audience: Audience }): Marking => ({ tlp: s.tlp, authorId: s.authorId, authorOrgId: s.authorOrgId, audience: s.audience });

/**
 * The versions of an item, newest first: who and when to whoever sees the item now (the who to
 * members only), and a version's content only to those its own marking let see it then too — a
 * text that was AMBER for one community does not become readable because the item was widened later.
 */
function historyOf<S extends { tlp: Tlp; authorId: string; authorOrgId: string; audience: Audience }>(
  viewer: Viewer,
  rows: { version: number; action: string; changed: string[]; snapshot: unknown; at: Date; by_person: string | null; by_name: string | null }[],
  content: (s: S) => Record<string, unknown>,
) {
  return rows.map((v) => {
    const s = (typeof v.snapshot === 'string' ? JSON.parse(v.snapshot) : v.snapshot) as S;
    const readable = canSee(viewer, markingOfState(s));
    return {
      version: v.version,
      action: v.action,
      changed: v.changed,
      at: v.at.toISOString(),
      by: personFor(viewer.vetted, v.by_person, v.by_name),
      tlp: readable ? s.tlp : null,
      content: readable ? content(s) : null,
    };
  });
}

const translationsContent = (t: Translations) =>
  Object.fromEntries(Object.entries(t).map(([lang, v]) => [lang, { fields: v.fields, basedOn: v.basedOn, machine: v.machine }]));

export async function priorityHistory(p: Platform, actor: Actor, iso2: string, id: string) {
  const c = await requireState(p, iso2);
  const r = await loadPriority(p, actor, c.code, id);
  const rows = await priorityVersions(p.db, r.id);
  return {
    items: historyOf<PriorityState>(viewerOf(actor), rows, (s) => ({
      title: s.title,
      body: s.body,
      language: s.language,
      concepts: s.concepts,
      reviewDate: s.reviewDate,
      translations: translationsContent(s.translations),
    })),
  };
}

// ---------------------------------------------------------------- instruments

export interface EuLink {
  instrument: EuInstrumentId;
  relation: EuRelation;
  note?: string;
}
export interface Expression {
  language: string;
  url: string;
  title?: string;
  authoritative?: boolean;
}

interface InstrumentState {
  type: InstrumentType;
  status: InstrumentStatus;
  title: string;
  summary: string;
  year: number;
  number: string;
  eli: string;
  date: string | null;
  authority: string;
  authorityOrgId: string | null;
  sectors: string[];
  concepts: string[];
  euLinks: EuLink[];
  expressions: Expression[];
  language: string;
  translations: Translations<'title' | 'summary'>;
  sourceRev: number;
  tlp: Tlp;
  pap: Pap;
  authorId: string;
  authorOrgId: string;
  audience: Audience;
}

const instrumentState = (r: InstrumentRow): InstrumentState => ({
  type: r.type as InstrumentType,
  status: r.status as InstrumentStatus,
  title: r.title,
  summary: r.summary,
  year: r.year,
  number: r.number,
  eli: r.eli,
  date: r.date,
  authority: r.authority,
  authorityOrgId: r.authority_org_id,
  sectors: r.sectors,
  concepts: r.concepts,
  euLinks: r.eu_links as EuLink[],
  expressions: r.expressions as Expression[],
  language: r.language,
  translations: translationsOf<'title' | 'summary'>(r.translations),
  sourceRev: r.source_rev,
  tlp: r.tlp as Tlp,
  pap: r.pap as Pap,
  authorId: r.author_id!,
  authorOrgId: r.author_org_id!,
  audience: audienceOf(r),
});

type Timeline = Awaited<ReturnType<typeof statusesOf>> extends Map<string, infer T> ? T : never;

export function instrumentView(w: Powers | null, vetted: boolean, r: InstrumentRow, timeline: Timeline, langs: readonly string[]) {
  const shown = showFor({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title, summary: r.summary } }, langs);
  const can = abilitiesOf(w, r, writesInstruments);
  const status = r.status as InstrumentStatus;
  const dates: Partial<Record<InstrumentStatus, string>> = {};
  for (const s of timeline) dates[s.status as InstrumentStatus] = s.effectiveOn;
  return {
    id: r.id,
    country: r.country_code,
    eli: r.eli,
    type: r.type as InstrumentType,
    status,
    title: shown.fields.title,
    summary: shown.fields.summary,
    language: shown.info.shown,
    translation: shown.info,
    year: r.year,
    number: r.number,
    date: r.date,
    authority: r.authority,
    authorityOrganisation: r.authority_org_id && r.authority_org_name ? { id: r.authority_org_id, name: r.authority_org_name } : null,
    sectors: r.sectors,
    concepts: r.concepts,
    euLinks: r.eu_links as EuLink[],
    expressions: (r.expressions as Expression[]).map((e) => ({ ...e, title: e.title ?? null, authoritative: !!e.authoritative, eli: eliExpressionOf(r.eli, e.language) })),
    statusHistory: timeline.map((s) => ({ status: s.status as InstrumentStatus, effectiveOn: s.effectiveOn, recordedAt: s.recordedAt.toISOString(), by: personFor(vetted, s.recordedBy, s.recordedByName) })),
    dates,
    tlp: r.tlp as Tlp,
    pap: r.pap as Pap,
    audience: audienceOf(r),
    organisation: { id: r.author_org_id!, name: r.org_name },
    author: personFor(vetted, r.author_id, r.author_name),
    updatedBy: personFor(vetted, r.updater_id, r.updater_name),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    nextStatuses: can.edit ? [...NEXT_STATUSES[status]] : [],
    can: { ...can, changeStatus: can.edit && NEXT_STATUSES[status].length > 0 },
  };
}

async function loadInstrument(p: Platform, actor: Actor, country: string, id: string) {
  const r = await instrumentOfCountry(p.db, viewerOf(actor), country, id);
  if (!r) throw notFound('Instrument');
  return r;
}

export async function getInstrument(p: Platform, actor: Actor, iso2: string, id: string) {
  const c = await requireState(p, iso2);
  const r = await loadInstrument(p, actor, c.code, id);
  const timeline = (await statusesOf(p.db, [r.id])).get(r.id) ?? [];
  return instrumentView(await powersOf(p, actor.principal), viewerOf(actor).vetted, r, timeline, actor.readerLanguages);
}

export interface InstrumentInput extends MarkingInput {
  type: InstrumentType;
  status: InstrumentStatus;
  /** The day the status took effect (today when not given). */
  statusDate?: string;
  title: string;
  summary?: string;
  language: string;
  year: number;
  number: string;
  date?: string | null;
  authority?: string;
  authorityOrganisationId?: string | null;
  sectors?: string[];
  concepts?: string[];
  euLinks?: EuLink[];
  expressions?: Expression[];
}

/** Sectors are concepts of the NIS2 sectors scheme: `nis2-sectors/energy` (a bare code such as `energy` is taken too). */
async function requireSectors(p: Platform, sectors: readonly string[] | undefined, kept: readonly string[] = []) {
  const tags = (sectors ?? []).map((s) => (s.includes('/') ? s : `${SECTOR_SCHEME}/${s}`));
  const other = tags.filter((t) => !t.startsWith(`${SECTOR_SCHEME}/`));
  if (other.length) throw new AppError('VALIDATION_FAILED', `Sectors are concepts of ${SECTOR_SCHEME}, not ${other.join(', ')}`, { field: 'sectors', unknown: other });
  return requireConcepts(p.db, tags, kept);
}

function checkEuLinks(links: EuLink[] | undefined): EuLink[] {
  const out = (links ?? []).map((l) => ({ instrument: l.instrument, relation: l.relation, ...(l.note?.trim() ? { note: l.note.trim() } : {}) }));
  const seen = new Set<string>();
  for (const l of out) {
    if (seen.has(l.instrument)) throw new AppError('VALIDATION_FAILED', `One link to ${l.instrument} at most: say how the instrument relates to it once`, { field: 'euLinks' });
    seen.add(l.instrument);
  }
  return out.sort((a, b) => EU_INSTRUMENT_IDS.indexOf(a.instrument) - EU_INSTRUMENT_IDS.indexOf(b.instrument));
}

function checkExpressions(xs: Expression[] | undefined): Expression[] {
  const out: Expression[] = [];
  for (const [i, e] of (xs ?? []).entries()) {
    const tag = language(e.language, `expressions.${i}.language`);
    if (out.some((o) => sameLanguage(o.language, tag))) throw new AppError('VALIDATION_FAILED', `One version of the text per language: ${tag} is given twice`, { field: `expressions.${i}.language` });
    out.push({ language: tag, url: e.url, ...(e.title?.trim() ? { title: e.title.trim() } : {}), authoritative: !!e.authoritative });
  }
  return out;
}

async function checkAuthority(p: Platform, id: string | null | undefined) {
  if (!id) return null;
  if (!(await approvedOrganisationExists(p.db, id))) throw new AppError('VALIDATION_FAILED', 'The responsible authority must be an approved organisation of the directory', { field: 'authorityOrganisationId' });
  return id;
}

const instrumentColumns = (s: InstrumentState) => ({
  type: s.type,
  status: s.status,
  title: s.title,
  summary: s.summary,
  year: s.year,
  number: s.number,
  eli: s.eli,
  date: s.date,
  authority: s.authority,
  authority_org_id: s.authorityOrgId,
  sectors: s.sectors,
  concepts: s.concepts,
  eu_links: JSON.stringify(s.euLinks),
  expressions: JSON.stringify(s.expressions),
  language: s.language,
  translations: JSON.stringify(s.translations),
  source_rev: s.sourceRev,
  tlp: s.tlp,
  pap: s.pap,
  ...audienceColumns(s.audience),
});

async function refuseDuplicate(p: Platform, viewer: Viewer, eli: string, except?: string) {
  if (await visibleEliTaken(p.db, viewer, eli, except)) throw new AppError('ALREADY_EXISTS', `An instrument ${eli} is already tracked`, { field: 'number', eli });
}

/** An instrument in the country's policy tracker (its focal points and the secretariat). */
export async function createInstrument(p: Platform, actor: Actor, iso2: string, b: InstrumentInput) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const w = await powersOf(p, pr);
  if (!writesInstruments(w, c.code)) throw forbidden(`Only the national focal points of ${c.name} and the secretariat track its instruments`);
  const lang = language(b.language);
  const sectors = await requireSectors(p, b.sectors);
  const concepts = await requireConcepts(p.db, b.concepts);
  const euLinks = checkEuLinks(b.euLinks);
  const expressions = checkExpressions(b.expressions);
  const authorityOrgId = await checkAuthority(p, b.authorityOrganisationId);
  const audience = normaliseAudience(b.tlp, b.audience);
  await checkAudienceExists(p.db, audience);
  const statusDate = b.statusDate ?? today();
  const eli = eliOf(c.code, b.type, b.year, b.number);
  await refuseDuplicate(p, pr.viewer, eli);
  const id = newId();
  const state: InstrumentState = {
    type: b.type,
    status: b.status,
    title: b.title.trim(),
    summary: b.summary ?? '',
    year: b.year,
    number: b.number,
    eli,
    date: b.date ?? null,
    authority: b.authority?.trim() ?? '',
    authorityOrgId,
    sectors,
    concepts,
    euLinks,
    expressions,
    language: lang,
    translations: {},
    sourceRev: 1,
    tlp: b.tlp,
    pap: b.pap ?? 'GREEN',
    authorId: pr.person.id,
    authorOrgId: pr.organisation.id,
    audience,
  };
  await change(p, async (x) => {
    await x.trx
      .insertInto('country_instruments')
      .values({ id, country_code: c.code, ...instrumentColumns(state), author_id: state.authorId, author_org_id: state.authorOrgId, updated_by: pr.person.id })
      .execute();
    await x.trx.insertInto('country_instrument_statuses').values({ instrument_id: id, position: 0, status: b.status, effective_on: statusDate, recorded_by: pr.person.id }).execute();
    await x.trx.insertInto('country_instrument_versions').values({ instrument_id: id, version: 1, action: 'created', changed: [], snapshot: JSON.stringify(state), by_person: pr.person.id }).execute();
    await x.audit({ action: 'country_instrument.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'country_instrument', targetId: id, details: { country: c.code, tlp: b.tlp, status: b.status } });
  });
  return getInstrument(p, actor, c.code, id);
}

async function saveInstrument(
  p: Platform,
  actor: Actor,
  before: InstrumentRow,
  after: InstrumentState,
  action: 'edited' | 'status_changed' | 'translated' | 'translation_removed',
  changed: string[],
  audit: { action: 'country_instrument.edited' | 'country_instrument.status_changed' | 'country_instrument.translated' | 'country_instrument.translation_removed'; details: Record<string, unknown> },
  status?: { position: number; effectiveOn: string },
) {
  const by = actor.principal!.person.id;
  await change(p, async (x) => {
    const done = await x.trx
      .updateTable('country_instruments')
      .set({ ...instrumentColumns(after), version: before.version + 1, updated_by: by, updated_at: new Date() })
      .where('id', '=', before.id)
      .where('version', '=', before.version)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw invalidState('The instrument was changed meanwhile: reload it and try again', { version: before.version });
    if (status) await x.trx.insertInto('country_instrument_statuses').values({ instrument_id: before.id, position: status.position, status: after.status, effective_on: status.effectiveOn, recorded_by: by }).execute();
    await x.trx.insertInto('country_instrument_versions').values({ instrument_id: before.id, version: before.version + 1, action, changed, snapshot: JSON.stringify(after), by_person: by }).execute();
    await x.audit({ action: audit.action, ...auditActor(actor), organisationId: before.author_org_id, targetType: 'country_instrument', targetId: before.id, details: { country: before.country_code, version: before.version + 1, ...audit.details } });
  });
}

export type InstrumentPatch = Partial<Omit<InstrumentInput, 'language' | 'status' | 'statusDate'>> & { version?: number };

export async function editInstrument(p: Platform, actor: Actor, iso2: string, id: string, b: InstrumentPatch) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadInstrument(p, actor, c.code, id);
  const w = await powersOf(p, pr);
  const can = abilitiesOf(w, r, writesInstruments);
  if (!can.edit) throw forbidden(`Only the national focal points of ${c.name} and the secretariat edit its instruments`);
  const marks = b.tlp !== undefined || b.pap !== undefined || b.audience !== undefined;
  if (marks && !can.changeMarking) throw forbidden('Only the author or their organisation changes the marking');
  if (b.version !== undefined && b.version !== r.version) throw invalidState('The instrument was changed meanwhile: reload it and try again', { version: r.version });
  const before = instrumentState(r);
  const marking = marks ? await nextMarking(p, before, b) : before;
  const after: InstrumentState = {
    ...before,
    type: b.type ?? before.type,
    title: b.title !== undefined ? b.title.trim() : before.title,
    summary: b.summary ?? before.summary,
    year: b.year ?? before.year,
    number: b.number ?? before.number,
    date: b.date !== undefined ? b.date : before.date,
    authority: b.authority !== undefined ? b.authority.trim() : before.authority,
    authorityOrgId: b.authorityOrganisationId !== undefined ? await checkAuthority(p, b.authorityOrganisationId) : before.authorityOrgId,
    sectors: b.sectors !== undefined ? await requireSectors(p, b.sectors, before.sectors) : before.sectors,
    concepts: b.concepts !== undefined ? await requireConcepts(p.db, b.concepts, before.concepts) : before.concepts,
    euLinks: b.euLinks !== undefined ? checkEuLinks(b.euLinks) : before.euLinks,
    expressions: b.expressions !== undefined ? checkExpressions(b.expressions) : before.expressions,
    tlp: marking.tlp,
    pap: marking.pap,
    audience: marking.audience,
  };
  after.eli = eliOf(c.code, after.type, after.year, after.number);
  if (after.eli !== before.eli) await refuseDuplicate(p, pr.viewer, after.eli, r.id);
  if (after.title !== before.title || after.summary !== before.summary) after.sourceRev = before.sourceRev + 1;
  const changed = changedKeys(before, after).filter((k) => k !== 'sourceRev' && k !== 'eli');
  if (!changed.length) return getInstrument(p, actor, c.code, id);
  await saveInstrument(p, actor, r, after, 'edited', changed, { action: 'country_instrument.edited', details: { changed, ...(after.tlp !== before.tlp ? { from: { tlp: before.tlp }, to: { tlp: after.tlp } } : {}) } });
  return getInstrument(p, actor, c.code, id);
}

/** The next step of an instrument's life, with the day it took effect; a step the statuses do not allow is a 409. */
export async function changeInstrumentStatus(p: Platform, actor: Actor, iso2: string, id: string, b: { status: InstrumentStatus; effectiveOn?: string; version?: number }) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadInstrument(p, actor, c.code, id);
  const can = abilitiesOf(await powersOf(p, pr), r, writesInstruments);
  if (!can.edit) throw forbidden(`Only the national focal points of ${c.name} and the secretariat change its instruments' status`);
  if (b.version !== undefined && b.version !== r.version) throw invalidState('The instrument was changed meanwhile: reload it and try again', { version: r.version });
  const from = r.status as InstrumentStatus;
  if (!canMoveTo(from, b.status)) throw invalidState(`An instrument ${from} cannot become ${b.status}`, { from, to: b.status, allowed: NEXT_STATUSES[from] });
  const effectiveOn = b.effectiveOn ?? today();
  const last = await lastStatusPosition(p.db, r.id);
  if (last && effectiveOn < last.effectiveOn) throw new AppError('VALIDATION_FAILED', `The change cannot take effect before the previous one (${last.effectiveOn})`, { field: 'effectiveOn' });
  await saveInstrument(p, actor, r, { ...instrumentState(r), status: b.status }, 'status_changed', ['status'], { action: 'country_instrument.status_changed', details: { from, to: b.status, effectiveOn } }, { position: (last?.position ?? -1) + 1, effectiveOn });
  return getInstrument(p, actor, c.code, id);
}

export async function translateInstrument(p: Platform, actor: Actor, iso2: string, id: string, lang: string, b: { title: string; summary: string; machine?: boolean; basedOn?: number }) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadInstrument(p, actor, c.code, id);
  if (!abilitiesOf(await powersOf(p, pr), r, writesInstruments).translate) throw forbidden('Only the country’s focal points, the secretariat and the translators of the author’s organisation translate an instrument');
  const translations = withTranslation(r.translations, r, lang, { title: b.title.trim(), summary: b.summary }, { machine: b.machine, by: pr.person.id, basedOn: b.basedOn });
  const tag = Object.keys(translations).find((l) => sameLanguage(l, lang))!;
  await saveInstrument(p, actor, r, { ...instrumentState(r), translations }, 'translated', [`translations.${tag}`], { action: 'country_instrument.translated', details: { language: tag, machine: !!b.machine } });
  return getInstrument(p, { ...actor, readerLanguages: [tag] }, c.code, id);
}

export async function removeInstrumentTranslation(p: Platform, actor: Actor, iso2: string, id: string, lang: string) {
  const pr = requireVetted(actor);
  const c = await requireState(p, iso2);
  const r = await loadInstrument(p, actor, c.code, id);
  if (!abilitiesOf(await powersOf(p, pr), r, writesInstruments).translate) throw forbidden('Only the country’s focal points, the secretariat and the translators of the author’s organisation translate an instrument');
  const translations = withoutTranslation<'title' | 'summary'>(r.translations, lang);
  await saveInstrument(p, actor, r, { ...instrumentState(r), translations }, 'translation_removed', [`translations.${lang}`], { action: 'country_instrument.translation_removed', details: { language: lang } });
}

export async function instrumentHistory(p: Platform, actor: Actor, iso2: string, id: string) {
  const c = await requireState(p, iso2);
  const r = await loadInstrument(p, actor, c.code, id);
  const rows = await instrumentVersions(p.db, r.id);
  return {
    items: historyOf<InstrumentState>(viewerOf(actor), rows, (s) => ({
      title: s.title,
      summary: s.summary,
      language: s.language,
      type: s.type,
      status: s.status,
      eli: s.eli,
      sectors: s.sectors,
      concepts: s.concepts,
      euLinks: s.euLinks,
      translations: translationsContent(s.translations),
    })),
  };
}

// ---------------------------------------------------------------- the country page and the list

/**
 * A country's page: the public part (the state, its foreign ministry, cyber agency and national
 * CSIRT from the directory, its national strategy when the tracker has one the reader may see)
 * for anyone; the focal points and contact coverage as the directory shows them (members; signed-in
 * people); and the priorities and instruments the reader may see.
 */
export async function countryPage(p: Platform, actor: Actor, iso2: string) {
  const c = await requireState(p, iso2);
  const viewer = viewerOf(actor);
  const w = await powersOf(p, actor.principal);
  const langs = actor.readerLanguages;
  const [orgs, priorities, instruments] = await Promise.all([nationalOrganisations(p.db, c.code), prioritiesOfCountry(p.db, viewer, c.code), instrumentsOfCountry(p.db, viewer, c.code)]);
  const timelines = await statusesOf(
    p.db,
    instruments.map((i) => i.id),
  );
  const instrumentViews = instruments.map((i) => instrumentView(w, viewer.vetted, i, timelines.get(i.id) ?? [], langs));
  // The national strategy: the newest adopted (in force, amended) strategy the reader may see.
  const strategy = instrumentViews.find((i) => i.type === 'strategy' && (i.status === 'adopted' || i.status === 'in_force' || i.status === 'amended')) ?? null;
  // The directory's own rules: focal points to members, coverage to anyone signed in (over the contacts they may see).
  const focalPoints = viewer.vetted
    ? (await listFocalPoints(p, actor, c.code)).items.filter((f) => f.person.status === 'active').map((f) => ({ person: { id: f.person.id, name: f.person.name }, organisation: f.organisation }))
    : null;
  let coverage = null;
  if (actor.principal) {
    const row = (await visibleCoverage(p.db, viewer)).find((r) => r.country_code === c.code);
    const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
    const kind = (n: string | undefined, l: Date | null | undefined) => ({ count: Number(n ?? 0), lastConfirmedAt: iso(l) });
    coverage = {
      diplomatic: kind(row?.n_diplomatic, row?.l_diplomatic),
      technical: kind(row?.n_technical, row?.l_technical),
      operational_24_7: kind(row?.n_operational_24_7, row?.l_operational_24_7),
      lastConfirmedAt: iso(row?.l_any),
    };
  }
  const pick = (type: string) => orgs.filter((o) => o.type === type).map((o) => ({ id: o.id, name: o.name, acronym: o.acronym, website: o.website }));
  return {
    code: c.code,
    name: c.name,
    region: c.region as 'EU' | 'LAC',
    subregion: c.subregion,
    languages: c.languages,
    directory: { mfa: pick('mfa'), agencies: pick('national_cyber_agency'), csirts: pick('national_csirt') },
    strategy: strategy ? { id: strategy.id, title: strategy.title, language: strategy.language, year: strategy.year, status: strategy.status, eli: strategy.eli } : null,
    focalPoints,
    coverage,
    priorities: priorities.map((r) => priorityView(w, viewer.vetted, r, langs)),
    instruments: instrumentViews,
    can: { addPriority: writesPriorities(w, c.code), addInstrument: writesInstruments(w, c.code) },
  };
}

/** The 60 states with what each has that this reader may see: every count is taken over visible rows only. */
export async function countryOverview(p: Platform, actor: Actor) {
  const viewer = viewerOf(actor);
  const [states, counts, orgs, focal] = await Promise.all([stateRows(p.db), visibleCounts(p.db, viewer), approvedOrganisationCounts(p.db), viewer.vetted ? focalPointCounts(p.db) : Promise.resolve(null)]);
  const w = await powersOf(p, actor.principal);
  return {
    items: states.map((s) => ({
      code: s.code,
      name: s.name,
      region: s.region as 'EU' | 'LAC',
      subregion: s.subregion,
      organisations: orgs.get(s.code) ?? 0,
      priorities: counts.get(s.code)?.priorities ?? 0,
      instruments: counts.get(s.code)?.instruments ?? 0,
      focalPoints: focal ? (focal.get(s.code) ?? 0) : null,
    })),
    focalCountries: w?.focal ?? [],
  };
}

export interface CompareQuery {
  countries: string;
  sector?: string;
  eu?: EuInstrumentId;
  relation?: EuRelation;
  type?: InstrumentType;
  status?: InstrumentStatus;
}

/**
 * Instruments of two or more countries side by side: by EU instrument (and the relation to it)
 * and by sector — only what the reader may see.
 */
export async function compareCountries(p: Platform, actor: Actor, q: CompareQuery) {
  const codes = [...new Set(q.countries.split(',').map((s) => s.trim().toUpperCase()))];
  if (codes.length < 2 || codes.length > COMPARE_MAX) throw new AppError('VALIDATION_FAILED', `Compare 2 to ${COMPARE_MAX} different countries`, { field: 'countries' });
  const states = await stateRows(p.db);
  const byCode = new Map(states.map((s) => [s.code, s]));
  const unknown = codes.filter((c) => !byCode.has(c));
  if (unknown.length) throw new AppError('NOT_FOUND', `No such country: ${unknown.join(', ')}`, { unknown });
  const sector = q.sector ? (await requireSectors(p, [q.sector]))[0]! : undefined;
  const viewer = viewerOf(actor);
  const rows = await comparedInstruments(p.db, viewer, { countries: codes, sector, eu: q.eu, relation: q.relation, type: q.type, status: q.status });
  const langs = actor.readerLanguages;
  const items = rows.map((r) => {
    const shown = showFor({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title } }, langs);
    return {
      id: r.id,
      country: r.country_code,
      eli: r.eli,
      type: r.type as InstrumentType,
      status: r.status as InstrumentStatus,
      title: shown.fields.title,
      language: shown.info.shown,
      year: r.year,
      sectors: r.sectors,
      euLinks: r.eu_links as EuLink[],
      tlp: r.tlp as Tlp,
    };
  });
  const cells = <T>(pickOf: (i: (typeof items)[number]) => T | null) =>
    codes.map((country) => ({ country, items: items.filter((i) => i.country === country).flatMap((i) => (pickOf(i) === null ? [] : [pickOf(i)!])) }));
  const euRows: (EuInstrumentId | null)[] = q.eu ? [q.eu] : [...EU_INSTRUMENT_IDS, ...(q.relation ? [] : [null])];
  const byEu = euRows.map((eu) => ({
    eu,
    cells: cells((i) => {
      if (eu === null) return i.euLinks.length === 0 ? { id: i.id, relation: null } : null;
      const l = i.euLinks.find((x) => x.instrument === eu && (!q.relation || x.relation === q.relation));
      return l ? { id: i.id, relation: l.relation as EuRelation | null } : null;
    }),
  }));
  const sectorOrder = (t: string) => SECTORS.indexOf(t.slice(SECTOR_SCHEME.length + 1) as (typeof SECTORS)[number]);
  const present = [...new Set(items.flatMap((i) => i.sectors))].sort((a, b) => sectorOrder(a) - sectorOrder(b));
  const sectorRows: (string | null)[] = sector ? [sector] : [...present, ...(items.some((i) => i.sectors.length === 0) ? [null] : [])];
  const bySector = sectorRows.map((s) => ({ sector: s, cells: cells((i) => ((s === null ? i.sectors.length === 0 : i.sectors.includes(s)) ? i.id : null)) }));
  return {
    countries: codes.map((code) => ({ code, name: byCode.get(code)!.name, region: byCode.get(code)!.region as 'EU' | 'LAC' })),
    filters: { sector: sector ?? null, eu: q.eu ?? null, relation: q.relation ?? null, type: q.type ?? null, status: q.status ?? null },
    instruments: items,
    byEu,
    bySector,
  };
}

// ---------------------------------------------------------------- concept pages

/** What of the country pages carries a concept (priorities; instruments by concept or sector), as the reader may see it. */
export async function taggedCountryItems(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const viewer = viewerOf(actor);
  const langs = actor.readerLanguages;
  const [ps, is] = await Promise.all([prioritiesTagged(p.db, viewer, tag, limit), instrumentsTagged(p.db, viewer, tag, limit)]);
  const out: TaggedItem[] = [
    ...ps.map((r) => {
      const s = showFor({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title } }, langs);
      return { kind: 'priority' as const, id: r.id, title: s.fields.title, lang: s.info.shown, path: `/countries/${r.country_code}#priority-${r.id}`, tlp: r.tlp, date: r.updated_at.toISOString().slice(0, 10) };
    }),
    ...is.map((r) => {
      const s = showFor({ language: r.language, source_rev: r.source_rev, translations: r.translations, source: { title: r.title } }, langs);
      return { kind: 'instrument' as const, id: r.id, title: s.fields.title, lang: s.info.shown, path: `/countries/${r.country_code}#instrument-${r.id}`, tlp: r.tlp, date: r.date };
    }),
  ];
  return out.slice(0, limit);
}

// ---------------------------------------------------------------- the translation queue (features/translations)

export interface TranslatableCountryItem {
  kind: 'priority' | 'instrument';
  id: string;
  country: string;
  title: string;
  language: string;
  source_rev: number;
  translations: unknown;
  source: Record<string, string>;
}

const priorityTexts = (r: PriorityRow) => ({ title: r.title, body: r.body });
const instrumentTexts = (r: InstrumentRow) => ({ title: r.title, summary: r.summary });

/**
 * The priorities and instruments this person may translate: their focal countries' (and for the
 * secretariat every country's instruments), and their own organisation's when they are its
 * translator — only what they may see.
 */
export async function translatableCountryItems(p: Platform, pr: Principal): Promise<TranslatableCountryItem[]> {
  const w = await powersOf(p, pr);
  if (!w || !w.vetted) return [];
  const prios = await visiblePriorities(p.db, pr.viewer)
    .where((eb) => eb.or([...(w.focal.length ? [eb('cp.country_code', 'in', w.focal)] : []), ...(w.translator ? [eb('cp.author_org_id', '=', w.orgId)] : []), eb.val(false)]))
    .orderBy('cp.updated_at', 'desc')
    .limit(500)
    .execute();
  const instruments = await visibleInstruments(p.db, pr.viewer)
    .where((eb) => eb.or([...(w.secretariat ? [eb.val(true)] : []), ...(w.focal.length ? [eb('ci.country_code', 'in', w.focal)] : []), ...(w.translator ? [eb('ci.author_org_id', '=', w.orgId)] : []), eb.val(false)]))
    .orderBy('ci.updated_at', 'desc')
    .limit(500)
    .execute();
  return [
    ...prios
      .filter((r) => abilitiesOf(w, r, writesPriorities).translate)
      .map((r): TranslatableCountryItem => ({ kind: 'priority', id: r.id, country: r.country_code, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: priorityTexts(r) })),
    ...instruments
      .filter((r) => abilitiesOf(w, r, writesInstruments).translate)
      .map((r): TranslatableCountryItem => ({ kind: 'instrument', id: r.id, country: r.country_code, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: instrumentTexts(r) })),
  ];
}

/** One priority or instrument this person may translate (by id, any country): 404 when not visible, 403 when not theirs to translate. */
export async function loadTranslatableCountryItem(p: Platform, actor: Actor, kind: 'priority' | 'instrument', id: string): Promise<TranslatableCountryItem> {
  const pr = requireVetted(actor);
  const w = await powersOf(p, pr);
  if (kind === 'priority') {
    const r = await visiblePriorities(p.db, pr.viewer).where('cp.id', '=', id).executeTakeFirst();
    if (!r) throw notFound('Priority');
    if (!abilitiesOf(w, r, writesPriorities).translate) throw forbidden('Only the country’s focal points and the translators of the author’s organisation translate a priority');
    return { kind, id: r.id, country: r.country_code, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: priorityTexts(r) };
  }
  const r = await visibleInstruments(p.db, pr.viewer).where('ci.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('Instrument');
  if (!abilitiesOf(w, r, writesInstruments).translate) throw forbidden('Only the country’s focal points, the secretariat and the translators of the author’s organisation translate an instrument');
  return { kind, id: r.id, country: r.country_code, title: r.title, language: r.language, source_rev: r.source_rev, translations: r.translations, source: instrumentTexts(r) };
}
