import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { SchemeData } from './schemes.js';
import { likeLiteral } from '../../platform/sql.js';
import './tables.js';

/** Every label of a concept, accents folded, for `q` (the fold is the database's, as everywhere). */
const searchText = (c: SchemeData['concepts'][number]) =>
  [...Object.values(c.prefLabel), ...Object.values(c.altLabel ?? {}).flat(), c.notation ?? ''].join(' \u2022 ');

/**
 * Store the shipped schemes as they are now: new ones and new concepts added, changed labels
 * replaced, concepts no longer shipped marked withdrawn (kept: records may be tagged with them).
 * One transaction; run at every start, so it changes nothing when nothing changed.
 */
export async function storeSchemes(db: Kysely<DB>, schemes: SchemeData[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [position, s] of schemes.entries()) {
      await trx
        .insertInto('vocabulary_schemes')
        .values({ id: s.id, labels: JSON.stringify(s.labels), source: JSON.stringify(s.source), position })
        .onConflict((oc) => oc.column('id').doUpdateSet({ labels: JSON.stringify(s.labels), source: JSON.stringify(s.source), position, updated_at: new Date() }))
        .execute();
      for (const [i, c] of s.concepts.entries()) {
        const row = {
          notation: c.notation ?? null,
          pref_labels: JSON.stringify(c.prefLabel),
          alt_labels: JSON.stringify(c.altLabel ?? {}),
          definition: JSON.stringify(c.definition ?? {}),
          broader: c.broader ?? null,
          related: c.related ?? [],
          position: i,
          withdrawn: false,
          search_text: sql<string>`puente_fold(${searchText(c)})`,
        };
        await trx
          .insertInto('vocabulary_concepts')
          .values({ scheme_id: s.id, id: c.id, ...row })
          .onConflict((oc) => oc.columns(['scheme_id', 'id']).doUpdateSet(row))
          .execute();
      }
      const shipped = s.concepts.map((c) => c.id);
      await trx
        .updateTable('vocabulary_concepts')
        .set({ withdrawn: true })
        .where('scheme_id', '=', s.id)
        .$if(shipped.length > 0, (q) => q.where('id', 'not in', shipped))
        .execute();
    }
  });
}

export interface SchemeRow {
  id: string;
  labels: Record<string, string>;
  source: Record<string, string>;
  concepts: number;
}

/** The schemes, in their order, with how many concepts each has in use. Public reference data: no marking. */
export async function listSchemeRows(db: Kysely<DB>, id?: string): Promise<SchemeRow[]> {
  const rows = await db
    .selectFrom('vocabulary_schemes as s')
    .select((eb) => [
      's.id',
      's.labels',
      's.source',
      eb
        .selectFrom('vocabulary_concepts as c')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('c.scheme_id', '=', 's.id')
        .where('c.withdrawn', '=', false)
        .as('concepts'),
    ])
    .$if(id !== undefined, (q) => q.where('s.id', '=', id!))
    .orderBy('s.position')
    .execute();
  return rows.map((r) => ({ id: r.id, labels: r.labels as Record<string, string>, source: r.source as Record<string, string>, concepts: Number(r.concepts ?? 0) }));
}

export interface ConceptRow {
  id: string;
  notation: string | null;
  prefLabels: Record<string, string>;
  altLabels: Record<string, string[]>;
  definition: Record<string, string>;
  broader: string | null;
  related: string[];
  withdrawn: boolean;
}

/** A scheme's concepts in their order; `q` matches any label in any language, accents and case folded. */
export async function listConceptRows(db: Kysely<DB>, schemeId: string, opts: { q?: string; withdrawn?: boolean } = {}): Promise<ConceptRow[]> {
  const escaped = opts.q ? likeLiteral(opts.q) : null;
  const rows = await db
    .selectFrom('vocabulary_concepts')
    .selectAll()
    .where('scheme_id', '=', schemeId)
    .$if(!opts.withdrawn, (q) => q.where('withdrawn', '=', false))
    .$if(escaped !== null, (q) => q.where(sql<boolean>`search_text LIKE '%' || puente_fold(${escaped}) || '%'`))
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    notation: r.notation,
    prefLabels: r.pref_labels as Record<string, string>,
    altLabels: r.alt_labels as Record<string, string[]>,
    definition: r.definition as Record<string, string>,
    broader: r.broader,
    related: r.related,
    withdrawn: r.withdrawn,
  }));
}

/** The NIS2 annex of each sector, from the reference table migration 0002 seeded. */
export async function sectorAnnexes(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('sectors').select(['code', 'annex']).execute();
  return new Map(rows.map((r) => [r.code, r.annex]));
}
