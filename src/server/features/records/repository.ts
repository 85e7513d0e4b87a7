import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { likeLiteral } from '../../platform/sql.js';
import { newId } from '../../platform/ids.js';
import { slugOf, slugWords } from '../../platform/slug.js';
import type { CommitmentDoc, RecordDoc } from './format.js';
import './tables.js';

/**
 * Every read of activity records starts here. Two rules, both must hold: the access policy
 * (the record's TLP and audience), and the workflow — a record that is not published is seen
 * only by its own organisation, and once proposed also by the secretariat, never by anyone
 * else. The workflow only narrows what the marking allows.
 */
export function visibleRecords(db: Kysely<DB> | Transaction<DB>, viewer: Viewer, isSecretariat: boolean) {
  return db
    .selectFrom('activity_records as r')
    .innerJoin('organisations as o', 'o.id', 'r.author_org_id')
    .select([
      'r.id',
      'r.slug',
      'r.title',
      sql<string>`to_char(r.date, 'YYYY-MM-DD')`.as('date'),
      sql<string | null>`to_char(r.end_date, 'YYYY-MM-DD')`.as('end_date'),
      'r.location',
      'r.summary',
      'r.characteristics',
      'r.actors',
      'r.themes',
      'r.concepts',
      'r.practices',
      'r.applications',
      'r.language',
      'r.status',
      'r.tlp',
      'r.pap',
      'r.author_id',
      'r.author_org_id',
      'r.audience_organisations',
      'r.audience_communities',
      'r.audience_people',
      'r.created_at',
      'r.updated_at',
      'r.published_at',
      'o.name as org_name',
    ])
    .where(visibleSql(viewer, 'r'))
    .where((eb) =>
      eb.or([
        eb('r.status', '=', 'published'),
        ...(viewer.organisationId ? [eb('r.author_org_id', '=', viewer.organisationId)] : []),
        ...(isSecretariat ? [eb('r.status', '=', 'proposed')] : []),
      ]),
    );
}

export type RecordRow = Awaited<ReturnType<ReturnType<typeof visibleRecords>['executeTakeFirstOrThrow']>>;

/** Title, place and summary contain the words, accents and case folded. */
export const recordSearch = (q: string) => {
  const literal = likeLiteral(q);
  return sql<boolean>`(puente_fold(r.title) LIKE '%' || puente_fold(${literal}) || '%' OR puente_fold(r.location) LIKE '%' || puente_fold(${literal}) || '%' OR puente_fold(r.summary) LIKE '%' || puente_fold(${literal}) || '%')`;
};

/** The commitments of records already read through `visibleRecords` (by their ids), in order. */
export async function commitmentsOf(db: Kysely<DB> | Transaction<DB>, recordIds: string[]): Promise<Map<string, CommitmentDoc[]>> {
  const out = new Map<string, CommitmentDoc[]>();
  if (!recordIds.length) return out;
  const rows = await db
    .selectFrom('record_commitments')
    .select(['record_id', 'text', 'owners', 'countries', sql<string | null>`to_char(due, 'YYYY-MM-DD')`.as('due'), 'status', 'progress', 'milestones', 'evidence'])
    .where('record_id', 'in', recordIds)
    .orderBy('record_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const c: CommitmentDoc = {
      text: r.text,
      owners: r.owners,
      countries: r.countries,
      ...(r.due ? { due: r.due } : {}),
      status: r.status as CommitmentDoc['status'],
      progress: r.progress,
      milestones: r.milestones as CommitmentDoc['milestones'],
      evidence: r.evidence,
    };
    out.set(r.record_id, [...(out.get(r.record_id) ?? []), c]);
  }
  return out;
}

/** `2024-02-14-eu-lac-digital-alliance-enhances-…-9c3f1a2b`: date and title (platform/slug.ts). */
const recordSlug = (id: string, r: RecordDoc) => slugOf(id, `${r.date}-${slugWords(r.title)}`, 90);

