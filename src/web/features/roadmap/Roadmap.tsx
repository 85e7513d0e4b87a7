import { Alert, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading, Page } from '../../components/Page';
import { currentLanguage } from '../../i18n';
import { useSession } from '../../session';
import { COMMITMENT_STATUSES, type CommitmentStatus } from '#shared/records';
import type { Roadmap, RoadmapRow } from './api';
import { validateRoadmapSearch, windowProblem, type RoadmapSearch } from './search';

// The charts (recharts, some 100 kB compressed) load after the tables, in a chunk of their own.
const RoadmapBarChart = lazy(() => import('./Charts').then((m) => ({ default: m.RoadmapBarChart })));
const RoadmapLineChart = lazy(() => import('./Charts').then((m) => ({ default: m.RoadmapLineChart })));

const STATUS_COLORS: Record<CommitmentStatus, string> = { planned: 'gray.6', 'in progress': 'blue.6', done: 'teal.7', delayed: 'orange.7', dropped: 'red.7' };
const AREA_COLORS = ['indigo.6', 'teal.7', 'orange.7', 'grape.6', 'cyan.7'];
const statusKey = (s: CommitmentStatus) => s.replace(/ /g, '_');

/**
 * A chart and the table with the same figures: beside it on a wide screen when the table is
 * small, else under it (and under it on a narrow screen).
 */
