import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { type Actor } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { ANONYMOUS, isTlp, type Audience, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { checkAudienceExists } from '../../platform/access/audience.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { asActor, stixObjectAbilities } from '../../platform/access/abilities.js';
import { validateBundleShape } from './stix/validate.js';
import { ingestObjects, type IngestResult } from './store.js';
import { correlationsOf, referenceObjectsHeld, relatedToTechniqueSql, versionFilter, visibleContainersOf, visibleMembers, visibleObjects, type ObjectRow } from './repository.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { TLP2_MARKING_DEFINITIONS } from './stix/tlp.js';
import { ANONYMOUS_MEMBER } from './identities.js';
import { PUENTE_EXTENSION, PUENTE_IDENTITY } from './stix/puente-extension.js';

export interface AudienceInput {
  organisations?: string[];
  communities?: string[];
  people?: string[];
}

export function audienceOf(a: AudienceInput | undefined): Audience {
  return { organisations: [...new Set(a?.organisations ?? [])], communities: [...new Set(a?.communities ?? [])], people: [...new Set(a?.people ?? [])] };
}

/** A submitter may share with communities they belong to only; organisations and people must exist. */
export async function checkShareTarget(p: Platform, pr: Principal, a: Audience) {
  await checkAudienceExists(p.db, a);
  const foreign = a.communities.filter((c) => !pr.viewer.communityIds.includes(c));
  if (foreign.length) throw new AppError('INVALID_MARKING', 'You can share with communities you belong to only', { field: 'audience.communities', communities: foreign });
}

export function viewerOf(actor: Pick<Actor, 'principal'>): Viewer {
  return actor.principal?.viewer ?? ANONYMOUS;
}

/** Answer for a submission, as the REST API gives it. */
export function submissionView(r: IngestResult) {
  return { submissionId: r.submissionId, total: r.total, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, results: r.results };
}

export function requestHash(personId: string, body: unknown): string {
  return crypto.createHash('sha256').update(personId).update('\u0000').update(JSON.stringify(body)).digest('base64url');
}

/** POST /api/v1/intel/bundles: a bundle, an optional TLP floor and an audience. */
export async function ingestBundle(p: Platform, actor: Actor, b: { bundle: unknown; tlp?: Tlp; audience?: AudienceInput }, source = 'api') {
  const pr = requireVetted(actor);
  const shape = validateBundleShape(b.bundle);
  if (shape.length) throw new AppError('VALIDATION_FAILED', 'Not a STIX 2.1 bundle', { problems: shape });
  const audience = audienceOf(b.audience);
  await checkShareTarget(p, pr, audience);
  const objects = (b.bundle as { objects?: unknown[] }).objects ?? [];
  const limit = p.config.intelMaxObjectsPerBundle;
  if (objects.length > limit) throw new AppError('PAYLOAD_TOO_LARGE', `A bundle may carry at most ${limit} objects; upload larger ones as a file`, { limit });
  return ingestObjects(p, objects, {
    source,
    actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
    defaultTlp: b.tlp ?? (audience.communities.length ? 'AMBER' : 'AMBER'),
    tlp: b.tlp ?? null,
    audience,
    requestHash: requestHash(pr.person.id, b),
  });
}

export interface ListQuery {
  q?: string;
  type?: string[];
  tlp?: Tlp[];
  organisation?: string;
  country?: string;
  sector?: string;
  since?: string;
  until?: string;
  technique?: string;
  minConfidence?: number;
  revoked?: boolean;
  /** members: objects an organisation submitted; reference: the platform's own (ATT&CK, KEV, TLP definitions). */
  origin?: 'members' | 'reference';
  excludeType?: string[];
  cursor?: string;
  limit?: number;
}

/**
 * Paging by seq: it is assigned under the ingest lock, like added_at, so it
 * follows the same order — and, unlike a timestamp in milliseconds, it is exact.
 */
function encodeCursor(r: { seq: string | number }) {
  return Buffer.from(`s${String(r.seq)}`).toString('base64url');
}
export function decodeCursor(c: string): string {
  const raw = Buffer.from(c, 'base64url').toString('utf8');
  // 19 digits may still exceed a bigint: that would be a database error, not the client's 400.
  if (!/^s\d{1,19}$/.test(raw) || BigInt(raw.slice(1)) > 9223372036854775807n) throw new AppError('VALIDATION_FAILED', 'Unknown cursor', { field: 'cursor' });
  return raw.slice(1);
}

/** The list filters, applied to a query over `o` (intel_objects) joined with `org`. */
export function applyFilters<Q extends ReturnType<typeof visibleObjects>>(query: Q, q: ListQuery, viewer: Viewer): Q {
  let x = query;
  if (q.type?.length) x = x.where('o.stix_type', 'in', q.type) as Q;
  if (q.tlp?.length) x = x.where('o.tlp', 'in', q.tlp) as Q;
  // Filtering by who submitted must not find anonymous submissions of others.
  const named = sql<boolean>`(NOT o.anonymous OR o.author_org_id = ${viewer.organisationId}::uuid)`;
  if (q.organisation) x = x.where('o.author_org_id', '=', q.organisation).where(named) as Q;
  if (q.country) x = x.where('org.country_code', '=', q.country).where(named) as Q;
  if (q.sector) x = x.where(sql<boolean>`${q.sector} = ANY(org.sectors)`).where(named) as Q;
  if (q.since) x = x.where('o.added_at', '>=', new Date(q.since)) as Q;
  if (q.until) x = x.where('o.added_at', '<=', new Date(q.until)) as Q;
  if (q.minConfidence !== undefined) x = x.where('o.confidence', '>=', q.minConfidence) as Q;
  if (q.revoked === false) x = x.where('o.revoked', '=', false) as Q;
  if (q.origin === 'members') x = x.where('o.author_org_id', 'is not', null) as Q;
  if (q.origin === 'reference') x = x.where('o.author_org_id', 'is', null) as Q;
  if (q.excludeType?.length) x = x.where('o.stix_type', 'not in', q.excludeType) as Q;
  if (q.q?.trim()) x = x.where(sql<boolean>`o.search @@ websearch_to_tsquery('simple', ${q.q.trim()})`) as Q;
  if (q.technique) {
    // Objects that are the technique, or related to it by a relationship the viewer may see.
    const tech = q.technique.toLowerCase().replace(/[^a-z0-9.]/g, '');
    x = x.where(relatedToTechniqueSql(viewer, tech)) as Q;
  }
  return x;
}

/** Who submitted: hidden for anonymous submissions, except from that organisation and the secretariat. */
export function revealsOrganisation(r: ObjectRow, viewer: Viewer, isSecretariat: boolean) {
  return !r.anonymous || isSecretariat || (viewer.organisationId !== null && r.author_org_id === viewer.organisationId);
}

export function objectSummary(r: ObjectRow, reveal = true) {
  return {
    id: r.stix_id,
    type: r.stix_type,
    name: r.name,
    version: r.version,
    revoked: r.revoked,
    confidence: r.confidence,
    tlp: r.tlp as Tlp,
    addedAt: r.added_at.toISOString(),
    source: r.source,
    organisation: r.author_org_id && reveal ? { id: r.author_org_id, name: r.org_name ?? '', country: r.org_country ?? '' } : null,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
  };
}

export async function listObjects(p: Platform, viewer: Viewer, q: ListQuery, isSecretariat = false) {
  const limit = Math.min(q.limit ?? 50, 500);
  let query = applyFilters(visibleObjects(p.db, viewer).where(versionFilter(viewer, 'last', 'o')), q, viewer);
  if (q.cursor) query = query.where(sql<boolean>`o.seq < ${decodeCursor(q.cursor)}::bigint`);
  const rows = (await query.orderBy('o.seq', 'desc').limit(limit + 1).execute()) as ObjectRow[];
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ ...objectSummary(r, revealsOrganisation(r, viewer, isSecretariat)), object: JSON.parse(r.body) as Record<string, unknown> })),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}

