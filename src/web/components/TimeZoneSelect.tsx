import { Select } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { timeZoneLabel, timeZones } from './time';

/**
 * The one time-zone picker (the account page, the contact editor): every IANA zone the browser
 * knows, shown with its current offset ("America/Santiago (GMT-3)") and searchable by city.
 * `clearable` for optional fields, where '' means none.
 */
export function TimeZoneSelect({
  label,
  description,
  value,
  onChange,
  clearable = false,
  error,
}: {
  label: ReactNode;
  description?: ReactNode;
  value: string | null;
  onChange: (zone: string) => void;
  clearable?: boolean;
  error?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n.resolvedLanguage ?? i18n.language);
  const data = useMemo(() => {
    const list = timeZones();
    const all = value && !list.includes(value) ? [value, ...list] : list;
    const now = new Date();
    return all.map((zone) => ({ value: zone, label: timeZoneLabel(zone, lang, now) }));
  }, [value, lang]);
  return (
    <Select
      label={label}
      description={description}
      data={data}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      searchable
      clearable={clearable}
      allowDeselect={clearable}
      limit={100}
      nothingFoundMessage={t('common.noResults')}
      error={error}
    />
  );
}