function Figure({ title, chart, beside, children }: { title: string; chart: ReactNode; beside?: boolean; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {title}
        </Title>
        <SimpleGrid cols={{ base: 1, lg: beside ? 2 : 1 }} spacing="lg">
          <Suspense fallback={<Loading />}>{chart}</Suspense>
          <div>{children}</div>
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

/** The roadmap dashboard toward the EU-CELAC summit: public, every figure over what the reader may see. */
export function RoadmapPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const lang = currentLanguage();
  const navigate = useNavigate();
  const search = validateRoadmapSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const query = qs({ from: search.from, to: search.to, lang });
  const res = useApi<Roadmap>(`/api/v1/roadmap${query}`, { quiet401: true });
  const r = res.data;

  // The window's form shows the months shown, once known.
  const [from, setFrom] = useState(search.from ?? '');
  const [to, setTo] = useState(search.to ?? '');
  useEffect(() => {
    if (r) {
      setFrom(r.from);
      setTo(r.to);
    }
  }, [r]);
  const [problem, setProblem] = useState<ReturnType<typeof windowProblem>>(null);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const p = windowProblem(from.trim(), to.trim());
    setProblem(p);
    if (!p) void navigate({ to: '/roadmap', search: validateRoadmapSearch({ from: from.trim(), to: to.trim() }) as never, replace: true });
  };
  const reset = () => {
    setProblem(null);
    void navigate({ to: '/roadmap', search: {} as RoadmapSearch as never, replace: true });
  };

  const fmt = useMemo(() => {
    const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
    const month = new Intl.DateTimeFormat(lang, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    const number = new Intl.NumberFormat(lang);
    return {
      pct: (n: number | null) => (n === null ? t('roadmap.none') : percent.format(n / 100)),
      month: (m: string) => month.format(new Date(`${m}-01T00:00:00Z`)),
      num: (n: number) => number.format(n),
    };
  }, [lang, t]);

  const name = (x: RoadmapRow) => (x.notation && x.key !== 'all' ? `${x.notation}. ${x.label}` : x.label);
  // A row's heading leads to its concept's page: what exists under that takeaway or area.
  const linked = (x: RoadmapRow) => {
    const [scheme, concept] = x.key.split('/');
    return scheme && concept ? (
      <AppLink to="/vocabularies/$scheme/$concept" params={{ scheme, concept }}>
        {name(x)}
      </AppLink>
    ) : (
      name(x)
    );
  };
  const measures = [
    { name: 'records', label: t('roadmap.records'), color: 'indigo.6' },
    { name: 'practices', label: t('roadmap.practices'), color: 'teal.7' },
    { name: 'commitments', label: t('roadmap.commitments'), color: 'orange.7' },
  ];
  const totals = (rows: RoadmapRow[]) => rows.map((x) => ({ name: x.notation ?? x.label, records: x.records, practices: x.practices, commitments: x.commitments.count }));
  const exportHref = (format: 'csv' | 'pdf') => `/api/v1/roadmap.${format}${qs({ from: r?.from, to: r?.to, lang })}`;

  const summaryTable = (rows: RoadmapRow[], caption: string, first: string, withOverall: boolean) => (
    <DataTable
      caption={caption}
      columns={[first, t('roadmap.records'), t('roadmap.practices'), t('roadmap.commitments'), t('roadmap.overdue'), t('roadmap.meanProgress')]}
      rows={withOverall ? [...rows, r!.overall] : rows}
    >
      {(x) => (
        <Table.Tr key={x.key}>
          <Table.Th scope="row" lang={x.lang}>
            {linked(x)}
          </Table.Th>
          <Table.Td>{fmt.num(x.records)}</Table.Td>
          <Table.Td>{fmt.num(x.practices)}</Table.Td>
          <Table.Td>{fmt.num(x.commitments.count)}</Table.Td>
          <Table.Td>{fmt.num(x.commitments.overdue)}</Table.Td>
          <Table.Td>{fmt.pct(x.commitments.meanProgress)}</Table.Td>
        </Table.Tr>
      )}
    </DataTable>
  );

  return (
    <Page title={t('roadmap.title')}>
      <Text>{t('roadmap.intro')}</Text>
      <Text size="sm">{me ? t('roadmap.scopeMember') : t('roadmap.scopePublic')}</Text>
      <Card withBorder component="form" onSubmit={apply} aria-label={t('roadmap.window')}>
        <Group align="flex-end" wrap="wrap" gap="md">
          <TextInput type="month" label={t('roadmap.from')} description={t('roadmap.monthFormat')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} required w={190} />
          <TextInput type="month" label={t('roadmap.to')} description={t('roadmap.monthFormat')} value={to} onChange={(e) => setTo(e.currentTarget.value)} required w={190} />
          <Button type="submit">{t('roadmap.apply')}</Button>
          <Button variant="subtle" onClick={reset}>
            {t('roadmap.reset')}
          </Button>
        </Group>
        {problem && (
          <Alert color="red" variant="light" mt="sm" role="alert">
            {t(`roadmap.problem.${problem}`)}
          </Alert>
        )}
      </Card>
      <ErrorAlert error={res.error} />
      {res.loading && !r ? (
        <Loading />
      ) : r ? (
        <Stack gap="lg">
          <Group gap="md" wrap="wrap" justify="space-between">
            <Text role="status" aria-live="polite">
              {t('roadmap.shown', { from: fmt.month(r.from), to: fmt.month(r.to), count: r.months.length })}
            </Text>
            <Group gap="xs">
              <Button component="a" href={exportHref('csv')} variant="default" download>
                {t('roadmap.csv')}
              </Button>
              <Button component="a" href={exportHref('pdf')} variant="default" download>
                {t('roadmap.pdf')}
              </Button>
            </Group>
          </Group>

          <Figure
            beside
            title={t('roadmap.areasTitle')}
            chart={<RoadmapBarChart label={t('roadmap.chartLabel', { title: t('roadmap.areasTitle') })} data={totals(r.areas)} dataKey="name" series={measures} />}
          >
            {summaryTable(r.areas, t('roadmap.areasTitle'), t('roadmap.area'), true)}
          </Figure>

          <Figure
            title={t('roadmap.takeawaysTitle')}
            chart={<RoadmapBarChart label={t('roadmap.chartLabel', { title: t('roadmap.takeawaysTitle') })} data={totals(r.takeaways)} dataKey="name" series={measures} />}
          >
            {summaryTable(r.takeaways, t('roadmap.takeawaysTitle'), t('roadmap.takeaway'), false)}
          </Figure>

          <Figure
            title={t('roadmap.progressTitle')}
            chart={
              <RoadmapBarChart
                label={t('roadmap.chartLabel', { title: t('roadmap.progressTitle') })}
                data={r.takeaways.map((x) => ({ name: x.notation ?? x.label, ...Object.fromEntries(COMMITMENT_STATUSES.map((s) => [statusKey(s), x.commitments.byStatus[s]])) }))}
                dataKey="name"
                series={COMMITMENT_STATUSES.map((s) => ({ name: statusKey(s), label: t(`roadmap.status.${statusKey(s)}`), color: STATUS_COLORS[s] }))}
                stacked
              />
            }
          >
            <DataTable
              caption={t('roadmap.progressTitle')}
              columns={[t('roadmap.takeaway'), ...COMMITMENT_STATUSES.map((s) => t(`roadmap.status.${statusKey(s)}`)), t('roadmap.meanProgress')]}
              rows={r.takeaways}
            >
              {(x) => (
                <Table.Tr key={x.key}>
                  <Table.Th scope="row" lang={x.lang}>
                    {linked(x)}
                  </Table.Th>
                  {COMMITMENT_STATUSES.map((s) => (
                    <Table.Td key={s}>{fmt.num(x.commitments.byStatus[s])}</Table.Td>
                  ))}
                  <Table.Td>{fmt.pct(x.commitments.meanProgress)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t('roadmap.monthlyTitle')}
            chart={
              <RoadmapLineChart
                label={t('roadmap.chartLabel', { title: t('roadmap.monthlyTitle') })}
                data={r.months.map((m, i) => ({ month: fmt.month(m), records: r.overall.series.records[i]!, practices: r.overall.series.practices[i]!, commitments: r.overall.series.commitments[i]! }))}
                dataKey="month"
                series={measures}
              />
            }
          >
            <DataTable
              caption={t('roadmap.monthlyTitle')}
              columns={[t('roadmap.month'), t('roadmap.records'), t('roadmap.practices'), t('roadmap.commitments'), t('roadmap.meanProgress')]}
              rows={r.months.map((m, i) => ({ m, i }))}
            >
              {({ m, i }) => (
                <Table.Tr key={m}>
                  <Table.Th scope="row">{fmt.month(m)}</Table.Th>
                  <Table.Td>{fmt.num(r.overall.series.records[i]!)}</Table.Td>
                  <Table.Td>{fmt.num(r.overall.series.practices[i]!)}</Table.Td>
                  <Table.Td>{fmt.num(r.overall.series.commitments[i]!)}</Table.Td>
                  <Table.Td>{fmt.pct(r.overall.series.meanProgress[i] ?? null)}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </Figure>

          <Figure
            title={t('roadmap.areaProgressTitle')}
            chart={
              <RoadmapLineChart
                label={t('roadmap.chartLabel', { title: t('roadmap.areaProgressTitle') })}
                data={r.months.map((m, i) => ({ month: fmt.month(m), ...Object.fromEntries([...r.areas, r.overall].map((a, n) => [`a${n}`, a.series.meanProgress[i] ?? null])) }))}
                dataKey="month"
                series={[...r.areas, r.overall].map((a, n) => ({ name: `a${n}`, label: name(a), color: AREA_COLORS[n % AREA_COLORS.length]! }))}
                valueFormatter={(v) => fmt.pct(v)}
                max={100}
              />
            }
          >
            <DataTable
              caption={t('roadmap.areaProgressTitle')}
              columns={[t('roadmap.month'), ...[...r.areas, r.overall].map((a) => <span lang={a.lang}>{name(a)}</span>)]}
              rows={r.months.map((m, i) => ({ m, i }))}
            >
              {({ m, i }) => (
                <Table.Tr key={m}>
                  <Table.Th scope="row">{fmt.month(m)}</Table.Th>
                  {[...r.areas, r.overall].map((a) => (
                    <Table.Td key={a.key}>{fmt.pct(a.series.meanProgress[i] ?? null)}</Table.Td>
                  ))}
                </Table.Tr>
              )}
            </DataTable>
          </Figure>
        </Stack>
      ) : null}
    </Page>
  );
}
