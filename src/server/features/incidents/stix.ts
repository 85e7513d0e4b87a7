import fs from 'node:fs';
import path from 'node:path';
import Ajv2020Import from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { v5 as uuidv5 } from 'uuid';
import {
  INCIDENT_CORE_EXTENSION_ID,
  INCIDENT_OUTCOMES,
  INCIDENT_STATUSES,
  NIS2_IMPACT_SEVERITIES,
  NIS2_OUTLOOKS,
  NIS2_ROOT_CAUSES,
  NIS2_SECTORS,
  NIS2_SUBSECTORS,
  NIS2_THREAT_SEVERITIES,
  RSIT_CLASSES,
  type IncidentInput,
  type IncidentOutcome,
  type IncidentStatus,
} from '#shared/incidents';
import { mostRestrictive } from '#shared/tlp';
import { ANONYMOUS, type Tlp } from '../../platform/access/policy.js';
import type { Actor } from '../../platform/actor.js';
import { requireVetted } from '../../platform/auth/principal.js';
import { change, type Platform } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { organisationIdentity, organisationIdentityId } from '../intel/identities.js';
import { PUENTE_IDENTITY } from '../intel/stix/puente-extension.js';
import { TLP2_IDS, TLP2_MARKING_DEFINITIONS, tlpOfObject } from '../intel/stix/tlp.js';
import { validateBundleShape, validateObject, type StixProblem } from '../intel/stix/validate.js';
import { existingAudience, incidentIdByStixId, linksOf, lockIncident, visibleIncident, visibleLinkedObjects } from './repository.js';
import { getIncident, insertIncident, keepInStore, patchIncident } from './service.js';
import { clean, CLEAR, CORE_SCHEMA, here, INCIDENT_CORE_DEFINITION, incidentObject, PUENTE_INCIDENT_EXTENSION, PUENTE_INCIDENT_EXTENSION_ID, PUENTE_INCIDENT_SCHEMA, RELATIONSHIP_NAMESPACE } from './stix-object.js';

export { INCIDENT_CORE_DEFINITION, PUENTE_INCIDENT_EXTENSION, PUENTE_INCIDENT_EXTENSION_ID } from './stix-object.js';

/**
 * Incident reports as STIX 2.1: an `incident` object with the OASIS Incident Core Extension
 * (determination, investigation status, types, criticality, external impacts, impacted entities),
 * the MISP taxonomies as machine-tag labels (`rsit:category="type"`, `nis2:…="…"`), the TLP 2.0
 * marking, translations as `language-content`, and what neither standard holds (NIS2's times and
 * fields, the audience, the exercise flag) in Puente's incident extension. A reader gets only the
 * linked objects they may see, each with its `relationship`.
 */

// ---------- validation of the extensions ----------

const Ajv2020 = ((Ajv2020Import as unknown as { default?: typeof Ajv2020Import }).default ?? Ajv2020Import) as typeof Ajv2020Import;
let validators: { core: ValidateFunction; puente: ValidateFunction } | null = null;
function extensionValidators() {
  if (validators) return validators;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // The core schema names the OASIS common schemas by their https addresses; the shipped copies say http.
  const common = path.join(here, '..', 'intel', 'stix', 'schemas', 'common');
  for (const name of ['identifier', 'timestamp']) {
    const s = JSON.parse(fs.readFileSync(path.join(common, `${name}.json`), 'utf8')) as Record<string, unknown>;
    ajv.addSchema({ ...s, $id: String(s.$id).replace(/^http:/, 'https:'), $schema: undefined });
  }
  const { $schema: _core, ...core } = CORE_SCHEMA;
  const { $schema: _puente, ...puente } = PUENTE_INCIDENT_SCHEMA;
  validators = { core: ajv.compile(core), puente: ajv.compile(puente) };
  return validators;
}

/** Problems of an incident's extensions against their schemas (the core extension is required). */
export function extensionProblems(obj: Record<string, unknown>): StixProblem[] {
  const id = typeof obj.id === 'string' ? obj.id : null;
  const out: StixProblem[] = [];
  const ext = (obj.extensions ?? {}) as Record<string, unknown>;
  const v = extensionValidators();
  const check = (key: string, fn: ValidateFunction, required: boolean) => {
    if (ext[key] === undefined) {
      if (required) out.push({ id, type: 'incident', property: `extensions.${key}`, rule: 'extension', message: 'an incident needs the Incident Core Extension' });
      return;
    }
    if (!fn(ext[key])) for (const e of fn.errors ?? []) out.push({ id, type: 'incident', property: `extensions.${key}${e.instancePath.replace(/\//g, '.')}`, rule: 'extension-schema', message: e.message ?? 'invalid' });
  };
  check(INCIDENT_CORE_EXTENSION_ID, v.core, true);
  check(PUENTE_INCIDENT_EXTENSION_ID, v.puente, false);
  return out;
}

