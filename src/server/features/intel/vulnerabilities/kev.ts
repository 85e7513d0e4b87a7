/**
 * CISA Known Exploited Vulnerabilities catalogue -> STIX 2.1 (pure; no database).
 *
 * The catalogue is validated against CISA's schema (draft-07, shipped in ./schemas). Each entry
 * becomes one `vulnerability` (name = CVE id) created by a fixed CISA `identity`:
 *   id       = vulnerability--UUIDv5('kev:' + CVE)   (CSAF imports of the same CVE are other objects)
 *   created  = dateAdded (00:00 UTC), modified = the catalogue's dateReleased,
 * so re-importing one catalogue release is a duplicate and each new release is a new version.
 * Also `vulnerabilityFacts(obj)`: what the vulnerability page shows, from a KEV or CSAF object.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { v5 as uuidv5 } from 'uuid';
import { AppError } from '../../../platform/errors.js';
import type { StixObject } from '../stix/types.js';
import { VULNERABILITY_ID_NAMESPACE, jsonPath, stixTime, stixUrl, type CsafCvssFact, type CsafFacts, type CsafRemediationFact } from './csaf.js';
import { puenteProps, withPuente } from '../stix/puente-extension.js';

const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas', 'known_exploited_vulnerabilities_schema.json');
export const KEV_CATALOG_URL = 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog';

/** The CISA identity every KEV vulnerability is created by (constant: always a duplicate after the first import). */
export const CISA_IDENTITY: Readonly<StixObject> = Object.freeze({
  type: 'identity',
  spec_version: '2.1',
  id: `identity--${uuidv5('kev-publisher|https://www.cisa.gov', VULNERABILITY_ID_NAMESPACE)}`,
  created: '2021-11-03T00:00:00.000Z',
  modified: '2021-11-03T00:00:00.000Z',
  name: 'Cybersecurity and Infrastructure Security Agency (CISA)',
  identity_class: 'organization',
  sectors: ['government-national'],
  external_references: [{ source_name: 'cisa', url: 'https://www.cisa.gov' }],
});

export interface KevFacts {
  catalog_version: string;
  date_released: string;
  date_added: string;
  due_date: string;
  /** 'Known' or 'Unknown', as CISA writes it. */
  known_ransomware_campaign_use: string;
  vendor_project: string;
  product: string;
  vulnerability_name: string;
  required_action: string;
  notes?: string;
  /** Left out when CISA lists none (STIX prohibits empty lists); vulnerabilityFacts() gives []. */
  cwes?: string[];
}

interface KevEntry {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  dueDate: string;
  knownRansomwareCampaignUse?: string;
  notes?: string;
  cwes?: string[];
}
interface KevCatalog { catalogVersion: string; dateReleased: string; count: number; vulnerabilities: KevEntry[] }

let validator: ValidateFunction | null = null;
function kevValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: false, strict: true });
  addFormats.default(ajv);
  ajv.addKeyword('url'); // CISA's schema carries the catalogue's address as an annotation
  validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  return validator;
}

export function validateKev(catalog: unknown): asserts catalog is KevCatalog {
  const validate = kevValidator();
  if (validate(catalog)) return;
  const e = validate.errors![0];
  let where = e.instancePath;
  if (e.keyword === 'required') where += '/' + String((e.params as { missingProperty: string }).missingProperty);
  const message = e.keyword === 'required' ? 'is required' : (e.message ?? 'is not valid');
  throw new AppError('VALIDATION_FAILED', `Not a valid CISA KEV catalogue: ${jsonPath(where)} ${message}`, {
    errors: [{ path: jsonPath(where), message }],
  });
}

