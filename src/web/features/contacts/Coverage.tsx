import { Group, SegmentedControl, SimpleGrid, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COVERAGE_KINDS, type CoverageKind } from '#shared/contacts';
import type { Items } from '../../api/types';
import { useApi } from '../../api/useApi';
import { AppLink } from '../../components/AppLink';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CountryMapPanel } from '../../components/CountryMapPanel';
import { useLabels } from '../../components/labels';
import { Loading, Page } from '../../components/Page';
import { CARDS_MEDIA_QUERY, DataTable } from '../../components/DataTable';
import { useMediaQuery } from '@mantine/hooks';
import { MAP_PANELS, type MapPanel } from './coverageMap.geo';

type ColourBy = CoverageKind | 'all';

export interface CountryCoverage {
  code: string;
  name: string;
  region: 'EU' | 'LAC';
  subregion: string;
  diplomatic: { count: number; lastConfirmedAt: string | null };
  technical: { count: number; lastConfirmedAt: string | null };
  operational_24_7: { count: number; lastConfirmedAt: string | null };
  lastConfirmedAt: string | null;
}

type Level = 'full' | 'partial' | 'none';

/** Full: every kind coloured by is there; partial (all three only): some; none: none. */
export function levelOf(c: CountryCoverage, by: ColourBy): Level {
  const kinds = by === 'all' ? COVERAGE_KINDS : [by];
  const have = kinds.filter((k) => c[k].count > 0).length;
  return have === kinds.length ? 'full' : have > 0 ? 'partial' : 'none';
}

// Colour and pattern together: the meaning never rests on colour alone.
const FILL: Record<Level, (region: string) => string> = {
  full: () => '#2b8a3e',
  partial: (r) => `url(#cov-partial-${r})`,
  none: (r) => `url(#cov-none-${r})`,
};

function Swatch({ level }: { level: Level }) {
  return (
    <svg width="22" height="16" aria-hidden="true" focusable="false">
      <Patterns region="legend" />
      <rect x="1" y="1" width="20" height="14" fill={FILL[level]('legend')} stroke="#495057" />
    </svg>
  );
}

