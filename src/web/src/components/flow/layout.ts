import type { FlowGraph, GraphEdge, GraphNode } from './graph-model';

/**
 * A small layered layout: a step's row is its longest loop-free distance from the start (unreachable steps go
 * below), each row ordered by where its parents sit. Forward edges run down; loops back up bend out to the nearer side.
 */
export const NODE_W = 176;
export const NODE_H = 54;
const GAP_X = 44;
const GAP_Y = 78;
const PAD = 24;
/** Room on each side for the loops. */
const SIDE = 80;

export interface PlacedNode extends GraphNode { x: number; y: number; row: number }
export interface PlacedEdge extends GraphEdge { path: string; labelX: number; labelY: number; back: boolean }
export interface Layout { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number }

/** Edges that close a loop (to a step still on the depth-first path from the start). */
function loopEdges(graph: FlowGraph, start: string | undefined): Set<GraphEdge> {
  const out = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const loops = new Set<GraphEdge>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.to);
      if (s === 'open') loops.add(e);
      else if (s === undefined) visit(e.to);
    }
    state.set(id, 'done');
  };
  if (start) visit(start);
  for (const n of graph.nodes) if (!state.has(n.id)) visit(n.id);
  return loops;
}

/** A step's row is the longest loop-free path to it from the start, so endings sink to the bottom. */
function rows(graph: FlowGraph): Map<string, number> {
  const start = (graph.nodes.find((n) => n.start) ?? graph.nodes[0])?.id;
  const loops = loopEdges(graph, start);
  const forward = graph.edges.filter((e) => !loops.has(e));
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of forward) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const row = new Map<string, number>();
  const queue = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) row.set(id, 0);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const e of forward.filter((f) => f.from === id)) {
      row.set(e.to, Math.max(row.get(e.to) ?? 0, row.get(id)! + 1));
      indegree.set(e.to, indegree.get(e.to)! - 1);
      if (indegree.get(e.to) === 0) queue.push(e.to);
    }
  }
  // Steps the start never reaches sit below the rest, in their own order.
  const reached = new Set<string>(start ? [start] : []);
  const stack = start ? [start] : [];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of graph.edges) if (e.from === id && !reached.has(e.to)) { reached.add(e.to); stack.push(e.to); }
  }
  const last = Math.max(0, ...[...reached].map((id) => row.get(id) ?? 0));
  const unreached = graph.nodes.filter((n) => !reached.has(n.id));
  const first = Math.min(...unreached.map((n) => row.get(n.id) ?? 0));
  for (const n of unreached) row.set(n.id, last + 1 + (row.get(n.id) ?? 0) - first);
  return row;
}

export function layoutFlow(graph: FlowGraph): Layout {
  const rowOf = rows(graph);
  const byRow: GraphNode[][] = [];
  for (const n of graph.nodes) (byRow[rowOf.get(n.id)!] ??= []).push(n);
  const column = new Map<string, number>();
  byRow.forEach((nodes, r) => {
    // Barycentre of the parents in earlier rows keeps edges short and mostly uncrossed.
    const weight = (n: GraphNode) => {
      const parents = graph.edges.filter((e) => e.to === n.id && (rowOf.get(e.from) ?? 0) < r).map((e) => column.get(e.from) ?? 0);
      return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : Number.MAX_SAFE_INTEGER;
    };
    const sorted = r === 0 ? nodes : [...nodes].sort((a, b) => weight(a) - weight(b));
    sorted.forEach((n, i) => column.set(n.id, i));
    byRow[r] = sorted;
  });
  const widest = Math.max(1, ...byRow.map((r) => r?.length ?? 0));
  const width = (PAD + SIDE) * 2 + widest * NODE_W + (widest - 1) * GAP_X;
  const placed = new Map<string, PlacedNode>();
  byRow.forEach((nodes, r) => {
    const rowWidth = nodes.length * NODE_W + (nodes.length - 1) * GAP_X;
    const left = PAD + SIDE + (widest * NODE_W + (widest - 1) * GAP_X - rowWidth) / 2;
    nodes.forEach((n, i) => placed.set(n.id, { ...n, row: r, x: left + i * (NODE_W + GAP_X), y: PAD + r * (NODE_H + GAP_Y) }));
  });
  const height = PAD * 2 + byRow.length * NODE_H + Math.max(0, byRow.length - 1) * GAP_Y;

  // Edges to the next row go straight down; longer ones and loops go round the side with more room, nested.
  const seen = new Map<string, number>();
  const routes = { left: 0, right: 0 };
  const edges: PlacedEdge[] = graph.edges.flatMap((e): PlacedEdge[] => {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) return [];
    const key = `${e.from}>${e.to}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    if (b.row === a.row + 1) {
      const x1 = a.x + NODE_W / 2 + (nth * 14);
      const y1 = a.y + NODE_H;
      const x2 = b.x + NODE_W / 2;
      const y2 = b.y;
      const mid = (y1 + y2) / 2;
      return [{ ...e, back: false, path: `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`, labelX: (x1 + x2) / 2, labelY: mid - 4 + nth * 14 }];
    }
    const back = b.row <= a.row;
    // Toward the side the target lies on; straight down a column, whichever side has fewer routes.
    const lean = Math.abs(b.x - a.x) >= 1 ? b.x - a.x : a.x + b.x + NODE_W - width;
    const left = lean <= -1 || (Math.abs(lean) < 1 && routes.left < routes.right);
    const side = left ? 'left' : 'right';
    const out = Math.min(SIDE + PAD - 12, 28 + routes[side] * 12);
    routes[side] += 1;
    const x1 = left ? a.x : a.x + NODE_W;
    const x2 = left ? b.x : b.x + NODE_W;
    const y1 = a.y + NODE_H / 2 + (back ? 0 : 8);
    const y2 = b.y + NODE_H / 2 - (back ? 0 : 8);
    const bulge = left ? Math.min(x1, x2) - out : Math.max(x1, x2) + out;
    const end = left ? x2 - 6 : x2 + 6;
    return [{ ...e, back, path: `M${x1},${y1} C${bulge},${y1} ${bulge},${y2} ${end},${y2}`, labelX: bulge, labelY: y1 + (y2 - y1) * 0.25 }];
  });
  return { nodes: [...placed.values()], edges, width, height };
}
