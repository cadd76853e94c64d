/**
 * What the caller heard of an agent turn cut short: the text is cut in proportion to the audio heard, back to
 * the last whole word, so the transcript never claims words the caller did not hear.
 */
export function heardText(text: string, heardMs: number, totalMs: number): string {
  if (totalMs <= 0 || heardMs >= totalMs) return text;
  if (heardMs <= 0) return '';
  const cut = Math.floor(text.length * (heardMs / totalMs));
  if (cut >= text.length) return text;
  // Mid-word: drop the partial word.
  const atBoundary = /\s/.test(text[cut] ?? ' ');
  const kept = atBoundary ? text.slice(0, cut) : text.slice(0, cut).replace(/\S+$/, '');
  return kept.trimEnd();
}
