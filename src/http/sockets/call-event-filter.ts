import { AGENT_TRANSFER_EVENT } from '../../contracts/calls.js';
import type { DomainEvent } from '../../contracts/events.js';
import { inScope, type CallScope } from '../../call/supervision/scope.js';
import type { CallRow } from '../../store/repositories/calls.js';

/** Timeline events after which who may see a call changes (the assignee moved). */
const REASSIGNING = new Set(['takeover', 'handback', AGENT_TRANSFER_EVENT]);

/**
 * Filters a socket's call events to the calls its caller may see. Visibility per call is looked up once and cached;
 * a takeover/handback/transfer drops the cached answer, and is still delivered to a socket that saw the call before
 * (its board learns that the call moved away). Checks run in arrival order so events are never reordered.
 */
export class CallEventFilter {
  private readonly visible = new Map<string, boolean>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private scope: CallScope, private readonly lookup: (callId: string) => Promise<CallRow | null>) {}

  /** Who the socket's caller may see changed (an admin edited their queues): later events follow the new scope. */
  rescope(scope: CallScope): void {
    this.chain = this.chain.then(() => { this.scope = scope; this.visible.clear(); });
  }

  /** Calls `deliver(event)` (in order) when the event may be seen. */
  offer(event: DomainEvent, deliver: (event: DomainEvent) => void): void {
    if (!this.scope) { deliver(event); return; }
    const callId = event.type.startsWith('call.') && typeof event.data.callId === 'string' ? event.data.callId : null;
    this.chain = this.chain.then(async () => {
      if (!callId) { deliver(event); return; } // not about one call: the tenant-wide rules apply
      const reassigning = event.type === 'call.event' && REASSIGNING.has(String(event.data.type));
      const before = reassigning ? this.visible.get(callId) === true : false;
      if (reassigning) this.visible.delete(callId);
      let ok = this.visible.get(callId);
      if (ok === undefined) {
        const row = await this.lookup(callId).catch(() => null);
        ok = row !== null && inScope(this.scope, row);
        this.visible.set(callId, ok);
      }
      if (event.type === 'call.ended') this.visible.delete(callId);
      if (ok || before) deliver(event);
    });
  }
}
