import { sql, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { audienceColumns, ANONYMOUS, normaliseAudience, type Audience, type Pap, type Tlp } from '../../platform/access/policy.js';
import { hasRole, requireRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { isDeepStrictEqual } from 'node:util';
import { RECORD_LIMITS, recordProblems, type RecordProblem } from '#shared/records';
import { parseRecordMarkdown, recordToMarkdown, type RecordDoc } from './format.js';
import { requireConcepts, type TaggedItem } from '../../platform/concepts.js';
import { requireTag, showFor } from '../../platform/translations.js';
import { visibleTitlesByIds } from '../knowledge/repository.js';
import {
  commitmentHistory,
  commitmentsOf,
  foldName,
  insertRecord,
  organisationNamesById,
  organisationsNamed,
  recordSearch,
  replaceRecord,
  setRecordConcepts,
  setRecordPractices,
  updateCommitmentRow,
  visibleCommitments,
  visibleRecords,
  type CommitmentFilters,
  type RecordRow,
} from './repository.js';

export interface RecordMarking {
  tlp: Tlp;
  pap?: Pap;
  audience?: Partial<Audience>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const viewerOf = (actor: Actor) => actor.principal?.viewer ?? ANONYMOUS;
const isSecretariat = (actor: Actor) => !!actor.principal && hasRole(actor.principal, 'secretariat');

function docOf(r: RecordRow, commitments: RecordDoc['commitments']): RecordDoc {
  return {
    title: r.title,
    date: r.date,
    ...(r.end_date ? { endDate: r.end_date } : {}),
    location: r.location,
    summary: r.summary,
    characteristics: r.characteristics as string[],
    actors: r.actors as RecordDoc['actors'],
    themes: r.themes as RecordDoc['themes'],
    applications: r.applications as string[],
    commitments,
  };
}

/** The record's author, or an admin of its organisation. */
const ownRecord = (pr: Principal | null, r: RecordRow) => !!pr && pr.organisation.id === r.author_org_id && (pr.person.id === r.author_id || hasRole(pr, 'org_admin'));

/** What the author's organisation may do with a record, and what the secretariat may. */
function abilities(pr: Principal | null, r: RecordRow) {
  const own = ownRecord(pr, r);
  const secretariat = !!pr && hasRole(pr, 'secretariat');
  return {
    /** Rewrite its text (and marking): its author or organisation admins, until it is published. */
    edit: own && r.status !== 'published',
    propose: own && r.status === 'draft',
    publish: secretariat && r.status === 'proposed',
    return: secretariat && r.status === 'proposed',
    /** Tag it with concepts: its organisation, or the secretariat once it is proposed. */
    tag: own || (secretariat && r.status !== 'draft'),
  };
}

/** A library item a record links, as the reader sees it: its title in their language where there is one. */
export interface PracticeLink {
  id: string;
  slug: string;
  title: string;
  type: string;
  /** The language of the title shown. */
  lang: string;
}

/** What a record links, for this reader: its actors that name member organisations, and the library items they may see. */
interface Links {
  actorOrganisations: Record<string, { id: string; name: string }>;
  practices: PracticeLink[];
}

/**
 * The links of records already read through `visibleRecords`: actors that are the name or
 * acronym of exactly one approved member organisation (directory organisations are public
 * reference data; a name several match stays text), and the linked library items read through
 * the library's `visibleItems` — one the reader may not see is left out, as if never linked.
 */
async function linksOf(p: Platform, actor: Actor, rows: readonly RecordRow[]): Promise<(r: RecordRow) => Links> {
  const actorsOf = (r: RecordRow) => (r.actors as RecordDoc['actors']).flatMap((a) => a.actors);
  const named = await organisationsNamed(p.db, rows.flatMap(actorsOf));
  const names = await organisationNamesById(p.db, [...named.values()].filter((ids) => ids.length === 1).map((ids) => ids[0]!));
  const items = await visibleTitlesByIds(p.db, viewerOf(actor), [...new Set(rows.flatMap((r) => r.practices))]);
  const byId = new Map(
    items.map((x) => {
      const s = showFor<'title'>({ language: x.language, source_rev: x.source_rev, translations: x.translations, source: { title: x.title } }, actor.readerLanguages);
      return [x.id, { id: x.id, slug: x.slug, title: s.fields.title, type: x.type, lang: s.info.shown }] as const;
    }),
  );
  return (r) => {
    // Keyed by names as written: no prototype, so that an actor called "__proto__" is a name like any other.
    const actorOrganisations: Links['actorOrganisations'] = Object.create(null) as Links['actorOrganisations'];
    for (const name of actorsOf(r)) {
      const ids = named.get(foldName(name));
      if (ids?.length === 1 && names.has(ids[0]!)) actorOrganisations[name] = { id: ids[0]!, name: names.get(ids[0]!)! };
    }
    return { actorOrganisations, practices: r.practices.flatMap((id) => byId.get(id) ?? []) };
  };
}

function view(pr: Principal | null, r: RecordRow, commitments: RecordDoc['commitments'], links: Links) {
  return {
    id: r.id,
    slug: r.slug,
    ...docOf(r, commitments),
    language: r.language,
    concepts: r.concepts,
    ...links,
    status: r.status as 'draft' | 'proposed' | 'published',
    // NOT NULL in activity_records (MarkingColumns allows null for other tables).
    organisation: { id: r.author_org_id!, name: r.org_name },
    tlp: r.tlp as Tlp,
    pap: r.pap as Pap,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    updatedAt: r.updated_at.toISOString(),
    can: abilities(pr, r),
  };
}

async function loadOne(p: Platform, actor: Actor, id: string) {
  // By id or by the portal's slug.
  const r = await visibleRecords(p.db, viewerOf(actor), isSecretariat(actor))
    .where((eb) => (UUID.test(id) ? eb('r.id', '=', id) : eb('r.slug', '=', id)))
    .executeTakeFirst();
  // Not visible and not there look the same.
  if (!r) throw notFound('Record');
  return r;
}

/** Records the reader may see, newest activity first; a cursor continues after the last one given. */
export async function listRecords(p: Platform, actor: Actor, q: { q?: string; status?: 'draft' | 'proposed' | 'published'; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  let after: { date: string; id: string } | null = null;
  if (q.cursor) {
    const m = /^(\d{4}-\d{2}-\d{2})_([0-9a-f-]{36})$/.exec(q.cursor);
    if (!m) throw new AppError('VALIDATION_FAILED', 'This cursor was not given by the server', { field: 'cursor' });
    after = { date: m[1]!, id: m[2]! };
  }
  const rows = await visibleRecords(p.db, viewerOf(actor), isSecretariat(actor))
    .$if(!!q.q?.trim(), (b) => b.where(recordSearch(q.q!.trim())))
    .$if(!!q.status, (b) => b.where('r.status', '=', q.status!))
    .$if(!!after, (b) => b.where((eb) => eb.or([eb('r.date', '<', after!.date), eb.and([eb('r.date', '=', after!.date), eb('r.id', '>', after!.id)])])))
    .orderBy('r.date', 'desc')
    .orderBy('r.id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const commitments = await commitmentsOf(p.db, page.map((r) => r.id));
  const links = await linksOf(p, actor, page);
  const last = page.at(-1);
  return {
    items: page.map((r) => view(actor.principal, r, commitments.get(r.id) ?? [], links(r))),
    nextCursor: rows.length > limit && last ? `${last.date}_${last.id}` : null,
  };
}

export async function getRecord(p: Platform, actor: Actor, id: string) {
  const r = await loadOne(p, actor, id);
  const [commitments, links] = await Promise.all([commitmentsOf(p.db, [r.id]), linksOf(p, actor, [r])]);
  return view(actor.principal, r, commitments.get(r.id) ?? [], links(r));
}

/** The record in the published Markdown shape (docs/records.md). */
export async function recordMarkdown(p: Platform, actor: Actor, id: string): Promise<string> {
  const r = await loadOne(p, actor, id);
  return recordToMarkdown(docOf(r, (await commitmentsOf(p.db, [r.id])).get(r.id) ?? []));
}

/**
 * A record in the published Markdown shape becomes a draft of the importer's organisation, with
 * the marking given. A text that is not in the shape is refused whole, with its lines (400
 * IMPORT_INVALID, `details.errors`); nothing is written.
 */
export async function importRecord(p: Platform, actor: Actor, markdown: string, m: RecordMarking) {
  const pr = requireVetted(actor);
  const parsed = parseRecordMarkdown(markdown);
  if (!parsed.ok) throw new AppError('IMPORT_INVALID', `The record is not in the record format (docs/records.md): line ${parsed.errors[0]!.line}: ${parsed.errors[0]!.message}`, { errors: parsed.errors });
  const audience = normaliseAudience(m.tlp, m.audience);
  await checkAudienceExists(p.db, audience);
  const r = parsed.record;
  const id = newId();
  await change(p, async (c) => {
    await insertRecord(c.trx, id, r, { status: 'draft', tlp: m.tlp, pap: m.pap ?? 'GREEN', authorId: pr.person.id, authorOrgId: pr.organisation.id, ...audienceColumns(audience) });
    // Identifiers only: the audit log never carries a marked record's content.
    await c.audit({ action: 'record.imported', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'record', targetId: id, details: { tlp: m.tlp, commitments: r.commitments.length } });
  });
  return getRecord(p, actor, id);
}

/** A record written in the app: the fields of its Markdown shape, its marking, and the language it is written in. */
export interface RecordInput extends RecordDoc, RecordMarking {
  /** BCP 47; `en` unless given (as the import). */
  language?: string;
}

/** Only the record's own fields, optional ones left out when absent (as the reader gives them back). */
function docFrom(i: RecordDoc): RecordDoc {
  return {
    title: i.title,
    date: i.date,
    ...(i.endDate !== undefined ? { endDate: i.endDate } : {}),
    location: i.location,
    summary: i.summary,
    characteristics: [...i.characteristics],
    actors: i.actors.map((a) => ({ category: a.category, actors: [...a.actors] })),
    themes: i.themes.map((t) => ({ category: t.category, subcategory: t.subcategory })),
    applications: [...i.applications],
    commitments: i.commitments.map((c) => ({
      text: c.text,
      owners: [...c.owners],
      countries: [...c.countries],
      ...(c.due !== undefined ? { due: c.due } : {}),
      status: c.status,
      progress: c.progress,
      milestones: c.milestones.map((m) => ({ title: m.title, ...(m.due !== undefined ? { due: m.due } : {}), done: m.done })),
      evidence: [...c.evidence],
    })),
  };
}

const PROBLEM_TEXT: Record<RecordProblem['problem'], string> = {
  required: 'is needed',
  tooLong: 'is too long',
  tooMany: 'has too many entries',
  oneLine: 'must be one line',
  control: 'holds a control character',
  edges: 'must not begin or end with spaces',
  separator: 'must not contain ";" (the record format separates names with "; ")',
  heading: 'has a line beginning with "## ", which the record format reads as a heading',
  date: 'must be a date such as 2024-02-14',
  endDate: 'must be on or after the date',
  country: 'must be an ISO 3166 country code such as DO',
  link: 'must be an http(s) link',
  range: 'must be from 0 to 100',
  invalid: 'is not valid',
};

/** The field of the record format a line of its Markdown belongs to. */
function fieldAtLine(markdown: string, line: number): string {
  const lines = markdown.split('\n').slice(0, Math.max(1, line));
  const SECTIONS: Record<string, string> = {
    '## Executive Summary': 'summary',
    '## Characteristics': 'characteristics',
    '## Actors': 'actors',
    '## Main Themes': 'themes',
    '## Practical Applications': 'applications',
    '## Commitments': 'commitments',
  };
  for (let k = lines.length - 1; k >= 0; k--) if (SECTIONS[lines[k]!]) return SECTIONS[lines[k]!]!;
  const at = lines.at(-1) ?? '';
  return at.startsWith('**Date**') ? 'date' : at.startsWith('**End date**') ? 'endDate' : at.startsWith('**Location**') ? 'location' : 'title';
}

/** The first field (dotted, positions from 0) where two records differ, or null. */
function firstDifference(a: unknown, b: unknown, path: string[] = []): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Array.isArray(a) ? Array.from({ length: Math.max(a.length, (b as unknown[]).length) }, (_, i) => String(i)) : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]);
      if (d) return d;
    }
  }
  return path.join('.') || 'record';
}

