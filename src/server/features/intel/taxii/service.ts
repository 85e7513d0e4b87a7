import { sql, type Expression, type SqlBool } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Platform } from '../../../platform/deps.js';
import { type Actor } from '../../../platform/actor.js';
import { AppError, forbidden } from '../../../platform/errors.js';
import { type Audience, type Tlp, type Viewer } from '../../../platform/access/policy.js';
import { loadPrincipalParts, requireVetted, type Principal } from '../../../platform/auth/principal.js';
import type { credentialsFromHeader } from '../../../platform/auth/plugin.js';
import { findToken } from '../../../platform/auth/sessions.js';
import { ingestObjects, submissionResults, type ObjectResult } from '../store.js';
import { isContentVersion } from '../ingest-object.js';
import { versionFilter, type VersionChoice } from '../repository.js';
import { collectionRows, collectionVersions, rfc3339, submittedVersionTimestamps, visibleInCollection, type Row } from './repository.js';
import { checkShareTarget, requestHash } from '../service.js';
import { deleteObject } from '../uploads.js';
import '../tables.js';

/**
 * TAXII 2.1 (OASIS Standard, 10 June 2021) over the STIX store.
 *
 * One API root, `/taxii2/api/`. Collections are views of the store for the
 * viewer asking, never copies:
 *   - "Everything I may see": every object the access policy lets the viewer see (read-only);
 *   - one per approved community the viewer belongs to: objects shared with that
 *     community, plus what was added through this collection; adding here shares
 *     with the community at the object's own TLP (AMBER when unmarked);
 *   - one for the viewer's own organisation: objects the organisation authored; adding
 *     here shares with the organisation only (TLP:AMBER+STRICT when unmarked).
 * Every read starts from `visibleIntelSql` (the one policy, and a sighting's subject) and the version choice
 * ('last' / 'first' / 'all' / timestamps) is made among the rows the viewer may see.
 */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const API_ROOT_PATH = '/taxii2/api/';
/** Namespace of collection ids (uuid v5): stable across restarts, viewers and instances. */
const COLLECTION_NAMESPACE = '6f1c2d3e-8a47-5b0c-9d21-7e4f5a6b8c90';
export const EVERYTHING_COLLECTION_ID = uuidv5('puente:everything', COLLECTION_NAMESPACE);
export const communityCollectionId = (communityId: string) => uuidv5(`puente:community:${communityId}`, COLLECTION_NAMESPACE);
export const organisationCollectionId = (organisationId: string) => uuidv5(`puente:organisation:${organisationId}`, COLLECTION_NAMESPACE);
/** The `source` of objects added through a collection (objects keep it; community views read it). */
export const collectionSource = (collectionId: string) => `taxii:${collectionId}`;

/** Errors with a status the platform's codes do not have (406), or TAXII-specific titles. */
export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get statusCode() {
    return this.status;
  }
}

// ---------------------------------------------------------------- authentication

/**
 * Who a TAXII request acts as: the owner of its API token (session cookies are not used
 * here). With HTTP Basic the user name must be the owner's e-mail.
 */
export async function taxiiPrincipal(p: Platform, header: NonNullable<ReturnType<typeof credentialsFromHeader>>, method: string): Promise<Principal> {
  const token = await findToken(p.db, header.token);
  if (!token) throw new TaxiiError(401, 'INVALID_TOKEN', 'The API token is unknown, expired or revoked');
  const parts = await loadPrincipalParts(p.db, token.personId);
  if (!parts) throw new TaxiiError(401, 'INVALID_TOKEN', 'The API token belongs to an account that is not active');
  if (header.kind === 'basic' && parts.person.email.toLowerCase() !== header.email.trim().toLowerCase())
    throw new TaxiiError(401, 'INVALID_TOKEN', 'The API token does not belong to this user');
  if (token.scope === 'read' && !['GET', 'HEAD', 'OPTIONS'].includes(method))
    throw new AppError('INSUFFICIENT_SCOPE', 'This token may only read; create a write token to add or delete objects');
  if (parts.mfaEnrolmentRequired) throw new AppError('MFA_ENROLMENT_REQUIRED', 'Your organisation requires two-step sign-in: set it up in your account first');
  return { ...parts, via: 'token', scope: token.scope, tokenId: token.id };
}

// ---------------------------------------------------------------- collections

