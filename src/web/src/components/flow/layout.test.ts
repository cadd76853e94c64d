import { describe, expect, it } from 'vitest';
import { describeCondition, flowGraph } from './graph-model';
import { layoutFlow, NODE_H, NODE_W } from './layout';

const FLOW = {
  id: 'demo', name: 'Demo', languages: ['en-US'], start: 'greet',
  steps: {
    greet: { type: 'say', text: { 'en-US': 'Hello' }, next: 'ask' },
    ask: { type: 'ask', prompt: { 'en-US': 'Yes?' }, intents: ['book', 'agent'], next: 'route', onNoMatch: 'human' },
    route: { type: 'branch', cases: [{ when: { intent: 'agent' }, next: 'human' }, { when: { slot: 'n', gte: 3 }, next: 'ask' }], else: 'bye' },
    human: { type: 'transfer', to: 'queue:desk' },
    bye: { type: 'end', text: { 'en-US': 'Bye' } },
    orphan: { type: 'say', text: { 'en-US': 'never said' }, next: 'nowhere' },
  },
};

describe('flow graph', () => {
  it('turns steps into nodes and every exit into a labelled edge, marking targets that do not exist', () => {
    const graph = flowGraph(FLOW);
    expect(graph.nodes.map((n) => n.id)).toEqual(['greet', 'ask', 'route', 'human', 'bye', 'orphan', 'nowhere']);
    expect(graph.nodes.find((n) => n.id === 'greet')).toMatchObject({ start: true, type: 'say', detail: 'Hello' });
    expect(graph.nodes.find((n) => n.id === 'nowhere')).toMatchObject({ missing: true, type: 'missing' });
    expect(graph.edges).toEqual(expect.arrayContaining([
      { from: 'ask', to: 'route', label: 'book | agent' },
      { from: 'ask', to: 'human', label: 'no match' },
      { from: 'route', to: 'human', label: 'intent agent' },
      { from: 'route', to: 'ask', label: 'n ≥ 3' },
      { from: 'route', to: 'bye', label: 'else' },
    ]));
    expect(describeCondition({ slot: 'confirmed', equals: true })).toBe('confirmed = true');
  });

  it('reads half-written JSON without throwing', () => {
    expect(flowGraph(null)).toEqual({ nodes: [], edges: [] });
    expect(flowGraph({ steps: { a: 3, b: { type: 'say' } } }).nodes.map((n) => n.id)).toEqual(['b']);
  });

  it('lays rows out by longest path from the start, endings below, loops marked, nothing overlapping', () => {
    const layout = layoutFlow(flowGraph(FLOW));
    const at = Object.fromEntries(layout.nodes.map((n) => [n.id, n]));
    expect(at['greet']!.row).toBe(0);
    expect(at['ask']!.row).toBe(1);
    expect(at['route']!.row).toBe(2);
    // human is reached from ask (row 1) and from route (row 2): it sits below both.
    expect(at['human']!.row).toBe(3);
    expect(at['orphan']!.row).toBe(4); // unreachable: below everything, and what it leads to below it
    expect(at['nowhere']!.row).toBe(5);
    expect(layout.edges.find((e) => e.from === 'route' && e.to === 'ask')?.back).toBe(true);
    expect(layout.edges.find((e) => e.from === 'greet' && e.to === 'ask')?.back).toBe(false);
    for (const a of layout.nodes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + NODE_W).toBeLessThanOrEqual(layout.width);
      expect(a.y + NODE_H).toBeLessThanOrEqual(layout.height);
      for (const b of layout.nodes) {
        if (a === b) continue;
        expect(a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y + NODE_H <= b.y || b.y + NODE_H <= a.y).toBe(true);
      }
    }
    for (const e of layout.edges) expect(e.path).toMatch(/^M[\d.]+,[\d.]+ C/);
  });
});
