import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ORGANISATION_TYPES } from '#shared/organisations';
import { SECTORS } from '#shared/sectors';

/** The platform's four languages: every scheme and concept has a label in each. */
export const VOCABULARY_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
/** Text by BCP 47 language tag. */
export type LangText = Record<string, string>;

/** Where a scheme comes from: a publication, or Puente itself for its own kinds. */
export interface SchemeSource {
  title: string;
  publisher: string;
  url?: string;
  identifier?: string;
  date?: string;
  note?: string;
}

/** A concept (`skos:Concept`): labels per language, its place in the hierarchy, its related concepts elsewhere. */
export interface ConceptData {
  id: string;
  notation?: string;
  prefLabel: LangText;
  altLabel?: Record<string, string[]>;
  definition?: LangText;
  /** A concept of the same scheme, by id. */
  broader?: string;
  /** Concepts of any scheme, as `scheme/concept`. */
  related?: string[];
}

/** A concept scheme (`skos:ConceptScheme`) as shipped in `data/<id>.json`. */
export interface SchemeData {
  id: string;
  labels: LangText;
  source: SchemeSource;
  concepts: ConceptData[];
}

const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');
/** The web app's catalogues: the labels of sectors and organisation types are theirs, used once for both. */
const WEB_LOCALES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../web/locales');

/** The order schemes are listed in: the charter first, then what it builds on. */
const ORDER = ['action-areas', 'workstreams', 'takeaways', 'santo-domingo-pillars', 'un-norms-2015', 'gfce-themes', 'ecsf-roles', 'nis2-sectors', 'organisation-types', 'content-types'];

function webLabels(section: 'sectors' | 'orgTypes', codes: readonly string[]): Record<string, LangText> {
  const out: Record<string, LangText> = Object.fromEntries(codes.map((c) => [c, {}]));
  for (const lang of VOCABULARY_LANGUAGES) {
    const catalogue = JSON.parse(fs.readFileSync(path.join(WEB_LOCALES, `${lang}.json`), 'utf8')) as Record<string, Record<string, string>>;
    for (const c of codes) if (catalogue[section]?.[c]) out[c]![lang] = catalogue[section][c];
  }
  return out;
}

/** The schemes Puente keeps as lists in src/shared, as concept schemes (ids with `-` for `_`). */
function derivedSchemes(): SchemeData[] {
  const sectors = webLabels('sectors', SECTORS);
  const types = webLabels('orgTypes', ORGANISATION_TYPES);
  return [
    {
      id: 'nis2-sectors',
      labels: { en: 'NIS2 sectors', es: 'Sectores de la NIS2', pt: 'Setores da NIS2', fr: 'Secteurs de la NIS 2' },
      source: { title: 'Directive (EU) 2022/2555 (NIS2), Annexes I and II', publisher: 'European Union', identifier: 'CELEX:32022L2555', url: 'https://eur-lex.europa.eu/eli/dir/2022/2555/oj', date: '2022-12-14', note: 'Sector codes as in the MISP nis2 taxonomy.' },
      // The annex (the notation) comes from the sectors table when the schemes are stored (service.ts).
      concepts: SECTORS.map((s) => ({ id: s, prefLabel: sectors[s]! })),
    },
    {
      id: 'organisation-types',
      labels: { en: 'Types of member organisation', es: 'Tipos de organización miembro', pt: 'Tipos de organização membro', fr: 'Types d’organisation membre' },
      source: { title: 'Puente: the kinds of organisation the secretariat vets members as', publisher: 'Puente' },
      concepts: ORGANISATION_TYPES.map((t) => ({ id: t.replace(/_/g, '-'), prefLabel: types[t]! })),
    },
  ];
}

/** Every scheme: the data files and the derived ones, in listing order. */
export function loadSchemes(dir = DATA_DIR): SchemeData[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  const schemes = [...files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SchemeData), ...derivedSchemes()];
  const rank = (id: string) => (ORDER.includes(id) ? ORDER.indexOf(id) : ORDER.length);
  return schemes.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

const SCHEME_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CONCEPT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * What is wrong with a set of schemes, in words (empty when nothing): ids, a label in every
 * language, broader concepts that exist without cycles, related concepts that exist, a source.
 */
export function schemeProblems(schemes: SchemeData[]): string[] {
  const problems: string[] = [];
  const known = new Set(schemes.flatMap((s) => s.concepts.map((c) => `${s.id}/${c.id}`)));
  const ids = new Set<string>();
  for (const s of schemes) {
    if (!SCHEME_ID.test(s.id)) problems.push(`${s.id}: not a valid scheme id`);
    if (ids.has(s.id)) problems.push(`${s.id}: scheme listed twice`);
    ids.add(s.id);
    if (!s.source?.title || !s.source?.publisher) problems.push(`${s.id}: no source title and publisher`);
    for (const lang of VOCABULARY_LANGUAGES) if (!s.labels?.[lang]?.trim()) problems.push(`${s.id}: no label in ${lang}`);
    const byId = new Map<string, ConceptData>();
    for (const c of s.concepts) {
      if (!CONCEPT_ID.test(c.id)) problems.push(`${s.id}/${c.id}: not a valid concept id`);
      if (byId.has(c.id)) problems.push(`${s.id}/${c.id}: concept listed twice`);
      byId.set(c.id, c);
      for (const lang of VOCABULARY_LANGUAGES) if (!c.prefLabel?.[lang]?.trim()) problems.push(`${s.id}/${c.id}: no preferred label in ${lang}`);
      for (const r of c.related ?? []) if (!known.has(r)) problems.push(`${s.id}/${c.id}: related concept ${r} does not exist`);
    }
    for (const c of s.concepts) {
      if (c.broader === undefined) continue;
      if (!byId.has(c.broader)) problems.push(`${s.id}/${c.id}: broader concept ${c.broader} is not in the scheme`);
      const seen = new Set<string>([c.id]);
      for (let up = byId.get(c.broader); up; up = up.broader === undefined ? undefined : byId.get(up.broader)) {
        if (seen.has(up.id)) {
          problems.push(`${s.id}/${c.id}: its broader concepts form a cycle`);
          break;
        }
        seen.add(up.id);
      }
    }
  }
  return problems;
}
