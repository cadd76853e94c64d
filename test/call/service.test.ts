import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentRegistry } from '../../src/call/agents/index.js';
import { CarrierAccounts } from '../../src/call/carrier-accounts.js';
import { CarrierClients, type CarrierClient, type DialRequest } from '../../src/call/carriers.js';
import { CredentialBox } from '../../src/call/credential-box.js';
import { CallError } from '../../src/call/errors.js';
import { RecordingStore } from '../../src/call/recording/store.js';
import { CallService } from '../../src/call/service.js';
import type { DomainEvent } from '../../src/contracts/events.js';
import { MemoryBus } from '../../src/infra/bus.js';
import { createLogger } from '../../src/infra/logger.js';
import { TokenSigner } from '../../src/infra/tokens.js';
import { createRepositories, openDatabase, type Database, type Repositories } from '../../src/store/index.js';
import { FakeLeg } from '../support/fake-leg.js';
import { createTestDatabase } from '../support/services.js';

const TWILIO = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-auth-token-123' };

/** A carrier client that records what it was asked to do. */
class RecordingClient implements CarrierClient {
  dials: DialRequest[] = [];
  hangups: string[] = [];
  transfers: [string, string][] = [];
  fail: Error | null = null;
  async dial(request: DialRequest) {
    if (this.fail) throw this.fail;
    this.dials.push(request);
    return { carrierCallId: `CA${this.dials.length}${request.callId.slice(0, 8)}` };
  }
  async hangup(id: string) { this.hangups.push(id); }
  async transfer(id: string, to: string) { this.transfers.push([id, to]); }
}

