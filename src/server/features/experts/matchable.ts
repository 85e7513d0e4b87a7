import type { Kysely } from 'kysely';
import type { DB as Database } from '../../db/schema.js';
import type { Viewer } from '../../platform/access/policy.js';
import { canonicalTag } from '../../platform/translations.js';
import { availabilityOf, matchingExperts } from './repository.js';

/**
 * What matching (features/requests) reads of the expert pool: vetted experts the viewer may see,
 * in the shape the contract of issue 12 names. `skills` are `ecsf-roles/<id>` concept tags,
 * `concepts` themes of the vocabularies, `languages` the BCP 47 tags the expert works in,
 * `countries` the ISO 3166-1 alpha-2 codes of countries they have worked in. `available` lists the
 * windows not yet over (dates, YYYY-MM-DD), soonest first; `missions` counts every recorded mission
 * and averages the evaluated ones (null when none is).
 */
export interface MatchableExpert {
  id: string;
  personId: string;
  name: string;
  organisationId: string;
  organisationName: string;
  skills: string[];
  concepts: string[];
  languages: string[];
  countries: string[];
  available: { from: string; to: string }[];
  missions: { count: number; meanEvaluation: number | null };
}

/** "es-419" → "es": a request in Spanish reaches an expert who works in any Spanish. */
const primary = (tags: readonly string[]) => [...new Set(tags.map((t) => canonicalTag(t)).filter((t): t is string => !!t).map((t) => t.split('-')[0]!.toLowerCase()))];

/**
 * Vetted experts the viewer may see (the access policy and the pool's workflow, as every read of
 * the pool) who share at least one concept, skill or working language with `want` — pre-filtered
 * in SQL over GIN indexes — most in common first, at most `limit`.
 */
export async function matchableExperts(db: Kysely<Database>, viewer: Viewer, want: { concepts: string[]; skills: string[]; languages: string[]; limit: number }): Promise<MatchableExpert[]> {
  const limit = Math.max(0, Math.min(Math.floor(want.limit), 10_000));
  if (!limit) return [];
  const rows = await matchingExperts(db, viewer, { concepts: [...new Set(want.concepts)], skills: [...new Set(want.skills)], languages: primary(want.languages), limit });
  const windows = await availabilityOf(
    db,
    rows.map((r) => r.id),
    { current: true },
  );
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: r.person_name,
    organisationId: r.author_org_id!,
    organisationName: r.org_name,
    skills: r.skills,
    concepts: r.concepts,
    languages: r.languages,
    countries: r.countries,
    available: (windows.get(r.id) ?? []).map((w) => ({ from: w.from, to: w.to })),
    missions: { count: r.mission_count, meanEvaluation: r.mission_mean === null ? null : Math.round(r.mission_mean * 100) / 100 },
  }));
}
