/**
 * Puente's STIX property-extension, as server and web read it: its id and the reader
 * of its properties (with the x_puente_* properties of objects stored before it). The
 * definition object itself is in src/server/features/intel/stix/puente-extension.ts.
 */

/**
 * Fixed for every installation, so that one Puente reads another's objects: UUIDv5 of
 * "puente-properties-v1" and "puente-platform" in the namespace 7d6a9e0b-6b0e-4f4e-9a53-2d9c1c8f3a10
 * (a unit test holds them to it).
 */
export const PUENTE_EXTENSION_ID = 'extension-definition--bd5c6311-69b3-571d-af48-26b5bbfceec8';
export const PUENTE_IDENTITY_ID = 'identity--adb21d7b-c3dd-5a5b-b05f-f0d11eaaae6f';

export interface PuenteProps {
  kev?: Record<string, unknown>;
  csaf?: Record<string, unknown>;
  csaf_publisher?: Record<string, unknown>;
  misp?: Record<string, unknown>;
  country?: string;
  sector?: string;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Puente's properties of an object: from the extension, else from the x_puente_* properties of objects stored before it. */
export function puenteProps(obj: Record<string, unknown>): PuenteProps {
  const holder = isObj(obj.extensions) ? obj.extensions[PUENTE_EXTENSION_ID] : undefined;
  const ext: Record<string, unknown> = isObj(holder) ? holder : {};
  const pick = (k: string, legacy: string) => (ext[k] !== undefined ? ext[k] : obj[legacy]);
  const out: PuenteProps = {};
  const kev = pick('kev', 'x_puente_kev');
  const csaf = pick('csaf', 'x_puente_csaf');
  const pub = pick('csaf_publisher', 'x_puente_csaf_publisher');
  const misp = pick('misp', 'x_puente_misp');
  const country = pick('country', 'x_puente_country');
  const sector = pick('sector', 'x_puente_sector');
  if (isObj(kev)) out.kev = kev;
  if (isObj(csaf)) out.csaf = csaf;
  if (isObj(pub)) out.csaf_publisher = pub;
  if (isObj(misp)) out.misp = misp;
  if (typeof country === 'string') out.country = country;
  if (typeof sector === 'string') out.sector = sector;
  return out;
}
