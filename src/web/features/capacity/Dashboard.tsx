import { Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/useApi';
import { ConceptFilter } from '../../components/ConceptFilter';
import { AppLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Figure } from '../../components/Figure';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useSession } from '../../session';
import type { Dashboard, Duration, Labelled } from './api';
import { CapacityMap, MEASURES, type Measure } from './CapacityMap';
import { activeCapacityFilters, dashboardPath, iatiPath, REGIONS, SUBREGIONS, subregionKey, validateCapacitySearch, type CapacitySearch } from './search';

// The charts (recharts) load after the tables, in the roadmap dashboard's chunk of their own.
const BarChart = lazy(() => import('../roadmap/Charts').then((m) => ({ default: m.RoadmapBarChart })));

/**
 * The capacity-building dashboard: offers, requests, the time they take, participants and a map —
 * every figure over what the reader may see, the filters in the address, each chart with its
 * table, and the same figures as CSV, PDF and (offers and completed assistance) IATI.
 */
export function CapacityPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const lang = labels.lang;
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateCapacitySearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<CapacitySearch>) => void navigate({ to: '/capacity', search: validateCapacitySearch({ ...search, ...patch }) as never, replace: true });
  const res = useApi<Dashboard>(dashboardPath(search, lang), { quiet401: true });
  const d = res.data;
  const [measure, setMeasure] = useState<Measure>('offers');
  const countryGroups = useCountryOptions();
  const countryOptions = useMemo(() => countryGroups.map((g) => ({ group: g.group, items: g.items.filter((c) => /^[A-Z]{2}$/.test(c.value)) })).filter((g) => g.items.length > 0), [countryGroups]);
  const regionOptions = REGIONS.map((r) => ({
    group: t(`capacity.regions.${r}`),
    items: [{ value: r, label: t('capacity.filters.wholeRegion', { region: t(`capacity.regions.${r}`) }) }, ...SUBREGIONS[r].map((s) => ({ value: s, label: t(`capacity.subregions.${subregionKey(s)}`) }))],
  }));

  const fmt = useMemo(() => {
    const number = new Intl.NumberFormat(lang);
    const days = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return { num: (n: number) => number.format(n), days: (s: number | null) => (s === null ? t('capacity.none') : t('capacity.days', { n: days.format(s / 86_400) })) };
  }, [lang, t]);
  const regionName = (region: string, subregion: string | null) => (subregion ? t(`capacity.subregions.${subregionKey(subregion)}`) : t(`capacity.regions.${region}`));
  const conceptLink = (x: Labelled) => {
    const [scheme, concept] = x.concept.split('/');
    return (
      <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme: scheme!, concept: concept! }}>
        <span lang={x.lang}>{x.label}</span>
      </AppLink>
    );
  };
  const chartLabel = (title: string) => t('capacity.chartLabel', { title });
  const filtered = activeCapacityFilters(search) > 0;

  return (
    <Page title={t('capacity.title')}>
      <Text>{t('capacity.intro')}</Text>
      <Text size="sm">{me ? t('capacity.scopeMember') : t('capacity.scopePublic')}</Text>
      <form role="search" aria-label={t('capacity.filters.label')} onSubmit={(e) => e.preventDefault()}>
        <FilterPanel active={activeCapacityFilters(search)}>
          <Group align="flex-end" wrap="wrap" gap="sm">
            <TextInput label={t('capacity.filters.from')} type="date" value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} w={170} maw="100%" />
            <TextInput label={t('capacity.filters.to')} type="date" value={search.to ?? ''} min={search.from} onChange={(e) => set({ to: e.currentTarget.value || undefined })} w={170} maw="100%" />
            <ConceptFilter label={t('capacity.filters.concept')} nothingFound={t('capacity.filters.noConcept')} value={search.concept} onChange={(v) => set({ concept: v })} />
            <Select
              label={t('capacity.filters.region')}
              data={regionOptions}
              value={search.region ?? null}
              onChange={(v) => set({ region: v ?? undefined })}
              clearable
              placeholder={t('common.all')}
              w={240}
              maw="100%"
            />
            <Select
              label={t('capacity.filters.country')}
              data={countryOptions}
              value={search.country ?? null}
              onChange={(v) => set({ country: v ?? undefined })}
              searchable
              clearable
              placeholder={t('common.all')}
              w={220}
              maw="100%"
            />
            {filtered && (
              <Button variant="subtle" onClick={() => void navigate({ to: '/capacity', search: {} as never, replace: true })}>
                {t('capacity.filters.clear')}
              </Button>
            )}
          </Group>
        </FilterPanel>
      </form>
      <Group gap="xs">
        <Button component="a" href={dashboardPath(search, lang, 'csv')} variant="default" download>
          {t('capacity.csv')}
        </Button>
        <Button component="a" href={dashboardPath(search, lang, 'pdf')} variant="default" download>
          {t('capacity.pdf')}
        </Button>
        <Button component="a" href={iatiPath(search)} variant="default" download>
          {t('capacity.iati')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t('capacity.iatiHelp')}
      </Text>
      <ErrorAlert error={res.error} />
      {res.loading && !d ? (
        <Loading />
      ) : d ? (
        <Stack gap="lg">
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} component="dl" aria-label={t('capacity.summary')} data-testid="capacity-summary">
            {(
              [
                ['offers', d.offers.total],
                ['openToAll', d.offers.openToAll],
                ['requests', d.requests.total],
                ['selected', d.participants.selected],
                ['completed', d.participants.completed],
              ] as const
            ).map(([k, v]) => (
              <Card key={k} withBorder padding="sm">
                <Text component="dt" size="sm" c="dimmed">
                  {t(`capacity.figures.${k}`)}
                </Text>
                <Text component="dd" m={0} fz="xl" fw={700}>
                  {fmt.num(v)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>

          <Figure
            title={t('capacity.offersByConcept')}
            chart={
              d.offers.byConcept.length > 0 && (
                <BarChart
                  label={chartLabel(t('capacity.offersByConcept'))}
                  data={d.offers.byConcept.slice(0, 15).map((x) => ({ name: x.label, offers: x.offers }))}
                  dataKey="name"
                  series={[{ name: 'offers', label: t('capacity.figures.offers'), color: 'indigo.6' }]}
                />
              )
            }
          >
            <DataTable caption={t('capacity.offersByConcept')} columns={[t('capacity.concept'), t('capacity.figures.offers')]} rows={d.offers.byConcept} empty={t('capacity.nothing')}>
              {(x) => (
                <Table.Tr key={x.concept}>
                  <Table.Th scope="row" fw={400}>
                    {conceptLink(x)}
                  </Table.Th>
                  <Table.Td>{fmt.num(x.offers)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t('capacity.offersByRegion')}
            chart={
              <BarChart
                label={chartLabel(t('capacity.offersByRegion'))}
                data={d.offers.byRegion.filter((x) => x.subregion !== null).map((x) => ({ name: regionName(x.region, x.subregion), offers: x.offers }))}
                dataKey="name"
                series={[{ name: 'offers', label: t('capacity.figures.offers'), color: 'teal.7' }]}
              />
            }
          >
            <DataTable caption={t('capacity.offersByRegion')} columns={[t('capacity.region'), t('capacity.figures.offers')]} rows={d.offers.byRegion}>
              {(x) => (
                <Table.Tr key={`${x.region}/${x.subregion ?? ''}`}>
                  <Table.Th scope="row" fw={x.subregion ? 400 : 700} pl={x.subregion ? 'lg' : undefined}>
                    {regionName(x.region, x.subregion)}
                  </Table.Th>
                  <Table.Td>{fmt.num(x.offers)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
            <Text size="xs" c="dimmed" mt="xs">
              {t('capacity.openToAllHelp')}
            </Text>
          </Figure>

          <Figure title={t('capacity.offersByType')}>
            <DataTable caption={t('capacity.offersByType')} columns={[t('capacity.type'), t('capacity.figures.offers')]} rows={d.offers.byType.filter((x) => x.offers > 0)} empty={t('capacity.nothing')}>
              {(x) => (
                <Table.Tr key={x.type}>
                  <Table.Th scope="row" fw={400}>
                    <AppLink to="/offers" search={{ type: x.type, concept: search.concept, country: search.country, status: 'open' } as never}>
                      {t(`offers.types.${x.type}`, { defaultValue: x.type })}
                    </AppLink>
                  </Table.Th>
                  <Table.Td>{fmt.num(x.offers)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t('capacity.requestsByStatus')}
            chart={
              <BarChart
                label={chartLabel(t('capacity.requestsByStatus'))}
                data={d.requests.byStatus.map((x) => ({ name: t(`capacity.status.${x.status}`), requests: x.requests }))}
                dataKey="name"
                series={[{ name: 'requests', label: t('capacity.figures.requests'), color: 'orange.7' }]}
              />
            }
          >
            <DataTable caption={t('capacity.requestsByStatus')} columns={[t('capacity.statusColumn'), t('capacity.figures.requests')]} rows={d.requests.byStatus}>
              {(x) => (
                <Table.Tr key={x.status}>
                  <Table.Th scope="row" fw={400}>
                    {t(`capacity.status.${x.status}`)}
                  </Table.Th>
                  <Table.Td>{fmt.num(x.requests)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure title={t('capacity.times')}>
            <DataTable caption={t('capacity.times')} columns={[t('capacity.step'), t('capacity.figures.requests'), t('capacity.median'), t('capacity.p75')]} rows={[['toMatched', d.requests.toMatched] as const, ['toDelivery', d.requests.toDelivery] as const]}>
              {([k, x]: readonly [string, Duration]) => (
                <Table.Tr key={k}>
                  <Table.Th scope="row" fw={400}>
                    {t(`capacity.${k}`)}
                  </Table.Th>
                  <Table.Td>{fmt.num(x.count)}</Table.Td>
                  <Table.Td>{fmt.days(x.median)}</Table.Td>
                  <Table.Td>{fmt.days(x.p75)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
            <Text size="xs" c="dimmed" mt="xs">
              {t('capacity.timesHelp')}
            </Text>
          </Figure>

          <Figure
            title={t('capacity.participantsByCountry')}
            chart={
              d.participants.byCountry.length > 0 && (
                <BarChart
                  label={chartLabel(t('capacity.participantsByCountry'))}
                  data={d.participants.byCountry.slice(0, 15).map((x) => ({ name: labels.country(x.country), selected: x.selected, completed: x.completed }))}
                  dataKey="name"
                  series={[
                    { name: 'selected', label: t('capacity.figures.selected'), color: 'indigo.6' },
                    { name: 'completed', label: t('capacity.figures.completed'), color: 'teal.7' },
                  ]}
                />
              )
            }
          >
            <DataTable caption={t('capacity.participantsByCountry')} columns={[t('capacity.country'), t('capacity.figures.selected'), t('capacity.figures.completed')]} rows={d.participants.byCountry} empty={t('capacity.nothing')}>
              {(x) => (
                <Table.Tr key={x.country}>
                  <Table.Th scope="row" fw={400}>
                    {labels.country(x.country)}
                  </Table.Th>
                  <Table.Td>{fmt.num(x.selected)}</Table.Td>
                  <Table.Td>{fmt.num(x.completed)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t('capacity.participantsByConcept')}
            chart={
              d.participants.byConcept.length > 0 && (
                <BarChart
                  label={chartLabel(t('capacity.participantsByConcept'))}
                  data={d.participants.byConcept.slice(0, 15).map((x) => ({ name: x.label, selected: x.selected, completed: x.completed }))}
                  dataKey="name"
                  series={[
                    { name: 'selected', label: t('capacity.figures.selected'), color: 'indigo.6' },
                    { name: 'completed', label: t('capacity.figures.completed'), color: 'teal.7' },
                  ]}
                />
              )
            }
          >
            <DataTable caption={t('capacity.participantsByConcept')} columns={[t('capacity.concept'), t('capacity.figures.selected'), t('capacity.figures.completed')]} rows={d.participants.byConcept} empty={t('capacity.nothing')}>
              {(x) => (
                <Table.Tr key={x.concept}>
                  <Table.Th scope="row" fw={400}>
                    {conceptLink(x)}
                  </Table.Th>
                  <Table.Td>{fmt.num(x.selected)}</Table.Td>
                  <Table.Td>{fmt.num(x.completed)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Card withBorder component="section" aria-labelledby="capacity-map-title">
            <Stack gap="sm">
              <Title order={2} size="h3" id="capacity-map-title">
                {t('capacity.map.title')}
              </Title>
              <CapacityMap countries={d.countries} measure={measure} onMeasure={setMeasure} onPick={(code) => set({ country: code })} />
              <DataTable
                caption={t('capacity.map.tableCaption')}
                columns={[t('capacity.country'), ...MEASURES.map((m) => t(`capacity.map.measures.${m}`))]}
                rows={[...d.countries].sort((a, b) => (a.region === b.region ? labels.country(a.code).localeCompare(labels.country(b.code), lang) : a.region.localeCompare(b.region)))}
              >
                {(c) => (
                  <Table.Tr key={c.code}>
                    <Table.Th scope="row" fw={400}>
                      <AppLink to="/capacity" search={validateCapacitySearch({ ...search, country: c.code }) as never}>
                        {labels.country(c.code)}
                      </AppLink>
                    </Table.Th>
                    {MEASURES.map((m) => (
                      <Table.Td key={m}>{fmt.num(c[m])}</Table.Td>
                    ))}
                  </Table.Tr>
                )}
              </DataTable>
            </Stack>
          </Card>
        </Stack>
      ) : null}
    </Page>
  );
}
