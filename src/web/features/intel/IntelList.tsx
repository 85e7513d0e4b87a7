import { Button, Group, Menu, MultiSelect, NumberInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SECTORS } from '../../api/types';
import { FilterPanel } from '../../components/FilterPanel';
import { LazyMenu } from '../../components/LazyMenu';
import { OrganisationSelect } from '../../components/OrganisationSelect';
import { ButtonLink, RowLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { DataTable } from '../../components/DataTable';
import { SelectBox } from '../../components/SelectBox';
import { TlpBadge } from '../../components/TlpBadge';
import { COMMON_TYPES, type IntelItem } from './api';
import { TLP_LEVELS } from '#shared/tlp';
import { activeFilters, exportUrl, hasFilters, listUrl, splitList, validateIntelSearch, type ExportFormat, type IntelSearch } from './filters';
import { displayName } from './names';
import { useCursorList, useDebouncedQuery, LoadMore } from './paging';
import { IntelError, useTypeLabel } from './shared';

export { validateIntelSearch };

const INTEL_PAGES = [
  ['/intel', 'intel.list.title'],
  ['/intel/upload', 'intel.upload.title'],
  ['/intel/vulnerabilities', 'intel.vulns.title'],
  ['/intel/attack', 'intel.attack.title'],
  ['/intel/subscriptions', 'intel.subs.title'],
] as const;

/** Links to the other intel pages, shown at the top of each. */
export function IntelNav() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t('intel.nav.label')}>
      <Group gap="xs" wrap="wrap">
        {INTEL_PAGES.map(([to, title]) => (
          <ButtonLink key={to} to={to} variant="subtle" size="compact-sm">
            {t(title)}
          </ButtonLink>
        ))}
      </Group>
    </nav>
  );
}

function ExportMenu({ search, selected }: { search: IntelSearch; selected: string[] }) {
  const { t } = useTranslation();
  const formats: ExportFormat[] = ['stix', 'csv', 'misp'];
  return (
    <LazyMenu
      position="bottom-end"
      withinPortal
      target={
        <Button variant="default" data-testid="intel-export">
          {selected.length ? t('intel.list.exportSelection', { count: selected.length }) : t('intel.list.exportAll')}
        </Button>
      }
    >
      <Menu.Label>{selected.length ? t('intel.list.exportSelectionHelp') : t('intel.list.exportAllHelp')}</Menu.Label>
      {formats.map((f) => (
        <Menu.Item key={f} component="a" href={exportUrl(f, search, selected)} download data-format={f}>
          {t(`intel.export.${f}`)}
        </Menu.Item>
      ))}
    </LazyMenu>
  );
}

