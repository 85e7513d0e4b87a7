import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, invalidState, notFound } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { renderMail } from '../../platform/mail.js';
import { isUiLanguage, type UiLanguage } from '../../platform/i18n.js';
import { hasRole, requireOrgAdminOf, requireRole, requireVetted } from '../../platform/auth/principal.js';
import { canonicalJson } from '../../platform/audit.js';
import { memberProfileOf, organisationView, selectOrganisations, type OrganisationRow } from './repository.js';
import { ASN_MAX, isAsn, isPastDate, isTimeZone, isWebsite, LOGO_MAX_BYTES, LOGO_TYPES, parseCidr, parseDomain, pickDescription, sniffImage, UI_LANGUAGES } from './profile.js';

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
  actor: Actor,
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
  const person = await p.db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'ui_language', 'organisation_id'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  const id = newId();
  const lang = isUiLanguage(actor.acceptLanguage?.slice(0, 2)) ? (actor.acceptLanguage!.slice(0, 2) as UiLanguage) : await languageForCountry(p, o.country);
  if (person) {
    // The public form must not tell who has an account: the answer is a fresh request's,
    // with an id that leads nowhere, and only the address's owner hears of it.
    const base = p.config.baseUrl.replace(/\/$/, '');
    const notice = renderMail(isUiLanguage(person.ui_language) ? person.ui_language : lang, 'join_existing_account', {
      name: person.name,
      organisation: name,
      signInLink: `${base}/sign-in`,
      resetLink: `${base}/forgot-password`,
    });
    await change(p, async (c) => {
      await c.audit({
        action: 'organisation.join_requested_existing_account',
        targetType: 'person',
        targetId: person.id,
        ip: actor.ip,
        details: { name, country: o.country, type: o.type },
      });
      await c.mail({ to: person.email, ...notice, purpose: 'join_existing_account', content: { marking: null } });
    });
    return { id, status: 'requested' as const };
  }
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
    await c.audit({ action: 'organisation.join_requested', organisationId: id, targetType: 'organisation', targetId: id, ip: actor.ip, details: { name, country: o.country, type: o.type } });
    await c.mail({ to: email, ...renderMail(lang, 'join_received', { name: body.requester.name, organisation: name }), purpose: 'join_received', content: { marking: null } });
  });
  return { id, status: 'requested' as const };
}

async function load(p: Platform, id: string) {
  const o = await selectOrganisations(p.db).where('o.id', '=', id).executeTakeFirst();
  if (!o) throw notFound('Organisation');
  return o;
}

/** The language to show descriptions in: ?lang, else the person's UI language, else Accept-Language. */
export function viewerLanguage(actor: Actor, lang?: string): string | null {
  if (lang) return lang;
  if (actor.principal) return actor.principal.person.uiLanguage;
  const h = actor.acceptLanguage;
  const m = typeof h === 'string' ? /^\s*([a-z]{2,3})\b/i.exec(h) : null;
  return m ? m[1].toLowerCase() : null;
}

/** Who reads: the secretariat, a vetted member, or anyone else (the public part of approved organisations). */
export function readerOf(actor: Pick<Actor, 'principal'>) {
  const pr = actor.principal;
  const vetted = !!pr && pr.viewer.vetted;
  return { vetted, secretariat: vetted && pr!.person.roles.includes('secretariat'), organisationId: vetted ? pr!.organisation.id : null };
}

/** Make two-step sign-in mandatory (or not) for everyone in the organisation: its admins and the secretariat. */
export async function setMfaPolicy(p: Platform, actor: Actor, id: string, required: boolean) {
  requireOrgAdminOf(actor, id);
  await change(p, async (c) => {
    const r = await c.trx.updateTable('organisations').set({ mfa_required: required, updated_at: new Date() }).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('Organisation');
    await c.audit({ action: 'mfa.policy_changed', ...auditActor(actor), organisationId: id, targetType: 'organisation', targetId: id, details: { required } });
  });
}

