// Every code of the RSIT and NIS2 vocabularies the server takes (src/shared/incidents.ts) is said
// in words in each of the four languages: a value missing here would show as its raw code.
import { describe, expect, it } from 'vitest';
import { INCIDENT_LINK_RELATIONSHIPS, INCIDENT_OUTCOMES, INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_OUTLOOKS, NIS2_REPORTS, NIS2_ROOT_CAUSES, NIS2_SECTORS, NIS2_SUBSECTORS, NIS2_THREAT_SEVERITIES, RSIT } from '#shared/incidents';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import pt from './locales/pt.json';
import { SUBSECTORS_OF } from './subsectors';

type Tree = { [k: string]: string | Tree };
const at = (tree: Tree, path: string): unknown => path.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Tree)[k] : undefined), tree);

const groups: [string, readonly string[]][] = [
  ['rsit.categories', Object.keys(RSIT)],
  ['rsit.types', Object.values(RSIT).flat()],
  ['sectors', NIS2_SECTORS],
  ['subsectors', NIS2_SUBSECTORS],
  ['severity', NIS2_IMPACT_SEVERITIES],
  ['outlook', NIS2_OUTLOOKS],
  ['rootCause', NIS2_ROOT_CAUSES],
  ['threat', NIS2_THREAT_SEVERITIES],
  ['status', INCIDENT_STATUSES],
  ['outcome', INCIDENT_OUTCOMES],
  ['reports', NIS2_REPORTS],
  ['view.links.relationships', INCIDENT_LINK_RELATIONSHIPS],
];

describe('the incident vocabularies in words', () => {
  for (const [lang, catalogue] of Object.entries({ en, es, pt, fr })) {
    it(`${lang} names every RSIT class and every NIS2 value`, () => {
      const missing = groups.flatMap(([group, codes]) => codes.filter((c) => typeof at(catalogue as Tree, `incidents.${group}.${c}`) !== 'string').map((c) => `${group}.${c}`));
      expect(missing).toEqual([]);
    });
  }

  it('says the impact severity with its colour in words, never by colour alone', () => {
    for (const catalogue of [en, es, pt, fr]) for (const s of NIS2_IMPACT_SEVERITIES) expect(at(catalogue as Tree, `incidents.severity.${s}`)).toMatch(/ — /);
  });

  it('files every NIS2 subsector under exactly one sector', () => {
    const filed = Object.values(SUBSECTORS_OF).flat();
    expect([...filed].sort()).toEqual([...NIS2_SUBSECTORS].sort());
    expect(Object.keys(SUBSECTORS_OF).sort()).toEqual([...NIS2_SECTORS].sort());
  });
});
