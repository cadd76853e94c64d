/**
 * Keeps the event order of the contract where a provider delivers the caller's transcript late (OpenAI's input
 * transcription runs beside the response): an agent turn's ordered events (tool call, agent final, turn end)
 * wait until every caller turn that began before that agent turn has its final transcript, or until a timeout.
 */
interface PendingTurn {
  seq: number;
  timer: ReturnType<typeof setTimeout>;
}

export class CallerTurnGate {
  private readonly pending = new Map<string, PendingTurn>();
  private readonly queue: { seq: number; run: () => void }[] = [];
  private readonly timeoutMs: number;
  private readonly onTimeout: (key: string) => void;

  constructor(timeoutMs: number, onTimeout: (key: string) => void) {
    this.timeoutMs = timeoutMs;
    this.onTimeout = onTimeout;
  }

  /** A caller turn (`key`, begun at provider message `seq`) owes a final transcript. */
  open(key: string, seq: number): void {
    if (this.pending.has(key)) return;
    const timer = setTimeout(() => {
      if (!this.pending.has(key)) return;
      this.onTimeout(key);
      this.resolve(key);
    }, this.timeoutMs);
    timer.unref?.();
    this.pending.set(key, { seq, timer });
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  /** The caller turn's transcript was delivered (or given up on): release what waited for it. */
  resolve(key: string): void {
    const turn = this.pending.get(key);
    if (!turn) return;
    clearTimeout(turn.timer);
    this.pending.delete(key);
    this.flush();
  }

  /** Runs `run` now, or once no caller turn begun before `seq` is owed and everything queued earlier has run. */
  after(seq: number, run: () => void): void {
    if (this.queue.length === 0 && !this.blocked(seq)) {
      run();
      return;
    }
    this.queue.push({ seq, run });
  }

  /** Drops timers and waiting work (session closed). */
  clear(): void {
    for (const turn of this.pending.values()) clearTimeout(turn.timer);
    this.pending.clear();
    this.queue.length = 0;
  }

  private blocked(seq: number): boolean {
    for (const turn of this.pending.values()) if (turn.seq < seq) return true;
    return false;
  }

  private flush(): void {
    while (this.queue.length > 0 && !this.blocked(this.queue[0]!.seq)) this.queue.shift()!.run();
  }
}
