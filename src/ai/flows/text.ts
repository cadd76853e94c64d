/** Text normalisation shared by intent matching and slot parsing: lower case, plain words, contractions expanded. */

const CONTRACTIONS: Record<string, string> = {
  "i'd": 'i would', "i'm": 'i am', "i've": 'i have', "i'll": 'i will', "you're": 'you are', "it's": 'it is',
  "that's": 'that is', "what's": 'what is', "don't": 'do not', "doesn't": 'does not', "didn't": 'did not',
  "can't": 'can not', "cannot": 'can not', "won't": 'will not', "isn't": 'is not', "wasn't": 'was not',
  "wanna": 'want to', "gonna": 'going to', "o'clock": 'oclock',
};

/** Lower-cased words: apostrophes normalised, contractions expanded, punctuation dropped except `:` inside times. */
export function words(text: string): string[] {
  const cleaned = text.toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/(\d)\s*([ap])\.?\s?m\b\.?/g, '$1 $2 m') // 10am, 10 a.m. → 10 a m
    .replace(/\b([ap])\.m\.?/g, '$1 m')
    .replace(/[^a-z0-9':.\s-]/g, ' ')
    .replace(/(?<!\d)[.:]|[.:](?!\d)/g, ' ') // keep 10:30 and 2.5, drop sentence dots
    .replace(/(?<![a-z0-9])-|-(?![a-z0-9])/g, ' ');
  const out: string[] = [];
  for (const raw of cleaned.split(/\s+/)) {
    if (!raw) continue;
    const token = raw.replace(/^'+|'+$/g, '');
    if (!token) continue;
    const expanded = CONTRACTIONS[token];
    if (expanded) out.push(...expanded.split(' '));
    else if (/^[a-z]+-[a-z]+$/.test(token)) out.push(...token.split('-')); // twenty-five, check-in
    else out.push(token);
  }
  return out;
}

/** Words that carry no meaning for matching ("i would like to", "please", "um"). */
export const STOP_WORDS = new Set([
  'a', 'an', 'the', 'i', 'me', 'my', 'we', 'our', 'you', 'your', 'it', 'is', 'am', 'are', 'be', 'to', 'of', 'for',
  'and', 'or', 'so', 'um', 'uh', 'er', 'hmm', 'well', 'please', 'would', 'like', 'want', 'need', 'could', 'can',
  'will', 'just', 'do', 'some', 'this', 'that', 'there', 'hi', 'hello', 'hey', 'okay', 'ok', 'thanks', 'thank',
  'in', 'on', 'with', 'about', 'have', 'get', 'id', 'im', 'calling', 'call', 'help', 'oh',
]);

/** Content words only. Falls back to all words when every word is a stop word ("yes please" → keep). */
export function contentWords(all: readonly string[]): string[] {
  const content = all.filter((w) => !STOP_WORDS.has(w));
  return content.length > 0 ? content : [...all];
}

/** A light stem so "appointments", "booking", "booked" meet "appointment", "book". */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('es') && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Edit distance, bounded: returns `max + 1` as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

/** How alike two words are, 0–1: equal stems 1, a typo or mis-hearing in a longer word less. */
export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const sa = stem(a);
  const sb = stem(b);
  if (sa === sb) return 0.95;
  const longest = Math.max(sa.length, sb.length);
  if (Math.min(sa.length, sb.length) < 4) return 0;
  const distance = editDistance(sa, sb, 2);
  if (distance > 2) return 0;
  const similarity = 1 - distance / longest;
  return similarity >= 0.75 ? similarity * 0.9 : 0;
}
