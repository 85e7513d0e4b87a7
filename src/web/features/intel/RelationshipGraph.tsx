import { useNavigate } from '@tanstack/react-router';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Relationship } from './api';
import { radialLayout } from './graph';
import { useTypeLabel } from './shared';

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The object and its neighbours in a plain SVG: each node is a link (keyboard-focusable,
 * named by type and name). Edges carry their relationship type in words; the table beside
 * it says the same for those who do not see the picture.
 */
export function RelationshipGraph({ centre, relationships }: { centre: { id: string; type: string; name: string | null }; relationships: Relationship[] }) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const navigate = useNavigate();
  const titleId = useId();
  const layout = useMemo(() => radialLayout(centre, relationships, { width: 720, height: 460 }), [centre, relationships]);
  const pos = new Map(layout.nodes.map((n) => [n.id, n]));
  const markerId = `arrow-${titleId.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  return (
    <svg
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      style={{ maxWidth: layout.width, border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, background: 'var(--mantine-color-body)' }}
      role="group"
      aria-labelledby={titleId}
      data-testid="intel-graph"
    >
      <title id={titleId}>{t('intel.object.graphTitle', { count: layout.nodes.length - 1 })}</title>
      <defs>
        <marker id={markerId} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#495057" />
        </marker>
      </defs>
      <g aria-hidden="true">
        {layout.edges.map((e, i) => {
          const a = pos.get(e.from)!;
          const b = pos.get(e.to)!;
          const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
          const r = 30;
          const x1 = a.x + ((b.x - a.x) * r) / len;
          const y1 = a.y + ((b.y - a.y) * r) / len;
          const x2 = b.x - ((b.x - a.x) * r) / len;
          const y2 = b.y - ((b.y - a.y) * r) / len;
          // Several relationships with one neighbour: their labels are stacked, not drawn on top of each other.
          const same = layout.edges.slice(0, i).filter((o) => (o.from === e.from && o.to === e.to) || (o.from === e.to && o.to === e.from)).length;
          return (
            <g key={e.id}>
              <line x1={x1} y1={y1} x2={x2} y2={y2} stroke="#495057" strokeWidth={1.5} markerEnd={`url(#${markerId})`} />
              <text x={(a.x + b.x) / 2} y={(a.y + b.y) / 2 - 4 + same * 13} textAnchor="middle" fontSize={11} fill="#212529" stroke="var(--mantine-color-body)" strokeWidth={3} paintOrder="stroke">
                {short(e.label, 22)}
              </text>
            </g>
          );
        })}
      </g>
      {layout.nodes.map((n) => {
        const name = n.name ?? n.id;
        const label = t('intel.object.graphNode', { type: typeLabel(n.type), name });
        return (
          <g key={n.id}>
            <a
              href={`/intel/objects/${encodeURIComponent(n.id)}`}
              aria-label={n.centre ? `${label} (${t('intel.object.graphThis')})` : label}
              aria-current={n.centre ? 'page' : undefined}
              className="intel-graph-node"
              data-testid="intel-graph-node"
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                e.preventDefault();
                void navigate({ to: '/intel/objects/$id', params: { id: n.id } });
              }}
            >
              <circle cx={n.x} cy={n.y} r={n.centre ? 28 : 22} fill={n.centre ? '#1c4f8c' : '#e7f0fa'} stroke="#1c4f8c" strokeWidth={2} />
            </a>
            {/* The words beside the node repeat its accessible name; clicks pass through to the link. */}
            <g aria-hidden="true" pointerEvents="none">
              <text x={n.x} y={n.y + 4} textAnchor="middle" fontSize={9} fontWeight={700} fill={n.centre ? '#ffffff' : '#13355e'}>
                {short(n.type, 8)}
              </text>
              <text x={n.x} y={n.y + (n.centre ? 42 : 34)} textAnchor="middle" fontSize={12} fill="#212529" stroke="var(--mantine-color-body)" strokeWidth={3} paintOrder="stroke">
                {short(name, 28)}
              </text>
            </g>
          </g>
        );
      })}
    </svg>
  );
}
