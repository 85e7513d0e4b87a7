import { STATUS_CODES } from 'node:http';
import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor } from '../../platform/actor.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { OutboundError, OutboundRefusedError, outboundRequest, parseCidr, resolveChecked, type OutboundPolicy } from '../../platform/outbound.js';
import { newId } from '../../platform/ids.js';
import { audienceColumns, isTlp, type Tlp } from '../../platform/access/policy.js';
import { hasRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { ingestObjects } from './store.js';
import { audienceForTlp } from './ingest-object.js';
import { audienceOf, checkShareTarget, type AudienceInput } from './service.js';
import { dueSubscriptions, organisationSubscriptions, subscriptionRow } from './repository.js';
import './tables.js';

/**
 * TAXII 2.1 client: an organisation subscribes to a remote collection (another
 * Puente, OpenCTI, any TAXII 2.1 server). Polls run as jobs, page through
 * `GET …/objects/?added_after=…` following `next` while `more`, ingest each page
 * through the one ingest path with the subscription's TLP and audience, and
 * resume from the last X-TAXII-Date-Added-Last they saw.
 */

export const POLL_JOB = 'intel.poll_subscriptions';
export const POLL_CRON = '* * * * *';
const TAXII_MEDIA = 'application/taxii+json;version=2.1';
const PAGE = 1000;
const MAX_PAGES_PER_POLL = 200;
const TIMEOUT_MS = 60_000;
/** Largest page read from a remote (a page of PAGE objects is far below it). */
const MAX_PAGE_BYTES = 64 * 1024 * 1024;

export interface Credentials {
  username?: string;
  password?: string;
  token?: string;
}

type Row = Awaited<ReturnType<typeof loadRow>>;
async function loadRow(p: Platform, id: string) {
  return subscriptionRow(p.db, id);
}

export function subscriptionView(r: NonNullable<Row>) {
  return {
    id: r.id,
    title: r.title,
    apiRootUrl: r.api_root_url,
    collectionId: r.collection_id,
    pollIntervalMinutes: r.poll_interval_minutes,
    tlp: r.tlp as Tlp,
    audience: { organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people },
    enabled: r.enabled,
    lastPollAt: r.last_poll_at?.toISOString() ?? null,
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at?.toISOString() ?? null,
    objectsReceived: Number(r.objects_received),
    nextPollAt: r.next_poll_at.toISOString(),
    addedAfter: r.added_after,
    hasCredentials: r.credentials_sealed !== null,
  };
}

function outboundPolicy(p: Platform): OutboundPolicy {
  return { allowed: p.config.outboundAllowedNetworks.map((c) => parseCidr(c)!) };
}

/**
 * Refuse an API root whose host is (or resolves to) an address the outbound
 * policy refuses. A name that does not resolve now is kept: the poll reports it.
 * The poll checks again where it connects, so a name that changes later is caught there.
 */
async function checkTarget(p: Platform, url: string) {
  const host = new URL(url).hostname;
  try {
    await resolveChecked(host, outboundPolicy(p));
  } catch (e) {
    if (e instanceof OutboundRefusedError)
      throw new AppError('OUTBOUND_ADDRESS_REFUSED', e.message, { field: 'apiRootUrl', host });
  }
}

function checkUrl(u: string): string {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The API root must be an absolute http(s) URL', { field: 'apiRootUrl' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('VALIDATION_FAILED', 'The API root must be an http(s) URL', { field: 'apiRootUrl' });
  if (url.username || url.password) throw new AppError('VALIDATION_FAILED', 'Give credentials in their own fields, not in the URL', { field: 'apiRootUrl' });
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function requireManager(actor: Actor): Principal {
  const pr = requireVetted(actor);
  if (!hasRole(pr, 'org_admin')) throw forbidden('Organisation admins manage TAXII subscriptions');
  return pr;
}

export async function listSubscriptions(p: Platform, actor: Actor) {
  const pr = requireVetted(actor);
  const rows = await organisationSubscriptions(p.db, pr.organisation.id);
  return { items: rows.map(subscriptionView) };
}

async function ownRow(p: Platform, pr: Principal, id: string) {
  const r = await loadRow(p, id);
  if (!r || r.organisation_id !== pr.organisation.id) throw notFound('Subscription');
  return r;
}

export interface SubscriptionInput {
  title: string;
  apiRootUrl: string;
  collectionId: string;
  username?: string;
  password?: string;
  token?: string;
  pollIntervalMinutes: number;
  tlp: Tlp;
  audience?: AudienceInput;
}

function sealCredentials(p: Platform, c: Credentials): string | null {
  if (c.token) return p.box.seal(JSON.stringify({ token: c.token }));
  if (c.username || c.password) return p.box.seal(JSON.stringify({ username: c.username ?? '', password: c.password ?? '' }));
  return null;
}

export async function createSubscription(p: Platform, actor: Actor, b: SubscriptionInput) {
  const pr = requireManager(actor);
  const url = checkUrl(b.apiRootUrl);
  await checkTarget(p, url);
  const notes: string[] = [];
  const audience = audienceForTlp(b.tlp, audienceOf(b.audience), notes);
  await checkShareTarget(p, pr, audience);
  const id = newId();
  await change(p, async (c) => {
    await c.trx
      .insertInto('intel_subscriptions')
      .values({
        id,
        organisation_id: pr.organisation.id,
        created_by: pr.person.id,
        title: b.title.trim(),
        api_root_url: url,
        collection_id: b.collectionId,
        credentials_sealed: sealCredentials(p, b),
        poll_interval_minutes: b.pollIntervalMinutes,
        tlp: b.tlp,
        ...audienceColumns(audience),
        next_poll_at: new Date(),
      })
      .execute();
    // Credentials never go into the audit log.
    await c.audit({ action: 'intel.subscription_created', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'intel_subscription', targetId: id, details: { url, collectionId: b.collectionId, tlp: b.tlp, audience } });
  });
  return subscriptionView((await loadRow(p, id))!);
}

export async function updateSubscription(
  p: Platform,
  actor: Actor,
  id: string,
  b: Partial<Omit<SubscriptionInput, 'apiRootUrl' | 'collectionId'>> & { enabled?: boolean; apiRootUrl?: string; collectionId?: string },
) {
  const pr = requireManager(actor);
  const before = await ownRow(p, pr, id);
  const tlp = (b.tlp ?? before.tlp) as Tlp;
  const notes: string[] = [];
  const audience = b.audience || b.tlp
    ? audienceForTlp(tlp, audienceOf(b.audience ?? { organisations: before.audience_organisations, communities: before.audience_communities, people: before.audience_people }), notes)
    : null;
  if (audience) await checkShareTarget(p, pr, audience);
  const creds = b.token !== undefined || b.username !== undefined || b.password !== undefined ? sealCredentials(p, b) : undefined;
  if (b.apiRootUrl !== undefined) await checkTarget(p, checkUrl(b.apiRootUrl));
  await change(p, async (c) => {
    await c.trx
      .updateTable('intel_subscriptions')
      .set({
        ...(b.title !== undefined && { title: b.title.trim() }),
        ...(b.apiRootUrl !== undefined && { api_root_url: checkUrl(b.apiRootUrl), added_after: null }),
        ...(b.collectionId !== undefined && { collection_id: b.collectionId, added_after: null }),
        ...(b.pollIntervalMinutes !== undefined && { poll_interval_minutes: b.pollIntervalMinutes }),
        ...(b.enabled !== undefined && { enabled: b.enabled }),
        ...(b.tlp !== undefined && { tlp: b.tlp }),
        ...(audience && audienceColumns(audience)),
        ...(creds !== undefined && { credentials_sealed: creds }),
      })
      .where('id', '=', id)
      .execute();
    await c.audit({
      action: 'intel.subscription_changed',
      ...auditActor(actor),
      organisationId: pr.organisation.id,
      targetType: 'intel_subscription',
      targetId: id,
      details: { changed: Object.keys(b).filter((k) => !['password', 'token'].includes(k)) },
    });
  });
  return subscriptionView((await loadRow(p, id))!);
}

export async function deleteSubscription(p: Platform, actor: Actor, id: string) {
  const pr = requireManager(actor);
  await ownRow(p, pr, id);
  await change(p, async (c) => {
    await c.trx.deleteFrom('intel_subscriptions').where('id', '=', id).execute();
    await c.audit({ action: 'intel.subscription_deleted', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'intel_subscription', targetId: id });
  });
}

export async function pollNow(p: Platform, actor: Actor, id: string) {
  const pr = requireManager(actor);
  await ownRow(p, pr, id);
  await pollSubscription(p, id);
  return subscriptionView((await loadRow(p, id))!);
}

function authHeader(p: Platform, sealed: string | null): Record<string, string> {
  if (!sealed) return {};
  const c = JSON.parse(p.box.open(sealed)) as Credentials;
  if (c.token) return { authorization: `Bearer ${c.token}` };
  return { authorization: `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}` };
}

/**
 * One GET under the outbound policy. A failure says what happened in our own
 * words — status and its standard reason, or the kind of refusal — and never
 * repeats the remote's body or headers: lastError is shown to the members, and
 * a remote's text is no business of theirs (nor a way to read internal services).
 */
async function taxiiGet(p: Platform, url: string, headers: Record<string, string>) {
  const host = new URL(url).host;
  let res;
  try {
    res = await outboundRequest(url, { headers: { accept: TAXII_MEDIA, ...headers }, timeoutMs: TIMEOUT_MS, maxBytes: MAX_PAGE_BYTES, policy: outboundPolicy(p) });
  } catch (e) {
    if (e instanceof OutboundRefusedError || e instanceof OutboundError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new Error(`${host} could not be resolved`);
    if (code === 'ABORT_ERR' || (e as Error).name === 'TimeoutError') throw new Error(`${host} did not answer within ${TIMEOUT_MS / 1000} s`);
    throw new Error(`Could not connect to ${host}${code ? ` (${code})` : ''}`);
  }
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}${STATUS_CODES[res.status] ? ` ${STATUS_CODES[res.status]}` : ''} from ${new URL(res.url).host}`);
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    throw new Error(`The server at ${new URL(res.url).host} did not answer with JSON`);
  }
  // Kept and shown as the resume point: only a timestamp, never arbitrary header text.
  const last = res.headers['x-taxii-date-added-last'];
  const dateAddedLast = typeof last === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(last) ? last : null;
  return { body: body as { more?: boolean; next?: string; objects?: unknown[] }, dateAddedLast };
}

/**
 * One poll: follow the pages, ingest each, and move the resume point only
 * after that page committed, so a failure mid-way repeats at most one page
 * (which then comes back as duplicates).
 */
export async function pollSubscription(p: Platform, id: string): Promise<{ received: number; pages: number }> {
  const s = await loadRow(p, id);
  if (!s) throw notFound('Subscription');
  const headers = authHeader(p, s.credentials_sealed);
  const base = `${s.api_root_url}collections/${encodeURIComponent(s.collection_id)}/objects/`;
  let addedAfter = s.added_after;
  let next: string | null = null;
  let queryAfter = addedAfter;
  let received = 0;
  let pages = 0;
  const now = new Date();
  try {
    for (; pages < MAX_PAGES_PER_POLL; ) {
      const u = new URL(base);
      u.searchParams.set('limit', String(PAGE));
      // A `next` token belongs to the query that produced it: keep that query's added_after with it.
      if (next ? queryAfter : addedAfter) u.searchParams.set('added_after', (next ? queryAfter : addedAfter)!);
      if (!next) queryAfter = addedAfter;
      if (next) u.searchParams.set('next', next);
      const { body, dateAddedLast } = await taxiiGet(p, u.href, headers);
      pages++;
      const objects = Array.isArray(body.objects) ? body.objects : [];
      if (objects.length) {
        const r = await ingestObjects(p, objects, {
          source: `taxii:${s.id}`,
          actor: { personId: s.created_by, organisationId: s.organisation_id, viewer: null },
          defaultTlp: s.tlp as Tlp,
          tlp: isTlp(s.tlp) ? s.tlp : 'AMBER',
          audience: { organisations: s.audience_organisations, communities: s.audience_communities, people: s.audience_people },
          keepWhenAllRejected: true,
          batchSize: 2000,
        });
        received += r.accepted;
      }
      // Objects come in date_added order: everything up to the page's last date is in, so resume from there.
      if (dateAddedLast) {
        addedAfter = dateAddedLast;
        await p.db.updateTable('intel_subscriptions').set({ added_after: addedAfter }).where('id', '=', id).execute();
      }
      if (!body.more) break;
      // With `next` the server keeps our place; a server that says "more" without it is paged by date_added.
      next = typeof body.next === 'string' && body.next ? body.next : null;
      if (!next && !dateAddedLast) break;
    }
    await p.db
      .updateTable('intel_subscriptions')
      .set({
        last_poll_at: now,
        last_success_at: now,
        last_error: null,
        objects_received: sql`objects_received + ${received}`,
        next_poll_at: new Date(now.getTime() + s.poll_interval_minutes * 60_000),
      })
      .where('id', '=', id)
      .execute();
    return { received, pages };
  } catch (e) {
    await p.db
      .updateTable('intel_subscriptions')
      .set({
        last_poll_at: now,
        last_error: (e as Error).message.slice(0, 1000),
        last_error_at: now,
        objects_received: sql`objects_received + ${received}`,
        next_poll_at: new Date(now.getTime() + s.poll_interval_minutes * 60_000),
      })
      .where('id', '=', id)
      .execute();
    return { received, pages };
  }
}

/** The job: poll every subscription that is due. */
export async function pollDueSubscriptions(p: Platform) {
  const due = await dueSubscriptions(p.db, new Date());
  for (const d of due) await pollSubscription(p, d.id);
  return due.length;
}
