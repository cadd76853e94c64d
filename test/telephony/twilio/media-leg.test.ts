import { afterEach, describe, expect, it } from 'vitest';
import { sine } from '../../../src/media/index.js';
import { TwilioRestClient } from '../../../src/telephony/twilio/index.js';
import { FakeTwilioRestApi, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../fakes/twilio/index.js';
import { concat, connectCall, heardPrefix, tone, toneShare, until } from './helpers.js';
import type { ConnectedCall } from './helpers.js';

let current: ConnectedCall | null = null;
let rest: FakeTwilioRestApi | null = null;
afterEach(async () => {
  await current?.caller.hangup().catch(() => undefined);
  await current?.server.stop();
  await rest?.stop();
  current = rest = null;
});

async function open(opts: Parameters<typeof connectCall>[0] = {}): Promise<ConnectedCall> {
  current = await connectCall(opts);
  return current;
}

describe('TwilioMediaLeg with the Twilio fake', () => {
  it('delivers caller audio byte for byte (μ-law passthrough) with 20 ms media timestamps', async () => {
    const { caller, leg, rec } = await open();
    expect(leg.carrierCallId).toMatch(/^CA[0-9a-f]{32}$/);
    expect(leg.start.mediaFormat).toEqual({ encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 });
    const speech = tone(440, 500);
    caller.play(speech);
    await until(() => rec.audio.reduce((n, a) => n + a.length, 0) >= speech.length);
    const got = concat(rec.audio);
    expect(got).toEqual(speech);
    expect(toneShare(got, 440)).toBeGreaterThan(0.95);
    expect(toneShare(got, 1000)).toBeLessThan(0.01);
    expect(rec.audio.every((a) => a.length === 160)).toBe(true);
    const steps = rec.timestamps.slice(1).map((t, i) => t - rec.timestamps[i]!);
    expect(steps.every((d) => d === 20)).toBe(true);
  });

  it('the fake plays PCM16 at other rates as 8 kHz μ-law', async () => {
    const { caller, rec } = await open();
    caller.playPcm16(sine(440, 16000, 16000 * 0.4, 0.4), 16000);
    await until(() => rec.audio.length >= 20);
    expect(toneShare(concat(rec.audio).subarray(160), 440)).toBeGreaterThan(0.9);
  });

  it('sends agent audio as base64 μ-law in 20 ms media messages that decode to the signal', async () => {
    const { caller, leg } = await open();
    const reply = tone(1000, 600);
    leg.sendAudio(reply);
    expect(leg.framesOut).toBe(30);
    await until(() => caller.playout.received.length >= reply.length);
    expect(caller.playout.received.bytes()).toEqual(reply);
    await until(() => caller.playout.queuedBytes === 0);
    expect(heardPrefix(caller.playout.heard.bytes(), reply)).toBe(reply.length);
    expect(toneShare(caller.playout.received.bytes(), 1000)).toBeGreaterThan(0.95);
    expect(caller.violations).toEqual([]);
  });

  it('counts ms sent and played from echoed marks; only named marks reach the owner', async () => {
    const { caller, leg, rec } = await open({ legOptions: { clockModel: false } });
    leg.sendAudio(tone(500, 250));
    leg.sendAudio(tone(700, 150));
    leg.mark('said-hello');
    expect(leg.playback()).toEqual({ sentMs: 400, playedMs: 0 });
    await until(() => rec.marks.includes('said-hello'));
    expect(leg.playback()).toEqual({ sentMs: 400, playedMs: 400 });
    expect(rec.marks).toEqual(['said-hello']);
    expect(caller.marksEchoed.filter((m) => m.startsWith('sb.p.')).length).toBeGreaterThanOrEqual(3);
    expect(caller.playout.heard.length).toBeGreaterThanOrEqual(400 * 8);
    expect(caller.violations).toEqual([]);
  });

  it('clear drops unplayed audio, returns the ms dropped, and reports pending marks at once', async () => {
    const { caller, leg, rec, server } = await open({ legOptions: { clockModel: false } });
    const answer = tone(800, 2000);
    leg.sendAudio(answer);
    leg.mark('end-of-answer');
    await until(() => leg.playback().playedMs >= 300);
    const heardBefore = leg.playback().playedMs;
    const dropped = leg.clear();
    expect(dropped).toBe(2000 - heardBefore);
    expect(rec.marks).toEqual(['end-of-answer']);
    expect(leg.playback()).toEqual({ sentMs: heardBefore, playedMs: heardBefore });
    await until(() => caller.clears === 1 && caller.marksEchoed.includes('end-of-answer'));
    const heardTone = heardPrefix(caller.playout.heard.bytes(), answer) / 8;
    expect(heardTone).toBeLessThan(2000);
    expect(heardTone).toBeGreaterThanOrEqual(heardBefore);

    leg.sendAudio(tone(300, 200));
    leg.mark('next');
    await until(() => rec.marks.includes('next'));
    expect(rec.marks).toEqual(['end-of-answer', 'next']);
    expect(leg.playback()).toEqual({ sentMs: heardBefore + 200, playedMs: heardBefore + 200 });
    expect(server.rejected).toEqual([]);
    expect(caller.violations).toEqual([]);
  });

  it('with the clock model, played follows real time and clear leaves sent = played', async () => {
    const { caller, leg } = await open();
    leg.sendAudio(tone(800, 2000));
    await until(() => caller.playout.heard.length >= 300 * 8);
    const dropped = leg.clear();
    const after = leg.playback();
    expect(after.sentMs).toBe(after.playedMs);
    expect(dropped + after.playedMs).toBe(2000);
    expect(after.playedMs).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
  });

  it('reports DTMF digits', async () => {
    const { caller, rec } = await open();
    caller.sendDtmf('7');
    caller.sendDtmf('#');
    await until(() => rec.dtmf.length === 2);
    expect(rec.dtmf).toEqual(['7', '#']);
  });

  it('holds events between start and resume() so none are lost while the call is looked up', async () => {
    const speech = tone(440, 300);
    const { rec } = await open({
      beforeResume: async (leg, caller) => {
        caller.play(speech);
        await until(() => leg.counters.framesIn === 15);
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    expect(concat(rec.audio)).toEqual(speech);
    expect(rec.timestamps[0]! % 20).toBe(0);
    expect(rec.timestamps.length).toBe(15);
  });

  it('ends with the caller when Twilio stops the stream', async () => {
    const { caller, rec } = await open();
    await caller.hangup();
    await until(() => rec.ended.length === 1);
    expect(rec.ended).toEqual([['stream-stopped', 'caller']]);
  });

  it('hangs up and transfers through the REST client; without it, hangup closes the socket', async () => {
    rest = await new FakeTwilioRestApi(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
    const callControl = new TwilioRestClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, baseUrl: rest.baseUrl });
    const { sim, caller, leg, rec } = await open({ legOptions: { callControl } });
    rest.calls.set(sim.callSid, { sid: sim.callSid, status: 'in-progress', to: '+1', from: '+2', twiml: null, url: null, statusCallbackEvent: [] });
    await leg.transfer('+15550001111');
    expect(rest.calls.get(sim.callSid)!.twiml).toContain('<Dial>+15550001111</Dial>');
    await leg.hangup('agent-goodbye');
    expect(rest.requests.at(-1)).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Calls/${sim.callSid}.json`, form: { Status: 'completed' } });
    await leg.hangup('again'); // Twilio answers 404 20404 now: not an error
    await caller.hangup(); // Twilio stops the stream after the REST hang-up
    await until(() => rec.ended.length === 1);
    expect(rec.ended).toEqual([['transfer', 'platform']]);

    await current!.server.stop();
    const plain = await open();
    await plain.leg.hangup('bye');
    await plain.caller.closed;
    await until(() => plain.rec.ended.length === 1);
    expect(plain.rec.ended).toEqual([['bye', 'platform']]);
    await expect(plain.leg.transfer('+1555')).rejects.toThrow(/REST client/);
  });

  it('close() ends the media stream without an ended event', async () => {
    const { caller, leg, rec, server } = await open();
    caller.sendDtmf('1');
    await until(() => rec.dtmf.length === 1);
    leg.close();
    expect(await caller.closed).toEqual({ code: 1000, reason: 'closed' });
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.ended).toEqual([]);
    expect(server.rejected).toEqual([]);
  });
});
