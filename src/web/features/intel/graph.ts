/**
 * The relationship graph of one object, before Cytoscape draws it (pure, tested
 * without a browser): which nodes and edges (graphModel), and a deterministic
 * radial layout — the object in the centre, its neighbours on one or more rings
 * around it, ordered by (type, name, id) — that the drawing starts from, so the
 * same data always gives the same picture.
 */

export interface GraphEdgeInput {
  /** The relationship's own id. */
  id: string;
  relationshipType: string;
  direction: 'outgoing' | 'incoming';
  other: { id: string; type: string; name: string | null };
}

export interface GraphNode {
  id: string;
  type: string;
  name: string | null;
  x: number;
  y: number;
  centre: boolean;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  label: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface LayoutOptions {
  width?: number;
  height?: number;
  /** At most this many neighbours on the inner ring; the rest go to further rings. */
  perRing?: number;
  /** At most this many neighbours are drawn (the table lists all). */
  maxNodes?: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function radialLayout(centre: { id: string; type: string; name: string | null }, rels: GraphEdgeInput[], options: LayoutOptions = {}): GraphLayout {
  const width = options.width ?? 640;
  const height = options.height ?? 440;
  const perRing = Math.max(1, options.perRing ?? 12);
  const maxNodes = Math.max(0, options.maxNodes ?? 48);
  const cx = width / 2;
  const cy = height / 2;

  // One node per neighbour, however many relationships join it; the centre never twice.
  const byId = new Map<string, { id: string; type: string; name: string | null }>();
  for (const r of rels) if (r.other.id !== centre.id && !byId.has(r.other.id)) byId.set(r.other.id, r.other);
  const key = (n: { id: string; type: string; name: string | null }) => `${n.type}\u0000${(n.name ?? '').toLowerCase()}\u0000${n.id}`;
  const neighbours = [...byId.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).slice(0, maxNodes);

  const rings = Math.max(1, Math.ceil(neighbours.length / perRing));
  const maxRadius = Math.min(width, height) / 2 - 40;
  const nodes: GraphNode[] = [{ ...centre, x: round(cx), y: round(cy), centre: true }];
  neighbours.forEach((n, i) => {
    const ring = Math.floor(i / perRing);
    const onRing = Math.min(perRing, neighbours.length - ring * perRing);
    const k = i - ring * perRing;
    const radius = (maxRadius * (ring + 1)) / rings;
    // Start at the top, go clockwise; outer rings are offset by half a step so labels do not line up.
    const angle = -Math.PI / 2 + (2 * Math.PI * (k + (ring % 2 ? 0.5 : 0))) / onRing;
    nodes.push({ ...n, x: round(cx + radius * Math.cos(angle)), y: round(cy + radius * Math.sin(angle)), centre: false });
  });

  const drawn = new Set(nodes.map((n) => n.id));
  const edges: GraphEdge[] = rels
    .filter((r) => r.other.id !== centre.id && drawn.has(r.other.id))
    .map((r) => ({
      id: r.id,
      from: r.direction === 'outgoing' ? centre.id : r.other.id,
      to: r.direction === 'outgoing' ? r.other.id : centre.id,
      label: r.relationshipType,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { width, height, nodes, edges };
}

// ---------------------------------------------------------------- the object page's graph model

export interface GraphMember {
  id: string;
  type: string;
  name: string | null;
  relationship: { relationshipType: string; sourceRef: string; targetRef: string } | null;
}

export interface GraphModelEdge extends GraphEdge {
  /** A STIX relationship (or sighting), or "contains": a report's object_refs. */
  kind: 'relationship' | 'contains';
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphModelEdge[];
  /** Neighbours left out of the picture (beyond maxNodes); the tables list them. */
  leftOut: number;
}

/** Types that are links between objects rather than objects to draw. */
const LINK_TYPES = new Set(['relationship', 'sighting']);

/**
 * The graph of one object: its relationships, the objects it contains (object_refs) and the
 * reports containing it, all around it; a relationship among the contained objects is drawn
 * as an edge between them (when both ends are drawn), not as a node. Positions come from the
 * radial layout, a deterministic start for the force-directed layout that refines them.
 */
export function graphModel(
  centre: { id: string; type: string; name: string | null },
  input: { relationships: GraphEdgeInput[]; contains: GraphMember[]; containedIn: GraphMember[]; containsLabel: string },
  options: LayoutOptions = {},
): GraphModel {
  const around: GraphEdgeInput[] = [
    ...input.relationships,
    ...input.contains
      .filter((m) => !LINK_TYPES.has(m.type) && m.id !== centre.id)
      .map((m) => ({ id: `contains:${m.id}`, relationshipType: input.containsLabel, direction: 'outgoing' as const, other: { id: m.id, type: m.type, name: m.name } })),
    ...input.containedIn
      .filter((m) => m.id !== centre.id)
      .map((m) => ({ id: `contained-in:${m.id}`, relationshipType: input.containsLabel, direction: 'incoming' as const, other: { id: m.id, type: m.type, name: m.name } })),
  ];
  const layout = radialLayout(centre, around, options);
  const drawn = new Set(layout.nodes.map((n) => n.id));
  const neighbours = new Set(around.filter((r) => r.other.id !== centre.id).map((r) => r.other.id));
  const seen = new Set<string>();
  const edges: GraphModelEdge[] = [];
  for (const e of layout.edges) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    edges.push({ ...e, kind: e.id.startsWith('contains:') || e.id.startsWith('contained-in:') ? 'contains' : 'relationship' });
  }
  for (const m of input.contains) {
    const r = m.relationship;
    if (!r || seen.has(m.id) || !drawn.has(r.sourceRef) || !drawn.has(r.targetRef) || r.sourceRef === r.targetRef) continue;
    seen.add(m.id);
    edges.push({ id: m.id, from: r.sourceRef, to: r.targetRef, label: r.relationshipType, kind: 'relationship' });
  }
  return { nodes: layout.nodes, edges, leftOut: Math.max(0, neighbours.size - (layout.nodes.length - 1)) };
}
