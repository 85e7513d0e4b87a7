import type { Kysely } from 'kysely';
import type { DB as Database } from '../../db/schema.js';
import type { Viewer } from '../../platform/access/policy.js';
import { offersSharing, partnersOf, sessionsOf } from './repository.js';
import { evaluationsOf } from '../applications/repository.js';

/**
 * What matching (features/requests) reads of the catalogue: published offers the viewer may see,
 * in the shape the contract of issue 12 names. Offer `concepts` are `scheme/concept` tags,
 * `audiences` codes of src/shared/capacity.ts, `countries` ISO 3166-1 alpha-2 codes of eligible
 * or beneficiary countries (empty: open to all). `format` is spelt with an underscore here, as
 * the contract gives it ('in_person'); the catalogue's API and src/shared/capacity.ts spell it
 * 'in-person'. `evaluation` stays null until feedback exists (the second wave fills it).
 */
export interface MatchableOffer {
  id: string;
  title: string;
  lang: string;
  type: string;
  providerOrgId: string;
  providerName: string;
  partnerOrgIds: string[];
  concepts: string[];
  languages: string[];
  format: 'online' | 'in_person' | 'hybrid';
  audiences: string[];
  countries: string[];
  sessions: { id: string; startsAt: string; endsAt: string; seats: number; freeSeats: number }[];
  evaluation: { count: number; mean: number } | null;
}

const FORMAT = { online: 'online', 'in-person': 'in_person', hybrid: 'hybrid' } as const;

/**
 * Published offers the viewer may see that share at least one concept or one language with
 * `want` (pre-filtered in SQL over GIN indexes), most shared concepts first, at most `limit`.
 * Titles are in the offer's source language (`lang`); matching explains in words, not in titles.
 */
export async function matchableOffers(db: Kysely<Database>, viewer: Viewer, want: { concepts: string[]; languages: string[]; limit: number }): Promise<MatchableOffer[]> {
  const limit = Math.max(0, Math.min(Math.floor(want.limit), 10_000));
  if (!limit) return [];
  const rows = await offersSharing(db, viewer, { concepts: want.concepts, languages: want.languages, limit });
  const ids = rows.map((r) => r.id);
  const [sessions, partners, evaluations] = await Promise.all([sessionsOf(db, ids), partnersOf(db, ids), evaluationsOf(db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    lang: r.language,
    type: r.type,
    providerOrgId: r.author_org_id!,
    providerName: r.org_name,
    partnerOrgIds: [...new Set(partners.filter((x) => x.offer_id === r.id && x.organisation_id).map((x) => x.organisation_id!))],
    concepts: r.concepts,
    languages: r.languages,
    format: FORMAT[r.format as keyof typeof FORMAT] ?? 'online',
    audiences: r.audiences,
    countries: r.countries,
    sessions: sessions
      .filter((s) => s.offer_id === r.id)
      .map((s) => ({ id: s.id, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), seats: s.seats, freeSeats: Math.max(0, s.seats - s.confirmed) })),
    // Satisfaction (1–5) of the participants' feedback (features/applications), once there is any.
    evaluation: evaluations.get(r.id) ?? null,
  }));
}
