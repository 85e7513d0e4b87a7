import { Select } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConcepts } from './concepts';
import { useLabels } from './labels';

/**
 * A list's concept filter: every scheme's concepts, grouped by scheme, asked for when the
 * picker is first opened (or when the address names one, to show its label).
 */
export function ConceptFilter({
  label,
  nothingFound,
  value,
  onChange,
  exclude,
}: {
  label: string;
  nothingFound: string;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  /** Schemes this list filters elsewhere (the expert pool's skills). */
  exclude?: (scheme: string) => boolean;
}) {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const [wanted, setWanted] = useState(false);
  const concepts = useConcepts(lang, wanted ? 'all' : value ? [value] : null);
  const data = useMemo(() => {
    const groups = exclude ? concepts.groups.filter((g) => !g.items.some((i) => exclude(i.value.split('/')[0]!))) : concepts.groups;
    // A concept in the address whose scheme is not loaded yet is still named.
    const known = groups.some((g) => g.items.some((i) => i.value === value));
    return value && !known ? [...groups, { value, label: concepts.byTag.get(value)?.label ?? value }] : groups;
  }, [concepts, value, exclude]);
  return (
    <Select
      label={label}
      data={data}
      value={value ?? null}
      onChange={(v) => onChange(v ?? undefined)}
      onDropdownOpen={() => setWanted(true)}
      searchable
      clearable
      placeholder={t('common.all')}
      nothingFoundMessage={concepts.loading ? t('common.loading') : nothingFound}
      w={280}
      maw="100%"
      comboboxProps={{ width: 'target' }}
    />
  );
}
