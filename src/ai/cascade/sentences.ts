/**
 * Splits streaming model text into sentences to speak one by one: a sentence ends at . ! ? … (or a line break)
 * followed by whitespace, except after common abbreviations and inside numbers; over-long runs are cut at a
 * comma or space so the first audio never waits for a paragraph. A chunk that itself ends with ! ? … (or a . after
 * a word that is no abbreviation) ends the sentence at once: models put the space at the start of the next token,
 * and waiting for it would hold the first audio back by one token's time.
 */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'no', 'approx', 'dept', 'inc', 'ltd', 'co']);

export class SentenceSplitter {
  private buffer = '';
  private readonly maxChars: number;

  constructor(maxChars = 200) {
    this.maxChars = maxChars;
  }

  /** Adds streamed text; returns the sentences it completed. */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i]!;
      const next = this.buffer[i + 1];
      const isEnd = ch === '\n' || (/[.!?…]/.test(ch) && next !== undefined && /\s/.test(next));
      if (isEnd && !(ch === '.' && this.isAbbreviation(start, i))) {
        const sentence = this.buffer.slice(start, i + 1).trim();
        if (speakable(sentence)) out.push(sentence);
        start = i + 1;
      } else if (i - start >= this.maxChars) {
        const cut = this.softCut(start, i);
        const sentence = this.buffer.slice(start, cut).trim();
        if (sentence) out.push(sentence);
        start = cut;
      }
    }
    if (this.endsSentence(start)) {
      const sentence = this.buffer.slice(start).trim();
      if (speakable(sentence)) out.push(sentence);
      start = this.buffer.length;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The buffered text (from `start`) ends with a sentence end, though nothing follows it yet. */
  private endsSentence(start: number): boolean {
    const last = this.buffer.length - 1;
    if (last < start) return false;
    const ch = this.buffer[last]!;
    if (/[!?…]/.test(ch)) return true;
    // "at 3." may go on as "3.30"; "Dr." is no sentence end.
    return ch === '.' && /\p{L}/u.test(this.buffer[last - 1] ?? '') && !this.isAbbreviation(start, last);
  }

  /** The rest, at the end of the stream. */
  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return speakable(rest) ? [rest] : [];
  }

  private isAbbreviation(start: number, dot: number): boolean {
    const word = /([A-Za-z.]+)$/.exec(this.buffer.slice(start, dot))?.[1]?.toLowerCase();
    return word !== undefined && (ABBREVIATIONS.has(word) || /^[a-z]$/.test(word));
  }

  private softCut(start: number, end: number): number {
    const chunk = this.buffer.slice(start, end);
    const comma = chunk.lastIndexOf(', ');
    if (comma > chunk.length / 2) return start + comma + 1;
    const space = chunk.lastIndexOf(' ');
    return space > 0 ? start + space : end;
  }
}

/** Something to say: a lone "!" or ".." after a sentence ended at a chunk's end has no sound. */
function speakable(sentence: string): boolean {
  return /[\p{L}\p{N}]/u.test(sentence);
}
