import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { visibleSql, type Viewer } from '../../platform/access/policy.js';
import { likeLiteral } from '../../platform/sql.js';

/**
 * Every query that reads notes starts here, and here the access policy's SQL
 * filter is applied: there is no other way to read the table in this feature.
 */
export function visibleNotes(db: Kysely<DB>, viewer: Viewer) {
  return db
    .selectFrom('notes as n')
    .innerJoin('people as a', 'a.id', 'n.author_id')
    .innerJoin('organisations as o', 'o.id', 'n.author_org_id')
    .selectAll('n')
    .select(['a.name as author_name', 'o.name as org_name', 'o.country_code as org_country'])
    .where(visibleSql(viewer, 'n'));
}

export function searchTerm(term: string) {
  const literal = likeLiteral(term);
  // The written text by substring, and every language version by its words (stemmed per language).
  return sql<boolean>`(unaccent(lower(n.title)) LIKE '%' || unaccent(lower(${literal})) || '%' OR unaccent(lower(n.body)) LIKE '%' || unaccent(lower(${literal})) || '%'
    OR (n.translations <> '{}'::jsonb AND puente_translatable_tsvector(n.language, '{}'::jsonb, n.translations) @@ puente_text_tsquery(${term})))`;
}

export type NoteRow = Awaited<ReturnType<ReturnType<typeof visibleNotes>['executeTakeFirstOrThrow']>>;
