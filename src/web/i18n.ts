import i18n, { type BackendModule } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from './api/types';
import enMain from './locales/en.json';

type Catalogue = { [key: string]: string | Catalogue };

/**
 * The catalogue of a language is src/web/locales/<lang>.json with the strings that feature
 * folders keep beside their code (features/<name>/locales/<lang>.json) merged in;
 * locales.test.ts holds every file complete. Only what is used is downloaded (vite.config.ts
 * groups the files into chunks):
 *
 * - English, the fallback: src/web/locales/en.json is part of the app's main script; the
 *   feature folders' English strings (the member menu's and the pages') are a chunk, loaded
 *   by `featureStrings()` before a member's first render and with every page chunk
 *   (router.tsx), so a visitor's landing and sign-in pages go without them;
 * - each other language is one chunk, main and feature strings together, loaded when
 *   i18next needs it: at start for a Spanish, Portuguese or French reader, or when the person
 *   picks it.
 *
 * A key asked for before its strings are there loads them (missingKeyHandler) and the
 * components re-render when they arrive (bindI18nStore): a moment of a raw key, never for good.
 */
const englishFeatures = import.meta.glob<Catalogue>('./features/*/locales/en.json', { import: 'default' });
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

let englishFeaturesLoaded: Promise<void> | null = null;
/** Set once a page or a member needed the feature strings: switching to English then loads them too. */
let featuresWanted = false;

function loadEnglishFeatures(): Promise<void> {
  englishFeaturesLoaded ??= Promise.all(Object.values(englishFeatures).map((load) => load())).then(
    (parts) => void i18n.addResourceBundle('en', 'translation', mergeAll({}, parts), true, true),
    (e: unknown) => {
      englishFeaturesLoaded = null;
      throw e;
    },
  );
  return englishFeaturesLoaded;
}

/**
 * The feature folders' strings of the language in use are there once this resolves (the other
 * languages' chunks carry them already). Call it before showing a member's menu or a page chunk.
 */
export function featureStrings(): Promise<void> {
  featuresWanted = true;
  return currentLanguage() === 'en' ? loadEnglishFeatures().catch(() => {}) : Promise.resolve();
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
    // A key not there yet: fetch the English feature strings (once), and re-render when they are added.
    saveMissing: true,
    missingKeyHandler: () => void loadEnglishFeatures().catch(() => {}),
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
i18n.on('languageChanged', (lng) => {
  if (featuresWanted && currentLanguage(lng) === 'en') void loadEnglishFeatures().catch(() => {});
});

export function currentLanguage(lng: string = i18n.resolvedLanguage ?? i18n.language ?? 'en'): UiLanguage {
  const base = lng.slice(0, 2).toLowerCase() as UiLanguage;
  return SUPPORTED.includes(base) ? base : 'en';
}

export default i18n;
