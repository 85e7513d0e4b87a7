import { Button, Group, Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Items, Person } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import type { FocalPoint } from './api';
import { DataTable } from '../../components/DataTable';

// ---------- secretariat: national focal points ----------

export function FocalPointsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useApi<Items<FocalPoint>>('/api/v1/focal-points');
  const people = useApi<Items<Person>>('/api/v1/people');
  const [country, setCountry] = useState<string | null>(null);
  const [person, setPerson] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const candidates = (people.data?.items ?? []).filter((p) => p.status === 'active' && p.organisation?.country === country);
  const add = async () => {
    if (!country || !person) return;
    setError(null);
    try {
      await api.put(`/api/v1/countries/${country}/focal-points/${person}`);
      setPerson(null);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (f: FocalPoint) => {
    setError(null);
    try {
      await api.del(`/api/v1/countries/${f.country}/focal-points/${f.person.id}`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title={t('contacts.focalPoints.title')}>
      <Text>{t('contacts.focalPoints.intro')}</Text>
      <ErrorAlert error={error ?? list.error} />
      <Group align="flex-end" wrap="wrap">
        <CountrySelect label={t('contacts.country')} value={country} onChange={(v) => { setCountry(v); setPerson(null); }} searchable />
        <Select
          label={t('contacts.focalPoints.person')}
          data={candidates.map((p) => ({ value: p.id, label: `${p.name} — ${p.organisation?.name ?? ''}` }))}
          value={person}
          onChange={setPerson}
          searchable
          disabled={!country}
          nothingFoundMessage={t('contacts.focalPoints.noCandidates')}
        />
        <Button onClick={() => void add()} disabled={!country || !person}>
          {t('contacts.focalPoints.add')}
        </Button>
      </Group>
      {list.error ? null : list.loading && !list.data ? (
        <Loading />
      ) : (
        <DataTable
          caption={t('contacts.focalPoints.caption', { count: list.data?.items.length ?? 0 })}
          columns={[t('contacts.country'), t('common.name'), t('common.organisation'), t('common.actions')]}
          rows={list.data?.items ?? []}
          empty={t('contacts.focalPoints.none')}
        >
          {(f) => (
            <Table.Tr key={`${f.country}:${f.person.id}`}>
              <Table.Td>{labels.country(f.country)}</Table.Td>
              <Table.Td>{f.person.name}</Table.Td>
              <Table.Td>{f.organisation.name}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" color="red" onClick={() => void remove(f)} aria-label={t('contacts.focalPoints.removeLabel', { name: f.person.name, country: labels.country(f.country) })}>
                  {t('common.remove')}
                </Button>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
    </Page>
  );
}
