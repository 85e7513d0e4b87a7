import { Button, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { CommunitySummary, Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useCursorPages } from '../../api/useCursorPages';
import { ButtonLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useSession } from '../../session';
import { useDebouncedQuery } from '../knowledge/shared';
import { type IncidentListItem, type IncidentPage } from './api';
import { activeIncidentFilters, incidentsListPath, validateIncidentsSearch, type IncidentsSearch } from './search';
import { ExerciseTag, IncidentFilterFields, IncidentLink, IncidentStatusBadge, NextDue, SeverityBadge, useIncidentLabels } from './shared';

/** Incidents as a table (cards on a phone): title and class, impact, status, countries, who handles it, the next clock, marking. */
function IncidentTable({ rows, caption }: { rows: IncidentListItem[]; caption: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useIncidentLabels();
  return (
    <DataTable
      caption={caption}
      rows={rows}
      columns={[t('incidents.columns.incident'), t('incidents.columns.class'), t('incidents.columns.severity'), t('incidents.columns.status'), t('incidents.columns.countries'), t('incidents.columns.owner'), t('incidents.columns.clock'), t('incidents.columns.marking')]}
      data-testid="incidents-table"
    >
      {(r) => (
        <Table.Tr key={r.id} data-testid="incident-row">
          <Table.Td>
            <Stack gap={2}>
              <Group gap={6} wrap="wrap">
                {r.exercise && <ExerciseTag />}
                <IncidentLink r={r} />
              </Group>
              <Text size="xs" c="dimmed">
                <time dateTime={r.awareAt}>{labels.dateTime(r.awareAt)}</time>
              </Text>
            </Stack>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{l.rsitClass(r.rsitClass)}</Text>
            {r.sectors.length > 0 && (
              <Text size="xs" c="dimmed">
                {r.sectors.map(l.sector).join(', ')}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <SeverityBadge severity={r.impactSeverity} />
          </Table.Td>
          <Table.Td>
            <IncidentStatusBadge status={r.status} />
            {r.outcome && (
              <Text size="xs" c="dimmed">
                {l.outcome(r.outcome)}
              </Text>
            )}
          </Table.Td>
          <Table.Td>{r.countries.map(labels.country).join(', ') || '—'}</Table.Td>
          <Table.Td>{r.ownerOrg.name}</Table.Td>
          <Table.Td>
            <NextDue due={r.nextDue} />
          </Table.Td>
          <Table.Td>
            <TlpBadge tlp={r.tlp} size="sm" />
          </Table.Td>
        </Table.Tr>
      )}
    </DataTable>
  );
}

/** The incident reports this reader may see, filtered from the address. */
export function IncidentsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateIncidentsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<IncidentsSearch>) => void navigate({ to: '/incidents', search: validateIncidentsSearch({ ...search, ...patch }) as never, replace: true });
  const communities = useApi<Items<CommunitySummary>>('/api/v1/communities');
  const communityOptions = useMemo(() => (communities.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })), [communities.data]);
  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const filtered = activeIncidentFilters(search) > 0 || !!search.q;

  const firstUrl = incidentsListPath(search, labels.lang);
  const { first, items, hasMore, loadMore, busy, moreError } = useCursorPages<IncidentListItem, IncidentPage>(firstUrl, (cursor) => incidentsListPath(search, labels.lang, cursor));

  return (
    <Page
      title={t('incidents.title')}
      actions={
        me?.organisation ? (
          <Group gap="xs">
            <ButtonLink to="/incidents/import" variant="default" data-testid="import-incidents">
              {t('incidents.import.action')}
            </ButtonLink>
            <ButtonLink to="/incidents/new" data-testid="new-incident">
              {t('incidents.report')}
            </ButtonLink>
          </Group>
        ) : undefined
      }
    >
      <Text>{t('incidents.intro')}</Text>
      <form role="search" aria-label={t('incidents.searchLabel')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('incidents.search')} description={t('incidents.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} data-testid="incidents-search" />
          <FilterPanel active={activeIncidentFilters(search)}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <IncidentFilterFields
                search={search}
                set={set}
                extra={
                  <Select
                    label={t('incidents.filters.community')}
                    data={search.community && !communityOptions.some((c) => c.value === search.community) ? [...communityOptions, { value: search.community, label: search.community }] : communityOptions}
                    value={search.community ?? null}
                    onChange={(v) => set({ community: v ?? undefined })}
                    searchable
                    clearable
                    placeholder={t('incidents.all')}
                    w={240}
                    maw="100%"
                  />
                }
              />
              <Switch label={t('incidents.filters.exercise')} checked={!!search.exercise} onChange={(e) => set({ exercise: e.currentTarget.checked || undefined })} mb={8} data-testid="incidents-exercise" />
              {filtered && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setQ('');
                    void navigate({ to: '/incidents', search: {} as never, replace: true });
                  }}
                >
                  {t('incidents.filters.clear')}
                </Button>
              )}
            </Group>
          </FilterPanel>
        </Stack>
      </form>
      {first.error ? (
        <ErrorAlert error={first.error} />
      ) : first.loading && !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text data-testid="incidents-empty">{filtered ? t('incidents.noResults') : t('incidents.none')}</Text>
      ) : (
        <Stack gap="sm">
          <IncidentTable rows={items} caption={t('incidents.count', { count: items.length })} />
          <ErrorAlert error={moreError} />
          {hasMore && (
            <Group>
              <Button variant="default" onClick={() => void loadMore()} loading={busy}>
                {t('incidents.more')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Page>
  );
}
