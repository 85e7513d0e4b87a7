import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { useTimeZone } from '../session';
import { formatDate, formatDateTime } from './time';

/** Intl.DisplayNames by language and type, built once (a table calls useLabels in every row). */
const displayNames = new Map<string, Intl.DisplayNames | null>();
function namesOf(lang: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = `${lang}|${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([lang], { type }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key)!;
}

/** Translated labels for codes (countries through Intl.DisplayNames, organisation types, sectors, roles, statuses) and dates and times in the person's time zone. */
export function useLabels() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.resolvedLanguage ?? i18n.language);
  const timeZone = useTimeZone();
  return useMemo(() => {
    // Built when first asked for: the first Intl.DisplayNames of a page loads its data (12 ms on a
    // laptop, about 50 on a slow phone), which a page that names no country should not pay.
    const regions = () => namesOf(lang, 'region');
    const languages = () => namesOf(lang, 'language');
    return {
      lang,
      timeZone,
      country(code: string | null | undefined): string {
        if (!code) return '';
        if (code === 'INT') return t('countries.INT');
        try {
          return regions()?.of(code) ?? code;
        } catch {
          return code;
        }
      },
      language(code: string): string {
        try {
          return languages()?.of(code) ?? code;
        } catch {
          return code;
        }
      },
      orgType: (code: string) => t(`orgTypes.${code}`, { defaultValue: code }),
      sector: (code: string) => t(`sectors.${code}`, { defaultValue: code }),
      role: (code: string) => t(`roles.${code}`, { defaultValue: code }),
      orgStatus: (code: string) => t(`orgStatus.${code}`, { defaultValue: code }),
      /** A moment, in the person's time zone and labelled with it (components/time.ts). */
      dateTime: (iso: string | null | undefined) => formatDateTime(iso, { lang, timeZone }),
      /** The day of a moment in the person's time zone; a calendar date ("2025-12-06") as it is. */
      date: (iso: string | null | undefined) => formatDate(iso, { lang, timeZone }),
    };
  }, [lang, t, timeZone]);
}
