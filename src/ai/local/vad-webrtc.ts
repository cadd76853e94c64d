// WebRTC voice activity detection (libfvad compiled to WASM). Works on 8 kHz phone audio as is; ~0.02 ms per frame.
import createFvad, { type FvadModule } from '@echogarden/fvad-wasm';

export type VadMode = 0 | 1 | 2 | 3;

export interface WebRtcVadOptions {
  sampleRate: 8000 | 16000;
  /** 0 = quality (most speech kept) … 3 = very aggressive (fewest false positives on noise). Default 3. */
  mode?: VadMode;
}

// Why one shared module: every detector of the process lives in the same 68 KB WASM heap; a per-call module would
// cost a compile (~10 ms) and its own memory for each call.
let shared: Promise<FvadModule> | undefined;
function fvadModule(): Promise<FvadModule> {
  shared ??= createFvad().catch((err: unknown) => {
    shared = undefined; // let a later call try again
    throw err;
  });
  return shared;
}

const MAX_FRAME_SAMPLES = 480; // 30 ms at 16 kHz

export class WebRtcVad {
  private handle: number;
  private readonly framePtr: number;
  private readonly validLengths: readonly number[];

  private constructor(
    private readonly m: FvadModule,
    readonly sampleRate: 8000 | 16000,
    readonly mode: VadMode,
  ) {
    this.handle = m._fvad_new();
    if (!this.handle) throw new Error('fvad: out of memory');
    if (m._fvad_set_sample_rate(this.handle, sampleRate) !== 0 || m._fvad_set_mode(this.handle, mode) !== 0) {
      m._fvad_free(this.handle);
      throw new RangeError(`fvad: unsupported sample rate ${sampleRate} or mode ${mode}`);
    }
    this.framePtr = m._malloc(MAX_FRAME_SAMPLES * 2);
    this.validLengths = [10, 20, 30].map((ms) => (sampleRate * ms) / 1000);
  }

  static async create(options: WebRtcVadOptions): Promise<WebRtcVad> {
    const { sampleRate, mode = 3 } = options;
    if (sampleRate !== 8000 && sampleRate !== 16000) throw new RangeError('WebRTC VAD: sampleRate must be 8000 or 16000');
    if (![0, 1, 2, 3].includes(mode)) throw new RangeError('WebRTC VAD: mode must be 0, 1, 2 or 3');
    return new WebRtcVad(await fvadModule(), sampleRate, mode);
  }

  /** True when the frame (10, 20 or 30 ms of PCM16 at the detector's rate) contains speech. */
  process(frame: Int16Array): boolean {
    if (!this.handle) throw new Error('WebRTC VAD: closed');
    if (!this.validLengths.includes(frame.length)) {
      throw new RangeError(
        `WebRTC VAD: frame of ${frame.length} samples; expected ${this.validLengths.join(', ')} at ${this.sampleRate} Hz`,
      );
    }
    // Why read HEAP16 each time: the Emscripten heap may grow, which replaces the typed-array view.
    this.m.HEAP16.set(frame, this.framePtr >> 1);
    const result = this.m._fvad_process(this.handle, this.framePtr, frame.length);
    if (result < 0) throw new Error('WebRTC VAD: invalid frame');
    return result === 1;
  }

  /** Forget adaptive state (e.g. between calls when a detector is reused). */
  reset(): void {
    if (!this.handle) return;
    this.m._fvad_reset(this.handle);
    this.m._fvad_set_sample_rate(this.handle, this.sampleRate);
    this.m._fvad_set_mode(this.handle, this.mode);
  }

  /** Free the native state; the detector cannot be used afterwards. Safe to call twice. */
  close(): void {
    if (!this.handle) return;
    this.m._fvad_free(this.handle);
    this.m._free(this.framePtr);
    this.handle = 0;
  }
}

export function createWebRtcVad(options: WebRtcVadOptions): Promise<WebRtcVad> {
  return WebRtcVad.create(options);
}