export async function getOrganisationView(p: Platform, actor: Actor, id: string, lang?: string) {
  const r = readerOf(actor);
  const o = await load(p, id);
  if (o.status !== 'approved' && !r.secretariat && o.id !== r.organisationId) throw notFound('Organisation');
  return organisationView(o, { withRequester: r.secretariat, audience: r.vetted ? 'member' : 'public', language: viewerLanguage(actor, lang) });
}

type Decision = 'approve' | 'reject' | 'suspend' | 'reinstate';
const TRANSITIONS: Record<Decision, { from: string[]; to: string; action: 'organisation.approved' | 'organisation.rejected' | 'organisation.suspended' | 'organisation.reinstated' }> = {
  approve: { from: ['requested'], to: 'approved', action: 'organisation.approved' },
  reject: { from: ['requested'], to: 'rejected', action: 'organisation.rejected' },
  suspend: { from: ['approved'], to: 'suspended', action: 'organisation.suspended' },
  reinstate: { from: ['suspended'], to: 'approved', action: 'organisation.reinstated' },
};

/** The secretariat decides on a join request, or suspends and reinstates a member. */
export async function decide(p: Platform, actor: Actor, id: string, decision: Decision, reason?: string) {
  const pr = requireRole(actor, 'secretariat');
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
    await c.audit({ action: t.action, ...auditActor(actor), organisationId: id, targetType: 'organisation', targetId: id, details: { from: o.status, to: t.to, ...(reason && { reason }) } });
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
      await c.mail({ to: o.requester_email, ...m, purpose: 'organisation_approved', content: { marking: null, credentialUntil: new Date(Date.now() + INVITATION_DAYS * 86_400_000) } });
    }
    if (decision === 'reject' && o.requester_email) {
      const m = renderMail(lang, 'organisation_rejected', { name: o.requester_name ?? '', organisation: o.name, reason: reason ?? '' });
      await c.mail({ to: o.requester_email, ...m, purpose: 'organisation_rejected', content: { marking: null } });
    }
    if (decision === 'suspend') {
      // Members of a suspended organisation lose their sessions at once.
      await c.trx.deleteFrom('sessions').where('person_id', 'in', (eb) => eb.selectFrom('people').select('id').where('organisation_id', '=', id)).execute();
    }
  });
  return organisationView(await load(p, id), true);
}

// ---------- profiles (issue 3 §1) ----------

export interface ProfilePatch {
  name?: string;
  acronym?: string | null;
  country?: string;
  type?: string;
  sectors?: string[];
  website?: string | null;
  languages?: string[];
  descriptions?: Record<string, string>;
  ipRanges?: string[];
  asns?: number[];
  domains?: string[];
  sectorsServed?: string[];
  operatingHours?: string | null;
  timeZone?: string | null;
  establishedOn?: string | null;
  memberships?: string[];
  otherMemberships?: string[];
}

/** Fields only the secretariat changes: the organisation was vetted as this name, country and type. */
const SECRETARIAT_FIELDS = ['name', 'country', 'type'] as const;

const invalid = (field: string, message: string, extra: Record<string, unknown> = {}) => new AppError('VALIDATION_FAILED', message, { field, ...extra });
const uniq = <T>(xs: T[]) => [...new Set(xs)];

async function unknownSectors(p: Pick<Platform, 'db'>, codes: string[]) {
  if (!codes.length) return [];
  const known = await p.db.selectFrom('sectors').select('code').where('code', 'in', codes).execute();
  return codes.filter((s) => !known.some((k) => k.code === s));
}

