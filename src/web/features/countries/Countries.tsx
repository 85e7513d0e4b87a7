import { Alert, Anchor, Badge, Button, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { qs } from '../../api/client';
import { useApi } from '../../api/useApi';
import { AppLink, ButtonLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { TlpBadge } from '../../components/TlpBadge';
import { SECTORS } from '#shared/sectors';
import { COMPARE_MAX, EU_INSTRUMENTS, EU_RELATIONS, type EuInstrumentId, type EuRelation } from '#shared/countries';
import type { Comparison, CountrySummary, Overview, Region } from './api';
import { fold, sectorCode, StatusBadge } from './shared';

const REGIONS: Region[] = ['EU', 'LAC'];

/** The 60 states, by region, with what each page holds that the reader may see; a search over the names in the reader's language. */
export function CountriesPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [q, setQ] = useState('');
  const res = useApi<Overview>(`/api/v1/countries/overview${qs({ lang: labels.lang })}`, { quiet401: true });
  const items = res.data?.items ?? [];
  const members = items.some((i) => i.focalPoints !== null);
  const wanted = fold(q.trim());
  const shown = items
    .filter((i) => !wanted || fold(labels.country(i.code)).includes(wanted) || fold(i.name).includes(wanted) || i.code.toLowerCase() === wanted)
    .sort((a, b) => labels.country(a.code).localeCompare(labels.country(b.code), labels.lang));
  const mine = new Set(res.data?.focalCountries ?? []);
  return (
    <Page
      title={t('countryPages.title')}
      actions={
        <ButtonLink to="/countries/compare" variant="default">
          {t('countryPages.compareLink')}
        </ButtonLink>
      }
    >
      <Text>{t('countryPages.intro')}</Text>
      <TextInput label={t('countryPages.search')} description={t('countryPages.searchHelp')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={420} />
      <ErrorAlert error={res.error} />
      {res.loading && !res.data ? (
        <Loading />
      ) : (
        <>
          <Text size="sm" role="status">
            {t('countryPages.count', { count: shown.length })}
          </Text>
          {REGIONS.map((region) => {
            const rows = shown.filter((i) => i.region === region);
            if (!rows.length) return null;
            return (
              <section key={region} aria-labelledby={`region-${region}`}>
                <Title order={2} size="h3" id={`region-${region}`} mb="xs">
                  {t(`countryPages.regions.${region}`)}
                </Title>
                <CountryTable rows={rows} members={members} mine={mine} labelledBy={`region-${region}`} />
              </section>
            );
          })}
          {shown.length === 0 && <Text>{t('countryPages.none')}</Text>}
        </>
      )}
    </Page>
  );
}

function CountryTable({ rows, members, mine, labelledBy }: { rows: CountrySummary[]; members: boolean; mine: Set<string>; labelledBy: string }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table striped withTableBorder aria-labelledby={labelledBy}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('countryPages.country')}</Table.Th>
            <Table.Th scope="col">{t('countryPages.priorities')}</Table.Th>
            <Table.Th scope="col">{t('countryPages.instruments')}</Table.Th>
            <Table.Th scope="col">{t('countryPages.organisations')}</Table.Th>
            {members && <Table.Th scope="col">{t('countryPages.focalPoints')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.code} data-testid="country-row">
              <Table.Th scope="row" fw={400}>
                <AppLink to="/countries/$iso2" params={{ iso2: r.code }}>
                  {labels.country(r.code)}
                </AppLink>{' '}
                {mine.has(r.code) && (
                  <Badge size="sm" variant="light" tt="none">
                    {t('countryPages.yourCountry')}
                  </Badge>
                )}
              </Table.Th>
              <Table.Td>{r.priorities}</Table.Td>
              <Table.Td>{r.instruments}</Table.Td>
              <Table.Td>{r.organisations}</Table.Td>
              {members && <Table.Td>{r.focalPoints ?? 0}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Instruments of two or more countries side by side, by EU instrument and by sector: what the reader may see. */
export function ComparePage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { countries?: unknown; sector?: unknown; eu?: unknown; relation?: unknown };
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const initial = (str(search.countries) ?? '')
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter((c) => /^[A-Z]{2}$/.test(c));
  const [countries, setCountries] = useState<string[]>(initial);
  const [sector, setSector] = useState<string | null>(str(search.sector));
  const [eu, setEu] = useState<string | null>(str(search.eu));
  const [relation, setRelation] = useState<string | null>(str(search.relation));
  const overview = useApi<Overview>('/api/v1/countries/overview', { quiet401: true });
  const options = useMemo(
    () =>
      REGIONS.map((region) => ({
        group: t(`countryPages.regions.${region}`),
        items: (overview.data?.items ?? [])
          .filter((c) => c.region === region)
          .map((c) => ({ value: c.code, label: labels.country(c.code) }))
          .sort((a, b) => a.label.localeCompare(b.label, labels.lang)),
      })),
    [overview.data, labels, t],
  );
  const ready = countries.length >= 2;
  const path = ready ? `/api/v1/countries/compare${qs({ countries: countries.join(','), sector, eu, relation, lang: labels.lang })}` : null;
  const res = useApi<Comparison>(path, { quiet401: true });
  const apply = (next: { countries?: string[]; sector?: string | null; eu?: string | null; relation?: string | null }) => {
    const c = next.countries ?? countries;
    const s = next.sector !== undefined ? next.sector : sector;
    const e = next.eu !== undefined ? next.eu : eu;
    const r = next.relation !== undefined ? next.relation : relation;
    setCountries(c);
    setSector(s);
    setEu(e);
    setRelation(r);
    // The comparison has its own address, to share it.
    void navigate({ to: '/countries/compare', search: { countries: c.join(',') || undefined, sector: s ?? undefined, eu: e ?? undefined, relation: r ?? undefined } as never, replace: true });
  };
  const euName = (id: EuInstrumentId) => EU_INSTRUMENTS.find((x) => x.id === id)?.name ?? id;
  const byId = new Map((res.data?.instruments ?? []).map((i) => [i.id, i]));
  const cell = (ids: string[], relations?: Map<string, EuRelation | null>) =>
    ids.length === 0 ? (
      <Text size="sm" c="dimmed">
        {t('countryPages.compare.nothing')}
      </Text>
    ) : (
      <Stack gap={6} component="ul" className="plain-list">
        {ids.map((id) => {
          const i = byId.get(id)!;
          const rel = relations?.get(id);
          return (
            <li key={id}>
              <span lang={i.language}>
                <AppLink to="/countries/$iso2" params={{ iso2: i.country }} hash={`instrument-${i.id}`}>
                  {i.title}
                </AppLink>
              </span>
              <Group gap={4} mt={2}>
                <StatusBadge status={i.status} />
                {rel && (
                  <Badge variant="outline" tt="none" color="blue">
                    {t(`countryPages.relation.${rel}`)}
                  </Badge>
                )}
                {i.tlp !== 'CLEAR' && <TlpBadge tlp={i.tlp} size="sm" />}
              </Group>
            </li>
          );
        })}
      </Stack>
    );
  const cols = res.data?.countries ?? [];
  return (
    <Page title={t('countryPages.compare.title')}>
      <Text>{t('countryPages.compare.intro')}</Text>
      <Stack gap="sm" maw={720}>
        <MultiSelect
          label={t('countryPages.compare.countries')}
          description={t('countryPages.compare.countriesHelp', { max: COMPARE_MAX })}
          data={options}
          value={countries}
          onChange={(v) => apply({ countries: v })}
          maxValues={COMPARE_MAX}
          searchable
          clearable
        />
        <Group grow align="flex-start">
          <Select
            label={t('countryPages.compare.sector')}
            data={SECTORS.map((s) => ({ value: s, label: labels.sector(s) }))}
            value={sector}
            onChange={(v) => apply({ sector: v })}
            clearable
            searchable
            placeholder={t('countryPages.compare.anySector')}
          />
          <Select label={t('countryPages.compare.eu')} data={EU_INSTRUMENTS.map((e) => ({ value: e.id, label: e.name }))} value={eu} onChange={(v) => apply({ eu: v })} clearable placeholder={t('countryPages.compare.anyEu')} />
          <Select
            label={t('countryPages.compare.relation')}
            data={EU_RELATIONS.map((r) => ({ value: r, label: t(`countryPages.relation.${r}`) }))}
            value={relation}
            onChange={(v) => apply({ relation: v })}
            clearable
            placeholder={t('countryPages.compare.anyRelation')}
          />
        </Group>
      </Stack>
      {!ready && <Alert color="gray">{t('countryPages.compare.pickTwo')}</Alert>}
      <ErrorAlert error={res.error} />
      {ready && res.loading && !res.data && <Loading />}
      {ready && res.data && (
        <>
          <Text size="sm" role="status">
            {t('countryPages.compare.found', { count: res.data.instruments.length })}
          </Text>
          <section aria-labelledby="by-eu">
            <Title order={2} size="h3" id="by-eu" mb="xs">
              {t('countryPages.compare.byEu')}
            </Title>
            <Table.ScrollContainer minWidth={240 + 220 * cols.length}>
              <Table withTableBorder withColumnBorders aria-labelledby="by-eu">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('countryPages.compare.euColumn')}</Table.Th>
                    {cols.map((c) => (
                      <Table.Th scope="col" key={c.code}>
                        {labels.country(c.code)}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {res.data.byEu.map((row) => (
                    <Table.Tr key={row.eu ?? 'none'}>
                      <Table.Th scope="row">{row.eu ? <span lang="en">{euName(row.eu)}</span> : t('countryPages.compare.noEu')}</Table.Th>
                      {row.cells.map((c) => (
                        <Table.Td key={c.country} valign="top">
                          {cell(c.items.map((x) => x.id), new Map(c.items.map((x) => [x.id, x.relation])))}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </section>
          <section aria-labelledby="by-sector">
            <Title order={2} size="h3" id="by-sector" mb="xs">
              {t('countryPages.compare.bySector')}
            </Title>
            {res.data.bySector.length === 0 ? (
              <Text>{t('countryPages.compare.nothing')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={240 + 220 * cols.length}>
                <Table withTableBorder withColumnBorders aria-labelledby="by-sector">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('countryPages.compare.sector')}</Table.Th>
                      {cols.map((c) => (
                        <Table.Th scope="col" key={c.code}>
                          {labels.country(c.code)}
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {res.data.bySector.map((row) => (
                      <Table.Tr key={row.sector ?? 'none'}>
                        <Table.Th scope="row">{row.sector ? labels.sector(sectorCode(row.sector)) : t('countryPages.compare.noSector')}</Table.Th>
                        {row.cells.map((c) => (
                          <Table.Td key={c.country} valign="top">
                            {cell(c.items)}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </section>
          <Text size="sm">
            {t('countryPages.compare.euSources')}{' '}
            {EU_INSTRUMENTS.map((e, i) => (
              <span key={e.id}>
                {i > 0 && ' · '}
                <Anchor href={e.url} target="_blank" rel="noopener noreferrer" lang="en">
                  {e.reference}
                </Anchor>
              </span>
            ))}
          </Text>
        </>
      )}
      <Group>
        <Button variant="default" onClick={() => apply({ countries: [], sector: null, eu: null, relation: null })} disabled={!countries.length && !sector && !eu && !relation}>
          {t('countryPages.compare.clear')}
        </Button>
      </Group>
    </Page>
  );
}
