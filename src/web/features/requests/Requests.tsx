import { Button, Card, Group, List, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useCursorPages } from '../../api/useCursorPages';
import { useApi } from '../../api/useApi';
import { ConceptFilter } from '../../components/ConceptFilter';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { CountrySelect } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { hasRole, useSession } from '../../session';
import { REQUEST_STATUSES, type Asking, type RequestPage, type RequestSummary, type Suggested } from './api';
import { activeRequestFilters, requestsListPath, validateRequestsSearch, type RequestsSearch } from './search';
import { Reasons, RequestLink, RequestStatusBadge, UrgencyBadge, useTimeframe, WhoAsks } from './shared';

/** Requests as a table: title and who asks, country, step, urgency, timeframe, marking. */
function RequestTable({ rows, caption }: { rows: RequestSummary[]; caption?: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const timeframe = useTimeframe();
  return (
    <DataTable
      caption={caption}
      rows={rows}
      columns={[t('requests.columns.request'), t('requests.columns.country'), t('requests.columns.status'), t('requests.columns.urgency'), t('requests.columns.timeframe'), t('requests.columns.marking')]}
      empty={t('requests.none')}
      data-testid="requests-table"
    >
      {(r) => (
        <Table.Tr key={r.id} data-testid="request-row">
          <Table.Td>
            <RequestLink r={r} />
            <Text size="xs" c="dimmed">
              {r.organisation.name}
            </Text>
          </Table.Td>
          <Table.Td>{r.country ? labels.country(r.country) : '—'}</Table.Td>
          <Table.Td>
            <RequestStatusBadge status={r.status} />
          </Table.Td>
          <Table.Td>
            <UrgencyBadge urgency={r.urgency} />
          </Table.Td>
          <Table.Td>{timeframe(r.timeframe)}</Table.Td>
          <Table.Td>
            <TlpBadge tlp={r.tlp} size="sm" />
          </Table.Td>
        </Table.Tr>
      )}
    </DataTable>
  );
}

/** The requests this reader may see: their organisation's, and those shared with them as a provider once open. */
export function RequestsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateRequestsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<RequestsSearch>) => void navigate({ to: '/requests', search: validateRequestsSearch({ ...search, ...patch }) as never, replace: true });
  const asking = useApi<Asking>(me?.organisation ? '/api/v1/requests/asking' : null);
  const mayAsk = !!asking.data && (asking.data.organisation || asking.data.countries.length > 0);

  const firstUrl = requestsListPath(search, labels.lang);
  const { first, items, hasMore: next, loadMore, busy, moreError } = useCursorPages<RequestPage['items'][number], RequestPage>(firstUrl, (cursor) => requestsListPath(search, labels.lang, cursor));

  return (
    <Page
      title={t('requests.title')}
      actions={
        <>
          <ButtonLink to="/requests/suggested" variant="default">
            {t('requests.suggestedLink')}
          </ButtonLink>
          {hasRole(me, 'secretariat') && (
            <ButtonLink to="/requests/triage" variant="default">
              {t('requests.triageLink')}
            </ButtonLink>
          )}
          {mayAsk && (
            <ButtonLink to="/requests/new" data-testid="new-request">
              {t('requests.ask')}
            </ButtonLink>
          )}
        </>
      }
    >
      <Text>{t('requests.intro')}</Text>
      <FilterPanel active={activeRequestFilters(search)}>
        <Group align="flex-end" wrap="wrap" gap="sm">
          <Select
            label={t('requests.filters.status')}
            data={REQUEST_STATUSES.map((s) => ({ value: s, label: t(`requests.status.${s}`) }))}
            value={search.status ?? null}
            onChange={(v) => set({ status: v ?? undefined })}
            clearable
            placeholder={t('common.all')}
            w={220}
          />
          <ConceptFilter label={t('requests.filters.concept')} nothingFound={t('requests.filters.noConcept')} value={search.concept} onChange={(v) => set({ concept: v })} />
          <CountrySelect label={t('requests.filters.country')} value={search.country ?? null} onChange={(v) => set({ country: v ?? undefined })} clearable searchable placeholder={t('common.all')} w={240} />
          <Switch label={t('requests.filters.mine')} checked={!!search.mine} onChange={(e) => set({ mine: e.currentTarget.checked || undefined })} mb={8} />
        </Group>
      </FilterPanel>
      {first.error ? (
        <ErrorAlert error={first.error} />
      ) : first.loading && !first.data ? (
        <Loading />
      ) : (
        <>
          <RequestTable rows={items} caption={t('requests.caption', { count: items.length })} />
          {moreError != null && <ErrorAlert error={moreError} />}
          {next && (
            <Group>
              <Button variant="default" onClick={() => void loadMore()} loading={busy}>
                {t('requests.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Page>
  );
}

/** For a provider: the open requests shared with them that fit their organisation's offers or experts, with the reasons. */
export function SuggestedPage() {
  const { t } = useTranslation();
  const timeframe = useTimeframe();
  const s = useApi<Suggested>('/api/v1/requests/suggested?limit=50');
  return (
    <Page title={t('requests.suggested.title')}>
      <Text>{t('requests.suggested.intro')}</Text>
      {s.error ? (
        <ErrorAlert error={s.error} />
      ) : !s.data ? (
        <Loading />
      ) : s.data.items.length === 0 ? (
        <Text>{t('requests.suggested.none')}</Text>
      ) : (
        <Stack gap="md" component="ul" className="plain-list" data-testid="suggested">
          {s.data.items.map((x) => (
            <Card component="li" key={x.request.id} withBorder padding="md">
              <Group justify="space-between" align="flex-start" wrap="wrap">
                <div>
                  <Title order={2} size="h4">
                    <RequestLink r={x.request} />
                  </Title>
                  <WhoAsks r={x.request} />
                  <Text size="sm">{timeframe(x.request.timeframe)}</Text>
                </div>
                <Group gap="xs">
                  <UrgencyBadge urgency={x.request.urgency} />
                  <TlpBadge tlp={x.request.tlp} size="sm" />
                </Group>
              </Group>
              <Reasons score={x.score} reasons={x.reasons} concepts={s.data!.concepts} />
              <Text size="sm" fw={600} mt="xs">
                {t('requests.suggested.fits')}
              </Text>
              <List size="sm">
                {x.fits.map((f) => (
                  <List.Item key={f.id}>
                    {f.kind === 'offer' ? t('requests.suggested.offer') : t('requests.suggested.expert')} —{' '}
                    {f.kind === 'offer' ? (
                      <AppLink to="/offers/$id" params={{ id: f.id }}>
                        {f.title}
                      </AppLink>
                    ) : (
                      <AppLink to="/experts/$expertId" params={{ expertId: f.id }}>
                        {f.title}
                      </AppLink>
                    )}{' '}
                    ({f.score}/100)
                  </List.Item>
                ))}
              </List>
            </Card>
          ))}
        </Stack>
      )}
    </Page>
  );
}

/** The secretariat's triage list: submitted requests, and triaged ones not yet open. */
export function TriagePage() {
  const { t } = useTranslation();
  const { lang } = useLabels();
  const waiting = useApi<RequestPage>(`/api/v1/requests?status=submitted&limit=100&lang=${lang}`);
  const triaged = useApi<RequestPage>(`/api/v1/requests?status=triaged&limit=100&lang=${lang}`);
  return (
    <Page title={t('requests.triage.title')}>
      <Text>{t('requests.triage.intro')}</Text>
      {[
        [t('requests.triage.waiting'), waiting] as const,
        [t('requests.triage.toOpen'), triaged] as const,
      ].map(([title, state]) => (
        <section key={title}>
          <Title order={2} size="h3" mb="xs">
            {title}
          </Title>
          {state.error ? <ErrorAlert error={state.error} /> : !state.data ? <Loading /> : <RequestTable rows={state.data.items} caption={t('requests.caption', { count: state.data.items.length })} />}
        </section>
      ))}
    </Page>
  );
}
