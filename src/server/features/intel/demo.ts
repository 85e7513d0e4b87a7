import type { FeatureDemo } from '../../demo/context.js';
import { newId } from '../../platform/ids.js';
import { ingestInTransaction } from './store.js';
import { TLP2_IDS } from './stix/tlp.js';
import { organisationIdentityId } from './identities.js';
import './tables.js';

/**
 * Threat intelligence in the demo: the Brazilian CSIRT shares an AMBER report
 * on a phishing campaign against energy utilities with the CSIRTs community
 * (indicators, malware, relationships, an ATT&CK for ICS technique); the
 * Estonian CSIRT publishes GREEN indicators of which one correlates with the
 * Brazilian ones; the Chilean CSIRT has sighted two of them; the Colombian
 * energy company marks Log4Shell (KEV) "affects us" when the reference content
 * is loaded. Fixed ids, so the demo reads the same in every installation.
 */

const T = '2026-10-14T09:30:00.000Z';
const T2 = '2026-10-20T16:05:00.000Z';
const id = (type: string, n: string) => `${type}--7d3c0f1e-4b2a-4c6e-9a51-${n.padStart(12, '0')}`;

const IDS = {
  report: id('report', '1'),
  malware: id('malware', '2'),
  domain1: id('indicator', '3'),
  domain2: id('indicator', '4'),
  ip: id('indicator', '5'),
  hash: id('indicator', '6'),
  rel1: id('relationship', '7'),
  rel2: id('relationship', '8'),
  rel3: id('relationship', '9'),
  rel4: id('relationship', '10'),
  eeReport: id('report', '11'),
  eeIp: id('indicator', '12'),
  eeUrl: id('indicator', '13'),
  campaign: id('campaign', '14'),
  rel5: id('relationship', '15'),
};
/** ATT&CK for ICS T0865 Spearphishing Attachment (in the shipped reference bundle). */
const SPEARPHISHING_ICS = 'attack-pattern--648f995e-9c3a-41e4-aeee-98bb41037426';

const indicator = (sid: string, name: string, pattern: string, by: string, marking: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: sid,
  created: T,
  modified: T,
  created_by_ref: by,
  name,
  indicator_types: ['malicious-activity'],
  pattern,
  pattern_type: 'stix',
  valid_from: T,
  confidence: 80,
  object_marking_refs: [marking],
  ...extra,
});
const rel = (sid: string, source: string, type: string, target: string, by: string, marking: string) => ({
  type: 'relationship',
  spec_version: '2.1',
  id: sid,
  created: T,
  modified: T,
  created_by_ref: by,
  relationship_type: type,
  source_ref: source,
  target_ref: target,
  object_marking_refs: [marking],
});