/** Latest visible version of one object, or 404 exactly like a missing one. */
export async function getObjectRow(p: Platform, viewer: Viewer, stixId: string): Promise<ObjectRow> {
  const row = (await visibleObjects(p.db, viewer).where('o.stix_id', '=', stixId).where(versionFilter(viewer, 'last', 'o')).executeTakeFirst()) as ObjectRow | undefined;
  if (!row) throw notFound('Object');
  return row;
}

/**
 * The versions of an object that the viewer's organisation holds and the viewer
 * may see (all, or those named): what DELETE removes, and what the delete rule
 * (stixObjectAbilities) reads — for the answer's `can` and for the DELETE itself.
 */
export function orgCopy(p: Platform, pr: Principal, stixId: string, versions: string[] | null = null) {
  let q = visibleObjects(p.db, pr.viewer).where('o.stix_id', '=', stixId).where('o.author_org_id', '=', pr.organisation.id);
  if (versions) q = q.where('o.version', 'in', versions.length ? versions : ['\u0000']);
  return q.execute();
}

export async function getObject(p: Platform, pr: Principal | null, stixId: string) {
  const viewer = pr?.viewer ?? ANONYMOUS;
  const isSecretariat = !!pr && hasRole(pr, 'secretariat');
  const row = await getObjectRow(p, viewer, stixId);
  const versions = (await visibleObjects(p.db, viewer).where('o.stix_id', '=', stixId).where(versionFilter(viewer, 'all', 'o')).orderBy('o.version_at', 'asc').execute()) as ObjectRow[];
  const related = (await visibleObjects(p.db, viewer)
    .where('o.stix_type', 'in', ['relationship', 'sighting'])
    .where(versionFilter(viewer, 'last', 'o'))
    .where((eb) =>
      eb.or([
        eb(sql`o.body::jsonb->>'source_ref'`, '=', stixId),
        eb(sql`o.body::jsonb->>'target_ref'`, '=', stixId),
        eb(sql`o.body::jsonb->>'sighting_of_ref'`, '=', stixId),
      ]),
    )
    .limit(500)
    .execute()) as ObjectRow[];
  // The other ends of the relationships, where the viewer may see them; unseen ends are left out entirely.
  const ends = new Set<string>();
  for (const r of related) {
    const b = JSON.parse(r.body) as Record<string, unknown>;
    for (const k of ['source_ref', 'target_ref', 'sighting_of_ref']) if (typeof b[k] === 'string' && b[k] !== stixId) ends.add(b[k] as string);
  }
  const endRows = ends.size
    ? ((await visibleObjects(p.db, viewer).where('o.stix_id', 'in', [...ends]).where(versionFilter(viewer, 'last', 'o')).execute()) as ObjectRow[])
    : [];
  const endById = new Map(endRows.map((e) => [e.stix_id, e]));
  const relationships = related
    .map((r) => {
      const b = JSON.parse(r.body) as Record<string, unknown>;
      const source = String(b.source_ref ?? b.sighting_of_ref ?? '');
      const target = String(b.target_ref ?? (b.type === 'sighting' ? stixId : ''));
      const other = source === stixId ? target : source;
      const end = endById.get(other);
      if (!end && other !== stixId) return null;
      return {
        id: r.stix_id,
        type: r.stix_type,
        relationshipType: typeof b.relationship_type === 'string' ? b.relationship_type : r.stix_type,
        direction: source === stixId ? ('outgoing' as const) : ('incoming' as const),
        other: end ? { id: end.stix_id, type: end.stix_type, name: end.name } : { id: stixId, type: row.stix_type, name: row.name },
        tlp: r.tlp as Tlp,
      };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null);
  const body = JSON.parse(row.body) as Record<string, unknown>;
  // What a report (grouping, note, opinion, …) gathers, and the reports and groupings that gather this
  // object: only those the viewer may see; how many others there are is not said.
  const refs = Array.isArray(body.object_refs) ? [...new Set(body.object_refs.filter((x): x is string => typeof x === 'string'))] : [];
  const members = await visibleMembers(p.db, viewer, refs, MEMBERS_CAP);
  const containers = await visibleContainersOf(p.db, viewer, stixId, CONTAINERS_CAP);
  const correlations = await correlationsOf(p.db, viewer, row.seq, p.config.intelCorrelationCap);
  // The viewer's organisation's own copy, which need not be the line shown here (the first holder's).
  const own = pr ? await orgCopy(p, pr, stixId) : [];
  const can = stixObjectAbilities(asActor(pr), own.map((v) => ({ authorId: v.author_id, authorOrgId: v.author_org_id })));
  return {
    ...objectSummary(row, revealsOrganisation(row, viewer, isSecretariat)),
    object: body,
    descriptionHtml: descriptionHtml(body),
    canDelete: can.delete,
    can,
    versions: versions.map((v) => ({ version: v.version, addedAt: v.added_at.toISOString(), tlp: v.tlp as Tlp, revoked: v.revoked })),
    relationships,
    contains: members.map(memberItem),
    containedIn: containers.map(memberItem),
    correlations,
  };
}

/** At most this many members of one container, and containers of one object, are listed. */
const MEMBERS_CAP = 2000;
const CONTAINERS_CAP = 200;

/** A member or container as the object page lists it; a relationship also says what it joins. */
function memberItem(r: ObjectRow) {
  const b = JSON.parse(r.body) as Record<string, unknown>;
  const relationship =
    typeof b.relationship_type === 'string' && typeof b.source_ref === 'string' && typeof b.target_ref === 'string'
      ? { relationshipType: b.relationship_type, sourceRef: b.source_ref, targetRef: b.target_ref }
      : null;
  return { id: r.stix_id, type: r.stix_type, name: r.name, tlp: r.tlp as Tlp, relationship };
}

/**
 * The description as sanitised HTML (STIX descriptions, ATT&CK's among them, are often Markdown),
 * its citations "(Citation: Name)" turned into numbered links to the external reference of that
 * name (the page gives the n-th reference the anchor ref-n). Null without a description.
 */
export function descriptionHtml(obj: Record<string, unknown>): string | null {
  if (typeof obj.description !== 'string' || !obj.description.trim()) return null;
  const refs = Array.isArray(obj.external_references) ? (obj.external_references as unknown[]) : [];
  const index = new Map<string, number>();
  refs.forEach((r, i) => {
    const name = r && typeof r === 'object' ? (r as Record<string, unknown>).source_name : undefined;
    if (typeof name === 'string' && !index.has(name.trim())) index.set(name.trim(), i + 1);
  });
  return renderMarkdown(obj.description, {
    cite: (name) => {
      const n = index.get(name);
      return n ? { n, anchor: `ref-${n}` } : null;
    },
  });
}

/** The TLP 2.0 marking definitions, the anonymous-member identity and Puente's STIX extension are reference content: present in every store. */
export async function ensureReferenceMarkings(p: Platform) {
  // The extension's publisher comes before the extension that names it as created_by_ref.
  const wanted = [...TLP2_MARKING_DEFINITIONS, ANONYMOUS_MEMBER, PUENTE_IDENTITY, PUENTE_EXTENSION];
  const have = await referenceObjectsHeld(p.db, wanted.map((o) => o.id as string));
  if (have.length === wanted.length) return;
  await ingestObjects(p, wanted, {
    source: 'reference',
    actor: { personId: null, organisationId: null, viewer: null },
    defaultTlp: 'CLEAR',
    audience: { organisations: [], communities: [], people: [] },
  });
}

export function parseTlpList(v: string | undefined): Tlp[] | undefined {
  if (!v) return undefined;
  const out = v.split(',').map((s) => s.trim().toUpperCase());
  for (const t of out) if (!isTlp(t)) throw new AppError('VALIDATION_FAILED', `Unknown TLP level ${t}`, { field: 'tlp' });
  return out as Tlp[];
}