/**
 * A record written in the app, checked the way the import would read it: its limits and what the
 * record format cannot hold (`recordProblems`), then written in the format and read back, which
 * must give the same record — so that a record written in the app is always in the seed's shape,
 * and its export imports again. Anything else is a 400 VALIDATION_FAILED naming the field
 * (`details.field`, dotted: `commitments.1.text`), with every problem found in `details.problems`.
 */
export function requireRecordDoc(input: RecordDoc): RecordDoc {
  const doc = docFrom(input);
  const problems = recordProblems(doc);
  if (problems.length) {
    const first = problems[0]!;
    throw new AppError('VALIDATION_FAILED', `${first.field} ${PROBLEM_TEXT[first.problem]}${first.limit !== undefined ? ` (at most ${first.limit})` : ''}`, {
      field: first.field,
      problem: first.problem,
      ...(first.limit !== undefined ? { limit: first.limit } : {}),
      problems: problems.slice(0, 50),
    });
  }
  const markdown = recordToMarkdown(doc);
  if (Buffer.byteLength(markdown, 'utf8') > RECORD_LIMITS.bytes) throw new AppError('PAYLOAD_TOO_LARGE', `A record written in the record format may be at most ${RECORD_LIMITS.bytes} bytes`, { limitBytes: RECORD_LIMITS.bytes });
  const back = parseRecordMarkdown(markdown);
  const field = back.ok ? firstDifference(doc, back.record) : fieldAtLine(markdown, back.errors[0]!.line);
  if (field) throw new AppError('VALIDATION_FAILED', `${field} cannot be written in the record format as given (docs/records.md)`, { field, problem: 'format' });
  return doc;
}

