import type { Logger } from '../infra/logger.js';
import type { CallRow } from '../store/repositories/calls.js';

/**
 * Ends calls whose media never came. A carrier that admitted a call but never opened its media stream (a dropped
 * webhook, a stream that failed to connect, an instance that died before answering) would otherwise leave the call
 * "ringing" on the board forever. Any instance may sweep: the state change is compare-and-set from `ringing`, so a
 * call whose media arrives meanwhile is left alone.
 */
export interface RingingSweeperOptions {
  /** A call ringing longer than this is ended (longer than any carrier's own ring timeout). */
  ringTimeoutMs: number;
  intervalMs: number;
  findStale(startedBefore: Date, limit: number): Promise<CallRow[]>;
  /** Ends one stale call (record + carrier hang-up); must not throw for an individual call. */
  expire(row: CallRow): Promise<void>;
  log: Logger;
  now?: () => number;
}

export class RingingSweeper {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: RingingSweeperOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { void this.sweep(); }, this.options.intervalMs);
    this.timer.unref?.();
  }

  /** One pass (never two at once); answers how many calls it ended. */
  sweep(): Promise<number> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    const { ringTimeoutMs, findStale, expire, log } = this.options;
    const cutoff = new Date((this.options.now ?? Date.now)() - ringTimeoutMs);
    let ended = 0;
    try {
      for (const row of await findStale(cutoff, 100)) {
        await expire(row);
        ended++;
      }
    } catch (err) {
      log.warn({ err }, 'ringing sweep failed; the next pass retries');
    }
    return ended;
  }
}
