import i18n, { type BackendModule } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import type { UiLanguage } from './api/types';
import enMain from './locales/en.json';

type Catalogue = { [key: string]: string | Catalogue };

/**
 * The catalogue of a language is src/web/locales/<lang>.json with the strings that feature
 * folders keep beside their code (features/<name>/locales/<lang>.json) merged in;
 * locales.test.ts holds every file complete. English, the fallback, is part of the app's
 * main script; each other language is one chunk (vite.config.ts groups its files), downloaded
 * only when i18next needs it: at start for a Spanish, Portuguese or French reader, or when
 * the person picks it.
 */
const englishFeatures = import.meta.glob<Catalogue>('./features/*/locales/en.json', { eager: true, import: 'default' });
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

export const LANGUAGE_STORAGE_KEY = 'puente.uiLanguage';
export const SUPPORTED: UiLanguage[] = ['en', 'es', 'pt', 'fr'];

/** Resolves once the strings of the language in use (and of English, the fallback) are loaded: render after it. */
export const i18nReady = i18n
  .use(otherLanguages)
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: mergeAll(enMain, Object.values(englishFeatures)) } },
    // English is bundled; the backend loads the others.
    partialBundledLanguages: true,
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
