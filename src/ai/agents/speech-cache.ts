/**
 * Synthesized pieces of speech by text, per synthesizer: prompts and fixed sentences (greetings, "What day and time
 * would suit you?") are made once and then sent at once. A small LRU; failures are not kept.
 */
import type { SpeechSynthesizer } from '../local/index.js';

const MAX_ENTRIES = 300;

export class SpeechCache {
  private readonly entries = new Map<string, Promise<Uint8Array | null>>();

  get(key: string, make: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, hit);
      return hit;
    }
    const made = make();
    this.entries.set(key, made);
    void made.then((audio) => { if (!audio) this.entries.delete(key); });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }
}

const caches = new WeakMap<SpeechSynthesizer, SpeechCache>();

export function speechCache(synthesizer: SpeechSynthesizer): SpeechCache {
  let cache = caches.get(synthesizer);
  if (!cache) caches.set(synthesizer, (cache = new SpeechCache()));
  return cache;
}
