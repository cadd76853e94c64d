/**
 * A sentence to speak, cut where a pause is natural, so the first piece can be synthesized and sent while the rest
 * is still being made: the caller hears the agent sooner. The pieces play back to back as one transcript line.
 */

/** Shorter first pieces than this are not split off (a lone "Okay." sounds clipped). */
const MIN_FIRST_WORDS = 3;

export function speechChunks(text: string): string[] {
  const sentences = text.trim().split(/(?<=[.!?])\s+/).filter(Boolean);
  if (sentences.length === 0) return [];
  // The first sentence also splits at its first clause boundary (comma, colon, semicolon) when both halves are
  // long enough to be spoken on their own.
  const first = sentences[0]!;
  const clause = /[,;:]\s/.exec(first);
  if (clause) {
    const head = first.slice(0, clause.index + 1).trim();
    const tail = first.slice(clause.index + 1).trim();
    if (words(head) >= MIN_FIRST_WORDS && words(tail) >= MIN_FIRST_WORDS) return [head, tail, ...sentences.slice(1)];
  }
  return sentences;
}

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
