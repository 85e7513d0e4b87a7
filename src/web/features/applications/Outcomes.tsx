import { Alert, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import type { Outcomes, Scale, Tally } from './api';

// The charts (recharts, some 100 kB compressed) load after the tables, in a chunk of their own.
const OutcomeBarChart = lazy(() => import('./Charts').then((m) => ({ default: m.OutcomeBarChart })));

/** A chart with the table of the same figures beside it (under it on a narrow screen). */
function Figure({ title, rows, children }: { title: string; rows: { name: string; count: number }[]; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {title}
        </Title>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('applications.outcomes.nothing')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Suspense fallback={<Loading />}>
              <OutcomeBarChart label={title} data={rows} valueLabel={t('applications.outcomes.count')} />
            </Suspense>
            <DataTable caption={title} columns={[t('applications.outcomes.key'), t('applications.outcomes.count')]} rows={rows}>
              {(r) => (
                <Table.Tr key={r.name}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{r.count}</Table.Td>
                </Table.Tr>
              )}
            </DataTable>
          </SimpleGrid>
        )}
        {children}
      </Stack>
    </Card>
  );
}

/** An offer's outcomes (`/offers/{id}/outcomes`): for its provider, its partners and the secretariat. */
export function OutcomesPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { id } = useParams({ strict: false }) as { id: string };
  const res = useApi<Outcomes>(`/api/v1/offers/${encodeURIComponent(id)}/outcomes`);
  const o = res.data;
  if (res.loading && !o) return <Loading />;
  if (!o)
    return (
      <Page title={t('applications.outcomes.title')}>
        {res.error?.status === 403 ? <Alert color="gray">{t('applications.outcomes.forbidden')}</Alert> : <ErrorAlert error={res.error} />}
        <AppLink to="/offers/$id" params={{ id }}>
          {t('applications.provider.backToOffer')}
        </AppLink>
      </Page>
    );
  const named = (xs: Tally[], name: (k: string) => string) => xs.map((x) => ({ name: name(x.key), count: x.count }));
  const scale = (s: Scale) => s.distribution.map((n, i) => ({ name: String(i + 1), count: n }));
  const mean = (s: Scale) => (s.mean === null ? '—' : s.mean.toLocaleString(labels.lang, { maximumFractionDigits: 2 }));
  return (
    <Page
      title={t('applications.outcomes.titleFor', { title: o.offer.title })}
      actions={
        <Button component="a" href={`/api/v1/offers/${encodeURIComponent(o.offer.id)}/outcomes.csv`} variant="default" download>
          {t('applications.outcomes.csv')}
        </Button>
      }
    >
      <AppLink to="/offers/$id" params={{ id: o.offer.slug }}>
        {t('applications.provider.backToOffer')}
      </AppLink>
      <Text size="sm">{t('applications.outcomes.intro')}</Text>
      <Group gap="xl" wrap="wrap">
        <Text>{t('applications.outcomes.applications', { count: o.applications })}</Text>
        <Text>{t('applications.outcomes.participants', { count: o.participants })}</Text>
        <Text>{t('applications.outcomes.attended', { count: o.attended })}</Text>
        <Text>{t('applications.outcomes.completed', { count: o.completed, rate: o.completionRate === null ? '—' : `${Math.round(o.completionRate * 100)} %` })}</Text>
      </Group>
      <Figure title={t('applications.outcomes.byCountry')} rows={named(o.byCountry, (k) => labels.country(k))} />
      <Figure title={t('applications.outcomes.byOrganisationType')} rows={named(o.byOrganisationType, labels.orgType)} />
      <Figure title={t('applications.outcomes.byGender')} rows={named(o.byGender, (k) => t(`applications.genders.${k}`))} />
      <Figure title={t('applications.outcomes.satisfaction', { mean: mean(o.satisfaction), count: o.satisfaction.count })} rows={o.satisfaction.count ? scale(o.satisfaction) : []} />
      <Figure title={t('applications.outcomes.usefulness', { mean: mean(o.usefulness), count: o.usefulness.count })} rows={o.usefulness.count ? scale(o.usefulness) : []} />
      <Card withBorder component="section" aria-labelledby="follow-ups">
        <Title order={2} size="h3" id="follow-ups" mb="xs">
          {t('applications.outcomes.followUps')}
        </Title>
        {o.followUps.length ? (
          <List>
            {o.followUps.map((f, i) => (
              <List.Item key={i}>{f}</List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm" c="dimmed">
            {t('applications.outcomes.nothing')}
          </Text>
        )}
      </Card>
    </Page>
  );
}
