import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import type { Audience } from './policy.js';

/** The audience must name things that exist: approved organisations, approved communities, active people. */
export async function checkAudienceExists(db: Kysely<DB>, a: Audience): Promise<void> {
  const missing: string[] = [];
  if (a.organisations.length) {
    const found = await db.selectFrom('organisations').select('id').where('id', 'in', a.organisations).where('status', '=', 'approved').execute();
    missing.push(...a.organisations.filter((id) => !found.some((f) => f.id === id)));
  }
  if (a.communities.length) {
    const found = await db.selectFrom('communities').select('id').where('id', 'in', a.communities).where('status', '=', 'approved').execute();
    missing.push(...a.communities.filter((id) => !found.some((f) => f.id === id)));
  }
  if (a.people.length) {
    const found = await db.selectFrom('people').select('id').where('id', 'in', a.people).where('status', '=', 'active').execute();
    missing.push(...a.people.filter((id) => !found.some((f) => f.id === id)));
  }
  if (missing.length) throw new AppError('INVALID_MARKING', 'The audience names unknown organisations, communities or people', { unknown: missing });
}
