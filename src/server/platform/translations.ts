import { Type, type Static } from 'typebox';
import { AppError } from './errors.js';

/**
 * Multilingual content, once, for every kind of record (notes and communities now;
 * the knowledge base, capacity building and crises next).
 *
 * A record is written in one language, its source: the record's own text columns
 * hold the source, `language` says which (a BCP 47 tag) and `source_rev` counts its
 * edits. Its translations live beside it in `translations` (jsonb), one per
 * language, each holding every translatable field of the record, the source
 * revision it was made from (so it shows as outdated once the source changes), and
 * whether it was made by a machine (imported from elsewhere), which readers are
 * told. A reader gets their language, else the source with a note saying so and
 * the languages there are; search indexes every version with its own language's
 * stemming (migration 0017: puente_translatable_tsvector and puente_text_tsquery).
 *
 * The columns a table adds (migration): language text, source_rev int, translations jsonb.
 */

export interface Translation<F extends string = string> {
  fields: Record<F, string>;
  /** The source revision it was made from. */
  basedOn: number;
  /** Made by a machine (imported from elsewhere, not reviewed by a person). */
  machine: boolean;
  at: string;
  by: string | null;
}
export type Translations<F extends string = string> = Record<string, Translation<F>>;

/** What a table stores for translatable content, as read from a row. */
export interface TranslatableRow<F extends string = string> {
  language: string;
  source_rev: number;
  translations: unknown;
  source: Record<F, string>;
}

/**
 * A well-formed BCP 47 tag, in its canonical case ("pt-br" → "pt-BR"), or null.
 * Intl knows the syntax of RFC 5646; private-use and grandfathered oddities are refused.
 */
export function canonicalTag(tag: unknown): string | null {
  if (typeof tag !== 'string' || tag.length < 2 || tag.length > 35 || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    const [c] = Intl.getCanonicalLocales(tag);
    return c ?? null;
  } catch {
    return null;
  }
}

/** The tag, canonical, or a 400 naming the field. */
export function requireTag(tag: unknown, field = 'language'): string {
  const c = canonicalTag(tag);
  if (!c) throw new AppError('VALIDATION_FAILED', `"${String(tag)}" is not a BCP 47 language tag such as es, pt-BR or fr`, { field });
  return c;
}

const primary = (tag: string) => tag.split('-')[0]!.toLowerCase();

/** Do these two tags name the same language for a reader ("pt" and "pt-BR" do)? */
export const sameLanguage = (a: string, b: string) => primary(a) === primary(b);

export function translationsOf<F extends string>(v: unknown): Translations<F> {
  const obj = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return obj && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Translations<F>) : {};
}

export const isOutdated = (t: Translation, sourceRev: number) => t.basedOn < sourceRev;

/** The API's account of which version a reader is shown and which exist. */
export const TranslationInfo = Type.Object(
  {
    /** The language of the text shown. */
    shown: Type.String(),
    /** The language the record was written in. */
    source: Type.String(),
    /** The reader's language is missing: the source is shown instead. */
    fallback: Type.Boolean(),
    /** The version shown was made from an older source and may say less or other things. */
    outdated: Type.Boolean(),
    /** The version shown was made by a machine. */
    machine: Type.Boolean(),
    versions: Type.Array(Type.Object({ language: Type.String(), source: Type.Boolean(), outdated: Type.Boolean(), machine: Type.Boolean() })),
  },
  { description: 'Which language version is shown, and which exist' },
);
export type TranslationInfo = Static<typeof TranslationInfo>;

/**
 * The version of a record to show a reader who reads `wanted` (in order of preference):
 * the first wanted language that exists (the source included), else the source.
 * `lang` forces one version (a reader asking for a given language).
 */