/** A record written in the app becomes a draft of the writer's organisation, as an imported one. */
export async function createRecord(p: Platform, actor: Actor, input: RecordInput) {
  const pr = requireVetted(actor);
  const doc = requireRecordDoc(input);
  const language = input.language ? requireTag(input.language) : undefined;
  const audience = normaliseAudience(input.tlp, input.audience);
  await checkAudienceExists(p.db, audience);
  const id = newId();
  await change(p, async (c) => {
    await insertRecord(c.trx, id, doc, { status: 'draft', tlp: input.tlp, pap: input.pap ?? 'GREEN', authorId: pr.person.id, authorOrgId: pr.organisation.id, language, ...audienceColumns(audience) });
    // Identifiers only: the audit log never carries a marked record's content.
    await c.audit({ action: 'record.created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'record', targetId: id, details: { tlp: input.tlp, commitments: doc.commitments.length } });
  });
  return getRecord(p, actor, id);
}

/**
 * Rewrite a record that is not published yet — its text, and its marking and language when given
 * — by its author or their organisation's admins. A proposed record goes back to draft: the
 * secretariat was asked to publish another text. Its commitments are written anew (new ids).
 */
export async function updateRecord(p: Platform, actor: Actor, id: string, input: RecordDoc & Partial<RecordMarking> & { language?: string }) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!ownRecord(pr, r)) throw forbidden('Only the author and their organisation admins rewrite a record');
  if (r.status === 'published') throw invalidState('A published record is not rewritten');
  const doc = requireRecordDoc(input);
  const language = input.language ? requireTag(input.language) : undefined;
  const tlp = input.tlp ?? (r.tlp as Tlp);
  const audience =
    input.tlp || input.audience ? normaliseAudience(tlp, input.audience ?? { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people }) : null;
  if (audience) await checkAudienceExists(p.db, audience);
  await change(p, async (c) => {
    const done = await replaceRecord(c.trx, r.id, { status: r.status }, doc, {
      tlp,
      pap: input.pap ?? r.pap,
      ...(audience ? audienceColumns(audience) : { audience_organisations: r.audience_organisations, audience_communities: r.audience_communities, audience_people: r.audience_people }),
      ...(language ? { language } : {}),
    });
    if (!done) throw invalidState('The record changed meanwhile: reload it and make your change again');
    await c.audit({
      action: 'record.updated',
      ...auditActor(actor),
      organisationId: r.author_org_id,
      targetType: 'record',
      targetId: r.id,
      details: { from: r.status, to: 'draft', commitments: doc.commitments.length, ...(tlp !== r.tlp ? { tlp: { from: r.tlp, to: tlp } } : {}) },
    });
  });
  return getRecord(p, actor, r.id);
}