export interface Collection {
  id: string;
  title: string;
  description: string;
  canRead: boolean;
  canWrite: boolean;
  kind: 'everything' | 'community' | 'organisation';
  communityId?: string;
  organisationId?: string;
}

/** The collections of this viewer: everything, their communities (approved ones), their organisation. */
export async function collectionsFor(p: Platform, pr: Principal): Promise<Collection[]> {
  const out: Collection[] = [
    {
      id: EVERYTHING_COLLECTION_ID,
      title: 'Everything I may see',
      description: 'Every STIX object the Puente access policy (TLP 2.0 and audiences) lets you see, from every member and the reference content. Read-only.',
      canRead: true,
      canWrite: false,
      kind: 'everything',
    },
  ];
  // Unvetted accounts see CLEAR only and may share nothing: no community or organisation views.
  if (!pr.viewer.vetted) return out;
  const canWrite = pr.scope === 'write';
  const communities = pr.viewer.communityIds.length
    ? await p.db.selectFrom('communities').select(['id', 'name']).where('id', 'in', pr.viewer.communityIds).where('status', '=', 'approved').orderBy('name').execute()
    : [];
  for (const c of communities)
    out.push({
      id: communityCollectionId(c.id),
      title: c.name,
      description: `Objects shared with the community ${c.name}. Objects added here are shared with the community at their own TLP marking (TLP:AMBER when they carry none; AMBER+STRICT and RED objects stay with your organisation or named people).`,
      canRead: true,
      canWrite,
      kind: 'community',
      communityId: c.id,
    });
  out.push({
    id: organisationCollectionId(pr.organisation.id),
    title: pr.organisation.name,
    description: `Objects of your organisation ${pr.organisation.name}. Objects added here are shared with your organisation only (TLP:AMBER+STRICT when they carry no marking; CLEAR and GREEN objects are public within their TLP).`,
    canRead: true,
    canWrite,
    kind: 'organisation',
    organisationId: pr.organisation.id,
  });
  return out;
}

/** A collection this viewer may use; any other id (unknown, or a community they are not in) is 404 alike. */
export async function findCollection(p: Platform, pr: Principal, id: string): Promise<Collection> {
  const c = (await collectionsFor(p, pr)).find((x) => x.id === id.toLowerCase());
  if (!c) throw new TaxiiError(404, 'NOT_FOUND', 'Collection not found');
  return c;
}

export function collectionResource(c: Collection) {
  return { id: c.id, title: c.title, description: c.description, can_read: c.canRead, can_write: c.canWrite, media_types: [STIX_MEDIA_TYPE] };
}

/** What belongs to a collection, over an intel_objects alias; null: no restriction beyond the policy. */
function scopeSql(c: Collection, alias: string): Expression<SqlBool> | null {
  const col = (n: string) => sql.ref(`${alias}.${n}`);
  if (c.kind === 'community')
    return sql<SqlBool>`(${col('audience_communities')} @> ARRAY[${c.communityId!}::uuid] OR ${col('source')} = ${collectionSource(c.id)})`;
  if (c.kind === 'organisation') return sql<SqlBool>`${col('author_org_id')} = ${c.organisationId!}::uuid`;
  return null;
}

/**
 * repository.versionFilter, made among the rows of the collection: "last" is the
 * latest version of the object in this collection that the viewer may see.
 * The everything collection is exactly versionFilter.
 */
function collectionVersionFilter(viewer: Viewer, c: Collection, choice: VersionChoice, alias = 'o'): Expression<SqlBool> {
  return versionFilter(viewer, choice, alias, c.kind === 'everything' ? null : (a) => scopeSql(c, a)!);
}

// ---------------------------------------------------------------- filters

export interface VersionMatch {
  all: boolean;
  first: boolean;
  last: boolean;
  /** Timestamps (RFC 3339), compared as instants with the version timestamp. */
  at: string[];
}

export interface Filters {
  addedAfter: string | null;
  limit: number;
  next: { at: string; seq: string } | null;
  ids: string[] | null;
  types: string[] | null;
  versions: VersionMatch;
  specVersions: string[] | null;
}

export type RawQuery = Record<string, string | string[] | undefined>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const STIX_ID = /^[a-z0-9][a-z0-9-]*[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STIX_TYPE = /^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z]$/;

function badFilter(name: string, message: string): never {
  throw new TaxiiError(400, 'INVALID_FILTER', message, { parameter: name });
}

