import { sql } from 'kysely';
import type { Platform } from '../../platform/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Viewer } from '../../platform/access/policy.js';
import { affectsUsCounts, versionFilter, visibleObjects, type ObjectRow } from './repository.js';
import { vulnerabilityFacts } from './vulnerabilities/kev.js';
import { cvssScores, cwes, type Cwe } from './vulnerabilities/scores.js';
import { getObjectRow } from './service.js';
import { sightingsOf } from './sightings.js';
import { likeContains } from '../../platform/sql.js';
import { PUENTE_EXTENSION_ID } from './stix/puente-extension.js';

/** The cursor is an offset this server gave; anything else (negative, huge, not a number) is the client's mistake, not a database error. */
function decodeOffset(cursor: string): number {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,9}$/.test(raw)) throw new AppError('VALIDATION_FAILED', 'Unknown cursor', { field: 'cursor' });
  return Number(raw);
}

/** Vulnerabilities the viewer may see, with KEV/CSAF facts and how many visible "affects us" reports they have. */
export async function listVulnerabilities(p: Platform, viewer: Viewer, q: { q?: string; kev?: boolean; ransomware?: boolean; cursor?: string; limit?: number }) {
  const limit = Math.min(q.limit ?? 50, 200);
  let query = visibleObjects(p.db, viewer).where('o.stix_type', '=', 'vulnerability').where(versionFilter(viewer, 'last', 'o'));
  if (q.q?.trim()) query = query.where(sql<boolean>`(o.search @@ websearch_to_tsquery('simple', ${q.q.trim()}) OR o.name ILIKE ${likeContains(q.q.trim())})`);
  // The KEV facts: in the Puente extension, or as x_puente_kev on objects stored before it.
  const kev = sql`coalesce(o.body::jsonb->'extensions'->${PUENTE_EXTENSION_ID}->'kev', o.body::jsonb->'x_puente_kev')`;
  if (q.kev) query = query.where(sql<boolean>`${kev} IS NOT NULL`);
  if (q.ransomware) query = query.where(sql<boolean>`${kev}->>'known_ransomware_campaign_use' = 'Known'`);
  const offset = q.cursor ? decodeOffset(q.cursor) : 0;
  // An exact CVE match first, then the newest CVE ids.
  if (q.q?.trim()) query = query.orderBy(sql`(upper(o.name) = upper(${q.q.trim()}))`, 'desc');
  const rows = (await query.orderBy('o.name', 'desc').orderBy('o.seq', 'asc').offset(offset).limit(limit + 1).execute()) as ObjectRow[];
  const page = rows.slice(0, limit);
  const affects = await affectsUsOf(p, viewer, page.map((r) => r.stix_id));
  return {
    items: page.map((r) => vulnerabilityItem(r, affects.get(r.stix_id))),
    nextCursor: rows.length > limit ? Buffer.from(String(offset + limit)).toString('base64url') : null,
  };
}

function vulnerabilityItem(r: ObjectRow, a: { organisations: number; mine: boolean } | undefined) {
  const f = vulnerabilityFacts(JSON.parse(r.body) as Record<string, unknown>);
  return {
    id: r.stix_id,
    name: r.name,
    tlp: r.tlp,
    cve: f.cve,
    kev: f.kev
      ? {
          dateAdded: f.kev.date_added,
          dueDate: f.kev.due_date,
          knownRansomwareCampaignUse: f.kev.known_ransomware_campaign_use,
          vendorProject: f.kev.vendor_project,
          product: f.kev.product,
          requiredAction: f.kev.required_action,
        }
      : null,
    csaf: f.csaf ? { publisher: f.csaf.publisher, trackingId: f.csaf.tracking_id } : null,
    affectedProducts: f.affectedProducts.slice(0, 200),
    affectsUs: a ?? { organisations: 0, mine: false },
  };
}

async function affectsUsOf(p: Platform, viewer: Viewer, ids: string[]) {
  const out = new Map<string, { organisations: number; mine: boolean }>();
  if (!ids.length) return out;
  const rows = await affectsUsCounts(p.db, viewer, ids);
  for (const r of rows) out.set(r.sighting_of, { organisations: Number(r.orgs), mine: !!r.mine });
  return out;
}