async function step(p: Platform, actor: Actor, id: string, to: 'proposed' | 'published' | 'draft') {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  const can = abilities(pr, r);
  if (to === 'proposed' && !can.propose) throw r.status !== 'draft' ? invalidState('Only a draft is proposed') : forbidden('Only the author or their organisation admins propose a record');
  if (to === 'published' && !can.publish) throw r.status !== 'proposed' ? invalidState('Only a proposed record is published') : forbidden('The secretariat publishes records');
  if (to === 'draft' && !can.return) throw r.status !== 'proposed' ? invalidState('Only a proposed record is returned') : forbidden('The secretariat returns records');
  const action = to === 'proposed' ? 'record.proposed' : to === 'published' ? 'record.published' : 'record.returned';
  await change(p, async (c) => {
    await c.trx
      .updateTable('activity_records')
      .set({ status: to, updated_at: new Date(), ...(to === 'published' ? { published_at: new Date() } : {}) })
      .where('id', '=', r.id)
      .where('status', '=', r.status)
      .execute();
    await c.audit({ action, ...auditActor(actor), organisationId: r.author_org_id, targetType: 'record', targetId: r.id, details: { from: r.status, to } });
  });
  return { id: r.id, status: to };
}

export async function proposeRecord(p: Platform, actor: Actor, id: string) {
  await step(p, actor, id, 'proposed');
  return getRecord(p, actor, id);
}
export async function publishRecord(p: Platform, actor: Actor, id: string) {
  requireRole(actor, 'secretariat');
  await step(p, actor, id, 'published');
  return getRecord(p, actor, id);
}
/** Back to its organisation as a draft: the secretariat no longer sees it, so the answer is the new state only. */
export async function returnRecord(p: Platform, actor: Actor, id: string) {
  requireRole(actor, 'secretariat');
  return step(p, actor, id, 'draft');
}

