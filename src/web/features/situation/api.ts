import type { Situation } from '#shared/incidents';
import { qs } from '../../api/client';
import type { IncidentsSearch } from '../incidents/search';

export type { Situation };

/**
 * `GET /api/v1/situation` (server: features/situation, docs/situation.md) with the incident
 * list's filters from the address; `.pdf` and `.csv` take the same.
 */
export function situationPath(s: IncidentsSearch, lang: string, format?: 'pdf' | 'csv'): string {
  return `/api/v1/situation${format ? `.${format}` : ''}${qs({ country: s.country, sector: s.sector, rsit: s.rsit, status: s.status, impactSeverity: s.impactSeverity, from: s.from, to: s.to, q: s.q, lang })}`;
}

/** The fill of a country on the map: its current impact, open reports not yet assessed, or nothing open. */
export type MapShade = 'red' | 'yellow' | 'green' | 'white' | 'unrated' | 'none';

export function shadeOf(c: Situation['countries'][number]): MapShade {
  if (c.open === 0) return 'none';
  return c.severity ?? 'unrated';
}
