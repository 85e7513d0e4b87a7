import { describe, expect, it } from 'vitest';
import { cvssScores, cwes, severityOf } from './scores.js';
import { PUENTE_EXTENSION_ID } from '../stix/puente-extension.js';

describe('CVSS and CWE of a STIX vulnerability', () => {
  it('rates a base score by the scale of its CVSS version', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map((s) => severityOf('3.1', s))).toEqual(['NONE', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
    expect(severityOf('4.0', 9.3)).toBe('CRITICAL');
    expect([0, 3.9, 4, 6.9, 7, 10].map((s) => severityOf('2.0', s))).toEqual(['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH']);
  });

  it('reads the CSAF scores, newest CVSS version first, dropping repeats and malformed ones', () => {
    const obj = {
      x_puente_csaf: {
        cvss: [
          { version: '2.0', base_score: 6.8, vector: 'AV:N/AC:M/Au:N/C:P/I:P/A:P', products: ['A'] },
          { version: '3.1', base_score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', severity: 'critical', products: ['A'] },
          { version: '3.1', base_score: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', severity: 'critical', products: ['A'] },
          { version: '3.1', base_score: 11, vector: 'CVSS:3.1/…' },
          { version: '3.0', vector: 'CVSS:3.0/…' },
          'nonsense',
        ],
      },
    };
    expect(cvssScores(obj)).toEqual([
      { version: '3.1', baseScore: 9.8, severity: 'CRITICAL', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', products: ['A'] },
      { version: '2.0', baseScore: 6.8, severity: 'MEDIUM', vector: 'AV:N/AC:M/Au:N/C:P/I:P/A:P', products: ['A'] },
    ]);
    expect(cvssScores({})).toEqual([]);
    expect(cvssScores({ x_puente_csaf: { cvss: 'no' } })).toEqual([]);
  });

  it('gathers CWE ids from CSAF, KEV and external references, once each, named where any source names them', () => {
    const obj = {
      x_puente_csaf: { cwe: { id: 'CWE-502', name: 'Deserialization of Untrusted Data' } },
      x_puente_kev: { cwes: ['CWE-20', 'CWE-502', 'not-a-cwe'] },
      external_references: [
        { source_name: 'cwe', external_id: 'CWE-79', description: 'Cross-site Scripting' },
        { source_name: 'CWE', external_id: 'cwe-1321' },
        { source_name: 'capec', external_id: 'CAPEC-1' },
      ],
    };
    expect(cwes(obj)).toEqual([
      { id: 'CWE-20', name: null },
      { id: 'CWE-79', name: 'Cross-site Scripting' },
      { id: 'CWE-502', name: 'Deserialization of Untrusted Data' },
      { id: 'CWE-1321', name: null },
    ]);
    expect(cwes({})).toEqual([]);
  });
});

describe('reads the facts from the Puente extension as from the older x_puente_* properties', () => {
  it('gives the same scores and weaknesses either way', () => {
    const facts = { cvss: [{ version: '3.1', base_score: 9.8, base_severity: 'CRITICAL', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', products: ['x'] }], cwe: { id: 'CWE-502', name: 'Deserialization of Untrusted Data' } };
    const legacy = { x_puente_csaf: facts };
    const current = { extensions: { [PUENTE_EXTENSION_ID]: { extension_type: 'property-extension', csaf: facts } } };
    expect(cvssScores(current)).toEqual(cvssScores(legacy));
    expect(cvssScores(current).length).toBe(1);
    expect(cwes(current)).toEqual(cwes(legacy));
  });
});
