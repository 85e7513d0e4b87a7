import { Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CountryMapPanel } from '../../components/CountryMapPanel';
import { useLabels } from '../../components/labels';
import { MAP_PANELS, type MapPanel } from '../contacts/coverageMap.geo';
import { shadeOf, type MapShade, type Situation } from './api';

type Country = Situation['countries'][number];

/** NIS2's impact colours; "white" (no impact) is drawn white with a dark edge, "nothing open" hatched, so that no meaning rests on colour alone (the legend and each country's name say it in words). */
const FILL: Record<Exclude<MapShade, 'none'>, string> = { red: '#e03131', yellow: '#fcc419', green: '#2f9e44', white: '#ffffff', unrated: '#adb5bd' };
export const SHADES: MapShade[] = ['red', 'yellow', 'green', 'white', 'unrated', 'none'];

const fillOf = (shade: MapShade, region: string) => (shade === 'none' ? `url(#sit-none-${region})` : FILL[shade]);

function NonePattern({ id }: { id: string }) {
  return (
    <pattern id={`sit-none-${id}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="#f1f3f5" />
      <line x1="0" y1="0" x2="0" y2="6" stroke="#ced4da" strokeWidth="1.2" />
    </pattern>
  );
}

/** A country's figures in words: its name for assistive technology and its tooltip. */
export function useCountryWords() {
  const { t } = useTranslation();
  const labels = useLabels();
  return (c: Country) => t('situation.map.countryLabel', { country: labels.country(c.code), impact: t(`situation.map.shades.${shadeOf(c)}`), open: c.open, reports: c.reports });
}

function Panel({ panel, byCode, onPick }: { panel: MapPanel; byCode: Map<string, Country>; onPick: (code: string) => void }) {
  const { t } = useTranslation();
  const words = useCountryWords();
  return (
    <CountryMapPanel
      panel={panel}
      title={t(`situation.map.regions.${panel.region}`)}
      headingId={`situation-map-${panel.region}`}
      className="puente-situation-map"
      background="#f8f9fa"
      defs={
        <defs>
          <NonePattern id={panel.region} />
        </defs>
      }
      country={(code) => {
        const c = byCode.get(code);
        if (!c) return null;
        const shade = shadeOf(c);
        return { fill: fillOf(shade, panel.region), label: words(c), data: { 'data-shade': shade } };
      }}
      role="button"
      onPick={onPick}
      others="blank"
    />
  );
}

/**
 * The member states coloured by their current impact — the most severe among their open incident
 * reports the reader may see — on the outlines of the directory's coverage map (features/contacts),
 * the EU and Latin America and the Caribbean side by side. Each country is a button that narrows
 * the picture to it; the legend says each colour in words, and the table under the map gives every figure.
 */
export function SituationMap({ countries, onPick }: { countries: Country[]; onPick: (code: string) => void }) {
  const { t } = useTranslation();
  const byCode = useMemo(() => new Map(countries.map((c) => [c.code, c])), [countries]);
  const panels = MAP_PANELS.filter((p) => countries.some((c) => c.region === p.region));
  return (
    <Stack gap="sm">
      <style>{`.puente-situation-map path[tabindex]:focus { outline: none; stroke: #000; stroke-width: 2.5; } .puente-situation-map path[tabindex]:hover { stroke-width: 1.6; }`}</style>
      <Stack gap={4} component="section" aria-labelledby="situation-map-legend">
        <Text size="sm" fw={500} id="situation-map-legend">
          {t('situation.map.legend')}
        </Text>
        <Group gap="md" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {SHADES.map((shade) => (
            <Group key={shade} gap={6} component="li">
              <svg width="22" height="16" aria-hidden="true" focusable="false">
                <defs>
                  <NonePattern id="legend" />
                </defs>
                <rect x="1" y="1" width="20" height="14" fill={fillOf(shade, 'legend')} stroke="#495057" />
              </svg>
              <Text size="sm">{t(`situation.map.shades.${shade}`)}</Text>
            </Group>
          ))}
        </Group>
      </Stack>
      <Text size="sm" c="dimmed">
        {t('situation.map.help')}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: panels.length > 1 ? 2 : 1 }}>
        {panels.map((panel) => (
          <Panel key={panel.region} panel={panel} byCode={byCode} onPick={onPick} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