export async function getVulnerability(p: Platform, viewer: Viewer, stixId: string, isSecretariat = false) {
  const row = await getObjectRow(p, viewer, stixId);
  if (row.stix_type !== 'vulnerability') {
    throw notFound('Vulnerability');
  }
  const f = vulnerabilityFacts(JSON.parse(row.body) as Record<string, unknown>);
  const affects = await affectsUsOf(p, viewer, [stixId]);
  // KEV, each CSAF publisher and members may each hold the same CVE as their own object: link the ones this viewer may see.
  const same = f.cve
    ? ((await visibleObjects(p.db, viewer)
        .where('o.stix_type', '=', 'vulnerability')
        .where('o.name', '=', f.cve)
        .where('o.stix_id', '!=', stixId)
        .where(versionFilter(viewer, 'last', 'o'))
        .limit(50)
        .execute()) as ObjectRow[])
    : [];
  // CVSS and CWE: this object's own, then those of the other objects of the same CVE the viewer may see
  // (a KEV entry has no score, a CSAF advisory of its CVE may), each score saying where it comes from.
  const sources = [row, ...same].map((r) => ({ r, obj: JSON.parse(r.body) as Record<string, unknown> }));
  const cvss = sources.flatMap(({ r, obj }) => {
    const g = vulnerabilityFacts(obj);
    return cvssScores(obj).map((c) => ({ ...c, source: { id: r.stix_id, publisher: g.csaf?.publisher ?? null } }));
  });
  const weaknesses = new Map<string, Cwe>();
  for (const { obj } of sources) for (const c of cwes(obj)) if (!weaknesses.get(c.id)?.name) weaknesses.set(c.id, c);
  return {
    ...vulnerabilityItem(row, affects.get(stixId)),
    affectedProducts: f.affectedProducts,
    cvss,
    cwes: [...weaknesses.values()].sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4))),
    facts: f,
    sameCve: same.map((r) => {
      const g = vulnerabilityFacts(JSON.parse(r.body) as Record<string, unknown>);
      return { id: r.stix_id, tlp: r.tlp, kev: g.kev !== null, csaf: g.csaf ? { publisher: g.csaf.publisher, trackingId: g.csaf.tracking_id } : null, affectedProducts: g.affectedProducts.slice(0, 200) };
    }),
    sightings: await sightingsOf(p, viewer, isSecretariat, stixId),
    object: JSON.parse(row.body) as Record<string, unknown>,
  };
}

const extId = (o: Record<string, unknown>) => {
  const refs = Array.isArray(o.external_references) ? (o.external_references as Record<string, unknown>[]) : [];
  const r = refs.find((x) => typeof x?.external_id === 'string' && String(x.source_name ?? '').startsWith('mitre'));
  return r ? String(r.external_id) : null;
};

/** ATT&CK (for ICS and any other matrix in the store) as tactics with their techniques, mitigations and assets. */
export async function attackMatrix(p: Platform, viewer: Viewer) {
  const rows = (await visibleObjects(p.db, viewer)
    .where('o.stix_type', 'in', ['x-mitre-tactic', 'attack-pattern', 'course-of-action', 'x-mitre-asset', 'x-mitre-matrix'])
    .where(versionFilter(viewer, 'last', 'o'))
    .where('o.revoked', '=', false)
    .execute()) as ObjectRow[];
  const objs = rows.map((r) => JSON.parse(r.body) as Record<string, unknown>).filter((o) => o.x_mitre_deprecated !== true);
  const tactics = objs.filter((o) => o.type === 'x-mitre-tactic');
  const matrix = objs.find((o) => o.type === 'x-mitre-matrix');
  const order = Array.isArray(matrix?.tactic_refs) ? (matrix!.tactic_refs as string[]) : tactics.map((t) => t.id as string);
  const techniques = objs.filter((o) => o.type === 'attack-pattern');
  const byShortname = new Map<string, { id: string; externalId: string | null; name: string }[]>();
  for (const t of techniques) {
    const phases = Array.isArray(t.kill_chain_phases) ? (t.kill_chain_phases as { phase_name?: string }[]) : [];
    for (const ph of phases) {
      if (!ph.phase_name) continue;
      const list = byShortname.get(ph.phase_name) ?? [];
      list.push({ id: t.id as string, externalId: extId(t), name: String(t.name ?? '') });
      byShortname.set(ph.phase_name, list);
    }
  }
  const sortByExt = <T extends { externalId: string | null; name: string }>(a: T, b: T) => (a.externalId ?? a.name).localeCompare(b.externalId ?? b.name);
  return {
    tactics: tactics
      .sort((a, b) => order.indexOf(a.id as string) - order.indexOf(b.id as string))
      .map((t) => ({
        id: t.id as string,
        externalId: extId(t),
        name: String(t.name ?? ''),
        shortname: String(t.x_mitre_shortname ?? ''),
        techniques: (byShortname.get(String(t.x_mitre_shortname ?? '')) ?? []).sort(sortByExt),
      })),
    mitigations: objs
      .filter((o) => o.type === 'course-of-action')
      .map((o) => ({ id: o.id as string, externalId: extId(o), name: String(o.name ?? '') }))
      .sort(sortByExt),
    assets: objs
      .filter((o) => o.type === 'x-mitre-asset')
      .map((o) => ({ id: o.id as string, externalId: extId(o), name: String(o.name ?? '') }))
      .sort(sortByExt),
  };
}