/**
 * The commitments tracker: every commitment of the records the reader may see, filtered, with
 * the progress rolled up — overall and per status — over exactly those (each commitment weighs
 * the same; a hidden record's commitments are neither listed nor counted).
 */
export async function listCommitments(p: Platform, actor: Actor, f: CommitmentFilters & { limit?: number }) {
  const limit = f.limit ?? 500;
  const rows = await visibleCommitments(p.db, viewerOf(actor), isSecretariat(actor), f, limit + 1);
  const page = rows.slice(0, limit);
  const today = new Date().toISOString().slice(0, 10);
  const names = await organisationNamesById(p.db, page.flatMap((c) => c.owner_organisations));
  const items = page.map((c) => ({
    id: c.id,
    record: { id: c.record_id, slug: c.record_slug, title: c.record_title, language: c.record_language, status: c.record_status as 'draft' | 'proposed' | 'published', concepts: c.record_concepts },
    text: c.text,
    owners: c.owners,
    ownerOrganisations: c.owner_organisations.map((id) => ({ id, name: names.get(id) ?? '' })),
    countries: c.countries,
    due: c.due,
    status: c.status as RecordDoc['commitments'][number]['status'],
    progress: c.progress,
    weight: c.weight,
    milestones: c.milestones as RecordDoc['commitments'][number]['milestones'],
    evidence: c.evidence,
    overdue: !!c.due && c.due < today && c.status !== 'done' && c.status !== 'dropped',
    updatedAt: c.updated_at ? c.updated_at.toISOString() : null,
    can: { update: mayUpdateCommitment(actor.principal, c) },
  }));
  const byStatus: Record<string, number> = { planned: 0, 'in progress': 0, done: 0, delayed: 0, dropped: 0 };
  for (const c of items) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  // Dropped commitments leave the roll-up: they will not progress any more. The others weigh
  // their weight (1 unless set), as Decidim's accountability results do.
  const counted = items.filter((c) => c.status !== 'dropped');
  const weights = counted.reduce((s, c) => s + c.weight, 0);
  return {
    items,
    truncated: rows.length > limit,
    summary: {
      count: items.length,
      byStatus,
      overdue: items.filter((c) => c.overdue).length,
      progress: weights ? Math.round(counted.reduce((s, c) => s + c.progress * c.weight, 0) / weights) : null,
    },
  };
}

