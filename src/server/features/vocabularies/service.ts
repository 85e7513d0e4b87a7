import type { Actor } from '../../platform/actor.js';
import type { TaggedItem } from '../../platform/concepts.js';
import type { Platform } from '../../platform/deps.js';
import type { Feature } from '../../platform/feature.js';
import { notFound } from '../../platform/errors.js';
import { listConceptRows, listSchemeRows, sectorAnnexes, storeSchemes, type ConceptRow } from './repository.js';
import { loadSchemes, schemeProblems } from './schemes.js';

/**
 * Store the schemes shipped with this version (at start, features/index.ts). A data file that
 * does not hold together stops the start, naming what is wrong: a tag must never point nowhere.
 */
export async function storeShippedSchemes(p: Pick<Platform, 'db'>): Promise<void> {
  const schemes = loadSchemes();
  const problems = schemeProblems(schemes);
  if (problems.length) throw new Error(`The vocabularies shipped in features/vocabularies/data do not hold together:\n${problems.join('\n')}`);
  const annexes = await sectorAnnexes(p.db);
  for (const c of schemes.find((s) => s.id === 'nis2-sectors')?.concepts ?? []) c.notation = annexes.get(c.id);
  await storeSchemes(p.db, schemes);
}

/** The text in the first of the reader's languages it exists in, else English, else any; and that language. */
function inReaderLanguage(texts: Record<string, string>, wanted: readonly string[]): { text: string; lang: string } | null {
  const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;
  for (const w of [...wanted, 'en']) {
    const hit = Object.keys(texts).find((k) => primary(k) === primary(w));
    if (hit && texts[hit]) return { text: texts[hit], lang: hit };
  }
  const [first] = Object.entries(texts);
  return first ? { text: first[1], lang: first[0] } : null;
}

const schemeView = (r: Awaited<ReturnType<typeof listSchemeRows>>[number], actor: Actor, baseUrl: string) => {
  const label = inReaderLanguage(r.labels, actor.readerLanguages)!;
  return { id: r.id, uri: `${baseUrl}/vocabularies/${r.id}`, label: label.text, lang: label.lang, labels: r.labels, source: r.source, concepts: r.concepts };
};

/** Every concept scheme, labelled in the reader's language. Public: vocabularies are CLEAR reference data. */
export async function listVocabularies(p: Platform, actor: Actor) {
  return { items: (await listSchemeRows(p.db)).map((r) => schemeView(r, actor, p.config.baseUrl)) };
}

/** A scheme's concepts, each with its broader and narrower concepts, in the reader's language; `q` searches every label in every language. */
export async function listConcepts(p: Platform, actor: Actor, schemeId: string, q?: string) {
  const [scheme] = await listSchemeRows(p.db, schemeId);
  if (!scheme) throw notFound('Vocabulary');
  const all = await listConceptRows(p.db, schemeId);
  const shown = q?.trim() ? await listConceptRows(p.db, schemeId, { q: q.trim() }) : all;
  const narrower = new Map<string, string[]>();
  for (const c of all) if (c.broader) narrower.set(c.broader, [...(narrower.get(c.broader) ?? []), c.id]);
  const view = (c: ConceptRow) => {
    const label = inReaderLanguage(c.prefLabels, actor.readerLanguages)!;
    const definition = inReaderLanguage(c.definition, actor.readerLanguages);
    return {
      id: c.id,
      uri: `${p.config.baseUrl}/vocabularies/${schemeId}/${c.id}`,
      notation: c.notation,
      prefLabel: label.text,
      lang: label.lang,
      prefLabels: c.prefLabels,
      altLabels: c.altLabels,
      definition,
      broader: c.broader,
      narrower: narrower.get(c.id) ?? [],
      related: c.related,
    };
  };
  return { scheme: schemeView(scheme, actor, p.config.baseUrl), items: shown.map(view) };
}

/**
 * A concept's page: the concept, and what every feature has tagged with it that the reader may
 * see — each feature reads its own records through its own repository, so through the policy.
 */
export async function conceptPage(p: Platform, actor: Actor, features: readonly Feature[], schemeId: string, conceptId: string, limit: number) {
  const { scheme, items } = await listConcepts(p, actor, schemeId);
  const concept = items.find((c) => c.id === conceptId);
  if (!concept) throw notFound('Concept');
  const tag = `${schemeId}/${conceptId}`;
  const tagged: TaggedItem[] = [];
  for (const f of features) if (f.tagged) tagged.push(...(await f.tagged(p, actor, tag, limit)));
  tagged.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.title.localeCompare(b.title));
  return { scheme, concept, items: tagged.slice(0, limit) };
}