/** Check and normalise a patch; throws VALIDATION_FAILED naming the field. Reads only, before the transaction. */
export async function validateProfilePatch(p: Pick<Platform, 'db'>, b: ProfilePatch, currentLanguages: string[]): Promise<ProfilePatch> {
  const out: ProfilePatch = {};
  if (b.name !== undefined) {
    const name = b.name.trim();
    if (name.length < 2) throw invalid('name', 'The name needs at least two characters');
    out.name = name;
  }
  if (b.acronym !== undefined) out.acronym = b.acronym?.trim() || null;
  if (b.country !== undefined) {
    const c = await p.db.selectFrom('countries').select('code').where('code', '=', b.country).executeTakeFirst();
    if (!c) throw invalid('country', `Unknown country ${b.country}`);
    out.country = b.country;
  }
  if (b.type !== undefined) out.type = b.type;
  if (b.sectors !== undefined) {
    const sectors = uniq(b.sectors);
    const unknown = await unknownSectors(p, sectors);
    if (unknown.length) throw invalid('sectors', `Unknown sectors: ${unknown.join(', ')}`, { unknown });
    out.sectors = sectors;
  }
  if (b.website !== undefined) {
    const w = b.website?.trim() || null;
    if (w && !isWebsite(w)) throw invalid('website', 'The website must be an http(s) address');
    out.website = w;
  }
  if (b.languages !== undefined) out.languages = uniq(b.languages);
  if (b.descriptions !== undefined) {
    const allowed = new Set<string>([...UI_LANGUAGES, ...(out.languages ?? currentLanguages)]);
    const bad = Object.keys(b.descriptions).filter((l) => !/^[a-z]{2,3}$/.test(l) || !allowed.has(l));
    if (bad.length) throw invalid('descriptions', `Descriptions may be in English, Spanish, Portuguese, French or the organisation's languages; not ${bad.join(', ')}`, { unknown: bad });
    out.descriptions = Object.fromEntries(Object.entries(b.descriptions).map(([l, t]) => [l, t.trim()] as const).filter(([, t]) => t.length > 0));
  }
  if (b.ipRanges !== undefined) {
    const parsed = b.ipRanges.map((r) => [r, parseCidr(r)] as const);
    const bad = parsed.filter(([, v]) => v === null).map(([r]) => r);
    if (bad.length) throw invalid('ipRanges', `Not a network in CIDR notation (host bits must be zero): ${bad.join(', ')}`, { invalid: bad });
    out.ipRanges = uniq(parsed.map(([, v]) => v!));
  }
  if (b.asns !== undefined) {
    const bad = b.asns.filter((a) => !isAsn(a));
    if (bad.length) throw invalid('asns', `AS numbers run from 1 to ${ASN_MAX}: ${bad.join(', ')}`, { invalid: bad });
    out.asns = uniq(b.asns);
  }
  if (b.domains !== undefined) {
    const parsed = b.domains.map((d) => [d, parseDomain(d)] as const);
    const bad = parsed.filter(([, v]) => v === null).map(([d]) => d);
    if (bad.length) throw invalid('domains', `Not a domain name: ${bad.join(', ')}`, { invalid: bad });
    out.domains = uniq(parsed.map(([, v]) => v!));
  }
  if (b.sectorsServed !== undefined) {
    const sectors = uniq(b.sectorsServed);
    const unknown = await unknownSectors(p, sectors);
    if (unknown.length) throw invalid('sectorsServed', `Unknown sectors: ${unknown.join(', ')}`, { unknown });
    out.sectorsServed = sectors;
  }
  if (b.operatingHours !== undefined) out.operatingHours = b.operatingHours?.trim() || null;
  if (b.timeZone !== undefined) {
    const tz = b.timeZone?.trim() || null;
    if (tz && !isTimeZone(tz)) throw invalid('timeZone', `Unknown time zone ${tz}`);
    out.timeZone = tz;
  }
  if (b.establishedOn !== undefined) {
    const d = b.establishedOn?.trim() || null;
    if (d && !isPastDate(d)) throw invalid('establishedOn', 'The establishment date must be a past date, YYYY-MM-DD');
    out.establishedOn = d;
  }
  if (b.memberships !== undefined) out.memberships = uniq(b.memberships);
  if (b.otherMemberships !== undefined) out.otherMemberships = uniq(b.otherMemberships.map((m) => m.trim()).filter(Boolean));
  return out;
}