/** A filter's values: comma-separated (as the specification writes them) and/or repeated parameters. */
function listOf(q: RawQuery, name: string): string[] | null {
  const v = q[name];
  if (v === undefined) return null;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) badFilter(name, `${name} is empty`);
  if (parts.length > 1000) badFilter(name, `${name} has more than 1000 values`);
  return parts;
}

function single(q: RawQuery, name: string): string | null {
  const v = q[name];
  if (v === undefined) return null;
  if (Array.isArray(v)) {
    if (v.length !== 1) badFilter(name, `${name} may be given once`);
    return String(v[0]);
  }
  return String(v);
}

/**
 * A timestamp PostgreSQL reads too: Date.parse takes 2026-02-30 (as 2 March) and
 * year 0, which the database refuses — a 500 instead of the client's 400.
 */
function isInstant(s: string): boolean {
  if (!TIMESTAMP.test(s) || Number.isNaN(Date.parse(s.replace(/(\.\d{3})\d+/, '$1')))) return false;
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate() && Number(s.slice(11, 13)) < 24;
}

function checkTimestamp(name: string, s: string): string {
  if (!isInstant(s)) badFilter(name, `${name} must be an RFC 3339 timestamp such as 2026-01-31T12:00:00.000000Z`);
  return s;
}

export function encodeNext(r: { added: string; seq: string }): string {
  return Buffer.from(`${r.added}|${r.seq}`, 'utf8').toString('base64url');
}
function decodeNext(s: string): { at: string; seq: string } {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(s) ? Buffer.from(s, 'base64url').toString('utf8') : '';
  const [at, seq] = text.split('|');
  if (!at || !seq || !isInstant(at) || !/^\d{1,19}$/.test(seq) || BigInt(seq) > 9223372036854775807n) badFilter('next', 'next is not a token this server gave');
  return { at, seq };
}

/**
 * The URL parameters of §3.4. `allowed` names the ones the endpoint takes
 * (the others are refused with 400 rather than silently ignored, so a client learns).
 */
export function parseFilters(q: RawQuery, maxPage: number, allowed: ('added_after' | 'limit' | 'next' | 'match[id]' | 'match[type]' | 'match[version]' | 'match[spec_version]')[], defaultVersion: 'last' | 'all' = 'last'): Filters {
  for (const k of Object.keys(q)) {
    if (q[k] === undefined) continue;
    if (k.startsWith('match[') && !(allowed as string[]).includes(k)) badFilter(k, `${k} is not a filter of this endpoint`);
    if (['added_after', 'limit', 'next'].includes(k) && !(allowed as string[]).includes(k)) badFilter(k, `${k} is not a parameter of this endpoint`);
  }
  const addedAfterRaw = single(q, 'added_after');
  const addedAfter = addedAfterRaw === null ? null : checkTimestamp('added_after', addedAfterRaw);
  const limitRaw = single(q, 'limit');
  let limit = maxPage;
  if (limitRaw !== null) {
    if (!/^\d{1,9}$/.test(limitRaw) || Number(limitRaw) < 1) badFilter('limit', 'limit must be a positive integer');
    limit = Math.min(Number(limitRaw), maxPage);
  }
  const nextRaw = single(q, 'next');
  const next = nextRaw === null ? null : decodeNext(nextRaw);
  const ids = listOf(q, 'match[id]');
  for (const id of ids ?? []) if (!STIX_ID.test(id)) badFilter('match[id]', `${id} is not a STIX identifier`);
  const types = listOf(q, 'match[type]');
  for (const t of types ?? []) if (!STIX_TYPE.test(t) || t.length > 250) badFilter('match[type]', `${t} is not a STIX type`);
  const specVersions = listOf(q, 'match[spec_version]');
  for (const s of specVersions ?? []) if (!/^\d+\.\d+$/.test(s)) badFilter('match[spec_version]', `${s} is not a specification version such as 2.1`);
  const versionList = listOf(q, 'match[version]') ?? [defaultVersion];
  const versions: VersionMatch = { all: false, first: false, last: false, at: [] };
  for (const v of versionList) {
    if (v === 'all' || v === 'first' || v === 'last') versions[v] = true;
    else versions.at.push(checkTimestamp('match[version]', v));
  }
  return { addedAfter, limit, next, ids, types, versions, specVersions };
}

// ---------------------------------------------------------------- reads

