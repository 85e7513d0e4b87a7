import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import pt from './locales/pt.json';
import fr from './locales/fr.json';
import type { UiLanguage } from './api/types';

type Catalogue = { [key: string]: string | Catalogue };

/**
 * Feature folders may keep their strings beside their code, in
 * features/<name>/locales/{en,es,pt,fr}.json; they are merged into the main
 * catalogue (src/web/locales). locales.test.ts holds every file complete.
 */
const featureCatalogues = import.meta.glob<Catalogue>('./features/*/locales/*.json', { eager: true, import: 'default' });

function merge(into: Catalogue, from: Catalogue): Catalogue {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    into[k] = typeof v === 'object' && typeof cur === 'object' ? merge({ ...cur }, v) : v;
  }
  return into;
}

function catalogue(lang: UiLanguage, main: Catalogue): Catalogue {
  const out = merge({}, main);
  for (const [file, cat] of Object.entries(featureCatalogues)) if (file.endsWith(`/locales/${lang}.json`)) merge(out, cat);
  return out;
}

export const LANGUAGE_STORAGE_KEY = 'puente.uiLanguage';
export const SUPPORTED: UiLanguage[] = ['en', 'es', 'pt', 'fr'];

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      en: { translation: catalogue('en', en) },
      es: { translation: catalogue('es', es) },
      pt: { translation: catalogue('pt', pt) },
      fr: { translation: catalogue('fr', fr) },
    },
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
