import { describe, expect, it } from 'vitest';
import { CallRecords } from '../../src/call/records.js';
import { callStartedData, type DomainEvent } from '../../src/contracts/events.js';
import { MemoryBus } from '../../src/infra/bus.js';
import { createLogger } from '../../src/infra/logger.js';
import type { CallRow } from '../../src/store/repositories/calls.js';

/** `call.started` of a widget call names the call's contact (its metadata.contactId), so a contact's page can add it live. */
describe('call.started of a widget call', () => {
  it('carries contactId for a call with metadata.contactId, and none for other calls', async () => {
    const bus = new MemoryBus();
    const seen: DomainEvent[] = [];
    bus.subscribe('t1', (event) => { seen.push(event); });
    const repos = { calls: {}, callTimeline: { append: async () => {} } };
    const records = new CallRecords({ repos: repos as never, bus, log: createLogger('silent') });
    const row = (id: string, metadata: Record<string, unknown>) => ({
      id, tenantId: 't1', direction: 'inbound', carrier: 'browser', fromNumber: 'browser', toNumber: 'browser', agentKind: 'flow',
      state: 'ringing', queue: 'general', startedAt: new Date(), metadata,
    }) as unknown as CallRow;
    records.created(row('c-widget', { contactId: 'k-1', widgetKeyId: 'wk' }));
    records.created(row('c-phone', {}));
    records.created(row('c-odd', { contactId: 42 }));
    await records.drain();
    const started = Object.fromEntries(seen.filter((e) => e.type === 'call.started').map((e) => [e.data['callId'], callStartedData.parse(e.data)]));
    expect(started['c-widget']).toMatchObject({ callId: 'c-widget', contactId: 'k-1', state: 'ringing', carrier: 'browser' });
    expect(started['c-phone']).not.toHaveProperty('contactId');
    expect(started['c-odd']).not.toHaveProperty('contactId');
  });
});
