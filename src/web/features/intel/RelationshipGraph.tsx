import { ActionIcon, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, Relationship } from './api';
import { graphModel } from './graph';
import { useTypeLabel } from './shared';

/**
 * The object and its neighbours drawn by Cytoscape.js: rings around the object (concentric layout)
 * when every link touches it, a force-directed layout (CoSE, started from the deterministic radial
 * layout) when its neighbours are linked among themselves too (a report's members); zoom by wheel,
 * pinch, the buttons or the keyboard; a legend of the node types and relationship types shown.
 * Loaded only by the object page (a dynamic import), so the library weighs on no other page.
 *
 * Keyboard: the drawing is one focusable element; the arrow keys go from node to node (the one
 * reached is announced), Enter opens it, + and − zoom, 0 fits the whole graph. The tables beside
 * the graph list the same links for those who do not see the picture.
 */

/** Node look per STIX type: a shape as well as a colour, so that the type is never told by colour alone. */
const LOOK: Record<string, { shape: Shape; colour: string }> = {
  indicator: { shape: 'diamond', colour: '#c2410c' },
  malware: { shape: 'hexagon', colour: '#b91c1c' },
  tool: { shape: 'pentagon', colour: '#7e22ce' },
  'attack-pattern': { shape: 'round-rectangle', colour: '#1d4ed8' },
  'course-of-action': { shape: 'rectangle', colour: '#15803d' },
  vulnerability: { shape: 'triangle', colour: '#a16207' },
  'threat-actor': { shape: 'star', colour: '#9f1239' },
  'intrusion-set': { shape: 'star', colour: '#be185d' },
  campaign: { shape: 'octagon', colour: '#c026d3' },
  report: { shape: 'rectangle', colour: '#334155' },
  grouping: { shape: 'rectangle', colour: '#475569' },
  identity: { shape: 'ellipse', colour: '#0f766e' },
  infrastructure: { shape: 'vee', colour: '#4d7c0f' },
};
const OTHER = { shape: 'ellipse' as const, colour: '#6b7280' };
type Shape = 'diamond' | 'hexagon' | 'pentagon' | 'round-rectangle' | 'rectangle' | 'triangle' | 'star' | 'octagon' | 'ellipse' | 'vee';
const lookOf = (type: string) => LOOK[type] ?? OTHER;

/** The same shapes in a 16 × 16 box, for the legend. */
function Swatch({ shape, colour }: { shape: Shape; colour: string }) {
  const common = { fill: colour, stroke: '#1f2937', strokeWidth: 1 };
  const points: Partial<Record<Shape, string>> = {
    diamond: '8,1 15,8 8,15 1,8',
    hexagon: '4,1.5 12,1.5 15,8 12,14.5 4,14.5 1,8',
    pentagon: '8,1 15,6.5 12.5,15 3.5,15 1,6.5',
    triangle: '8,1 15,15 1,15',
    star: '8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6',
    octagon: '5,1 11,1 15,5 15,11 11,15 5,15 1,11 1,5',
    vee: '1,1 8,6 15,1 8,15',
  };
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      {shape === 'ellipse' ? <circle cx="8" cy="8" r="7" {...common} /> : shape === 'rectangle' || shape === 'round-rectangle' ? <rect x="1" y="3" width="14" height="10" rx={shape === 'rectangle' ? 0 : 3} {...common} /> : <polygon points={points[shape]} {...common} />}
    </svg>
  );
}

function LineSwatch({ dashed }: { dashed: boolean }) {
  return (
    <svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true" focusable="false">
      <line x1="1" y1="5" x2="21" y2="5" stroke="#374151" strokeWidth="2" strokeDasharray={dashed ? '4 3' : undefined} />
      <polygon points="20,1 27,5 20,9" fill="#374151" />
    </svg>
  );
}

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      shape: 'data(shape)' as never,
      'background-color': 'data(colour)',
      'border-color': '#1f2937',
      'border-width': 1,
      width: 26,
      height: 26,
      label: 'data(label)',
      'font-size': 11,
      color: '#111827',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': '140px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      'min-zoomed-font-size': 6,
    },
  },
  { selector: 'node.centre', style: { width: 40, height: 40, 'border-width': 3, 'font-weight': 'bold', 'font-size': 12 } },
  { selector: 'node.focused', style: { 'border-color': '#1c4fd8', 'border-width': 4, 'overlay-color': '#1c4fd8', 'overlay-opacity': 0.15, 'overlay-padding': 6 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#6b7280',
      'target-arrow-color': '#6b7280',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 9,
      color: '#374151',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
      'min-zoomed-font-size': 8,
    },
  },
  // "contains" edges are told by their dashes (see the legend), not by words on every line.
  { selector: 'edge.contains', style: { 'line-style': 'dashed', 'line-color': '#9ca3af', 'target-arrow-color': '#9ca3af', 'target-arrow-shape': 'vee', label: '' } },
];

