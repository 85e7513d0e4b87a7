import { Anchor, Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UI_LANGUAGES } from '../../api/types';
import { useCursorPages } from '../../api/useCursorPages';
import { ConceptFilter } from '../../components/ConceptFilter';
import { ButtonLink } from '../../components/AppLink';
import { useCountryOptions } from '../../components/CountrySelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilterPanel } from '../../components/FilterPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { useDebounced } from '../../components/useDebounced';
import { useSession } from '../../session';
import { OFFER_FORMATS, OFFER_TYPES, type OfferPage } from './api';
import { activeOfferFilters, offersIatiPath, offersListPath, validateOffersSearch, type OffersSearch } from './search';
import { OfferCard, useOfferLabels } from './shared';

/** The search box's text, put in the address 300 ms after the last keystroke. */
function useDebouncedQuery(current: string | undefined, commit: (q: string | undefined) => void) {
  const [q, setQ] = useState(current ?? '');
  const dq = useDebounced(q, 300);
  useEffect(() => {
    if ((current ?? '') !== dq.trim()) commit(dq.trim() || undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the typed text settles
  }, [dq]);
  return [q, setQ] as const;
}

/** The catalogue of capacity-building offers as this reader may see it, its filters in the address. */
export function OffersPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const l = useOfferLabels();
  const { me } = useSession();
  const navigate = useNavigate();
  const search = validateOffersSearch(useSearch({ strict: false }) as Record<string, unknown>);
  const set = (patch: Partial<OffersSearch>) => void navigate({ to: '/offers', search: validateOffersSearch({ ...search, ...patch }) as never, replace: true });
  const [q, setQ] = useDebouncedQuery(search.q, (v) => set({ q: v }));
  const countryGroups = useCountryOptions();
  const countryOptions = useMemo(() => countryGroups.map((g) => ({ group: g.group, items: g.items.filter((c) => /^[A-Z]{2}$/.test(c.value)) })).filter((g) => g.items.length > 0), [countryGroups]);
  const member = !!me?.organisation;

  const firstUrl = offersListPath(search, labels.lang);
  const { first, items, hasMore: next, loadMore, busy, moreError } = useCursorPages<OfferPage['items'][number], OfferPage>(firstUrl, (cursor) => offersListPath(search, labels.lang, cursor), { quiet401: true });
  const filtered = activeOfferFilters(search) > 0;
  const byType = first.data?.counts.byType ?? {};
  const total = Object.values(byType).reduce((a, b) => a + b, 0);
  const facetTypes = OFFER_TYPES.filter((k) => (byType[k] ?? 0) > 0);
  const languages = [...new Set([...UI_LANGUAGES, ...(search.language ? [search.language] : [])])];

  return (
    <Page
      title={t('offers.title')}
      actions={
        member ? (
          <ButtonLink to="/offers/new" data-testid="new-offer">
            {t('offers.new')}
          </ButtonLink>
        ) : undefined
      }
    >
      <Text>{t('offers.intro')}</Text>
      <form role="search" aria-label={t('offers.searchLabel')} onSubmit={(e) => e.preventDefault()}>
        <Stack gap="sm">
          <TextInput label={t('offers.search')} description={t('offers.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={520} data-testid="offers-search" />
          <FilterPanel active={activeOfferFilters(search)}>
            <Group align="flex-end" wrap="wrap" gap="sm">
              <Select
                label={t('offers.filters.type')}
                data={OFFER_TYPES.map((k) => ({ value: k, label: l.type(k) }))}
                value={search.type ?? null}
                onChange={(v) => set({ type: v ?? undefined })}
                clearable
                placeholder={t('common.all')}
                w={260}
                maw="100%"
              />
              <ConceptFilter label={t('offers.filters.concept')} nothingFound={t('offers.filters.noConcept')} value={search.concept} onChange={(v) => set({ concept: v })} />
              <Select
                label={t('offers.filters.language')}
                data={languages.map((x) => ({ value: x, label: labels.language(x) }))}
                value={search.language ?? null}
                onChange={(v) => set({ language: v ?? undefined })}
                clearable
                placeholder={t('common.all')}
                w={180}
                maw="100%"
              />
              <Select
                label={t('offers.filters.format')}
                data={OFFER_FORMATS.map((k) => ({ value: k, label: l.format(k) }))}
                value={search.format ?? null}
                onChange={(v) => set({ format: v ?? undefined })}
                clearable
                placeholder={t('common.all')}
                w={160}
                maw="100%"
              />
              <Select
                label={t('offers.filters.country')}
                description={t('offers.filters.countryHelp')}
                data={countryOptions}
                value={search.country ?? null}
                onChange={(v) => set({ country: v ?? undefined })}
                searchable
                clearable
                placeholder={t('common.all')}
                w={220}
                maw="100%"
              />
              <TextInput label={t('offers.filters.from')} type="date" value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined })} w={170} maw="100%" />
              <TextInput label={t('offers.filters.to')} type="date" value={search.to ?? ''} min={search.from} onChange={(e) => set({ to: e.currentTarget.value || undefined })} w={170} maw="100%" />
              <Select
                label={t('offers.filters.status')}
                data={[
                  { value: 'published', label: t('offers.status.published') },
                  { value: 'closed', label: t('offers.status.closed') },
                  { value: 'open', label: t('offers.status.open') },
                  ...(member ? [{ value: 'draft', label: t('offers.status.draftMine') }] : []),
                ]}
                value={search.status ?? 'published'}
                onChange={(v) => set({ status: v && v !== 'published' ? v : undefined })}
                allowDeselect={false}
                w={200}
                maw="100%"
              />
              {(filtered || search.q) && (
                <Button
                  variant="subtle"
                  onClick={() => {
                    setQ('');
                    void navigate({ to: '/offers', search: {} as never, replace: true });
                  }}
                >
                  {t('offers.filters.clear')}
                </Button>
              )}
            </Group>
          </FilterPanel>
        </Stack>
      </form>

      <section aria-labelledby="offers-results">
        <Title order={2} size="h3" id="offers-results" mb="xs">
          {search.q || filtered ? t('offers.results') : t('offers.all')}
        </Title>
        {facetTypes.length > 0 && (
          <Group gap="xs" role="group" aria-label={t('offers.byType')} mb="sm" wrap="wrap">
            {search.type && (
              <Button size="compact-sm" variant="default" onClick={() => set({ type: undefined })}>
                {t('offers.allTypes')}
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
                styles={{ label: { whiteSpace: 'normal' } }}
                h="auto"
                mih={26}
              >
                {t('offers.facet', { type: l.type(k), n: byType[k] })}
              </Button>
            ))}
          </Group>
        )}
        <ErrorAlert error={first.error ?? moreError} />
        {first.error ? null : first.loading && !first.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <Text>{search.q || filtered ? t('offers.noResults') : t('offers.none')}</Text>
        ) : (
          <Stack gap="sm">
            <Text size="sm" role="status" aria-live="polite">
              {t('offers.count', { count: total })}
            </Text>
            <Stack gap="sm" component="ul" className="plain-list">
              {items.map((o) => (
                <OfferCard key={o.id} offer={o} />
              ))}
            </Stack>
            {next && (
              <Group>
                <Button variant="default" onClick={() => void loadMore()} loading={busy}>
                  {t('offers.more')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </section>
      {search.status !== 'draft' && (
        <Text size="sm" c="dimmed">
          <Anchor href={offersIatiPath(search)} download data-testid="offers-iati">
            {t('offers.iati.download')}
          </Anchor>{' '}
          {t('offers.iati.attribution')}{' '}
          <Anchor href="https://iatistandard.org/" rel="noopener noreferrer" target="_blank">
            IATI Standard
          </Anchor>{' '}
          (
          <Anchor href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener noreferrer" target="_blank">
            CC BY 4.0
          </Anchor>
          ).
        </Text>
      )}
    </Page>
  );
}
