import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';

/** Translated labels for codes: countries (Intl.DisplayNames), organisation types, sectors, roles, statuses. */
export function useLabels() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.resolvedLanguage ?? i18n.language);
  return useMemo(() => {
    let regions: Intl.DisplayNames | null = null;
    try {
      regions = new Intl.DisplayNames([lang], { type: 'region' });
    } catch {
      regions = null;
    }
    let languages: Intl.DisplayNames | null = null;
    try {
      languages = new Intl.DisplayNames([lang], { type: 'language' });
    } catch {
      languages = null;
    }
    const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
    return {
      lang,
      country(code: string | null | undefined): string {
        if (!code) return '';
        if (code === 'INT') return t('countries.INT');
        try {
          return regions?.of(code) ?? code;
        } catch {
          return code;
        }
      },
      language(code: string): string {
        try {
          return languages?.of(code) ?? code;
        } catch {
          return code;
        }
      },
      orgType: (code: string) => t(`orgTypes.${code}`, { defaultValue: code }),
      sector: (code: string) => t(`sectors.${code}`, { defaultValue: code }),
      role: (code: string) => t(`roles.${code}`, { defaultValue: code }),
      orgStatus: (code: string) => t(`orgStatus.${code}`, { defaultValue: code }),
      dateTime: (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      date: (iso: string | null | undefined) => (iso ? date.format(new Date(iso)) : '—'),
    };
  }, [lang, t]);
}