/** At most this many neighbours are drawn; the tables list every one. */
const MAX_NODES = 150;

export default function RelationshipGraph({
  centre,
  relationships,
  contains,
  containedIn,
}: {
  centre: { id: string; type: string; name: string | null };
  relationships: Relationship[];
  contains: Member[];
  containedIn: Member[];
}) {
  const { t } = useTranslation();
  const typeLabel = useTypeLabel();
  const navigate = useNavigate();
  const containsLabel = t('intel.object.graphContains');
  const model = useMemo(
    () => graphModel(centre, { relationships, contains, containedIn, containsLabel }, { width: 720, height: 480, maxNodes: MAX_NODES, perRing: 16 }),
    [centre, relationships, contains, containedIn, containsLabel],
  );
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const helpId = useId();
  const titleId = useId();
  const nodeName = (n: { type: string; name: string | null; id: string }) => t('intel.object.graphNode', { type: typeLabel(n.type), name: n.name ?? n.id });

  useEffect(() => {
    if (!box.current) return;
    const elements: ElementDefinition[] = [
      ...model.nodes.map((n) => ({
        group: 'nodes' as const,
        data: { id: n.id, label: short(n.name ?? n.id, 40), ...lookOf(n.type) },
        position: { x: n.x, y: n.y },
        classes: n.centre ? 'centre' : '',
      })),
      ...model.edges.map((e) => ({ group: 'edges' as const, data: { id: `edge:${e.id}`, source: e.from, target: e.to, label: e.label }, classes: e.kind })),
    ];
    const cy = cytoscape({
      container: box.current,
      elements,
      style: STYLE,
      layout: { name: 'preset' },
      minZoom: 0.2,
      maxZoom: 4,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    cyRef.current = cy;
    const el = box.current;
    const record = () => {
      el.dataset.zoom = cy.zoom().toFixed(3);
    };
    cy.on('zoom', record);
    cy.on('tap', 'node', (ev) => {
      const id = ev.target.id() as string;
      if (id !== centre.id) void navigate({ to: '/intel/objects/$id', params: { id } });
    });
    // Only links to the object itself (a star): rings around it, the neighbours ordered by type so that
    // kinds sit together. Links among the neighbours too (a report's members): a force-directed layout
    // (CoSE) that draws linked objects together, started from the radial positions, so the same data
    // gives the same picture.
    const star = model.edges.every((e) => e.from === centre.id || e.to === centre.id);
    const options = star
      ? {
          name: 'concentric',
          concentric: (n: cytoscape.NodeSingular) => (n.hasClass('centre') ? 2 : 1),
          levelWidth: () => 1,
          minNodeSpacing: 12,
          avoidOverlap: true,
          nodeDimensionsIncludeLabels: true,
        }
      : {
          name: 'cose',
          randomize: false,
          nodeDimensionsIncludeLabels: true,
          nodeRepulsion: () => 200_000,
          nodeOverlap: 20,
          idealEdgeLength: () => 80,
          edgeElasticity: () => 100,
          gravity: 0.8,
          numIter: 2500,
        };
    cy.layout({ ...options, animate: false, fit: true, padding: 30 } as cytoscape.LayoutOptions).run();
    // A small graph is not blown up: labels stay at their size.
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1);
      cy.center();
    }
    record();
    el.dataset.ready = 'true';
    return () => {
      cy.destroy();
      cyRef.current = null;
      delete el.dataset.ready;
    };
  }, [model, centre.id, navigate]);

  const zoomBy = (factor: number) => {
    const cy = cyRef.current;
    if (!cy) return;
    const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
    cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };
  const fit = () => cyRef.current?.fit(undefined, 30);
  const focusNode = (i: number) => {
    const cy = cyRef.current;
    if (!cy || !model.nodes.length) return;
    const k = ((i % model.nodes.length) + model.nodes.length) % model.nodes.length;
    cy.nodes().removeClass('focused');
    const node = cy.getElementById(model.nodes[k]!.id);
    node.addClass('focused');
    const p = node.renderedPosition();
    if (p.x < 0 || p.y < 0 || p.x > cy.width() || p.y > cy.height()) cy.center(node);
    setFocused(k);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => focusNode((focused ?? -1) + 1),
      ArrowDown: () => focusNode((focused ?? -1) + 1),
      ArrowLeft: () => focusNode((focused ?? 1) - 1),
      ArrowUp: () => focusNode((focused ?? 1) - 1),
      Home: () => focusNode(0),
      End: () => focusNode(model.nodes.length - 1),
      '+': () => zoomBy(1.25),
      '=': () => zoomBy(1.25),
      '-': () => zoomBy(0.8),
      '0': fit,
      Enter: () => {
        const n = focused === null ? null : model.nodes[focused];
        if (n && !n.centre) void navigate({ to: '/intel/objects/$id', params: { id: n.id } });
      },
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  const types = [...new Set(model.nodes.map((n) => n.type))].sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)));
  const relTypes = [...new Set(model.edges.filter((e) => e.kind === 'relationship').map((e) => e.label))].sort();
  const hasContains = model.edges.some((e) => e.kind === 'contains');
  const current = focused === null ? null : model.nodes[focused];
  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" id={titleId} fw={600}>
          {t('intel.object.graphTitle', { count: model.nodes.length - 1 })}
        </Text>
        <Group gap={4} role="group" aria-label={t('intel.object.graphZoom')}>
          <ActionIcon variant="default" size="lg" onClick={() => zoomBy(1.25)} aria-label={t('intel.object.zoomIn')} data-testid="graph-zoom-in">
            <span aria-hidden="true">+</span>
          </ActionIcon>
          <ActionIcon variant="default" size="lg" onClick={() => zoomBy(0.8)} aria-label={t('intel.object.zoomOut')} data-testid="graph-zoom-out">
            <span aria-hidden="true">−</span>
          </ActionIcon>
          <Button variant="default" size="xs" onClick={fit} data-testid="graph-fit">
            {t('intel.object.zoomFit')}
          </Button>
        </Group>
      </Group>
      <div
        ref={box}
        className="intel-graph-canvas"
        data-testid="intel-graph"
        data-renderer="cytoscape"
        data-node-count={model.nodes.length}
        data-edge-count={model.edges.length}
        tabIndex={0}
        role="group"
        aria-roledescription={t('intel.object.graphRole')}
        aria-labelledby={titleId}
        aria-describedby={helpId}
        onKeyDown={onKey}
      />
      <Text size="xs" c="dimmed" id={helpId}>
        {t('intel.object.graphHelp')}
      </Text>
      <VisuallyHidden aria-live="polite" data-testid="graph-focused">
        {current ? `${nodeName(current)}${current.centre ? ` (${t('intel.object.graphThis')})` : ''} — ${focused! + 1} / ${model.nodes.length}` : ''}
      </VisuallyHidden>
      {model.leftOut > 0 && <Text size="sm">{t('intel.object.graphLeftOut', { count: model.leftOut })}</Text>}
      <div className="intel-graph-legend" data-testid="graph-legend">
        <Text size="sm" fw={600} component="h3" m={0}>
          {t('intel.object.legend')}
        </Text>
        <ul aria-label={t('intel.object.legendTypes')}>
          {types.map((type) => (
            <li key={type} data-legend-type={type}>
              <Swatch {...lookOf(type)} /> {typeLabel(type)}
            </li>
          ))}
        </ul>
        {(relTypes.length > 0 || hasContains) && (
          <ul aria-label={t('intel.object.legendRelationships')}>
            {relTypes.map((r) => (
              <li key={r} data-legend-relationship={r}>
                <LineSwatch dashed={false} /> {r}
              </li>
            ))}
            {hasContains && (
              <li data-legend-relationship="contains">
                <LineSwatch dashed /> {t('intel.object.legendContains')}
              </li>
            )}
          </ul>
        )}
      </div>
    </Stack>
  );
}