export function showFor<F extends string>(row: TranslatableRow<F>, wanted: readonly string[], lang?: string): { fields: Record<F, string>; info: TranslationInfo } {
  const all = translationsOf<F>(row.translations);
  const versions: TranslationInfo['versions'] = [
    { language: row.language, source: true, outdated: false, machine: false },
    ...Object.entries(all)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([language, t]) => ({ language, source: false, outdated: isOutdated(t, row.source_rev), machine: t.machine })),
  ];
  const pick = (w: string) => (sameLanguage(w, row.language) ? row.language : Object.keys(all).find((l) => l === w) ?? Object.keys(all).find((l) => sameLanguage(l, w)) ?? null);
  const chosen = (lang ? pick(lang) : null) ?? wanted.map(pick).find((x) => x !== null) ?? row.language;
  const t = chosen === row.language ? null : all[chosen]!;
  return {
    fields: t ? { ...row.source, ...t.fields } : row.source,
    info: {
      shown: chosen,
      source: row.language,
      fallback: !(lang ? [lang] : wanted).some((w) => sameLanguage(w, chosen)),
      outdated: t ? isOutdated(t, row.source_rev) : false,
      machine: t?.machine ?? false,
      versions,
    },
  };
}

/** Add or replace the translation of a record into `lang` (not its source language). */
export function withTranslation<F extends string>(
  current: unknown,
  row: { language: string; source_rev: number },
  lang: string,
  fields: Record<F, string>,
  o: { machine?: boolean; by: string | null; at?: Date; basedOn?: number },
): Translations<F> {
  const tag = requireTag(lang, 'language');
  if (sameLanguage(tag, row.language)) throw new AppError('VALIDATION_FAILED', `The record is written in ${row.language}: edit it instead of translating it into ${tag}`, { field: 'language' });
  const all = { ...translationsOf<F>(current) };
  // One version per language: "pt" replaces "pt-BR" and the reverse.
  for (const l of Object.keys(all)) if (sameLanguage(l, tag)) delete all[l];
  // A translation made elsewhere (an XLIFF file) says which revision it was made from: an older
  // one shows as outdated at once. Never later than the source.
  const basedOn = Math.min(o.basedOn ?? row.source_rev, row.source_rev);
  all[tag] = { fields, basedOn, machine: !!o.machine, at: (o.at ?? new Date()).toISOString(), by: o.by };
  return all;
}

export function withoutTranslation<F extends string>(current: unknown, lang: string): Translations<F> {
  const all = { ...translationsOf<F>(current) };
  const key = Object.keys(all).find((l) => sameLanguage(l, lang));
  if (!key) throw new AppError('NOT_FOUND', `No translation into ${lang}`);
  delete all[key];
  return all;
}

/**
 * The languages a reader reads, best first: an explicit choice, their account's
 * interface language and languages, then the browser's Accept-Language.
 */
export function readerLanguages(o: { explicit?: string | null; uiLanguage?: string | null; languages?: readonly string[]; acceptLanguage?: string | null }): string[] {
  const out: string[] = [];
  const add = (x: unknown) => {
    const c = canonicalTag(x);
    if (c && !out.some((y) => sameLanguage(y, c))) out.push(c);
  };
  add(o.explicit);
  add(o.uiLanguage);
  for (const l of o.languages ?? []) add(l);
  for (const part of (o.acceptLanguage ?? '').split(',')) add(part.split(';')[0]!.trim());
  return out;
}

/** The reader's languages for a request: `?lang=`, the account's, then the browser's. */
export function readerLanguagesOf(req: {
  principal?: { person: { uiLanguage?: string | null; languages?: readonly string[] } } | null;
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
}): string[] {
  const q = req.query && typeof req.query === 'object' ? (req.query as { lang?: unknown }).lang : undefined;
  const accept = req.headers['accept-language'];
  return readerLanguages({
    explicit: typeof q === 'string' ? q : null,
    uiLanguage: req.principal?.person.uiLanguage ?? null,
    languages: req.principal?.person.languages ?? [],
    acceptLanguage: Array.isArray(accept) ? accept.join(',') : (accept ?? null),
  });
}

/** The translation body the API takes: every translatable field, and whether a machine made it. */
export const TranslationInput = <F extends string>(fields: Record<F, ReturnType<typeof Type.String>>) =>
  Type.Object({ ...fields, machine: Type.Optional(Type.Boolean({ default: false, description: 'Made by a machine (imported from elsewhere): readers are told' })) }, { additionalProperties: false });

/** The `lang` path parameter of translation routes. */
export const LanguageParam = Type.String({ minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$', description: 'A BCP 47 language tag such as es, pt-BR or fr' });
