import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import pt from './locales/pt.json';
import fr from './locales/fr.json';
import type { UiLanguage } from './api/types';

export const LANGUAGE_STORAGE_KEY = 'puente.uiLanguage';
export const SUPPORTED: UiLanguage[] = ['en', 'es', 'pt', 'fr'];

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en }, es: { translation: es }, pt: { translation: pt }, fr: { translation: fr } },
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