/** The threat-intelligence list: filters in the URL, cursor paging, selection for export. */
export function IntelList() {
  const { t } = useTranslation();
  const labels = useLabels();
  const typeLabel = useTypeLabel();
  const navigate = useNavigate();
  const search = validateIntelSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const searchKey = JSON.stringify(search);
  const set = (patch: Partial<IntelSearch>) => void navigate({ to: '/intel', search: validateIntelSearch({ ...search, ...patch }) as never, replace: true });

  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const [technique, setTechnique] = useState(search.technique ?? '');
  useEffect(() => setTechnique(search.technique ?? ''), [search.technique]);
  const commitTechnique = () => set({ technique: technique.trim() || undefined });

  const list = useCursorList<IntelItem>(listUrl(search), searchKey, (cursor) => listUrl(search, cursor));
  const { first, items } = list;
  const [selected, setSelected] = useState<string[]>([]);

  const typeOptions = useMemo(() => {
    const all = new Set<string>([...COMMON_TYPES, ...splitList(search.type)]);
    return [...all].map((v) => ({ value: v, label: `${typeLabel(v)} (${v})` }));
  }, [search.type, typeLabel]);
  const visibleIds = items.map((i) => i.id);
  const allOnPage = visibleIds.length > 0 && visibleIds.every((id) => selected.includes(id));
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...new Set([...s, id])] : s.filter((x) => x !== id)));

  return (
    <Page
      title={t('intel.list.title')}
      actions={
        <Group gap="xs">
          <ExportMenu search={search} selected={selected} />
          <ButtonLink to="/intel/upload" data-testid="intel-upload-link">
            {t('intel.list.upload')}
          </ButtonLink>
        </Group>
      }
    >
      <IntelNav />
      <Text>{t('intel.list.intro')}</Text>
      <FilterPanel active={activeFilters(search)}>
        <form role="search" aria-label={t('intel.list.filters')} onSubmit={(e) => e.preventDefault()}>
          <Group align="flex-end" wrap="wrap" gap="sm">
            <TextInput label={t('intel.list.q')} description={t('intel.list.qHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} w={260} />
            <MultiSelect
              label={t('intel.list.type')}
              data={typeOptions}
              value={splitList(search.type)}
              onChange={(v) => set({ type: v.join(',') || undefined })}
              searchable
              clearable
              placeholder={splitList(search.type).length ? undefined : t('common.all')}
              w={260}
              data-testid="filter-type"
            />
            <MultiSelect
              label={t('intel.list.tlp')}
              data={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l}` }))}
              value={splitList(search.tlp)}
              onChange={(v) => set({ tlp: v.join(',') || undefined })}
              clearable
              placeholder={splitList(search.tlp).length ? undefined : t('common.all')}
              w={220}
            />
            <OrganisationSelect label={t('common.organisation')} value={search.organisation ?? null} onChange={(v) => set({ organisation: v ?? undefined })} clearable placeholder={t('common.all')} />
            <CountrySelect label={t('intel.list.country')} value={search.country ?? null} onChange={(v) => set({ country: v ?? undefined })} clearable placeholder={t('common.all')} />
            <Select
              label={t('intel.list.sector')}
              data={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))}
              value={search.sector ?? null}
              onChange={(v) => set({ sector: v ?? undefined })}
              clearable
              searchable
              placeholder={t('common.all')}
            />
            <TextInput label={t('intel.list.since')} type="date" value={search.since ?? ''} onChange={(e) => set({ since: e.currentTarget.value || undefined })} />
            <TextInput label={t('intel.list.until')} type="date" value={search.until ?? ''} onChange={(e) => set({ until: e.currentTarget.value || undefined })} />
            <TextInput
              label={t('intel.list.technique')}
              description={t('intel.list.techniqueHelp')}
              value={technique}
              onChange={(e) => setTechnique(e.currentTarget.value)}
              onBlur={commitTechnique}
              onKeyDown={(e) => {
                if (e.key === 'Enter') commitTechnique();
              }}
              w={150}
            />
            <NumberInput
              label={t('intel.list.confidence')}
              description={t('intel.list.confidenceHelp')}
              min={0}
              max={100}
              value={search.confidence ?? ''}
              onChange={(v) => set({ confidence: v === '' || v === undefined ? undefined : String(v) })}
              w={150}
            />
            {hasFilters(search) && (
              <Button
                variant="subtle"
                onClick={() => {
                  setQ('');
                  setTechnique('');
                  void navigate({ to: '/intel', search: (search.show ? { show: search.show } : {}) as never, replace: true });
                }}
              >
                {t('intel.list.clear')}
              </Button>
            )}
          </Group>
        </form>
      </FilterPanel>
      <Switch
        label={t('intel.list.showAll')}
        description={search.show ? undefined : t('intel.list.showAllHelp')}
        checked={search.show === 'all'}
        onChange={(e) => set({ show: e.currentTarget.checked ? 'all' : undefined })}
        data-testid="intel-show-all"
      />
      <IntelError error={list.error} />
      {first.error ? null : first.loading && !first.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Text>{hasFilters(search) ? t('common.noResults') : search.show ? t('intel.list.none') : t('intel.list.noneFromMembers')}</Text>
      ) : (
        <Stack gap="sm">
          <Group justify="space-between">
            <Text size="sm" role="status" aria-live="polite">
              {t('intel.list.shown', { count: items.length })} {selected.length > 0 && t('intel.list.selectedCount', { count: selected.length })}
            </Text>
            {selected.length > 0 && (
              <Button variant="subtle" size="compact-sm" onClick={() => setSelected([])}>
                {t('intel.list.clearSelection')}
              </Button>
            )}
          </Group>
          <DataTable
            caption={t('intel.list.caption')}
            minWidth={800}
            highlightOnHover
            data-testid="intel-table"
            columns={[
              <SelectBox
                label={t('intel.list.selectAll')}
                checked={allOnPage}
                indeterminate={!allOnPage && visibleIds.some((id) => selected.includes(id))}
                onChange={(on) => setSelected((s) => (on ? [...new Set([...s, ...visibleIds])] : s.filter((x) => !visibleIds.includes(x))))}
              />,
              t('intel.list.name'),
              t('intel.list.type'),
              t('intel.list.tlp'),
              t('common.organisation'),
              t('intel.list.confidence'),
              t('intel.list.added'),
            ]}
            rows={items}
            withTableBorder={false}
          >
            {(it) => (
              <Table.Tr key={`${it.id}/${it.version}/${it.organisation?.id ?? ''}`} data-testid="intel-row" data-type={it.type}>
                <Table.Td>
                  <SelectBox label={t('intel.list.selectOne', { name: displayName(it) })} checked={selected.includes(it.id)} onChange={(on) => toggle(it.id, on)} />
                </Table.Td>
                <Table.Td>
                  <RowLink to="/intel/objects/$id" params={{ id: it.id }}>
                    {displayName(it)}
                  </RowLink>
                  {it.revoked && (
                    <Text span size="sm" ml="xs">
                      ({t('intel.object.revoked')})
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{typeLabel(it.type)}</Table.Td>
                <Table.Td>
                  <TlpBadge tlp={it.tlp} size="sm" />
                </Table.Td>
                <Table.Td>{it.organisation ? `${it.organisation.name} (${labels.country(it.organisation.country)})` : t('intel.list.reference')}</Table.Td>
                <Table.Td>{it.confidence ?? '—'}</Table.Td>
                <Table.Td>{labels.dateTime(it.addedAt)}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
          <LoadMore list={list} testId="intel-more" />
        </Stack>
      )}
    </Page>
  );
}