/** The report as a STIX 2.1 bundle, with the linked objects the reader may see. 404 when the report is not visible. */
export async function incidentBundle(p: Platform, actor: Actor, id: string) {
  const viewer = actor.principal?.viewer ?? ANONYMOUS;
  const r = await visibleIncident(p.db, viewer, id);
  if (!r) throw new AppError('NOT_FOUND', 'Incident not found');
  const links = await linksOf(p.db, r.id);
  const objects = await visibleLinkedObjects(p.db, viewer, links.map((l) => l.stix_id));
  const reporter = organisationIdentityId(r.author_org_id!);
  const modified = (r.updated_at > r.created_at ? r.updated_at : r.created_at).toISOString();
  const tlp = r.tlp as Tlp;
  const incident = incidentObject(r);
  const translations = Object.entries((typeof r.translations === 'string' ? JSON.parse(r.translations) : r.translations ?? {}) as Record<string, { fields: { title?: string; description?: string } }>);
  const languageContent = translations.length
    ? [
        {
          type: 'language-content',
          spec_version: '2.1',
          id: `language-content--${uuidv5(`${r.stix_id}:${modified}`, RELATIONSHIP_NAMESPACE)}`,
          created: modified,
          modified,
          created_by_ref: reporter,
          object_ref: r.stix_id,
          object_modified: modified,
          contents: Object.fromEntries(translations.map(([lang, t]) => [lang, clean({ name: t.fields.title, description: t.fields.description || undefined })])),
          object_marking_refs: [TLP2_IDS[tlp]],
        },
      ]
    : [];
  const related = objects.map((o) => JSON.parse(o.body) as Record<string, unknown>);
  const relationships = links.flatMap((l) => {
    const o = objects.find((x) => x.stix_id === l.stix_id);
    if (!o) return [];
    const at = l.created_at.toISOString();
    return [
      {
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--${uuidv5(`${r.stix_id}|${l.stix_id}|${l.relationship}`, RELATIONSHIP_NAMESPACE)}`,
        created: at,
        modified: at,
        created_by_ref: organisationIdentityId(r.owner_org_id),
        relationship_type: l.relationship,
        source_ref: r.stix_id,
        target_ref: l.stix_id,
        // It tells of both ends: marked as the narrower of the two.
        object_marking_refs: [TLP2_IDS[mostRestrictive(tlp, o.tlp as Tlp)]],
      },
    ];
  });
  const identities = await Promise.all([...new Set([r.author_org_id!, r.owner_org_id])].map((o) => organisationIdentity(p.db, o)));
  const used = new Set<string>([CLEAR, TLP2_IDS[tlp], ...related.flatMap((o) => (Array.isArray(o.object_marking_refs) ? (o.object_marking_refs as string[]) : [])), ...relationships.flatMap((x) => x.object_marking_refs)]);
  return {
    type: 'bundle' as const,
    id: `bundle--${crypto.randomUUID()}`,
    objects: <Record<string, unknown>[]>[
      incident,
      ...languageContent,
      ...relationships,
      ...related,
      ...identities,
      INCIDENT_CORE_DEFINITION,
      PUENTE_INCIDENT_EXTENSION,
      PUENTE_IDENTITY,
      ...TLP2_MARKING_DEFINITIONS.filter((m) => used.has(String(m.id))),
    ],
  };
}

// ---------- import ----------

const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined => (typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined);
const tagValues = (labels: string[], tag: string) =>
  labels.flatMap((l) => {
    const m = new RegExp(`^${tag.replace(/[-:]/g, (c) => `\\${c}`)}="([^"]+)"$`).exec(l);
    return m ? [m[1]!] : [];
  });

/** What a STIX incident says, as the fields of a report: Puente's extension first, then the core extension and the machine tags. */
export function incidentFromStix(obj: Record<string, unknown>, contents: Record<string, { name?: string; description?: string }>) {
  const ext = (obj.extensions ?? {}) as Record<string, Record<string, unknown>>;
  const core = ext[INCIDENT_CORE_EXTENSION_ID] ?? {};
  const pu = ext[PUENTE_INCIDENT_EXTENSION_ID] ?? {};
  const labels = Array.isArray(obj.labels) ? (obj.labels as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  const rsitTag = labels.map((l) => /^rsit:([a-z-]+)="([a-z-]+)"$/.exec(l)).find(Boolean);
  const types = Array.isArray(core.incident_types) ? (core.incident_types as unknown[]) : [];
  const rsitClass =
    oneOf(pu.rsit_class, RSIT_CLASSES) ?? (rsitTag ? oneOf(`${rsitTag[1]}/${rsitTag[2]}`, RSIT_CLASSES) : undefined) ?? types.map((t) => oneOf(t, RSIT_CLASSES)).find(Boolean) ?? 'other/undetermined';
  const list = (v: unknown, tag: string, allowed: readonly string[]) => (Array.isArray(v) ? (v as string[]) : tagValues(labels, tag)).filter((x) => allowed.includes(x));
  const impacts = Array.isArray(core.external_impacts) ? (core.external_impacts as { labels?: string[] }[]) : [];
  const countries = Array.isArray(pu.countries)
    ? (pu.countries as string[])
    : impacts.flatMap((i) => (i.labels ?? []).flatMap((l) => (/^country:([A-Z]{2})$/.exec(l) ? [l.slice(8)] : [])));
  const counts = (core.impacted_entity_counts ?? {}) as Record<string, unknown>;
  const usersAffected = typeof pu.users_affected === 'number' ? pu.users_affected : typeof counts.individuals === 'number' ? counts.individuals : null;
  const status = oneOf<IncidentStatus>(pu.status, INCIDENT_STATUSES) ?? oneOf<IncidentStatus>(core.investigation_status, INCIDENT_STATUSES) ?? 'new';
  const outcome = oneOf<IncidentOutcome>(pu.outcome, INCIDENT_OUTCOMES) ?? (status === 'closed' ? oneOf<IncidentOutcome>(core.determination, INCIDENT_OUTCOMES) ?? 'suspected' : undefined);
  const tlp = tlpOfObject(obj) ?? 'AMBER';
  const audience = (pu.audience ?? {}) as { organisations?: string[]; communities?: string[]; people?: string[] };
  const input: IncidentInput = {
    title: String(obj.name ?? '').slice(0, 300) || String(obj.id),
    description: typeof obj.description === 'string' ? obj.description : '',
    language: typeof obj.lang === 'string' ? obj.lang : 'en',
    rsitClass,
    rootCause: oneOf(pu.root_cause, NIS2_ROOT_CAUSES) ?? oneOf(tagValues(labels, 'nis2:nature-root-cause')[0], NIS2_ROOT_CAUSES) ?? null,
    threatSeverity: oneOf(pu.threat_severity, NIS2_THREAT_SEVERITIES) ?? oneOf(tagValues(labels, 'nis2:nature-severity')[0], NIS2_THREAT_SEVERITIES) ?? null,
    impactSeverity: oneOf(pu.impact_severity, NIS2_IMPACT_SEVERITIES) ?? oneOf(tagValues(labels, 'nis2:impact-severity')[0], NIS2_IMPACT_SEVERITIES) ?? null,
    impactOutlook: oneOf(pu.impact_outlook, NIS2_OUTLOOKS) ?? oneOf(tagValues(labels, 'nis2:impact-outlook')[0], NIS2_OUTLOOKS) ?? null,
    sectors: list(pu.sectors, 'nis2:impact-sectors-impacted', NIS2_SECTORS),
    subsectors: list(pu.subsectors, 'nis2:impact-subsectors-impacted', NIS2_SUBSECTORS),
    countries: [...new Set(countries)],
    crossBorder: typeof pu.cross_border === 'boolean' ? pu.cross_border : impacts.some((i) => (i as { impact_type?: string }).impact_type === 'cross-border'),
    usersAffected,
    startedAt: typeof pu.started_at === 'string' ? pu.started_at : null,
    endedAt: typeof pu.ended_at === 'string' ? pu.ended_at : null,
    awareAt: typeof pu.aware_at === 'string' ? pu.aware_at : String(obj.created),
    exercise: pu.exercise === true || labels.includes('exercise'),
    tlp,
    pap: oneOf(pu.pap, ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const) ?? 'AMBER',
    audience: { organisations: audience.organisations ?? [], communities: audience.communities ?? [], people: audience.people ?? [] },
  };
  const closedAt = typeof pu.closed_at === 'string' ? pu.closed_at : null;
  return { input, status, outcome: outcome ?? null, closedAt, translations: contents };
}

const rejected = (problems: StixProblem[]) => new AppError('BUNDLE_REJECTED', 'Nothing was imported: the bundle has problems', { problems: problems.slice(0, 200) });

/**
 * Import a bundle of incidents (with the Incident Core Extension): each creates a report of the
 * importer's organisation, or updates the one with its STIX id when the importer's organisation owns
 * it; all or nothing. Relationships from an incident to objects the importer may see in the store
 * become links; other objects of the bundle are left to the intel upload (the answer lists them).
 */
export async function importIncidents(p: Platform, actor: Actor, bundle: unknown) {
  const pr = requireVetted(actor);
  const shape = validateBundleShape(bundle);
  if (shape.length) throw rejected(shape);
  const objects = ((bundle as { objects?: unknown[] }).objects ?? []).filter((o): o is Record<string, unknown> => !!o && typeof o === 'object');
  const incidents = objects.filter((o) => o.type === 'incident');
  if (!incidents.length) throw rejected([{ id: null, type: 'bundle', property: 'objects', rule: 'incident', message: 'the bundle holds no incident' }]);
  const problems = incidents.flatMap((o) => [...validateObject(o), ...extensionProblems(o)]);
  if (problems.length) throw rejected(problems);
  const contentsOf = (id: string) =>
    Object.assign({}, ...objects.filter((o) => o.type === 'language-content' && o.object_ref === id).map((o) => (o.contents ?? {}) as Record<string, { name?: string; description?: string }>)) as Record<
      string,
      { name?: string; description?: string }
    >;
  const parsed = incidents.map((o) => ({ stixId: String(o.id), ...incidentFromStix(o, contentsOf(String(o.id))) }));
  const linkable = objects.filter((o) => o.type === 'relationship' && typeof o.source_ref === 'string' && parsed.some((x) => x.stixId === o.source_ref));
  const seen = new Set((await visibleLinkedObjects(p.db, pr.viewer, linkable.map((o) => String(o.target_ref)))).map((o) => o.stix_id));
  const result = { created: [] as string[], updated: [] as string[], links: 0, skipped: [] as string[] };
  await change(p, async (c) => {
    for (const x of parsed) {
      // Ids from another installation name nobody here: only what exists is kept.
      x.input.audience = await existingAudience(c.trx, x.input.audience as { organisations: string[]; communities: string[]; people: string[] });
      const existing = await incidentIdByStixId(c.trx, x.stixId);
      let id: string;
      if (existing) {
        const mine = await visibleIncident(c.trx, pr.viewer, existing.id);
        if (!mine) throw new AppError('ALREADY_EXISTS', `${x.stixId} is held here by an organisation whose report you cannot see`, { stixId: x.stixId });
        if (mine.owner_org_id !== pr.organisation.id) throw new AppError('FORBIDDEN', `${x.stixId} is handled by another organisation: only it updates the report`, { stixId: x.stixId });
        const { exercise: _exercise, ...patch } = x.input;
        await patchIncident(p, c, actor, pr, existing.id, patch, { auditAction: 'incident.imported', store: false });
        id = existing.id;
        result.updated.push(id);
      } else {
        id = await insertIncident(p, c, actor, pr, x.input, { stixId: x.stixId, auditAction: 'incident.imported', store: false });
        result.created.push(id);
      }
      // Where it is in its life, as the exporter recorded it: a fact to keep, not a move to check.
      const r = await lockIncident(c.trx, id);
      if (r.status !== x.status || (r.outcome ?? null) !== x.outcome) {
        const closed = x.status === 'closed';
        await c.trx
          .updateTable('incident_reports')
          .set({ status: x.status, outcome: closed ? (x.outcome ?? 'suspected') : null, closed_at: closed ? (x.closedAt ?? new Date()) : null, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
      }
      const translations = Object.fromEntries(
        Object.entries(x.translations)
          .filter(([lang, t]) => typeof t?.name === 'string' && t.name && lang !== x.input.language)
          .map(([lang, t]) => [lang, { fields: { title: t.name!, description: t.description ?? '' }, basedOn: r.source_rev, machine: false, at: new Date().toISOString(), by: pr.person.id }]),
      );
      if (Object.keys(translations).length) await c.trx.updateTable('incident_reports').set({ translations: JSON.stringify(translations) }).where('id', '=', id).execute();
      await keepInStore(c, pr, id);
      for (const rel of linkable.filter((o) => o.source_ref === x.stixId)) {
        const target = String(rel.target_ref);
        if (!seen.has(target)) {
          result.skipped.push(target);
          continue;
        }
        const type = typeof rel.relationship_type === 'string' && /^[a-z0-9-]{1,64}$/.test(rel.relationship_type) ? rel.relationship_type : 'related-to';
        const res = await c.trx
          .insertInto('incident_links')
          .values({ incident_id: id, stix_id: target, relationship: type, created_by: pr.person.id })
          .onConflict((oc) => oc.columns(['incident_id', 'stix_id']).doNothing())
          .executeTakeFirst();
        result.links += Number(res.numInsertedOrUpdatedRows ?? 0);
      }
    }
  });
  return { ...result, incidents: await Promise.all([...result.created, ...result.updated].map((id) => getIncident(p, actor, id))) };
}
