// Worker thread hosting pocketsphinx decoders (several calls per thread). Every native call is synchronous and
// CPU-bound, so it runs here and the main event loop, which carries media, never waits on it.
import { parentPort } from 'node:worker_threads';
import { phoneBandFeatParams } from './feat-params.js';
import { modelPaths } from './model.js';
import { PocketsphinxDecoder } from './pocketsphinx.js';
import type { AsrReply, AsrRequest, DecoderSetup } from './protocol.js';
import { Upsampler2x } from './upsample.js';

interface Hosted {
  decoder: PocketsphinxDecoder;
  upsampler: Upsampler2x | undefined;
  /** An error while decoding pushed audio; reported on the next endUtterance. */
  failure: string | undefined;
}

const decoders = new Map<number, Hosted>();

function create(setup: DecoderSetup): Hosted {
  const paths = modelPaths(setup.modelDir);
  const decoder = new PocketsphinxDecoder({
    ...(setup.modelDir ? { modelDir: setup.modelDir } : {}),
    ...(setup.cmninit ? { featParams: phoneBandFeatParams(paths.hmm, setup.cmninit) } : {}),
    ...(setup.logFile ? { logFile: setup.logFile } : {}),
    ...(setup.args ? { args: setup.args } : {}),
  });
  try {
    decoder.setGrammar(setup.grammar);
  } catch (err) {
    decoder.free();
    throw err;
  }
  return { decoder, upsampler: setup.sampleRate === 8000 ? new Upsampler2x() : undefined, failure: undefined };
}

function hosted(id: number): Hosted {
  const h = decoders.get(id);
  if (!h) throw new Error(`recognizer ${id} is closed`);
  return h;
}

function handle(req: Exclude<AsrRequest, { type: 'audio' }>): AsrReply {
  switch (req.type) {
    case 'create': {
      const t = performance.now();
      decoders.set(req.decoderId, create(req.setup));
      return { reqId: req.reqId, ok: true, startupMs: performance.now() - t };
    }
    case 'grammar':
      hosted(req.decoderId).decoder.setGrammar(req.jsgf);
      return { reqId: req.reqId, ok: true };
    case 'end': {
      const h = hosted(req.decoderId);
      if (h.failure) {
        const failure = h.failure;
        h.failure = undefined;
        h.decoder.endUtterance(); // close the broken utterance so the next one starts clean
        throw new Error(failure);
      }
      return { reqId: req.reqId, ok: true, result: h.decoder.endUtterance() };
    }
    case 'partial': {
      const h = hosted(req.decoderId);
      return { reqId: req.reqId, ok: true, partial: h.failure ? '' : h.decoder.partial() };
    }
    case 'close': {
      const h = decoders.get(req.decoderId);
      decoders.delete(req.decoderId);
      h?.decoder.free();
      return { reqId: req.reqId, ok: true };
    }
  }
}

parentPort?.on('message', (req: AsrRequest) => {
  if (req.type === 'audio') {
    const h = decoders.get(req.decoderId);
    if (!h || h.failure) return;
    try {
      h.decoder.process(h.upsampler ? h.upsampler.process(req.samples) : req.samples);
    } catch (err) {
      h.failure = err instanceof Error ? err.message : String(err);
    }
    return;
  }
  let reply: AsrReply;
  try {
    reply = handle(req);
  } catch (err) {
    reply = { reqId: req.reqId, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