/**
 * Who follows a commitment up: the record's author and their organisation's admins, the admins
 * of an owner organisation, and the secretariat — each only for a commitment they can see
 * (the caller read it through `visibleCommitments`), and only once the record is published.
 */
function mayUpdateCommitment(pr: Principal | null, c: { record_status: string; record_author_id: string | null; record_org_id: string | null; owner_organisations: string[] }) {
  if (!pr || !pr.viewer.vetted || c.record_status !== 'published') return false;
  if (hasRole(pr, 'secretariat')) return true;
  const orgAdmin = hasRole(pr, 'org_admin');
  if (pr.organisation.id === c.record_org_id && (pr.person.id === c.record_author_id || orgAdmin)) return true;
  return orgAdmin && c.owner_organisations.includes(pr.organisation.id);
}

async function loadCommitment(p: Platform, actor: Actor, id: string) {
  const [c] = await visibleCommitments(p.db, viewerOf(actor), isSecretariat(actor), { id }, 1);
  if (!c) throw notFound('Commitment');
  return c;
}

/** A commitment's progress over time: every change of status and progress, who made it and when. */
export async function getCommitmentHistory(p: Platform, actor: Actor, id: string) {
  const c = await loadCommitment(p, actor, id);
  const rows = await commitmentHistory(p.db, c.id);
  // The names of who changed it are members' business.
  const named = !!actor.principal?.viewer.vetted;
  return { items: rows.map((r) => ({ at: r.at.toISOString(), status: r.status as RecordDoc['commitments'][number]['status'], progress: r.progress, note: r.note, by: named ? r.by_name : null })) };
}

/**
 * Follow a commitment up: its status and progress (a commitment done is 100 % done), milestones,
 * evidence links, weight, with a note; kept in its history and audited (identifiers only).
 */
