import { Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { MapPanel } from '../features/contacts/coverageMap.geo';
import { useLabels } from './labels';

/** How one country is drawn: its fill, its figures in words (its accessible name and tooltip), and data attributes for tests. */
export interface MapCountry {
  fill: string;
  label: string;
  data: Record<`data-${string}`, string | number>;
}

/**
 * One region of a member-state map (the outlines of the directory's coverage map): a titled SVG in
 * which every country `country` describes is focusable and opens `onPick` by click, Enter or Space,
 * with its name beside a leader line where the outline is too small to point at. Countries it does
 * not describe are drawn blank and hidden from assistive technology (`others: 'blank'`) or left out.
 * Each map keeps its own colours, patterns (`defs`) and words.
 */
export function CountryMapPanel({
  panel,
  title,
  headingId,
  className,
  background,
  defs,
  country,
  role,
  onPick,
  others,
}: {
  panel: MapPanel;
  title: string;
  headingId: string;
  className: string;
  background: string;
  defs: ReactNode;
  country: (code: string) => MapCountry | null;
  role: 'button' | 'link';
  onPick: (code: string) => void;
  others: 'blank' | 'omit';
}) {
  const labels = useLabels();
  return (
    <figure style={{ margin: 0 }}>
      <Title order={3} size="h5" id={headingId}>
        {title}
      </Title>
      <svg className={className} viewBox={`0 0 ${panel.width} ${panel.height}`} width="100%" style={{ maxWidth: panel.width, height: 'auto', background, borderRadius: 4 }} role="group" aria-labelledby={headingId}>
        {defs}
        {Object.entries(panel.countries).map(([code, geo]) => {
          const c = country(code);
          if (!c) return others === 'blank' ? <path key={code} d={geo.d} fill="#ffffff" stroke="#ced4da" strokeWidth="0.5" aria-hidden="true" /> : null;
          return (
            <g key={code}>
              {geo.marker && (geo.marker.x !== geo.marker.fromX || geo.marker.y !== geo.marker.fromY) && (
                <g aria-hidden="true">
                  <line x1={geo.marker.fromX} y1={geo.marker.fromY} x2={geo.marker.x - 5} y2={geo.marker.y} stroke="#868e96" strokeWidth="0.6" />
                  <text x={geo.marker.x + 8} y={geo.marker.y + 3} fontSize="9" fill="#343a40">
                    {labels.country(code)}
                  </text>
                </g>
              )}
              <path
                d={geo.d}
                fill={c.fill}
                stroke="#343a40"
                strokeWidth="0.6"
                tabIndex={0}
                role={role}
                aria-label={c.label}
                data-country={code}
                {...c.data}
                style={{ cursor: 'pointer' }}
                onClick={() => onPick(code)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onPick(code);
                  }
                }}
              >
                <title>{c.label}</title>
              </path>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
