/* global sampleRate, currentTime, registerProcessor, AudioWorkletProcessor */
/**
 * Softphone playback: 16 kHz PCM16 frames from the socket go into a ring buffer; playback starts (and restarts
 * after an underrun) once `jitterMs` are buffered, is resampled to the context rate, and reports how many ms of
 * agent audio were played so the page can send `played` and echo `mark`s. `{clear:true}` drops what is queued.
 */
const IN_RATE = 16000;
const CAPACITY = IN_RATE * 4; // 4 s

class PlayerProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const jitterMs = (options && options.processorOptions && options.processorOptions.jitterMs) || 60;
    this.target = Math.round((IN_RATE * jitterMs) / 1000);
    this.maxQueued = IN_RATE; // more than 1 s behind: drop the oldest audio to keep latency bounded
    this.ring = new Float32Array(CAPACITY);
    this.write = 0; // total samples written
    this.read = 0; // total samples read (fractional)
    this.playing = false;
    this.played = 0;
    this.underruns = 0;
    this.step = IN_RATE / sampleRate;
    this.lastReport = 0;
    this.port.onmessage = (event) => {
      const data = event.data;
      if (data && data.clear) { this.read = this.write; this.playing = false; return; }
      if (data && data.frame) this.push(new Int16Array(data.frame));
    };
  }

  push(samples) {
    for (let i = 0; i < samples.length; i++) this.ring[(this.write + i) % CAPACITY] = samples[i] / 0x8000;
    this.write += samples.length;
    if (this.write - this.read > this.maxQueued) this.read = this.write - this.target;
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const ch0 = out[0];
    if (!ch0) return true;
    const queued = this.write - this.read;
    if (!this.playing && queued >= this.target) this.playing = true;
    const start = this.read;
    for (let i = 0; i < ch0.length; i++) {
      let s = 0;
      if (this.playing) {
        if (this.write - this.read < 2) { this.playing = false; this.underruns++; } else {
          const k = Math.floor(this.read);
          const frac = this.read - k;
          const a = this.ring[k % CAPACITY];
          const b = this.ring[(k + 1) % CAPACITY];
          s = a + (b - a) * frac;
          this.read += this.step;
        }
      }
      for (let c = 0; c < out.length; c++) out[c][i] = s;
    }
    this.played += this.read - start;
    if (currentTime - this.lastReport >= 0.1) {
      this.lastReport = currentTime;
      this.port.postMessage({ playedMs: Math.floor(this.played / 16), queuedMs: Math.floor((this.write - this.read) / 16), underruns: this.underruns });
    }
    return true;
  }
}

registerProcessor('sb-player', PlayerProcessor);
