import { Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CountryMapPanel } from '../../components/CountryMapPanel';
import { useLabels } from '../../components/labels';
import { MAP_PANELS, type MapPanel } from '../contacts/coverageMap.geo';
import type { CountryFigures } from './api';
import { classesOf, SHADES } from './scale';

export const MEASURES = ['offers', 'requests', 'participants'] as const;
export type Measure = (typeof MEASURES)[number];

const fillOf = (v: number, classes: { min: number; max: number }[], region: string) => {
  if (v <= 0) return `url(#cap-zero-${region})`;
  const i = classes.findIndex((c) => v >= c.min && v <= c.max);
  return SHADES[Math.max(0, i)]!;
};

function ZeroPattern({ id }: { id: string }) {
  return (
    <pattern id={`cap-zero-${id}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="#f1f3f5" />
      <line x1="0" y1="0" x2="0" y2="6" stroke="#adb5bd" strokeWidth="1.2" />
    </pattern>
  );
}

function Panel({ panel, byCode, measure, classes, onPick }: { panel: MapPanel; byCode: Map<string, CountryFigures>; measure: Measure; classes: { min: number; max: number }[]; onPick: (code: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <CountryMapPanel
      panel={panel}
      title={t(`capacity.regions.${panel.region}`)}
      headingId={`capacity-map-${panel.region}`}
      className="puente-capacity-map"
      background="#f8f9fa"
      defs={
        <defs>
          <ZeroPattern id={panel.region} />
        </defs>
      }
      country={(code) => {
        const c = byCode.get(code);
        // Outside the filters' scope: drawn, not counted, not focusable.
        if (!c) return null;
        const label = t('capacity.map.countryLabel', { country: labels.country(code), offers: c.offers, requests: c.requests, participants: c.participants });
        return { fill: fillOf(c[measure], classes, panel.region), label, data: { 'data-value': c[measure] } };
      }}
      role="button"
      onPick={onPick}
      others="blank"
    />
  );
}

/**
 * The dashboard's map: the member states shaded by the figure chosen (offers open to them,
 * requests about them, participants from them), the EU and Latin America and the Caribbean side
 * by side — the outlines of the directory's coverage map (features/contacts). Each country is a
 * button (its figures are its name for assistive technology) that narrows the dashboard to it;
 * the table under the map gives every figure.
 */
export function CapacityMap({ countries, measure, onMeasure, onPick }: { countries: CountryFigures[]; measure: Measure; onMeasure: (m: Measure) => void; onPick: (code: string) => void }) {
  const { t, i18n } = useTranslation();
  const byCode = useMemo(() => new Map(countries.map((c) => [c.code, c])), [countries]);
  const classes = useMemo(() => classesOf(countries.map((c) => c[measure])), [countries, measure]);
  const num = new Intl.NumberFormat(i18n.language);
  const panels = MAP_PANELS.filter((p) => countries.some((c) => c.region === p.region));
  return (
    <Stack gap="sm">
      <style>{`.puente-capacity-map path[tabindex]:focus { outline: none; stroke: #000; stroke-width: 2.5; } .puente-capacity-map path[tabindex]:hover { stroke-width: 1.6; }`}</style>
      <Group align="flex-end" wrap="wrap" gap="lg">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="capacity-map-measure">
            {t('capacity.map.shade')}
          </Text>
          <SegmentedControl aria-labelledby="capacity-map-measure" value={measure} onChange={(v) => onMeasure(v as Measure)} data={MEASURES.map((m) => ({ value: m, label: t(`capacity.map.measures.${m}`) }))} />
        </Stack>
        <Stack gap={4} component="section" aria-labelledby="capacity-map-legend">
          <Text size="sm" fw={500} id="capacity-map-legend">
            {t('capacity.map.legend')}
          </Text>
          <Group gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            <Group gap={6} component="li">
              <svg width="22" height="16" aria-hidden="true" focusable="false">
                <defs>
                  <ZeroPattern id="legend" />
                </defs>
                <rect x="1" y="1" width="20" height="14" fill="url(#cap-zero-legend)" stroke="#495057" />
              </svg>
              <Text size="sm">{t('capacity.map.none')}</Text>
            </Group>
            {classes.map((c, i) => (
              <Group key={i} gap={6} component="li">
                <svg width="22" height="16" aria-hidden="true" focusable="false">
                  <rect x="1" y="1" width="20" height="14" fill={SHADES[i]} stroke="#495057" />
                </svg>
                <Text size="sm">{c.min === c.max ? num.format(c.min) : t('capacity.map.range', { min: num.format(c.min), max: num.format(c.max) })}</Text>
              </Group>
            ))}
          </Group>
        </Stack>
      </Group>
      <Text size="sm" c="dimmed">
        {t('capacity.map.help')}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: panels.length > 1 ? 2 : 1 }}>
        {panels.map((panel) => (
          <Panel key={panel.region} panel={panel} byCode={byCode} measure={measure} classes={classes} onPick={onPick} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
