/**
 * What every provider session shares: typed events, stats, the input timeline and the closed-once guard.
 * Providers extend it and call `emit`; nothing here knows a wire protocol.
 */
import { performance } from 'node:perf_hooks';
import { audioMs } from './audio-format.js';
import { AiError } from './errors.js';
import type {
  AiEvent,
  AiEventOf,
  AiEventType,
  AiSessionOptions,
  AiSessionStats,
  AudioFormat,
  ProviderHooks,
} from './session.js';

type AnyListener = (event: AiEvent) => void;

export abstract class AiSessionBase {
  abstract readonly provider: string;
  readonly stats: AiSessionStats = { eventsIn: 0, rejected: 0, audioInMs: 0, audioOutMs: 0, lastEventAt: 0 };
  protected readonly hooks: ProviderHooks;
  protected options: AiSessionOptions | undefined;
  protected inputFormat: AudioFormat = { encoding: 'mulaw', sampleRate: 8000 };
  protected outputFormat: AudioFormat = { encoding: 'mulaw', sampleRate: 8000 };
  protected closed = false;
  private readonly listeners = new Map<AiEventType, Set<AnyListener>>();
  private readonly all = new Set<AnyListener>();
  private replyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(hooks: ProviderHooks = {}) {
    this.hooks = hooks;
  }

  on<T extends AiEventType>(type: T, listener: (event: AiEventOf<T>) => void): this {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as AnyListener);
    return this;
  }

  off<T extends AiEventType>(type: T, listener: (event: AiEventOf<T>) => void): this {
    this.listeners.get(type)?.delete(listener as AnyListener);
    return this;
  }

  onEvent(listener: (event: AiEvent) => void): () => void {
    this.all.add(listener);
    return () => this.all.delete(listener);
  }

  /** Milliseconds of caller audio sent so far: the session's input timeline. */
  get inputMs(): number {
    return this.stats.audioInMs;
  }

  protected configure(options: AiSessionOptions): void {
    this.options = options;
    this.inputFormat = options.inputFormat;
    this.outputFormat = options.outputFormat ?? options.inputFormat;
  }

  /** Advances the input timeline by one frame of caller audio. */
  protected countInput(frame: Uint8Array): void {
    this.stats.audioInMs += audioMs(frame.length, this.inputFormat);
  }

  /** Marks a provider message as received (for stall detection). */
  protected countEvent(): void {
    this.stats.eventsIn++;
    this.stats.lastEventAt = performance.now();
  }

  /** Drops a provider message that does not parse or does not fit; counted, never thrown. */
  protected reject(reason: string): void {
    this.stats.rejected++;
    this.hooks.onRejectedInput?.(this.provider, reason);
  }

  /** The provider owes a reply now; no sign of one within `replyTimeoutMs` is reported as a stall. */
  protected expectReply(after: string): void {
    const ms = this.hooks.replyTimeoutMs ?? 5000;
    if (this.replyTimer || ms <= 0 || this.closed) return;
    this.replyTimer = setTimeout(() => {
      this.replyTimer = undefined;
      if (!this.closed) this.emit({ type: 'error', error: new AiError(this.provider, 'timeout', `no reply within ${ms} ms after ${after}`) });
    }, ms);
    this.replyTimer.unref?.();
  }

  protected emit(event: AiEvent): void {
    if (event.type === 'audio') this.stats.audioOutMs += audioMs(event.data.length, event.format);
    if (this.replyTimer && isReply(event)) {
      clearTimeout(this.replyTimer);
      this.replyTimer = undefined;
    }
    const typed = this.listeners.get(event.type);
    if (typed) for (const listener of [...typed]) this.safely(listener, event);
    for (const listener of [...this.all]) this.safely(listener, event);
  }

  /** Emits `closed` once; later calls do nothing. */
  protected emitClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.emit({ type: 'closed', reason });
  }

  private safely(listener: AnyListener, event: AiEvent): void {
    // A bug in one call's listener must not take down the provider socket handler (or the process).
    try {
      listener(event);
    } catch (error) {
      if (this.hooks.onListenerError) this.hooks.onListenerError(error, event);
      else console.error(`${this.provider}: a listener of "${event.type}" threw`, error);
    }
  }
}

/** Signs that the provider is answering (or has given up answering). */
function isReply(event: AiEvent): boolean {
  switch (event.type) {
    case 'audio':
    case 'tool_call':
    case 'turn_end':
    case 'error':
    case 'closed':
      return true;
    case 'transcript':
      return event.speaker === 'agent';
    default:
      return false;
  }
}
