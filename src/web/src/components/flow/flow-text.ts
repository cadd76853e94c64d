/** The editor's text → a definition, or where the JSON breaks. */
export function parseDefinition(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : 'unreadable' };
  }
}

/** Step ids named in issue paths ($.steps.<id>…), to mark them in the graph. */
export function stepsIn(paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const path of paths) {
    const m = /^\$\.steps\.([a-z][a-z0-9_]*)/.exec(path);
    if (m) out.add(m[1]!);
  }
  return out;
}

export const NEW_FLOW_TEMPLATE = {
  id: 'new-flow',
  name: 'New flow',
  languages: ['en-US'],
  start: 'greet',
  steps: {
    greet: { type: 'say', text: { 'en-US': 'Hello, thanks for calling.' }, next: 'goodbye' },
    goodbye: { type: 'end', text: { 'en-US': 'Goodbye.' } },
  },
};

/**
 * Where a JSON path ($.steps.greet.next, $.languages[0]) points in the pretty-printed text: each key is looked
 * for after the previous one. Null when a key is not found; the caller then leaves the cursor alone.
 */
export function locatePath(text: string, path: string): { start: number; end: number } | null {
  const keys = path.replace(/^\$\.?/, '').split(/\.|\[(\d+)\]/).filter((k): k is string => Boolean(k) && !/^\d+$/.test(k));
  let at = 0;
  let found: { start: number; end: number } | null = null;
  for (const key of keys) {
    const i = text.indexOf(`${JSON.stringify(key)}:`, at);
    if (i === -1) return found;
    const lineEnd = text.indexOf('\n', i);
    found = { start: i, end: lineEnd === -1 ? text.length : lineEnd };
    at = i + key.length + 2;
  }
  return found;
}
