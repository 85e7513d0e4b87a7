import { describe, expect, it } from 'vitest';
import { graphModel, radialLayout, type GraphEdgeInput } from './graph';

const centre = { id: 'indicator--c', type: 'indicator', name: 'Centre' };
const rel = (i: number, other: Partial<GraphEdgeInput['other']> = {}, direction: 'outgoing' | 'incoming' = 'outgoing'): GraphEdgeInput => ({
  id: `relationship--${i}`,
  relationshipType: 'indicates',
  direction,
  other: { id: `malware--${i}`, type: 'malware', name: `M${i}`, ...other },
});

describe('radial layout', () => {
  it('puts the object in the centre and each neighbour once on a ring around it', () => {
    const l = radialLayout(centre, [rel(1), rel(2), { ...rel(3), other: rel(1).other }], { width: 400, height: 400 });
    expect(l.nodes.map((n) => n.id)).toEqual(['indicator--c', 'malware--1', 'malware--2']);
    expect(l.nodes[0]).toMatchObject({ x: 200, y: 200, centre: true });
    const r = (n: { x: number; y: number }) => Math.hypot(n.x - 200, n.y - 200);
    expect(r(l.nodes[1]!)).toBeCloseTo(160, 0);
    expect(r(l.nodes[2]!)).toBeCloseTo(160, 0);
    // The first neighbour starts at the top.
    expect(l.nodes[1]).toMatchObject({ x: 200, y: 40 });
    // Three relationships, two with the same neighbour: three edges.
    expect(l.edges).toHaveLength(3);
  });

  it('is deterministic whatever the input order, and orders by type, then name, then id', () => {
    const rels = [rel(3, { type: 'tool', name: 'b' }), rel(1, { type: 'malware', name: 'Z' }), rel(2, { type: 'malware', name: 'a' })];
    const a = radialLayout(centre, rels);
    const b = radialLayout(centre, [...rels].reverse());
    expect(a).toEqual(b);
    expect(a.nodes.slice(1).map((n) => n.id)).toEqual(['malware--2', 'malware--1', 'malware--3']);
  });

  it('points edges by direction and leaves out edges to the object itself', () => {
    const l = radialLayout(centre, [rel(1, {}, 'incoming'), rel(2), { ...rel(9), other: { ...centre } }]);
    expect(l.edges).toEqual([
      { id: 'relationship--1', from: 'malware--1', to: 'indicator--c', label: 'indicates' },
      { id: 'relationship--2', from: 'indicator--c', to: 'malware--2', label: 'indicates' },
    ]);
    expect(l.nodes.filter((n) => n.id === centre.id)).toHaveLength(1);
  });

  it('uses more rings when there are many neighbours, stays inside the canvas and caps the nodes drawn', () => {
    const many = Array.from({ length: 30 }, (_, i) => rel(i + 10));
    const l = radialLayout(centre, many, { width: 600, height: 400, perRing: 10, maxNodes: 25 });
    expect(l.nodes).toHaveLength(26);
    const radii = new Set(l.nodes.slice(1).map((n) => Math.round(Math.hypot(n.x - 300, n.y - 200))));
    expect(radii.size).toBe(3);
    for (const n of l.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.x).toBeLessThanOrEqual(600);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeLessThanOrEqual(400);
    }
    // No two nodes in the same place.
    expect(new Set(l.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(l.nodes.length);
    // Edges only to drawn nodes.
    expect(l.edges).toHaveLength(25);
  });

  it('draws the lone object when it has no relationships', () => {
    expect(radialLayout(centre, []).nodes).toHaveLength(1);
  });
});

describe('graph model', () => {
  const member = (id: string, type: string, relationship: { relationshipType: string; sourceRef: string; targetRef: string } | null = null) => ({ id, type, name: id, relationship });

  it('draws a report with its members, their relationships as edges between them, and counts what is left out', () => {
    const report = { id: 'report--r', type: 'report', name: 'R' };
    const m = graphModel(report, {
      relationships: [],
      contains: [
        member('indicator--a', 'indicator'),
        member('malware--b', 'malware'),
        member('relationship--ab', 'relationship', { relationshipType: 'indicates', sourceRef: 'indicator--a', targetRef: 'malware--b' }),
        // An end that is not drawn: no edge.
        member('relationship--ax', 'relationship', { relationshipType: 'uses', sourceRef: 'indicator--a', targetRef: 'tool--hidden' }),
      ],
      containedIn: [member('grouping--g', 'grouping')],
      containsLabel: 'contains',
    });
    expect(m.nodes.map((n) => n.id).sort()).toEqual(['grouping--g', 'indicator--a', 'malware--b', 'report--r']);
    expect(m.edges.map((e) => [e.from, e.to, e.label, e.kind]).sort()).toEqual(
      [
        ['grouping--g', 'report--r', 'contains', 'contains'],
        ['indicator--a', 'malware--b', 'indicates', 'relationship'],
        ['report--r', 'indicator--a', 'contains', 'contains'],
        ['report--r', 'malware--b', 'contains', 'contains'],
      ].sort(),
    );
    expect(m.leftOut).toBe(0);
    const capped = graphModel(report, { relationships: [], contains: Array.from({ length: 10 }, (_, i) => member(`indicator--${i}`, 'indicator')), containedIn: [], containsLabel: 'contains' }, { maxNodes: 4 });
    expect(capped.nodes).toHaveLength(5);
    expect(capped.leftOut).toBe(6);
  });
});
