import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Country } from '../api/types';
import { useApi } from '../api/useApi';
import { FALLBACK_COUNTRIES } from './countryList';
import { useLabels } from './labels';

export function useCountries(): { code: string; region: 'EU' | 'LAC' | 'INT' }[] {
  const { data } = useApi<Country[]>('/api/v1/countries', { quiet401: true });
  return data && Array.isArray(data) && data.length > 0 ? data : FALLBACK_COUNTRIES;
}

/** Countries grouped EU / Latin America & Caribbean / International, names in the UI language (for Select and MultiSelect). */
export function useCountryOptions() {
  const { t } = useTranslation();
  const labels = useLabels();
  const countries = useCountries();
  return useMemo(() => {
    const group = (region: string) =>
      countries
        .filter((c) => c.region === region)
        .map((c) => ({ value: c.code, label: labels.country(c.code) }))
        .sort((a, b) => a.label.localeCompare(b.label, labels.lang));
    return [
      { group: t('regions.EU'), items: group('EU') },
      { group: t('regions.LAC'), items: group('LAC') },
      { group: t('regions.INT'), items: group('INT') },
    ].filter((g) => g.items.length > 0);
  }, [countries, labels, t]);
}

/** A country picker: names in the UI language, grouped by region. */
export function CountrySelect(props: Omit<SelectProps, 'data'>) {
  const data = useCountryOptions();
  return <Select searchable data={data} {...props} />;
}
