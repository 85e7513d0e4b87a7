import { Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Figure } from '../../components/Figure';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { useSession } from '../../session';
import { useDebouncedQuery } from '../knowledge/shared';
import { NIS2_SECTORS } from '../incidents/api';
import { activeIncidentFilters, validateIncidentsSearch, type IncidentsSearch } from '../incidents/search';
import { IncidentFilterFields, SeverityBadge, useIncidentLabels } from '../incidents/shared';
import { situationPath, type Situation } from './api';
import { useIncidentEvents } from './live';
import { SituationMap, useCountryWords } from './SituationMap';

// The charts (recharts) load after the tables, in the roadmap dashboard's chunk of their own.
const BarChart = lazy(() => import('../roadmap/Charts').then((m) => ({ default: m.RoadmapBarChart })));
const LineChart = lazy(() => import('../roadmap/Charts').then((m) => ({ default: m.RoadmapLineChart })));

/** A day of the window (a UTC day, as the server counts them) in the reader's words. */
function useDayFormat(lang: string) {
  return useMemo(() => {
    const f = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    return (day: string) => f.format(new Date(`${day}T00:00:00Z`));
  }, [lang]);
}

/**
 * The shared situational picture: where incidents are and how severe, the country × sector
 * matrix, trends, what they are made of and what members see — every figure over the incident
 * reports the reader may see, never over exercises. Filters are the incident list's, in the
 * address; the page asks again when an incident event reaches the reader on the event stream.
 */
