/**
 * Splits streaming model text into sentences to speak one by one: a sentence ends at . ! ? … (or a line break)
 * followed by whitespace, except after common abbreviations and inside numbers; over-long runs are cut at a
 * comma or space so the first audio never waits for a paragraph.
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
        if (sentence) out.push(sentence);
        start = i + 1;
      } else if (i - start >= this.maxChars) {
        const cut = this.softCut(start, i);
        const sentence = this.buffer.slice(start, cut).trim();
        if (sentence) out.push(sentence);
        start = cut;
      }
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The rest, at the end of the stream. */
  flush(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest ? [rest] : [];
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