/** The TAXII version of a stored row: its `modified` (else `created`); for SCOs, when it was added. */
export const versionText = (r: Pick<Row, 'version' | 'version_ts'>) => (isContentVersion(r.version) || r.version === '' ? r.version_ts : r.version);

function versionPredicate(viewer: Viewer, c: Collection, v: VersionMatch): Expression<SqlBool> {
  if (v.all) return collectionVersionFilter(viewer, c, 'all');
  const parts: Expression<SqlBool>[] = [];
  if (v.last) parts.push(collectionVersionFilter(viewer, c, 'last'));
  if (v.first) parts.push(collectionVersionFilter(viewer, c, 'first'));
  if (v.at.length) parts.push(sql<SqlBool>`(o.version_at = ANY(${v.at}::timestamptz[]) AND ${collectionVersionFilter(viewer, c, 'all')})`);
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export interface Page {
  rows: Row[];
  more: boolean;
  next: string | null;
}

/** One page of rows of a collection for a viewer, in date_added order. */
export async function pageOf(p: Platform, viewer: Viewer, c: Collection, f: Filters, objectId: string | null): Promise<Page> {
  const rows = await collectionRows(p.db, viewer, { scope: scopeSql(c, 'o'), versions: versionPredicate(viewer, c, f.versions) }, {
    objectId,
    ids: f.ids,
    types: f.types,
    specVersions: f.specVersions,
    addedAfter: f.addedAfter,
    next: f.next,
    limit: f.limit + 1,
  });
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, more, next: more ? encodeNext(page[page.length - 1]!) : null };
}

/** Does the viewer see any version of this object in this collection? */
export async function objectExists(p: Platform, viewer: Viewer, c: Collection, objectId: string): Promise<boolean> {
  return visibleInCollection(p.db, viewer, scopeSql(c, 'o'), objectId);
}

/** X-TAXII-Date-Added-First/-Last for a page. */
export function dateHeaders(rows: Row[]): Record<string, string> {
  if (!rows.length) return {};
  return { 'X-TAXII-Date-Added-First': rows[0]!.added, 'X-TAXII-Date-Added-Last': rows[rows.length - 1]!.added };
}

/**
 * The envelope, written as text: the objects are the stored JSON text spliced
 * in as received, never parsed and re-serialised.
 */
export function envelopeText(page: Page): string {
  let s = `{"more":${page.more}`;
  if (page.next) s += `,"next":${JSON.stringify(page.next)}`;
  if (page.rows.length) s += `,"objects":[${page.rows.map((r) => r.body).join(',')}]`;
  return `${s}}`;
}

export function manifestResource(page: Page) {
  return {
    more: page.more,
    ...(page.next ? { next: page.next } : {}),
    ...(page.rows.length ? { objects: page.rows.map((r) => ({ id: r.stix_id, date_added: r.added, version: versionText(r), media_type: STIX_MEDIA_TYPE })) } : {}),
  };
}

export function versionsResource(page: Page) {
  return {
    more: page.more,
    ...(page.next ? { next: page.next } : {}),
    ...(page.rows.length ? { versions: page.rows.map((r) => versionText(r)) } : {}),
  };
}

// ---------------------------------------------------------------- writes

/** The audience and unmarked default of objects added through a collection. */
function placementOf(c: Collection): { audience: Audience; defaultTlp: Tlp } {
  if (c.kind === 'community') return { audience: { organisations: [], communities: [c.communityId!], people: [] }, defaultTlp: 'AMBER' };
  return { audience: { organisations: [c.organisationId!], communities: [], people: [] }, defaultTlp: 'AMBER+STRICT' };
}

/** POST objects: the envelope's objects are ingested at once; the answer is the (complete) status resource. */
export async function addObjects(p: Platform, actor: Actor, c: Collection, body: unknown) {
  const pr = requireVetted(actor);
  if (!c.canWrite) throw new TaxiiError(403, 'FORBIDDEN', 'This collection is read-only: add objects to your organisation or one of your communities');
  if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray((body as { objects?: unknown }).objects))
    throw new TaxiiError(400, 'INVALID_ENVELOPE', 'The body must be a TAXII envelope: a JSON object with an "objects" list');
  const objects = (body as { objects: unknown[] }).objects;
  const limit = p.config.intelMaxObjectsPerBundle;
  if (objects.length > limit) throw new AppError('PAYLOAD_TOO_LARGE', `An envelope may carry at most ${limit} objects`, { limit });
  const { audience, defaultTlp } = placementOf(c);
  await checkShareTarget(p, pr, audience);
  const r = await ingestObjects(p, objects, {
    source: collectionSource(c.id),
    actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
    defaultTlp,
    tlp: null,
    audience,
    requestHash: requestHash(pr.person.id, { collection: c.id, objects }),
    keepWhenAllRejected: true,
    auditDetails: { via: 'taxii', collection: c.id },
  });
  return statusResource(p, pr, r.submissionId);
}

