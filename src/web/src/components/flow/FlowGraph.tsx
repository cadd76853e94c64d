import { useMemo } from 'react';
import { flowGraph } from './graph-model';
import { layoutFlow, NODE_H, NODE_W } from './layout';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The flow as a picture: steps as boxes (the start outlined), their exits as labelled arrows. */
export function FlowGraph({ definition, highlight }: { definition: unknown; highlight?: ReadonlySet<string> }) {
  const layout = useMemo(() => layoutFlow(flowGraph(definition)), [definition]);
  if (layout.nodes.length === 0) return <p className="empty">No steps to draw yet.</p>;
  return (
    <div className="flow-graph-wrap">
      <svg className="flow-graph" width="100%" style={{ maxWidth: layout.width }} viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img" aria-label={`Flow graph: ${layout.nodes.length} steps, ${layout.edges.length} transitions`} data-testid="flow-graph">
        <defs>
          <marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="flow-arrow" />
          </marker>
        </defs>
        {layout.edges.map((e, i) => (
          <g key={`e${i}`} className={e.back ? 'flow-edge flow-edge-back' : 'flow-edge'} data-testid="flow-edge" data-from={e.from} data-to={e.to}>
            <path d={e.path} markerEnd="url(#flow-arrow)" />
            {e.label && <text x={e.labelX} y={e.labelY} textAnchor="middle" className="flow-edge-label">{clip(e.label, 26)}</text>}
          </g>
        ))}
        {layout.nodes.map((n) => (
          <g key={n.id} transform={`translate(${n.x},${n.y})`} data-testid={`flow-node-${n.id}`} data-type={n.type}
            className={`flow-node flow-node-${n.type}${n.start ? ' flow-node-start' : ''}${highlight?.has(n.id) ? ' flow-node-issue' : ''}`}>
            <title>{`${n.id} (${n.type})${n.detail ? `: ${n.detail}` : ''}`}</title>
            <rect width={NODE_W} height={NODE_H} rx={8} />
            <text x={10} y={20} className="flow-node-id">{clip(n.id, 18)}</text>
            <text x={NODE_W - 10} y={20} textAnchor="end" className="flow-node-type">{n.start ? `start · ${n.type}` : n.type}</text>
            <text x={10} y={40} className="flow-node-detail">{clip(n.detail, 26)}</text>
          </g>
        ))}
      </svg>
    </div>
  );
}
