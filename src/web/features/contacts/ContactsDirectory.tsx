import { Group, Pagination, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SECTORS } from '../../api/types';
import { useApi } from '../../api/useApi';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { ButtonLink, RowLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { hasRole, useSession } from '../../session';
import { ExportMenu } from './Exchange';
import { KINDS, type ContactPage } from './api';
import { DataTable } from '../../components/DataTable';
import { FilterPanel } from '../../components/FilterPanel';
import { DIRECTORY_LANGUAGES, FlaggedBadge, KindBadges, StaleBadge, useConfirmedAgo, useFocalCountries } from './badges';

// The search parameters live in search.ts, which the router reads without loading this page.
import { activeDirectoryFilters, directoryListPath, validateDirectorySearch, type DirectorySearch } from './search';

// ---------- directory ----------

export function ContactsDirectory() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateDirectorySearch(useSearch({ strict: false }) as Record<string, unknown>);
  const [q, setQ] = useState(search.q ?? '');
  const dq = useDebounced(q, 300);
  const focalCountries = useFocalCountries();
  const set = (patch: Partial<DirectorySearch>) =>
    void navigate({ to: '/contacts', search: validateDirectorySearch({ ...search, page: undefined, ...patch }) as never, replace: true });
  useEffect(() => {
    if ((search.q ?? '') !== dq.trim()) set({ q: dq.trim() || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq]);
  const page = Math.max(1, Number(search.page) || 1);
  const result = useApi<ContactPage>(directoryListPath(search));
  const items = result.data?.items ?? [];
  const pages = result.data ? Math.max(1, Math.ceil(result.data.total / result.data.pageSize)) : 1;
  const canAdd = hasRole(me, 'org_admin') || focalCountries.length > 0;
  const confirmedAgo = useConfirmedAgo();
  return (
    <Page
      title={t('contacts.title')}
      actions={
        <Group gap="xs">
          <ButtonLink to="/contacts/coverage" variant="default">{t('contacts.coverage.link')}</ButtonLink>
          {hasRole(me, 'secretariat') && (
            <>
              <ButtonLink to="/contacts/nominations" variant="default">
                {t('contacts.nominations.title')}
              </ButtonLink>
              <ButtonLink to="/contacts/focal-points" variant="default">
                {t('contacts.focalPoints.title')}
              </ButtonLink>
            </>
          )}
          <ExportMenu search={search} />
          {canAdd && (
            <ButtonLink to="/contacts/import" variant="default">
              {t('contacts.exchange.import')}
            </ButtonLink>
          )}
          {canAdd && <ButtonLink to="/contacts/new">{t('contacts.add')}</ButtonLink>}
        </Group>
      }
    >
      <Text>{t('contacts.intro')}</Text>
      <FilterPanel active={activeDirectoryFilters(search)}>
        <Group align="flex-end" wrap="wrap" role="search" aria-label={t('contacts.filters')}>
          <TextInput label={t('contacts.searchLabel')} description={t('contacts.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
          <CountrySelect label={t('contacts.country')} value={search.country ?? null} onChange={(v) => set({ country: v ?? undefined })} clearable searchable placeholder={t('common.all')} />
          <Select
            label={t('contacts.kind')}
            data={KINDS.map((k) => ({ value: k, label: t(`contacts.kinds.${k}`) }))}
            value={search.kind ?? null}
            onChange={(v) => set({ kind: v ?? undefined })}
            clearable
            placeholder={t('common.all')}
          />
          <OrganisationSelect label={t('common.organisation')} value={search.organisation ?? null} onChange={(v) => set({ organisation: v ?? undefined })} clearable placeholder={t('common.all')} />
          <Select label={t('contacts.sector')} data={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))} value={search.sector ?? null} onChange={(v) => set({ sector: v ?? undefined })} clearable searchable placeholder={t('common.all')} />
          <Select
            label={t('contacts.language')}
            data={DIRECTORY_LANGUAGES.map((l) => ({ value: l, label: labels.language(l) }))}
            value={search.language ?? null}
            onChange={(v) => set({ language: v ?? undefined })}
            clearable
            searchable
            placeholder={t('common.all')}
          />
          <Select
            label={t('contacts.confirmation')}
            data={[
              { value: 'false', label: t('contacts.confirmedRecently') },
              { value: 'true', label: t('contacts.staleOnly') },
            ]}
            value={search.stale ?? null}
            onChange={(v) => set({ stale: v ?? undefined })}
            clearable
            placeholder={t('common.all')}
          />
          <Select
            label={t('common.status')}
            data={(['active', 'nominated', 'rejected', 'removed'] as const).map((s) => ({ value: s, label: t(`contacts.status.${s}`) }))}
            value={search.status ?? 'active'}
            onChange={(v) => set({ status: v && v !== 'active' ? v : undefined })}
            allowDeselect={false}
          />
        </Group>
      </FilterPanel>
      <ErrorAlert error={result.error} />
      {result.error ? null : result.loading && !result.data ? (
        <Loading />
      ) : (
        <>
          <DataTable
            minWidth={800}
            caption={t('contacts.caption', { count: result.data?.total ?? 0 })}
            columns={[t('common.name'), t('contacts.kind'), t('common.organisation'), t('contacts.country'), t('contacts.languages'), t('contacts.lastConfirmed')]}
            rows={items}
            empty={t('common.noResults')}
          >
            {(c) => (
              <Table.Tr key={c.id} data-testid="contact-row">
                <Table.Td>
                  <RowLink to="/contacts/$contactId" params={{ contactId: c.id }}>
                    {c.fullName}
                  </RowLink>
                  {c.isTeamMailbox && (
                    <Text span size="sm" c="dimmed">
                      {' '}
                      ({t('contacts.teamMailbox')})
                    </Text>
                  )}
                  {c.position && (
                    <Text size="sm" c="dimmed">
                      {c.position}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <KindBadges kinds={c.kinds} />
                </Table.Td>
                <Table.Td>{c.organisation.acronym ?? c.organisation.name}</Table.Td>
                <Table.Td>{labels.country(c.country)}</Table.Td>
                <Table.Td>{c.languages.map(labels.language).join(', ') || '—'}</Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <span data-testid="contact-age">{confirmedAgo(c.ageDays)}</span>
                    <Text size="xs">{labels.date(c.lastConfirmedAt)}</Text>
                    <StaleBadge c={c} short />
                    <FlaggedBadge c={c} />
                  </Stack>
                </Table.Td>
              </Table.Tr>
            )}
          </DataTable>
          {pages > 1 && <Pagination total={pages} value={page} onChange={(p) => set({ page: String(p), q: search.q })} aria-label={t('contacts.pages')} />}
        </>
      )}
    </Page>
  );
}
