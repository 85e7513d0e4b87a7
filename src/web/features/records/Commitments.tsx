import { Badge, Group, Progress, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { COMMITMENT_STATUSES } from '#shared/records';
import type { Commitment } from './api';

interface Tracked extends Omit<Commitment, 'due'> {
  id: string;
  due: string | null;
  overdue: boolean;
  record: { id: string; slug: string; title: string; language: string; status: string };
}
interface Tracker {
  items: Tracked[];
  truncated: boolean;
  summary: { count: number; byStatus: Record<string, number>; overdue: number; progress: number | null };
}

const STATUSES = COMMITMENT_STATUSES;

/** The commitments tracker: every commitment of the records the reader may see, with the progress rolled up. */
export function CommitmentsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [country, setCountry] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [owner, setOwner] = useState('');
  const [dueBefore, setDueBefore] = useState('');
  const dOwner = useDebounced(owner, 300).trim();
  const res = useApi<Tracker>(`/api/v1/commitments${qs({ country: country ?? undefined, status: status ?? undefined, owner: dOwner || undefined, dueBefore: dueBefore || undefined })}`, { quiet401: true });
  const s = res.data?.summary;
  const active = [country, status, dOwner, dueBefore].filter(Boolean).length;
  return (
    <Page title={t('records.trackerTitle')}>
      <Text>{t('records.trackerIntro')}</Text>
      <FilterPanel active={active}>
        <Group align="flex-end" wrap="wrap" role="search" aria-label={t('records.trackerTitle')}>
          <CountrySelect label={t('records.commitment.countries')} value={country} onChange={setCountry} clearable placeholder={t('common.all')} />
          <Select
            label={t('common.status')}
            data={STATUSES.map((v) => ({ value: v, label: t(`records.commitment.status.${v}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            placeholder={t('records.anyStatus')}
          />
          <TextInput label={t('records.owner')} value={owner} onChange={(e) => setOwner(e.currentTarget.value)} type="search" />
          <TextInput label={t('records.dueBefore')} type="date" value={dueBefore} onChange={(e) => setDueBefore(e.currentTarget.value)} />
        </Group>
      </FilterPanel>
      <ErrorAlert error={res.error} />
      {res.loading && !res.data ? (
        <Loading />
      ) : s ? (
        <Stack gap="md">
          <Group gap="lg" role="status" aria-live="polite">
            <Text fw={600}>{t('records.trackerCount', { count: s.count })}</Text>
            {s.progress !== null && (
              <Group gap="xs" w={260}>
                <Text size="sm">{t('records.overall')}</Text>
                <Progress value={s.progress} w={120} aria-label={`${t('records.overall')}: ${s.progress}%`} />
                <Text size="sm">{s.progress}%</Text>
              </Group>
            )}
            {s.overdue > 0 && (
              <Badge color="red" variant="light" tt="none">
                {t('records.overdueCount', { count: s.overdue })}
              </Badge>
            )}
          </Group>
          {res.data!.truncated && <Text size="sm">{t('records.truncated', { shown: res.data!.items.length })}</Text>}
          <DataTable
            minWidth={760}
            caption={t('records.trackerTitle')}
            columns={[t('records.commitments'), t('records.commitment.owners'), t('records.commitment.due'), t('common.status'), t('records.commitment.progress'), t('records.record')]}
            rows={res.data!.items}
            empty={t('records.noneTracked')}
          >
            {(c) => (
              <Table.Tr key={c.id} data-testid="commitment-row">
                <Table.Td lang={c.record.language}>{c.text}</Table.Td>
                <Table.Td lang={c.record.language}>{c.owners.join('; ') || '—'}</Table.Td>
                <Table.Td>
                  {c.due ? labels.date(c.due) : '—'}
                  {c.overdue && (
                    <Badge color="red" variant="light" tt="none" ml="xs">
                      {t('records.overdue')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t(`records.commitment.status.${c.status}`)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Progress value={c.progress} w={80} aria-label={`${t('records.commitment.progress')}: ${c.progress}%`} />
                    <Text size="sm">{c.progress}%</Text>
                  </Group>
                </Table.Td>
                <Table.Td lang={c.record.language}>
                  <AppLink to="/records/$slug" params={{ slug: c.record.slug }}>
                    {c.record.title}
                  </AppLink>
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </Stack>
      ) : null}
    </Page>
  );
}
