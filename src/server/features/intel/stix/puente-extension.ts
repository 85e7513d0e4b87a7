import type { StixObject } from './types.js';
import { PUENTE_EXTENSION_ID, PUENTE_IDENTITY_ID, type PuenteProps } from '#shared/puente-extension';

/**
 * Puente's own properties on the STIX objects it writes (what a KEV entry, a CSAF
 * advisory or a MISP event said that STIX has no property for; the country and sector
 * of a sighting) travel in one published property-extension (STIX 2.1 §7.3), as the
 * OASIS validator recommends, instead of loose x_ properties. Its definition and the
 * identity that publishes it are reference content, CLEAR, in every store.
 *
 * Objects stored before the extension carry the same facts as x_puente_* properties:
 * readers take either (puenteProps).
 */

const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const PUBLISHED = '2026-12-06T00:00:00.000Z';

export { PUENTE_EXTENSION_ID, PUENTE_IDENTITY_ID, puenteProps, type PuenteProps } from '#shared/puente-extension';

/** The platform itself as a STIX identity: who publishes the extension. */
export const PUENTE_IDENTITY: Readonly<StixObject> = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: PUENTE_IDENTITY_ID,
  created: PUBLISHED,
  modified: PUBLISHED,
  name: 'Puente — EU-LAC Digital Alliance Cyber Collaboration Platform',
  identity_class: 'system',
  object_marking_refs: [CLEAR],
});

/** The properties, as a JSON Schema (the extension's normative definition, given as text). */
const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Puente properties',
  type: 'object',
  properties: {
    extension_type: { const: 'property-extension' },
    kev: { type: 'object', description: 'The CISA Known Exploited Vulnerabilities catalogue entry of a vulnerability: dates, required action, due date, ransomware use, CWEs' },
    csaf: { type: 'object', description: 'What a CSAF 2.0 advisory says of a vulnerability (product status, CVSS, remediations) or of itself (publisher, tracking)' },
    csaf_publisher: { type: 'object', description: 'A CSAF publisher: namespace and category' },
    misp: { type: 'object', description: 'The MISP event, attribute or object an object was imported from (uuid, type, category, comment), so an export can give it back' },
    country: { type: 'string', pattern: '^[A-Z]{2}$|^INT$', description: 'ISO 3166-1 alpha-2 country a sighting was seen in, or of an organisation' },
    sector: { type: 'string', description: 'NIS2 sector a sighting was seen in' },
  },
  required: ['extension_type'],
  additionalProperties: false,
};

export const PUENTE_EXTENSION: Readonly<StixObject> = Object.freeze({
  type: 'extension-definition',
  spec_version: '2.1',
  id: PUENTE_EXTENSION_ID,
  created: PUBLISHED,
  modified: PUBLISHED,
  created_by_ref: PUENTE_IDENTITY_ID,
  name: 'Puente properties',
  description: 'Facts Puente keeps on the objects it writes that STIX 2.1 has no property for: KEV and CSAF details of vulnerabilities, the MISP origin of imported objects, the country and sector of sightings.',
  schema: JSON.stringify(SCHEMA),
  version: '1.0.0',
  extension_types: ['property-extension'],
  object_marking_refs: [CLEAR],
});

/** The extension's properties to spread into an object being written (nothing when there are none). */
export function withPuente(props: PuenteProps): { extensions?: Record<string, Record<string, unknown>> } {
  const set = Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
  return Object.keys(set).length ? { extensions: { [PUENTE_EXTENSION_ID]: { extension_type: 'property-extension', ...set } } } : {};
}