export function SituationPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const lang = labels.lang;
  const l = useIncidentLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateIncidentsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<IncidentsSearch>) => void navigate({ to: '/situation', search: validateIncidentsSearch({ ...search, ...patch, exercise: undefined }) as never, replace: true });
  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const active = activeIncidentFilters({ ...search, exercise: undefined });
  const res = useApi<Situation>(situationPath(search, lang), { quiet401: true });
  useIncidentEvents(!!me, res.reload);
  const d = res.data;
  const num = useMemo(() => new Intl.NumberFormat(lang), [lang]);
  const n = (x: number) => num.format(x);
  const day = useDayFormat(lang);
  const words = useCountryWords();
  const chartLabel = (title: string) => t('situation.chartLabel', { title });

  const matrix = useMemo(() => {
    if (!d) return { sectors: [] as string[], rows: [] as { country: string; cells: Map<string, number>; total: number }[] };
    const sectors = NIS2_SECTORS.filter((s) => d.matrix.some((x) => x.sector === s));
    const byCountry = new Map<string, Map<string, number>>();
    for (const x of d.matrix) byCountry.set(x.country, (byCountry.get(x.country) ?? new Map()).set(x.sector, x.reports));
    const rows = [...byCountry]
      .map(([country, cells]) => ({ country, cells, total: [...cells.values()].reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total || labels.country(a.country).localeCompare(labels.country(b.country), lang));
    return { sectors, rows };
  }, [d, labels, lang]);

  return (
    <Page title={t('situation.title')}>
      <Text>{t('situation.intro')}</Text>
      <Text size="sm">{me ? t('situation.scopeMember') : t('situation.scopePublic')}</Text>
      <form role="search" aria-label={t('situation.filters.label')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('incidents.search')} description={t('incidents.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} />
          <FilterPanel active={active}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <IncidentFilterFields search={search} set={set} fromDescription={t('situation.filters.fromHelp')} />
              {(active > 0 || !!search.q) && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setQ('');
                    void navigate({ to: '/situation', search: {} as never, replace: true });
                  }}
                >
                  {t('incidents.filters.clear')}
                </Button>
              )}
            </Group>
          </FilterPanel>
        </Stack>
      </form>
      <Group gap="xs">
        <Button component="a" href={situationPath(search, lang, 'pdf')} variant="default" download data-testid="situation-pdf">
          {t('situation.pdf')}
        </Button>
        <Button component="a" href={situationPath(search, lang, 'csv')} variant="default" download>
          {t('situation.csv')}
        </Button>
        <AppLink to="/incidents" search={{ ...search, exercise: undefined } as never}>
          {t('situation.toList')}
        </AppLink>
      </Group>
      <ErrorAlert error={res.error} />
      {res.loading && !d ? (
        <Loading />
      ) : d ? (
        <Stack gap="lg" data-testid="situation">
          <Group gap="sm" role="status" aria-live="polite">
            <Text size="sm">{t('situation.window', { from: day(d.from), to: day(d.to) })}</Text>
            {d.marking ? (
              <Group gap={6}>
                <Text size="sm">{t('situation.marking')}</Text>
                <TlpBadge tlp={d.marking} size="sm" />
              </Group>
            ) : (
              <Badge variant="light" color="gray">
                {t('situation.nothingCounted')}
              </Badge>
            )}
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 4 }} component="dl" aria-label={t('situation.summary')} data-testid="situation-summary">
            {(
              [
                ['reports', d.reports],
                ['open', d.open],
                ['sightings', d.sightings.count],
                ['sightingReports', d.sightings.reports],
              ] as const
            ).map(([k, v]) => (
              <Card key={k} withBorder padding="sm">
                <Text component="dt" size="sm" c="dimmed">
                  {t(`situation.figures.${k}`)}
                </Text>
                <Text component="dd" m={0} fz="xl" fw={700}>
                  {n(v)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>

          <Card withBorder component="section" aria-labelledby="situation-map-title">
            <Stack gap="sm">
              <Title order={2} size="h3" id="situation-map-title">
                {t('situation.map.title')}
              </Title>
              <SituationMap countries={d.countries} onPick={(code) => set({ country: code })} />
              <DataTable
                caption={t('situation.map.tableCaption')}
                columns={[t('situation.country'), t('situation.map.impact'), t('situation.figures.open'), t('situation.figures.reports')]}
                rows={d.countries.filter((c) => c.reports > 0)}
                empty={t('situation.nothing')}
              >
                {(c) => (
                  <Table.Tr key={c.code} aria-label={words(c)}>
                    <Table.Th scope="row" fw={400}>
                      <AppLink to="/situation" search={validateIncidentsSearch({ ...search, exercise: undefined, country: c.code }) as never}>
                        {labels.country(c.code)}
                      </AppLink>
                    </Table.Th>
                    <Table.Td>{c.open > 0 ? <SeverityBadge severity={c.severity} /> : t('situation.map.shades.none')}</Table.Td>
                    <Table.Td>{n(c.open)}</Table.Td>
                    <Table.Td>{n(c.reports)}</Table.Td>
                  </Table.Tr>
                )}
              </DataTable>
            </Stack>
          </Card>

          <Figure title={t('situation.matrix.title')}>
            <Text size="sm" c="dimmed">
              {t('situation.matrix.help')}
            </Text>
            <DataTable caption={t('situation.matrix.title')} columns={[t('situation.country'), ...matrix.sectors.map((s) => l.sector(s))]} rows={matrix.rows} empty={t('situation.nothing')} className="matrix-cards" data-testid="situation-matrix">
              {(r) => (
                <Table.Tr key={r.country}>
                  <Table.Th scope="row" fw={400}>
                    {labels.country(r.country)}
                  </Table.Th>
                  {matrix.sectors.map((s) => (
                    <Table.Td key={s} data-empty-cell={r.cells.get(s) ? undefined : ''}>
                      {r.cells.get(s) ? (
                        <AppLink to="/incidents" search={validateIncidentsSearch({ ...search, exercise: undefined, country: r.country, sector: s }) as never}>
                          {n(r.cells.get(s)!)}
                        </AppLink>
                      ) : (
                        n(0)
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t(d.bucket === 'day' ? 'situation.trends.daily' : 'situation.trends.weekly')}
            chart={
              <LineChart
                label={chartLabel(t(d.bucket === 'day' ? 'situation.trends.daily' : 'situation.trends.weekly'))}
                data={d.trends.map((x) => ({ day: day(x.start), reported: x.reported, closed: x.closed, sightings: x.sightings }))}
                dataKey="day"
                series={[
                  { name: 'reported', label: t('situation.trends.reported'), color: 'red.7' },
                  { name: 'closed', label: t('situation.trends.closed'), color: 'teal.7' },
                  { name: 'sightings', label: t('situation.trends.sightings'), color: 'indigo.6' },
                ]}
              />
            }
          >
            <DataTable
              caption={t(d.bucket === 'day' ? 'situation.trends.daily' : 'situation.trends.weekly')}
              columns={[t(d.bucket === 'day' ? 'situation.trends.day' : 'situation.trends.week'), t('situation.trends.reported'), t('situation.trends.closed'), t('situation.trends.sightings')]}
              rows={d.trends.filter((x) => x.reported || x.closed || x.sightings)}
              empty={t('situation.nothing')}
            >
              {(x) => (
                <Table.Tr key={x.start}>
                  <Table.Th scope="row" fw={400}>
                    <time dateTime={x.start}>{day(x.start)}</time>
                  </Table.Th>
                  <Table.Td>{n(x.reported)}</Table.Td>
                  <Table.Td>{n(x.closed)}</Table.Td>
                  <Table.Td>{n(x.sightings)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t('situation.rsit')}
            chart={
              d.rsit.length > 0 && (
                <BarChart
                  label={chartLabel(t('situation.rsit'))}
                  data={d.rsit.map((x) => ({ name: l.rsitClass(x.rsitClass), reports: x.reports }))}
                  dataKey="name"
                  series={[{ name: 'reports', label: t('situation.figures.reports'), color: 'orange.7' }]}
                />
              )
            }
          >
            <DataTable caption={t('situation.rsit')} columns={[t('situation.class'), t('situation.figures.reports')]} rows={d.rsit} empty={t('situation.nothing')}>
              {(x) => (
                <Table.Tr key={x.rsitClass}>
                  <Table.Th scope="row" fw={400}>
                    {l.rsitClass(x.rsitClass)}
                  </Table.Th>
                  <Table.Td>{n(x.reports)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Figure title={t('situation.techniques')}>
              <DataTable caption={t('situation.techniques')} columns={[t('situation.technique'), t('situation.figures.reports')]} rows={d.techniques} empty={t('situation.nothing')}>
                {(x) => (
                  <Table.Tr key={x.stixId}>
                    <Table.Th scope="row" fw={400}>
                      <AppLink to="/intel/objects/$id" params={{ id: x.stixId }}>
                        {x.externalId ? `${x.externalId} ${x.name}` : x.name}
                      </AppLink>
                    </Table.Th>
                    <Table.Td>{n(x.reports)}</Table.Td>
                  </Table.Tr>
                )}
              </DataTable>
            </Figure>
            <Figure title={t('situation.vulnerabilities')}>
              <DataTable caption={t('situation.vulnerabilities')} columns={[t('situation.vulnerability'), t('situation.figures.reports')]} rows={d.vulnerabilities} empty={t('situation.nothing')}>
                {(x) => (
                  <Table.Tr key={x.stixId}>
                    <Table.Th scope="row" fw={400}>
                      <Group gap={6} wrap="wrap">
                        <AppLink to="/intel/vulnerabilities/$id" params={{ id: x.stixId }}>
                          {x.name}
                        </AppLink>
                        {x.kev && (
                          <Badge size="sm" color="red" variant="light">
                            {t('situation.kev')}
                          </Badge>
                        )}
                        {x.ransomware && (
                          <Badge size="sm" color="grape" variant="light">
                            {t('situation.ransomware')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Th>
                    <Table.Td>{n(x.reports)}</Table.Td>
                  </Table.Tr>
                )}
              </DataTable>
            </Figure>
          </SimpleGrid>

          <Figure title={t('situation.sightingsByCountry')}>
            <Text size="sm" c="dimmed">
              {t('situation.sightingsHelp')}
            </Text>
            <DataTable caption={t('situation.sightingsByCountry')} columns={[t('situation.country'), t('situation.figures.sightings')]} rows={d.sightings.byCountry} empty={t('situation.nothing')}>
              {(x) => (
                <Table.Tr key={x.country}>
                  <Table.Th scope="row" fw={400}>
                    {labels.country(x.country)}
                  </Table.Th>
                  <Table.Td>{n(x.count)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>
        </Stack>
      ) : null}
    </Page>
  );
}
