/** Test helpers for AI sessions: collect events, wait for one, feed caller audio. */
import type { AiEvent, AiSession } from '../../src/ai/session.js';
import { sleep } from '../fakes/ai/audio.js';

export interface Recorder {
  events: AiEvent[];
  /** Resolves with the first event (from the start) matching, or rejects after `timeoutMs`. */
  next<T extends AiEvent['type']>(type: T, pred?: (e: Extract<AiEvent, { type: T }>) => boolean, timeoutMs?: number): Promise<Extract<AiEvent, { type: T }>>;
  /** The n-th event of a type to arrive (0-based). */
  nth<T extends AiEvent['type']>(type: T, n: number, timeoutMs?: number): Promise<Extract<AiEvent, { type: T }>>;
  of<T extends AiEvent['type']>(type: T): Array<Extract<AiEvent, { type: T }>>;
}

export function record(session: AiSession): Recorder {
  const events: AiEvent[] = [];
  const waiters: Array<() => void> = [];
  session.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) w();
  });
  const find = <T extends AiEvent['type']>(type: T, pred: (e: any) => boolean, n: number) =>
    events.filter((e) => e.type === type && pred(e))[n] as Extract<AiEvent, { type: T }> | undefined;
  const wait = <T extends AiEvent['type']>(type: T, pred: (e: any) => boolean, n: number, timeoutMs: number) =>
    new Promise<Extract<AiEvent, { type: T }>>((resolve, reject) => {
      const found = find(type, pred, n);
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1);
        reject(new Error(`no ${type} #${n} within ${timeoutMs} ms; saw ${JSON.stringify(events.map(describe))}`));
      }, timeoutMs);
      const check = () => {
        const hit = find(type, pred, n);
        if (!hit) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(check), 1);
        resolve(hit);
      };
      waiters.push(check);
    });
  return {
    events,
    next: (type, pred = () => true, timeoutMs = 5000) => wait(type, pred, 0, timeoutMs),
    nth: (type, n, timeoutMs = 5000) => wait(type, () => true, n, timeoutMs),
    of: (type) => events.filter((e) => e.type === type) as any,
  };
}

/** One line per event, for failure messages and order checks. */
export function describe(e: AiEvent): string {
  switch (e.type) {
    case 'transcript':
      return `transcript:${e.speaker}:${e.final ? 'final' : 'partial'}${e.truncated ? ':truncated' : ''}`;
    case 'turn_end':
      return `turn_end:${e.reason}`;
    case 'tool_call':
      return `tool_call:${e.name}`;
    case 'error':
      return `error:${e.error.code}`;
    default:
      return e.type;
  }
}

/** The events whose order the contract fixes: everything but audio and partial transcripts. */
export function orderedEvents(events: readonly AiEvent[]): string[] {
  return events.filter((e) => e.type !== 'audio' && !(e.type === 'transcript' && !e.final)).map(describe);
}

/** Sends frames, every `paceMs` (0 = all at once, yielding now and then so sockets flow). */
export async function feed(session: AiSession, frames: readonly Uint8Array[], paceMs = 0): Promise<void> {
  for (const [i, frame] of frames.entries()) {
    session.sendAudio(frame);
    if (paceMs > 0) await sleep(paceMs);
    else if (i % 10 === 9) await sleep(0);
  }
}
