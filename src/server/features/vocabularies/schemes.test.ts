import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORGANISATION_TYPES } from '#shared/organisations';
import { SECTORS } from '#shared/sectors';
import { loadSchemes, schemeProblems, VOCABULARY_LANGUAGES, type SchemeData } from './schemes.js';

const schemes = loadSchemes();
const scheme = (id: string) => schemes.find((s) => s.id === id)!;

describe('the shipped vocabularies', () => {
  it('hold together: ids, a label in every language, broader and related concepts that exist, a source', () => {
    expect(schemeProblems(schemes)).toEqual([]);
  });

  it('are the schemes the charter and the issue name, in order', () => {
    expect(schemes.map((s) => s.id)).toEqual(['action-areas', 'workstreams', 'takeaways', 'santo-domingo-pillars', 'un-norms-2015', 'gfce-themes', 'ecsf-roles', 'nis2-sectors', 'organisation-types', 'content-types']);
    expect(scheme('takeaways').concepts.filter((c) => !c.broader).map((c) => c.notation)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(scheme('takeaways').concepts.filter((c) => c.broader === '7').map((c) => c.notation)).toEqual(['7a', '7b', '7c', '7d', '7e']);
    expect(scheme('un-norms-2015').concepts.map((c) => c.notation)).toEqual('abcdefghijk'.split('').map((l) => `13(${l})`));
    expect(scheme('un-norms-2015').source.identifier).toBe('A/70/174');
    expect(scheme('santo-domingo-pillars').concepts).toHaveLength(4);
    expect(scheme('gfce-themes').concepts.filter((c) => !c.broader).map((c) => c.notation)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(scheme('action-areas').concepts).toHaveLength(3);
  });

  it('take NIS2 sectors and organisation types from the lists the server checks, labelled by the web app’s catalogues', () => {
    expect(scheme('nis2-sectors').concepts.map((c) => c.id)).toEqual([...SECTORS]);
    expect(scheme('organisation-types').concepts.map((c) => c.id)).toEqual(ORGANISATION_TYPES.map((t) => t.replace(/_/g, '-')));
    for (const c of [...scheme('nis2-sectors').concepts, ...scheme('organisation-types').concepts]) expect(Object.keys(c.prefLabel).sort()).toEqual([...VOCABULARY_LANGUAGES].sort());
  });

  it('tie every takeaway to its action area and workstream', () => {
    for (const c of scheme('takeaways').concepts.filter((t) => !t.broader)) {
      expect(c.related?.filter((r) => r.startsWith('action-areas/')), c.id).toHaveLength(1);
      expect(c.related?.filter((r) => r.startsWith('workstreams/')), c.id).toHaveLength(1);
    }
  });
});

describe('schemeProblems', () => {
  const base = (): SchemeData => ({
    id: 'x',
    labels: { en: 'X', es: 'X', pt: 'X', fr: 'X' },
    source: { title: 't', publisher: 'p' },
    concepts: [
      { id: 'a', prefLabel: { en: 'A', es: 'A', pt: 'A', fr: 'A' } },
      { id: 'b', prefLabel: { en: 'B', es: 'B', pt: 'B', fr: 'B' }, broader: 'a' },
    ],
  });
  it('names a missing language, an unknown broader concept, a cycle, a dangling relation and a duplicate', () => {
    const s = base();
    delete (s.concepts[0]!.prefLabel as Record<string, string>).pt;
    s.concepts.push({ id: 'c', prefLabel: { en: 'C', es: 'C', pt: 'C', fr: 'C' }, broader: 'zz' });
    s.concepts[0]!.broader = 'b';
    s.concepts[1]!.related = ['nowhere/a'];
    s.concepts.push({ id: 'b', prefLabel: { en: 'B', es: 'B', pt: 'B', fr: 'B' } });
    const problems = schemeProblems([s]).join('\n');
    expect(problems).toContain('x/a: no preferred label in pt');
    expect(problems).toContain('x/c: broader concept zz is not in the scheme');
    expect(problems).toMatch(/cycle/);
    expect(problems).toContain('related concept nowhere/a does not exist');
    expect(problems).toContain('x/b: concept listed twice');
  });
  it('reads a data folder of its own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vocab-'));
    fs.writeFileSync(path.join(dir, 'x.json'), JSON.stringify(base()));
    const loaded = loadSchemes(dir);
    expect(loaded.map((s) => s.id)).toEqual(['nis2-sectors', 'organisation-types', 'x']);
    expect(schemeProblems(loaded)).toEqual([]);
  });
});