export async function updateCommitment(
  p: Platform,
  actor: Actor,
  id: string,
  u: { status?: RecordDoc['commitments'][number]['status']; progress?: number; note?: string; milestones?: RecordDoc['commitments'][number]['milestones']; evidence?: string[]; weight?: number },
) {
  const pr = requireVetted(actor);
  const c = await loadCommitment(p, actor, id);
  if (!mayUpdateCommitment(pr, c))
    throw c.record_status !== 'published' ? invalidState('A commitment is followed up once its record is published') : forbidden('The record’s organisation, the owners’ admins and the secretariat follow a commitment up');
  for (const e of u.evidence ?? []) if (!/^https?:\/\/\S+$/.test(e)) throw new AppError('VALIDATION_FAILED', `Evidence is a link (http or https): ${e.slice(0, 80)}`, { field: 'evidence' });
  const status = u.status ?? (c.status as RecordDoc['commitments'][number]['status']);
  const progress = status === 'done' ? 100 : (u.progress ?? c.progress);
  if (status !== 'done' && progress === 100 && u.progress === 100 && !u.status) throw new AppError('VALIDATION_FAILED', 'A commitment at 100 % is done: say so with its status', { field: 'status' });
  await change(p, async (ch) => {
    await updateCommitmentRow(ch.trx, c.id, { status, progress, note: (u.note ?? '').trim(), by: pr.person.id, milestones: u.milestones, evidence: u.evidence, weight: u.weight });
    await ch.audit({ action: 'commitment.updated', ...auditActor(actor), organisationId: c.record_org_id, targetType: 'commitment', targetId: c.id, details: { record: c.record_id, from: { status: c.status, progress: c.progress }, to: { status, progress } } });
  });
  return (await listCommitments(p, actor, { id: c.id })).items[0]!;
}

/**
 * Link the good practices (library items) a record concerns: its organisation, or the secretariat
 * once it is proposed, as concepts. Each must be an item the writer may see (else 400, nothing
 * written). Links others made to items this writer may not see are kept as they are: the writer
 * can neither see nor drop them, and the answer does not show them.
 */
export async function setPractices(p: Platform, actor: Actor, id: string, practices: string[]) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilities(pr, r).tag) throw forbidden('The record’s organisation and the secretariat link a record to good practices');
  const wanted = [...new Set(practices)];
  if (wanted.length > RECORD_LIMITS.practices) throw new AppError('VALIDATION_FAILED', `At most ${RECORD_LIMITS.practices} good practices`, { field: 'practices', limit: RECORD_LIMITS.practices });
  for (const x of wanted) if (!UUID.test(x)) throw new AppError('VALIDATION_FAILED', 'A good practice is named by its id', { field: 'practices' });
  const seen = new Set((await visibleTitlesByIds(p.db, pr.viewer, [...new Set([...wanted, ...r.practices])])).map((x) => x.id));
  const unknown = wanted.filter((x) => !seen.has(x));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 'Link library items you can see', { field: 'practices', unknown });
  const stored = [...wanted, ...r.practices.filter((x) => !seen.has(x))];
  await change(p, async (c) => {
    await setRecordPractices(c.trx, r.id, stored);
    await c.audit({ action: 'record.practices_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'record', targetId: r.id, details: { practices: wanted.length } });
  });
  return getRecord(p, actor, r.id);
}

/** Tag a record with concepts of the vocabularies (its organisation, or the secretariat for a published record it can see). */
export async function setConcepts(p: Platform, actor: Actor, id: string, concepts: string[]) {
  const pr = requireVetted(actor);
  const r = await loadOne(p, actor, id);
  if (!abilities(pr, r).tag) throw forbidden('The record’s organisation and the secretariat tag a record');
  const tags = await requireConcepts(p.db, concepts, r.concepts);
  await change(p, async (c) => {
    await setRecordConcepts(c.trx, r.id, tags);
    await c.audit({ action: 'record.concepts_changed', ...auditActor(actor), organisationId: r.author_org_id, targetType: 'record', targetId: r.id, details: { concepts: tags.length } });
  });
  return getRecord(p, actor, r.id);
}

/** The records carrying a concept, for the concept's page (Feature.tagged): through the policy and the workflow. */
export async function recordsTagged(p: Platform, actor: Actor, tag: string, limit: number): Promise<TaggedItem[]> {
  const rows = await visibleRecords(p.db, viewerOf(actor), isSecretariat(actor))
    .where(sql<SqlBool>`r.concepts @> ARRAY[${tag}]::text[]`)
    .orderBy('r.date', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: 'record', id: r.id, title: r.title, lang: r.language, path: `/records/${r.slug}`, tlp: r.tlp, date: r.date }));
}
