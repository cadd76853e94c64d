// Worker thread that owns the warm synthesis engines, so a 50–200 ms synthesis never stalls the media event loop.
import { parentPort } from 'node:worker_threads';
import { EspeakEngine, FliteEngine, isFliteVoice } from './tts-engines.js';
import type { TtsReply, TtsRequest } from './tts.js';

let flite: Promise<FliteEngine> | undefined;
let espeak: Promise<EspeakEngine> | undefined;
const getFlite = (): Promise<FliteEngine> => (flite ??= FliteEngine.create());
const getEspeak = (): Promise<EspeakEngine> => (espeak ??= EspeakEngine.create());

async function handle(req: TtsRequest): Promise<TtsReply> {
  const started = performance.now();
  switch (req.type) {
    case 'warm': {
      const timings: Record<string, number> = {};
      for (const engine of req.engines) {
        const t = performance.now();
        await (engine === 'flite' ? getFlite() : getEspeak());
        timings[engine] = performance.now() - t;
      }
      return { id: req.id, ok: true, type: 'warm', timings };
    }
    case 'synthesize': {
      const result =
        req.engine === 'flite'
          ? (await getFlite()).synthesize(req.text, isFliteVoice(req.voice) ? req.voice : 'slt', req.rate)
          : (await getEspeak()).synthesize(req.text, req.voice, req.rate);
      return {
        id: req.id,
        ok: true,
        type: 'synthesize',
        samples: result.samples,
        sampleRate: result.sampleRate,
        synthMs: performance.now() - started,
      };
    }
    case 'close': {
      if (flite) (await flite).close();
      if (espeak) (await espeak).close();
      flite = espeak = undefined;
      return { id: req.id, ok: true, type: 'close' };
    }
  }
}

// Requests are handled one at a time: the engines are synchronous and single-instance.
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (req: TtsRequest) => {
  queue = queue.then(async () => {
    let reply: TtsReply;
    try {
      reply = await handle(req);
    } catch (err) {
      reply = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const transfer = reply.ok && reply.type === 'synthesize' ? [reply.samples.buffer as ArrayBuffer] : [];
    parentPort?.postMessage(reply, transfer);
  });
});
