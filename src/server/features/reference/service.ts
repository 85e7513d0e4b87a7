import type { Platform } from '../../platform/deps.js';

/** The countries and the marker for international bodies, by region and name. */
export function listCountries(p: Platform) {
  return p.db.selectFrom('countries').selectAll().orderBy('region').orderBy('name').execute();
}

/** The NIS2 sectors, in the order of the directive's annexes. */
export function listSectors(p: Platform) {
  return p.db.selectFrom('sectors').select(['code', 'annex', 'name']).orderBy('position').execute();
}
