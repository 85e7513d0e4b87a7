import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { invalidState, notFound } from '../../platform/errors.js';
import { requireRole, requireVetted } from '../../platform/auth/principal.js';

// ---------- national focal points ----------

export async function listFocalPoints(p: Platform, actor: Actor, country?: string) {
  requireVetted(actor);
  let q = p.db
    .selectFrom('country_focal_points as f')
    .innerJoin('people as pe', 'pe.id', 'f.person_id')
    .innerJoin('organisations as o', 'o.id', 'pe.organisation_id')
    .select(['f.country_code', 'f.added_at', 'pe.id as person_id', 'pe.name', 'pe.status', 'o.id as org_id', 'o.name as org_name']);
  if (country) q = q.where('f.country_code', '=', country);
  const rows = await q.orderBy('f.country_code').orderBy('pe.name').execute();
  return {
    items: rows.map((r) => ({ country: r.country_code, person: { id: r.person_id, name: r.name, status: r.status }, organisation: { id: r.org_id, name: r.org_name }, addedAt: r.added_at.toISOString() })),
  };
}

async function checkCountry(db: Kysely<DB>, code: string) {
  const c = await db.selectFrom('countries').select(['code', 'kind']).where('code', '=', code).executeTakeFirst();
  if (!c || c.kind !== 'state') throw notFound('Country');
}

export async function addFocalPoint(p: Platform, actor: Actor, country: string, personId: string) {
  requireRole(actor, 'secretariat');
  await checkCountry(p.db, country);
  const person = await p.db
    .selectFrom('people as pe')
    .innerJoin('organisations as o', 'o.id', 'pe.organisation_id')
    .select(['pe.id', 'pe.status', 'o.country_code', 'o.status as org_status', 'o.id as org_id'])
    .where('pe.id', '=', personId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  if (person.status !== 'active' || person.org_status !== 'approved') throw invalidState('Only active members of approved organisations become focal points');
  if (person.country_code !== country) throw invalidState('A national focal point belongs to an organisation of that country', { country, personCountry: person.country_code });
  await change(p, async (c) => {
    const r = await c.trx
      .insertInto('country_focal_points')
      .values({ country_code: country, person_id: personId, added_by: actor.principal!.person.id })
      .onConflict((oc) => oc.doNothing())
      .returning('person_id')
      .executeTakeFirst();
    if (r)
      await c.audit({ action: 'focal_point.added', ...auditActor(actor), organisationId: person.org_id, targetType: 'person', targetId: personId, details: { country } });
  });
  return listFocalPoints(p, actor, country);
}

export async function removeFocalPoint(p: Platform, actor: Actor, country: string, personId: string) {
  requireRole(actor, 'secretariat');
  const row = await p.db.selectFrom('country_focal_points').select('person_id').where('country_code', '=', country).where('person_id', '=', personId).executeTakeFirst();
  if (!row) throw notFound('Focal point');
  await change(p, async (c) => {
    await c.trx.deleteFrom('country_focal_points').where('country_code', '=', country).where('person_id', '=', personId).execute();
    await c.audit({ action: 'focal_point.removed', ...auditActor(actor), targetType: 'person', targetId: personId, details: { country } });
  });
}
