/**
 * The dashboard's window lives in the address (`/roadmap?from=2024-01&to=2025-12`), so that a
 * link shows the same months. Kept apart from the page so that the router checks it without
 * loading the page's code; a month the API would refuse is dropped (the API's default then).
 */
export interface RoadmapSearch {
  from?: string;
  to?: string;
}

/** A month as the API takes it: YYYY-MM, years 1900–2999. */
export const MONTH = /^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$/;
/** The API's limit. */
export const MAX_MONTHS = 120;

export function validateRoadmapSearch(search: Record<string, unknown>): RoadmapSearch {
  const out: RoadmapSearch = {};
  for (const k of ['from', 'to'] as const) {
    const v = search[k];
    if (typeof v === 'string' && MONTH.test(v)) out[k] = v;
  }
  return out;
}

const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** Why a window cannot be shown, or null: `order` (from after to), `long` (more than MAX_MONTHS), `format`. */
export function windowProblem(from: string, to: string): 'format' | 'order' | 'long' | null {
  if (!MONTH.test(from) || !MONTH.test(to)) return 'format';
  const n = index(to) - index(from) + 1;
  if (n < 1) return 'order';
  if (n > MAX_MONTHS) return 'long';
  return null;
}
