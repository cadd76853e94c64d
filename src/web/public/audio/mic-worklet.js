/* global sampleRate, registerProcessor, AudioWorkletProcessor */
/**
 * Microphone capture for the softphone: downmixes to mono, resamples the context rate to 16 kHz (linear
 * interpolation after a short box low-pass), and posts 20 ms PCM16 little-endian frames (640 bytes) to the main
 * thread, plus the frame's peak level for the meter.
 */
const OUT_RATE = 16000;
const FRAME = 320;

class MicProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / OUT_RATE;
    this.pos = 0; // fractional read position into `tail` + current block
    this.prev = 0; // last input sample of the previous block
    this.frame = new Int16Array(FRAME);
    this.filled = 0;
    this.peak = 0;
    // A 3-tap average removes most energy above 8 kHz before decimating 48 kHz → 16 kHz.
    this.h1 = 0;
    this.h2 = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0 || !input[0]) return true;
    const n = input[0].length;
    const mono = new Float32Array(n);
    for (let c = 0; c < input.length; c++) {
      const ch = input[c];
      for (let i = 0; i < n; i++) mono[i] += ch[i] / input.length;
    }
    if (this.step > 1.5) {
      for (let i = 0; i < n; i++) {
        const x = mono[i];
        mono[i] = (x + this.h1 + this.h2) / 3;
        this.h2 = this.h1;
        this.h1 = x;
      }
    }
    // Sample k of the block sits at index k; index -1 is `prev`.
    while (this.pos < n - 1 + 1e-9) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = i < 0 ? this.prev : mono[i];
      const b = i + 1 < n ? mono[i + 1] : mono[n - 1];
      const s = Math.max(-1, Math.min(1, a + (b - a) * frac));
      const abs = Math.abs(s);
      if (abs > this.peak) this.peak = abs;
      this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === FRAME) {
        const out = this.frame.buffer;
        this.port.postMessage({ frame: out, peak: this.peak }, [out]);
        this.frame = new Int16Array(FRAME);
        this.filled = 0;
        this.peak = 0;
      }
      this.pos += this.step;
    }
    this.pos -= n;
    this.prev = mono[n - 1];
    return true;
  }
}

registerProcessor('sb-mic', MicProcessor);