function Patterns({ region }: { region: string }) {
  return (
    <defs>
      <pattern id={`cov-partial-${region}`} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#f2c94c" />
        <circle cx="3" cy="3" r="1.3" fill="#7a5b00" />
      </pattern>
      <pattern id={`cov-none-${region}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#f1f3f5" />
        <line x1="0" y1="0" x2="0" y2="6" stroke="#c92a2a" strokeWidth="1.6" />
      </pattern>
    </defs>
  );
}

function MapPanelSvg({ panel, byCode, by }: { panel: MapPanel; byCode: Map<string, CountryCoverage>; by: ColourBy }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  return (
    <CountryMapPanel
      panel={panel}
      title={t(`contacts.coverage.regions.${panel.region}`)}
      headingId={`coverage-map-${panel.region}`}
      className="puente-coverage-map"
      background="#e7f5ff"
      defs={<Patterns region={panel.region} />}
      country={(code) => {
        const c = byCode.get(code);
        if (!c) return null;
        const level = levelOf(c, by);
        const label = t('contacts.coverage.mapLabel', {
          country: labels.country(code),
          level: t(`contacts.coverage.level.${level}`),
          diplomatic: c.diplomatic.count,
          technical: c.technical.count,
          h24: c.operational_24_7.count,
        });
        return { fill: FILL[level](panel.region), label, data: { 'data-level': level } };
      }}
      role="link"
      onPick={(code) => void navigate({ to: '/contacts', search: { country: code } as never })}
      others="omit"
    />
  );
}

function Has({ n }: { n: number }) {
  const { t } = useTranslation();
  return n > 0 ? (
    <Text span c="#1e6b2e" fw={600}>
      <span aria-hidden="true">✓ </span>
      {t('contacts.coverage.yes', { n })}
    </Text>
  ) : (
    <Text span c="red.9">
      <span aria-hidden="true">✗ </span>
      {t('contacts.coverage.no')}
    </Text>
  );
}

export function CoveragePage() {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const [by, setBy] = useState<ColourBy>('all');
  // On a phone the five choices stack, so that the page does not scroll sideways.
  const phone = useMediaQuery(CARDS_MEDIA_QUERY, false, { getInitialValueInEffect: false });
  const res = useApi<Items<CountryCoverage>>('/api/v1/contacts/coverage');
  const items = useMemo(() => res.data?.items ?? [], [res.data]);
  const byCode = useMemo(() => new Map(items.map((c) => [c.code, c])), [items]);
  const date = labels.date;
  const sorted = useMemo(
    () => [...items].sort((a, b) => (a.region === b.region ? labels.country(a.code).localeCompare(labels.country(b.code), i18n.language) : a.region.localeCompare(b.region))),
    [items, labels, i18n.language],
  );
  const levels: Level[] = by === 'all' ? ['full', 'partial', 'none'] : ['full', 'none'];
  const tally = (l: Level) => items.filter((c) => levelOf(c, by) === l).length;
  return (
    <Page title={t('contacts.coverage.title')}>
      <style>{`.puente-coverage-map path[tabindex]:focus { outline: none; stroke: #000; stroke-width: 2.5; } .puente-coverage-map path[tabindex]:hover { stroke-width: 1.6; }`}</style>
      <Text>{t('contacts.coverage.intro')}</Text>
      <Text size="sm">
        <AppLink to="/contacts">{t('contacts.backToList')}</AppLink>
      </Text>
      <ErrorAlert error={res.error} />
      {res.loading && !res.data ? (
        <Loading />
      ) : (
        <>
          <Group align="flex-end" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="coverage-colour-by">
                {t('contacts.coverage.colourBy')}
              </Text>
              <SegmentedControl
                orientation={phone ? 'vertical' : 'horizontal'}
                aria-labelledby="coverage-colour-by"
                value={by}
                onChange={(v) => setBy(v as ColourBy)}
                data={[{ value: 'all', label: t('contacts.coverage.allThree') }, ...COVERAGE_KINDS.map((k) => ({ value: k, label: t(`contacts.kinds.${k}`) }))]}
              />
            </Stack>
            <Stack gap={4} component="section" aria-labelledby="coverage-legend">
              <Text size="sm" fw={500} id="coverage-legend">
                {t('contacts.coverage.legend')}
              </Text>
              <Group gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {levels.map((l) => (
                  <Group key={l} gap={6} component="li">
                    <Swatch level={l} />
                    <Text size="sm">
                      {t(`contacts.coverage.level.${l}`)} ({tally(l)})
                    </Text>
                  </Group>
                ))}
              </Group>
            </Stack>
          </Group>
          <Text size="sm" c="dimmed">
            {t('contacts.coverage.mapHelp')}
          </Text>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {MAP_PANELS.map((panel) => (
              <MapPanelSvg key={panel.region} panel={panel} byCode={byCode} by={by} />
            ))}
          </SimpleGrid>
          <DataTable
            minWidth={640}
            highlightOnHover
            withTableBorder={false}
            captionSide="top"
            caption={t('contacts.coverage.tableCaption')}
            columns={[t('contacts.country'), t('contacts.coverage.region'), ...COVERAGE_KINDS.map((k) => t(`contacts.kinds.${k}`)), t('contacts.lastConfirmed')]}
            rows={sorted}
          >
            {(c) => (
              <Table.Tr key={c.code}>
                <Table.Th scope="row" fw={400}>
                  <AppLink to="/contacts" search={{ country: c.code }}>
                    {labels.country(c.code)}
                  </AppLink>
                  <VisuallyHidden>
                    {' '}
                    ({t(`contacts.coverage.level.${levelOf(c, by)}`)})
                  </VisuallyHidden>
                </Table.Th>
                <Table.Td>{t(`contacts.coverage.regions.${c.region}`)}</Table.Td>
                {COVERAGE_KINDS.map((k) => (
                  <Table.Td key={k}>
                    <Has n={c[k].count} />
                  </Table.Td>
                ))}
                <Table.Td>{date(c.lastConfirmedAt)}</Table.Td>
              </Table.Tr>
            )}
          </DataTable>
        </>
      )}
    </Page>
  );
}
