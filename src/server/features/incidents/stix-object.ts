import fs from 'node:fs';
import path from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { INCIDENT_CORE_EXTENSION_ID, INCIDENT_OUTCOMES, INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES } from '#shared/incidents';
import type { Tlp } from '../../platform/access/policy.js';
import { organisationIdentityId } from '../intel/identities.js';
import { PUENTE_IDENTITY_ID } from '../intel/stix/puente-extension.js';
import { TLP2_IDS } from '../intel/stix/tlp.js';

/**
 * The STIX `incident` object of a report, as the export writes it and the STIX store keeps it
 * (stix.ts writes the bundle around it; service.ts stores it on every write so that it travels
 * over TAXII like all intel).
 */

export const here = path.dirname(new URL(import.meta.url).pathname);
export const CORE_SCHEMA = JSON.parse(fs.readFileSync(path.join(here, 'stix', 'incident-core.schema.json'), 'utf8')) as Record<string, unknown>;
/** The extension-definition object as OASIS publishes it (a bundle of one). */
export const INCIDENT_CORE_DEFINITION = (JSON.parse(fs.readFileSync(path.join(here, 'stix', `${INCIDENT_CORE_EXTENSION_ID}.json`), 'utf8')) as { objects: Record<string, unknown>[] }).objects[0]!;

/** UUIDv5 of "puente-incident-v1" in the namespace of Puente's extension (src/shared/puente-extension.ts). */
export const PUENTE_INCIDENT_EXTENSION_ID = `extension-definition--${uuidv5('puente-incident-v1', '7d6a9e0b-6b0e-4f4e-9a53-2d9c1c8f3a10')}`;
const PUBLISHED = '2026-12-07T00:00:00.000Z';
export const CLEAR = TLP2_IDS.CLEAR;
export const RELATIONSHIP_NAMESPACE = 'a3f1f1d2-52c4-4d0e-8b1f-6f1c3e2b9d47';

export const PUENTE_INCIDENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Puente incident properties',
  type: 'object',
  properties: {
    extension_type: { const: 'property-extension' },
    rsit_class: { type: 'string', description: 'RSIT category/type (MISP taxonomy rsit)' },
    root_cause: { type: 'string' },
    threat_severity: { type: 'string' },
    impact_severity: { type: 'string', enum: [...NIS2_IMPACT_SEVERITIES] },
    impact_outlook: { type: 'string' },
    sectors: { type: 'array', items: { type: 'string' } },
    subsectors: { type: 'array', items: { type: 'string' } },
    countries: { type: 'array', items: { type: 'string', pattern: '^[A-Z]{2}$' } },
    cross_border: { type: 'boolean' },
    users_affected: { type: 'integer', minimum: 0 },
    started_at: { type: 'string', format: 'date-time' },
    ended_at: { type: 'string', format: 'date-time' },
    aware_at: { type: 'string', format: 'date-time', description: 'When the reporting organisation became aware: NIS2 clocks run from here' },
    closed_at: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: [...INCIDENT_STATUSES] },
    outcome: { type: 'string', enum: [...INCIDENT_OUTCOMES] },
    exercise: { type: 'boolean', description: 'Reported inside a table-top exercise' },
    pap: { type: 'string', enum: ['CLEAR', 'GREEN', 'AMBER', 'RED'] },
    owner_ref: { type: 'string', description: 'The identity of the organisation handling it now' },
    audience: {
      type: 'object',
      description: 'Who the TLP:AMBER, AMBER+STRICT or RED marking reaches on the Puente installation that wrote it (ids of its organisations, communities and people)',
      properties: { organisations: { type: 'array', items: { type: 'string' } }, communities: { type: 'array', items: { type: 'string' } }, people: { type: 'array', items: { type: 'string' } } },
    },
  },
  required: ['extension_type', 'aware_at'],
  additionalProperties: false,
};

export const PUENTE_INCIDENT_EXTENSION: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'extension-definition',
  spec_version: '2.1',
  id: PUENTE_INCIDENT_EXTENSION_ID,
  created: PUBLISHED,
  modified: PUBLISHED,
  created_by_ref: PUENTE_IDENTITY_ID,
  name: 'Puente incident properties',
  description: 'What Puente keeps on an incident report that the Incident Core Extension has no property for: the NIS2 fields and times, the RSIT class, the lifecycle, the exercise flag and the audience of its marking.',
  schema: JSON.stringify(PUENTE_INCIDENT_SCHEMA),
  version: '1.0.0',
  extension_types: ['property-extension'],
  object_marking_refs: [CLEAR],
});

