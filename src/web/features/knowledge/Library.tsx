import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { TLP_LEVELS, type Items } from '../../api/types';
import { useCursorPages } from '../../api/useCursorPages';
import { useApi } from '../../api/useApi';
import { ConceptFilter } from '../../components/ConceptFilter';
import { ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useSession } from '../../session';
import { KNOWLEDGE_STATUSES, KNOWLEDGE_TYPES, type KnowledgePage, type KnowledgeSummary } from './api';
import { PracticeCard, useDebouncedQuery, useStateOptions, useTypeLabel } from './shared';
import { activePracticeFilters, practicesListPath, validatePracticesSearch, type PracticesSearch } from './search';

/** The library as this reader may see it: words in any language, filters, counts per type, recommendations. */
export function PracticesPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const typeLabel = useTypeLabel();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validatePracticesSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<PracticesSearch>) => void navigate({ to: '/practices', search: validatePracticesSearch({ ...search, ...patch }) as never, replace: true });
  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const countryOptions = useStateOptions();
  const member = !!me?.organisation;

  const firstUrl = practicesListPath(search, labels.lang);
  const { first, items, hasMore: next, loadMore, busy, moreError } = useCursorPages<KnowledgePage['items'][number], KnowledgePage>(firstUrl, (cursor) => practicesListPath(search, labels.lang, cursor), { quiet401: true });

  const filtered = activePracticeFilters(search) > 0;
  const recommended = useApi<Items<KnowledgeSummary>>(member && !search.q && !filtered ? '/api/v1/knowledge/recommended' : null, { quiet401: true });
  const byType = first.data?.counts.byType ?? {};
  const total = Object.values(byType).reduce((a, b) => a + b, 0);
  const facetTypes = KNOWLEDGE_TYPES.filter((k) => (byType[k] ?? 0) > 0);

  return (
    <Page
      title={t('practices.title')}
      actions={
        <>
          <ButtonLink to="/reading-lists" variant="default">
            {t('practices.readingLists')}
          </ButtonLink>
          {member && (
            <ButtonLink to="/practices/new" data-testid="new-practice">
              {t('practices.new')}
            </ButtonLink>
          )}
        </>
      }
    >
      <Text>{t('practices.intro')}</Text>
      <form role="search" aria-label={t('practices.searchLabel')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('practices.search')} description={t('practices.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} data-testid="practices-search" />
          <FilterPanel active={activePracticeFilters(search)}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <Select
                label={t('practices.filters.type')}
                data={KNOWLEDGE_TYPES.map((k) => ({ value: k, label: typeLabel(k) }))}
                value={search.type ?? null}
                onChange={(v) => set({ type: v ?? undefined })}
                clearable
                placeholder={t('common.all')}
                w={240}
                maw="100%"
              />
              <ConceptFilter label={t('practices.filters.concept')} nothingFound={t('practices.filters.noConcept')} value={search.concept} onChange={(v) => set({ concept: v })} />
              <Select
                label={t('practices.filters.country')}
                data={countryOptions}
                value={search.country ?? null}
                onChange={(v) => set({ country: v ?? undefined })}
                searchable
                clearable
                placeholder={t('common.all')}
                w={220}
                maw="100%"
              />
              {member && (
                <Select
                  label={t('practices.filters.tlp')}
                  data={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l}` }))}
                  value={search.tlp ?? null}
                  onChange={(v) => set({ tlp: v ?? undefined })}
                  clearable
                  placeholder={t('common.all')}
                  w={180}
                  maw="100%"
                />
              )}
              {member && (
                <Select
                  label={t('practices.filters.status')}
                  data={KNOWLEDGE_STATUSES.map((s) => ({ value: s, label: t(`practices.status.${s}`) }))}
                  value={search.status ?? null}
                  onChange={(v) => set({ status: v ?? undefined })}
                  clearable
                  placeholder={t('common.all')}
                  w={180}
                  maw="100%"
                />
              )}
              {(filtered || search.q) && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setQ('');
                    void navigate({ to: '/practices', search: {} as never, replace: true });
                  }}
                >
                  {t('practices.filters.clear')}
                </Button>
              )}
            </Group>
          </FilterPanel>
        </Stack>
      </form>

      {recommended.data && recommended.data.items.length > 0 && (
        <section aria-labelledby="practices-recommended">
          <Title order={2} size="h3" id="practices-recommended" mb="xs">
            {t('practices.recommended')}
          </Title>
          <Text size="sm" mb="xs">
            {t('practices.recommendedHelp')}
          </Text>
          <Stack gap="sm" component="ul" className="plain-list">
            {recommended.data.items.map((it) => (
              <PracticeCard key={it.id} item={it} />
            ))}
          </Stack>
        </section>
      )}

      <section aria-labelledby="practices-results">
        <Title order={2} size="h3" id="practices-results" mb="xs">
          {search.q || filtered ? t('practices.results') : t('practices.all')}
        </Title>
        {facetTypes.length > 0 && (
          <Group gap="xs" role="group" aria-label={t('practices.byType')} mb="sm" wrap="wrap">
            {search.type && (
              <Button size="compact-sm" variant="default" onClick={() => set({ type: undefined })}>
                {t('practices.allTypes')}
              </Button>
            )}
            {facetTypes.map((k) => (
              <Button
                key={k}
                size="compact-sm"
                radius="xl"
                variant={search.type === k ? 'filled' : 'light'}
                aria-pressed={search.type === k}
                onClick={() => set({ type: search.type === k ? undefined : k })}
                data-testid="practice-facet"
                styles={{ label: { whiteSpace: 'normal' } }}
                h="auto"
                mih={26}
              >
                {t('practices.facet', { type: typeLabel(k), n: byType[k] })}
              </Button>
            ))}
          </Group>
        )}
        <ErrorAlert error={first.error ?? moreError} />
        {first.error ? null : first.loading && !first.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Text>{search.q || filtered ? t('practices.noResults') : t('practices.none')}</Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" role="status" aria-live="polite">
              {t('practices.count', { count: total })}
            </Text>
            <Stack gap="sm" component="ul" className="plain-list">
              {items.map((it) => (
                <PracticeCard key={it.id} item={it} snippet={it.snippet} />
              ))}
            </Stack>
            {next && (
              <Group>
                <Button variant="default" onClick={() => void loadMore()} loading={busy}>
                  {t('practices.more')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </section>
    </Page>
  );
}
