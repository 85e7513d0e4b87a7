import type { Actor } from '../../platform/actor.js';
import { auditActor } from '../../platform/actor.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { audienceColumns, ANONYMOUS, normaliseAudience, type Audience, type Pap, type Tlp } from '../../platform/access/policy.js';
import { hasRole, requireRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { change, type Platform } from '../../platform/deps.js';
import { AppError, forbidden, invalidState, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { parseRecordMarkdown, recordToMarkdown, type RecordDoc } from './format.js';
import { requireConcepts } from '../../platform/concepts.js';
import { commitmentHistory, commitmentsOf, insertRecord, organisationNamesById, recordSearch, setRecordConcepts, updateCommitmentRow, visibleCommitments, visibleRecords, type CommitmentFilters, type RecordRow } from './repository.js';

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

/** What the author's organisation may do with a record, and what the secretariat may. */
function abilities(pr: Principal | null, r: RecordRow) {
  const own = !!pr && pr.organisation.id === r.author_org_id && (pr.person.id === r.author_id || hasRole(pr, 'org_admin'));
  const secretariat = !!pr && hasRole(pr, 'secretariat');
  return {
    propose: own && r.status === 'draft',
    publish: secretariat && r.status === 'proposed',
    return: secretariat && r.status === 'proposed',
    /** Tag it with concepts: its organisation, or the secretariat once it is proposed. */
    tag: own || (secretariat && r.status !== 'draft'),
  };
}

function view(pr: Principal | null, r: RecordRow, commitments: RecordDoc['commitments']) {
  return {
    id: r.id,
    slug: r.slug,
    ...docOf(r, commitments),
    language: r.language,
    concepts: r.concepts,
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
  const last = page.at(-1);
  return {
    items: page.map((r) => view(actor.principal, r, commitments.get(r.id) ?? [])),
    nextCursor: rows.length > limit && last ? `${last.date}_${last.id}` : null,
  };
}

export async function getRecord(p: Platform, actor: Actor, id: string) {
  const r = await loadOne(p, actor, id);
  return view(actor.principal, r, (await commitmentsOf(p.db, [r.id])).get(r.id) ?? []);
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
