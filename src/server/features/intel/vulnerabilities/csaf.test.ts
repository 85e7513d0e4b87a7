import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { readFixture } from '../../../test/fixtures.js';
import { TLP2_IDS } from '../stix/tlp.js';
import type { StixObject } from '../stix/types.js';
import { validateObject } from '../stix/validate.js';
import { csafToStix, jsonPath, productIndex } from './csaf.js';
import { emptyOrNull } from './test-helpers.js';
import { vulnerabilityFacts } from './kev.js';

const load = (name: string): any => readFixture(`csaf/${name}.json`);
const clone = <T>(x: T): T => structuredClone(x);
const ofType = (objects: StixObject[], type: string) => objects.filter((o) => o.type === type);

function expectValidStix(objects: StixObject[]) {
  for (const o of objects) expect({ id: o.id, problems: validateObject(o), empty: emptyOrNull(o) }).toEqual({ id: o.id, problems: [], empty: [] });
}

function expectRejected(doc: unknown, pathFragment: string) {
  let err: unknown;
  try {
    csafToStix(doc);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('VALIDATION_FAILED');
  expect((err as AppError).message).toContain(pathFragment);
  return err as AppError;
}

describe('csafToStix on the three real advisories', () => {
  it('BSI-2022-0001: one vulnerability, five known affected products resolved through the branches', () => {
    const r = csafToStix(load('bsi-2022-0001'));
    expect(r.objects.map((o) => o.type)).toEqual(['identity', 'vulnerability', 'report']);
    expect(r.problems).toEqual([]);
    expect(r.tlp).toBe('CLEAR'); // TLP:WHITE in CSAF 2.0
    const [identity, v, report] = r.objects;
    expect(identity).toMatchObject({ name: 'Bundesamt für Sicherheit in der Informationstechnik', identity_class: 'organization' });
    expect(v).toMatchObject({
      name: 'CVE-2022-27193',
      created: '2022-03-17T13:03:42.105Z',
      modified: '2022-03-17T13:03:42.105Z',
      created_by_ref: identity.id,
      object_marking_refs: [TLP2_IDS.CLEAR],
    });
    expect(String(v.description)).toMatch(/^CSAF Tools CVRF-CSAF-Converter 1\.0\.0-rc1 resolves XML External Entities/);
    expect(v.external_references).toEqual(
      expect.arrayContaining([
        { source_name: 'cve', external_id: 'CVE-2022-27193' },
        { source_name: 'cwe', external_id: 'CWE-611', description: 'Improper Restriction of XML External Entity Reference' },
      ]),
    );
    const facts = vulnerabilityFacts(v);
    expect(facts.cve).toBe('CVE-2022-27193');
    expect(facts.kev).toBeNull();
    expect(facts.affectedProducts).toEqual([
      'CSAF Tools CVRF-CSAF-Converter 1.0.0-alpha',
      'CSAF Tools CVRF-CSAF-Converter 1.0.0-dev1',
      'CSAF Tools CVRF-CSAF-Converter 1.0.0-dev2',
      'CSAF Tools CVRF-CSAF-Converter 1.0.0-dev3',
      'CSAF Tools CVRF-CSAF-Converter 1.0.0-rc1',
    ]);
    const csaf = facts.csaf!;
    expect(csaf).toMatchObject({
      publisher: 'Bundesamt für Sicherheit in der Informationstechnik',
      tracking_id: 'BSI-2022-0001',
      tracking_version: '1',
      current_release_date: '2022-03-17T13:03:42.105Z',
      cwe: { id: 'CWE-611', name: 'Improper Restriction of XML External Entity Reference' },
    });
    expect(csaf.product_status.fixed).toEqual(['CSAF Tools CVRF-CSAF-Converter 1.0.0-rc2']);
    expect(csaf.product_status.first_fixed).toEqual(['CSAF Tools CVRF-CSAF-Converter 1.0.0-rc2']);
    expect(csaf.cvss).toEqual([
      {
        version: '3.1',
        base_score: 6.1,
        severity: 'MEDIUM',
        vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:L/E:F/RL:O/RC:C',
        products: facts.affectedProducts,
      },
    ]);
    expect(csaf.remediations).toHaveLength(1);
    expect(csaf.remediations[0]).toMatchObject({
      category: 'vendor_fix',
      url: 'https://github.com/csaf-tools/CVRF-CSAF-Converter/releases/tag/1.0.0-rc2',
      product_ids: ['CSAFPID-0001', 'CSAFPID-0002', 'CSAFPID-0003', 'CSAFPID-0004', 'CSAFPID-0005'],
      products: facts.affectedProducts,
    });
    expect(report).toMatchObject({
      name: 'CVRF-CSAF-Converter: XML External Entities Vulnerability',
      report_types: ['vulnerability'],
      published: '2022-03-17T13:03:42.105Z',
      object_refs: [v.id, identity.id],
      created_by_ref: identity.id,
    });
    expect(r).toMatchObject({ reportId: report.id, identityId: identity.id, vulnerabilityIds: [v.id] });
    expectValidStix(r.objects);
  });

  it('RHSA-2021:5186: two vulnerabilities, no affected product, statuses resolved through relationships', () => {
    const r = csafToStix(load('rhsa-2021_5186'));
    expect(r.problems).toEqual([]);
    expect(r.tlp).toBe('CLEAR');
    const vulns = ofType(r.objects, 'vulnerability');
    expect(vulns.map((v) => v.name)).toEqual(['CVE-2021-4104', 'CVE-2021-4125']);
    expect(r.objects).toHaveLength(4);
    const [a, b] = vulns.map(vulnerabilityFacts);
    expect(a.affectedProducts).toEqual([]);
    expect(b.affectedProducts).toEqual([]);
    const hive =
      'openshift4/ose-metering-hive:v4.6.0-202112160147.p0.gf139e12.assembly.stream as a component of Red Hat OpenShift Container Platform 4.6';
    expect(a.csaf!.product_status.fixed).toEqual([hive]);
    expect(a.csaf!.product_status.known_not_affected).toHaveLength(2);
    for (const n of a.csaf!.product_status.known_not_affected) expect(n).toMatch(/ as a component of Red Hat OpenShift Container Platform 4\.6$/);
    expect(a.csaf!.cwe).toEqual({ id: 'CWE-20', name: 'Improper Input Validation' });
    expect(b.csaf!.cwe).toBeUndefined();
    expect(a.csaf!.cvss).toEqual([]);
    expect(a.csaf!.remediations[0]).toMatchObject({ category: 'vendor_fix', url: 'https://access.redhat.com/errata/RHSA-2021:5186' });
    expect(a.csaf!.remediations[0].products).toContain(hive);
    expect(a.csaf!.threats).toEqual([{ category: 'impact', details: 'Moderate', date: '2021-12-13T00:00:00Z' }]);
    // the vulnerability's own references and the advisory's
    expect(vulns[0].external_references).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source_name: 'bugzilla.redhat.com', url: 'https://bugzilla.redhat.com/show_bug.cgi?id=2031667' }),
        expect.objectContaining({ source_name: 'Red Hat Product Security', url: 'https://access.redhat.com/errata/RHSA-2021:5186' }),
      ]),
    );
    expect(vulns[0].description).toBe('log4j: Remote code execution in Log4j 1.x when application is configured to use JMSAppender');
    const report = ofType(r.objects, 'report')[0];
    expect(report.object_refs).toEqual([...vulns.map((v) => v.id), r.identityId]);
    expect(String(report.description)).toMatch(/^Red Hat OpenShift Container Platform release 4\.6\.52 is now available/);
    expectValidStix(r.objects);
  });

  it('cisco-sa-20180328-smi2: one vulnerability, 259 known affected products, no TLP', () => {
    const r = csafToStix(load('cisco-sa-20180328-smi2'));
    expect(r.problems).toEqual([]);
    expect(r.tlp).toBeNull();
    const [v] = ofType(r.objects, 'vulnerability');
    expect(v.object_marking_refs).toBeUndefined();
    expect(v).toMatchObject({ name: 'CVE-2018-0171', created: '2018-03-28T16:00:00.000Z', modified: '2018-04-17T15:08:41.000Z' });
    const facts = vulnerabilityFacts(v);
    expect(facts.affectedProducts).toHaveLength(259);
    expect(facts.affectedProducts).toContain('Cisco IOS 12.2SE 12.2(55)SE');
    expect(facts.affectedProducts.filter((n) => n.startsWith('CVRFPID-'))).toEqual([]); // every id resolved to a name
    expect(facts.csaf!.cvss).toEqual([
      expect.objectContaining({ version: '3.0', base_score: 9.8, severity: 'CRITICAL', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
    ]);
    expect(facts.csaf!.cvss[0].products).toHaveLength(259);
    expect(facts.csaf!.remediations.map((x) => [x.category, x.products.length])).toEqual([['workaround', 259]]);
    expect(facts.csaf!.tracking_version).toBe('3.0.0');
    expect(v.external_references).toEqual(expect.arrayContaining([{ source_name: 'Cisco Bug ID', external_id: 'CSCvg76186' }]));
    expectValidStix(r.objects);
  });
});