function detailMessage(r: ObjectResult, index: number): string | undefined {
  const parts: string[] = [];
  if (r.status === 'duplicate') parts.push('already stored');
  if (r.tlp) parts.push(`stored at TLP:${r.tlp}`);
  for (const n of r.notes ?? []) parts.push(n);
  for (const x of r.reasons ?? []) parts.push(`${x.property ? `${x.property}: ` : ''}${x.message} [${x.rule}]`);
  if (r.status === 'rejected' && !r.id) parts.unshift(`object ${index + 1} of the envelope`);
  return parts.length ? parts.join('; ') : undefined;
}

/** The status resource of a submission; only the person who submitted it may read it. */
export async function statusResource(p: Platform, pr: Principal, id: string) {
  const s = /^[0-9a-f-]{36}$/i.test(id)
    ? await p.db
        .selectFrom('intel_submissions')
        .select(['id', 'status', 'person_id', 'organisation_id', 'results', 'total', rfc3339('created_at').as('requested')])
        .where('id', '=', id)
        .where('person_id', '=', pr.person.id)
        .executeTakeFirst()
    : undefined;
  if (!s) throw new TaxiiError(404, 'NOT_FOUND', 'Status not found');
  const results = await submissionResults(p.db, s.id, s.results);
  // Content-versioned cyber-observables: their TAXII version is when the copy was added.
  const sco = results.filter((r) => r.id && r.version && isContentVersion(r.version));
  const scoTs = new Map<string, string>();
  if (sco.length) {
    const rows = await submittedVersionTimestamps(p.db, s.organisation_id, sco.map((r) => r.id!), sco.map((r) => r.version!));
    for (const r of rows) scoTs.set(`${r.stix_id}\u0000${r.version}`, r.ts);
  }
  const detail = (r: ObjectResult, i: number) => {
    let version = r.version ?? '';
    if (isContentVersion(version)) version = scoTs.get(`${r.id}\u0000${version}`) ?? s.requested;
    else if (!version) version = s.requested;
    const message = detailMessage(r, i);
    return { id: r.id ?? '', version, ...(message ? { message } : {}) };
  };
  const successes = results.flatMap((r, i) => (r.status !== 'rejected' ? [detail(r, i)] : []));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [detail(r, i)] : []));
  const pending = s.status === 'pending' ? Math.max(0, s.total - successes.length - failures.length) : 0;
  return {
    id: s.id,
    status: s.status === 'pending' ? 'pending' : 'complete',
    request_timestamp: s.requested,
    total_count: Math.max(s.total, results.length),
    success_count: successes.length,
    ...(successes.length ? { successes } : {}),
    failure_count: failures.length,
    ...(failures.length ? { failures } : {}),
    pending_count: pending,
  };
}

/**
 * DELETE an object: the versions chosen (all by default) of the copy held by
 * the viewer's organisation, with the REST API's rule (the submitting person or
 * the organisation's admins). An object the viewer cannot see in the collection
 * is 404; one they see but do not own is 403.
 */
export async function deleteFromCollection(p: Platform, actor: Actor, c: Collection, objectId: string, f: Filters) {
  const pr = requireVetted(actor);
  if (!c.canWrite) throw new TaxiiError(403, 'FORBIDDEN', 'This collection is read-only: delete through the collection the object was added to, or your organisation');
  const rows = await collectionVersions(p.db, pr.viewer, { scope: scopeSql(c, 'o'), versions: versionPredicate(pr.viewer, c, f.versions) }, objectId, f.specVersions);
  if (!rows.length) throw new TaxiiError(404, 'NOT_FOUND', 'Object not found');
  const own = rows.filter((r) => r.author_org_id === pr.organisation.id);
  if (!own.length) throw forbidden('Only the organisation that added an object deletes it');
  await deleteObject(p, actor, objectId, [...new Set(own.map((r) => r.version))]);
}