/** The call service over a real database: idempotent admission, status updates, dial, isolation. */
describe.each(['pglite', 'postgres'] as const)('call service on %s', (kind) => {
  let database: Database;
  let repos: Repositories;
  let cleanup: () => Promise<void>;
  let calls: CallService;
  let accounts: CarrierAccounts;
  let clients: CarrierClients;
  let tenantId: string;
  let otherTenantId: string;
  const events: DomainEvent[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sb-calls-'));

  beforeAll(async () => {
    if (kind === 'pglite') {
      database = await openDatabase({ dataDir: join(dir, 'db') });
      cleanup = async () => {};
    } else {
      const db = await createTestDatabase();
      database = await openDatabase({ dataDir: '', url: db.url });
      cleanup = db.drop;
    }
    await database.migrate();
    repos = createRepositories(database.db);
    tenantId = (await repos.tenants.create({ name: 'T', slug: `t-${kind}` })).id;
    otherTenantId = (await repos.tenants.create({ name: 'O', slug: `o-${kind}` })).id;
    const bus = new MemoryBus();
    bus.subscribe(tenantId, (e) => events.push(e));
    accounts = new CarrierAccounts(repos, new CredentialBox('test-signing-secret'));
    clients = new CarrierClients();
    calls = new CallService({
      repos, bus, log: createLogger('silent'), signer: new TokenSigner('test-signing-secret'), accounts, clients,
      agents: createAgentRegistry({ synthesizer: null }), recordings: new RecordingStore(join(dir, 'rec')), recorder: { flushIntervalMs: 0 },
    });
    await repos.phoneNumbers.create({ tenantId, number: '+15550001000', carrier: 'twilio', agentKind: 'echo' });
    await repos.phoneNumbers.create({ tenantId: otherTenantId, number: '+15550002000', carrier: 'telnyx', agentKind: 'voicemail' });
  });

  afterAll(async () => {
    await calls.close();
    await database.close();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const webhook = (carrierCallId: string, to = '+15550001000') => ({ carrier: 'twilio' as const, carrierCallId, from: '+14155550100', to });

  it('admits the same webhook twice, or five times at once, as one call', async () => {
    const first = await calls.admitCall(webhook('CA-same'));
    const again = await calls.admitCall(webhook('CA-same'));
    expect(first).toMatchObject({ ok: true, created: true, tenantId });
    expect(again).toMatchObject({ ok: true, created: false });
    expect(again.ok && first.ok && again.call.id === first.call.id).toBe(true);
    const burst = await Promise.all([1, 2, 3, 4, 5].map(() => calls.admitCall(webhook('CA-burst'))));
    const ids = new Set(burst.map((r) => (r.ok ? r.call.id : null)));
    expect(ids.size).toBe(1);
    expect(burst.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect((await repos.calls.list(tenantId, { limit: 50, q: '4155550100' })).items.filter((c) => c.carrierCallId === 'CA-burst')).toHaveLength(1);
  });

  it('rejects unknown numbers and numbers of another carrier', async () => {
    expect(await calls.admitCall(webhook('CA-x', '+15559999999'))).toEqual({ ok: false, reason: 'unknown-number' });
    expect(await calls.admitCall(webhook('CA-y', '+15550002000'))).toEqual({ ok: false, reason: 'unknown-number' });
  });

  it('routes carrier requests to their tenant and credentials before any signature check', async () => {
    await accounts.put(tenantId, 'twilio', TWILIO);
    const byNumber = await calls.route({ carrier: 'twilio', to: '+15550001000' });
    expect(byNumber).toMatchObject({ tenantId, credentials: { carrier: 'twilio', twilio: TWILIO } });
    const admitted = await calls.admitCall(webhook('CA-route'));
    const byCall = await calls.route({ carrier: 'twilio', carrierCallId: 'CA-route' });
    expect(byCall?.call?.id).toBe(admitted.ok ? admitted.call.id : '');
    expect(await calls.route({ carrier: 'telnyx', to: '+15550001000' })).toBeNull();
    expect((await calls.route({ carrier: 'telnyx', to: '+15550002000' }))?.tenantId).toBe(otherTenantId);
  });

  it('joins a media leg with the agent, records both sides, and persists the timeline in order', async () => {
    const admitted = await calls.admitCall(webhook('CA-media'));
    if (!admitted.ok) throw new Error('not admitted');
    const leg = new FakeLeg('CA-media');
    const session = await calls.attach({ tenantId, callId: admitted.call.id }, leg);
    expect(session?.state).toBe('in-progress');
    expect(await calls.attach({ tenantId, callId: admitted.call.id }, new FakeLeg('CA-media'))).toBeNull();
    for (let i = 0; i < 10; i++) leg.say(new Uint8Array(160).fill(i), i * 20);
    expect(leg.sent).toHaveLength(10);
    leg.drop('hangup', 'caller');
    await session!.end('completed', 'x', 'caller');
    await calls.records.settled(admitted.call.id);
    const detail = await calls.detail(tenantId, admitted.call.id);
    expect(detail).toMatchObject({ state: 'completed', hangupCause: 'hangup', hangupSource: 'caller', recordingUrl: `/api/v1/calls/${admitted.call.id}/recording` });
    expect(detail!.answeredAt).not.toBeNull();
    expect(detail!.timeline.map((e) => e.type === 'state' ? `state:${String(e.data['to'])}` : e.type)).toEqual(['state:ringing', 'state:in-progress', 'state:completed', 'recording.saved']);
    const mine = events.filter((e) => e.data['callId'] === admitted.call.id).map((e) => e.type);
    expect(mine).toEqual(['call.started', 'call.state', 'call.state', 'call.ended', 'call.event']);
    expect(calls.liveCount).toBe(0);
  });

  it('applies carrier status updates once, in any order', async () => {
    const a = await calls.admitCall(webhook('CA-status'));
    await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-status', status: 'answered' });
    await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-status', status: 'completed' });
    await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-status', status: 'completed' });
    await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-status', status: 'ringing' });
    const detail = await calls.detail(tenantId, a.ok ? a.call.id : '');
    expect(detail?.state).toBe('completed');
    expect(detail?.timeline.filter((e) => e.type === 'state').map((e) => e.data['to'])).toEqual(['ringing', 'in-progress', 'completed']);
    await calls.admitCall(webhook('CA-busy'));
    expect((await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-busy', status: 'busy' }))?.state).toBe('busy');
    expect(await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-nobody', status: 'completed' })).toBeNull();
    expect(await calls.admitCall(webhook('CA-busy'))).toEqual({ ok: false, reason: 'call-ended' });
  });

  it('dials out through the carrier client, binds the answer webhook to the call, and says why it cannot', async () => {
    await expect(calls.dial(otherTenantId, { to: '+14155550199', metadata: {} })).rejects.toMatchObject({ status: 409, code: 'carrier_not_configured' });
    await expect(calls.dial(tenantId, { to: '+14155550199', metadata: {} })).rejects.toMatchObject({ status: 409, code: 'carrier_unavailable' });
    const client = new RecordingClient();
    clients.register('twilio', client);
    await expect(calls.dial(tenantId, { to: '+14155550199', from: '+15559999999', metadata: {} })).rejects.toMatchObject({ status: 422, code: 'number_not_configured' });
    const call = await calls.dial(tenantId, { to: '+14155550199', metadata: { campaign: 'x' } });
    expect(call).toMatchObject({ direction: 'outbound', carrier: 'twilio', from: '+15550001000', to: '+14155550199', state: 'ringing', agentKind: 'echo' });
    expect(client.dials[0]).toMatchObject({ callId: call.id, tenantId, credentials: { carrier: 'twilio' } });
    expect(call.carrierCallId).toMatch(/^CA1/);
    // The carrier's answer webhook carries our call id back: same call, no new row.
    const answered = await calls.admitCall({ carrier: 'twilio', carrierCallId: call.carrierCallId!, from: '+15550001000', to: '+14155550199', callId: call.id });
    expect(answered).toMatchObject({ ok: true, created: false, call: { id: call.id } });
    // A status callback naming our call id works too (it may beat the dial response).
    expect((await calls.carrierStatus({ carrier: 'twilio', carrierCallId: call.carrierCallId!, callId: call.id, status: 'ringing' }))?.id).toBe(call.id);
    expect(await calls.carrierStatus({ carrier: 'twilio', carrierCallId: 'CA-other', callId: call.id, status: 'ringing' })).toBeNull();
    // Hang-up of a call live nowhere goes to the carrier.
    expect((await calls.hangup(tenantId, call.id, 'agent-done')).state).toBe('completed');
    expect(client.hangups).toEqual([call.carrierCallId]);
    client.fail = new Error('invalid To');
    const err = await calls.dial(tenantId, { to: '+14155550198', metadata: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ status: 502, code: 'carrier_error' });
    const failed = (await calls.list(tenantId, { limit: 1, state: 'failed' })).items[0];
    expect(failed).toMatchObject({ to: '+14155550198', hangupSource: 'platform' });
  });

  it('keeps calls of one tenant out of another', async () => {
    const a = await calls.admitCall(webhook('CA-iso'));
    const id = a.ok ? a.call.id : '';
    expect(await calls.get(otherTenantId, id)).toBeNull();
    expect(await calls.attach({ tenantId: otherTenantId, callId: id }, new FakeLeg())).toBeNull();
    await expect(calls.hangup(otherTenantId, id, 'x')).rejects.toMatchObject({ status: 404 });
    expect((await calls.list(otherTenantId, { limit: 50 })).items).toEqual([]);
  });

  it('lets exactly one of two concurrent enders win in the database', async () => {
    const a = await calls.admitCall(webhook('CA-race'));
    const id = a.ok ? a.call.id : '';
    const [x, y] = await Promise.all([
      repos.calls.transition(id, ['ringing', 'in-progress'], 'completed', { hangupCause: 'x' }),
      repos.calls.transition(id, ['ringing', 'in-progress'], 'failed', { hangupCause: 'y' }),
    ]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
  });

  it('hangs up a call whose media lives on another instance, over the bus', async () => {
    const bus = (calls.options.bus);
    const elsewhere = new CallService({ ...calls.options, bus, recordings: null });
    const call = await elsewhere.admitBrowserCall({ tenantId, sessionId: `s-${kind}`, from: 'browser', to: 'browser', agentKind: 'echo' });
    const leg = new FakeLeg(`s-${kind}`, undefined, undefined, 'browser');
    await elsewhere.attach({ tenantId, callId: call.id }, leg);
    expect(calls.session(call.id)).toBeUndefined();
    const ended = await calls.hangup(tenantId, call.id, 'supervisor');
    expect(ended).toMatchObject({ state: 'completed', hangupCause: 'supervisor', hangupSource: 'platform' });
    expect(leg.hungUp).toBe('supervisor');
    expect(elsewhere.liveCount).toBe(0);
    await elsewhere.close();
  });

  it('signs media tokens that bind a stream to its call', () => {
    const token = calls.mediaToken({ id: 'call-1', tenantId });
    expect(calls.verifyMediaToken(token)).toEqual({ ok: true, callId: 'call-1', tenantId });
    expect(calls.verifyMediaToken(`${token}x`)).toMatchObject({ ok: false });
  });
});