/** Write a record and its commitments (inside the caller's transaction). */
export async function insertRecord(
  trx: Transaction<DB>,
  id: string,
  r: RecordDoc,
  m: { status: 'draft' | 'proposed' | 'published'; tlp: string; pap: string; authorId: string; authorOrgId: string; audience_organisations: string[]; audience_communities: string[]; audience_people: string[]; concepts?: string[]; language?: string },
): Promise<void> {
  await trx
    .insertInto('activity_records')
    .values({
      id,
      slug: recordSlug(id, r),
      title: r.title,
      date: r.date,
      end_date: r.endDate ?? null,
      location: r.location,
      summary: r.summary,
      characteristics: JSON.stringify(r.characteristics),
      actors: JSON.stringify(r.actors),
      themes: JSON.stringify(r.themes),
      applications: JSON.stringify(r.applications),
      status: m.status,
      published_at: m.status === 'published' ? new Date() : null,
      tlp: m.tlp,
      pap: m.pap,
      author_id: m.authorId,
      author_org_id: m.authorOrgId,
      audience_organisations: m.audience_organisations,
      audience_communities: m.audience_communities,
      audience_people: m.audience_people,
      concepts: m.concepts ?? [],
      ...(m.language ? { language: m.language } : {}),
    })
    .execute();
  await insertCommitments(trx, id, r.commitments);
}

/** Write a record's commitments, in order (inside the caller's transaction). */
async function insertCommitments(trx: Transaction<DB>, id: string, commitments: readonly CommitmentDoc[]): Promise<void> {
  // Owners are written as names; those that name a member organisation are linked to it (its
  // admins are reminded of the due dates). Names that match nothing stay text.
  const owners = await organisationsNamed(trx, commitments.flatMap((k) => k.owners));
  if (commitments.length)
    await trx
      .insertInto('record_commitments')
      .values(
        commitments.map((k, position) => ({
          id: newId(),
          record_id: id,
          position,
          text: k.text,
          owners: k.owners,
          countries: k.countries,
          due: k.due ?? null,
          status: k.status,
          progress: k.progress,
          milestones: JSON.stringify(k.milestones),
          evidence: k.evidence,
          owner_organisations: k.owners.flatMap((o) => owners.get(fold(o)) ?? []),
        })),
      )
      .execute();
}

/**
 * Replace the text of a record that is not published (a draft, or a proposed one, which goes back
 * to draft), and its marking when one is given. The commitments are written anew, with new ids: a
 * commitment is followed up (history, weight, reminders) only once its record is published, so
 * an unpublished record's commitments have nothing to lose. Returns false when the record changed
 * meanwhile (published, returned or proposed by someone else): nothing is then written. Two
 * edits of the same text at once: the last one written stands.
 */
