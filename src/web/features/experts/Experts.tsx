import { Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useApi } from '../../api/useApi';
import { ConceptFilter } from '../../components/ConceptFilter';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { hasRole, useSession } from '../../session';
import { EXPERT_STATUSES, SKILL_SCHEME, type ExpertPage, type ExpertSummary } from './api';
import { ExpertStatusBadge, MissionScore, useLanguageOptions, useSkillOptions } from './shared';
import { useDebouncedQuery } from '../knowledge/shared';
import { activeExpertFilters, expertsListPath, validateExpertsSearch, type ExpertsSearch } from './search';

/** One row of the pool: who, what, where they have worked, when they are free, how their missions went. */
function ExpertRow({ e, actions }: { e: ExpertSummary; actions?: ReactNode }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const skills = useSkillOptions();
  return (
    <Table.Tr data-testid="expert-row">
      <Table.Td>
        <Stack gap={2}>
          <AppLink to="/experts/$expertId" params={{ expertId: e.id }} fw={600}>
            {e.person.name}
          </AppLink>
          <Text size="sm" lang={e.translation.shown}>
            {e.headline}
          </Text>
          <Group gap={6}>
            {e.status !== 'vetted' && <ExpertStatusBadge status={e.status} />}
            <TlpBadge tlp={e.tlp} size="sm" />
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td>
        <AppLink to="/organisations/$organisationId" params={{ organisationId: e.organisation.id }}>
          {e.organisation.name}
        </AppLink>
        <Text size="sm">{labels.country(e.organisation.country)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{e.skills.map((s) => skills.label(s)).join(' · ') || '—'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{e.languages.map((l) => labels.language(l)).join(', ') || '—'}</Text>
        {e.countries.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('experts.workedIn', { countries: e.countries.map((c) => labels.country(c)).join(', ') })}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{e.available[0] ? t('experts.period', { from: labels.date(e.available[0].from), to: labels.date(e.available[0].to) }) : t('experts.notAvailable')}</Text>
      </Table.Td>
      <Table.Td>
        <MissionScore missions={e.missions} />
      </Table.Td>
      {actions !== undefined && <Table.Td>{actions}</Table.Td>}
    </Table.Tr>
  );
}

function useColumns(withActions = false) {
  const { t } = useTranslation();
  return [t('experts.columns.expert'), t('common.organisation'), t('experts.columns.skills'), t('experts.columns.languages'), t('experts.columns.available'), t('experts.columns.missions'), ...(withActions ? [t('common.actions')] : [])];
}

/** The expert pool as this reader may see it: words, filters in the address, paging. */
export function ExpertsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateExpertsSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<ExpertsSearch>) => void navigate({ to: '/experts', search: validateExpertsSearch({ ...search, ...patch }) as never, replace: true });
  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const skills = useSkillOptions();
  const languages = useLanguageOptions(search.language ? [search.language] : []);
  const countries = useCountryOptions();
  const admin = hasRole(me, 'org_admin');

  const firstUrl = expertsListPath(search, labels.lang);
  const first = useApi<ExpertPage>(firstUrl);
  const [more, setMore] = useState<ExpertSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  useEffect(() => {
    setMore([]);
    setMoreError(null);
    setNext(first.data?.nextCursor ?? null);
  }, [first.data]);
  const loadMore = async () => {
    if (!next) return;
    setBusy(true);
    setMoreError(null);
    try {
      const page = await api.get<ExpertPage>(expertsListPath(search, labels.lang, next));
      setMore((m) => [...m, ...page.items]);
      setNext(page.nextCursor);
    } catch (e) {
      setMoreError(e instanceof ApiError ? e : new ApiError(0, 'NETWORK_ERROR', String(e)));
    } finally {
      setBusy(false);
    }
  };
  const items = [...(first.data?.items ?? []), ...more];
  const filtered = activeExpertFilters(search) > 0 || !!search.q;
  const columns = useColumns();

  return (
    <Page
      title={t('experts.title')}
      actions={
        <Group gap="xs">
          {admin && (
            <ButtonLink to="/experts/vetting" variant="default">
              {t('experts.vetting.title')}
            </ButtonLink>
          )}
          <ButtonLink to="/experts/new" data-testid="offer-expert">
            {t('experts.offer')}
          </ButtonLink>
        </Group>
      }
    >
      <Text>{t('experts.intro')}</Text>
      <form role="search" aria-label={t('experts.searchLabel')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('experts.search')} description={t('experts.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} data-testid="experts-search" />
          <FilterPanel active={activeExpertFilters(search)}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <Select
                label={t('experts.filters.skill')}
                data={skills.options}
                value={search.skill ?? null}
                onChange={(v) => set({ skill: v ?? undefined })}
                searchable
                clearable
                placeholder={t('common.all')}
                nothingFoundMessage={skills.loading ? t('common.loading') : undefined}
                w={260}
                maw="100%"
                comboboxProps={{ width: 'target' }}
              />
              <ConceptFilter label={t('experts.filters.concept')} nothingFound={t('experts.filters.noConcept')} exclude={(scheme) => scheme === SKILL_SCHEME} value={search.concept} onChange={(v) => set({ concept: v })} />
              <Select
                label={t('experts.filters.language')}
                data={languages}
                value={search.language ?? null}
                onChange={(v) => set({ language: v ?? undefined })}
                searchable
                clearable
                placeholder={t('common.all')}
                w={200}
                maw="100%"
              />
              <Select
                label={t('experts.filters.country')}
                description={t('experts.filters.countryHelp')}
                data={countries}
                value={search.country ?? null}
                onChange={(v) => set({ country: v ?? undefined })}
                searchable
                clearable
                placeholder={t('common.all')}
                w={220}
                maw="100%"
              />
              <TextInput type="date" label={t('experts.filters.from')} value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} w={170} />
              <TextInput type="date" label={t('experts.filters.to')} value={search.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined })} w={170} />
              {me?.organisation && (
                <Select
                  label={t('experts.filters.status')}
                  description={t('experts.filters.statusHelp')}
                  data={EXPERT_STATUSES.map((s) => ({ value: s, label: t(`experts.status.${s}`) }))}
                  value={search.status ?? null}
                  onChange={(v) => set({ status: v ?? undefined, organisation: v && v !== 'vetted' ? me.organisation!.id : search.organisation })}
                  clearable
                  placeholder={t('common.all')}
                  w={200}
                  maw="100%"
                />
              )}
              {filtered && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setQ('');
                    void navigate({ to: '/experts', search: {} as never, replace: true });
                  }}
                >
                  {t('experts.filters.clear')}
                </Button>
              )}
            </Group>
          </FilterPanel>
        </Stack>
      </form>
      <ErrorAlert error={first.error ?? moreError} />
      {first.error ? null : first.loading && !first.data ? (
        <Loading />
      ) : (
        <Stack gap="sm">
          <Text size="sm" role="status" aria-live="polite">
            {t('experts.count', { count: first.data?.total ?? 0 })}
          </Text>
          <DataTable caption={t('experts.caption')} columns={columns} rows={items} empty={filtered ? t('experts.noResults') : t('experts.none')} minWidth={900}>
            {(e) => <ExpertRow key={e.id} e={e} />}
          </DataTable>
          {next && (
            <Group>
              <Button variant="default" onClick={() => void loadMore()} loading={busy}>
                {t('experts.more')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Page>
  );
}

/** An organisation admin's list: who was proposed and waits to be vetted, and who is in the pool for the organisation. */
export function ExpertVettingPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const { me } = useSession();
  const org = me?.organisation?.id;
  const proposed = useApi<ExpertPage>(org ? `/api/v1/experts?organisation=${org}&status=proposed&limit=100&lang=${labels.lang}` : null);
  const vetted = useApi<ExpertPage>(org ? `/api/v1/experts?organisation=${org}&status=vetted&limit=100&lang=${labels.lang}` : null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const columns = useColumns(true);
  const act = async (id: string, what: 'vet' | 'withdraw') => {
    setBusy(`${id}:${what}`);
    setError(null);
    try {
      await api.post(`/api/v1/experts/${id}/${what}`);
      proposed.reload();
      vetted.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const withdraw = (e: ExpertSummary) =>
    e.can.withdraw && (
      <Button size="xs" variant="default" color="red" loading={busy === `${e.id}:withdraw`} onClick={() => void act(e.id, 'withdraw')} aria-label={t('experts.withdrawWho', { name: e.person.name })}>
        {t('experts.withdraw')}
      </Button>
    );
  return (
    <Page title={t('experts.vetting.title')} actions={<ButtonLink to="/experts" variant="default">{t('experts.backToPool')}</ButtonLink>}>
      <Text>{t('experts.vetting.intro')}</Text>
      <ErrorAlert error={error ?? proposed.error ?? vetted.error} />
      <section aria-labelledby="vetting-proposed">
        <Text component="h2" fw={700} size="lg" id="vetting-proposed" mb="xs">
          {t('experts.vetting.proposed')}
        </Text>
        {proposed.loading && !proposed.data ? (
          <Loading />
        ) : (
          <DataTable columns={columns} rows={proposed.data?.items ?? []} empty={t('experts.vetting.noneProposed')} minWidth={900}>
            {(e) => (
              <ExpertRow
                key={e.id}
                e={e}
                actions={
                  <Group gap="xs" wrap="nowrap">
                    {e.can.vet && (
                      <Button size="xs" loading={busy === `${e.id}:vet`} onClick={() => void act(e.id, 'vet')} aria-label={t('experts.vetWho', { name: e.person.name })} data-testid="vet-expert">
                        {t('experts.vet')}
                      </Button>
                    )}
                    {withdraw(e)}
                  </Group>
                }
              />
            )}
          </DataTable>
        )}
      </section>
      <section aria-labelledby="vetting-vetted">
        <Text component="h2" fw={700} size="lg" id="vetting-vetted" mb="xs">
          {t('experts.vetting.inPool')}
        </Text>
        {vetted.loading && !vetted.data ? (
          <Loading />
        ) : (
          <DataTable columns={columns} rows={vetted.data?.items ?? []} empty={t('experts.vetting.noneVetted')} minWidth={900}>
            {(e) => <ExpertRow key={e.id} e={e} actions={withdraw(e) || null} />}
          </DataTable>
        )}
      </section>
    </Page>
  );
}
