import { type Tlp } from '../../../platform/access/policy.js';
import { mostRestrictive, tlpRank } from '#shared/tlp';
import type { StixObject } from './types.js';

/**
 * TLP in STIX: the five TLP 2.0 marking definitions of the OASIS TLP 2.0
 * extension (fixed ids, from oasis-open/cti-stix-common-objects) and the four
 * TLP 1.0 ids of the STIX 2.1 specification, read on import (white -> CLEAR).
 */
export const TLP2_MARKING_DEFINITIONS: readonly StixObject[] = Object.freeze([
    {
      "type": "marking-definition",
      "spec_version": "2.1",
      "id": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
      "created": "2022-10-01T00:00:00.000Z",
      "name": "TLP:CLEAR",
      "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
          "extension_type": "property-extension",
          "tlp_2_0": "clear"
        }
      }
    },
    {
      "type": "marking-definition",
      "spec_version": "2.1",
      "id": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
      "created": "2022-10-01T00:00:00.000Z",
      "name": "TLP:GREEN",
      "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
          "extension_type": "property-extension",
          "tlp_2_0": "green"
        }
      }
    },
    {
      "type": "marking-definition",
      "spec_version": "2.1",
      "id": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
      "created": "2022-10-01T00:00:00.000Z",
      "name": "TLP:AMBER",
      "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
          "extension_type": "property-extension",
          "tlp_2_0": "amber"
        }
      }
    },
    {
      "type": "marking-definition",
      "spec_version": "2.1",
      "id": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
      "created": "2022-10-01T00:00:00.000Z",
      "name": "TLP:AMBER+STRICT",
      "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
          "extension_type": "property-extension",
          "tlp_2_0": "amber+strict"
        }
      }
    },
    {
      "type": "marking-definition",
      "spec_version": "2.1",
      "id": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
      "created": "2022-10-01T00:00:00.000Z",
      "name": "TLP:RED",
      "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
          "extension_type": "property-extension",
          "tlp_2_0": "red"
        }
      }
    }
  ]);

export const TLP2_IDS: Readonly<Record<Tlp, string>> = Object.freeze({
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
});

export const TLP1_IDS: Readonly<Record<'white' | 'green' | 'amber' | 'red', string>> = Object.freeze({
  white: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
});

const BY_ID = new Map<string, Tlp>([
  ...(Object.entries(TLP2_IDS) as [Tlp, string][]).map(([t, id]) => [id, t] as [string, Tlp]),
  [TLP1_IDS.white, 'CLEAR'],
  [TLP1_IDS.green, 'GREEN'],
  [TLP1_IDS.amber, 'AMBER'],
  [TLP1_IDS.red, 'RED'],
]);

export function isTlpMarkingId(id: string): boolean {
  return BY_ID.has(id);
}

export { mostRestrictive, tlpRank };

/**
 * The TLP an object carries: the most restrictive of its object markings and of
 * its granular markings (a granular marking stricter than the object marking
 * makes the whole object that strict), or null when it carries none.
 */
export function tlpOfObject(obj: Record<string, unknown>): Tlp | null {
  let found: Tlp | null = null;
  const consider = (ref: unknown) => {
    if (typeof ref !== 'string') return;
    const t = BY_ID.get(ref);
    if (t) found = found ? mostRestrictive(found, t) : t;
  };
  const omr = obj.object_marking_refs;
  if (Array.isArray(omr)) omr.forEach(consider);
  const gm = obj.granular_markings;
  if (Array.isArray(gm)) for (const g of gm) if (g && typeof g === 'object') consider((g as { marking_ref?: unknown }).marking_ref);
  return found;
}
