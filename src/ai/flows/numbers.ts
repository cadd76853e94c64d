/** Spoken and written numbers: "twenty five" → 25, "one two three four" → "1234", "third" → 3. Input: `words()`. */

export const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
};
export const TEENS: Record<string, number> = {
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
export const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const MULTIPLIERS: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };

const ORDINAL_UNITS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
};
const ORDINAL_TEENS: Record<string, number> = {
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
  seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

const isNumeral = (w: string) => /^\d+(\.\d+)?$/.test(w);

/** The value of one number word under 100, or undefined. */
export function smallNumber(word: string): number | undefined {
  return UNITS[word] ?? TEENS[word] ?? TENS[word] ?? (/^\d{1,2}$/.test(word) ? Number(word) : undefined);
}

function isNumberWord(w: string): boolean {
  return w in UNITS || w in TEENS || w in TENS || w in MULTIPLIERS || isNumeral(w);
}

/**
 * The first number said in `words`: numerals ("25", "2.5"), words ("twenty five", "a hundred and five",
 * "two point five"), or digit by digit ("one two" → 12). Returns the value and the index range it used.
 */
export function findNumber(all: readonly string[]): { value: number; start: number; end: number } | undefined {
  for (let start = 0; start < all.length; start++) {
    const word = all[start]!;
    const aLead = word === 'a' && (all[start + 1] ?? '') in MULTIPLIERS;
    if (!isNumberWord(word) && !aLead) continue;
    if (isNumeral(word)) return { value: Number(word), start, end: start + 1 };
    const spoken = (w: string | undefined) => w !== undefined && isNumberWord(w) && !isNumeral(w);
    let end = start;
    const run: string[] = [];
    for (; end < all.length; end++) {
      const w = all[end]!;
      // "a" only leads ("a hundred"); "and" only joins ("one hundred and five").
      const joins = spoken(w) || (w === 'a' && end === start) || (w === 'and' && run.length > 0 && spoken(all[end + 1]));
      if (!joins) break;
      run.push(w);
    }
    let value = wordsToNumber(run);
    if (value === undefined) continue;
    // "two point five"
    if (all[end] === 'point' && (all[end + 1] ?? '') in UNITS) {
      let decimals = '';
      let k = end + 1;
      for (; k < all.length && all[k]! in UNITS; k++) decimals += String(UNITS[all[k]!]);
      value = Number(`${value}.${decimals}`);
      end = k;
    }
    return { value, start, end };
  }
  return undefined;
}

/**
 * Number words → value. With hundred/thousand: additive ("a hundred and five" → 105). Without: groups under 100
 * side by side are read as written digits ("one two" → 12, "twelve thirty four" → 1234, "nineteen ninety" → 1990).
 */
export function wordsToNumber(run: readonly string[]): number | undefined {
  const tokens = run.filter((w) => w !== 'and');
  if (tokens.length === 0) return undefined;
  if (tokens.some((w) => w in MULTIPLIERS)) return additive(tokens);
  const groups: number[] = [];
  let current: number | null = null;
  let open = false; // a tens word still waiting for its unit ("twenty" … "five")
  for (const w of tokens) {
    if (w in TENS) {
      if (current !== null) groups.push(current);
      current = TENS[w]!;
      open = true;
    } else if (w in UNITS && current !== null && open && w !== 'zero') {
      current += UNITS[w]!;
      open = false;
    } else if (w in UNITS || w in TEENS) {
      if (current !== null) groups.push(current);
      current = UNITS[w] ?? TEENS[w]!;
      open = false;
    } else return undefined;
  }
  if (current !== null) groups.push(current);
  return groups.length === 1 ? groups[0] : Number(groups.map(String).join(''));
}

function additive(tokens: readonly string[]): number | undefined {
  let total = 0;
  let current = 0;
  for (const w of tokens) {
    if (w === 'a') current = 1;
    else if (w in MULTIPLIERS) {
      const m = MULTIPLIERS[w]!;
      if (m === 100) current = (current || 1) * 100;
      else { total += (current || 1) * m; current = 0; }
    } else {
      const v = UNITS[w] ?? TEENS[w] ?? TENS[w];
      if (v === undefined) return undefined;
      current += v;
    }
  }
  return total + current;
}

/**
 * Every digit said in `words`, in order: "one two three four" → "1234", "double five" → "55", "oh" → "0",
 * "twelve thirty four" → "1234", "1234" or "12-34" → "1234". Other words are skipped.
 */
export function findDigits(all: readonly string[]): string {
  let out = '';
  for (let i = 0; i < all.length; i++) {
    const w = all[i]!;
    const repeat = w === 'double' ? 2 : w === 'triple' ? 3 : 1;
    const target = repeat > 1 ? all[i + 1] : w;
    if (target === undefined) continue;
    let digit: string | undefined;
    if (/^\d+$/.test(target.replace(/-/g, ''))) digit = target.replace(/-/g, '');
    else if (target in UNITS) digit = String(UNITS[target]);
    else if (target === 'oh' || target === 'o') digit = '0';
    else if (target in TEENS) digit = String(TEENS[target]);
    else if (target in TENS) {
      const unit = all[i + 1];
      if (unit !== undefined && unit in UNITS && unit !== 'zero') { digit = String(TENS[target]! + UNITS[unit]!); i++; }
      else digit = String(TENS[target]);
    } else if (target === 'hundred' && out.length > 0) digit = '00';
    else if (target === 'thousand' && out.length > 0) digit = '000';
    if (digit === undefined) continue;
    if (repeat > 1) i++;
    out += digit.repeat(repeat);
  }
  return out;
}

/** An ordinal day of month: "third" 3, "twenty first" 21, "3rd" 3, "15th" 15. Returns value and words used. */
export function ordinalAt(all: readonly string[], index: number): { value: number; used: number } | undefined {
  const w = all[index];
  if (w === undefined) return undefined;
  const numeric = /^(\d{1,2})(st|nd|rd|th)$/.exec(w);
  if (numeric) return { value: Number(numeric[1]), used: 1 };
  if (w in ORDINAL_UNITS) return { value: ORDINAL_UNITS[w]!, used: 1 };
  if (w in ORDINAL_TEENS) return { value: ORDINAL_TEENS[w]!, used: 1 };
  const next = all[index + 1];
  if ((w === 'twenty' || w === 'thirty') && next !== undefined && next in ORDINAL_UNITS) {
    return { value: TENS[w]! + ORDINAL_UNITS[next]!, used: 2 };
  }
  return undefined;
}
