import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSynthesizer } from '../../src/ai/local/index.js';
import { encodeFor } from '../../src/ai/agents/audio.js';
import { MULAW_8K } from '../../src/call/leg.js';
import { liveCall } from '../support/calls.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { silence, until } from './support.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('the demo flow number through the real server', () => {
  it('+15005550009 is answered by the local flow agent running the seeded booking flow; turns are stored', async () => {
    const tts = createLocalSynthesizer();
    const { samples, sampleRate } = await tts.synthesize('I would like to book an appointment', { voice: 'kal' });
    await tts.close();
    const { callId, tenantId, leg } = await liveCall(server.platform, { to: '+15005550009' });
    const detail = () => server.platform.calls.detail(tenantId, callId);
    let transcript: { speaker: string; text: string }[] = [];
    await until(() => leg.sent.length > 0, 'agent audio', { play: leg, timeoutMs: 20_000 });
    // The greeting cannot be interrupted, and speech right as a sentence starts is taken for echo: the caller
    // speaks once the greeting and the question have both played (their finals are stored).
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      leg.playAll();
      if (((await detail())?.transcript ?? []).some((t) => t.text.startsWith('How can I help'))) break;
    }
    const audio = Buffer.concat([silence(300), encodeFor(samples, sampleRate, MULAW_8K), silence(800)]);
    for (let i = 0, at = 0; i + 160 <= audio.length; i += 160, at += 20) leg.say(audio.subarray(i, i + 160), at);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      leg.playAll();
      transcript = (await detail())?.transcript ?? [];
      if (transcript.some((t) => t.text.includes('What day and time'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // On a failure, the call's flow events say what the agent made of the caller's speech.
    const flowEvents = ((await detail())?.timeline ?? []).filter((e) => e.type.startsWith('flow.')).map((e) => `${e.type} ${JSON.stringify(e.data)}`);
    expect(transcript.map((t) => t.speaker), flowEvents.join('\n')).toContain('caller');
    expect(transcript.find((t) => t.speaker === 'caller')?.text).toContain('appointment');
    expect(transcript.some((t) => t.speaker === 'agent' && t.text.startsWith('Hello, thanks for calling'))).toBe(true);
    expect(transcript.some((t) => t.text.includes('What day and time'))).toBe(true);
    leg.drop();
  }, 60_000);
});
