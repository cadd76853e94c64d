/** Intent matching from example phrases and keywords: exact, contained, then fuzzy token overlap, scored 0–1. */
import { contentWords, wordSimilarity, words } from './text.js';

export interface IntentCandidate {
  name: string;
  phrases: readonly string[];
  keywords?: readonly string[];
}

export interface IntentMatch {
  intent: string;
  /** 0–1: 1 exact, 0.95 the phrase inside the utterance, 0.85 a keyword, below that token overlap. */
  score: number;
  /** The phrase or keyword that matched best. */
  phrase: string;
}

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** How well an utterance (as `words()`) says one example phrase. */
export function phraseScore(utterance: readonly string[], phrase: string): number {
  const p = words(phrase);
  if (p.length === 0 || utterance.length === 0) return 0;
  if (p.join(' ') === utterance.join(' ')) return 1;
  if (containsRun(utterance, p)) return 0.95;
  const pc = contentWords(p);
  const uc = contentWords(utterance);
  let recall = 0;
  const used = new Set<number>();
  for (const pw of pc) {
    let best = 0;
    let bestIndex = -1;
    uc.forEach((uw, i) => {
      const s = wordSimilarity(pw, uw);
      if (s > best) { best = s; bestIndex = i; }
    });
    recall += best;
    if (bestIndex >= 0) used.add(bestIndex);
  }
  recall /= pc.length;
  const precision = used.size / uc.length;
  // Capped below "contained": a fuzzy match never beats a phrase said word for word.
  return Math.min(0.9, 0.8 * recall + 0.2 * precision);
}

function keywordScore(utterance: readonly string[], keyword: string): number {
  const k = words(keyword);
  if (k.length === 0) return 0;
  if (containsRun(utterance, k)) return 0.85;
  // One-word keywords also match a close variant ("refunds", "refunded").
  if (k.length === 1 && utterance.some((u) => wordSimilarity(k[0]!, u) >= 0.9)) return 0.8;
  return 0;
}

/** Every candidate scored, best first (ties keep the declared order). */
export function scoreIntents(utterance: readonly string[], candidates: readonly IntentCandidate[]): IntentMatch[] {
  const scored = candidates.map((c) => {
    let best: IntentMatch = { intent: c.name, score: 0, phrase: '' };
    for (const phrase of c.phrases) {
      const score = phraseScore(utterance, phrase);
      if (score > best.score) best = { intent: c.name, score, phrase };
    }
    for (const keyword of c.keywords ?? []) {
      const score = keywordScore(utterance, keyword);
      if (score > best.score) best = { intent: c.name, score, phrase: keyword };
    }
    return best;
  });
  return scored.map((s, i) => ({ s, i })).sort((a, b) => b.s.score - a.s.score || a.i - b.i).map(({ s }) => s);
}

/** The best intent at or above `threshold`, or undefined. */
export function matchIntent(utterance: readonly string[], candidates: readonly IntentCandidate[], threshold: number): IntentMatch | undefined {
  const [best] = scoreIntents(utterance, candidates);
  return best && best.score >= threshold && best.score > 0 ? best : undefined;
}
