import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Platform } from '../../platform/deps.js';
import { type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { type Audience, audienceColumns, canSee, type Marking, markingOf, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { loadPrincipalParts } from '../../platform/auth/principal.js';
import { hasRole, requireVetted } from '../../platform/auth/principal.js';
import { newId } from '../../platform/ids.js';
import { ingestObjects } from './store.js';
import { audienceForTlp } from './ingest-object.js';
import { audienceOf, checkShareTarget, getObjectRow, type AudienceInput } from './service.js';
import { TLP2_IDS, tlpRank } from './stix/tlp.js';
import { seqOfNewObject, visibleSightingAggregates, visibleSightingsOf } from './repository.js';
import { ANONYMOUS_MEMBER_IDENTITY, organisationIdentity, organisationIdentityId } from './identities.js';
import { withPuente } from './stix/puente-extension.js';

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export interface SightingInput {
  sightingOf: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  country?: string;
  sector?: string;
  anonymous?: boolean;
  affectsUs?: boolean;
  tlp: Tlp;
  audience?: AudienceInput;
}

const SIGHTABLE = new Set(['indicator', 'malware', 'vulnerability', 'attack-pattern', 'campaign', 'infrastructure', 'tool', 'threat-actor', 'intrusion-set']);

/**
 * A member reports a sighting. The STIX sighting goes into the store like any
 * object (so TAXII and exports carry it); the row in intel_sightings keeps who
 * reported it. Anonymous: the STIX object is created by "a Puente member" and
 * other members see no organisation — the reporting organisation and the
 * secretariat still see who it was.
 */
export async function reportSighting(p: Platform, actor: Actor, b: SightingInput) {
  const pr = requireVetted(actor);
  const target = await getObjectRow(p, pr.viewer, b.sightingOf);
  if (!SIGHTABLE.has(target.stix_type)) throw new AppError('VALIDATION_FAILED', `A sighting is of an indicator, malware, vulnerability or other SDO, not of a ${target.stix_type}`, { field: 'sightingOf' });
  if (Date.parse(b.firstSeen) > Date.parse(b.lastSeen)) throw new AppError('VALIDATION_FAILED', 'firstSeen must not be after lastSeen', { field: 'lastSeen' });
  if (b.country) {
    const c = await p.db.selectFrom('countries').select('code').where('code', '=', b.country).executeTakeFirst();
    if (!c) throw new AppError('VALIDATION_FAILED', `Unknown country ${b.country}`, { field: 'country' });
  }
  if (b.sector) {
    const s = await p.db.selectFrom('sectors').select('code').where('code', '=', b.sector).executeTakeFirst();
    if (!s) throw new AppError('VALIDATION_FAILED', `Unknown sector ${b.sector}`, { field: 'sector' });
  }
  const requested = audienceOf(b.audience);
  await checkShareTarget(p, pr, requested);
  // A sighting never reaches further than what it is a sighting of: it names that object and
  // tells its count, dates, country and sector. Asked wider (or as wide), it is shared exactly
  // like the object; asked narrower, everyone it names must be able to see the object.
  // (Reads check the subject again, see visibleIntelSql: this refuses what they would hide.)
  const notes: string[] = [];
  const targetTlp = target.tlp as Tlp;
  let tlp: Tlp = b.tlp;
  let audience: Audience;
  if (tlpRank(targetTlp) > tlpRank('GREEN') && tlpRank(b.tlp) <= tlpRank(targetTlp)) {
    tlp = targetTlp;
    audience = { organisations: target.audience_organisations, communities: target.audience_communities, people: target.audience_people };
    if (b.tlp !== tlp || b.audience) notes.push(`shared like the object it is a sighting of (TLP:${tlp}, same audience)`);
    if (tlp === 'RED' && !audience.people.includes(pr.person.id) && target.author_id) audience = { ...audience, people: [...new Set([...audience.people, target.author_id])] };
  } else if (tlpRank(b.tlp) < tlpRank(targetTlp)) {
    // A GREEN object sighted at CLEAR: the sighting stays GREEN.
    tlp = targetTlp;
    audience = audienceForTlp(tlp, requested, notes);
    notes.push(`shared at TLP:${tlp}, like the object it is a sighting of`);
  } else {
    audience = audienceForTlp(tlp, requested, notes);
    if (tlpRank(targetTlp) > tlpRank('GREEN')) await checkNamedMaySee(p, markingOf(target), audience);
  }
  const now = new Date().toISOString();
  const id = `sighting--${crypto.randomUUID()}`;
  const sighting: Record<string, unknown> = {
    type: 'sighting',
    spec_version: '2.1',
    id,
    created: now,
    modified: now,
    created_by_ref: b.anonymous ? ANONYMOUS_MEMBER_IDENTITY : organisationIdentityId(pr.organisation.id),
    sighting_of_ref: b.sightingOf,
    count: b.count,
    first_seen: new Date(b.firstSeen).toISOString(),
    last_seen: new Date(b.lastSeen).toISOString(),
    object_marking_refs: [TLP2_IDS[tlp]],
    ...(b.affectsUs ? { labels: ['affects-us'] } : {}),
    ...withPuente({ country: b.country, sector: b.sector }),
  };
  const sid = newId();
  const insertRow = (trx: Transaction<DB>, seq: string) =>
    trx
      .insertInto('intel_sightings')
    .values({
      id: sid,
      object_seq: seq,
      sighting_of: b.sightingOf,
      count: b.count,
      first_seen: b.firstSeen,
      last_seen: b.lastSeen,
      country: b.country ?? null,
      sector: b.sector ?? null,
      anonymous: !!b.anonymous,
      affects_us: !!b.affectsUs,
      reporter_id: pr.person.id,
      reporter_org_id: pr.organisation.id,
      tlp,
      pap: 'CLEAR',
      author_id: pr.person.id,
      author_org_id: pr.organisation.id,
      ...audienceColumns(audience),
    })
    .execute();

  // The reporting organisation's identity travels with a named sighting (a duplicate after the first).
  const objects = b.anonymous ? [sighting] : [await organisationIdentity(p.db, pr.organisation.id), sighting];
  const res = await ingestObjects(p, objects, {
    source: 'sighting',
    actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
    defaultTlp: tlp,
    tlp,
    audience,
    anonymous: !!b.anonymous,
    auditAction: 'intel.sighting_reported',
    auditDetails: { sightingOf: b.sightingOf, anonymous: !!b.anonymous, affectsUs: !!b.affectsUs },
    within: async (trx) => {
      const row = await seqOfNewObject(trx, id);
      await insertRow(trx, row.seq);
    },
  });
  return { id: sid, stixId: id, submissionId: res.submissionId, notes };
}


/**
 * Everyone a narrower sighting names must be able to see its subject: each person named
 * (RED), each organisation named as a whole (through its own memberships, not one
 * member's), each community named. Refused otherwise, naming who may not see it.
 */
async function checkNamedMaySee(p: Platform, subject: Marking, a: Audience) {
  const blind: string[] = [];
  for (const personId of a.people) {
    const parts = await loadPrincipalParts(p.db, personId);
    if (!parts || !canSee(parts.viewer, subject)) blind.push(personId);
  }
  if (a.organisations.length) {
    const memberships = await p.db.selectFrom('community_organisations').select(['organisation_id', 'community_id']).where('organisation_id', 'in', a.organisations).execute();
    for (const org of a.organisations) {
      const viewer: Viewer = { personId: ZERO_UUID, organisationId: org, vetted: true, communityIds: memberships.filter((m) => m.organisation_id === org).map((m) => m.community_id) };
      if (!canSee(viewer, subject)) blind.push(org);
    }
  }
  // A community named under AMBER reaches people who are in it personally: the subject must name the community itself.
  for (const c of a.communities) if (!(subject.tlp === 'AMBER' && subject.audience.communities.includes(c))) blind.push(c);
  if (blind.length)
    throw new AppError('INVALID_MARKING', 'A sighting is shared at most as widely as the object it sights: some of those named may not see that object', { field: 'audience', mayNotSee: blind });
}

/** Sightings of one object this viewer may see; the target itself must be visible. */
export async function sightingsOf(p: Platform, viewer: Viewer, isSecretariat: boolean, stixId: string) {
  await getObjectRow(p, viewer, stixId);
  const rows = await visibleSightingsOf(p.db, viewer, stixId);
  const byCountry = new Map<string, number>();
  const bySector = new Map<string, number>();
  let count = 0;
  let first: Date | null = null;
  let last: Date | null = null;
  for (const r of rows) {
    count += r.count;
    if (!first || r.first_seen < first) first = r.first_seen;
    if (!last || r.last_seen > last) last = r.last_seen;
    if (r.country) byCountry.set(r.country, (byCountry.get(r.country) ?? 0) + r.count);
    if (r.sector) bySector.set(r.sector, (bySector.get(r.sector) ?? 0) + r.count);
  }
  return {
    total: { count, reports: rows.length, firstSeen: first?.toISOString() ?? null, lastSeen: last?.toISOString() ?? null },
    byCountry: [...byCountry].map(([country, n]) => ({ country, count: n })).sort((a, b) => b.count - a.count),
    bySector: [...bySector].map(([sector, n]) => ({ sector, count: n })).sort((a, b) => b.count - a.count),
    items: rows.map((r) => ({
      id: r.id,
      count: r.count,
      firstSeen: r.first_seen.toISOString(),
      lastSeen: r.last_seen.toISOString(),
      country: r.country,
      sector: r.sector,
      anonymous: r.anonymous,
      affectsUs: r.affects_us,
      tlp: r.tlp as Tlp,
      // Who reported an anonymous sighting: their own organisation and the secretariat know; nobody else.
      organisation: !r.anonymous || isSecretariat || r.reporter_org_id === viewer.organisationId ? { id: r.reporter_org_id, name: r.org_name } : null,
    })),
  };
}

/** Sightings per country and per sector across what the viewer may see (the situational picture). */
export async function sightingAggregates(p: Platform, viewer: Viewer, q: { since?: string; type?: string }) {
  const { byCountry, bySector } = await visibleSightingAggregates(p.db, viewer, q);
  return {
    byCountry: byCountry.map((r) => ({ country: r.country!, count: Number(r.n), objects: Number(r.objects) })),
    bySector: bySector.map((r) => ({ sector: r.sector!, count: Number(r.n), objects: Number(r.objects) })),
  };
}

export const isSecretariat = (actor: Pick<Actor, 'principal'>) => !!actor.principal && hasRole(actor.principal, 'secretariat');
