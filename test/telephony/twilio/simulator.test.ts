import { afterEach, describe, expect, it } from 'vitest';
import { runInboundCall } from '../../../src/telephony/twilio/index.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, officialSign } from '../../fakes/twilio/index.js';
import { CALLER, OUR_NUMBER, heardPrefix, tone, toneShare, until } from './helpers.js';
import { ReferenceServer } from './reference-server.js';

const servers: ReferenceServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.stop(); });

const base = { authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER, sign: officialSign };

describe('Twilio call simulator against a server wired like the call core', () => {
  it('runs a whole call: webhook, stream, echoed audio that decodes to the caller sine, hang-up, status callback', async () => {
    const s = await new ReferenceServer({
      authToken: TEST_AUTH_TOKEN, numbers: [OUR_NUMBER],
      onLeg: (leg) => leg.on('audio', (payload) => leg.sendAudio(payload)),
    }).start();
    servers.push(s);
    const audio = tone(440, 600);
    const events: string[] = [];
    const result = await runInboundCall({ ...base, baseUrl: s.baseUrl, audio, tailMs: 400, onEvent: (e) => events.push(e.kind) });

    expect(result.answer.kind).toBe('stream');
    expect(result.endedBy).toBe('caller');
    const stream = result.stream!;
    expect(stream.violations).toEqual([]);
    const received = stream.playout.received.bytes();
    expect(heardPrefix(received, audio)).toBe(audio.length);
    const start = received.findIndex((b, i) => b === audio[0] && received[i + 1] === audio[1] && received[i + 2] === audio[2]);
    expect(toneShare(received.subarray(start, start + audio.length), 440)).toBeGreaterThan(0.95);
    expect(heardPrefix(stream.playout.heard.bytes(), audio)).toBeGreaterThan(0);

    expect(s.voiceCalls).toHaveLength(1);
    expect(s.voiceCalls[0]).toMatchObject({ CallSid: result.callSid, From: CALLER, To: OUR_NUMBER, Direction: 'inbound', CallStatus: 'ringing' });
    expect(s.statusCallbacks).toHaveLength(1);
    expect(s.statusCallbacks[0]).toMatchObject({ CallSid: result.callSid, CallStatus: 'completed', StatusCallbackEvent: 'completed' });
    expect(typeof s.statusCallbacks[0]!.CallDuration).toBe('number');
    expect(s.refused).toEqual([]);
    expect(s.rejected).toEqual([]);
    expect(events).toEqual(expect.arrayContaining(['webhook', 'answer', 'start', 'agent-audio', 'stop', 'closed', 'status']));
  });

  it('notices when the server hangs up first', async () => {
    const s = await new ReferenceServer({ authToken: TEST_AUTH_TOKEN, numbers: [OUR_NUMBER] }).start();
    servers.push(s);
    const legP = s.nextLeg();
    const done = runInboundCall({ ...base, baseUrl: s.baseUrl, audio: tone(300, 200), tailMs: 10_000, statusCallback: false });
    const leg = await legP;
    await until(() => leg.counters.framesIn >= 3);
    await leg.hangup('platform-ended');
    const result = await done;
    expect(result.endedBy).toBe('server');
    expect(result.stream!.timeline.at(-1)).toMatchObject({ kind: 'closed', detail: '1000 hangup' });
  });

  it('reports a rejected call without opening media', async () => {
    const s = await new ReferenceServer({ authToken: TEST_AUTH_TOKEN, numbers: [] }).start();
    servers.push(s);
    const result = await runInboundCall({ ...base, baseUrl: s.baseUrl });
    expect(result).toMatchObject({ answer: { kind: 'reject', reason: 'rejected' }, stream: null, endedBy: 'not-connected' });
  });
});