const CRITICALITY: Record<string, number> = { red: 90, yellow: 60, green: 30, white: 10 };
const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
/** Without the properties that say nothing: STIX lists are never empty (the OASIS schemas refuse []). */
export const clean = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as T;

/** The report's taxonomy values as MISP machine tags. */
export function machineTags(r: { rsit_class: string; impact_severity: string | null; impact_outlook: string | null; root_cause: string | null; threat_severity: string | null; sectors: string[]; subsectors: string[] }) {
  const [category, type] = r.rsit_class.split('/');
  return [
    `rsit:${category}="${type}"`,
    ...(r.impact_severity ? [`nis2:impact-severity="${r.impact_severity}"`] : []),
    ...r.sectors.map((s) => `nis2:impact-sectors-impacted="${s}"`),
    ...r.subsectors.map((s) => `nis2:impact-subsectors-impacted="${s}"`),
    ...(r.impact_outlook ? [`nis2:impact-outlook="${r.impact_outlook}"`] : []),
    ...(r.root_cause ? [`nis2:nature-root-cause="${r.root_cause}"`] : []),
    ...(r.threat_severity ? [`nis2:nature-severity="${r.threat_severity}"`] : []),
  ];
}


/** The columns of a report the STIX object is written from (a row of the repository). */
export interface IncidentStixRow {
  stix_id: string;
  title: string;
  description: string;
  language: string;
  rsit_class: string;
  root_cause: string | null;
  threat_severity: string | null;
  impact_severity: string | null;
  impact_outlook: string | null;
  sectors: string[];
  subsectors: string[];
  countries: string[];
  cross_border: boolean;
  users_affected: string | number | null;
  started_at: Date | null;
  ended_at: Date | null;
  aware_at: Date;
  closed_at: Date | null;
  status: string;
  outcome: string | null;
  exercise: boolean;
  tlp: string;
  pap: string;
  author_org_id: string | null;
  owner_org_id: string;
  audience_organisations: string[];
  audience_communities: string[];
  audience_people: string[];
  created_at: Date;
  updated_at: Date;
}

/** The `incident` object of a report: the Incident Core Extension, the machine tags, the marking, Puente's extension. */
export function incidentObject(r: IncidentStixRow): Record<string, unknown> {
  const reporter = organisationIdentityId(r.author_org_id!);
  const created = r.created_at.toISOString();
  const modified = (r.updated_at > r.created_at ? r.updated_at : r.created_at).toISOString();
  const tlp = r.tlp as Tlp;
  const incident = {
    type: 'incident',
    spec_version: '2.1',
    id: r.stix_id,
    created,
    modified,
    created_by_ref: reporter,
    name: r.title,
    ...(r.description ? { description: r.description } : {}),
    lang: r.language,
    labels: [...machineTags(r), ...(r.exercise ? ['exercise'] : [])],
    object_marking_refs: [TLP2_IDS[tlp]],
    extensions: {
      [INCIDENT_CORE_EXTENSION_ID]: clean({
        extension_type: 'property-extension',
        // Open reports are still suspected: STIX's determination is how it ended.
        determination: (r.outcome ?? 'suspected') as string,
        investigation_status: r.status,
        incident_types: [r.rsit_class],
        criticality: r.impact_severity ? CRITICALITY[r.impact_severity] : undefined,
        external_impacts: r.countries.length
          ? [{ impact_type: r.cross_border ? 'cross-border' : 'national', labels: r.countries.map((c) => `country:${c}`), description: `Countries affected: ${r.countries.join(', ')}` }]
          : undefined,
        impacted_entity_counts: r.users_affected !== null ? { individuals: Number(r.users_affected) } : undefined,
      }),
      [PUENTE_INCIDENT_EXTENSION_ID]: clean({
        extension_type: 'property-extension',
        rsit_class: r.rsit_class,
        root_cause: r.root_cause,
        threat_severity: r.threat_severity,
        impact_severity: r.impact_severity,
        impact_outlook: r.impact_outlook,
        sectors: r.sectors,
        subsectors: r.subsectors,
        countries: r.countries,
        cross_border: r.cross_border,
        users_affected: r.users_affected !== null ? Number(r.users_affected) : undefined,
        started_at: iso(r.started_at),
        ended_at: iso(r.ended_at),
        aware_at: r.aware_at.toISOString(),
        closed_at: iso(r.closed_at),
        status: r.status,
        outcome: r.outcome,
        exercise: r.exercise,
        pap: r.pap,
        owner_ref: organisationIdentityId(r.owner_org_id),
        audience:
          r.audience_organisations.length + r.audience_communities.length + r.audience_people.length
            ? clean({ organisations: r.audience_organisations, communities: r.audience_communities, people: r.audience_people })
            : undefined,
      }),
    },
  };
  return incident;
}
