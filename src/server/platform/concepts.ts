import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { DB } from '../db/schema.js';
import { AppError } from './errors.js';
import type { Actor } from './actor.js';
import type { Platform } from './deps.js';
import type { TaggedKind } from '#shared/concepts';

/**
 * Concept tags: any record can carry concepts of the shipped vocabularies
 * (features/vocabularies), written `scheme/concept` — the form the vocabularies' own
 * `related` links use — and stored in a `concepts text[]` column (GIN-indexed where it is
 * filtered on). A tag must name a concept that exists: `requireConcepts` checks them on
 * every write, so a concept page never lists a tag that points nowhere. A withdrawn concept
 * stays valid for what already carries it, and is refused on new writes.
 */
export const CONCEPT_TAG = '^[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9_-]{0,62}$';
export const MAX_CONCEPTS = 40;

export const ConceptTag = Type.String({ pattern: CONCEPT_TAG, maxLength: 127, description: 'A concept of a vocabulary, `scheme/concept` (e.g. `un-norms-2015/norm-13c`)' });
export const ConceptTags = Type.Array(ConceptTag, { maxItems: MAX_CONCEPTS, description: `Concepts of the vocabularies, at most ${MAX_CONCEPTS}` });

const TAG = new RegExp(CONCEPT_TAG);

/**
 * The tags, de-duplicated in their order, after checking that each names a concept in use;
 * a 400 UNKNOWN_CONCEPT listing those that do not. `kept` are tags the record already carries,
 * accepted even when their concept has since been withdrawn.
 */
export async function requireConcepts(db: Kysely<DB>, tags: readonly string[] | undefined, kept: readonly string[] = []): Promise<string[]> {
  const wanted = [...new Set(tags ?? [])];
  if (!wanted.length) return [];
  if (wanted.length > MAX_CONCEPTS) throw new AppError('VALIDATION_FAILED', `At most ${MAX_CONCEPTS} concepts`, { field: 'concepts' });
  const malformed = wanted.filter((t) => !TAG.test(t));
  if (malformed.length) throw new AppError('UNKNOWN_CONCEPT', `Not a concept (scheme/concept): ${malformed.join(', ')}`, { field: 'concepts', unknown: malformed });
  const rows = await db
    .selectFrom('vocabulary_concepts')
    .select([sql<string>`scheme_id || '/' || id`.as('tag'), 'withdrawn'])
    .where(sql<boolean>`scheme_id || '/' || id = ANY(${sql.val(wanted)}::text[])`)
    .execute();
  const usable = new Set(rows.filter((r) => !r.withdrawn || kept.includes(r.tag)).map((r) => r.tag));
  const unknown = wanted.filter((t) => !usable.has(t));
  if (unknown.length) throw new AppError('UNKNOWN_CONCEPT', `No such concept in the vocabularies: ${unknown.join(', ')}`, { field: 'concepts', unknown });
  return wanted;
}


/** An item tagged with a concept, as a concept's page lists it (only what the reader may see). */
export interface TaggedItem {
  kind: TaggedKind;
  id: string;
  title: string;
  /** The language of `title`. */
  lang: string;
  /** Its page in the web app. */
  path: string;
  tlp: string;
  date: string | null;
}

/**
 * What a feature lists under a concept (Feature.tagged): at most `limit` items the actor may
 * see, through the feature's own repository and so through the access policy.
 */
export type TaggedWith = (p: Platform, actor: Actor, tag: string, limit: number) => Promise<TaggedItem[]>;

/** The preferred labels of concepts (by tag), every language: for pages that show tags as words. */
export async function conceptLabels(db: Kysely<DB>, tags: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  if (!tags.length) return out;
  const rows = await db
    .selectFrom('vocabulary_concepts')
    .select([sql<string>`scheme_id || '/' || id`.as('tag'), 'pref_labels'])
    .where(sql<boolean>`scheme_id || '/' || id = ANY(${sql.val([...tags])}::text[])`)
    .execute();
  for (const r of rows) out.set(r.tag, r.pref_labels as Record<string, string>);
  return out;
}