function publicStateOf(o: OrganisationRow) {
  return {
    name: o.name,
    acronym: o.acronym,
    country: o.country_code,
    type: o.type,
    sectors: o.sectors,
    website: o.website,
    languages: o.languages ?? [],
    descriptions: o.descriptions ?? {},
  };
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** Organisation admins (and the secretariat) edit the profile; each change is audited with before and after. */
export async function updateProfile(p: Platform, actor: Actor, id: string, body: ProfilePatch, lang?: string) {
  requireVetted(actor);
  const pr = requireOrgAdminOf(actor, id);
  const secretariat = hasRole(pr, 'secretariat');
  const restricted = SECRETARIAT_FIELDS.filter((f) => body[f] !== undefined);
  if (!secretariat && restricted.length)
    throw new AppError('FORBIDDEN', 'Only the secretariat changes the name, country or type of an organisation', { fields: restricted });
  const current = await selectOrganisations(p.db).where('o.id', '=', id).executeTakeFirst();
  if (!current) throw notFound('Organisation');
  const patch = await validateProfilePatch(p, body, current.languages ?? []);

  await change(p, async (c) => {
    await c.trx.selectFrom('organisations').select('id').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    const before = await selectOrganisations(c.trx).where('o.id', '=', id).executeTakeFirstOrThrow();
    const beforeState: Record<string, unknown> = { ...publicStateOf(before), ...memberProfileOf(before) };
    const afterState: Record<string, unknown> = { ...beforeState, ...patch };
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of Object.keys(patch)) if (!same(beforeState[k], afterState[k])) changes[k] = { before: beforeState[k], after: afterState[k] };
    const fields = Object.keys(changes);
    if (!fields.length) return;

    if (patch.name !== undefined || patch.country !== undefined) {
      const dup = await c.trx
        .selectFrom('organisations')
        .select('id')
        .where(sql`lower(name)`, '=', (afterState.name as string).toLowerCase())
        .where('country_code', '=', afterState.country as string)
        .where('id', '<>', id)
        .executeTakeFirst();
      if (dup) throw new AppError('ALREADY_EXISTS', 'An organisation with this name in this country is already known to Puente', { field: 'name' });
    }
    const a = afterState as ReturnType<typeof publicStateOf> & ReturnType<typeof memberProfileOf>;
    // The foundation's single description keeps the text in the organisation's main language.
    const legacy = Object.keys(a.descriptions).length ? pickDescription(a.descriptions, null, a.languages, before.description).text : before.description;
    await c.trx
      .updateTable('organisations')
      .set({ name: a.name, acronym: a.acronym, country_code: a.country, type: a.type, sectors: a.sectors, website: a.website, description: legacy, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    const profile = {
      languages: a.languages,
      ip_ranges: sql`${a.ipRanges}::cidr[]`,
      asns: a.asns,
      domains: a.domains,
      sectors_served: a.sectorsServed,
      operating_hours: a.operatingHours,
      time_zone: a.timeZone,
      established_on: a.establishedOn,
      memberships: a.memberships,
      other_memberships: a.otherMemberships,
      updated_at: new Date(),
      updated_by: pr.person.id,
    };
    await c.trx
      .insertInto('organisation_profiles')
      .values({ organisation_id: id, ...profile })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet(profile))
      .execute();
    if (changes.descriptions) {
      await c.trx.deleteFrom('organisation_descriptions').where('organisation_id', '=', id).execute();
      const rows = Object.entries(a.descriptions).map(([language, description]) => ({ organisation_id: id, language, description }));
      if (rows.length) await c.trx.insertInto('organisation_descriptions').values(rows).execute();
    }
    await c.audit({ action: 'organisation.profile_changed', ...auditActor(actor), organisationId: id, targetType: 'organisation', targetId: id, details: { changes } });
    // Field names only: member-part values never travel in events. Approved profiles are for every
    // member to hear about; a profile still under review only for its organisation (and the author's).
    await c.event({
      type: 'organisation.profile_changed',
      subjectType: 'organisation',
      subjectId: id,
      payload: { organisationId: id, fields },
      marking:
        before.status === 'approved'
          ? { tlp: 'GREEN', authorId: pr.person.id, authorOrgId: pr.organisation.id, audience: { organisations: [], communities: [], people: [] } }
          : { tlp: 'AMBER', authorId: pr.person.id, authorOrgId: pr.organisation.id, audience: { organisations: [id], communities: [], people: [] } },
    });
  });
  return getOrganisationView(p, actor, id, lang);
}

// ---------- logos ----------

export async function getLogo(p: Platform, actor: Actor, id: string) {
  const r = readerOf(actor);
  const o = await p.db.selectFrom('organisations').select(['id', 'status']).where('id', '=', id).executeTakeFirst();
  if (!o || (o.status !== 'approved' && !r.secretariat && o.id !== r.organisationId)) throw notFound('Organisation');
  const logo = await p.db.selectFrom('organisation_logos').select(['content_type', 'data', 'sha256']).where('organisation_id', '=', id).executeTakeFirst();
  if (!logo) throw notFound('Logo');
  return logo;
}

/** Store a logo sent as the raw body: PNG, JPEG or WebP by its magic bytes and its Content-Type, at most 256 KiB. */
export async function putLogo(p: Platform, actor: Actor, id: string, body: unknown, contentType: string | undefined) {
  requireVetted(actor);
  const pr = requireOrgAdminOf(actor, id);
  const declared = String(contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!(LOGO_TYPES as readonly string[]).includes(declared))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the logo as image/png, image/jpeg or image/webp', { field: 'logo', allowed: LOGO_TYPES, declared: declared || null });
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('VALIDATION_FAILED', 'The logo is empty', { field: 'logo' });
  if (body.length > LOGO_MAX_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'The logo is larger than 256 KiB', { field: 'logo', limitBytes: LOGO_MAX_BYTES });
  const sniffed = sniffImage(body);
  if (sniffed !== declared)
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `The file is not a ${declared.slice(6).toUpperCase()} image`, { field: 'logo', declared, detected: sniffed, allowed: LOGO_TYPES });
  const exists = await p.db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound('Organisation');
  const hash = sha256(body);
  await change(p, async (c) => {
    const before = await c.trx.selectFrom('organisation_logos').select(['sha256', 'content_type']).where('organisation_id', '=', id).executeTakeFirst();
    const values = { content_type: sniffed, data: body, sha256: hash, updated_at: new Date(), updated_by: pr.person.id };
    await c.trx.insertInto('organisation_logos').values({ organisation_id: id, ...values }).onConflict((oc) => oc.column('organisation_id').doUpdateSet(values)).execute();
    await c.audit({
      action: 'organisation.profile_changed',
      ...auditActor(actor),
      organisationId: id,
      targetType: 'organisation',
      targetId: id,
      details: { changes: { logo: { before: before ? { sha256: before.sha256, type: before.content_type } : null, after: { sha256: hash, type: sniffed, bytes: body.length } } } },
    });
  });
  return { logoUrl: `/api/v1/organisations/${id}/logo?v=${hash.slice(0, 16)}`, contentType: sniffed, bytes: body.length };
}

export async function deleteLogo(p: Platform, actor: Actor, id: string) {
  requireVetted(actor);
  requireOrgAdminOf(actor, id);
  await change(p, async (c) => {
    const gone = await c.trx.deleteFrom('organisation_logos').where('organisation_id', '=', id).returning(['sha256', 'content_type']).executeTakeFirst();
    if (!gone) throw notFound('Logo');
    await c.audit({
      action: 'organisation.profile_changed',
      ...auditActor(actor),
      organisationId: id,
      targetType: 'organisation',
      targetId: id,
      details: { changes: { logo: { before: { sha256: gone.sha256, type: gone.content_type }, after: null } } },
    });
  });
}