export const intelDemo: FeatureDemo = async ({ trx, orgIds, personIds, communityIds }) => {
  const br = orgIds.get('br-csirt')!;
  const ee = orgIds.get('ee-csirt')!;
  const cl = orgIds.get('cl-csirt')!;
  const co = orgIds.get('co-energy')!;
  const brBy = organisationIdentityId(br);
  const eeBy = organisationIdentityId(ee);
  const csirts = communityIds.get('csirts')!;
  const AMBER = TLP2_IDS.AMBER;
  const GREEN = TLP2_IDS.GREEN;

  const brObjects = [
    {
      type: 'identity',
      spec_version: '2.1',
      id: brBy,
      created: T,
      modified: T,
      name: 'Centro de Tratamento de Incidentes (demo)',
      identity_class: 'organization',
      sectors: ['government'],
      object_marking_refs: [TLP2_IDS.CLEAR],
    },
    {
      type: 'malware',
      spec_version: '2.1',
      id: IDS.malware,
      created: T,
      modified: T,
      created_by_ref: brBy,
      name: 'GridLure loader',
      description: 'Loader delivered as a fake tariff spreadsheet to staff of electricity distributors; fetches a remote-access tool.',
      malware_types: ['dropper', 'remote-access-trojan'],
      is_family: true,
      object_marking_refs: [AMBER],
    },
    indicator(IDS.domain1, 'GridLure download domain', "[domain-name:value = 'tarifas-energia-actualizacion.example']", brBy, AMBER),
    indicator(IDS.domain2, 'GridLure C2 domain', "[domain-name:value = 'cdn-medidor.example']", brBy, AMBER),
    indicator(IDS.ip, 'GridLure C2 address', "[ipv4-addr:value = '203.0.113.45']", brBy, AMBER),
    indicator(IDS.hash, 'GridLure spreadsheet', "[file:hashes.'SHA-256' = '4f2d7c1b9a8e6d5c3b2a19f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b']", brBy, AMBER),
    rel(IDS.rel1, IDS.domain1, 'indicates', IDS.malware, brBy, AMBER),
    rel(IDS.rel2, IDS.domain2, 'indicates', IDS.malware, brBy, AMBER),
    rel(IDS.rel3, IDS.ip, 'indicates', IDS.malware, brBy, AMBER),
    rel(IDS.rel4, IDS.malware, 'uses', SPEARPHISHING_ICS, brBy, AMBER),
    {
      type: 'report',
      spec_version: '2.1',
      id: IDS.report,
      created: T,
      modified: T,
      created_by_ref: brBy,
      name: 'GridLure: phishing against electricity distributors in South America',
      description: 'Spreadsheets posing as tariff updates reached operations staff of three distributors in September and October 2026. Indicators, the loader and the technique used are attached.',
      report_types: ['threat-report', 'malware'],
      published: T,
      object_refs: [IDS.malware, IDS.domain1, IDS.domain2, IDS.ip, IDS.hash, IDS.rel1, IDS.rel2, IDS.rel3, IDS.rel4],
      labels: ['energy', 'phishing'],
      object_marking_refs: [AMBER],
    },
  ];
  await ingestInTransaction(trx, brObjects, {
    source: 'api',
    actor: { personId: personIds.get('analyst.br@demo.puente.test')!, organisationId: br, viewer: null },
    defaultTlp: 'AMBER',
    audience: { organisations: [], communities: [csirts], people: [] },
  });

  const eeObjects = [
    {
      type: 'identity',
      spec_version: '2.1',
      id: eeBy,
      created: T2,
      modified: T2,
      name: 'Riigi Infosüsteemi Amet CERT-EE (demo)',
      identity_class: 'organization',
      object_marking_refs: [TLP2_IDS.CLEAR],
    },
    {
      type: 'campaign',
      spec_version: '2.1',
      id: IDS.campaign,
      created: T2,
      modified: T2,
      created_by_ref: eeBy,
      name: 'Invoice-themed phishing against port operators',
      first_seen: '2026-10-01T00:00:00.000Z',
      object_marking_refs: [GREEN],
    },
    indicator(IDS.eeIp, 'Shared C2 address', "[ipv4-addr:value = '203.0.113.45/32']", eeBy, GREEN),
    indicator(IDS.eeUrl, 'Invoice download', "[url:value = 'https://invoice-portal.example/dl/INV-2026-10.xlsm']", eeBy, GREEN),
    rel(IDS.rel5, IDS.eeIp, 'indicates', IDS.campaign, eeBy, GREEN),
    {
      type: 'report',
      spec_version: '2.1',
      id: IDS.eeReport,
      created: T2,
      modified: T2,
      created_by_ref: eeBy,
      name: 'Invoice-themed phishing against port operators (Baltic)',
      report_types: ['campaign'],
      published: T2,
      object_refs: [IDS.campaign, IDS.eeIp, IDS.eeUrl, IDS.rel5],
      object_marking_refs: [GREEN],
    },
  ];
  await ingestInTransaction(trx, eeObjects, {
    source: 'api',
    actor: { personId: personIds.get('analyst.ee@demo.puente.test')!, organisationId: ee, viewer: null },
    defaultTlp: 'GREEN',
    audience: { organisations: [], communities: [], people: [] },
  });

  // Chile saw two of the Brazilian indicators: shared like them (AMBER, CSIRTs community).
  const clPerson = personIds.get('analyst.cl@demo.puente.test')!;
  const seqOf = async (stixId: string) => (await trx.selectFrom('intel_objects').select('seq').where('stix_id', '=', stixId).executeTakeFirst())?.seq ?? null;
  for (const [target, count, sector] of [
    [IDS.domain1, 14, 'energy'],
    [IDS.ip, 3, 'energy'],
  ] as const) {
    const seq = await seqOf(target);
    if (!seq) continue;
    await trx
      .insertInto('intel_sightings')
      .values({
        id: newId(),
        object_seq: seq,
        sighting_of: target,
        count,
        first_seen: '2026-10-15T07:00:00.000Z',
        last_seen: '2026-10-19T18:00:00.000Z',
        country: 'CL',
        sector,
        anonymous: false,
        affects_us: false,
        reporter_id: clPerson,
        reporter_org_id: cl,
        tlp: 'AMBER',
        pap: 'CLEAR',
        author_id: clPerson,
        author_org_id: cl,
        audience_communities: [csirts],
      })
      .execute();
  }

  // The Colombian energy company: Log4Shell affects us (when the KEV reference is loaded).
  const log4shell = await trx.selectFrom('intel_objects').select(['seq', 'stix_id']).where('stix_type', '=', 'vulnerability').where('name', '=', 'CVE-2021-44228').executeTakeFirst();
  if (log4shell) {
    const coPerson = personIds.get('energy.co@demo.puente.test')!;
    await trx
      .insertInto('intel_sightings')
      .values({
        id: newId(),
        object_seq: log4shell.seq,
        sighting_of: log4shell.stix_id,
        count: 1,
        first_seen: '2026-10-02T00:00:00.000Z',
        last_seen: '2026-10-02T00:00:00.000Z',
        country: 'CO',
        anonymous: true,
        affects_us: true,
        reporter_id: coPerson,
        reporter_org_id: co,
        tlp: 'GREEN',
        pap: 'CLEAR',
        author_id: coPerson,
        author_org_id: co,
      })
      .execute();
  }
};
