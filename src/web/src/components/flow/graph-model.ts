/**
 * A flow definition as a graph: steps are nodes, every way out of a step (next, no match, branch cases, tool
 * errors) an edge with a label. Works on unchecked JSON (the editor's text), skipping what it cannot read.
 */
export interface GraphNode { id: string; type: string; detail: string; start: boolean; missing: boolean }
export interface GraphEdge { from: string; to: string; label: string }
export interface FlowGraph { nodes: GraphNode[]; edges: GraphEdge[] }

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function firstText(v: unknown): string {
  if (!isObject(v)) return '';
  const text = Object.values(v).find((t) => typeof t === 'string');
  return typeof text === 'string' ? text : '';
}

/** A branch condition in a few words: `intent agent`, `confirmed = true`, `when filled`. */
export function describeCondition(when: unknown): string {
  if (!isObject(when)) return 'case';
  const parts: string[] = [];
  if (when['intent'] !== undefined) parts.push(`intent ${Array.isArray(when['intent']) ? when['intent'].join('|') : String(when['intent'])}`);
  const slot = str(when['slot']);
  if (slot) {
    const ops: [string, string][] = [['equals', '='], ['gt', '>'], ['gte', '≥'], ['lt', '<'], ['lte', '≤']];
    const op = ops.find(([key]) => when[key] !== undefined);
    if (op) parts.push(`${slot} ${op[1]} ${JSON.stringify(when[op[0]])}`);
    else if (Array.isArray(when['in'])) parts.push(`${slot} in ${when['in'].length}`);
    else if (when['filled'] !== undefined) parts.push(`${slot} ${when['filled'] ? 'filled' : 'empty'}`);
    else parts.push(slot);
  }
  return parts.join(', ') || 'case';
}

function stepDetail(step: Json): string {
  switch (step['type']) {
    case 'say': return firstText(step['text']);
    case 'ask': return str(step['slot']) ? `slot ${String(step['slot'])}` : firstText(step['prompt']);
    case 'tool': return `tool ${String(step['tool'] ?? '?')}`;
    case 'transfer': return `to ${String(step['to'] ?? '?')}`;
    case 'end': return firstText(step['text']) || String(step['reason'] ?? '');
    case 'llm': return firstText(step['instructions']);
    default: return '';
  }
}

function exits(step: Json): GraphEdge[] {
  const out: { to: unknown; label: string }[] = [];
  switch (step['type']) {
    case 'say': out.push({ to: step['next'], label: '' }); break;
    case 'ask': {
      const intents = Array.isArray(step['intents']) ? step['intents'].join(' | ') : '';
      out.push({ to: step['next'], label: intents || (str(step['slot']) ? 'answered' : '') }, { to: step['onNoMatch'], label: 'no match' });
      break;
    }
    case 'branch':
      if (Array.isArray(step['cases'])) for (const c of step['cases']) if (isObject(c)) out.push({ to: c['next'], label: describeCondition(c['when']) });
      out.push({ to: step['else'], label: 'else' });
      break;
    case 'tool': out.push({ to: step['next'], label: step['onError'] ? 'ok' : '' }, { to: step['onError'], label: 'error' }); break;
    case 'llm': out.push({ to: step['next'], label: step['until'] ? `until ${describeCondition(step['until'])}` : 'done' }); break;
    default: break;
  }
  return out.flatMap((e) => (str(e.to) ? [{ from: '', to: e.to as string, label: e.label }] : []));
}

export function flowGraph(definition: unknown): FlowGraph {
  if (!isObject(definition) || !isObject(definition['steps'])) return { nodes: [], edges: [] };
  const steps = definition['steps'];
  const start = str(definition['start']);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [id, step] of Object.entries(steps)) {
    if (!isObject(step)) continue;
    nodes.push({ id, type: String(step['type'] ?? '?'), detail: stepDetail(step), start: id === start, missing: false });
    for (const edge of exits(step)) edges.push({ ...edge, from: id });
  }
  // Targets that name no step still show, marked, so the mistake is visible in the picture too.
  const known = new Set(nodes.map((n) => n.id));
  for (const edge of edges) {
    if (known.has(edge.to)) continue;
    known.add(edge.to);
    nodes.push({ id: edge.to, type: 'missing', detail: 'no such step', start: false, missing: true });
  }
  return { nodes, edges };
}
