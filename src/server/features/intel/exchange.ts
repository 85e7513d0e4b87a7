import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { change } from '../../platform/deps.js';
import { type Actor, auditActor, systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { type Audience, type Tlp, type Viewer } from '../../platform/access/policy.js';
import { hasRole, requireRole, requireVetted, type Principal } from '../../platform/auth/principal.js';
import { csvCell } from '../../platform/csv.js';
import { ingestInTransaction, ingestObjects } from './store.js';
import { applyFilters, audienceOf, decodeCursor, ensureReferenceMarkings, revealsOrganisation, checkShareTarget, requestHash, submissionView, type ListQuery } from './service.js';
import { storeVersion, versionFilter, visibleObjects, type ObjectRow } from './repository.js';
import { mostRestrictive } from './stix/tlp.js';
import { mispEventToStix } from './misp/import.js';
import { mispFeed, stixToMispEvent } from './misp/export.js';
import { csafToStix } from './vulnerabilities/csaf.js';
import { kevToStix } from './vulnerabilities/kev.js';
import type { StixObject } from './stix/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// MISP in

/**
 * MISP distribution -> the nearest audience. 0 "your organisation only" ->
 * AMBER+STRICT to the importing organisation; 1 "this community" -> AMBER to the
 * communities named in the request (else the organisation); 2/3 "connected/all
 * communities" -> no floor beyond the tags (GREEN when untagged); 4 "sharing
 * group" -> AMBER to the Puente organisations that match the group's members by
 * name, the others reported. Tags always count: the stricter of the two wins.
 */
export async function importMispEvent(p: Platform, actor: Actor, input: unknown, q: { tlp?: Tlp; communities?: string[] }) {
  const pr = requireVetted(actor);
  const m = mispEventToStix(input);
  const unmapped = [...m.unmapped];
  const requested = audienceOf({ communities: q.communities ?? [] });
  await checkShareTarget(p, pr, requested);
  let floor: Tlp | null = q.tlp ?? null;
  let audience: Audience = { organisations: [], communities: [], people: [] };
  const d = m.distribution;
  if (d === 0) floor = floor ? mostRestrictive(floor, 'AMBER+STRICT') : 'AMBER+STRICT';
  else if (d === 1 || d === null || d === 5) {
    floor = floor ? mostRestrictive(floor, 'AMBER') : m.tlp ? null : 'AMBER';
    audience = requested;
  } else if (d === 4 && m.sharingGroup) {
    floor = floor ? mostRestrictive(floor, 'AMBER') : 'AMBER';
    const names = m.sharingGroup.organisations.map((o) => o.name.trim().toLowerCase()).filter(Boolean);
    const found = names.length
      ? await p.db.selectFrom('organisations').select(['id', 'name']).where('status', '=', 'approved').where(sql<boolean>`lower(name) = ANY(${names}::text[])`).execute()
      : [];
    audience = { organisations: found.map((f) => f.id), communities: requested.communities, people: [] };
    for (const o of m.sharingGroup.organisations)
      if (!found.some((f) => f.name.trim().toLowerCase() === o.name.trim().toLowerCase()))
        unmapped.push({ what: `sharing group "${m.sharingGroup.name}" member ${o.name}`, reason: 'no approved Puente organisation of that name: it does not receive the event' });
  } else {
    audience = requested;
  }
  const result = await ingestObjects(p, m.objects, {
    source: 'misp',
    actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
    defaultTlp: floor ?? m.tlp ?? 'GREEN',
    tlp: floor,
    audience,
    requestHash: requestHash(pr.person.id, input),
    auditAction: 'intel.misp_imported',
    auditDetails: { reportId: m.reportId, distribution: d, unmapped: unmapped.length },
  });
  return {
    ...submissionView(result),
    reportId: m.reportId,
    unmapped,
    notes: m.notes,
    marking: { tlp: floor ?? m.tlp ?? 'GREEN', audience },
  };
}

// ---------------------------------------------------------------------------------------------
// Vulnerabilities in

export async function importCsaf(p: Platform, actor: Actor, doc: unknown, q: { tlp?: Tlp; communities?: string[] }) {
  const pr = requireVetted(actor);
  const c = csafToStix(doc);
  const audience = audienceOf({ communities: q.communities ?? [] });
  await checkShareTarget(p, pr, audience);
  const floor = q.tlp ?? c.tlp ?? null;
  const result = await ingestObjects(p, c.objects, {
    source: 'csaf',
    actor: { personId: pr.person.id, organisationId: pr.organisation.id, viewer: pr.viewer },
    defaultTlp: floor ?? 'GREEN',
    tlp: q.tlp ?? null,
    audience,
    auditAction: 'intel.vulnerabilities_imported',
    auditDetails: { format: 'csaf', reportId: c.reportId },
  });
  return { ...submissionView(result), reportId: c.reportId, problems: c.problems };
}

/** The KEV catalogue is public reference content: the secretariat loads a newer one as CLEAR. */
export async function importKev(p: Platform, actor: Actor, catalog: unknown) {
  requireSecretariat(actor);
  const objects = kevToStix(catalog);
  return loadReference(p, actor, 'kev', objects, { auditDetails: { format: 'kev', objects: objects.length } });
}

export function requireSecretariat(actor: Pick<Actor, 'principal'>): Principal {
  return requireRole(actor, 'secretariat');
}

// ---------------------------------------------------------------------------------------------
// Reference content shipped with the product

export const ATTACK_ICS_FILE = path.join(here, 'reference', 'ics-attack.json');
export const KEV_FILE = path.join(here, 'reference', 'known_exploited_vulnerabilities.json');

/** MITRE ATT&CK (a STIX bundle) or a CISA KEV catalogue. */
export type Reference = 'attack' | 'kev';
export const REFERENCE_FILES: Record<Reference, string> = { attack: ATTACK_ICS_FILE, kev: KEV_FILE };

/** The STIX objects of a reference document; throws when a KEV catalogue is not one. */
export function referenceObjects(what: Reference, doc: unknown): unknown[] {
  return what === 'attack' ? ((doc as { objects?: unknown[] }).objects ?? []) : kevToStix(doc);
}

export interface ReferenceLoad {
  /** What the audit entry says of the load, beside the counts. */
  auditDetails: Record<string, unknown>;
  /** Record the load even when every object is refused (the CLI lists the refusals itself); otherwise BUNDLE_REJECTED. */
  keepWhenAllRejected?: boolean;
}

/**
 * Reference content enters as CLEAR platform content: no organisation owns it, so no
 * member can edit or delete it. Idempotent: a second load finds duplicates, a newer
 * catalogue adds new versions. Needs only the database, so the CLI calls it as well.
 */
export async function loadReference(p: Pick<Platform, 'db'>, actor: Actor, what: Reference, objects: unknown[], o: ReferenceLoad) {
  // Ingest sends no mail, so a bare transaction does what change() would.
  return p.db.transaction().execute((trx) =>
    ingestInTransaction(trx, objects, {
      source: what,
      actor: { personId: actor.principal?.person.id ?? null, organisationId: null, viewer: null },
      defaultTlp: 'CLEAR',
      tlp: 'CLEAR',
      audience: { organisations: [], communities: [], people: [] },
      batchSize: 2000,
      keepWhenAllRejected: o.keepWhenAllRejected,
      auditAction: what === 'attack' ? 'intel.reference_loaded' : 'intel.vulnerabilities_imported',
      auditDetails: o.auditDetails,
    }),
  );
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

/** ATT&CK for ICS, as shipped, on first start. */
export async function loadAttackReference(p: Pick<Platform, 'db'>, file = ATTACK_ICS_FILE) {
  return loadReference(p, systemActor(), 'attack', referenceObjects('attack', readJson(file)), { auditDetails: { reference: 'MITRE ATT&CK for ICS' } });
}

/** The KEV catalogue, as shipped, on first start. */
export async function loadKevReference(p: Pick<Platform, 'db'>, file = KEV_FILE) {
  const objects = referenceObjects('kev', readJson(file));
  return loadReference(p, systemActor(), 'kev', objects, { auditDetails: { format: 'kev', objects: objects.length } });
}

/** The TLP definitions and the anonymous identity (every start), then the shipped references once per database (first start); later loads are the CLI's or the secretariat's. */
export async function ensureReferenceContent(p: Platform) {
  await ensureReferenceMarkings(p);
  const done = await p.db.selectFrom('settings').select('value').where('key', '=', 'intel.reference_loaded').executeTakeFirst();
  if (done) return;
  await loadAttackReference(p);
  await loadKevReference(p);
  await p.db.insertInto('settings').values({ key: 'intel.reference_loaded', value: new Date().toISOString() }).onConflict((oc) => oc.column('key').doNothing()).execute();
}

// ---------------------------------------------------------------------------------------------
// Exports

export interface ExportQuery extends ListQuery {
  id?: string[];
}

const EXPORT_PAGE = 2000;

/** Every latest visible object matching the filters, page by page (newest first), from `after` (a decoded list cursor) on. */
async function* exportRows(p: Platform, viewer: Viewer, q: ExportQuery, max: number, start: string | null): AsyncGenerator<ObjectRow> {
  let after: string | null = start;
  let sent = 0;
  for (;;) {
    let query = applyFilters(visibleObjects(p.db, viewer).where(versionFilter(viewer, 'last', 'o')), q, viewer);
    if (q.id?.length) query = query.where('o.stix_id', 'in', q.id);
    if (after) query = query.where(sql<boolean>`o.seq < ${after}::bigint`);
    const rows = (await query.orderBy('o.seq', 'desc').limit(EXPORT_PAGE).execute()) as ObjectRow[];
    for (const r of rows) {
      if (sent++ >= max) return;
      yield r;
    }
    if (rows.length < EXPORT_PAGE) return;
    const last = rows[rows.length - 1]!;
    after = String(last.seq);
  }
}

const csvLine = (cells: readonly string[]) => cells.map(csvCell).join(',') + '\r\n';
const CSV_HEADER = ['id', 'type', 'name', 'tlp', 'version', 'created', 'added', 'organisation', 'country', 'pattern_or_value', 'labels', 'confidence', 'revoked'];

export async function exportObjects(p: Platform, actor: Actor, format: 'stix' | 'csv' | 'misp', q: ExportQuery) {
  const pr = requireVetted(actor);
  const viewer = pr.viewer;
  const secretariat = hasRole(pr, 'secretariat');
  const max = p.config.intelExportMaxObjects;
  // Decoded before anything is written: a bad cursor is a 400, not a stream cut short.
  const start = q.cursor ? decodeCursor(q.cursor) : null;
  await change(p, async (c) => {
    await c.audit({ action: 'export.performed', ...auditActor(actor), organisationId: pr.organisation.id, targetType: 'intel', details: { format, filters: q } });
  });
  if (format === 'misp') {
    const objects: StixObject[] = [];
    for await (const r of exportRows(p, viewer, q, max, start)) objects.push(JSON.parse(r.body) as StixObject);
    if (!objects.length) throw new AppError('NOT_FOUND', 'Nothing to export: no object matches', {});
    return { type: 'application/json', filename: 'puente-misp-event.json', body: JSON.stringify(stixToMispEvent(objects, { orgName: pr.organisation.name, orgUuid: pr.organisation.id })) };
  }
  if (format === 'csv') {
    async function* lines() {
      yield '\ufeff' + csvLine(CSV_HEADER);
      for await (const r of exportRows(p, viewer, q, max, start)) {
        const o = JSON.parse(r.body) as Record<string, unknown>;
        const value = typeof o.pattern === 'string' ? o.pattern : typeof o.value === 'string' ? o.value : '';
        yield csvLine([
          r.stix_id,
          r.stix_type,
          r.name ?? '',
          r.tlp,
          r.version,
          typeof o.created === 'string' ? o.created : '',
          r.added_at.toISOString(),
          revealsOrganisation(r, viewer, secretariat) ? (r.org_name ?? '') : '',
          revealsOrganisation(r, viewer, secretariat) ? (r.org_country ?? '') : '',
          value,
          Array.isArray(o.labels) ? o.labels.join('; ') : '',
          r.confidence === null ? '' : String(r.confidence),
          r.revoked ? 'true' : 'false',
        ]);
      }
    }
    return { type: 'text/csv; charset=utf-8', filename: 'puente-intel.csv', body: Readable.from(lines()) };
  }
  async function* bundle() {
    yield `{"type":"bundle","id":"bundle--${crypto.randomUUID()}","objects":[`;
    let first = true;
    for await (const r of exportRows(p, viewer, q, max, start)) {
      // The stored JSON text goes out as it came in: no re-serialisation.
      yield (first ? '' : ',') + r.body;
      first = false;
    }
    yield ']}';
  }
  return { type: 'application/stix+json;version=2.1', filename: 'puente-bundle.json', body: Readable.from(bundle()) };
}

// ---------------------------------------------------------------------------------------------
// MISP feed out

const FEED_REPORTS = 1000;
const NIL = '00000000-0000-0000-0000-000000000000';
const feedCache = new Map<string, { at: number; version: string; feed: ReturnType<typeof mispFeed> }>();

/**
 * A MISP feed of what this viewer may see: one event per visible report (the
 * latest 1,000), with the objects it refers to that the viewer may also see.
 * Built per viewer and kept up to one minute while the store does not change,
 * so a fetcher's manifest/hashes/event requests see one consistent feed — and
 * a deleted report is gone from the next request.
 */
export async function mispFeedFor(p: Platform, pr: Principal) {
  // Keyed by everything the policy reads of the viewer, so a changed membership never gets a feed built for the old one.
  const key = JSON.stringify([pr.viewer, hasRole(pr, 'secretariat')]);
  const version = await storeVersion(p.db);
  const hit = feedCache.get(key);
  if (hit && hit.version === version && Date.now() - hit.at < 60_000) return hit.feed;
  const viewer = pr.viewer;
  const reports = (await visibleObjects(p.db, viewer)
    .where('o.stix_type', '=', 'report')
    .where(versionFilter(viewer, 'last', 'o'))
    .orderBy('o.added_at', 'desc')
    .limit(FEED_REPORTS)
    .execute()) as ObjectRow[];
  const events: { Event: unknown }[] = [];
  for (const r of reports) {
    const report = JSON.parse(r.body) as StixObject;
    const refs = Array.isArray(report.object_refs) ? (report.object_refs as string[]).filter((x) => typeof x === 'string') : [];
    const members = refs.length
      ? ((await visibleObjects(p.db, viewer).where('o.stix_id', 'in', refs.slice(0, 10_000)).where(versionFilter(viewer, 'last', 'o')).execute()) as ObjectRow[])
      : [];
    const objects = [report, ...members.map((m) => JSON.parse(m.body) as StixObject)];
    const named = revealsOrganisation(r, viewer, hasRole(pr, 'secretariat'));
    events.push(stixToMispEvent(objects, { info: r.name ?? report.id, orgName: named ? (r.org_name ?? 'Puente') : 'Puente', orgUuid: named ? (r.author_org_id ?? NIL) : NIL }));
  }
  const feed = mispFeed(events);
  feedCache.set(key, { at: Date.now(), version, feed });
  if (feedCache.size > 500) feedCache.delete(feedCache.keys().next().value!);
  return feed;
}