export async function replaceRecord(
  trx: Transaction<DB>,
  id: string,
  expected: { status: string },
  r: RecordDoc,
  marking: { tlp: string; pap: string; audience_organisations: string[]; audience_communities: string[]; audience_people: string[]; language?: string } | null,
): Promise<boolean> {
  const res = await trx
    .updateTable('activity_records')
    .set({
      slug: recordSlug(id, r),
      title: r.title,
      date: r.date,
      end_date: r.endDate ?? null,
      location: r.location,
      summary: r.summary,
      characteristics: JSON.stringify(r.characteristics),
      actors: JSON.stringify(r.actors),
      themes: JSON.stringify(r.themes),
      applications: JSON.stringify(r.applications),
      status: 'draft',
      ...(marking ?? {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', expected.status)
    .where('status', '<>', 'published')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await trx.deleteFrom('record_commitments').where('record_id', '=', id).execute();
  await insertCommitments(trx, id, r.commitments);
  return true;
}

/** Set the library items a record concerns (beside its published text). */
export async function setRecordPractices(trx: Transaction<DB>, id: string, practices: string[]) {
  await trx.updateTable('activity_records').set({ practices, updated_at: new Date() }).where('id', '=', id).execute();
}

/**
 * The records the viewer may see (through `visibleRecords`: the policy and the workflow) that
 * link a library item, newest activity first. The caller has read the item through the library's
 * own `visibleItems`.
 */
export async function recordsLinking(db: Kysely<DB> | Transaction<DB>, viewer: Viewer, isSecretariat: boolean, practiceId: string, limit: number) {
  return visibleRecords(db, viewer, isSecretariat)
    .clearSelect()
    .select(['r.id', 'r.slug', 'r.title', sql<string>`to_char(r.date, 'YYYY-MM-DD')`.as('date'), 'r.language', 'r.status'])
    .where(sql<boolean>`r.practices @> ARRAY[${practiceId}]::uuid[]`)
    .orderBy('r.date', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** Filters of the commitments tracker. */
export interface CommitmentFilters {
  q?: string;
  country?: string;
  owner?: string;
  status?: string;
  dueBefore?: string;
  dueAfter?: string;
  record?: string;
  concept?: string;
  /** One commitment (its id). */
  id?: string;
}

/**
 * The commitments of the records the viewer may see (through `visibleRecords`: the policy and
 * the workflow), with their record's title and slug, soonest due first.
 */
export async function visibleCommitments(db: Kysely<DB>, viewer: Viewer, isSecretariat: boolean, f: CommitmentFilters, limit: number) {
  const records = visibleRecords(db, viewer, isSecretariat).as('r');
  return db
    .selectFrom('record_commitments as c')
    .innerJoin(records, 'r.id', 'c.record_id')
    .select([
      'c.id',
      'c.record_id',
      'r.slug as record_slug',
      'r.title as record_title',
      'r.language as record_language',
      'r.status as record_status',
      'c.position',
      'c.text',
      'c.owners',
      'c.countries',
      sql<string | null>`to_char(c.due, 'YYYY-MM-DD')`.as('due'),
      'c.status',
      'c.progress',
      'c.milestones',
      'c.evidence',
      'c.owner_organisations',
      'c.weight',
      'c.updated_at',
      'r.author_id as record_author_id',
      'r.author_org_id as record_org_id',
      'r.concepts as record_concepts',
    ])
    .$if(!!f.id, (b) => b.where('c.id', '=', f.id!))
    .$if(!!f.concept, (b) => b.where(sql<boolean>`r.concepts @> ARRAY[${f.concept!}]::text[]`))
    .$if(!!f.q, (b) => b.where(sql<boolean>`puente_fold(c.text) LIKE '%' || puente_fold(${likeLiteral(f.q!)}) || '%'`))
    .$if(!!f.country, (b) => b.where(sql<boolean>`${f.country!} = ANY(c.countries)`))
    .$if(!!f.owner, (b) => b.where(sql<boolean>`EXISTS (SELECT 1 FROM unnest(c.owners) o WHERE puente_fold(o) LIKE '%' || puente_fold(${likeLiteral(f.owner!)}) || '%')`))
    .$if(!!f.status, (b) => b.where('c.status', '=', f.status!))
    .$if(!!f.dueBefore, (b) => b.where('c.due', '<=', f.dueBefore!))
    .$if(!!f.dueAfter, (b) => b.where('c.due', '>=', f.dueAfter!))
    .$if(!!f.record, (b) => b.where('c.record_id', '=', f.record!))
    .orderBy(sql`c.due ASC NULLS LAST`)
    .orderBy('c.record_id')
    .orderBy('c.position')
    .limit(limit)
    .execute();
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Approved member organisations a name designates: the same name or acronym, accents, case and
 * spacing aside. Directory organisations are public reference data (their profiles are), so a
 * match says nothing that is not already public. Keyed by the folded name.
 */
export async function organisationsNamed(db: Kysely<DB> | Transaction<DB>, names: readonly string[]): Promise<Map<string, string[]>> {
  const wanted = [...new Set(names.map(fold).filter(Boolean))];
  const out = new Map<string, string[]>();
  if (!wanted.length) return out;
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'acronym'])
    .where('status', '=', 'approved')
    .where((eb) => eb.or([eb(sql`puente_fold(name)`, 'in', wanted), eb(sql`puente_fold(acronym)`, 'in', wanted)]))
    .execute();
  for (const o of rows)
    for (const key of [fold(o.name), o.acronym ? fold(o.acronym) : null])
      if (key && wanted.includes(key)) out.set(key, [...new Set([...(out.get(key) ?? []), o.id])]);
  return out;
}

/** Names of organisations by id (public reference data). */
export async function organisationNamesById(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return new Map<string, string>();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export { fold as foldName };

/** A commitment's changes, oldest first (the caller has read the commitment through `visibleCommitments`). */
export async function commitmentHistory(db: Kysely<DB>, commitmentId: string) {
  return db
    .selectFrom('commitment_updates as u')
    .leftJoin('people as p', 'p.id', 'u.by_person')
    .select(['u.at', 'u.status', 'u.progress', 'u.note', 'p.name as by_name'])
    .where('u.commitment_id', '=', commitmentId)
    .orderBy('u.at')
    .execute();
}

/** Record a change of a commitment's status and progress, with its history row. */
export async function updateCommitmentRow(trx: Transaction<DB>, id: string, u: { status: string; progress: number; note: string; by: string; milestones?: unknown; evidence?: string[]; weight?: number }) {
  await trx
    .updateTable('record_commitments')
    .set({
      status: u.status,
      progress: u.progress,
      updated_at: new Date(),
      ...(u.milestones !== undefined ? { milestones: JSON.stringify(u.milestones) } : {}),
      ...(u.evidence !== undefined ? { evidence: u.evidence } : {}),
      ...(u.weight !== undefined ? { weight: u.weight } : {}),
    })
    .where('id', '=', id)
    .execute();
  await trx.insertInto('commitment_updates').values({ id: newId(), commitment_id: id, by_person: u.by, status: u.status, progress: u.progress, note: u.note }).execute();
}

/** Set the concepts of a record (beside its published text). */
export async function setRecordConcepts(trx: Transaction<DB>, id: string, concepts: string[]) {
  await trx.updateTable('activity_records').set({ concepts, updated_at: new Date() }).where('id', '=', id).execute();
}

/**
 * Commitments whose owners are due a reminder (daily job): of published records, neither done
 * nor dropped, due within `beforeDays` and not yet reminded of it, or past due and not yet
 * reminded of that. With their record's marking, so mail goes only to those who may read it.
 */
export async function commitmentsToRemind(db: Kysely<DB>, today: string, beforeDays: number) {
  return db
    .selectFrom('record_commitments as c')
    .innerJoin('activity_records as r', 'r.id', 'c.record_id')
    .select([
      'c.id',
      'c.text',
      sql<string>`to_char(c.due, 'YYYY-MM-DD')`.as('due'),
      'c.status',
      'c.progress',
      'c.owner_organisations',
      'c.reminded_before',
      'c.reminded_after',
      'r.id as record_id',
      'r.slug as record_slug',
      'r.title as record_title',
      'r.tlp',
      'r.author_id',
      'r.author_org_id',
      'r.audience_organisations',
      'r.audience_communities',
      'r.audience_people',
    ])
    .where('r.status', '=', 'published')
    .where('c.status', 'not in', ['done', 'dropped'])
    .where('c.due', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('c.reminded_before', 'is', null), eb('c.due', '>=', today), sql<boolean>`c.due <= ${today}::date + ${beforeDays}::int`]),
        eb.and([eb('c.reminded_after', 'is', null), eb('c.due', '<', today)]),
      ]),
    )
    .orderBy('c.due')
    .limit(500)
    .execute();
}

export async function markReminded(trx: Transaction<DB>, id: string, which: 'before' | 'after', today: string) {
  await trx
    .updateTable('record_commitments')
    .set(which === 'before' ? { reminded_before: today } : { reminded_after: today })
    .where('id', '=', id)
    .execute();
}

/** Active admins of these organisations (those who answer for a commitment). */
export async function adminsOf(db: Kysely<DB>, organisationIds: readonly string[]) {
  if (!organisationIds.length) return [];
  return db
    .selectFrom('people')
    .select('id')
    .where('organisation_id', 'in', [...organisationIds])
    .where('status', '=', 'active')
    .where(sql<boolean>`roles @> ARRAY['org_admin']::text[]`)
    .execute();
}
