import { Alert, Button, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import type { Nomination } from './api';
import { DataTable } from '../../components/DataTable';
import { KindBadges } from './badges';

// ---------- secretariat: nominations ----------

export function NominationsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const list = useApi<Items<Nomination>>('/api/v1/contacts/nominations');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const decide = async (n: Nomination, decision: 'approve' | 'reject') => {
    setError(null);
    try {
      if (decision === 'approve') await api.post(`/api/v1/contacts/${n.id}/approve`);
      else await api.post(`/api/v1/contacts/${n.id}/reject`, { reason: reasons[n.id] ?? '' });
      setDone(t(decision === 'approve' ? 'contacts.nominations.approved' : 'contacts.nominations.rejected', { name: n.fullName }));
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Page title={t('contacts.nominations.title')}>
      <Text>{t('contacts.nominations.intro')}</Text>
      {done && (
        <Alert color="green" role="status">
          {done}
        </Alert>
      )}
      <ErrorAlert error={error ?? list.error} />
      {list.error ? null : list.loading && !list.data ? (
        <Loading />
      ) : (
        <DataTable
          minWidth={800}
          caption={t('contacts.nominations.caption', { count: list.data?.items.length ?? 0 })}
          columns={[t('common.name'), t('contacts.kind'), t('common.organisation'), t('contacts.nominations.by'), t('common.actions')]}
          rows={list.data?.items ?? []}
          empty={t('contacts.nominations.none')}
        >
          {(n) => (
            <Table.Tr key={n.id}>
              <Table.Td>
                <strong>{n.fullName}</strong>
                <Text size="sm" c="dimmed">
                  {n.position}
                </Text>
              </Table.Td>
              <Table.Td>
                <KindBadges kinds={n.kinds} />
              </Table.Td>
              <Table.Td>
                {n.organisation.name} ({labels.country(n.country)})
              </Table.Td>
              <Table.Td>
                {n.nominatedBy?.name ?? '—'}
                <Text size="sm" c="dimmed">
                  {labels.date(n.nominatedAt)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={4}>
                  <Button size="xs" onClick={() => void decide(n, 'approve')}>
                    {t('contacts.nominations.approve')}
                  </Button>
                  <TextInput
                    size="xs"
                    label={t('contacts.nominations.reason', { name: n.fullName })}
                    value={reasons[n.id] ?? ''}
                    onChange={(e) => setReasons({ ...reasons, [n.id]: e.currentTarget.value })}
                  />
                  <Button size="xs" variant="default" color="red" disabled={!(reasons[n.id] ?? '').trim()} onClick={() => void decide(n, 'reject')}>
                    {t('contacts.nominations.reject')}
                  </Button>
                </Stack>
              </Table.Td>
            </Table.Tr>
          )}
        </DataTable>
      )}
      <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
    </Page>
  );
}
