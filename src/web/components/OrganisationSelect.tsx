import { Select, type SelectProps } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Items, Organisation } from '../api/types';
import { useApi } from '../api/useApi';

/**
 * The approved member organisations, by name (list filters of the directory and threat intel).
 * The list (tens of kilobytes) is asked for when the picker is first opened or has a value to
 * name, not with every list page.
 */
export function OrganisationSelect({ onDropdownOpen, ...props }: Omit<SelectProps, 'data'>) {
  const { t } = useTranslation();
  const [wanted, setWanted] = useState(false);
  const orgs = useApi<Items<Organisation>>(wanted || props.value ? '/api/v1/organisations?status=approved' : null);
  const data = useMemo(() => (orgs.data?.items ?? []).filter((o) => o.status === 'approved').map((o) => ({ value: o.id, label: o.name })), [orgs.data]);
  return (
    <Select
      searchable
      data={data}
      onDropdownOpen={() => {
        setWanted(true);
        onDropdownOpen?.();
      }}
      nothingFoundMessage={orgs.loading ? t('common.loading') : undefined}
      {...props}
    />
  );
}
