/** Yes and no as callers say them ("yeah", "that's right", "not really"). Input: `words()`. */

const YES_WORDS = new Set([
  'yes', 'yeah', 'yea', 'yep', 'yup', 'ya', 'sure', 'correct', 'right', 'ok', 'okay', 'absolutely', 'definitely',
  'certainly', 'affirmative', 'exactly', 'perfect', 'great', 'fine', 'confirm', 'confirmed',
]);
const NO_WORDS = new Set(['no', 'nope', 'nah', 'negative', 'wrong', 'incorrect', 'never']);
const YES_PHRASES = ['of course', 'sounds good', 'go ahead', 'please do', 'that works', 'do it', 'i do please', 'yes i do'];
const NO_PHRASES = ['not really', 'do not', 'does not', 'is not', 'not right', 'not correct', 'not quite', 'rather not', 'no thanks'];

function phraseAt(all: readonly string[], phrases: readonly string[]): number {
  const text = ` ${all.join(' ')} `;
  let best = -1;
  for (const phrase of phrases) {
    const at = text.indexOf(` ${phrase} `);
    if (at >= 0) {
      const index = text.slice(0, at).split(' ').filter(Boolean).length;
      if (best < 0 || index < best) best = index;
    }
  }
  return best;
}

/** true for yes, false for no, undefined when neither was said. The earlier of the two wins ("no, yes" → no). */
export function parseYesNo(all: readonly string[]): boolean | undefined {
  const candidates: { at: number; value: boolean }[] = [];
  const noPhrase = phraseAt(all, NO_PHRASES);
  if (noPhrase >= 0) candidates.push({ at: noPhrase, value: false });
  const yesPhrase = phraseAt(all, YES_PHRASES);
  if (yesPhrase >= 0) candidates.push({ at: yesPhrase, value: true });
  const yesWord = all.findIndex((w) => YES_WORDS.has(w));
  if (yesWord >= 0) candidates.push({ at: yesWord, value: true });
  if (all.join(' ') === 'i do') candidates.push({ at: 0, value: true }); // not inside "i do not …"

  const noWord = all.findIndex((w) => NO_WORDS.has(w));
  if (noWord >= 0) candidates.push({ at: noWord, value: false });
  if (candidates.length === 0) return undefined;
  // "not correct": a negation phrase starting at or before a yes word wins over it.
  candidates.sort((a, b) => a.at - b.at || Number(a.value) - Number(b.value));
  return candidates[0]!.value;
}

/** Keypad convention: 1 yes, 2 no. */
export function yesNoFromDtmf(digits: string): boolean | undefined {
  return digits === '1' ? true : digits === '2' ? false : undefined;
}