const CVE_RE = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;
const URL_IN_TEXT = /https?:\/\/[^\s;,"'<>]+/g;

/** One vulnerability per catalogue entry, plus the CISA identity (first). Throws VALIDATION_FAILED naming the JSON path. */
export function kevToStix(catalog: unknown): StixObject[] {
  validateKev(catalog);
  const released = stixTime(catalog.dateReleased);
  const seen = new Set<string>();
  const out: StixObject[] = [CISA_IDENTITY as StixObject];
  catalog.vulnerabilities.forEach((v, i) => {
    // The KEV schema allows up to 19 digits with a leading zero; STIX's cve reference does not.
    if (!CVE_RE.test(v.cveID))
      throw new AppError('VALIDATION_FAILED', `Not a valid CISA KEV catalogue: ${jsonPath(`/vulnerabilities/${i}/cveID`)} is not a CVE id STIX accepts`);
    if (seen.has(v.cveID))
      throw new AppError('VALIDATION_FAILED', `Not a valid CISA KEV catalogue: ${jsonPath(`/vulnerabilities/${i}/cveID`)} repeats ${v.cveID}`);
    seen.add(v.cveID);
    const created = `${v.dateAdded}T00:00:00.000Z`;
    const facts: KevFacts = {
      catalog_version: catalog.catalogVersion,
      date_released: released,
      date_added: v.dateAdded,
      due_date: v.dueDate,
      known_ransomware_campaign_use: v.knownRansomwareCampaignUse ?? 'Unknown',
      vendor_project: v.vendorProject,
      product: v.product,
      vulnerability_name: v.vulnerabilityName,
      required_action: v.requiredAction,
      ...(v.notes ? { notes: v.notes } : {}),
      ...(v.cwes?.length ? { cwes: v.cwes } : {}),
    };
    const refs: Record<string, string>[] = [
      { source_name: 'cve', external_id: v.cveID },
      { source_name: 'cisa-kev', url: KEV_CATALOG_URL, description: v.vulnerabilityName },
    ];
    for (const cwe of v.cwes ?? []) refs.push({ source_name: 'cwe', external_id: cwe });
    const urls = new Set<string>();
    for (const m of (v.notes ?? '').matchAll(URL_IN_TEXT)) {
      const url = stixUrl(m[0].replace(/[.)\]]+$/, ''));
      if (!url || urls.has(url)) continue;
      urls.add(url);
      refs.push({ source_name: new URL(url).hostname, url });
    }
    out.push({
      type: 'vulnerability',
      spec_version: '2.1',
      id: `vulnerability--${uuidv5(`kev:${v.cveID}`, VULNERABILITY_ID_NAMESPACE)}`,
      created,
      modified: released > created ? released : created,
      created_by_ref: CISA_IDENTITY.id,
      name: v.cveID,
      description: v.shortDescription,
      external_references: refs,
      ...(facts.known_ransomware_campaign_use === 'Known' ? { labels: ['known-exploited', 'known-ransomware-use'] } : { labels: ['known-exploited'] }),
      ...withPuente({ kev: facts as unknown as Record<string, unknown> }),
    });
  });
  return out;
}

export interface VulnerabilityFacts {
  cve: string | null;
  kev: (Omit<KevFacts, 'cwes'> & { cwes: string[] }) | null;
  csaf:
    | (Omit<CsafFacts, 'product_status' | 'cvss' | 'remediations'> & {
        product_status: Record<string, string[]>;
        cvss: CsafCvssFact[];
        remediations: (CsafRemediationFact & { product_ids: string[]; products: string[] })[];
      })
    | null;
  /** Product names: CSAF known_affected, first_affected and last_affected; KEV "vendor product". */
  affectedProducts: string[];
}

const AFFECTED = ['known_affected', 'first_affected', 'last_affected'];

/** What the vulnerability page shows, from a STIX vulnerability made by kevToStix or csafToStix (or any other). */
export function vulnerabilityFacts(obj: Record<string, unknown>): VulnerabilityFacts {
  const refs = Array.isArray(obj.external_references) ? (obj.external_references as Record<string, unknown>[]) : [];
  const cveRef = refs.find((r) => r && r.source_name === 'cve' && typeof r.external_id === 'string');
  const name = typeof obj.name === 'string' ? obj.name : '';
  const cve = (cveRef?.external_id as string | undefined) ?? (CVE_RE.test(name) ? name : null);
  const props = puenteProps(obj);
  const kevRaw = props.kev ? (props.kev as unknown as KevFacts) : null;
  const csafRaw = props.csaf ? (props.csaf as unknown as CsafFacts) : null;
  // Lists left out of the stored object (STIX has no empty lists) come back as [] for the page.
  const kev = kevRaw ? { ...kevRaw, cwes: Array.isArray(kevRaw.cwes) ? kevRaw.cwes : [] } : null;
  const csaf = csafRaw
    ? {
        ...csafRaw,
        product_status: isObject(csafRaw.product_status) ? (csafRaw.product_status as Record<string, string[]>) : {},
        cvss: Array.isArray(csafRaw.cvss) ? csafRaw.cvss : [],
        remediations: Array.isArray(csafRaw.remediations)
          ? csafRaw.remediations.map((r) => ({ ...r, product_ids: r.product_ids ?? [], products: r.products ?? [] }))
          : [],
      }
    : null;
  const affected: string[] = [];
  if (csaf)
    for (const k of AFFECTED) {
      const names = (csaf.product_status as Record<string, unknown>)[k];
      if (Array.isArray(names)) for (const n of names) if (typeof n === 'string') affected.push(n);
    }
  if (kev && typeof kev.vendor_project === 'string' && typeof kev.product === 'string') affected.push(`${kev.vendor_project} ${kev.product}`);
  return { cve, kev, csaf, affectedProducts: [...new Set(affected)] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
