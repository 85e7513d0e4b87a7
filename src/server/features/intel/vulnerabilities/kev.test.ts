import fs from 'node:fs';
import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { readFixture } from '../../../test/fixtures.js';
import { KEV_FILE } from '../exchange.js';
import type { StixObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { VULNERABILITY_ID_NAMESPACE, csafToStix } from './csaf.js';
import { emptyOrNull } from './test-helpers.js';
import { CISA_IDENTITY, kevToStix, vulnerabilityFacts } from './kev.js';
import { PUENTE_EXTENSION_ID, puenteProps } from '../stix/puente-extension.js';

const catalogText = fs.readFileSync(KEV_FILE, 'utf8');
const catalog = (): any => JSON.parse(catalogText);
const vulns = (objects: StixObject[]) => objects.filter((o) => o.type === 'vulnerability');

function expectRejected(input: unknown, fragment: string) {
  let err: unknown;
  try {
    kevToStix(input);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('VALIDATION_FAILED');
  expect((err as AppError).message).toContain(fragment);
}

describe('kevToStix on the catalogue the product ships', () => {
  // One conversion shared by the tests below (its speed is measured in bench/sections/conversions.ts).
  const objects = kevToStix(catalog());

  it('turns 1,404 entries into 1,404 vulnerabilities created by the CISA identity', () => {
    expect(objects).toHaveLength(1405);
    expect(objects[0]).toEqual(CISA_IDENTITY);
    const v = vulns(objects);
    expect(v).toHaveLength(1404);
    expect(new Set(v.map((o) => o.id)).size).toBe(1404);
    expect(new Set(v.map((o) => o.name)).size).toBe(1404);
    for (const o of v) {
      expect(o.created_by_ref).toBe(CISA_IDENTITY.id);
      expect(o.id).toBe(`vulnerability--${uuidv5(`kev:${o.name}`, VULNERABILITY_ID_NAMESPACE)}`);
      expect(o.modified).toBe('2025-08-25T17:04:19.979Z'); // the catalogue's dateReleased
    }
    const ransomware = v.map((o) => vulnerabilityFacts(o).kev!.known_ransomware_campaign_use);
    expect(ransomware.filter((x) => x === 'Known')).toHaveLength(293);
    expect(ransomware.filter((x) => x === 'Unknown')).toHaveLength(1111);
    expect(v.filter((o) => (o.labels as string[]).includes('known-ransomware-use'))).toHaveLength(293);
  });

  it('keeps the KEV dates, due dates, ransomware use and CWEs', () => {
    const git = vulns(objects).find((o) => o.name === 'CVE-2025-48384')!;
    expect(git).toMatchObject({
      created: '2025-08-25T00:00:00.000Z',
      description: expect.stringMatching(/^Git contains a link following vulnerability/),
    });
    expect(git).not.toHaveProperty('x_puente_kev');
    // Puente's facts travel in its published property-extension.
    expect(git.extensions).toEqual({ [PUENTE_EXTENSION_ID]: { extension_type: 'property-extension', kev: expect.any(Object) } });
    expect(puenteProps(git)).toMatchObject({
      kev: {
        catalog_version: '2025.08.25',
        date_released: '2025-08-25T17:04:19.979Z',
        date_added: '2025-08-25',
        due_date: '2025-09-15',
        known_ransomware_campaign_use: 'Unknown',
        vendor_project: 'Git',
        product: 'Git',
        vulnerability_name: 'Git Link Following Vulnerability',
        cwes: ['CWE-59', 'CWE-436'],
      },
    });
    expect(git.external_references).toEqual(
      expect.arrayContaining([
        { source_name: 'cve', external_id: 'CVE-2025-48384' },
        { source_name: 'cwe', external_id: 'CWE-59' },
        { source_name: 'nvd.nist.gov', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-48384' },
      ]),
    );
    const log4shell = vulnerabilityFacts(vulns(objects).find((o) => o.name === 'CVE-2021-44228')!);
    expect(log4shell).toMatchObject({
      cve: 'CVE-2021-44228',
      csaf: null,
      kev: { date_added: '2021-12-10', due_date: '2021-12-24', known_ransomware_campaign_use: 'Known', vendor_project: 'Apache', product: 'Log4j2' },
      affectedProducts: ['Apache Log4j2'],
    });
  });

  it('every object passes the STIX validator', () => {
    const failures = objects
      .map((o) => ({ id: o.id, problems: validateObject(o), empty: emptyOrNull(o) }))
      .filter((x) => x.problems.length || x.empty.length);
    expect(failures).toEqual([]);
  });

  it('KEV and CSAF for the same CVE are different objects', () => {
    const kevSmi = vulns(objects).find((o) => o.name === 'CVE-2018-0171')!;
    const cisco = csafToStix(readFixture('csaf/cisco-sa-20180328-smi2.json'));
    const csafSmi = vulns(cisco.objects)[0];
    expect(csafSmi.name).toBe('CVE-2018-0171');
    expect(csafSmi.id).not.toBe(kevSmi.id);
    expect(vulnerabilityFacts(kevSmi)).toMatchObject({ cve: 'CVE-2018-0171', csaf: null, affectedProducts: ['Cisco IOS and IOS XE'] });
    expect(vulnerabilityFacts(kevSmi).kev).toMatchObject({ date_added: '2021-11-03', due_date: '2022-05-03' });
    expect(vulnerabilityFacts(csafSmi).affectedProducts).toHaveLength(259);
  });
});

describe('kevToStix versions', () => {
  it('is deterministic and a new catalogue release makes new versions of the same ids', () => {
    const small = catalog();
    small.vulnerabilities = small.vulnerabilities.slice(0, 3);
    small.count = 3;
    const a = kevToStix(small);
    expect(kevToStix(structuredClone(small))).toEqual(a);
    const next = structuredClone(small);
    next.catalogVersion = '2025.08.26';
    next.dateReleased = '2025-08-26T12:00:00.000Z';
    const b = kevToStix(next);
    expect(b.map((o) => o.id)).toEqual(a.map((o) => o.id));
    expect(b[0]).toEqual(a[0]); // CISA does not change
    for (const o of vulns(b)) {
      expect(o.modified).toBe('2025-08-26T12:00:00.000Z');
      expect(vulnerabilityFacts(o).kev!.catalog_version).toBe('2025.08.26');
    }
    expect(vulns(b).map((o) => o.created)).toEqual(vulns(a).map((o) => o.created));
  });

  it('entries without cwes or ransomware field still convert', () => {
    const small = catalog();
    const entry = small.vulnerabilities[0];
    delete entry.cwes;
    delete entry.knownRansomwareCampaignUse;
    delete entry.notes;
    small.vulnerabilities = [entry];
    const [, v] = kevToStix(small);
    expect(vulnerabilityFacts(v).kev).toMatchObject({ cwes: [], known_ransomware_campaign_use: 'Unknown' });
    expect(vulnerabilityFacts(v).kev!.notes).toBeUndefined();
    expect(validateObject(v)).toEqual([]);
  });
});

describe('kevToStix rejects what is not a KEV catalogue, naming the JSON path', () => {
  it('wrong shapes', () => {
    expectRejected([], '$ must be object');
    const noDate = catalog();
    delete noDate.dateReleased;
    expectRejected(noDate, '$.dateReleased is required');
    const badCve = catalog();
    badCve.vulnerabilities[2].cveID = 'CVE-2025-1';
    expectRejected(badCve, '$.vulnerabilities[2].cveID must match pattern');
    const badDate = catalog();
    badDate.vulnerabilities[5].dueDate = '15/09/2025';
    expectRejected(badDate, '$.vulnerabilities[5].dueDate must match format "date"');
  });

  it('a CVE id listed twice', () => {
    const dup = catalog();
    dup.vulnerabilities[1].cveID = dup.vulnerabilities[0].cveID;
    expectRejected(dup, `$.vulnerabilities[1].cveID repeats ${dup.vulnerabilities[0].cveID}`);
  });
});

describe('vulnerabilityFacts', () => {
  it('reads a plain STIX vulnerability', () => {
    expect(
      vulnerabilityFacts({ type: 'vulnerability', id: 'vulnerability--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061', name: 'CVE-2016-1234' }),
    ).toEqual({ cve: 'CVE-2016-1234', kev: null, csaf: null, affectedProducts: [] });
    expect(vulnerabilityFacts({ type: 'vulnerability', id: 'x', name: 'Heartbleed' }).cve).toBeNull();
  });
});
