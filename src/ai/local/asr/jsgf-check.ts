// Cheap JSGF sanity checks run before a grammar reaches pocketsphinx. Why: libsphinxbase calls exit() on some bad
// grammars (an alternative weight above 1 → "Null transition prob must be <= 1.0") and silently accepts a rule that
// references an undefined rule; either would take the whole process down, worker threads included.

/** Returns a description of the first problem found, or undefined when the grammar looks safe to compile. */
export function checkJsgf(jsgf: string): string | undefined {
  const text = jsgf.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  if (!/^\s*#JSGF\s+V1\.0[^;]*;/.test(text)) return 'missing "#JSGF V1.0;" header';
  if (!/\bgrammar\s+[\w.]+\s*;/.test(text)) return 'missing "grammar <name>;" declaration';
  const body = text.replace(/^\s*#JSGF[^;]*;/, '').replace(/\bgrammar\s+[\w.]+\s*;/, '');
  const rules = new Map<string, string>();
  let hasPublic = false;
  for (const statement of body.split(';')) {
    if (statement.trim() === '') continue;
    const m = /^\s*(public\s+)?<([\w.]+)>\s*=([\s\S]*)$/.exec(statement);
    if (!m) return `not a rule definition: "${statement.trim().slice(0, 60)}"`;
    if (m[1]) hasPublic = true;
    rules.set(m[2] ?? '', m[3] ?? '');
  }
  if (!hasPublic) return 'no public rule';
  for (const [name, rhs] of rules) {
    if (rhs.trim() === '') return `rule <${name}> is empty`;
    for (const ref of rhs.matchAll(/<([^>]*)>/g)) {
      const target = ref[1] ?? '';
      if (target !== 'NULL' && target !== 'VOID' && !rules.has(target)) return `rule <${name}> uses undefined <${target}>`;
    }
    for (const w of rhs.matchAll(/\/([^/]*)\//g)) {
      const weight = Number(w[1]);
      if (!(weight > 0 && weight <= 1)) return `rule <${name}> has weight /${w[1]}/; weights must be in (0, 1]`;
    }
    let depth = 0;
    for (const ch of rhs) {
      if (ch === '(' || ch === '[') depth++;
      if (ch === ')' || ch === ']') depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) return `rule <${name}> has unbalanced brackets`;
  }
  return undefined;
}
