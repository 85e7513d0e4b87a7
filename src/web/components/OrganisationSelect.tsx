import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import type { Items, Organisation } from '../api/types';
import { useApi } from '../api/useApi';

/** The approved member organisations, by name (list filters of the directory and threat intel). */
export function OrganisationSelect(props: Omit<SelectProps, 'data'>) {
  const orgs = useApi<Items<Organisation>>('/api/v1/organisations?status=approved');
  const data = useMemo(() => (orgs.data?.items ?? []).filter((o) => o.status === 'approved').map((o) => ({ value: o.id, label: o.name })), [orgs.data]);
  return <Select searchable data={data} {...props} />;
}
