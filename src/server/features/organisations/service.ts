import { sql } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/deps.js';
import { actorOf, change } from '../../platform/deps.js';
import { AppError, invalidState, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { renderMail } from '../../platform/mail.js';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n.js';
import { requireRole } from '../../platform/auth/principal.js';
import { organisationView, selectOrganisations } from './repository.js';

export const INVITATION_DAYS = 7;

/** The UI language to write to someone we only know by country: the country's first of ours. */
export async function languageForCountry(p: Pick<Platform, 'db'>, country: string): Promise<UiLanguage> {
  const c = await p.db.selectFrom('countries').select('languages').where('code', '=', country).executeTakeFirst();
  return (c?.languages.find((l) => isUiLanguage(l)) as UiLanguage | undefined) ?? 'en';
}

export async function validateCountryAndSectors(p: Platform, country: string, sectors: string[]) {
  const c = await p.db.selectFrom('countries').select('code').where('code', '=', country).executeTakeFirst();
  if (!c) throw new AppError('VALIDATION_FAILED', `Unknown country ${country}`, { field: 'organisation.country' });
  if (sectors.length) {
    const known = await p.db.selectFrom('sectors').select('code').where('code', 'in', sectors).execute();
    const unknown = sectors.filter((s) => !known.some((k) => k.code === s));
    if (unknown.length) throw new AppError('VALIDATION_FAILED', `Unknown sectors: ${unknown.join(', ')}`, { field: 'organisation.sectors', unknown });
  }
}

export async function requestToJoin(
  p: Platform,
  req: FastifyRequest,
  body: {
    organisation: { name: string; acronym?: string; country: string; type: string; sectors: string[]; website?: string; description?: string };
    requester: { name: string; email: string };
    message?: string;
  },
) {
  const o = body.organisation;
  const name = o.name.trim();
  const sectors = [...new Set(o.sectors)];
  await validateCountryAndSectors(p, o.country, sectors);
  const email = body.requester.email.trim();
  const exists = await p.db
    .selectFrom('organisations')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('country_code', '=', o.country)
    .executeTakeFirst();
  if (exists) throw new AppError('ALREADY_EXISTS', 'An organisation with this name in this country is already known to Puente', { field: 'organisation.name' });
  const person = await p.db.selectFrom('people').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  if (person) throw new AppError('ALREADY_EXISTS', 'This e-mail address already has a Puente account', { field: 'requester.email' });
  const id = newId();
  const lang = isUiLanguage(req.headers['accept-language']?.slice(0, 2)) ? (req.headers['accept-language']!.slice(0, 2) as UiLanguage) : await languageForCountry(p, o.country);
  await change(p, async (c) => {
    await c.trx
      .insertInto('organisations')
      .values({
        id,
        name,
        acronym: o.acronym?.trim() || null,
        country_code: o.country,
        type: o.type,
        sectors,
        website: o.website ?? null,
        description: o.description?.trim() ?? '',
        status: 'requested',
        requester_name: body.requester.name.trim(),
        requester_email: email,
        requester_message: body.message?.trim() || null,
      })
      .execute();
    await c.audit({ action: 'organisation.join_requested', organisationId: id, targetType: 'organisation', targetId: id, ip: req.ip, details: { name, country: o.country, type: o.type } });
    await c.mail({ to: email, ...renderMail(lang, 'join_received', { name: body.requester.name, organisation: name }), purpose: 'join_received' });
  });
  return { id, status: 'requested' as const };
}

async function load(p: Platform, id: string) {
  const o = await selectOrganisations(p.db).where('o.id', '=', id).executeTakeFirst();
  if (!o) throw notFound('Organisation');
  return o;
}

export async function getOrganisationView(p: Platform, req: FastifyRequest, id: string) {
  const pr = req.principal!;
  const o = await load(p, id);
  const secretariat = pr.person.roles.includes('secretariat');
  if (o.status !== 'approved' && !secretariat && o.id !== pr.organisation.id) throw notFound('Organisation');
  return organisationView(o, secretariat);
}

type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';
const TRANSITIONS: Record<Decision, { from: string[]; to: string; action: 'organisation.approved' | 'organisation.rejected' | 'organisation.suspended' | 'organisation.reinstated' }> = {
  approve: { from: ['requested'], to: 'approved', action: 'organisation.approved' },
  reject: { from: ['requested'], to: 'rejected', action: 'organisation.rejected' },
  suspend: { from: ['approved'], to: 'suspended', action: 'organisation.suspended' },
  reinstate: { from: ['suspended'], to: 'approved', action: 'organisation.reinstated' },
};

/** The secretariat decides on a join request, or suspends and reinstates a member. */
export async function decide(p: Platform, req: FastifyRequest, id: string, decision: Decision, reason?: string) {
  const pr = requireRole(req, 'secretariat');
  const t = TRANSITIONS[decision];
  await change(p, async (c) => {
    const o = await c.trx.selectFrom('organisations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!o) throw notFound('Organisation');
    if (!t.from.includes(o.status)) throw invalidState(`Cannot ${decision} an organisation that is ${o.status}`, { status: o.status });
    await c.trx
      .updateTable('organisations')
      .set({ status: t.to, status_reason: reason ?? null, decided_at: new Date(), decided_by: pr.person.id, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await c.audit({ action: t.action, ...actorOf(req), organisationId: id, targetType: 'organisation', targetId: id, details: { from: o.status, to: t.to, ...(reason && { reason }) } });
    // Inside the transaction: embedded mode has one connection, which the transaction holds.
    const lang = await languageForCountry({ db: c.trx }, o.country_code);
    if (decision === 'approve' && o.requester_email) {
      // The requester becomes the first organisation admin, through an invitation link.
      const token = randomToken(32);
      await c.trx
        .insertInto('invitations')
        .values({
          id: newId(),
          organisation_id: id,
          email: o.requester_email,
          name: o.requester_name,
          roles: ['member', 'org_admin'],
          token_hash: sha256(token),
          invited_by: pr.person.id,
          expires_at: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
        })
        .execute();
      const m = renderMail(lang, 'organisation_approved', { name: o.requester_name ?? '', organisation: o.name, link: `${p.config.baseUrl}/invitation?token=${token}` });
      await c.mail({ to: o.requester_email, ...m, purpose: 'organisation_approved' });
    }
    if (decision === 'reject' && o.requester_email) {
      const m = renderMail(lang, 'organisation_rejected', { name: o.requester_name ?? '', organisation: o.name, reason: reason ?? '' });
      await c.mail({ to: o.requester_email, ...m, purpose: 'organisation_rejected' });
    }
    if (decision === 'suspend') {
      // Members of a suspended organisation lose their sessions at once.
      await c.trx.deleteFrom('sessions').where('person_id', 'in', (eb) => eb.selectFrom('people').select('id').where('organisation_id', '=', id)).execute();
    }
  });
  return organisationView(await load(p, id), true);
}
