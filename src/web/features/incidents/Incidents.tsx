import { Button, Group, MultiSelect, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { CommunitySummary, Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { useCursorPages } from '../../api/useCursorPages';
import { ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useSession } from '../../session';
import { useDebouncedQuery } from '../knowledge/shared';
import { INCIDENT_STATUSES, NIS2_IMPACT_SEVERITIES, NIS2_SECTORS, type IncidentListItem, type IncidentPage } from './api';
import { activeIncidentFilters, incidentsListPath, listOf, validateIncidentsSearch, type IncidentsSearch } from './search';
import { ExerciseTag, IncidentLink, IncidentStatusBadge, NextDue, SeverityBadge, useIncidentLabels } from './shared';

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
  const l = useIncidentLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const countryOptions = useCountryOptions();
  const search = validateIncidentsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<IncidentsSearch>) => void navigate({ to: '/incidents', search: validateIncidentsSearch({ ...search, ...patch }) as never, replace: true });
  const setList = (k: keyof IncidentsSearch) => (v: string[]) => set({ [k]: v.length ? v.join(',') : undefined });
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
          <ButtonLink to="/incidents/new" data-testid="new-incident">
            {t('incidents.report')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Text>{t('incidents.intro')}</Text>
      <form role="search" aria-label={t('incidents.searchLabel')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('incidents.search')} description={t('incidents.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} data-testid="incidents-search" />
          <FilterPanel active={activeIncidentFilters(search)}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <MultiSelect label={t('incidents.filters.country')} data={countryOptions} value={listOf(search.country)} onChange={setList('country')} searchable clearable placeholder={search.country ? undefined : t('incidents.all')} w={260} maw="100%" />
              <MultiSelect
                label={t('incidents.filters.sector')}
                data={NIS2_SECTORS.map((s) => ({ value: s, label: l.sector(s) }))}
                value={listOf(search.sector)}
                onChange={setList('sector')}
                searchable
                clearable
                placeholder={search.sector ? undefined : t('incidents.all')}
                w={260}
                maw="100%"
              />
              <MultiSelect label={t('incidents.filters.rsit')} data={l.categoryOptions} value={listOf(search.rsit)} onChange={setList('rsit')} searchable clearable placeholder={search.rsit ? undefined : t('incidents.all')} w={260} maw="100%" />
              <MultiSelect
                label={t('incidents.filters.status')}
                data={INCIDENT_STATUSES.map((s) => ({ value: s, label: l.status(s) }))}
                value={listOf(search.status)}
                onChange={setList('status')}
                clearable
                placeholder={search.status ? undefined : t('incidents.all')}
                w={220}
                maw="100%"
              />
              <MultiSelect
                label={t('incidents.filters.severity')}
                data={NIS2_IMPACT_SEVERITIES.map((s) => ({ value: s, label: l.severity(s) }))}
                value={listOf(search.impactSeverity)}
                onChange={setList('impactSeverity')}
                clearable
                placeholder={search.impactSeverity ? undefined : t('incidents.all')}
                w={240}
                maw="100%"
              />
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
              <TextInput type="date" label={t('incidents.filters.from')} value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} max={search.to} w={170} />
              <TextInput type="date" label={t('incidents.filters.to')} value={search.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} min={search.from} w={170} />
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