describe('csafToStix ids and versions', () => {
  it('is deterministic: the same advisory twice gives identical objects (a duplicate)', () => {
    for (const name of ['bsi-2022-0001', 'rhsa-2021_5186', 'cisco-sa-20180328-smi2']) {
      expect(csafToStix(load(name)).objects).toEqual(csafToStix(load(name)).objects);
    }
    const ids = ['bsi-2022-0001', 'rhsa-2021_5186', 'cisco-sa-20180328-smi2'].flatMap((n) => csafToStix(load(n)).objects.map((o) => o.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a newer revision keeps the ids and created, and gives a newer modified', () => {
    const doc = load('bsi-2022-0001');
    const v1 = csafToStix(doc);
    const rev = clone(doc);
    rev.document.tracking.version = '2';
    rev.document.tracking.current_release_date = '2022-04-01T09:00:00+02:00';
    rev.document.tracking.revision_history.push({ date: '2022-04-01T09:00:00+02:00', number: '2', summary: 'Fixed version named' });
    const v2 = csafToStix(rev);
    expect(v2.objects.map((o) => o.id)).toEqual(v1.objects.map((o) => o.id));
    const [, vuln1, report1] = v1.objects;
    const [identity2, vuln2, report2] = v2.objects;
    expect(identity2).toEqual(v1.objects[0]); // the publisher does not change version
    expect(vuln2.created).toBe(vuln1.created);
    expect(vuln2.modified).toBe('2022-04-01T07:00:00.000Z');
    expect(String(vuln2.modified) > String(vuln1.modified)).toBe(true);
    expect(report2.modified).toBe('2022-04-01T07:00:00.000Z');
    expect(report2.created).toBe(report1.created);
    expect(vulnerabilityFacts(vuln2).csaf!.tracking_version).toBe('2');
    expectValidStix(v2.objects);
  });

  it('the publisher identity is shared by advisories of one publisher; reports and vulnerabilities are not', () => {
    const doc = load('bsi-2022-0001');
    const other = clone(doc);
    other.document.tracking.id = 'BSI-2022-0002';
    const a = csafToStix(doc);
    const b = csafToStix(other);
    expect(b.identityId).toBe(a.identityId);
    expect(b.reportId).not.toBe(a.reportId);
    expect(b.vulnerabilityIds[0]).not.toBe(a.vulnerabilityIds[0]);
  });

  it('a vulnerability without CVE is named by its title and reported', () => {
    const doc = load('bsi-2022-0001');
    delete doc.vulnerabilities[0].cve;
    doc.vulnerabilities[0].title = 'XXE in the converter';
    const r = csafToStix(doc);
    const [v] = ofType(r.objects, 'vulnerability');
    expect(v.name).toBe('XXE in the converter');
    expect(vulnerabilityFacts(v).cve).toBeNull();
    expect((v.external_references as { source_name: string }[]).some((x) => x.source_name === 'cve')).toBe(false);
    expect(r.problems).toEqual([expect.stringContaining('vulnerabilities[0] has no CVE id')]);
    expectValidStix(r.objects);
  });

  it('maps TLP:AMBER and TLP:RED to the TLP 2.0 markings', () => {
    for (const [label, tlp] of [['GREEN', 'GREEN'], ['AMBER', 'AMBER'], ['RED', 'RED']] as const) {
      const doc = load('bsi-2022-0001');
      doc.document.distribution.tlp.label = label;
      const r = csafToStix(doc);
      expect(r.tlp).toBe(tlp);
      for (const o of r.objects.filter((x) => x.type !== 'identity')) expect(o.object_marking_refs).toEqual([TLP2_IDS[tlp]]);
    }
  });
});

describe('csafToStix product tree', () => {
  const minimal = () => ({
    document: {
      category: 'csaf_base',
      csaf_version: '2.0',
      title: 'Synthetic advisory',
      publisher: { category: 'other', name: 'Example CSIRT', namespace: 'https://csirt.example' },
      tracking: {
        id: 'EX-2024-001',
        version: '1',
        status: 'final',
        initial_release_date: '2024-05-01T10:00:00Z',
        current_release_date: '2024-05-01T10:00:00Z',
        revision_history: [{ date: '2024-05-01T10:00:00Z', number: '1', summary: 'Initial' }],
      },
    },
    product_tree: {
      full_product_names: [
        { name: 'Widget 1.0', product_id: 'P1' },
        { name: 'Widget 2.0', product_id: 'P2' },
      ],
      relationships: [
        {
          category: 'installed_on',
          product_reference: 'P1',
          relates_to_product_reference: 'P2',
          full_product_name: { name: 'Widget 1.0 on Widget 2.0', product_id: 'P1-ON-P2' },
        },
      ],
      product_groups: [{ group_id: 'G1', product_ids: ['P1', 'P1-ON-P2'] }],
    },
    vulnerabilities: [
      {
        cve: 'CVE-2024-12345',
        notes: [{ category: 'summary', text: 'Widget crashes.' }],
        product_status: { first_affected: ['P1'], last_affected: ['P1-ON-P2'], known_affected: ['P9'] },
        remediations: [{ category: 'mitigation', details: 'Unplug it.', group_ids: ['G1'] }],
      },
    ],
  });

  it('walks full_product_names, relationships and product groups; unknown ids are kept and reported', () => {
    const r = csafToStix(minimal());
    const [v] = ofType(r.objects, 'vulnerability');
    const facts = vulnerabilityFacts(v);
    expect(facts.affectedProducts).toEqual(['P9', 'Widget 1.0', 'Widget 1.0 on Widget 2.0']);
    expect(facts.csaf!.remediations[0]).toMatchObject({ category: 'mitigation', product_ids: ['P1', 'P1-ON-P2'], products: ['Widget 1.0', 'Widget 1.0 on Widget 2.0'] });
    expect(v.description).toBe('Widget crashes.');
    expect(r.problems).toEqual([expect.stringContaining('P9')]);
    expectValidStix(r.objects);
  });

  it('productIndex reads nested branches', () => {
    const { names } = productIndex(load('cisco-sa-20180328-smi2').product_tree);
    expect(names.get('CVRFPID-103763')).toBe('Cisco IOS 12.2SE 12.2(55)SE');
  });

  it('an advisory without vulnerabilities gives the identity and a report', () => {
    const doc: any = minimal();
    delete doc.vulnerabilities;
    const r = csafToStix(doc);
    expect(r.objects.map((o) => o.type)).toEqual(['identity', 'report']);
    expect(r.objects[1].object_refs).toEqual([r.identityId]);
    expectValidStix(r.objects);
  });
});

describe('csafToStix rejects what is not CSAF 2.0, naming the JSON path', () => {
  it('not an object', () => {
    expectRejected('hello', '$ must be object');
    expectRejected(null, '$ must be object');
    expectRejected({ Event: {} }, '$.document is required');
  });

  it('missing tracking id', () => {
    const doc = load('bsi-2022-0001');
    delete doc.document.tracking.id;
    const err = expectRejected(doc, '$.document.tracking.id is required');
    expect((err.details as { errors: { path: string }[] }).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: '$.document.tracking.id' })]),
    );
  });

  it('a malformed CVE id', () => {
    const doc = load('rhsa-2021_5186');
    doc.vulnerabilities[1].cve = 'CVE-21-4125';
    expectRejected(doc, '$.vulnerabilities[1].cve must match pattern');
  });

  it('another CSAF version', () => {
    const doc = load('bsi-2022-0001');
    doc.document.csaf_version = '2.1';
    expectRejected(doc, '$.document.csaf_version');
  });

  it('a CVSS score outside the FIRST schema (the $ref to first.org resolved offline)', () => {
    const doc = load('bsi-2022-0001');
    doc.vulnerabilities[0].scores[0].cvss_v3.baseScore = 11;
    expectRejected(doc, '$.vulnerabilities[0].scores[0].cvss_v3.baseScore must be <= 10');
    const doc2 = load('cisco-sa-20180328-smi2');
    doc2.vulnerabilities[0].scores[0].cvss_v3.vectorString = 'CVSS:3.0/AV:Q';
    expectRejected(doc2, '$.vulnerabilities[0].scores[0].cvss_v3.vectorString');
    const doc3 = load('bsi-2022-0001');
    doc3.vulnerabilities[0].scores[0].cvss_v2 = { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 75 };
    expectRejected(doc3, '$.vulnerabilities[0].scores[0].cvss_v2.baseScore must be <= 10');
  });

  it('a wrong type and a missing product tree entry field', () => {
    const doc = load('bsi-2022-0001');
    doc.document.tracking.version = 2;
    expectRejected(doc, '$.document.tracking.version must be string');
    const doc2 = load('cisco-sa-20180328-smi2');
    delete doc2.product_tree.branches[0].branches[0].branches[0].branches[0].product.product_id;
    expectRejected(doc2, '$.product_tree.branches[0].branches[0].branches[0].branches[0].product.product_id is required');
  });
});

describe('jsonPath', () => {
  it('turns JSON pointers into readable paths', () => {
    expect(jsonPath('')).toBe('$');
    expect(jsonPath('/vulnerabilities/0/product_status/known_affected/3')).toBe('$.vulnerabilities[0].product_status.known_affected[3]');
    expect(jsonPath('/a~1b/c d')).toBe('$["a/b"]["c d"]');
  });
});
