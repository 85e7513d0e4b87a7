import i18n, { type BackendModule } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from './api/types';
import enMain from './locales/en.json';

type Catalogue = { [key: string]: string | Catalogue };

/**
 * The catalogue of a language is src/web/locales/<lang>.json with the strings that feature
 * folders keep beside their code (features/<name>/locales/<lang>.json) merged in;
 * locales.test.ts holds every file complete. Only what is used is downloaded:
 *
 * - English, the fallback: src/web/locales/en.json is part of the app's main script; a feature
 *   folder's English strings are in the chunk of the code that names its keys, and add
 *   themselves as that chunk is evaluated (`addEnglishStrings`, imported by the build's
 *   `englishStrings` plugin, vite.config.ts): a page brings the strings it shows, and a
 *   visitor's landing and sign-in pages none of the features';
 * - each other language is one chunk, main and feature strings together, loaded when
 *   i18next needs it: at start for a Spanish, Portuguese or French reader, or when the person
 *   picks it.
 *
 * A key with no string in English and no default is a bug (a key the build could not trace to
 * its folder, or one no catalogue has): it is reported in the console, where the browser tests
 * and Lighthouse look.
 */
const mainCatalogues = import.meta.glob<Catalogue>(['./locales/*.json', '!./locales/en.json'], { import: 'default' });
const featureCatalogues = import.meta.glob<Catalogue>(['./features/*/locales/*.json', '!./features/*/locales/en.json'], { import: 'default' });

function merge(into: Catalogue, from: Catalogue): Catalogue {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    into[k] = typeof v === 'object' && typeof cur === 'object' ? merge({ ...cur }, v) : v;
  }
  return into;
}

function mergeAll(main: Catalogue, features: Catalogue[]): Catalogue {
  const out = merge({}, main);
  for (const part of features) merge(out, part);
  return out;
}

async function catalogue(lang: string): Promise<Catalogue> {
  const main = mainCatalogues[`./locales/${lang}.json`];
  if (!main) throw new Error(`no catalogue for ${lang}`);
  const features = Object.entries(featureCatalogues).filter(([file]) => file.endsWith(`/locales/${lang}.json`));
  const [base, ...parts] = await Promise.all([main(), ...features.map(([, load]) => load())]);
  return mergeAll(base!, parts);
}

/** An i18next backend that reads the other languages' chunks. */
const otherLanguages: BackendModule = {
  type: 'backend',
  init() {},
  read(lang, _namespace, done) {
    catalogue(lang).then(
      (c) => done(null, c),
      (e: Error) => done(e, false),
    );
  },
};

/**
 * Adds a feature folder's English strings (vite.config.ts, `englishStrings`). Quietly: nothing
 * rendered yet needs them (they come with the code that shows them), so no component re-renders.
 * Top-level keys belong to one folder each, so a shallow merge is enough.
 */
export function addEnglishStrings(strings: Catalogue): void {
  i18n.addResourceBundle('en', 'translation', strings, false, true, { silent: true, skipCopy: true });
}

export const LANGUAGE_STORAGE_KEY = 'puente.uiLanguage';
export const SUPPORTED: UiLanguage[] = ['en', 'es', 'pt', 'fr'];

/** Resolves once the strings of the language in use (and of English, the fallback) are loaded: render after it. */
export const i18nReady = i18n
  .use(otherLanguages)
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: enMain } },
    // English's main strings are bundled; the backend loads the other languages.
    partialBundledLanguages: true,
    saveMissing: true,
    // A key asked for with a default (a STIX type the app has no name for) falls back to it by design.
    missingKeyHandler: (_languages, _namespace, key, _fallback, _update, options: { defaultValue?: unknown } | undefined) => {
      if (options?.defaultValue === undefined) console.error(`Puente: no English string for "${key}"`);
    },
    // The other languages' chunks arrive after the first render: show their strings when they do.
    react: { bindI18nStore: 'added' },
    supportedLngs: SUPPORTED,
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
    },
  });

function applyDocumentLanguage(lng: string) {
  document.documentElement.lang = currentLanguage(lng);
}
applyDocumentLanguage(i18n.resolvedLanguage ?? i18n.language ?? 'en');
i18n.on('languageChanged', applyDocumentLanguage);

export function currentLanguage(lng: string = i18n.resolvedLanguage ?? i18n.language ?? 'en'): UiLanguage {
  const base = lng.slice(0, 2).toLowerCase() as UiLanguage;
  return SUPPORTED.includes(base) ? base : 'en';
}

export default i18n;
